/**
 * Judge one conformance case, the same way for every case: load current.sql into database A and
 * desired.sql into database B on the real server; plan A → desired.sql through the library API,
 * apply the plan to A. The case passes when `pg_dump --schema-only` of A and B, read as
 * statements (dump.ts), are equal and planning again is empty: a judge independent of
 * pgconverge's own reading, so what pgconverge does not read can still fail. The old judge
 * (A's canonical snapshot equals B's, and planning again is empty) is kept beside it for comparison.
 * @module
 */
import postgres from "postgres";
import { applyMigration } from "../../src/apply/apply.ts";
import { runPreflight } from "../../src/apply/preflight.ts";
import { openDatabase } from "../../src/db/open.ts";
import type { Queryable } from "../../src/db/queryable.ts";
import { fingerprint } from "../../src/model/fingerprint.ts";
import { PgcError } from "../../src/model/errors.ts";
import { quoteIdent } from "../../src/model/quote.ts";
import { definitionOf } from "../../src/model/definition.ts";
import { ensureSqlParser } from "../../src/model/sql_parser.ts";
import { restrictToSchemas, type Snapshot } from "../../src/model/snapshot.ts";
import { readMigration } from "../../src/migration/read.ts";
import { writeMigration } from "../../src/migration/write.ts";
import { buildPlan, type Plan } from "../../src/plan/plan.ts";
import type { Shadow } from "../../src/shadow/shadow.ts";
import { liveSnapshot, parseSource, resolvePair } from "../../src/source/source.ts";
import { type Case, caseRoles } from "./cases.ts";
import { compareDumps, dumpStatements } from "./dump.ts";

/** Outcome of one case. */
export type Status = "pass" | "fail" | "does-not-load";

/** What happened to one case. */
export interface CaseResult {
  /** Case id (`<source>/<case>`). */
  id: string;
  /** Suite the case comes from. */
  source: string;
  /** pass, fail or does-not-load, by the strict judge (pg_dump equality and an empty second plan). */
  status: Status;
  /** Short category of a failure or load error, for the histogram. */
  cause?: string;
  /** The old judge: A's canonical snapshot equals B's and planning again is empty. */
  snapshotPass?: boolean;
  /** For a snapshot mismatch: the objects whose canonical definitions differ. */
  snapshotDiff?: string[];
  /** Statements a second plan still holds (empty when it is empty). */
  replan?: string[];
  /** The full message (and details) behind the cause. */
  detail?: string;
  /** Statements in the plan. */
  steps?: number;
  /** The planned statements (first plan), for triage. */
  plan?: string[];
  /** Objects of A or B that pgconverge lists as not managed (so not compared). */
  unmanaged?: string[];
  /** Whether the normalised `pg_dump --schema-only` of A and B are equal (undefined when not compared). */
  dumpEqual?: boolean;
  /** How the dumps differ: one label per differing object (dump.ts `compareDumps`). */
  dumpCauses?: string[];
  /** How the dumps differ: a short diff of the first differing statements. */
  dumpDiff?: string[];
  /** Wall time in milliseconds. */
  ms: number;
}

/** What judging needs: the shared shadow and the server to make databases on. */
export interface JudgeEnv {
  /** The one shadow of the run. */
  shadow: Shadow;
  /** Admin URL of the server (its database is used only to create and drop others). */
  adminUrl: string;
  /** Per-case time limit in milliseconds. */
  timeoutMs: number;
  /** Roles already created in the shadow during this run. */
  shadowRoles: Set<string>;
}

/** Admin URL of the test server, as tests/support/db.ts has it. */
export const ADMIN_URL: string = Deno.env.get("PGCONVERGE_TEST_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** A failure inside one stage of judging, carrying the stage for the cause. */
class StageError extends Error {
  constructor(readonly stage: string, readonly error: unknown) {
    super(stage);
  }
}

async function stage<T>(name: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw e instanceof StageError ? e : new StageError(name, e);
  }
}

/** The first words of a message, with the case-specific parts (names, paths, numbers) blanked. */
export function shortMessage(message: string, words = 8): string {
  const generic = message
    .replace(/^\S*\.sql(:\d+:\d+)?: /, "")
    .replace(/^PostgreSQL rejected (the schema|this): /, "rejected: ")
    .replace(/^Statement \d+ \([^)]*\) failed: /, "")
    .replace(/ \(and \d+ more\)/, "")
    .replace(/"(?:[^"]|"")*"/g, "…")
    .replace(/\(\w+:[^)\s]*\)/g, "(…)")
    .replace(/\b[\w$]+(\.[\w$]+)+\b/g, "…")
    .replace(/\b\d+\b/g, "N")
    .replace(/(?<=\s|^)[^\s…]*(_|\d)[^\s…]*/g, "…")
    .replace(/…(\s…)+/g, "…")
    .replace(/\s+/g, " ")
    .trim();
  const parts = generic.split(" ");
  return parts.slice(0, words).join(" ") + (parts.length > words ? " …" : "");
}

function describeError(e: unknown): { cause: string; detail: string } {
  if (e instanceof PgcError) {
    const detail = [e.message, ...e.details.map((d) => `  ${d}`)].join("\n");
    return { cause: `${e.code}: ${shortMessage(e.message)}`, detail };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { cause: `crash: ${err.name}: ${shortMessage(err.message, 5)}`, detail: err.stack ?? err.message };
}

function serverUrl(admin: string, db: string): string {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withAdmin<T>(admin: string, f: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(admin, {
    max: 1,
    onnotice: () => {},
    connection: { application_name: "pgconverge-conformance" },
  });
  try {
    return await f(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A fresh empty database on the server (for a server shadow), with a way to drop it. */
export async function scratchDatabase(admin: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pgc_conf_shadow_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await withAdmin(admin, (sql) => sql.unsafe(`CREATE DATABASE ${quoteIdent(name)}`));
  return {
    url: serverUrl(admin, name),
    drop: () =>
      withAdmin(admin, async (sql) => {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }),
  };
}

function isDuplicate(e: unknown): boolean {
  return (e as { code?: string })?.code === "42710" || /already exists/.test(String((e as Error)?.message));
}

/** Create the case's roles on the server and in the shadow (PGlite keeps roles across resets). */
async function createRoles(c: Case, env: JudgeEnv): Promise<void> {
  const roles = await caseRoles(c);
  if (roles.length === 0) return;
  await withAdmin(env.adminUrl, async (sql) => {
    for (const r of roles) {
      await sql.unsafe(`CREATE ROLE ${quoteIdent(r)}`).catch((e) => {
        if (!isDuplicate(e)) throw e;
      });
    }
  });
  const missing = roles.filter((r) => !env.shadowRoles.has(r));
  if (missing.length === 0) return;
  await env.shadow.canonicalize(async (db) => {
    for (const r of missing) {
      await db.exec(`CREATE ROLE ${quoteIdent(r)}`).catch((e) => {
        if (!isDuplicate(e)) throw e;
      });
    }
  }, []);
  for (const r of missing) env.shadowRoles.add(r);
}

/** Run a whole SQL file in one simple-protocol round trip (as psql -1 with ON_ERROR_STOP would). */
async function loadSql(url: string, text: string): Promise<void> {
  if (text.trim() === "") return;
  const db = await openDatabase(url);
  try {
    await db.exec(text);
  } finally {
    await db.close();
  }
}

/** Plan A → desired.sql with the library API, exactly as the CLI's `migrate` does. */
async function planOnce(urlA: string, desired: string, shadow: Shadow): Promise<{ plan: Plan; fromDb: Queryable }> {
  const pair = await resolvePair(parseSource(urlA), parseSource(desired), shadow);
  try {
    const plan = await buildPlan(pair.from, pair.to);
    await runPreflight(pair.fromDb!, plan.steps);
    return { plan, fromDb: pair.fromDb! };
  } catch (e) {
    for (const db of pair.opened) await db.close().catch(() => {});
    throw e;
  }
}

async function snapshotOf(url: string, shadow: Shadow): Promise<Snapshot> {
  const db = await openDatabase(url);
  try {
    return await liveSnapshot(db, shadow);
  } finally {
    await db.close();
  }
}

/** Ids whose definitions differ between two snapshots, for the failure detail. */
function differingIds(a: Snapshot, b: Snapshot): string[] {
  const ids = new Set([...a.objects.keys(), ...b.objects.keys()]);
  const out: string[] = [];
  for (const id of [...ids].sort()) {
    const x = a.objects.get(id), y = b.objects.get(id);
    if (!x) out.push(`${id}: missing after apply`);
    else if (!y) out.push(`${id}: left over after apply`);
    else if (definitionOf(x) !== definitionOf(y)) out.push(`${id}: ${definitionOf(x)}  ≠  ${definitionOf(y)}`);
  }
  return out;
}

/** `pg_dump --schema-only` of a database, read as its statements (dump.ts). */
async function dumpOf(url: string): Promise<string[]> {
  const out = await new Deno.Command("pg_dump", {
    args: ["--schema-only", "-d", url],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new Error(`pg_dump failed: ${why}`);
  }
  return dumpStatements(new TextDecoder().decode(out.stdout));
}

async function judgeIn(c: Case, env: JudgeEnv, urlA: string, urlB: string, result: CaseResult): Promise<void> {
  const current = await Deno.readTextFile(`${c.dir}/current.sql`);
  const desiredPath = `${c.dir}/desired.sql`;
  const desired = await Deno.readTextFile(desiredPath);
  try {
    await loadSql(urlA, current);
  } catch (e) {
    const d = describeError(e);
    Object.assign(result, { status: "does-not-load", cause: `current.sql: ${d.cause}`, detail: d.detail });
    return;
  }
  try {
    await loadSql(urlB, desired);
  } catch (e) {
    const d = describeError(e);
    Object.assign(result, { status: "does-not-load", cause: `desired.sql: ${d.cause}`, detail: d.detail });
    return;
  }
  try {
    const { plan, fromDb } = await stage("plan", () => planOnce(urlA, desiredPath, env.shadow));
    result.steps = plan.steps.length;
    result.plan = plan.steps.map((s) => s.sql);
    try {
      if (plan.steps.length > 0) {
        const text = await stage("write", () => writeMigration(plan, { allowDestructive: true }));
        const m = await stage("read", () => readMigration(text, `${c.id}.migration.sql`));
        await stage(
          "apply",
          () => applyMigration(fromDb, m, { shadow: env.shadow, lockTimeout: "10s", file: "the migration" }),
        );
      }
    } finally {
      await fromDb.close();
    }
    let snapshotEqual = false;
    try {
      const [a, b] = [await snapshotOf(urlA, env.shadow), await snapshotOf(urlB, env.shadow)];
      const scope = [...new Set([...plan.schemas, ...b.schemas])].sort();
      const ra = restrictToSchemas(a, scope), rb = restrictToSchemas(b, scope);
      result.unmanaged = [...new Set([...a.unmanaged ?? [], ...b.unmanaged ?? []])].sort();
      snapshotEqual = await fingerprint(ra) === await fingerprint(rb);
      if (!snapshotEqual) result.snapshotDiff = differingIds(ra, rb).slice(0, 20);
    } catch (e) {
      result.snapshotDiff = [`reading the snapshots failed: ${describeError(e).detail.split("\n")[0]}`];
    }
    const again = await stage("replan", () => planOnce(urlA, desiredPath, env.shadow));
    await again.fromDb.close();
    result.replan = again.plan.steps.map((s) => `${s.op} ${s.id}: ${s.sql}`);
    result.snapshotPass = snapshotEqual && result.replan.length === 0;
    const [da, db] = await stage("dump", async () => [await dumpOf(urlA), await dumpOf(urlB)]);
    const diff = compareDumps(da, db);
    result.dumpEqual = diff === undefined;
    if (diff) {
      const more = diff.causes.length > 1 ? ` (+${diff.causes.length - 1} more)` : "";
      Object.assign(result, {
        status: "fail",
        cause: `dump differs: ${diff.causes[0]}${more}`,
        dumpCauses: diff.causes,
        dumpDiff: diff.lines,
        detail: diff.lines.join("\n"),
      });
      return;
    }
    if (result.replan.length > 0) {
      Object.assign(result, { status: "fail", cause: "replan not empty", detail: result.replan.join("\n") });
      return;
    }
    result.status = "pass";
  } catch (e) {
    const s = e instanceof StageError ? e : new StageError("plan", e);
    const d = describeError(s.error);
    Object.assign(result, { status: "fail", cause: `${s.stage}: ${d.cause}`, detail: d.detail });
  }
}

/**
 * Judge one case. Databases are created fresh and dropped afterwards. When the time limit
 * passes, the databases are dropped (ending the case's sessions) and the case fails as `timeout`;
 * if the case still does not finish, the shadow may be busy and the run cannot go on safely.
 */
export async function judgeCase(c: Case, env: JudgeEnv): Promise<CaseResult> {
  const started = performance.now();
  const result: CaseResult = { id: c.id, source: c.source, status: "fail", ms: 0 };
  const tag = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const names = [`pgc_conf_${tag}_a`, `pgc_conf_${tag}_b`];
  const drop = () =>
    withAdmin(env.adminUrl, async (sql) => {
      for (const n of names) await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdent(n)} WITH (FORCE)`);
    });
  try {
    await ensureSqlParser();
    await createRoles(c, env);
    await withAdmin(env.adminUrl, async (sql) => {
      for (const n of names) await sql.unsafe(`CREATE DATABASE ${quoteIdent(n)}`);
    });
    const work = judgeIn(c, env, serverUrl(env.adminUrl, names[0]), serverUrl(env.adminUrl, names[1]), result);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), env.timeoutMs));
    const first = await Promise.race([work.then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (first === "timeout") {
      await drop();
      const settled = await Promise.race([
        work.then(() => true, () => true),
        new Promise<false>((r) => timer = setTimeout(() => r(false), 30_000)),
      ]);
      clearTimeout(timer);
      if (!settled) throw new Error(`${c.id} still running 30 s after its timeout; the shadow may be busy.`);
      Object.assign(result, {
        status: "fail",
        cause: "timeout",
        detail: `over ${env.timeoutMs} ms`,
        snapshotPass: false,
      });
      delete result.dumpEqual;
    }
  } catch (e) {
    if (e instanceof Error && /still running/.test(e.message)) throw e;
    const d = describeError(e);
    Object.assign(result, { status: "fail", cause: `setup: ${d.cause}`, detail: d.detail });
  } finally {
    await drop();
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}
