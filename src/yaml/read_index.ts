/**
 * One `indexes:` entry → {@link Index}.
 * @module
 */
import type { Node } from "yaml";
import type { KnownColumnsCheck } from "./read_table.ts";
import { compact, type Reader } from "./reader.ts";
import { expressionProblem } from "./sql_values.ts";
import type { Index, IndexMethod } from "./types.ts";

const METHODS: Readonly<Record<string, IndexMethod>> = {
  btree: "btree",
  gin: "gin",
  gist: "gist",
  brin: "brin",
  hash: "hash",
};

/** Read an index; undefined when its name is unusable (the problem is recorded). */
export function readIndex(
  r: Reader,
  node: Node,
  what: string,
  known: KnownColumnsCheck,
): Index | undefined {
  const m = r.map(node, "index", what, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const columns = r.locatedList(e("columns"), "text");
  const expressions = r.textList(e("expressions"), expressionProblem) ?? [];
  const include = r.locatedList(e("include"), "text");
  // `expressions` replaces `columns`, so only the columns that are used are checked.
  if (expressions.length === 0) known(columns, "index");
  known(include, "include");
  if (expressions.length === 0 && (columns ?? []).length === 0) {
    r.problem(m.at, `${what} needs columns or expressions`);
  }
  const index = compact<Index>({
    name: name ?? "",
    columns: (columns ?? []).map((c) => c.value),
    expressions,
    isUnique: r.bool(e("isUnique")) ?? false,
    filter: r.checked(e("filter"), expressionProblem),
    method: r.oneOf(e("method"), METHODS),
    include: (include ?? []).map((c) => c.value),
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : index;
}
