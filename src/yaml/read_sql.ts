/**
 * The top-level `sql:` list (ext): raw DDL for whatever the structured keys do not cover. Each
 * item keeps a map from its characters back to the file, so a statement PostgreSQL rejects in
 * the shadow is reported at the line and column inside the YAML block that holds it.
 * @module
 */
import { isScalar, Scalar } from "yaml";
import type { SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";
import { compact, describe, type Entry, type Reader } from "./reader.ts";
import type { SqlBlock, SqlLoad } from "./types.ts";

const LOADS: Readonly<Record<string, SqlLoad>> = { beforeTables: "beforeTables", afterTables: "afterTables" };

/**
 * Read `sql:`: each item is a string (loaded after all structured DDL) or a map
 * `{sql, load: beforeTables | afterTables}`. `text` is the whole file, for exact locations.
 */
export function readSqlBlocks(r: Reader, e: Entry | undefined, text: string): SqlBlock[] {
  const out: SqlBlock[] = [];
  (r.list(e) ?? []).forEach((node, i) => {
    const what = `sql item #${i + 1}`;
    if (isScalar(node)) {
      const block = scalarBlock(r, node, `sql[${i}]`, e!.at, text);
      if (block) out.push({ ...block, load: "afterTables", valueAt: {} });
      return;
    }
    const m = r.map(node, "sqlItem", what, ["sql"]);
    const sqlEntry = m?.entries.get("sql");
    if (m === undefined || sqlEntry === undefined) return;
    if (!isScalar(sqlEntry.node)) {
      r.problem(sqlEntry.at, `"sql" must be a string, got ${describe(sqlEntry.node)}`);
      return;
    }
    const block = scalarBlock(r, sqlEntry.node, "sql", sqlEntry.at, text);
    const load = r.oneOf(m.entries.get("load"), LOADS) ?? "afterTables";
    if (block) out.push(compact<SqlBlock>({ ...block, load, at: m.at, valueAt: m.valueAt }));
  });
  return out;
}

/** A string item: its SQL and spans, or undefined (with a problem) when it is not usable SQL. */
function scalarBlock(
  r: Reader,
  node: Scalar,
  key: string,
  fallback: SourceRef,
  text: string,
): { sql: string; spans: SourceSpan[]; at: SourceRef } | undefined {
  const at = r.at(node, fallback);
  if (typeof node.value !== "string") {
    r.problem(at, `"${key}" must be SQL text, got ${describe(node)}`);
    return undefined;
  }
  if (node.value.trim() === "") {
    r.problem(at, `"${key}" must not be empty`);
    return undefined;
  }
  return { sql: node.value, spans: spansOf(r, node, text) ?? [{ start: 0, source: at }], at };
}

/**
 * Exact character spans for the scalar forms whose text is copied verbatim from the file: a
 * literal block (`|`, one span per line) or a single-line plain or quoted scalar without escapes.
 * Other forms (folded, escaped, multi-line flow) get no spans: the item's start is used.
 */
function spansOf(r: Reader, node: Scalar, text: string): SourceSpan[] | undefined {
  const range = node.range;
  const value = node.value as string;
  if (range === undefined || range === null) return undefined;
  if (node.type === Scalar.BLOCK_LITERAL) {
    const headerEnd = text.indexOf("\n", range[0]);
    if (headerEnd < 0) return undefined;
    const raw = text.slice(headerEnd + 1, range[1]).split("\n");
    const indent = Math.min(
      ...raw.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
    );
    const spans: SourceSpan[] = [];
    let start = 0;
    let offset = headerEnd + 1;
    for (const [i, line] of value.split("\n").entries()) {
      if (raw[i] === undefined || raw[i].slice(indent) !== line) return undefined;
      spans.push({ start, source: r.atOffset(offset + indent), exact: true });
      start += line.length + 1;
      offset += raw[i].length + 1;
    }
    return spans;
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  const from = range[0] + (quoted ? 1 : 0);
  if (!value.includes("\n") && text.slice(from, from + value.length) === value) {
    return [{ start: 0, source: r.atOffset(from), exact: true }];
  }
  return undefined;
}
