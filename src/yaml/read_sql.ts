/**
 * The top-level `sql:` list (ext): raw DDL for whatever the structured keys do not cover. Each
 * item keeps a map from its characters back to the file, so a statement PostgreSQL rejects in
 * the shadow is reported at the line and column inside the YAML block that holds it.
 * @module
 */
import { isScalar, type Scalar } from "yaml";
import type { SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";
import { compact, describe, type Entry, type Reader } from "./reader.ts";
import type { SqlBlock, SqlLoad } from "./types.ts";

const LOADS: Readonly<Record<string, SqlLoad>> = { beforeTables: "beforeTables", afterTables: "afterTables" };

/**
 * Read `sql:`: each item is a string (loaded after all structured DDL) or a map
 * `{sql, load: beforeTables | afterTables}`.
 */
export function readSqlBlocks(r: Reader, e: Entry | undefined): SqlBlock[] {
  const out: SqlBlock[] = [];
  (r.list(e) ?? []).forEach((node, i) => {
    const what = `sql item #${i + 1}`;
    if (isScalar(node)) {
      const block = scalarBlock(r, node, `sql[${i}]`, e!.at);
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
    const block = scalarBlock(r, sqlEntry.node, "sql", sqlEntry.at);
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
  return { sql: node.value, spans: r.spans(node) ?? [{ start: 0, source: at }], at };
}
