/**
 * `rowLevelSecurity:` → {@link RowLevelSecurity}. The shape is checked here, and so is what
 * PostgreSQL cannot be asked to sort out later: one command per policy, no duplicate names, no
 * role names that mean "whoever runs the migration", and simple predicates that have a SQL
 * translation (they are translated here, so an untranslatable one is reported at its line).
 * @module
 */
import type { Node } from "yaml";
import type { SourceRef } from "../model/errors.ts";
import { compact, type Entry, type Reader } from "./reader.ts";
import { translatePredicate } from "./rls_predicates.ts";
import { expressionProblem } from "./sql_values.ts";
import type { Policy, PolicyOperation, RowLevelSecurity } from "./types.ts";

const OPERATIONS: Readonly<Record<string, PolicyOperation>> = {
  All: "all",
  Select: "select",
  Insert: "insert",
  Update: "update",
  Delete: "delete",
};

/** Role names that stand for the session's role: the policy would depend on who applies it. */
const SESSION_ROLES: ReadonlySet<string> = new Set(["current_user", "session_user", "current_role"]);

/** Read a table's row-level security block; `columns` are the table's column names. */
export function readRowLevelSecurity(
  r: Reader,
  e: Entry,
  what: string,
  columns: readonly string[] = [],
): RowLevelSecurity | undefined {
  const m = r.map(e.node, "rowLevelSecurity", `rowLevelSecurity of ${what}`, []);
  if (m === undefined) return undefined;
  const policies: Policy[] = [];
  const seen = new Map<string, SourceRef>();
  (r.list(m.entries.get("policies")) ?? []).forEach((node, i) => {
    const p = readPolicy(r, node, `policy #${i + 1} of ${what}`, columns);
    if (p === undefined) return;
    const first = seen.get(p.name);
    if (first !== undefined) {
      r.problem(p.valueAt.name ?? p.at, `duplicate policy "${p.name}" in ${what} (first at line ${first.line})`);
      return;
    }
    seen.set(p.name, p.valueAt.name ?? p.at);
    policies.push(p);
  });
  return {
    enabled: r.bool(m.entries.get("enabled")) ?? true,
    forced: r.bool(m.entries.get("forced")) ?? false,
    policies,
    at: m.at,
    valueAt: m.valueAt,
  };
}

function readPolicy(r: Reader, node: Node, what: string, columns: readonly string[]): Policy | undefined {
  const m = r.map(node, "policy", what, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const operations: PolicyOperation[] = [];
  (r.list(e("operations")) ?? []).forEach((item, i) => {
    const entry = { key: `operations[${i}]`, keyAt: m.at, at: r.at(item, m.at), node: item };
    const op = r.oneOf({ ...entry, key: "operation" }, OPERATIONS);
    if (op !== undefined && !operations.includes(op)) operations.push(op);
  });
  if (operations.length > 1) {
    r.problem(
      m.valueAt.operations,
      `${what} lists ${operations.length} operations, but a PostgreSQL policy applies to one command`,
      "List one operation (or All), or write one policy per operation.",
    );
  }
  const roles = r.locatedList(e("roles")) ?? [];
  for (const role of roles) {
    if (SESSION_ROLES.has(role.value.toLowerCase())) {
      r.problem(
        role.at,
        `role "${role.value}" means whoever runs the migration, so the policy would differ per run`,
        "Name the role itself.",
      );
    }
  }
  const policy = compact<Policy>({
    name: name ?? "",
    permissive: r.bool(e("permissive")) ?? true,
    operations,
    roles: roles.map((x) => x.value),
    using: r.sql(e("using")),
    withCheck: r.sql(e("withCheck")),
    usingSql: r.checked(e("usingSql"), expressionProblem),
    withCheckSql: r.checked(e("withCheckSql"), expressionProblem),
    at: m.at,
    valueAt: m.valueAt,
  });
  policy.usingExpr = predicate(r, policy, "using", columns);
  policy.withCheckExpr = predicate(r, policy, "withCheck", columns);
  return name === undefined ? undefined : compact(policy);
}

/** `<key>Sql` as written, else `<key>` translated; an untranslatable one is a located problem. */
function predicate(
  r: Reader,
  p: Policy,
  key: "using" | "withCheck",
  columns: readonly string[],
): string | undefined {
  const sql = p[`${key}Sql`];
  if (sql !== undefined) return sql;
  const simple = p[key];
  if (simple === undefined) return undefined;
  const result = translatePredicate(simple, columns);
  if ("sql" in result) {
    const shape = expressionProblem(result.sql);
    if (shape !== undefined) {
      r.problem(p.valueAt[key] ?? p.at, `"${key}": ${shape.message}`, shape.hint);
    }
    return result.sql;
  }
  r.problem(
    p.valueAt[key] ?? p.at,
    `cannot translate ${key} "${simple}" of policy "${p.name}" to SQL: ${result.error}`,
    `Write the predicate in SQL with ${key}Sql instead (e.g. ${key}Sql: "EXISTS (SELECT 1 FROM … WHERE …)").`,
  );
  return undefined;
}
