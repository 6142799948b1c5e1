/**
 * Waiting for locks, said plainly: who holds pgconverge's advisory lock when another apply runs,
 * and, when a statement gives up at `lock_timeout`, which table (or row) it waited for and which
 * backend held it, with that backend's query. The lock a statement waits for is sampled from a
 * second session while it runs (`pg_locks` + `pg_blocking_pids` + `pg_stat_activity`): once the
 * timeout fires the wait is over and the server no longer says what it was.
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { parseSql } from "../model/sql_parser.ts";

/** A session holding a lock someone waits for. */
export interface Holder {
  /** Backend process id. */
  pid: number;
  /** Its `application_name`. */
  application: string;
  /** `active`, `idle in transaction`, … */
  state: string;
  /** Its current (or last) query, shortened. */
  query: string;
  /** When its transaction (or, outside one, its session) began. */
  since: string;
  /** Seconds since then. */
  seconds: number;
}

const HOLDER_COLUMNS = `a.pid, coalesce(a.application_name, '') AS application, coalesce(a.state, '') AS state,
  left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 160) AS query,
  date_trunc('second', coalesce(a.xact_start, a.backend_start))::text AS since,
  coalesce(extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.backend_start))::int, 0) AS seconds`;

/** The advisory lock key every apply takes (transaction-level, per database). */
const APPLY_KEY = "hashtext('pgconverge')";

/** Who holds the apply lock in this database (pg_locks splits the bigint key into two oids). */
const APPLY_LOCK_HOLDERS = `SELECT ${HOLDER_COLUMNS}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.classid = ((${APPLY_KEY}::bigint >> 32) & 4294967295)::oid
   AND l.objid = (${APPLY_KEY}::bigint & 4294967295)::oid
   AND l.pid <> pg_backend_pid()
 ORDER BY a.pid`;

/** A relation's schema-qualified name, whatever the session's search_path. */
const RELATION_NAME = (oid: string) =>
  `(SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = ${oid})`;

/** What a backend waits for and who blocks it, while it waits. */
const WAITING_FOR = `SELECT w.locktype, w.mode, ${RELATION_NAME("w.relation")} AS relation, ${HOLDER_COLUMNS}
  FROM pg_locks w
 CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS b(pid)
  JOIN pg_stat_activity a ON a.pid = b.pid
 WHERE w.pid = $1 AND NOT w.granted
 ORDER BY a.pid`;

/** Sessions holding locks on the named relations (read when no wait was sampled). */
const RELATION_HOLDERS = `SELECT 'relation' AS locktype, l.mode, ${RELATION_NAME("l.relation")} AS relation,
       ${HOLDER_COLUMNS}
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'relation' AND l.granted AND l.pid <> $1
   AND l.relation IN (SELECT to_regclass(n) FROM unnest($2::text[]) AS n)
 ORDER BY a.pid`;

/** A backend, in words: `backend pid 4242 ("psql", idle in transaction since 2026-… (12 s): "LOCK …")`. */
export function describeHolder(h: Holder): string {
  const app = h.application ? `"${h.application}", ` : "";
  const query = h.query ? `: ${JSON.stringify(h.query)}` : "";
  return `backend pid ${h.pid} (${app}${h.state || "state unknown"} since ${h.since}, ${h.seconds} s${query})`;
}

function holderOf(row: Record<string, unknown>): Holder {
  return {
    pid: Number(row.pid),
    application: String(row.application ?? ""),
    state: String(row.state ?? ""),
    query: String(row.query ?? ""),
    since: String(row.since ?? ""),
    seconds: Number(row.seconds ?? 0),
  };
}

/**
 * Take the transaction-level advisory lock every apply takes. When another apply holds it, say
 * who (through `notice`) before waiting, up to the transaction's `lock_timeout`.
 */
export async function takeApplyLock(db: Queryable, lockTimeout: string, notice: (s: string) => void): Promise<void> {
  const [got] = await db.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${APPLY_KEY}) AS ok`);
  if (got.ok) return;
  const holders = (await db.query(APPLY_LOCK_HOLDERS)).map(holderOf);
  const who = holders.length ? holders.map(describeHolder).join("; ") : "a session that has just ended";
  notice(`Another apply holds pgconverge's lock on this database: ${who}. Waiting for it (up to ${lockTimeout}).`);
  try {
    await db.query(`SELECT pg_advisory_xact_lock(${APPLY_KEY})`);
  } catch (e) {
    if (e instanceof PgcError && e.code === "lock_timeout") {
      throw new PgcError(
        "lock_timeout",
        `Gave up after ${lockTimeout}: another apply still holds pgconverge's lock on this database (${who}).`,
        { hint: "Wait for it to finish, then apply again (or raise --lock-timeout)." },
      );
    }
    throw e;
  }
}

/** What a statement was found waiting for. */
export interface Wait {
  /** Table name, or the kind of lock (`transactionid`: a row another transaction changed). */
  what: string;
  /** Lock mode requested or held. */
  mode: string;
  /** Who blocked it. */
  holders: Holder[];
}

function waitOf(rows: Record<string, unknown>[]): Wait | undefined {
  if (rows.length === 0) return undefined;
  const r = rows[0];
  const what = r.relation
    ? String(r.relation)
    : r.locktype === "transactionid" || r.locktype === "tuple"
    ? "a row another transaction changed"
    : `a ${String(r.locktype)} lock`;
  return { what, mode: String(r.mode), holders: rows.map(holderOf) };
}

/** The relations a statement names (schema-qualified when written so), read by PostgreSQL's parser. */
export function relationsOf(sql: string): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === "RangeVar" || k === "relation") {
        const r = child as { relname?: string; schemaname?: string };
        if (typeof r?.relname === "string") {
          out.add(r.schemaname ? qualify(r.schemaname, r.relname) : quoteIdent(r.relname));
        }
      }
      walk(child);
    }
  };
  try {
    walk(parseSql(sql));
  } catch {
    // a statement the parser cannot read names nothing we can look up
  }
  return [...out];
}

/**
 * Samples, from a second session, what apply's session is waiting for while a statement runs,
 * so a lock timeout can be explained after the fact.
 */
export class LockWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: Wait | undefined;
  private running = 0;

  /** `monitor`: a second session to the same database; `pid`: apply's backend. */
  constructor(private readonly monitor: Queryable, private readonly pid: number) {}

  /** Start sampling for a new statement (forgets the previous statement's wait). */
  start(): void {
    this.stop();
    this.last = undefined;
    const run = ++this.running;
    const tick = async () => {
      try {
        const w = waitOf(await this.monitor.query(WAITING_FOR, [this.pid]));
        if (run === this.running && w) this.last = w;
      } catch {
        // the monitor session is best effort: a failed sample only leaves the explanation shorter
      }
      if (run === this.running) this.timer = setTimeout(tick, 200);
    };
    this.timer = setTimeout(tick, 100);
  }

  /** Stop sampling. */
  stop(): void {
    this.running++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Why the statement `sql` timed out: the wait sampled while it ran, else the sessions holding
   * locks on the relations it names, read now.
   */
  async explain(sql: string): Promise<string> {
    this.stop();
    let w = this.last;
    if (!w) {
      try {
        w = waitOf(await this.monitor.query(RELATION_HOLDERS, [this.pid, relationsOf(sql)]));
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
      }
    }
    if (!w) return "pgconverge could not see which lock it waited for (the holder may have finished since)";
    return `it waited for a lock on ${w.what} (${w.mode}), held by ${w.holders.map(describeHolder).join("; ")}`;
  }
}
