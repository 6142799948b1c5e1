/**
 * Roles, extensions and privileges: read only within a {@link ManagedScope}, each in one
 * set-based query. Roles are cluster-wide, so only the roles a schema.yaml names are ever read;
 * privileges are read in the managed schemas, without the owner's own (implicit) privileges and
 * without the initial privileges PostgreSQL gave the object (`pg_init_privs`, e.g. USAGE for
 * PUBLIC on schema public).
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { extensionId, grantId, roleId, schemaId, tableId } from "../model/ids.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { DbObject, GrantObject, ManagedScope } from "../model/snapshot.ts";

/** The named roles, with the roles each is granted to (PostgreSQL 16+ may hold one row per grantor). */
export const Q_ROLES = `
SELECT r.rolname AS name, r.rolcanlogin AS login, r.rolbypassrls AS bypass_rls,
       coalesce((SELECT json_agg(x.name ORDER BY x.name)
                 FROM (SELECT DISTINCT mr.rolname AS name FROM pg_auth_members am
                       JOIN pg_roles mr ON mr.oid = am.member WHERE am.roleid = r.oid) x), '[]')::text AS members
FROM pg_roles r
WHERE r.rolname = ANY($1::text[])
ORDER BY 1`;

/** The named extensions, with their schema and version. */
export const Q_EXTENSIONS = `
SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = ANY($1::text[])
ORDER BY 1`;

/**
 * Privileges on the tables and the schemas themselves, one row per grantee and privilege; the
 * owner's are left out (they are implicit), so are those in `pg_init_privs` (given by initdb or
 * an extension). Grantee 0 is PUBLIC.
 */
export const Q_GRANTS = `
SELECT g.target, g.schema, g.table, CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.privilege_type AS privilege, a.is_grantable AS grantable
FROM (
  SELECT 'table' AS target, n.nspname AS schema, c.relname AS table, c.relacl AS acl, c.relowner AS owner,
         'pg_class'::regclass AS classid, c.oid AS objid
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND c.relacl IS NOT NULL
  UNION ALL
  SELECT 'schema', n.nspname, NULL, n.nspacl, n.nspowner, 'pg_namespace'::regclass, n.oid
  FROM pg_namespace n WHERE n.nspname = ANY($1::text[]) AND n.nspacl IS NOT NULL
) g
CROSS JOIN LATERAL aclexplode(g.acl) a
WHERE a.grantee <> g.owner
  AND NOT EXISTS (SELECT 1 FROM pg_init_privs ip CROSS JOIN LATERAL aclexplode(ip.initprivs) ia
                  WHERE ip.classoid = g.classid AND ip.objoid = g.objid AND ip.objsubid = 0
                    AND ia.grantee = a.grantee AND ia.privilege_type = a.privilege_type)
ORDER BY 1, 2, 3, 4, 5`;

/**
 * Views, materialized views and sequences that grant privileges to a role other than their owner:
 * such privileges are not modelled yet, so they are listed as not managed (never silently ignored).
 */
export const Q_OTHER_GRANTS = `
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'sequence' END AS kind,
       n.nspname AS schema, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm', 'S') AND n.nspname = ANY($1::text[]) AND c.relacl IS NOT NULL
  AND EXISTS (SELECT 1 FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)
ORDER BY 2, 3`;

/** Key of {@link Snapshot.owners} for the owner of objects a plan creates: the role that runs it. */
export const NEW_OBJECT_OWNER = "*";

/**
 * Owners of the tables and schemas grants can be on (their own privileges are never planned),
 * and the role that will own what the plan creates.
 */
export const Q_OWNERS = `
SELECT 'table' AS target, n.nspname AS schema, c.relname AS table, pg_get_userbyid(c.relowner) AS owner
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
UNION ALL
SELECT 'schema', n.nspname, NULL, pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE n.nspname = ANY($1::text[])
UNION ALL
SELECT 'new', NULL, NULL, current_user::text
ORDER BY 1, 2, 3`;

interface GrantRow {
  target: "table" | "schema";
  schema: string;
  table: string | null;
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/** What {@link readAccess} found. */
export interface AccessReading {
  /** Roles, extensions and (when managed) grants. */
  objects: DbObject[];
  /** `privileges <object>` entries for the unmanaged list, when grants are not managed. */
  unmanaged: string[];
  /** Owners by object id, when grants are managed. */
  owners?: Record<string, string>;
}

function truthy(v: unknown): boolean {
  return v === true || v === "t";
}

/**
 * Read roles, extensions and grants within `scope` from the schemas `present`. Without a scope
 * (a `.sql` source, `dump`) nothing is read as an object, and privileges are listed as unmanaged.
 */
export async function readAccess(
  db: Queryable,
  present: string[],
  scope: ManagedScope | undefined,
): Promise<AccessReading> {
  const objects: DbObject[] = [];
  const unmanaged: string[] = [];
  if (scope && scope.roles.length > 0) {
    for (
      const r of await db.query<{ name: string; login: boolean; bypass_rls: boolean; members: string }>(Q_ROLES, [
        scope.roles,
      ])
    ) {
      objects.push({
        kind: "role",
        id: roleId(r.name),
        name: r.name,
        login: truthy(r.login),
        bypassRls: truthy(r.bypass_rls),
        members: JSON.parse(r.members) as string[],
      });
    }
  }
  if (scope && scope.extensions.length > 0) {
    const wanted = new Map(scope.extensions.map((e) => [e.name, e]));
    for (
      const r of await db.query<{ name: string; schema: string; version: string }>(Q_EXTENSIONS, [[...wanted.keys()]])
    ) {
      const w = wanted.get(r.name)!;
      objects.push({
        kind: "extension",
        id: extensionId(r.name),
        name: r.name,
        ...(w.schema ? { schema: r.schema } : {}),
        ...(w.version ? { version: r.version } : {}),
      });
    }
  }
  const rows = await db.query<GrantRow>(Q_GRANTS, [present]);
  for (const r of await db.query<{ kind: string; schema: string; name: string }>(Q_OTHER_GRANTS, [present])) {
    unmanaged.push(`privileges ${r.kind} ${qualify(r.schema, r.name)}`);
  }
  if (scope?.grants) {
    for (const r of rows) objects.push(grantOf(r));
    const owners: Record<string, string> = {};
    for (
      const r of await db.query<{ target: string; schema: string; table: string | null; owner: string }>(Q_OWNERS, [
        present,
      ])
    ) {
      const id = r.target === "new"
        ? NEW_OBJECT_OWNER
        : r.target === "table"
        ? tableId(r.schema, r.table!)
        : schemaId(r.schema);
      owners[id] = r.owner;
    }
    return { objects, unmanaged, owners };
  }
  const on = new Set(
    rows.map((r) => r.target === "table" ? qualify(r.schema, r.table!) : `schema ${quoteIdent(r.schema)}`),
  );
  for (const o of [...on].sort()) unmanaged.push(`privileges ${o}`);
  return { objects, unmanaged };
}

function grantOf(r: GrantRow): GrantObject {
  const objectId = r.target === "table" ? tableId(r.schema, r.table!) : schemaId(r.schema);
  const g: GrantObject = {
    kind: "grant",
    id: grantId(objectId, r.grantee, r.privilege),
    schema: r.schema,
    on: r.target,
    grantee: r.grantee,
    privilege: r.privilege,
    grantable: truthy(r.grantable),
  };
  if (r.table !== null) g.table = r.table;
  return g;
}
