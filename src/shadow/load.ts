/**
 * Load DDL into a shadow database. Statements go in batches (one round trip each, and small
 * enough that 5,000 tables never overflow `max_locks_per_transaction`); a failing batch is
 * replayed one statement at a time to find the statement and the input line that produced it.
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import type { DdlStatement } from "../model/ddl.ts";
import { formatRef, PgcError, type Problem, type SourceRef } from "../model/errors.ts";

const BATCH = 250;

/**
 * Statements between checkpoints in an embedded shadow. A single-user PGlite never checkpoints
 * by itself, so its WAL (JS memory) only grows: 1,000 tables write ~58 MB of it. A checkpoint
 * lets PostgreSQL delete the segments it no longer needs (see IN_MEMORY_SETTINGS in db/pglite.ts); it
 * costs a few milliseconds with a 16 MB buffer pool. A server shadow checkpoints by itself.
 */
const CHECKPOINT_EVERY = 2000;

/** A shadow error as a problem that points at the input line. */
function problemOf(e: SqlError, st: DdlStatement): Problem {
  // PostgreSQL's error position, when it gives one, narrows the location to a clause of the statement.
  const pos = e.server.position;
  const span = pos ? st.spans?.findLast((sp) => sp.start <= pos - 1) : undefined;
  // An exact span (a `sql:` line) also gives the column inside the line.
  const at = span?.exact && pos
    ? { ...span.source, column: span.source.column + pos - 1 - span.start }
    : span?.source ?? st.source;
  return {
    at,
    message: `PostgreSQL rejected this: ${e.message}` + (e.server.detail ? ` (${e.server.detail})` : "") +
      (st.note ? ` ${st.note}` : ""),
    hint: e.server.hint ?? `The statement was: ${st.sql}`,
  };
}

/** One error for every rejected statement, so a user fixes them all in one round. */
function rejected(problems: Problem[]): PgcError {
  const first = problems[0];
  const where = first.at ? `${formatRef(first.at)}: ` : "";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return new PgcError("sql_invalid", `${where}${first.message}${more}`, {
    hint: "Fix the SQL at the lines named; PostgreSQL validated it in the shadow database.",
    problems,
  });
}

/**
 * The problems behind a rejected statement: those its probes find (each at its own YAML value),
 * plus PostgreSQL's first complaint when no probe repeats it; that complaint alone without probes.
 */
async function diagnosed(db: Queryable, st: DdlStatement, first: Problem): Promise<Problem[]> {
  const found: Problem[] = [];
  for (const group of st.diagnose?.() ?? []) {
    for (const probe of group) {
      try {
        await db.exec(probe.sql + ";");
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        // The probe is ours: the statement to show is the one the file produced.
        found.push({ ...problemOf(e, probe), hint: e.server.hint ?? `The statement was: ${st.sql}` });
        break;
      }
    }
  }
  const repeated = found.some((p) => p.message.startsWith(first.message));
  return repeated ? found : [first, ...found];
}

/**
 * Load statements in order; PostgreSQL errors become one located `sql_invalid` PgcError listing
 * every rejected statement. After a failure the rest still load one by one, skipping statements
 * that only fail because a table they need was itself rejected.
 */
export async function loadStatements(db: Queryable, statements: DdlStatement[]): Promise<void> {
  const problems: Problem[] = [];
  for (let i = 0; i < statements.length; i += BATCH) {
    if (db.engine === "pglite" && i > 0 && i % CHECKPOINT_EVERY < BATCH) await db.exec("CHECKPOINT;");
    const batch = statements.slice(i, i + BATCH);
    if (problems.length === 0) {
      try {
        await db.exec(batch.map((s) => s.sql + ";").join("\n"));
        continue;
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        // The batch ran as one implicit transaction and was rolled back: replay it singly.
      }
    }
    for (const st of batch) {
      try {
        await db.exec(st.sql + ";");
      } catch (e) {
        if (!(e instanceof SqlError)) throw e;
        const cascade = problems.length > 0 && (e.server.sqlstate === "42P01" || e.server.sqlstate === "42703");
        if (!cascade) problems.push(...await diagnosed(db, st, problemOf(e, st)));
      }
    }
  }
  if (problems.length > 0) throw rejected(problems);
}

/** 1-based line and column of a 1-based character position in a text. */
export function positionToRef(file: string, text: string, position: number): SourceRef {
  const before = text.slice(0, Math.max(0, position - 1));
  const lines = before.split("\n");
  return { file, line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** Load a whole SQL script (a `.sql` source); errors point at the file's line and column. */
export async function loadScript(db: Queryable, text: string, file: string): Promise<void> {
  try {
    await db.exec(text);
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    const at = e.server.position ? positionToRef(file, text, e.server.position) : undefined;
    throw new PgcError(
      "sql_invalid",
      `${at ? formatRef(at) : file}: PostgreSQL rejected the schema: ${e.message}`,
      {
        hint: e.server.hint ?? `Fix the SQL in ${file}.`,
        problems: [{ at, message: `PostgreSQL rejected this: ${e.message}` }],
        details: e.server.detail ? [`detail: ${e.server.detail}`] : [],
      },
    );
  }
}
