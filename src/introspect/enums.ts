/**
 * What rests on each enum type, read set-based from `pg_depend`: the objects that depend on the
 * type (or its array type) directly, and those that depend on a column of that type. Recreating
 * the type (a label removed, labels reordered) must carry every one of them across.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { typeId } from "../model/ids.ts";
import type { DbObject } from "../model/snapshot.ts";

/**
 * Dependents of the enum types of the managed schemas (`$1`), as model ids where the model has the
 * kind (`column:`, `default:column:` for a column default, `constraint:`, `index:`, `view:`,
 * `matview:`, `policy:`, `function:`, `trigger:`, `domain:`), `skip` for what follows its parent
 * (partitions, owned sequences), NULL otherwise (reported as `other:<pg_describe_object>`).
 */
export const Q_ENUM_USERS = `
WITH e AS (
  SELECT t.oid, t.typarray, n.nspname AS schema, t.typname AS name
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e' AND n.nspname = ANY($1::text[])
), dep AS (
  SELECT e.schema, e.name, d.classid, d.objid, d.objsubid
  FROM e JOIN pg_depend d ON d.refclassid = 'pg_type'::regclass AND d.refobjid IN (e.oid, e.typarray)
  WHERE d.deptype IN ('n', 'a')
  UNION
  SELECT e.schema, e.name, d.classid, d.objid, d.objsubid
  FROM e
  JOIN pg_attribute a ON a.atttypid IN (e.oid, e.typarray) AND NOT a.attisdropped AND a.attnum > 0
  JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum
  WHERE d.deptype IN ('n', 'a')
)
SELECT dep.schema, dep.name,
  CASE
    WHEN dep.classid = 'pg_class'::regclass THEN
      (SELECT CASE
         WHEN c.relispartition OR c.relkind = 'S' THEN 'skip'
         WHEN NOT cn.nspname = ANY($1::text[]) THEN NULL
         WHEN c.relkind IN ('r', 'p') AND dep.objsubid > 0 THEN
           'column:' || cn.nspname || '.' || c.relname || '.' ||
           (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = dep.objsubid)
         WHEN c.relkind IN ('i', 'I') THEN 'index:' || cn.nspname || '.' || c.relname
         WHEN c.relkind = 'v' THEN 'view:' || cn.nspname || '.' || c.relname
         WHEN c.relkind = 'm' THEN 'matview:' || cn.nspname || '.' || c.relname
       END
       FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace WHERE c.oid = dep.objid)
    WHEN dep.classid = 'pg_rewrite'::regclass THEN
      (SELECT CASE WHEN c.relkind = 'v' THEN 'view:' ELSE 'matview:' END || cn.nspname || '.' || c.relname
       FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace cn ON cn.oid = c.relnamespace
       WHERE r.oid = dep.objid AND c.relkind IN ('v', 'm') AND cn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_attrdef'::regclass THEN
      (SELECT CASE WHEN c.relispartition THEN 'skip'
                   ELSE 'default:column:' || cn.nspname || '.' || c.relname || '.' || a.attname END
       FROM pg_attrdef ad JOIN pg_class c ON c.oid = ad.adrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
       WHERE ad.oid = dep.objid AND c.relkind IN ('r', 'p') AND cn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_constraint'::regclass THEN
      -- NOT NULL rows (PostgreSQL 18) are column attributes here, not constraints.
      (SELECT CASE WHEN c.relispartition OR con.contype = 'n' THEN 'skip'
                   ELSE 'constraint:' || cn.nspname || '.' || c.relname || '.' || con.conname END
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       WHERE con.oid = dep.objid AND c.relkind IN ('r', 'p') AND cn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_policy'::regclass THEN
      (SELECT 'policy:' || cn.nspname || '.' || c.relname || '.' || pol.polname
       FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       WHERE pol.oid = dep.objid AND cn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_proc'::regclass THEN
      (SELECT 'function:' || pn.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
       FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace
       WHERE p.oid = dep.objid AND p.prokind = 'f' AND pn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_trigger'::regclass THEN
      (SELECT CASE WHEN tg.tgparentid <> 0 THEN 'skip'
                   ELSE 'trigger:' || cn.nspname || '.' || c.relname || '.' || tg.tgname END
       FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       WHERE tg.oid = dep.objid AND NOT tg.tgisinternal AND cn.nspname = ANY($1::text[]))
    WHEN dep.classid = 'pg_type'::regclass THEN
      (SELECT 'domain:' || tn.nspname || '.' || ty.typname
       FROM pg_type ty JOIN pg_namespace tn ON tn.oid = ty.typnamespace
       WHERE ty.oid = dep.objid AND ty.typtype = 'd' AND tn.nspname = ANY($1::text[]))
  END AS modelled,
  pg_describe_object(dep.classid, dep.objid, dep.objsubid) AS description
FROM dep
ORDER BY 1, 2, 3, 4`;

/** Fill in `usedBy` of the enum objects among `objects` (sorted, without duplicates). */
export async function readEnumUsers(db: Queryable, schemas: string[], objects: DbObject[]): Promise<void> {
  const enums = new Map<string, Extract<DbObject, { kind: "enum" }>>();
  for (const o of objects) if (o.kind === "enum") enums.set(o.id, o);
  if (enums.size === 0) return;
  const rows = await db.query<{ schema: string; name: string; modelled: string | null; description: string }>(
    Q_ENUM_USERS,
    [schemas],
  );
  for (const r of rows) {
    const e = enums.get(typeId(r.schema, r.name));
    if (!e || r.modelled === "skip") continue;
    const user = r.modelled ?? `other:${r.description}`;
    const list = e.usedBy ??= [];
    if (!list.includes(user)) list.push(user);
  }
  for (const e of enums.values()) e.usedBy?.sort();
}
