/**
 * What apply and plan refuse to do, through the CLI on the real server: edited, truncated or
 * foreign files, a live schema that moved since planning, unapproved destructive changes, and a
 * data section that sneaks in DDL. Every refusal must leave the database as it was.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import { cli, fillDataSection, tempFile } from "./support/cli.ts";
import { serverDb, type TestDb } from "./support/db.ts";

const V1 = new URL("./fixtures/outage/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/outage/v2.yaml", import.meta.url).pathname;

/** A fresh server database and a temporary directory, both removed afterwards. */
async function withDbAndDir(f: (db: TestDb, dir: string) => Promise<void>): Promise<void> {
  const db = await serverDb();
  const dir = await Deno.makeTempDir({ prefix: "pgc_safety_" });
  try {
    await f(db, dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await db.drop();
  }
}

/** True when the relation exists. */
async function exists(db: TestDb, relation: string): Promise<boolean> {
  const [row] = await db.query<{ r: string | null }>(`SELECT to_regclass($1)::text AS r`, [relation]);
  return row.r !== null;
}

/** Columns of a table with their types, in order. */
function columns(db: TestDb, table: string): Promise<Array<{ name: string; type: string }>> {
  return db.query(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
}

/** Definitions of every constraint of usage_events. */
function usageConstraints(db: TestDb): Promise<Array<{ conname: string; def: string }>> {
  return db.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'public.usage_events'::regclass ORDER BY conname`,
  );
}

/** Plan `schema` against the database into `file`; fails the test unless it exits 0. */
async function planTo(db: TestDb, schema: string, file: string, ...extra: string[]): Promise<string> {
  const r = await cli(["plan", "--schema", schema, "--db", db.url, "-o", file, ...extra]);
  equal(r.code, 0, r.stderr);
  return await Deno.readTextFile(file);
}

Deno.test("[server] apply refuses a migration whose generated statement was edited, and runs nothing", async () => {
  await withDbAndDir(async (db, dir) => {
    const file = `${dir}/m.sql`;
    const text = await planTo(db, V1, file);
    const line = text.split("\n").find((l) => l.startsWith("ALTER TABLE") && l.includes("'sandbox_seconds'::text"));
    assert(line, text);
    await Deno.writeTextFile(file, text.replace(line, line.replace("'sandbox_seconds'::text", "'anything'::text")));

    const r = await cli(["apply", file, "--db", db.url]);
    equal(r.code, 3, r.stdout + r.stderr);
    match(r.stderr, /checksum/i);
    equal(await exists(db, "public.usage_events"), false);
  });
});

Deno.test("[server] apply refuses a truncated migration file, and runs nothing", async () => {
  await withDbAndDir(async (db, dir) => {
    const file = `${dir}/m.sql`;
    const text = await planTo(db, V1, file);
    // Cut inside the statements, as an interrupted copy would: the CREATE TABLE survives whole.
    const cut = text.indexOf("-- [2/3]");
    assert(cut > 0 && text.slice(0, cut).includes("CREATE TABLE"), text);
    await Deno.writeTextFile(file, text.slice(0, cut + 10));

    const r = await cli(["apply", file, "--db", db.url]);
    equal(r.code, 3, r.stdout + r.stderr);
    match(r.stderr, /truncated|incomplete/i);
    equal(await exists(db, "public.usage_events"), false);
  });
});

Deno.test("[server] apply refuses a SQL file that is not a pgconverge migration", async () => {
  await withDbAndDir(async (db, dir) => {
    const file = `${dir}/handwritten.sql`;
    await Deno.writeTextFile(file, "CREATE TABLE handwritten (id int);\n");

    const r = await cli(["apply", file, "--db", db.url]);
    equal(r.code, 3, r.stdout + r.stderr);
    match(r.stderr, /not a pgconverge migration/i);
    equal(await exists(db, "public.handwritten"), false);
  });
});

Deno.test("[server] apply refuses when the live schema changed after planning, and changes nothing", async () => {
  await withDbAndDir(async (db, dir) => {
    equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
    await db.exec("INSERT INTO public.usage_events (kind) VALUES ('request'), ('sandbox_seconds')");
    const file = `${dir}/m.sql`;
    const text = await planTo(db, V2, file);
    await Deno.writeTextFile(
      file,
      fillDataSection(text, ["UPDATE public.usage_events SET kind = 'llm_request' WHERE kind = 'request';"]),
    );
    // Someone changes the live schema between review and apply.
    await db.exec("ALTER TABLE public.usage_events ADD COLUMN note text");
    const constraintsBefore = await usageConstraints(db);
    const rowsBefore = await db.query("SELECT id::text, kind, xmin::text FROM public.usage_events ORDER BY id");

    const r = await cli(["apply", file, "--db", db.url]);
    equal(r.code, 3, r.stdout + r.stderr);
    match(r.stderr, /changed since/i);
    deepEqual(await usageConstraints(db), constraintsBefore);
    deepEqual(await db.query("SELECT id::text, kind, xmin::text FROM public.usage_events ORDER BY id"), rowsBefore);
    deepEqual((await columns(db, "public.usage_events")).map((c) => c.name), ["id", "kind", "note"]);
  });
});

/** A schema with a table, a column and a wide varchar that later versions take away or narrow. */
function inventory(opts: { legacy: boolean; notes: boolean; codeLength: number }): string {
  const notes = `
  - name: notes
    columns:
      - { name: id, type: Int, isNullable: false }
    primaryKey: { columns: [id] }`;
  return `tables:${opts.notes ? notes : ""}
  - name: items
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: code, type: VarChar(${opts.codeLength}) }
${opts.legacy ? "      - { name: legacy, type: Text }\n" : ""}      - { name: note_id, type: Int }
    primaryKey: { columns: [id] }
${
    opts.notes
      ? "    foreignKeys:\n      - { columns: [note_id], referencedTable: notes, referencedColumns: [id] }\n"
      : ""
  }`;
}

Deno.test("[server] plan refuses destructive changes unless --allow-destructive, which the file records", async () => {
  await withDbAndDir(async (db, dir) => {
    const base = `${dir}/base.yaml`;
    await Deno.writeTextFile(base, inventory({ legacy: true, notes: true, codeLength: 50 }));
    const created = await cli(["migrate", "--schema", base, "--db", db.url]);
    equal(created.code, 0, created.stderr);
    await db.exec(`INSERT INTO public.notes VALUES (1);
      INSERT INTO public.items VALUES (1, 'short', 'old', 1), (2, 'tiny', NULL, NULL)`);
    const itemsBefore = await columns(db, "public.items");

    const variants = {
      "drops a column": inventory({ legacy: false, notes: true, codeLength: 50 }),
      "drops a table": inventory({ legacy: true, notes: false, codeLength: 50 }),
      "narrows varchar(50) to varchar(10)": inventory({ legacy: true, notes: true, codeLength: 10 }),
    };
    for (const [what, yaml] of Object.entries(variants)) {
      const schema = `${dir}/variant.yaml`;
      const out = `${dir}/refused.sql`;
      await Deno.writeTextFile(schema, yaml);
      const r = await cli(["plan", "--schema", schema, "--db", db.url, "-o", out]);
      equal(r.code, 3, `a plan that ${what} is refused:\n${r.stdout}${r.stderr}`);
      match(r.stderr, /--allow-destructive/);
      equal(await Deno.stat(out).then(() => true, () => false), false, `no migration file when the plan ${what}`);
    }
    deepEqual(await columns(db, "public.items"), itemsBefore, "planning never changes the database");
    equal(await exists(db, "public.notes"), true);

    // All three at once, allowed: recorded in the file, and apply needs no flag.
    const target = `${dir}/target.yaml`;
    await Deno.writeTextFile(target, inventory({ legacy: false, notes: false, codeLength: 10 }));
    const file = `${dir}/m.sql`;
    const text = await planTo(db, target, file, "--allow-destructive");
    match(text, /^-- allow-destructive: yes$/m);
    const statements = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("--"));
    assert(statements.some((l) => /DROP TABLE .*notes/.test(l)), text);
    assert(statements.some((l) => /DROP COLUMN .*legacy/.test(l)), text);
    assert(!statements.some((l) => /CASCADE/i.test(l)), `no statement cascades:\n${text}`);

    const applied = await cli(["apply", file, "--db", db.url]);
    equal(applied.code, 0, applied.stdout + applied.stderr);
    equal(await exists(db, "public.notes"), false);
    deepEqual(await columns(db, "public.items"), [
      { name: "id", type: "integer" },
      { name: "code", type: "character varying(10)" },
      { name: "note_id", type: "integer" },
    ]);
    deepEqual(await db.query("SELECT id, code, note_id FROM public.items ORDER BY id"), [
      { id: 1, code: "short", note_id: 1 },
      { id: 2, code: "tiny", note_id: null },
    ]);
    equal((await cli(["drift", "--schema", target, "--db", db.url])).code, 0);
  });
});

Deno.test("[server] applying the same migration twice: the second run has nothing to do", async () => {
  await withDbAndDir(async (db, dir) => {
    const file = `${dir}/m.sql`;
    await planTo(db, V1, file);
    const first = await cli(["apply", file, "--db", db.url]);
    equal(first.code, 0, first.stdout + first.stderr);
    const constraints = await usageConstraints(db);

    const second = await cli(["apply", file, "--db", db.url]);
    equal(second.code, 0, second.stdout + second.stderr);
    match(second.stdout, /nothing to do/i);
    deepEqual(await usageConstraints(db), constraints);
  });
});

Deno.test("[server] DDL in the data section is rolled back as not converged", async () => {
  await withDbAndDir(async (db, dir) => {
    const file = `${dir}/m.sql`;
    const text = await planTo(db, V1, file);
    await Deno.writeTextFile(file, fillDataSection(text, ["CREATE TABLE sneaky(x int);"]));

    const r = await cli(["apply", file, "--db", db.url]);
    equal(r.code, 1, r.stdout + r.stderr);
    match(r.stderr, /not the planned target/i);
    match(r.stderr, /rolled back/i);
    equal(await exists(db, "public.sneaky"), false);
    equal(await exists(db, "public.usage_events"), false, "the planned statements were rolled back too");
  });
});

Deno.test("[server] narrowing a varchar never truncates: plan counts the rows that do not fit, apply fails and rolls back", async () => {
  const db = await serverDb();
  try {
    const wide = await tempFile("wide.yaml", NARROW_SCHEMA.replace("LEN", "50"));
    const narrow = await tempFile("narrow.yaml", NARROW_SCHEMA.replace("LEN", "10"));
    assert.equal((await cli(["migrate", "--schema", wide, "--db", db.url])).code, 0);
    await db.exec("INSERT INTO items (id, code) VALUES (1, 'a_value_longer_than_ten'), (2, 'short')");
    const file = `${await Deno.makeTempDir()}/narrow.sql`;
    const planned = await cli(["plan", "--schema", narrow, "--db", db.url, "--allow-destructive", "-o", file]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stderr, /1 row of public\.items has a code longer than 10 characters/);
    assert.doesNotMatch(await Deno.readTextFile(file), /USING code::/);
    const applied = await cli(["apply", file, "--db", db.url]);
    assert.equal(applied.code, 1, applied.stdout);
    assert.match(applied.stderr, /1 rows of public\.items have a code longer than 10 characters\. Rolled back/);
    const rows = await db.query<{ code: string }>("SELECT code FROM items ORDER BY id");
    assert.deepEqual(rows.map((r) => r.code), ["a_value_longer_than_ten", "short"]);
  } finally {
    await db.drop();
  }
});

const NARROW_SCHEMA = `
tables:
  - name: items
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: code, type: VarChar(LEN) }
    primaryKey: { columns: [id] }
`;
