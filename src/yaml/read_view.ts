/** One `views:` entry → {@link View}. @module */
import type { Node } from "yaml";
import { compact, type Reader } from "./reader.ts";
import { queryProblem } from "./sql_values.ts";
import type { View } from "./types.ts";

/** Read a view; undefined when its name or query is missing or unusable (the problem is recorded). */
export function readView(r: Reader, node: Node, i: number): View | undefined {
  const m = r.map(node, "view", `view #${i + 1}`, ["name", "sql"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const schema = r.name(e("schema"));
  const sql = r.sql(e("sql"));
  const materialized = r.bool(e("materialized"));
  if (name === undefined || sql === undefined) return undefined;
  // A trailing semicolon would end the CREATE VIEW statement early.
  const query = sql.trim().replace(/;+$/, "").trimEnd();
  if (query === "") {
    r.problem(m.valueAt.sql ?? m.at, `view "${name}" has an empty "sql"`);
    return undefined;
  }
  const shape = queryProblem(query);
  if (shape !== undefined) r.valueProblem(e("sql")!, shape);
  return compact<View>({
    schema: schema ?? "public",
    name,
    sql: query,
    materialized: materialized ?? false,
    at: m.at,
    valueAt: m.valueAt,
  });
}
