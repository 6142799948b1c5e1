/**
 * A schema.yaml table's CREATE TABLE, and one column's definition alone: each clause remembers
 * the YAML value it came from, so PostgreSQL's error position points back at the line.
 * @module
 */
import type { SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { serialTypeFor } from "../yaml/portable_types.ts";
import type { Column, Table } from "../yaml/types.ts";

/** CREATE TABLE, one column per line; each clause remembers the YAML value it came from. */
export function createTable(t: Table): { sql: string; spans: SourceSpan[] } {
  const pk = new Set(t.primaryKey?.columns ?? []);
  let sql = `CREATE TABLE ${qualify(t.schema, t.name)} `;
  const spans: SourceSpan[] = [{ start: 0, source: t.at }];
  if (t.columns.length === 0) return { sql: sql + "()", spans };
  sql += "(\n";
  t.columns.forEach((c, i) => {
    sql += "  ";
    for (const [text, at] of columnClauses(c, pk.has(c.name))) {
      spans.push({ start: sql.length, source: at ?? c.at });
      sql += text + " ";
    }
    sql = sql.slice(0, -1) + (i < t.columns.length - 1 ? ",\n" : "\n");
  });
  return { sql: sql + ")", spans };
}

/** One column's definition after `prefix`, with the spans of its clauses. */
export function columnDefinition(
  c: Column,
  inPrimaryKey: boolean,
  prefix: string,
): { sql: string; spans: SourceSpan[] } {
  let sql = prefix;
  const spans: SourceSpan[] = [{ start: 0, source: c.at }];
  for (const [text, at] of columnClauses(c, inPrimaryKey)) {
    spans.push({ start: sql.length, source: at ?? c.at });
    sql += text + " ";
  }
  return { sql: sql.slice(0, -1), spans };
}

/** The clauses of a column definition, each with the location of the YAML value behind it. */
function columnClauses(c: Column, inPrimaryKey: boolean): Array<[string, SourceRef | undefined]> {
  const serial = c.identity === undefined && c.isIdentity ? serialTypeFor(c.pgType) : undefined;
  const out: Array<[string, SourceRef | undefined]> = [[quoteIdent(c.name), c.at], [
    serial ?? c.pgType,
    c.valueAt.type,
  ]];
  if (c.collation !== undefined) out.push([`COLLATE ${collationName(c.collation)}`, c.valueAt.collation]);
  if (c.defaultSql !== undefined) {
    // In parentheses: a bare DEFAULT takes a restricted expression, and `1 COLLATE "C"` after it
    // would set the column's collation instead.
    out.push([`DEFAULT (${c.defaultSql})`, c.valueAt.defaultLqlExpression ?? c.valueAt.defaultValue]);
  }
  if (!c.isNullable || inPrimaryKey) out.push(["NOT NULL", c.valueAt.isNullable]);
  if (c.computedExpression !== undefined) {
    out.push([`GENERATED ALWAYS AS (${c.computedExpression}) STORED`, c.valueAt.computedExpression]);
  } else if (c.identity !== undefined) {
    out.push([`GENERATED ${c.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`, c.valueAt.identity]);
  }
  return out;
}

/** A collation name, quoted per part unless the YAML already quotes it. */
function collationName(collation: string): string {
  if (collation.startsWith('"')) return collation;
  return collation.split(".").map(quoteIdent).join(".");
}
