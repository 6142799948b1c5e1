/**
 * A migration file is exactly its generated blocks plus the data section: SQL anywhere else
 * (the header, above the first block, between blocks, after the checksum or the end line) is
 * refused with its line, comments are not; the data section stays in the slot plan gave it.
 */
import assert from "node:assert/strict";
import { countedRows, DATA_CLOSE, readDatabaseLine } from "../src/migration/format.ts";
import { readMigration } from "../src/migration/read.ts";
import { writeMigration } from "../src/migration/write.ts";
import { PgcError } from "../src/model/errors.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { fillDataSection } from "./support/cli.ts";
import { column, constraint, snap, table } from "./support/snap.ts";

async function migration(): Promise<string> {
  const from = snap(
    table("t"),
    column("t", "kind", "text"),
    constraint("t", "t_kind_check", "c", "CHECK ((kind = 'a'::text))"),
  );
  const to = snap(
    table("t"),
    column("t", "kind", "text"),
    column("t", "note", "text"),
    constraint("t", "t_kind_check", "c", "CHECK ((kind = 'b'::text))"),
  );
  return await writeMigration(await buildPlan(from, to), {
    allowDestructive: false,
    database: { name: "app", system: "7716038744554174586" },
  });
}

/** 1-based line of the first line matching `re`. */
function lineOf(text: string, re: RegExp): number {
  const i = text.split("\n").findIndex((l) => re.test(l));
  assert.ok(i >= 0, `no line matches ${re}`);
  return i + 1;
}

/** Insert `lines` before 1-based line `at`. */
function insertAt(text: string, at: number, ...lines: string[]): string {
  const all = text.split("\n");
  all.splice(at - 1, 0, ...lines);
  return all.join("\n");
}

async function refusedAt(text: string): Promise<{ code: string; line: number; message: string }> {
  try {
    await readMigration(text, "m.sql");
  } catch (e) {
    assert.ok(e instanceof PgcError, String(e));
    const m = e.message.match(/^m\.sql:(\d+): /);
    return { code: e.code, line: m ? Number(m[1]) : 0, message: e.message };
  }
  assert.fail(`accepted:\n${text}`);
}

Deno.test("a statement above the first generated block is refused at its line", async () => {
  const text = await migration();
  const first = lineOf(text, /^-- \[1\/3\]/);
  const r = await refusedAt(insertAt(text, first, "DELETE FROM public.t;", ""));
  assert.deepEqual([r.code, r.line], ["migration_invalid", first]);
  assert.match(r.message, /SQL outside the generated blocks and outside the data section/);
});

Deno.test("a statement in the header is refused at its line, even inside a /* comment */ that never closes", async () => {
  const text = await migration();
  const from = lineOf(text, /^-- from: /);
  const r = await refusedAt(insertAt(text, from, "  UPDATE public.t SET kind = 'x';"));
  assert.deepEqual([r.code, r.line], ["migration_invalid", from]);
  const open = await refusedAt(insertAt(text, from, "/* review later"));
  assert.deepEqual([open.code, open.line], ["migration_invalid", from]);
});

Deno.test("a statement between two generated blocks is refused at its line", async () => {
  const text = await migration();
  const second = lineOf(text, /^-- \[2\/3\]/);
  const r = await refusedAt(insertAt(text, second, "DELETE FROM public.t WHERE kind = 'a';"));
  assert.deepEqual([r.code, r.line], ["migration_invalid", second]);
  assert.match(r.message, /SQL after a generated statement, outside the data section/);
  // Written right after the generated statement, on the same line: still found.
  const add = lineOf(text, /^ALTER TABLE public\.t ADD COLUMN note/);
  const lines = text.split("\n");
  lines[add - 1] += " DELETE FROM public.t;";
  const same = await refusedAt(lines.join("\n"));
  assert.deepEqual([same.code, same.line], ["migration_invalid", add]);
});

Deno.test("a statement after the data section's closing line, after the checksum or after the end line is refused", async () => {
  const text = await migration();
  const close = lineOf(text, /^-- \[\/data\]$/);
  const afterData = await refusedAt(insertAt(text, close + 1, "TRUNCATE public.t;"));
  assert.deepEqual([afterData.code, afterData.line], ["migration_invalid", close + 1]);
  const end = lineOf(text, /^-- end of migration$/);
  const afterChecksum = await refusedAt(insertAt(text, end, "DROP TABLE public.t;"));
  assert.deepEqual([afterChecksum.code, afterChecksum.line], ["migration_invalid", end]);
  const afterEnd = await refusedAt(`${text.trimEnd()}\n\nDROP TABLE public.t;\n`);
  assert.deepEqual([afterEnd.code, afterEnd.line], ["migration_invalid", end + 2]);
  const expect = lineOf(text, /^-- expect: /);
  const afterExpect = await refusedAt(insertAt(text, expect + 1, "SELECT 1;"));
  assert.deepEqual([afterExpect.code, afterExpect.line], ["migration_invalid", expect + 1]);
});

Deno.test("comments outside the blocks are fine: a reviewer may annotate the file", async () => {
  const text = await migration();
  const second = lineOf(text, /^-- \[2\/3\]/);
  let annotated = insertAt(text, second, "-- reviewed by dana: the new column is nullable", "/* ok to ship */", "");
  annotated = insertAt(annotated, lineOf(annotated, /^-- from: /), "-- ticket: OPS-42");
  annotated = `${annotated.trimEnd()}\n-- signed off\n`;
  const m = await readMigration(annotated, "m.sql");
  assert.equal(m.units.length, 3);
  assert.equal(m.units[1].sql, "ALTER TABLE public.t ADD COLUMN note text;");
});

Deno.test("the header's fields are read from the header only, once each", async () => {
  const text = await migration();
  const from = lineOf(text, /^-- from: /);
  const twice = await refusedAt(insertAt(text, from, "-- from: sha256:0000"));
  assert.equal(twice.line, from + 1);
  assert.match(twice.message, /a second "from:" header line/);
  // A header field moved below the first block is no header field.
  const line = text.split("\n")[from - 1];
  const moved = text.replace(`${line}\n`, "").replace("-- checksum: ", `${line}\n-- checksum: `);
  await assert.rejects(readMigration(moved, "m.sql"), (e: unknown) => {
    assert.ok(e instanceof PgcError);
    assert.match(e.message, /has no "from:" header line/);
    return true;
  });
});

Deno.test("a second data section, or one moved away from its slot, is refused at its opening line", async () => {
  const text = await migration();
  const expect = lineOf(text, /^-- expect: /);
  const two = await refusedAt(insertAt(text, expect, "-- [data]", "UPDATE public.t SET kind = 'b';", DATA_CLOSE, ""));
  assert.deepEqual([two.code, two.line], ["migration_invalid", expect]);
  assert.match(two.message, /a second data section/);
  // Move the whole data section above the first block: it would run before the old CHECK is dropped.
  const lines = text.split("\n");
  const open = lines.findIndex((l) => l.startsWith("-- [data]"));
  const close = lines.indexOf(DATA_CLOSE);
  const section = lines.splice(open, close - open + 1);
  lines.splice(lines.findIndex((l) => l.startsWith("-- [1/3]")), 0, ...section);
  const moved = await refusedAt(lines.join("\n"));
  assert.equal(moved.code, "migration_invalid");
  assert.match(moved.message, /the data section was moved/);
});

Deno.test("the data section's statements come back with their file lines", async () => {
  const text = await migration();
  const filled = fillDataSection(text, [
    "UPDATE public.t SET kind = 'b'",
    "  WHERE kind = 'a';",
    "",
    "DELETE FROM public.t;",
  ]);
  const m = await readMigration(filled, "m.sql");
  const first = lineOf(filled, /^UPDATE public\.t SET kind = 'b'$/);
  assert.deepEqual(m.dataStatements, [
    { sql: "UPDATE public.t SET kind = 'b'\n  WHERE kind = 'a'", line: first },
    { sql: "DELETE FROM public.t", line: first + 3 },
  ]);
  const refused = await refusedAt(fillDataSection(text, ["DELETE FROM public.t;", "COMMIT;"]));
  assert.equal(refused.code, "data_section_refused");
  assert.equal(refused.line, lineOf(fillDataSection(text, ["DELETE FROM public.t;", "COMMIT;"]), /^COMMIT;$/));
});

Deno.test("the text of the closing marker appears on the closing line only", async () => {
  const text = await migration();
  const withMarker = text.split("\n").filter((l) => l.includes(DATA_CLOSE));
  assert.deepEqual(withMarker, [DATA_CLOSE]);
});

Deno.test("the header records the database planned on; apply reads it back", async () => {
  const text = await migration();
  assert.match(text, /^-- database: "app" \(cluster 7716038744554174586\)$/m);
  const m = await readMigration(text, "m.sql");
  assert.deepEqual(m.plannedOn.database, { name: "app", system: "7716038744554174586" });
  assert.deepEqual(readDatabaseLine('"we \\"quote\\"" (cluster 12)'), { name: 'we "quote"', system: "12" });
  assert.equal(readDatabaseLine("app"), undefined);
  // Files from before the line existed still read.
  const old = text.split("\n").filter((l) => !l.startsWith("-- database: ")).join("\n");
  assert.equal((await readMigration(old, "m.sql")).plannedOn.database, undefined);
});

Deno.test("row counts agree with their number: 1 row breaks, 2 rows break", () => {
  assert.equal(countedRows(1, "rows of public.t break the new CHECK c"), "1 row of public.t breaks the new CHECK c");
  assert.equal(countedRows(2, "rows of public.t break the new CHECK c"), "2 rows of public.t break the new CHECK c");
  assert.equal(
    countedRows(1, 'rows of public.t have a "code" longer than 10 characters'),
    'row of public.t has a "code" longer than 10 characters'.replace(/^/, "1 "),
  );
  assert.equal(
    countedRows(1, "rows of public.t collide (or are NULL) under the new primary key t_pkey"),
    "1 row of public.t collides (or is NULL) under the new primary key t_pkey",
  );
  assert.equal(
    countedRows(1, "rows of public.t need a value in the new NOT NULL column c"),
    "1 row of public.t needs a value in the new NOT NULL column c",
  );
  assert.equal(
    countedRows(1, "rows of public.t hold a label removed from public.e ('x') in c"),
    "1 row of public.t holds a label removed from public.e ('x') in c",
  );
  assert.equal(countedRows(0, "rows of public.t break the new CHECK c"), "0 rows of public.t break the new CHECK c");
});
