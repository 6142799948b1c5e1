/**
 * `defaultLqlExpression` → SQL. LQL defaults are a handful of portable functions and literals;
 * anything else is refused rather than guessed, and the user is pointed at `defaultValue`.
 * @module
 */
import { quoteLiteral } from "../model/quote.ts";

/** Portable LQL functions and the SQL DataProviderMigrate renders for them on PostgreSQL. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  now: "CURRENT_TIMESTAMP",
  current_timestamp: "CURRENT_TIMESTAMP",
  gen_uuid: "gen_random_uuid()",
  uuid: "gen_random_uuid()",
  current_date: "CURRENT_DATE",
  current_time: "CURRENT_TIME",
};

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const SQL_STRING = /^'(?:[^']|'')*'$/;
const LQL_STRING = /^"((?:[^"\\]|\\.)*)"$/s;
const KEYWORD = /^(true|false|null)$/i;

/**
 * The SQL for an LQL default, or undefined when it is not one the tool can translate.
 *
 * @example
 * ```ts
 * translateLql("now()"); // "CURRENT_TIMESTAMP"
 * translateLql("gen_uuid()"); // "gen_random_uuid()"
 * translateLql("'pending'"); // "'pending'"
 * translateLql("42"); // "42"
 * ```
 */
export function translateLql(expression: string): string | undefined {
  const e = expression.trim();
  const call = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*\)$/.exec(e);
  if (call !== null) return FUNCTIONS[call[1].toLowerCase()];
  if (NUMBER.test(e) || SQL_STRING.test(e) || KEYWORD.test(e)) return e;
  // A double-quoted LQL string is a string value; in SQL double quotes would make it a name.
  const lqlString = LQL_STRING.exec(e);
  if (lqlString !== null) {
    return quoteLiteral(lqlString[1].replaceAll(/\\(.)/gs, "$1"));
  }
  return undefined;
}
