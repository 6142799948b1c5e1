/**
 * What apply says when a part does not commit: the statement that failed (with the rows that
 * break its rule, the lock it waited for and who held it), a stop by signal, and — always last —
 * the state the database was left in, as far as the server confirmed it.
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";
import type { UnitCount } from "../migration/format.ts";
import { countedRows } from "../migration/format.ts";
import type { Migration } from "../migration/read.ts";
import type { Interrupts, StopSignal } from "./interrupts.ts";
import type { LockWatch } from "./lock_wait.ts";
import type { SequencePositions } from "./sequences.ts";
import { leftBehind, type Part, type Rolled } from "./parts.ts";

/** A statement of the migration failed; turned into a PgcError once the transaction is rolled back. */
export class StatementFailed {
  /** `error`: the server's error (a SqlError, or the `lock_timeout` PgcError). */
  constructor(
    readonly sql: string,
    readonly what: string,
    readonly error: PgcError,
    readonly part: number,
    readonly count?: UnitCount,
  ) {}
}

/** What ran in a transaction so far, read when it fails. */
export interface Failure {
  /** The statement running or last run, in words ("Statement 3 (…)"; empty between statements). */
  what: string;
  /** 0-based part. */
  part: number;
  /** Whether any statement of the migration was sent in this transaction. */
  started: boolean;
  /** Sequence positions read before the transaction began. */
  sequences?: SequencePositions;
  /** The running statement's row count query, if it has one. */
  count?: UnitCount;
}

/** What {@link failure} needs to know of the run. */
export interface FailureContext {
  /** Apply's session (its transaction already rolled back). */
  db: Queryable;
  /** The migration. */
  m: Migration;
  /** File name, lock timeout, whether the file is editable. */
  opts: { file: string; lockTimeout: string; editable?: boolean };
  /** Its parts. */
  parts: Part[];
  /** The stop signal's state. */
  interrupts: Interrupts;
  /** Lock wait samples, when a second session is open. */
  watch?: LockWatch;
  /** The second session, when open. */
  monitor?: Queryable;
  /** Apply's backend. */
  pid?: number;
}

/** The error for a stop by signal (exit 130 for SIGINT, 143 for SIGTERM). */
export function stopError(signal: StopSignal, sentence: string): PgcError {
  return new PgcError(signal === "SIGINT" ? "interrupted" : "terminated", `Interrupted (${signal}): ${sentence}`);
}

/** What a part that did not start leaves: nothing, or the parts before it committed. */
export function notStarted(ctx: FailureContext, part: number | undefined): string {
  if (part === undefined || part === 0) return `nothing of ${ctx.opts.file} was applied.`;
  return `part ${part + 1} of ${ctx.parts.length} was not started; the parts before it stay committed.`;
}

/** Rows breaking the failed statement's rule, counted with the plan's own query on the rolled-back database. */
async function offendingRows(db: Queryable, e: StatementFailed): Promise<number | undefined> {
  if (!(e.error instanceof SqlError)) return undefined;
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

/** Whether apply's session still holds locks after the rollback, read from the second session. */
async function lockSentence(ctx: FailureContext, r: Rolled): Promise<string> {
  if (!r.outcome.verified || !ctx.monitor || ctx.pid === undefined) return "";
  try {
    const [row] = await ctx.monitor.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND granted",
      [ctx.pid],
    );
    const n = Number(row.n);
    return n === 0
      ? " Apply's session holds no lock any more (its advisory lock included)."
      : ` Apply's session still holds ${n} lock${n === 1 ? "" : "s"} (one the data section took for the session?); ` +
        "they are released when its connection closes.";
  } catch {
    return "";
  }
}

/** The PgcError for a transaction that failed or was stopped, once it is rolled back (`rolled` says how surely). */
export async function failure(ctx: FailureContext, f: Failure, e: unknown, rolled: Rolled): Promise<unknown> {
  const { m, parts, opts } = ctx;
  const file = opts.editable === false ? undefined : opts.file;
  const state = leftBehind(m, parts, parts[f.part], file, rolled);
  const stop = ctx.interrupts.stopped;
  if (stop) {
    if (!f.started) return stopError(stop, `before any statement ran: ${notStarted(ctx, f.part)}`);
    const error = e instanceof StatementFailed ? e.error : e;
    const cancelled = ctx.interrupts.cancelled && error instanceof SqlError && error.server.sqlstate === "57014";
    const how = cancelled
      ? "the running statement was cancelled on the server."
      : "apply stopped before its next statement.";
    return stopError(stop, `${how} ${state}${await lockSentence(ctx, rolled)}`);
  }
  if (e instanceof StatementFailed) {
    if (e.error.code === "lock_timeout") {
      const why = ctx.watch
        ? await ctx.watch.explain(e.sql)
        : "no second session was open to see which lock it waited for";
      return new PgcError(
        "lock_timeout",
        `${e.what} gave up waiting for a lock after ${opts.lockTimeout}: ${why}. ${state}`,
        { hint: "Retry when that session is done, or raise --lock-timeout.", details: [`statement: ${e.sql}`] },
      );
    }
    const server = e.error instanceof SqlError ? e.error.server : {};
    // Counting on the rolled-back database sees the original rows, once the rollback is confirmed.
    const rowsBroken = rolled.outcome.verified ? await offendingRows(ctx.db, e) : undefined;
    const details = [`statement: ${e.sql}`];
    if (server.detail) details.push(`detail: ${server.detail}`);
    const rows = rowsBroken === undefined ? "" : ` ${countedRows(rowsBroken, e.count!.what)}.`;
    const locks = server.sqlstate === "53200"
      ? `The migration (${m.units.length} statements) takes more locks than the server allows in one transaction, ` +
        "and pgconverge applies all or nothing. Raise max_locks_per_transaction (e.g. ALTER SYSTEM SET " +
        "max_locks_per_transaction = 512, then restart), or converge in steps (a schema.yaml with part of the tables first)."
      : undefined;
    const fix = file
      ? `Fix those rows with UPDATE/DELETE statements in the data section of ${file} (between "-- [data]" and ` +
        `"-- [/data]"), then apply again.`
      : "Fix those rows first (UPDATE/DELETE), or write the fix where it runs in the same transaction: " +
        "plan to a file (pgconverge plan … -o FILE), put it in the file's data section, and apply that file.";
    const hint = rowsBroken ? fix : locks ?? server.hint ??
      (file ? `Fix the cause (or the data section of ${file}), then apply again.` : "Fix the cause, then run again.");
    const failed = e.sql === "COMMIT" ? "COMMIT failed (PostgreSQL rolled the transaction back)" : `${e.what} failed`;
    return new PgcError("db_error", `${failed}: ${e.error.message.replace(/\.$/, "")}.${rows} ${state}`, {
      hint,
      details,
    });
  }
  if (e instanceof PgcError) {
    if (!f.started) return e;
    return new PgcError(e.code, `${e.message} ${state}`, {
      ...(e.hint ? { hint: e.hint } : {}),
      details: e.details,
    });
  }
  return e;
}
