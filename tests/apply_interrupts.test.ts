/**
 * Ctrl-C / SIGTERM during apply, on the real server, with `apply` as its own process: the
 * statement running on the server is cancelled (not left to run on holding its ACCESS EXCLUSIVE
 * lock and the advisory lock), the transaction is rolled back, one true sentence says so, and
 * the process exits 130 / 143. Afterwards no session of apply is left, no lock is held in the
 * database, and its schema and rows are exactly what they were.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import postgres from "postgres";
import { cli, fillDataSection } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";
import { dbState } from "./support/db_state.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;
const MOD = new URL("../mod.ts", import.meta.url).pathname;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`[server] ${signal} during a long data section statement cancels it on the server, rolls back and exits ${code}`, async () => {
    const db = await serverDb();
    const dir = await Deno.makeTempDir({ prefix: "pgc_int_" });
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    let child: Deno.ChildProcess | undefined;
    try {
      equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
      await db.exec(`INSERT INTO public.usage_events (id, kind) VALUES (1, 'request'), (2, 'sandbox_seconds')`);
      const file = `${dir}/m.sql`;
      equal((await cli(["plan", "--schema", V2, "--db", db.url, "-o", file])).code, 0);
      await Deno.writeTextFile(
        file,
        fillDataSection(await Deno.readTextFile(file), [
          "UPDATE public.usage_events SET kind = 'llm_request' WHERE kind = 'request';",
          "SELECT pg_sleep(30);",
        ]),
      );
      const before = await dbState(db);
      child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MOD, "apply", file, "--db", db.url],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const output = child.output();

      // Wait until apply sleeps inside its transaction, holding the table and the advisory lock.
      let pid: number | undefined;
      for (let i = 0; i < 300 && pid === undefined; i++) {
        const rows = await admin`SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep(30)%'`;
        if (rows.length) pid = Number(rows[0].pid);
        else await sleep(100);
      }
      assert.ok(pid, "apply reached the data section's pg_sleep");
      const held = await admin`SELECT locktype, mode, relation::regclass::text AS rel FROM pg_locks
        WHERE pid = ${pid} AND granted AND (locktype = 'advisory' OR relation = 'public.usage_events'::regclass)
        ORDER BY locktype, mode`;
      const locks = held.map((l) => `${l.locktype} ${l.mode} ${l.rel ?? ""}`.trim());
      assert.ok(locks.includes("advisory ExclusiveLock"), locks.join(", "));
      assert.ok(locks.includes("relation AccessExclusiveLock usage_events"), locks.join(", "));

      const signalled = Date.now();
      child.kill(signal);
      const out = await output;
      const elapsed = Date.now() - signalled;
      const stderr = new TextDecoder().decode(out.stderr);
      equal(out.code, code, stderr);
      assert.ok(elapsed < 10_000, `exited ${elapsed} ms after ${signal}: the 30 s sleep was cancelled`);
      match(
        stderr,
        new RegExp(
          `error: Interrupted \\(${signal}\\): the running statement was cancelled on the server\\. Rolled back: ` +
            "the database is exactly as before\\. Apply's session holds no lock any more \\(its advisory lock included\\)\\.",
        ),
      );
      equal(new TextDecoder().decode(out.stdout), "");

      // The server agrees: the backend is gone, nothing holds a lock in this database.
      let left: unknown[] = [];
      for (let i = 0; i < 50; i++) {
        left = [
          ...await admin`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        ];
        if (left.length === 0) break;
        await sleep(100);
      }
      deepEqual(left, [], "no session of apply is left");
      deepEqual([
        ...await admin`SELECT locktype, mode, pid FROM pg_locks
          WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND pid <> pg_backend_pid()`,
      ], []);
      deepEqual(await dbState(db), before);
    } finally {
      try {
        child?.kill("SIGKILL");
      } catch {
        // already ended
      }
      await admin.end({ timeout: 1 });
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await db.drop();
    }
  });
}

Deno.test("[server] SIGINT while waiting for another apply's lock stops the wait at once: nothing applied, exit 130", async () => {
  const db = await serverDb();
  const dir = await Deno.makeTempDir({ prefix: "pgc_int_" });
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  const other = postgres(db.url, { max: 1, onnotice: () => {}, connection: { application_name: "other-apply" } });
  let child: Deno.ChildProcess | undefined;
  try {
    equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
    const file = `${dir}/m.sql`;
    equal((await cli(["plan", "--schema", V2, "--db", db.url, "-o", file])).code, 0);
    const [{ pid: holder }] = await other`SELECT pg_backend_pid() AS pid, pg_advisory_lock(hashtext('pgconverge'))`;
    const before = await dbState(db);
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "apply", file, "--db", db.url, "--lock-timeout", "60s"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    let waiting = false;
    for (let i = 0; i < 300 && !waiting; i++) {
      const rows = await admin`SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
        AND wait_event_type = 'Lock' AND query LIKE 'SELECT pg_advisory_xact_lock%'`;
      waiting = rows.length > 0;
      if (!waiting) await sleep(100);
    }
    assert.ok(waiting, "apply waits for the advisory lock");
    const signalled = Date.now();
    child.kill("SIGINT");
    const out = await output;
    const stderr = new TextDecoder().decode(out.stderr);
    equal(out.code, 130, stderr);
    assert.ok(Date.now() - signalled < 10_000, "the wait was cancelled, not sat out");
    match(
      stderr,
      new RegExp(`Another apply holds pgconverge's lock on this database: backend pid ${holder} \\("other-apply"`),
    );
    match(stderr, /error: Interrupted \(SIGINT\): before any statement ran: nothing of .*m\.sql was applied\./);
    deepEqual(await dbState(db), before);
  } finally {
    try {
      child?.kill("SIGKILL");
    } catch {
      // already ended
    }
    await other.end({ timeout: 1 });
    await admin.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await db.drop();
  }
});
