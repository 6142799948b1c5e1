/**
 * Issue 10's reports, replayed through the CLI on both engines: a data section that tries to
 * control the transaction, and SQL written outside the generated blocks. Each is refused (exit
 * 3) with the file:line of the offending statement before anything runs, and the database's
 * schema (pg_dump on the server) and rows are exactly what they were. The same file with an
 * honest data section converges, so the refusals are about the statement, not the file.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import { cli, fillDataSection } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";
import { dbState } from "./support/db_state.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;

const ROWS = `INSERT INTO public.usage_events (id, kind) VALUES
  (1, 'request'), (2, 'request'), (3, 'input_tokens'), (4, 'output_tokens'), (5, 'sandbox_seconds')`;

const FIX = [
  "UPDATE public.usage_events SET kind = 'llm_' || kind WHERE kind IN ('request', 'input_tokens', 'output_tokens');",
  "UPDATE public.usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds';",
];

/** 1-based line of the first line of `text` equal to `line`. */
function lineOf(text: string, line: string): number {
  const i = text.split("\n").indexOf(line);
  assert.ok(i >= 0, `no line ${JSON.stringify(line)}`);
  return i + 1;
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] apply refuses a hostile migration file before running anything, and the database stays exactly as it was`, async (t) => {
    const db: TestDb = await make();
    const dir = await Deno.makeTempDir({ prefix: "pgc_hostile_" });
    try {
      equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
      await db.exec(ROWS);
      const planned = `${dir}/planned.sql`;
      const p = await cli(["plan", "--schema", V2, "--db", db.url, "-o", planned]);
      equal(p.code, 0, p.stderr);
      const text = await Deno.readTextFile(planned);
      const before = await dbState(db);
      deepEqual(before.rows, { "public.usage_events": 5 });

      /** Apply `edited` and require a refusal at `line` that leaves the database exactly as before. */
      const refused = async (name: string, edited: string, line: number, reason: RegExp) => {
        const file = `${dir}/${name}.sql`;
        await Deno.writeTextFile(file, edited);
        const r = await cli(["apply", file, "--db", db.url]);
        equal(r.code, 3, r.stdout + r.stderr);
        assert.ok(r.stderr.startsWith(`error: ${file}:${line}: `), `refused at ${file}:${line}:\n${r.stderr}`);
        match(r.stderr, reason);
        match(r.stderr, /nothing was run/);
        assert.doesNotMatch(r.stdout + r.stderr, /Converged|exactly as before/);
        deepEqual(await dbState(db), before, "schema, row counts and rows are what they were");
      };

      await t.step("DELETE …; COMMIT; in the data section, with a later CHECK that fails", async () => {
        const edited = fillDataSection(text, ["DELETE FROM public.usage_events WHERE kind = 'request';", "COMMIT;"]);
        await refused(
          "commit",
          edited,
          lineOf(edited, "COMMIT;"),
          /"COMMIT" is refused in the data section: it commits/,
        );
      });

      await t.step("SAVEPOINT … RELEASE …; COMMIT; BEGIN; in the data section", async () => {
        const edited = fillDataSection(text, [
          "SAVEPOINT fix;",
          ...FIX,
          "RELEASE fix; COMMIT; BEGIN;",
        ]);
        await refused("savepoint", edited, lineOf(edited, "SAVEPOINT fix;"), /"SAVEPOINT fix" is refused/);
      });

      await t.step("ROLLBACK; in the data section", async () => {
        const edited = fillDataSection(text, [...FIX, "  ROLLBACK;"]);
        await refused("rollback", edited, lineOf(edited, "  ROLLBACK;"), /it rolls back the transaction/);
      });

      await t.step("a DO block that commits, and a CALL", async () => {
        const edited = fillDataSection(text, [
          "DO $$",
          "BEGIN",
          "  DELETE FROM public.usage_events;",
          "  COMMIT;",
          "END $$;",
        ]);
        await refused("do", edited, lineOf(edited, "  COMMIT;"), /its DO block commits the transaction/);
        const call = fillDataSection(text, [...FIX, "CALL public.cleanup();"]);
        await refused("call", call, lineOf(call, "CALL public.cleanup();"), /calls a procedure/);
      });

      await t.step("a statement above the first generated block", async () => {
        const lines = text.split("\n");
        const first = lines.findIndex((l) => l.startsWith("-- [1/"));
        lines.splice(first, 0, "DELETE FROM public.usage_events WHERE id = 1;", "");
        const edited = fillDataSection(lines.join("\n"), FIX);
        const r = await cli(["apply", await writeFile(dir, "above.sql", edited), "--db", db.url]);
        equal(r.code, 3, r.stdout + r.stderr);
        match(r.stderr, new RegExp(`above\\.sql:${first + 1}: SQL outside the generated blocks`));
        assert.doesNotMatch(r.stdout, /Converged/);
        deepEqual(await dbState(db), before);
      });

      await t.step("a data section that does not parse", async () => {
        const edited = fillDataSection(text, [...FIX, "UPDAT public.usage_events SET note = 'x';"]);
        const r = await cli(["apply", await writeFile(dir, "garbled.sql", edited), "--db", db.url]);
        equal(r.code, 3, r.stdout + r.stderr);
        match(r.stderr, new RegExp(`garbled\\.sql:${lineOf(edited, "UPDAT public.usage_events SET note = 'x';")}: `));
        match(r.stderr, /syntax error at or near "UPDAT"/);
        deepEqual(await dbState(db), before);
      });

      await t.step("the same file with an honest data section converges", async () => {
        const r = await cli(["apply", await writeFile(dir, "honest.sql", fillDataSection(text, FIX)), "--db", db.url]);
        equal(r.code, 0, r.stdout + r.stderr);
        match(r.stdout, /^Converged: 4 statements and 2 data section statements applied from /);
        const after = await dbState(db);
        deepEqual(after.rows, before.rows);
        assert.notDeepEqual(after.schema, before.schema);
        equal((await cli(["drift", "--schema", V2, "--db", db.url])).code, 0);
      });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await db.drop();
    }
  });
}

async function writeFile(dir: string, name: string, text: string): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, text);
  return path;
}
