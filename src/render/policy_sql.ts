/**
 * SQL for row-level security objects of a snapshot: the statements that create them, the
 * statement that makes the roles they name exist in a shadow, and the in-place re-execution of
 * their expressions for the second printing.
 * @module
 */
import { policyDefinition, rlsDefinition } from "../model/policy_definition.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import { compareIds, objectsOfKind, type PolicyObject, type RlsObject, type Snapshot } from "../model/snapshot.ts";

/** `CREATE POLICY name ON schema.table AS … ;`. */
export function createPolicySql(p: PolicyObject): string {
  return `CREATE POLICY ${quoteIdent(p.name)} ON ${qualify(p.schema, p.table)} ${policyDefinition(p)};`;
}

/** `DROP POLICY name ON schema.table;`. */
export function dropPolicySql(p: PolicyObject): string {
  return `DROP POLICY ${quoteIdent(p.name)} ON ${qualify(p.schema, p.table)};`;
}

/** `ALTER TABLE schema.table ENABLE ROW LEVEL SECURITY[, FORCE ROW LEVEL SECURITY];`. */
export function rlsSql(o: RlsObject): string {
  return `ALTER TABLE ${qualify(o.schema, o.table)} ${rlsDefinition(o)};`;
}

/**
 * A statement that creates, as NOLOGIN roles without privileges, those of `roles` that do not
 * exist yet (policies can only name existing roles), or undefined when there are none. Meant
 * for the shadow only: the live database must already have its roles.
 */
export function ensureRolesSql(roles: Iterable<string>): string | undefined {
  const names = [...new Set(roles)].sort(compareIds);
  if (names.length === 0) return undefined;
  let tag = "$pgc_roles$";
  while (names.some((n) => n.includes(tag))) tag = tag.replace(/\$$/, "_$");
  const body = names.map((n) =>
    `IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(n)}) ` +
    `THEN CREATE ROLE ${quoteIdent(n)} NOLOGIN; END IF;`
  ).join(" ");
  return `DO ${tag} BEGIN ${body} END ${tag}`;
}

/** The roles the policies of a snapshot name. */
export function policyRolesOf(snap: Snapshot): string[] {
  return objectsOfKind(snap, "policy").flatMap((p) => p.roles);
}

/**
 * Re-execute each policy's expressions in place (`ALTER POLICY … USING (…) WITH CHECK (…)`), so
 * PostgreSQL parses and prints them a second time, like CHECKs.
 */
export function reprintPolicySql(snap: Snapshot): string[] {
  const out: string[] = [];
  for (const p of objectsOfKind(snap, "policy")) {
    const parts: string[] = [];
    if (p.using !== undefined) parts.push(`USING (${p.using})`);
    if (p.withCheck !== undefined) parts.push(`WITH CHECK (${p.withCheck})`);
    if (parts.length === 0) continue;
    out.push(`ALTER POLICY ${quoteIdent(p.name)} ON ${qualify(p.schema, p.table)} ${parts.join(" ")}`);
  }
  return out;
}
