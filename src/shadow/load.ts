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

/** Turn a shadow error into a `sql_invalid` problem that points at the input line. */
function located(e: SqlError, st: DdlStatement): PgcError {
  const at: SourceRef | undefined = st.source;
  const where = at ? `${formatRef(at)}: ` : "";
  const problem: Problem = {
    at,
    message: `PostgreSQL rejected this: ${e.message}`,
    hint: e.server.hint ?? "Fix the SQL at this line; the statement was:\n  " + st.sql,
  };
  return new PgcError("sql_invalid", `${where}PostgreSQL rejected the schema: ${e.message}`, {
    hint: problem.hint,
    problems: [problem],
    details: [`statement: ${st.sql}`, ...(e.server.detail ? [`detail: ${e.server.detail}`] : [])],
  });
}

/** Load statements in order; a PostgreSQL error becomes a located `sql_invalid` PgcError. */
export async function loadStatements(db: Queryable, statements: DdlStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += BATCH) {
    const batch = statements.slice(i, i + BATCH);
    try {
      await db.exec(batch.map((s) => s.sql + ";").join("\n"));
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      // The batch ran as one implicit transaction and was rolled back: replay it singly.
      for (const st of batch) {
        try {
          await db.exec(st.sql + ";");
        } catch (e2) {
          if (e2 instanceof SqlError) throw located(e2, st);
          throw e2;
        }
      }
      throw e;
    }
  }
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
