/**
 * Row-level security of a schema.yaml → DDL for the shadow: the roles the policies name (created
 * there when missing, since a policy can only name an existing role), each policy with its
 * clauses located at the YAML values they came from, then the ENABLE / FORCE switches.
 * @module
 */
import type { DdlStatement, SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { Policy, PolicyOperation, Table } from "../yaml/types.ts";
import { ensureRolesSql } from "./policy_sql.ts";

const COMMAND: Readonly<Record<PolicyOperation, string>> = {
  all: "ALL",
  select: "SELECT",
  insert: "INSERT",
  update: "UPDATE",
  delete: "DELETE",
};

/** `public` in a roles list is PostgreSQL's PUBLIC (every role), not a role of that name. */
function isPublic(role: string): boolean {
  return role.toLowerCase() === "public";
}

/** The statements for the row-level security of every table, policies before switches. */
export function rowLevelSecurityStatements(tables: readonly Table[]): DdlStatement[] {
  const out: DdlStatement[] = [];
  const roles: string[] = [];
  let rolesAt: SourceRef | undefined;
  for (const t of tables) {
    for (const p of t.rowLevelSecurity?.policies ?? []) {
      const named = p.roles.filter((x) => !isPublic(x));
      if (named.length > 0) rolesAt ??= p.valueAt.roles ?? p.at;
      roles.push(...named);
    }
  }
  const ensure = ensureRolesSql(roles);
  if (ensure !== undefined) out.push({ sql: ensure, ...(rolesAt ? { source: rolesAt } : {}) });
  for (const t of tables) {
    for (const p of t.rowLevelSecurity?.policies ?? []) out.push(...createPolicy(t, p));
  }
  for (const t of tables) {
    const rls = t.rowLevelSecurity;
    if (rls === undefined) continue;
    const table = qualify(t.schema, t.name);
    if (rls.enabled) {
      out.push({ sql: `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`, source: rls.valueAt.enabled ?? rls.at });
    }
    if (rls.forced) {
      out.push({ sql: `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`, source: rls.valueAt.forced ?? rls.at });
    }
  }
  return out;
}

/**
 * CREATE POLICY without expressions, then one ALTER POLICY per expression. PostgreSQL reports no
 * error position inside policy expressions, so each expression gets a statement of its own, and
 * a rejected one is reported at its own YAML line (a failed ALTER leaves the policy in place, so
 * the other expression is still checked). The shadow prints the same policy as one CREATE would.
 */
function createPolicy(t: Table, p: Policy): DdlStatement[] {
  const spans: SourceSpan[] = [{ start: 0, source: p.valueAt.name ?? p.at }];
  let sql = `CREATE POLICY ${quoteIdent(p.name)} ON ${qualify(t.schema, t.name)}`;
  const clause = (text: string, source: SourceRef | undefined) => {
    spans.push({ start: sql.length + 1, source: source ?? p.at });
    sql += ` ${text}`;
  };
  clause(p.permissive ? "AS PERMISSIVE" : "AS RESTRICTIVE", p.valueAt.permissive);
  clause(`FOR ${COMMAND[p.operations[0] ?? "all"]}`, p.valueAt.operations);
  const roles = p.roles.length === 0 ? "PUBLIC" : p.roles.map((x) => isPublic(x) ? "PUBLIC" : quoteIdent(x)).join(", ");
  clause(`TO ${roles}`, p.valueAt.roles);
  const out: DdlStatement[] = [{ sql, source: p.at, spans }];
  const alter = `ALTER POLICY ${quoteIdent(p.name)} ON ${qualify(t.schema, t.name)}`;
  if (p.usingExpr !== undefined) {
    out.push({ sql: `${alter} USING (${p.usingExpr})`, source: p.valueAt.usingSql ?? p.valueAt.using ?? p.at });
  }
  if (p.withCheckExpr !== undefined) {
    out.push({
      sql: `${alter} WITH CHECK (${p.withCheckExpr})`,
      source: p.valueAt.withCheckSql ?? p.valueAt.withCheck ?? p.at,
    });
  }
  return out;
}
