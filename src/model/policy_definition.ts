/**
 * Canonical definitions of row-level security: a table's switches and a policy. A policy's
 * definition is the part of `CREATE POLICY name ON table …` after the table, laid out as pg_dump
 * prints it, with every clause spelled out (AS, FOR, TO), so two policies are equal exactly when
 * their texts are.
 * @module
 */
import { quoteIdent } from "./quote.ts";
import type { PolicyObject, RlsObject } from "./snapshot.ts";

/** `ENABLE ROW LEVEL SECURITY`, `FORCE ROW LEVEL SECURITY`, or both joined as ALTER TABLE actions. */
export function rlsDefinition(o: RlsObject): string {
  const clauses: string[] = [];
  if (o.enabled) clauses.push("ENABLE ROW LEVEL SECURITY");
  if (o.forced) clauses.push("FORCE ROW LEVEL SECURITY");
  return clauses.join(", ");
}

/** `PUBLIC`, or the roles quoted and comma-separated. */
export function policyRoles(roles: readonly string[]): string {
  return roles.length === 0 ? "PUBLIC" : roles.map(quoteIdent).join(", ");
}

/**
 * `AS PERMISSIVE FOR ALL TO PUBLIC USING (…) WITH CHECK (…)`.
 *
 * @example
 * ```ts
 * policyDefinition({ permissive: true, command: "SELECT", roles: ["app"], using: "(owner = CURRENT_USER)" });
 * // "AS PERMISSIVE FOR SELECT TO app USING ((owner = CURRENT_USER))"
 * ```
 */
export function policyDefinition(
  p: Pick<PolicyObject, "permissive" | "command" | "roles" | "using" | "withCheck">,
): string {
  let out = `AS ${p.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${p.command} TO ${policyRoles(p.roles)}`;
  if (p.using !== undefined) out += ` USING (${p.using})`;
  if (p.withCheck !== undefined) out += ` WITH CHECK (${p.withCheck})`;
  return out;
}
