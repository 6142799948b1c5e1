/**
 * The transaction apply runs a part in, identified by the server, so that every sentence about
 * it is checked rather than assumed.
 *
 * Right after BEGIN (and the advisory lock) apply records `pg_backend_pid()` and
 * `txid_current()`. The transaction id is assigned on that call, is 64 bits with its epoch (never
 * reused), and a new one is handed out to every transaction that asks: if anything ended apply's
 * transaction (a COMMIT slipping through, a reconnect to a new session), the same query answers
 * with another id or another backend. It is asked again before COMMIT. After a failure the
 * transaction is in the aborted state and answers no query, so apply also sets a savepoint of its
 * own right after recording the id: `ROLLBACK TO SAVEPOINT` succeeds only inside the transaction
 * that set it, after which the id can be read and compared, and only then ROLLBACK is reported
 * as what it is.
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";

/** Apply's transaction as the server identified it when it began. */
export interface OpenTransaction {
  /** Backend process id of the session. */
  pid: number;
  /** `txid_current()` at the start, as text (a 64-bit value). */
  xid: string;
  /** Name of apply's own savepoint, set right after the id was read. */
  savepoint: string;
}

/** What became of a transaction apply meant to roll back. */
export type RollbackOutcome =
  | { verified: true }
  | { verified: false; reason: string; lost: boolean };

async function identity(db: Queryable): Promise<{ pid: number; xid: string }> {
  const [row] = await db.query<{ pid: number; xid: string }>(
    "SELECT pg_backend_pid() AS pid, txid_current()::text AS xid",
  );
  return { pid: Number(row.pid), xid: String(row.xid) };
}

/** Record the open transaction's identity and set apply's savepoint. Call right after BEGIN and the lock. */
export async function markTransaction(db: Queryable): Promise<OpenTransaction> {
  const id = await identity(db);
  // A name the data section cannot know in advance, so it can neither release nor reuse it.
  const savepoint = `pgconverge_${crypto.randomUUID().replaceAll("-", "")}`;
  await db.exec(`SAVEPOINT ${savepoint}`);
  return { ...id, savepoint };
}

/** Why the session's transaction is not apply's (undefined: it is). Only valid outside the aborted state. */
export async function notOurs(db: Queryable, t: OpenTransaction): Promise<string | undefined> {
  const now = await identity(db);
  if (now.pid !== t.pid) return `the session changed (backend ${t.pid}, now ${now.pid}): the connection was reset`;
  if (now.xid !== t.xid) {
    return `the transaction apply opened (id ${t.xid}) was ended by a statement of the migration; the session is ` +
      `now in transaction ${now.xid}`;
  }
  return undefined;
}

/** True for an error about the connection rather than a statement (the server never answered). */
function connectionLost(e: unknown): boolean {
  return e instanceof PgcError && e.code === "db_unreachable";
}

/**
 * Roll back, having checked from the server that the transaction rolled back is the one apply
 * opened. Never throws: what could not be checked is in the outcome.
 */
export async function rollbackVerified(db: Queryable, t: OpenTransaction): Promise<RollbackOutcome> {
  let outcome: RollbackOutcome;
  try {
    await db.exec(`ROLLBACK TO SAVEPOINT ${t.savepoint}`);
    const reason = await notOurs(db, t);
    outcome = reason === undefined ? { verified: true } : { verified: false, reason, lost: true };
  } catch (e) {
    const lost = connectionLost(e);
    const why = e instanceof Error ? e.message : String(e);
    outcome = {
      verified: false,
      reason: lost
        ? `the connection to the server was lost (${why})`
        : `apply's savepoint is gone, so the transaction apply opened was ended by the migration (${why})`,
      lost: true,
    };
  }
  try {
    await db.exec("ROLLBACK");
  } catch (e) {
    if (outcome.verified) {
      outcome = {
        verified: false,
        reason: `ROLLBACK failed: ${e instanceof Error ? e.message : String(e)}`,
        lost: true,
      };
    }
  }
  return outcome;
}

/** What COMMIT did. */
export type CommitOutcome =
  | { committed: true }
  | { committed: false; error: SqlError }
  | { committed: "unknown"; reason: string };

/**
 * COMMIT apply's transaction, having checked it is still the one apply opened (else it is rolled
 * back and the reason thrown as `not_converged`). A COMMIT the server refuses rolls back.
 */
export async function commitVerified(db: Queryable, t: OpenTransaction): Promise<CommitOutcome> {
  const reason = await notOurs(db, t);
  if (reason !== undefined) return { committed: "unknown", reason };
  try {
    await db.exec("COMMIT");
    return { committed: true };
  } catch (e) {
    if (e instanceof SqlError) return { committed: false, error: e };
    if (connectionLost(e)) {
      return {
        committed: "unknown",
        reason: `the connection was lost while COMMIT was sent (${(e as Error).message})`,
      };
    }
    throw e;
  }
}
