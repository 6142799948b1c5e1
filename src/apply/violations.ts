/**
 * After a constraint statement fails on existing rows, count the rows that break it, so the
 * message says how many and where, not just "violated by some row".
 * @module
 */
import type { ServerErrorFields } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { checkExpression } from "../plan/preflight_sql.ts";

const ADD_CHECK = /^ALTER TABLE (.+?) ADD CONSTRAINT .+? (CHECK \(.*\)( NOT VALID| NO INHERIT)*);$/s;
const NARROW = /^ALTER TABLE (.+?) ALTER COLUMN (.+?) TYPE character(?: varying)?\((\d+)\)[^;]*;$/s;
const SET_NOT_NULL = /^ALTER TABLE (.+?) ALTER COLUMN (.+?) SET NOT NULL;$/s;

/** Rows breaking the statement's rule, counted on the rolled-back (original) database. */
export async function violationCount(
  db: Queryable,
  sql: string,
  e: { server: ServerErrorFields },
): Promise<{ rows: number; table: string } | undefined> {
  const code = e.server.sqlstate;
  let m: RegExpMatchArray | null;
  let count: string | undefined;
  let table: string | undefined;
  if (code === "23514" && (m = sql.trim().match(ADD_CHECK))) {
    table = m[1];
    count = `SELECT count(*)::bigint AS n FROM ${m[1]} WHERE NOT ${checkExpression(m[2])}`;
  } else if (code === "23502" && (m = sql.trim().match(SET_NOT_NULL))) {
    table = m[1];
    count = `SELECT count(*)::bigint AS n FROM ${m[1]} WHERE ${m[2]} IS NULL`;
  } else if (code === "22001" && (m = sql.trim().match(NARROW))) {
    table = m[1];
    count = `SELECT count(*)::bigint AS n FROM ${m[1]} WHERE length(${m[2]}) > ${m[3]}`;
  }
  if (!count || !table) return undefined;
  const [row] = await db.query<{ n: unknown }>(count);
  return { rows: Number(row.n), table };
}
