/**
 * Fault injection on the real server: `apply` runs as its own process and is killed with SIGKILL
 * (no handler, no cleanup) at 32 points spread over its whole timeline (two runs at a time) — before it connects,
 * while it reads the schema, inside its transaction between and during statements (the data
 * section sleeps between its statements), while it verifies and commits, and after it is done.
 * Every time, once the killed client's backends are gone, the database must be exactly as before
 * or exactly converged (pg_dump --schema-only, row counts and row digests), and no lock may be
 * held in it. Each run starts from a fresh copy of the same database (CREATE DATABASE … TEMPLATE).
 */
import assert, { deepEqual, equal } from "node:assert/strict";
import postgres from "postgres";
import { cli, fillDataSection } from "./support/cli.ts";
import { SERVER_URL, serverDb } from "./support/db.ts";
import { type DbState, dbState } from "./support/db_state.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;
const MOD = new URL("../mod.ts", import.meta.url).pathname;
const KILLS = 32;

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Several data statements with short sleeps between them, so kills land inside the transaction. */
const DATA = [
  "UPDATE public.usage_events SET kind = 'llm_request' WHERE kind = 'request';",
  "SELECT pg_sleep(0.15);",
  "UPDATE public.usage_events SET kind = 'llm_' || kind WHERE kind IN ('input_tokens', 'output_tokens');",
  "SELECT pg_sleep(0.15);",
  "INSERT INTO public.usage_events (id, kind, note) VALUES (100, 'machine_seconds', 'added by the data section');",
  "SELECT pg_sleep(0.15);",
  "UPDATE public.usage_events SET kind = 'machine_seconds', note = 'was sandbox' WHERE kind = 'sandbox_seconds';",
  "SELECT pg_sleep(0.15);",
  "DELETE FROM public.usage_events WHERE id = 5;",
];

function urlOf(name: string): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A test database handle for `dbState`. */
function handle(name: string) {
  return {
    url: urlOf(name),
    engine: "server" as const,
    exec: () => Promise.resolve(),
    query: () => Promise.resolve([]),
    drop: () => Promise.resolve(),
  };
}

Deno.test("[server] apply killed with SIGKILL at 32 points leaves the database exactly as before or converged, and no lock held", async () => {
  const started = Date.now();
  const base = await serverDb();
  const baseName = new URL(base.url).pathname.slice(1);
  const admin = postgres(SERVER_URL, { max: 2, onnotice: () => {} });
  const dir = await Deno.makeTempDir({ prefix: "pgc_fault_" });
  const copies: string[] = [];
  const copy = async (): Promise<string> => {
    const name = `${baseName}_k${copies.length}`;
    copies.push(name);
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${baseName}`);
    return name;
  };
  /** When apply's transaction in `name` first holds a transaction id (or the process ended first). */
  const transactionOpened = async (name: string, child: Deno.ChildProcess): Promise<number> => {
    let ended = false;
    child.status.then(() => (ended = true));
    while (!ended) {
      const rows = await admin`SELECT 1 FROM pg_stat_activity WHERE datname = ${name} AND backend_xid IS NOT NULL`;
      if (rows.length) return Date.now();
      await sleep(10);
    }
    return Date.now();
  };
  const spawn = (file: string, name: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MOD, "apply", file, "--db", urlOf(name)],
      stdout: "null",
      stderr: "null",
    }).spawn();
  try {
    equal((await cli(["migrate", "--schema", V1, "--db", base.url])).code, 0);
    await base.exec(`INSERT INTO public.usage_events (id, kind) VALUES
      (1, 'request'), (2, 'request'), (3, 'input_tokens'), (4, 'output_tokens'), (5, 'sandbox_seconds')`);
    const file = `${dir}/m.sql`;
    equal((await cli(["plan", "--schema", V2, "--db", base.url, "-o", file])).code, 0);
    await Deno.writeTextFile(file, fillDataSection(await Deno.readTextFile(file), DATA));
    const before = await dbState(base);

    // One run to the end: the converged state, and its timeline: how long until apply's transaction
    // holds a transaction id (it takes one right after the advisory lock), and how long from there.
    const full = await copy();
    const t0 = Date.now();
    const reference = spawn(file, full);
    const opened = await transactionOpened(full, reference);
    const status = await reference.status;
    const untilTransaction = opened - t0;
    const inTransaction = Date.now() - opened;
    equal(status.code, 0, "the migration converges when nothing interrupts it");
    const converged = await dbState(handle(full));
    assert.notDeepEqual(converged, before);
    await admin.unsafe(`DROP DATABASE ${full}`);

    const outcomes: Array<{ at: number; state: "before" | "converged" }> = [];
    const drops: Promise<void>[] = [];
    /** Kill a fresh copy's apply `at` ms after it starts (or after its transaction opened), and judge what it left. */
    const killAt = async ([at, fromTransaction]: [number, boolean]) => {
      const name = await copy();
      const child = spawn(file, name);
      if (fromTransaction) await transactionOpened(name, child);
      await sleep(at);
      try {
        child.kill("SIGKILL");
      } catch {
        // it had already finished
      }
      await child.status;

      // The killed client's backends end (client_connection_check_interval notices a dead client mid-statement).
      let backends = -1;
      for (let k = 0; k < 100 && backends !== 0; k++) {
        const [{ n }] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${name}`;
        backends = Number(n);
        if (backends) await sleep(50);
      }
      equal(backends, 0, `kill at ${at} ms: the backends of the killed apply end`);
      const locks = await admin`SELECT locktype, mode, pid FROM pg_locks
        WHERE database = (SELECT oid FROM pg_database WHERE datname = ${name})`;
      deepEqual([...locks], [], `kill at ${at} ms: no lock is held in the database`);

      const state = await dbState(handle(name));
      const same = (s: DbState) => JSON.stringify(s) === JSON.stringify(state);
      assert.ok(same(before) || same(converged), `kill at ${at} ms: the database is neither as before nor converged`);
      outcomes.push({ at: fromTransaction ? untilTransaction + at : at, state: same(before) ? "before" : "converged" });
      // Dropped while the next runs go on (each drop takes a while on a busy server).
      drops.push(admin.unsafe(`DROP DATABASE ${name}`).then(() => {}));
    };
    // A third of the kills from the start until the transaction opens (start-up, connecting, the
    // lock), the rest from the moment it opened to twice its length (reading the schema,
    // every statement, the re-read, COMMIT, closing): timed from what the server shows, so a slower
    // run on a busy machine still gets killed inside its transaction. Two at a time (different
    // databases: the advisory lock is per database).
    const early = Math.round(KILLS / 3);
    const points: Array<[number, boolean]> = [
      ...Array.from(
        { length: early },
        (_, i) => [Math.round(30 + (i * untilTransaction) / early), false] as [number, boolean],
      ),
      ...Array.from(
        { length: KILLS - early },
        (_, i) => [Math.round((i * inTransaction * 2) / (KILLS - early - 1)), true] as [number, boolean],
      ),
    ];
    for (let i = 0; i < points.length; i += 2) await Promise.all(points.slice(i, i + 2).map(killAt));
    await Promise.all(drops);
    const counts = { before: 0, converged: 0 };
    for (const o of outcomes) counts[o.state]++;
    console.log(
      `a whole apply took ${untilTransaction} ms to open its transaction and ${inTransaction} ms more; ${KILLS} kills: ${counts.before} left it as before, ${counts.converged} ` +
        `converged; last 'before' at ${
          Math.max(...outcomes.filter((o) => o.state === "before").map((o) => o.at))
        } ms; ` +
        `test ${Math.round((Date.now() - started) / 1000)} s`,
    );
    assert.ok(counts.before > 0 && counts.converged > 0, "the kills cover both sides of the commit");
  } finally {
    for (const name of copies) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end({ timeout: 1 });
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await base.drop();
  }
});
