/**
 * Apply a verified migration: lock, check the live schema is the one planned from, run the
 * statements (data section in its slot), re-read the schema inside the same transaction and
 * COMMIT only if it equals the plan's target. Anything else rolls back. Exit 0 means converged.
 *
 * A migration with commit boundaries (`-- [commit]`, after new enum labels) runs in parts, one
 * transaction each, each verified against the fingerprint planned for its end before it commits.
 * A part that fails rolls back alone: the parts before it stay committed, and the message says
 * so. Applying the same file again recognises the fingerprint of the last committed boundary and
 * goes on from there.
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";
import { fingerprint, objectHash } from "../model/fingerprint.ts";
import { hasStatements, type Migration } from "../migration/read.ts";
import type { Shadow } from "../shadow/shadow.ts";
import type { UnitCount } from "../migration/format.ts";
import { liveSnapshot } from "../source/source.ts";

/** Options for {@link applyMigration}. */
export interface ApplyOptions {
  /** Shadow used to bring the live schema into canonical form when server versions differ. */
  shadow: Shadow;
  /** `lock_timeout` for every statement, e.g. `10s`. */
  lockTimeout: string;
  /** Path of the migration file, for messages. */
  file: string;
}

/** What apply did. */
export interface ApplyResult {
  /** `applied` (committed and converged) or `already` (the live schema already was the target). */
  outcome: "applied" | "already";
  /** Statements run, in order (the data section counts as one). */
  ran: string[];
  /** Fingerprint after. */
  fingerprint: string;
  /** 1-based part it went on from, when an earlier run had committed the parts before it. */
  resumedAt?: number;
  /** How many transactions (parts) the migration has; absent for `already`. */
  parts?: number;
}

/** A statement of the migration failed; turned into a PgcError once the transaction is rolled back. */
class StatementFailed {
  constructor(
    readonly sql: string,
    readonly what: string,
    readonly error: SqlError,
    readonly part: number,
    readonly count?: UnitCount,
  ) {}
}

/** Rows breaking the failed statement's rule, counted with the plan's own query on the rolled-back database. */
async function offendingRows(db: Queryable, e: StatementFailed): Promise<number | undefined> {
  // Only a data error (integrity class 23, or a value too long) is about rows; a lock timeout is not.
  const code = e.error.server.sqlstate ?? "";
  // 22P02: a value the new type does not have (a label removed from an enum).
  if (!e.count || !(code.startsWith("23") || code === "22001" || code === "22P02")) return undefined;
  try {
    const [row] = await db.query<{ n: unknown }>(e.count.sql);
    return Number(row.n);
  } catch {
    return undefined;
  }
}

/**
 * The transactions a migration runs in: statements `start` to `end` (exclusive) and the
 * fingerprint the schema must have before that part commits (the last part: the plan's target).
 */
interface Part {
  /** 0-based index. */
  index: number;
  /** First statement index. */
  start: number;
  /** Statement index after the last. */
  end: number;
  /** Fingerprint required before COMMIT. */
  fingerprint: string;
}

/** Split a migration at its commit boundaries. */
function partsOf(m: Migration): Part[] {
  const out: Part[] = [];
  let start = 0;
  for (const c of m.commits) {
    out.push({ index: out.length, start, end: c.after, fingerprint: c.fingerprint });
    start = c.after;
  }
  out.push({ index: out.length, start, end: m.units.length, fingerprint: m.header.to });
  return out;
}

/** Does the data section run in this part? (At a boundary it runs after the commit.) */
function dataIn(m: Migration, parts: Part[], p: Part): boolean {
  const last = p.index === parts.length - 1;
  return m.data !== undefined && hasStatements(m.data) && p.start <= m.dataBefore &&
    (m.dataBefore < p.end || last);
}

/** "statements 3-7 and the data section" */
function partWords(m: Migration, parts: Part[], p: Part): string {
  const span = p.end - p.start === 1
    ? `statement ${p.start + 1}`
    : p.end > p.start
    ? `statements ${p.start + 1}-${p.end}`
    : "";
  const data = dataIn(m, parts, p) ? "the data section" : "";
  return [span, data].filter(Boolean).join(" and ") || "no statements";
}

/** What a failure in part `p` leaves behind, for the message: nothing, or the parts before it. */
function leftBehind(m: Migration, parts: Part[], p: Part, file: string): string {
  if (p.index === 0) return "Rolled back: the database is exactly as before.";
  const before = p.index === 1
    ? `part 1 (${p.start === 1 ? "statement 1" : `statements 1-${p.start}`}) stays`
    : `parts 1-${p.index} (statements 1-${p.start}) stay`;
  return `Rolled back part ${p.index + 1} of ${parts.length} (${partWords(m, parts, p)}); ` +
    `${before} committed, so the database is between the planned ` +
    `states. Apply ${file} again once the cause is fixed: it checks the database is exactly at that point and ` +
    `goes on with part ${p.index + 1}. Or plan again: the new plan starts from the database as it is now.`;
}

/** Apply a parsed migration to a database. Throws PgcError on refusal or failure (rolled back). */
export async function applyMigration(db: Queryable, m: Migration, opts: ApplyOptions): Promise<ApplyResult> {
  const parts = partsOf(m);
  const ran: string[] = [];
  let next: number | undefined;
  let first: number | undefined;
  for (;;) {
    let r: PartResult;
    try {
      r = await inTransaction(db, m, opts, parts, next, ran);
    } catch (e) {
      if (!(e instanceof StatementFailed)) throw e;
      throw await failure(db, m, parts, opts, e);
    }
    if (r.kind === "already") return { outcome: "already", ran: [], fingerprint: r.fingerprint };
    first ??= r.index;
    if (r.index === parts.length - 1) {
      return {
        outcome: "applied",
        ran,
        fingerprint: r.fingerprint,
        ...(first > 0 ? { resumedAt: first + 1 } : {}),
        parts: parts.length,
      };
    }
    next = r.index + 1;
  }
}

/** The PgcError for a failed statement, once its transaction is rolled back. */
async function failure(db: Queryable, m: Migration, parts: Part[], opts: ApplyOptions, e: StatementFailed) {
  // The transaction is rolled back: counting now sees the original rows.
  const rowsBroken = await offendingRows(db, e);
  const details = [`statement: ${e.sql}`];
  if (e.error.server.detail) details.push(`detail: ${e.error.server.detail}`);
  const rows = rowsBroken === undefined ? "" : ` ${rowsBroken} ${e.count!.what}.`;
  const locks = e.error.server.sqlstate === "53200"
    ? `The migration (${m.units.length} statements) takes more locks than the server allows in one transaction, ` +
      "and pgconverge applies all or nothing. Raise max_locks_per_transaction (e.g. ALTER SYSTEM SET " +
      "max_locks_per_transaction = 512, then restart), or converge in steps (a schema.yaml with part of the tables first)."
    : undefined;
  const hint = rowsBroken
    ? `Fix those rows with UPDATE/DELETE statements in the data section of ${opts.file} (between "-- [data]" and "-- [/data]"), then apply again.`
    : locks ?? e.error.server.hint ?? `Fix the cause (or the data section of ${opts.file}), then apply again.`;
  return new PgcError(
    "db_error",
    `${e.what} failed: ${e.error.message}.${rows} ${leftBehind(m, parts, parts[e.part], opts.file)}`,
    { hint, details },
  );
}

/** What one transaction did: found the target already there, or ran and committed one part. */
type PartResult = { kind: "already"; fingerprint: string } | { kind: "ran"; index: number; fingerprint: string };

/**
 * Which part to run, judging by the live fingerprint: the first (live is where the plan started),
 * the one after a committed boundary (an earlier run stopped there), or none (already converged).
 */
function startingPart(m: Migration, parts: Part[], live: string): number | "already" | undefined {
  if (live === m.header.from) return 0;
  const work = (p: Part) => p.end > p.start || dataIn(m, parts, p);
  for (let k = parts.length - 2; k >= 0; k--) if (live === parts[k].fingerprint && work(parts[k + 1])) return k + 1;
  if (live === m.header.to) return "already";
  for (let k = parts.length - 2; k >= 0; k--) if (live === parts[k].fingerprint) return k + 1;
  return undefined;
}

async function inTransaction(
  db: Queryable,
  m: Migration,
  opts: ApplyOptions,
  parts: Part[],
  expected: number | undefined,
  ran: string[],
): Promise<PartResult> {
  await db.exec("BEGIN");
  let done = false;
  try {
    await db.query("SELECT set_config('lock_timeout', $1, true)", [opts.lockTimeout]);
    await db.query("SELECT pg_advisory_xact_lock(hashtext('pgconverge'))");
    const before = await fingerprint(await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages));
    let index: number;
    if (expected === undefined) {
      const start = startingPart(m, parts, before);
      if (start === "already") return { kind: "already", fingerprint: before };
      if (start === undefined) {
        throw new PgcError(
          "drift_since_plan",
          `The live schema changed since ${opts.file} was planned; nothing was applied.`,
          {
            hint: "Plan again against the database as it is now, review, and apply the new file.",
            details: [`planned from: ${m.header.from}`, `live now:     ${before}`],
          },
        );
      }
      index = start;
    } else {
      index = expected;
      if (before !== parts[index - 1].fingerprint) {
        throw new PgcError(
          "drift_since_plan",
          `The live schema changed while ${opts.file} was applied: the statements before number ${
            parts[index].start + 1
          } are committed, part ${index + 1} of ${parts.length} was not started.`,
          {
            hint: "Plan again against the database as it is now, review, and apply the new file.",
            details: [`expected: ${parts[index - 1].fingerprint}`, `live now: ${before}`],
          },
        );
      }
    }
    const part = parts[index];
    const run = async (sql: string, what: string, count?: UnitCount) => {
      try {
        await db.exec(sql);
      } catch (e) {
        if (e instanceof SqlError) throw new StatementFailed(sql, what, e, index, count);
        throw e;
      }
      ran.push(sql);
    };
    const data = dataIn(m, parts, part);
    for (let i = part.start; i <= part.end; i++) {
      if (data && i === m.dataBefore) await run(m.data!, "The data section");
      if (i === part.end) break;
      const u = m.units[i];
      await run(u.sql, `Statement ${u.n} (${u.id})`, u.count);
    }
    const after = await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages);
    const fp = await fingerprint(after);
    if (fp !== part.fingerprint) {
      const last = index === parts.length - 1;
      const details: string[] = [];
      for (const e of last ? m.expects : []) {
        const o = after.objects.get(e.id);
        const got = o ? await objectHash(o) : "absent";
        if (got !== e.hash) {
          details.push(
            `${e.id}: expected ${e.hash === "absent" ? "absent" : "the planned definition"}, found ${
              got === "absent" ? "nothing" : "another definition"
            }`,
          );
        }
      }
      if (!last) details.push(`expected after part ${index + 1}: ${part.fingerprint}`, `found: ${fp}`);
      else if (details.length === 0) {
        details.push("an object the plan did not touch changed (did the data section run DDL?)");
      }
      const what = index === 0
        ? "rolled back, nothing changed"
        : leftBehind(m, parts, part, opts.file).replace(/^R/, "r");
      throw new PgcError(
        "not_converged",
        `After running ${
          parts.length > 1 ? `part ${index + 1} of ${parts.length} of ` : ""
        }${opts.file} the schema is not the planned ${last ? "target" : "intermediate state"}; ${what}`,
        {
          hint: "Keep schema changes out of the data section, or plan again.",
          details,
        },
      );
    }
    await db.exec("COMMIT");
    done = true;
    return { kind: "ran", index, fingerprint: fp };
  } finally {
    if (!done) await db.exec("ROLLBACK").catch(() => {});
  }
}
