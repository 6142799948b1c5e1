/**
 * Apply a verified migration: lock, check the live schema is the one planned from, run the
 * statements (data section in its slot), re-read the schema inside the same transaction and
 * COMMIT only if it equals the plan's target. Anything else rolls back. Exit 0 means converged.
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
}

/** A statement of the migration failed; turned into a PgcError once the transaction is rolled back. */
class StatementFailed {
  constructor(
    readonly sql: string,
    readonly what: string,
    readonly error: SqlError,
    readonly count?: UnitCount,
  ) {}
}

/** Rows breaking the failed statement's rule, counted with the plan's own query on the rolled-back database. */
async function offendingRows(db: Queryable, e: StatementFailed): Promise<number | undefined> {
  // Only a data error (integrity class 23, or a value too long) is about rows; a lock timeout is not.
  const code = e.error.server.sqlstate ?? "";
  if (!e.count || !(code.startsWith("23") || code === "22001")) return undefined;
  try {
    const [row] = await db.query<{ n: unknown }>(e.count.sql);
    return Number(row.n);
  } catch {
    return undefined;
  }
}

/** Apply a parsed migration to a database. Throws PgcError on refusal or failure (rolled back). */
export async function applyMigration(db: Queryable, m: Migration, opts: ApplyOptions): Promise<ApplyResult> {
  try {
    return await inTransaction(db, m, opts);
  } catch (e) {
    if (!(e instanceof StatementFailed)) throw e;
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
    throw new PgcError(
      "db_error",
      `${e.what} failed: ${e.error.message}.${rows} Rolled back: the database is exactly as before.`,
      { hint, details },
    );
  }
}

async function inTransaction(db: Queryable, m: Migration, opts: ApplyOptions): Promise<ApplyResult> {
  await db.exec("BEGIN");
  let done = false;
  try {
    await db.query("SELECT set_config('lock_timeout', $1, true)", [opts.lockTimeout]);
    await db.query("SELECT pg_advisory_xact_lock(hashtext('pgconverge'))");
    const before = await fingerprint(await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages));
    if (before === m.header.to && before !== m.header.from) {
      return { outcome: "already", ran: [], fingerprint: before };
    }
    if (before !== m.header.from) {
      throw new PgcError(
        "drift_since_plan",
        `The live schema changed since ${opts.file} was planned; nothing was applied.`,
        {
          hint: "Plan again against the database as it is now, review, and apply the new file.",
          details: [`planned from: ${m.header.from}`, `live now:     ${before}`],
        },
      );
    }
    const ran: string[] = [];
    const run = async (sql: string, what: string, count?: UnitCount) => {
      try {
        await db.exec(sql);
      } catch (e) {
        if (e instanceof SqlError) throw new StatementFailed(sql, what, e, count);
        throw e;
      }
      ran.push(sql);
    };
    for (let i = 0; i <= m.units.length; i++) {
      if (i === m.dataBefore && m.data !== undefined && hasStatements(m.data)) await run(m.data, "The data section");
      if (i === m.units.length) break;
      const u = m.units[i];
      await run(u.sql, `Statement ${u.n} (${u.id})`, u.count);
    }
    const after = await liveSnapshot(db, opts.shadow, m.header.schemas, m.header.manages);
    const fp = await fingerprint(after);
    if (fp !== m.header.to) {
      const details: string[] = [];
      for (const e of m.expects) {
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
      if (details.length === 0) {
        details.push("an object the plan did not touch changed (did the data section run DDL?)");
      }
      throw new PgcError(
        "not_converged",
        `After running ${opts.file} the schema is not the planned target; rolled back, nothing changed.`,
        {
          hint: "Keep schema changes out of the data section, or plan again.",
          details,
        },
      );
    }
    await db.exec("COMMIT");
    done = true;
    return { outcome: "applied", ran, fingerprint: fp };
  } finally {
    if (!done) await db.exec("ROLLBACK").catch(() => {});
  }
}
