/**
 * Row-level security from the catalog: each table's ENABLE/FORCE switches and its policies, with
 * expressions printed by `pg_get_expr` (under `search_path = pg_catalog`, like every other
 * expression) and the columns they use from `pg_depend`. Two set-based queries.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { columnId, policyId, rlsId, tableId } from "../model/ids.ts";
import { compareIds, type PolicyCommand, type PolicyObject, type RlsObject } from "../model/snapshot.ts";

/** Tables with row-level security enabled or forced. */
export const Q_RLS = `
SELECT n.nspname AS schema, c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND (c.relrowsecurity OR c.relforcerowsecurity)
ORDER BY 1, 2`;

/**
 * Policies: roles as a JSON array of names (PUBLIC, oid 0, is not a role and gives none), and the
 * columns their expressions use as `[schema, table, column]` triples.
 */
export const Q_POLICIES = `
SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polpermissive AS permissive,
       p.polcmd::text AS cmd,
       (SELECT coalesce(json_agg(r.rolname), '[]') FROM pg_roles r WHERE r.oid = ANY (p.polroles))::text AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,
       (SELECT coalesce(json_agg(json_build_array(dn.nspname, dc.relname, a.attname)), '[]')
        FROM pg_depend d
        JOIN pg_class dc ON dc.oid = d.refobjid
        JOIN pg_namespace dn ON dn.oid = dc.relnamespace
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_policy'::regclass AND d.objid = p.oid
          AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0)::text AS uses
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
ORDER BY 1, 2, 3`;

const COMMANDS: Readonly<Record<string, PolicyCommand>> = {
  "*": "ALL",
  r: "SELECT",
  a: "INSERT",
  w: "UPDATE",
  d: "DELETE",
};

/** PGlite and postgres.js both return booleans, but text `t` is accepted too. */
function bool(v: unknown): boolean {
  return v === true || v === "t";
}

interface PolicyRow {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  cmd: string;
  roles: string;
  using_expr: string | null;
  check_expr: string | null;
  uses: string;
}

/**
 * The RLS switches and policies of the given schemas, for tables in `tables` (ids) only.
 */
export async function readRowLevelSecurity(
  db: Queryable,
  schemas: string[],
  tables: ReadonlySet<string>,
): Promise<Array<RlsObject | PolicyObject>> {
  const out: Array<RlsObject | PolicyObject> = [];
  const rls = await db.query<{ schema: string; table: string; enabled: boolean; forced: boolean }>(Q_RLS, [schemas]);
  for (const r of rls) {
    if (!tables.has(tableId(r.schema, r.table))) continue;
    out.push({
      kind: "rls",
      id: rlsId(r.schema, r.table),
      schema: r.schema,
      table: r.table,
      enabled: bool(r.enabled),
      forced: bool(r.forced),
    });
  }
  for (const r of await db.query<PolicyRow>(Q_POLICIES, [schemas])) {
    if (!tables.has(tableId(r.schema, r.table))) continue;
    const command = COMMANDS[r.cmd];
    if (command === undefined) throw new Error(`unknown pg_policy.polcmd ${JSON.stringify(r.cmd)}`);
    const uses = (JSON.parse(r.uses) as Array<[string, string, string]>).map(([s, t, c]) => columnId(s, t, c));
    const p: PolicyObject = {
      kind: "policy",
      id: policyId(r.schema, r.table, r.name),
      schema: r.schema,
      table: r.table,
      name: r.name,
      permissive: bool(r.permissive),
      command,
      roles: (JSON.parse(r.roles) as string[]).sort(compareIds),
      uses: [...new Set(uses)].sort(compareIds),
    };
    if (r.using_expr !== null) p.using = r.using_expr;
    if (r.check_expr !== null) p.withCheck = r.check_expr;
    out.push(p);
  }
  return out;
}
