/**
 * Apply a verified migration: lock, check the live schema is the one planned from, run the
 * statements (data section in its slot), re-read the schema inside the same transaction and
 * COMMIT only if it equals the plan's target. Anything else rolls back. Exit 0 means converged.
 *
 * Every sentence about the database's state is one the server confirmed: the transaction is
 * identified when it begins and checked before COMMIT and before a rollback is reported
 * (src/apply/transaction.ts). A stop (SIGINT/SIGTERM) cancels the running statement on the
 * server and rolls back (src/apply/interrupts.ts); lock waits are explained with the backend
 * that blocks them (src/apply/lock_wait.ts).
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
import type { Migration } from "../migration/read.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { liveSnapshot } from "../source/source.ts";
import { type Failure, failure, notStarted, StatementFailed, stopError } from "./failure.ts";
import { driftRefusal } from "./identity.ts";
import { Interrupts, Stopped, TrackedSession } from "./interrupts.ts";
import { LockWatch, takeApplyLock } from "./lock_wait.ts";
import { dataIn, leftBehind, type Part, partsOf, type Rolled, startingPart } from "./parts.ts";
import { movedSequences, sequencePositions } from "./sequences.ts";
import {
  commitVerified,
  markTransaction,
  type OpenTransaction,
  type RollbackOutcome,
  rollbackVerified,
} from "./transaction.ts";

/** Options for {@link applyMigration}. */
export interface ApplyOptions {
  /** Shadow used to bring the live schema into canonical form when server versions differ. */
  shadow: Shadow;
  /** `lock_timeout` for every statement, e.g. `10s`. */
  lockTimeout: string;
  /** Path of the migration file, for messages. */
  file: string;
  /**
   * False when the migration is no file a person can edit (`migrate` plans and applies in one
   * step): hints then do not send the user to its data section. Default true.
   */
  editable?: boolean;
  /** Opens a second session to the same database (servers): it samples lock waits and cancels on a stop. */
  monitor?: () => Promise<Queryable>;
  /** Stops apply: the running statement is cancelled, the transaction rolled back (the CLI's SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Sentences to show while apply runs (another apply holds the lock, …). */
  notice?: (sentence: string) => void;
}

/** What apply did. */
export interface ApplyResult {
  /** `applied` (committed and converged) or `already` (the live schema already was the target). */
  outcome: "applied" | "already";
  /** Statements run, in order (each data section statement counts as one). */
  ran: string[];
  /** How many of them were generated statements (the rest: data section statements). */
  generated: number;
  /** Fingerprint after. */
  fingerprint: string;
  /** 1-based part it went on from, when an earlier run had committed the parts before it. */
  resumedAt?: number;
  /** How many transactions (parts) the migration has; absent for `already`. */
  parts?: number;
}

/** One apply run: the session, the migration and what watches over it. */
interface Run {
  db: TrackedSession;
  m: Migration;
  opts: ApplyOptions;
  parts: Part[];
  interrupts: Interrupts;
  ran: string[];
  generated: number;
  pid?: number;
  monitor?: Queryable;
  watch?: LockWatch;
}

/** Session settings and the second session, before the first transaction. */
async function prepare(run: Run): Promise<void> {
  const { db, opts } = run;
  try {
    // A client that dies (SIGKILL, a lost network) is noticed within a second even while a long
    // statement runs, so its locks do not outlive it by the statement's length. PostgreSQL 14+.
    await db.exec("SET client_connection_check_interval = 1000");
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
  }
  const [row] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  run.pid = Number(row.pid);
  if (db.engine !== "server" || !opts.monitor) return;
  try {
    run.monitor = await opts.monitor();
  } catch (e) {
    // Without it apply still runs; a stop then waits for the running statement instead of cancelling it.
    if (!(e instanceof PgcError)) throw e;
    return;
  }
  const monitor = run.monitor;
  const pid = run.pid;
  run.interrupts.canCancelWith(async () => {
    const [r] = await monitor.query<{ ok: boolean }>("SELECT pg_cancel_backend($1) AS ok", [pid]);
    return r.ok === true;
  });
  run.watch = new LockWatch(monitor, pid);
}

/** Apply a parsed migration to a database. Throws PgcError on refusal, failure (rolled back) or a stop. */
export async function applyMigration(db: Queryable, m: Migration, opts: ApplyOptions): Promise<ApplyResult> {
  const session = new TrackedSession(db);
  const run: Run = {
    db: session,
    m,
    opts,
    parts: partsOf(m),
    interrupts: new Interrupts(opts.signal, session),
    ran: [],
    generated: 0,
  };
  try {
    try {
      run.interrupts.check();
      await prepare(run);
    } catch (e) {
      run.interrupts.standDown();
      const stop = run.interrupts.stopped ?? (e instanceof Stopped ? e.signal : undefined);
      if (stop) throw stopError(stop, `before any statement ran: nothing of ${opts.file} was applied.`);
      throw e;
    }
    let next: number | undefined;
    let first: number | undefined;
    for (;;) {
      const r = await inTransaction(run, next);
      if (r.kind === "already") return { outcome: "already", ran: [], generated: 0, fingerprint: r.fingerprint };
      first ??= r.index;
      if (r.index === run.parts.length - 1) {
        return {
          outcome: "applied",
          ran: run.ran,
          generated: run.generated,
          fingerprint: r.fingerprint,
          ...(first > 0 ? { resumedAt: first + 1 } : {}),
          parts: run.parts.length,
        };
      }
      next = r.index + 1;
    }
  } finally {
    run.watch?.stop();
    run.interrupts.dispose();
    await run.monitor?.close().catch(() => {});
  }
}

/** What one transaction did: found the target already there, or ran and committed one part. */
type PartResult = { kind: "already"; fingerprint: string } | { kind: "ran"; index: number; fingerprint: string };

/** Run one statement of the migration, watched for lock waits and stops. */
async function runStatement(run: Run, f: Failure, sql: string, send: () => Promise<unknown>): Promise<void> {
  run.interrupts.check();
  f.started = true;
  run.watch?.start();
  try {
    await send();
  } catch (e) {
    if (e instanceof SqlError || (e instanceof PgcError && e.code === "lock_timeout")) {
      throw new StatementFailed(sql, f.what, e, f.part, f.count);
    }
    throw e;
  } finally {
    run.watch?.stop();
  }
  run.ran.push(sql);
}

async function inTransaction(run: Run, expected: number | undefined): Promise<PartResult> {
  const { db, m, opts, parts, interrupts } = run;
  try {
    interrupts.check();
  } catch (e) {
    throw e instanceof Stopped ? stopError(e.signal, `between two parts: ${notStarted(run, expected)}`) : e;
  }
  // Read outside the transaction: nextval is never rolled back, so a rollback is "exactly as before"
  // only when no sequence moved meanwhile.
  const sequences = await sequencePositions(db);
  await db.exec("BEGIN");
  let t: OpenTransaction | undefined;
  // The error already tells what became of the transaction (it rolled back before throwing).
  let settled = false;
  // What ran so far in this transaction, and what is running: read when it fails.
  const f: Failure = { what: "", part: expected ?? 0, started: false, ...(sequences ? { sequences } : {}) };
  const rolled = async (outcome: RollbackOutcome): Promise<Rolled> => {
    const now = outcome.verified && sequences ? await sequencePositions(db) : undefined;
    return { outcome, ...(now ? { moved: movedSequences(sequences!, now) } : {}) };
  };
  try {
    await db.query("SELECT set_config('lock_timeout', $1, true)", [opts.lockTimeout]);
    await takeApplyLock(db, opts.lockTimeout, opts.notice ?? (() => {}));
    t = await markTransaction(db);
    interrupts.check();
    const before = await fingerprint(await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages));
    let index: number;
    if (expected === undefined) {
      const start = startingPart(m, parts, before);
      if (start === "already") {
        settled = true;
        await db.exec("ROLLBACK");
        return { kind: "already", fingerprint: before };
      }
      if (start === undefined) throw await driftRefusal(db, m, opts.file, before);
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
    f.part = index;
    const part = parts[index];
    const data = dataIn(m, parts, part);
    for (let i = part.start; i <= part.end; i++) {
      if (data && i === m.dataBefore) {
        for (const s of m.dataStatements) {
          f.what = `The data section's statement at ${opts.file}:${s.line}`;
          f.count = undefined;
          // One statement per message, in the extended protocol: the server refuses a text that
          // holds more than the one statement the parser found in it.
          await runStatement(run, f, s.sql, () => db.query(s.sql));
        }
      }
      if (i === part.end) break;
      const u = m.units[i];
      f.what = `Statement ${u.n} (${u.id})`;
      f.count = u.count;
      await runStatement(run, f, u.sql, () => db.exec(u.sql));
      run.generated++;
    }
    f.what = "";
    const after = await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages);
    const fp = await fingerprint(after);
    if (fp !== part.fingerprint) {
      settled = true;
      interrupts.standDown();
      const outcome = await rollbackVerified(db, t);
      throw await notConverged(run, part, after, fp, await rolled(outcome));
    }
    interrupts.check();
    const c = await commitVerified(db, t);
    if (c.committed === true) return { kind: "ran", index, fingerprint: fp };
    if (c.committed === false) {
      settled = true;
      throw await failure(
        run,
        f,
        new StatementFailed("COMMIT", "COMMIT", c.error, index),
        await rolled({ verified: true }),
      );
    }
    settled = true;
    await db.exec("ROLLBACK").catch(() => {});
    throw new PgcError(
      "not_converged",
      `${opts.file} was not committed as planned: ${c.reason}. pgconverge cannot say what state the database ` +
        `is in: statements that ran before that point may be committed.`,
      {
        hint: `Apply ${opts.file} again: it says "Nothing to do" when the migration is committed, finishes it when ` +
          "the database is still where it was planned from, and refuses anywhere else. Or compare with drift.",
      },
    );
  } catch (e) {
    interrupts.standDown();
    if (settled) throw e;
    if (t === undefined) {
      // Not marked yet: no statement of the migration ran in this transaction.
      await db.exec("ROLLBACK").catch(() => {});
      const stop = interrupts.stopped ?? (e instanceof Stopped ? e.signal : undefined);
      if (stop) throw stopError(stop, `before any statement ran: ${notStarted(run, expected)}`);
      if (e instanceof PgcError && e.code === "lock_timeout") {
        throw new PgcError(e.code, `${e.message} ${capital(notStarted(run, expected))}`, { hint: e.hint });
      }
      throw e;
    }
    throw await failure(run, f, e, await rolled(await rollbackVerified(db, t)));
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The PgcError for a part whose re-read schema is not the planned one (already rolled back). */
async function notConverged(
  run: Run,
  part: Part,
  after: Awaited<ReturnType<typeof liveSnapshot>>,
  fp: string,
  rolled: Rolled,
): Promise<PgcError> {
  const { m, parts, opts } = run;
  const last = part.index === parts.length - 1;
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
  if (!last) details.push(`expected after part ${part.index + 1}: ${part.fingerprint}`, `found: ${fp}`);
  else if (details.length === 0) {
    details.push("an object the plan did not touch changed (did the data section run DDL?)");
  }
  const file = opts.editable === false ? undefined : opts.file;
  return new PgcError(
    "not_converged",
    `After running ${parts.length > 1 ? `part ${part.index + 1} of ${parts.length} of ` : ""}${opts.file} the ` +
      `schema is not the planned ${last ? "target" : "intermediate state"}. ${
        leftBehind(m, parts, part, file, rolled)
      }`,
    { hint: "Keep schema changes out of the data section, or plan again.", details },
  );
}
