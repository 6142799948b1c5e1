/**
 * Issue 2's central case, end to end through the CLI on both engines: a CHECK whose allowed list
 * changed while live rows still hold the old values. The plan must show it, the unchanged
 * migration must fail and leave the database untouched, and a migration with a data fix must
 * converge so that planning again finds nothing.
 */
import assert, { deepEqual, match } from "node:assert/strict";
import { cli, fillDataSection } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";

const V1 = new URL("./fixtures/outage/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/outage/v2.yaml", import.meta.url).pathname;

const OLD_CHECK =
  "CHECK ((kind = ANY (ARRAY['request'::text, 'input_tokens'::text, 'output_tokens'::text, 'sandbox_seconds'::text])))";
const NEW_CHECK =
  "CHECK ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text, 'llm_output_tokens'::text, 'machine_seconds'::text])))";

/** Two 'request' rows so the count differs from the number of distinct kinds. */
const INSERT_ROWS = `INSERT INTO public.usage_events (kind) VALUES
  ('request'), ('request'), ('input_tokens'), ('output_tokens'), ('sandbox_seconds')`;
const ROW_COUNT = 5;

const DATA_FIX = [
  "UPDATE public.usage_events SET kind = 'llm_' || kind WHERE kind IN ('request', 'input_tokens', 'output_tokens');",
  "UPDATE public.usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds';",
];

/** The CHECK constraints of usage_events as PostgreSQL prints them. */
function checks(db: TestDb): Promise<Array<{ conname: string; def: string }>> {
  return db.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'public.usage_events'::regclass AND contype = 'c' ORDER BY conname`,
  );
}

/** Every row with its physical identity: an UPDATE that committed, even to the same value, changes ctid/xmin. */
function rowDump(db: TestDb): Promise<Array<Record<string, unknown>>> {
  return db.query(
    `SELECT id::text AS id, kind, ctid::text AS ctid, xmin::text AS xmin FROM public.usage_events ORDER BY id`,
  );
}

/** Index of the only line matching `re`. */
function onlyLine(lines: string[], re: RegExp): number {
  const hits = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  deepEqual(hits.length, 1, `exactly one line matches ${re}`);
  return hits[0];
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a changed CHECK list with live rows: plan warns, apply refuses, a data fix converges`, async () => {
    const db = await make();
    const dir = await Deno.makeTempDir({ prefix: "pgc_outage_" });
    try {
      const file = `${dir}/migration.sql`;

      // v1, as the database was before the rename of the kinds.
      const created = await cli(["migrate", "--schema", V1, "--db", db.url]);
      deepEqual(created.code, 0, created.stderr);
      await db.exec(INSERT_ROWS);
      deepEqual(await checks(db), [{ conname: "usage_events_kind_check", def: OLD_CHECK }]);
      const before = await rowDump(db);
      deepEqual(before.length, ROW_COUNT);

      // plan v2: drop, data section, add; was/now on each; the violating rows counted.
      const planned = await cli(["plan", "--schema", V2, "--db", db.url, "-o", file]);
      deepEqual(planned.code, 0, planned.stderr);
      const text = await Deno.readTextFile(file);
      const lines = text.split("\n");
      const drop = onlyLine(lines, /^ALTER TABLE \S*usage_events DROP CONSTRAINT usage_events_kind_check;$/);
      const dataOpen = onlyLine(lines, /^-- \[data\]/);
      const dataClose = onlyLine(lines, /^-- \[\/data\]$/);
      const add = onlyLine(lines, /^ALTER TABLE \S*usage_events ADD CONSTRAINT usage_events_kind_check CHECK /);
      assert(
        drop < dataOpen && dataOpen < dataClose && dataClose < add,
        `drop, [data], [/data], add in order:\n${text}`,
      );
      assert(lines[add].includes(NEW_CHECK), lines[add]);
      assert(!lines.some((l) => /CASCADE/i.test(l) && !l.startsWith("--")), "the drop does not cascade");

      const units = lines.flatMap((l, i) => (/^-- \[\d+\/\d+\] /.test(l) ? [i] : []));
      deepEqual(units.length, 2, "one drop and one add: nothing else differs between v1 and v2");
      for (const start of units) {
        const end = lines.indexOf("", start);
        const block = lines.slice(start, end);
        assert(block.some((l) => /^-- reason: \S/.test(l)), `a reason for:\n${block.join("\n")}`);
        assert(block.includes(`-- was: ${OLD_CHECK}`), `was shows the live CHECK:\n${block.join("\n")}`);
        assert(block.includes(`-- now: ${NEW_CHECK}`), `now shows the desired CHECK:\n${block.join("\n")}`);
      }
      const count = new RegExp(`\\b${ROW_COUNT} rows?\\b`);
      const dataComments = lines.slice(dataOpen + 1, dataClose).filter((l) => l.startsWith("--"));
      assert(dataComments.some((l) => count.test(l)), `the data section says ${ROW_COUNT} rows:\n${dataComments}`);
      match(planned.stderr, count);
      assert(
        planned.stderr.split("\n").some((l) => count.test(l) && l.includes("usage_events")),
        `stderr warns about ${ROW_COUNT} rows of usage_events:\n${planned.stderr}`,
      );

      // apply it unchanged: refused by PostgreSQL, rolled back, nothing touched.
      const refused = await cli(["apply", file, "--db", db.url]);
      deepEqual(refused.code, 1, refused.stdout + refused.stderr);
      match(refused.stderr, /usage_events_kind_check/);
      match(refused.stderr, count);
      match(refused.stderr, /data section/);
      deepEqual(await checks(db), [{ conname: "usage_events_kind_check", def: OLD_CHECK }]);
      deepEqual(await rowDump(db), before);

      // the same file with the data fix converges.
      await Deno.writeTextFile(file, fillDataSection(text, DATA_FIX));
      const applied = await cli(["apply", file, "--db", db.url]);
      deepEqual(applied.code, 0, applied.stdout + applied.stderr);
      deepEqual(await checks(db), [{ conname: "usage_events_kind_check", def: NEW_CHECK }]);
      const after = await rowDump(db);
      deepEqual(after.map((r) => r.id), before.map((r) => r.id), "no row added or removed");
      deepEqual(
        after.map((r) => r.kind).sort(),
        ["llm_input_tokens", "llm_output_tokens", "llm_request", "llm_request", "machine_seconds"],
      );

      const drift = await cli(["drift", "--schema", V2, "--db", db.url]);
      deepEqual(drift.code, 0, drift.stdout + drift.stderr);
      const again = await cli(["plan", "--schema", V2, "--db", db.url, "--exit-code"]);
      deepEqual(again.code, 0, again.stdout + again.stderr);
      match(again.stdout, /^-- statements: 0$/m);
      const json = await cli(["plan", "--schema", V2, "--db", db.url, "--format", "json"]);
      deepEqual(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout);
      deepEqual(parsed.changes, 0);
      deepEqual(parsed.steps, []);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await db.drop();
    }
  });
}
