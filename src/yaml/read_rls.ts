/**
 * `rowLevelSecurity:` → {@link RowLevelSecurity}. Only the shape is checked: predicates are
 * kept as written, since their translation (and rendering) belongs to the policy renderer.
 * @module
 */
import type { Node } from "yaml";
import { compact, type Entry, type Reader } from "./reader.ts";
import type { Policy, PolicyOperation, RowLevelSecurity } from "./types.ts";

const OPERATIONS: Readonly<Record<string, PolicyOperation>> = {
  All: "all",
  Select: "select",
  Insert: "insert",
  Update: "update",
  Delete: "delete",
};

/** Read a table's row-level security block. */
export function readRowLevelSecurity(
  r: Reader,
  e: Entry,
  what: string,
): RowLevelSecurity | undefined {
  const m = r.map(e.node, "rowLevelSecurity", `rowLevelSecurity of ${what}`, []);
  if (m === undefined) return undefined;
  const policies: Policy[] = [];
  (r.list(m.entries.get("policies")) ?? []).forEach((node, i) => {
    const p = readPolicy(r, node, `policy #${i + 1} of ${what}`);
    if (p !== undefined) policies.push(p);
  });
  return {
    enabled: r.bool(m.entries.get("enabled")) ?? true,
    forced: r.bool(m.entries.get("forced")) ?? false,
    policies,
    at: m.at,
    valueAt: m.valueAt,
  };
}

function readPolicy(r: Reader, node: Node, what: string): Policy | undefined {
  const m = r.map(node, "policy", what, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.text(e("name"));
  const operations: PolicyOperation[] = [];
  (r.list(e("operations")) ?? []).forEach((item, i) => {
    const entry = { key: `operations[${i}]`, keyAt: m.at, at: r.at(item, m.at), node: item };
    const op = r.oneOf({ ...entry, key: "operation" }, OPERATIONS);
    if (op !== undefined) operations.push(op);
  });
  const policy = compact<Policy>({
    name: name ?? "",
    permissive: r.bool(e("permissive")) ?? true,
    operations,
    roles: r.textList(e("roles")) ?? [],
    using: r.sql(e("using")),
    withCheck: r.sql(e("withCheck")),
    usingSql: r.sql(e("usingSql")),
    withCheckSql: r.sql(e("withCheckSql")),
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : policy;
}
