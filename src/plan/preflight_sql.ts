/**
 * Row-count checks run against the live database at plan time: how many rows would the new
 * rule reject? They are read-only `SELECT count(*)` queries built from canonical definitions.
 * @module
 */
import { qualify, quoteIdent } from "../model/quote.ts";
import type { ColumnObject, ConstraintObject } from "../model/snapshot.ts";
import type { Preflight } from "./step.ts";

/** The boolean expression of a `CHECK (…)` definition, without NOT VALID / NO INHERIT. */
export function checkExpression(definition: string): string {
  return definition.replace(/^CHECK /, "").replace(/( NO INHERIT| NOT VALID)+$/, "");
}

/** Rows that break a CHECK: a NULL result passes a CHECK, so only `NOT expr` true counts. */
export function checkPreflight(c: ConstraintObject): Preflight {
  const table = qualify(c.schema, c.table);
  return {
    what: `rows of ${table} break the new CHECK ${c.name}`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE NOT ${checkExpression(c.definition)}`,
    table,
  };
}

/** Groups of rows that would collide under a new primary key or unique constraint. */
export function uniquePreflight(c: ConstraintObject): Preflight | undefined {
  const m = c.definition.match(/^(PRIMARY KEY|UNIQUE) \((.+)\)$/);
  if (!m) return undefined;
  const table = qualify(c.schema, c.table);
  const nulls = m[1] === "PRIMARY KEY" ? ` OR ${m[2].split(", ").map((col) => `${col} IS NULL`).join(" OR ")}` : "";
  return {
    what: `rows of ${table} collide (or are NULL) under the new ${
      m[1] === "UNIQUE" ? "unique constraint" : "primary key"
    } ${c.name}`,
    sql:
      `SELECT (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM ${table} GROUP BY ${
        m[2]
      } HAVING count(*) > 1) d)` +
      (nulls ? ` + (SELECT count(*) FROM ${table} WHERE false${nulls})` : "") + `::bigint AS n`,
    table,
  };
}

/** Rows with NULL in a column that becomes NOT NULL. */
export function notNullPreflight(c: ColumnObject): Preflight {
  const table = qualify(c.schema, c.table);
  return {
    what: `rows of ${table} have NULL in ${quoteIdent(c.name)}, which becomes NOT NULL`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE ${quoteIdent(c.name)} IS NULL`,
    table,
  };
}

/** Rows that need a value in a new NOT NULL column without a default. */
export function rowCountPreflight(c: ColumnObject): Preflight {
  const table = qualify(c.schema, c.table);
  return {
    what: `rows of ${table} need a value in the new NOT NULL column ${quoteIdent(c.name)}`,
    sql: `SELECT count(*)::bigint AS n FROM ${table}`,
    table,
  };
}

/** Rows whose value is longer than a narrowed character type allows (the change would fail). */
export function tooLongPreflight(c: ColumnObject, limit: number): Preflight {
  const table = qualify(c.schema, c.table);
  return {
    what: `rows of ${table} have a ${quoteIdent(c.name)} longer than ${limit} characters`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE length(${quoteIdent(c.name)}) > ${limit}`,
    table,
  };
}
