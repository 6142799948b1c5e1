/**
 * Waiting for locks, said plainly, on the real server: another apply holding pgconverge's
 * advisory lock is named (pid, application_name, since when) before apply waits for it; a
 * statement that gives up at --lock-timeout names the table (or row) it waited for, the backend
 * holding it and that backend's query. Each leaves the database exactly as it was.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import postgres from "postgres";
import { cli, fillDataSection } from "./support/cli.ts";
import { serverDb, type TestDb } from "./support/db.ts";
import { dbState } from "./support/db_state.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;

const FIX = [
  "UPDATE public.usage_events SET kind = 'llm_' || kind WHERE kind IN ('request', 'input_tokens', 'output_tokens');",
  "UPDATE public.usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds';",
];

/** A database at v1 with rows, and the v2 migration (with its data fix) in a file. */
async function setup(): Promise<{ db: TestDb; file: string; dir: string }> {
  const db = await serverDb();
  const dir = await Deno.makeTempDir({ prefix: "pgc_locks_" });
  equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
  await db.exec(`INSERT INTO public.usage_events (id, kind) VALUES (1, 'request'), (2, 'sandbox_seconds')`);
  const file = `${dir}/m.sql`;
  equal((await cli(["plan", "--schema", V2, "--db", db.url, "-o", file])).code, 0);
  await Deno.writeTextFile(file, fillDataSection(await Deno.readTextFile(file), FIX));
  return { db, file, dir };
}

/** A second client session, as another program would hold it. */
function session(db: TestDb, application: string) {
  return postgres(db.url, { max: 1, onnotice: () => {}, connection: { application_name: application } });
}

Deno.test("[server] another apply holds the lock: apply names it, waits, and gives up at the lock timeout with nothing applied", async () => {
  const { db, file, dir } = await setup();
  const other = session(db, "other-apply");
  try {
    const [{ pid }] = await other`SELECT pg_backend_pid() AS pid, pg_advisory_lock(hashtext('pgconverge'))`;
    const before = await dbState(db);
    const r = await cli(["apply", file, "--db", db.url, "--lock-timeout", "1s"]);
    equal(r.code, 1, r.stdout + r.stderr);
    match(
      r.stderr,
      new RegExp(
        `Another apply holds pgconverge's lock on this database: backend pid ${pid} \\("other-apply", idle since ` +
          `\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[^,]*, \\d+ s: "SELECT pg_backend_pid\\(\\) AS pid, ` +
          `pg_advisory_lock\\(hashtext\\('pgconverge'\\)\\)"\\)\\. Waiting for it \\(up to 1s\\)\\.`,
      ),
    );
    match(r.stderr, /error: Gave up after 1s: another apply still holds pgconverge's lock on this database/);
    match(r.stderr, /Nothing of .*m\.sql was applied\./);
    deepEqual(await dbState(db), before);
  } finally {
    await other.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true });
    await db.drop();
  }
});

Deno.test("[server] another apply holds the lock and lets go: apply says so, waits, then converges", async () => {
  const { db, file, dir } = await setup();
  const other = session(db, "other-apply");
  try {
    await other`SELECT pg_advisory_lock(hashtext('pgconverge'))`;
    const applying = cli(["apply", file, "--db", db.url, "--lock-timeout", "20s"]);
    await new Promise((ok) => setTimeout(ok, 1500));
    await other`SELECT pg_advisory_unlock(hashtext('pgconverge'))`;
    const r = await applying;
    equal(r.code, 0, r.stdout + r.stderr);
    match(r.stderr, /Another apply holds pgconverge's lock on this database: backend pid \d+ \("other-apply"/);
    match(r.stdout, /^Converged: 4 statements and 2 data section statements applied/);
  } finally {
    await other.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true });
    await db.drop();
  }
});

Deno.test("[server] a lock timeout names the table, the backend holding it and its query, and rolls back", async () => {
  const { db, file, dir } = await setup();
  const reporting = session(db, "reporting-job");
  try {
    const held = await reporting.reserve();
    await held`BEGIN`;
    const [{ pid }] = await held`SELECT pg_backend_pid() AS pid`;
    await held.unsafe("LOCK TABLE public.usage_events IN ACCESS SHARE MODE");
    const before = await dbState(db);
    const r = await cli(["apply", file, "--db", db.url, "--lock-timeout", "1s"]);
    equal(r.code, 1, r.stdout + r.stderr);
    match(
      r.stderr,
      new RegExp(
        "error: Statement 1 \\(constraint:public\\.usage_events\\.usage_events_kind_check\\) gave up waiting for a " +
          "lock after 1s: it waited for a lock on public\\.usage_events \\(AccessExclusiveLock\\), held by backend " +
          `pid ${pid} \\("reporting-job", idle in transaction since [^:]+:\\d\\d:\\d\\d[^,]*, \\d+ s: ` +
          '"LOCK TABLE public\\.usage_events IN ACCESS SHARE MODE"\\)\\. Rolled back: the database is exactly as before\\.',
      ),
    );
    await held`ROLLBACK`;
    held.release();
    deepEqual(await dbState(db), before);
  } finally {
    await reporting.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true });
    await db.drop();
  }
});

Deno.test("[server] a data section statement waiting on a row another transaction changed names that backend", async () => {
  const { db, dir } = await setup();
  const worker = session(db, "billing-worker");
  try {
    // A migration that leaves usage_events' table locks alone: a new table, and a data fix of one row.
    const schema = `${dir}/v1_notes.yaml`;
    await Deno.writeTextFile(
      schema,
      (await Deno.readTextFile(V1)) +
        "  - name: notes\n    columns:\n      - { name: id, type: Int, isNullable: false }\n",
    );
    const file = `${dir}/rows.sql`;
    equal((await cli(["plan", "--schema", schema, "--db", db.url, "-o", file])).code, 0);
    const fix = "UPDATE public.usage_events SET kind = 'output_tokens' WHERE id = 1;";
    await Deno.writeTextFile(file, fillDataSection(await Deno.readTextFile(file), [fix]));
    const held = await worker.reserve();
    const [{ pid }] = await held`SELECT pg_backend_pid() AS pid`;
    await held`BEGIN`;
    await held.unsafe("UPDATE public.usage_events SET kind = kind WHERE id = 1");
    const before = await dbState(db);
    const r = await cli(["apply", file, "--db", db.url, "--lock-timeout", "1s"]);
    equal(r.code, 1, r.stdout + r.stderr);
    const line = (await Deno.readTextFile(file)).split("\n").indexOf(fix) + 1;
    assert.ok(
      r.stderr.includes(
        `error: The data section's statement at ${file}:${line} gave up waiting for a lock after 1s: it waited for ` +
          `a lock on a row another transaction changed (ShareLock), held by backend pid ${pid} ("billing-worker", ` +
          "idle in transaction since ",
      ),
      r.stderr,
    );
    match(
      r.stderr,
      /"UPDATE public\.usage_events SET kind = kind WHERE id = 1"\)\. Rolled back: the database is exactly as before\./,
    );
    await held`ROLLBACK`;
    held.release();
    deepEqual(await dbState(db), before);
  } finally {
    await worker.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true });
    await db.drop();
  }
});
