/**
 * Functions and triggers from the catalog, set-based like every other kind: one query each for
 * functions, what they depend on, what depends on them, and triggers.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { functionId, triggerId } from "../model/ids.ts";
import type { DbObject, FunctionObject, TriggerObject } from "../model/snapshot.ts";

/** `function:<schema>.<name>(<types>)` of the pg_proc row aliased `p`, namespace `pn`, in SQL. */
export const FN_ID = (p: string, pn: string): string =>
  `'function:' || ${pn}.nspname || '.' || ${p}.proname || '(' || oidvectortypes(${p}.proargtypes) || ')'`;

/** Functions (not procedures, aggregates or window functions) that no extension owns. */
export const Q_FUNCTIONS = `
SELECT n.nspname AS schema, p.proname AS name, oidvectortypes(p.proargtypes) AS args,
       pg_get_functiondef(p.oid) AS definition, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments, p.pronargdefaults::int AS defaults,
       coalesce((SELECT string_agg(coalesce(p.proargnames[i], '') || ' ' || format_type(p.proallargtypes[i], NULL), ', '
                                   ORDER BY i)
                 FROM generate_subscripts(p.proargmodes, 1) i WHERE p.proargmodes[i] IN ('o', 'b', 't')), '') AS out_arguments,
       pg_get_function_result(p.oid) AS result, l.lanname AS language,
       (SELECT coalesce(json_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END
                                 || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END), '[]')::text
        FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS execute
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind = 'f' AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2, 3`;

/**
 * What each of those functions depends on, as model ids: other functions, tables, views and
 * materialized views (a row type, or a SQL-standard body reading them), enum types and domains.
 * String bodies record nothing here.
 */
export const Q_FUNCTION_DEPENDS = `
SELECT ${FN_ID("p", "n")} AS id, dep.ref
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'n'
CROSS JOIN LATERAL (
  SELECT ${FN_ID("rp", "rn")} AS ref
  FROM pg_proc rp JOIN pg_namespace rn ON rn.oid = rp.pronamespace
  WHERE d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid AND rp.oid <> p.oid
  UNION ALL
  SELECT CASE rc.relkind WHEN 'v' THEN 'view:' WHEN 'm' THEN 'matview:' ELSE 'table:' END
         || rn.nspname || '.' || rc.relname
  FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  WHERE d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid AND rc.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT CASE WHEN t.typtype = 'e' THEN 'type:' || rn.nspname || '.' || t.typname
              WHEN t.typtype = 'd' THEN 'domain:' || rn.nspname || '.' || t.typname
              WHEN rc.relkind = 'v' THEN 'view:' || rn.nspname || '.' || rc.relname
              WHEN rc.relkind = 'm' THEN 'matview:' || rn.nspname || '.' || rc.relname
              ELSE 'table:' || rn.nspname || '.' || rc.relname END
  FROM pg_type t JOIN pg_namespace rn ON rn.oid = t.typnamespace
  LEFT JOIN pg_class rc ON rc.oid = t.typrelid
  WHERE d.refclassid = 'pg_type'::regclass AND t.oid = d.refobjid
    AND (t.typtype IN ('e', 'd') OR rc.relkind IN ('r', 'p', 'v', 'm'))
) dep
WHERE p.prokind = 'f' AND n.nspname = ANY($1::text[])
ORDER BY 1, 2`;

/**
 * What depends on each of those functions (normal dependencies), as model ids where the model
 * has the kind (a view for its `_RETURN` rule, a domain for its CHECK or default), else
 * `other:<pg_describe_object>`.
 */
export const Q_FUNCTION_USERS = `
SELECT ${FN_ID("p", "n")} AS id,
  CASE
    WHEN d.classid = 'pg_proc'::regclass THEN
      (SELECT ${FN_ID("up", "un")} FROM pg_proc up JOIN pg_namespace un ON un.oid = up.pronamespace
       WHERE up.oid = d.objid AND up.prokind = 'f')
    WHEN d.classid = 'pg_attrdef'::regclass THEN
      (SELECT 'column:' || un.nspname || '.' || uc.relname || '.' || a.attname
       FROM pg_attrdef ad JOIN pg_class uc ON uc.oid = ad.adrelid JOIN pg_namespace un ON un.oid = uc.relnamespace
       JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
       WHERE ad.oid = d.objid AND uc.relkind IN ('r', 'p'))
    WHEN d.classid = 'pg_constraint'::regclass THEN
      coalesce(
        (SELECT 'constraint:' || un.nspname || '.' || uc.relname || '.' || con.conname
         FROM pg_constraint con JOIN pg_class uc ON uc.oid = con.conrelid JOIN pg_namespace un ON un.oid = uc.relnamespace
         WHERE con.oid = d.objid AND uc.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c', 'x')),
        (SELECT 'domain:' || tn.nspname || '.' || t.typname
         FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
         WHERE con.oid = d.objid AND t.typtype = 'd'))
    WHEN d.classid = 'pg_type'::regclass THEN
      (SELECT 'domain:' || tn.nspname || '.' || t.typname
       FROM pg_type t JOIN pg_namespace tn ON tn.oid = t.typnamespace WHERE t.oid = d.objid AND t.typtype = 'd')
    WHEN d.classid = 'pg_class'::regclass THEN
      (SELECT 'index:' || un.nspname || '.' || uc.relname
       FROM pg_class uc JOIN pg_namespace un ON un.oid = uc.relnamespace
       WHERE uc.oid = d.objid AND uc.relkind IN ('i', 'I'))
    WHEN d.classid = 'pg_trigger'::regclass THEN
      (SELECT 'trigger:' || un.nspname || '.' || uc.relname || '.' || tg.tgname
       FROM pg_trigger tg JOIN pg_class uc ON uc.oid = tg.tgrelid JOIN pg_namespace un ON un.oid = uc.relnamespace
       WHERE tg.oid = d.objid AND uc.relkind IN ('r', 'p') AND NOT tg.tgisinternal AND tg.tgparentid = 0)
    WHEN d.classid = 'pg_rewrite'::regclass THEN
      (SELECT CASE uc.relkind WHEN 'v' THEN 'view:' ELSE 'matview:' END || un.nspname || '.' || uc.relname
       FROM pg_rewrite rw JOIN pg_class uc ON uc.oid = rw.ev_class JOIN pg_namespace un ON un.oid = uc.relnamespace
       WHERE rw.oid = d.objid AND uc.relkind IN ('v', 'm'))
    WHEN d.classid = 'pg_policy'::regclass THEN
      (SELECT 'policy:' || un.nspname || '.' || uc.relname || '.' || pol.polname
       FROM pg_policy pol JOIN pg_class uc ON uc.oid = pol.polrelid JOIN pg_namespace un ON un.oid = uc.relnamespace
       WHERE pol.oid = d.objid AND uc.relkind IN ('r', 'p'))
  END AS modelled,
  pg_describe_object(d.classid, d.objid, d.objsubid) AS description
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.refclassid = 'pg_proc'::regclass AND d.refobjid = p.oid AND d.deptype = 'n'
WHERE p.prokind = 'f' AND n.nspname = ANY($1::text[])
  AND NOT (d.classid = 'pg_proc'::regclass AND d.objid = p.oid)
  -- A trigger's clones on partitions come and go with it.
  AND NOT EXISTS (SELECT 1 FROM pg_trigger ct
                  WHERE d.classid = 'pg_trigger'::regclass AND ct.oid = d.objid AND ct.tgparentid <> 0)
ORDER BY 1, 2, 3`;

/** Triggers on tables (not internal ones, not the clones PostgreSQL makes on partitions). */
export const Q_TRIGGERS = `
SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled, ${FN_ID("f", "fn")} AS function
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY($1::text[])
ORDER BY 1, 2, 3`;

interface FunctionRow {
  schema: string;
  name: string;
  args: string;
  definition: string;
  arguments: string;
  identity_arguments: string;
  defaults: number;
  out_arguments: string;
  result: string;
  language: string;
  execute: string;
}

/** Read the functions and triggers of the given schemas; triggers only on tables in `tables`. */
export async function introspectFunctions(
  db: Queryable,
  schemas: string[],
  tables: Set<string>,
): Promise<DbObject[]> {
  const fns = new Map<string, FunctionObject>();
  for (const r of await db.query<FunctionRow>(Q_FUNCTIONS, [schemas])) {
    const id = functionId(r.schema, r.name, r.args);
    fns.set(id, {
      kind: "function",
      id,
      schema: r.schema,
      name: r.name,
      args: r.args,
      definition: r.definition.replace(/\n$/, ""),
      arguments: r.arguments,
      identityArguments: r.identity_arguments,
      outArguments: r.out_arguments,
      defaults: Number(r.defaults),
      result: r.result,
      language: r.language,
      execute: (JSON.parse(r.execute) as string[]).sort(),
    });
  }
  for (const r of await db.query<{ id: string; ref: string }>(Q_FUNCTION_DEPENDS, [schemas])) {
    const f = fns.get(r.id);
    if (f && !(f.dependsOn ??= []).includes(r.ref)) f.dependsOn.push(r.ref);
  }
  const users = await db.query<{ id: string; modelled: string | null; description: string }>(Q_FUNCTION_USERS, [
    schemas,
  ]);
  for (const r of users) {
    const f = fns.get(r.id);
    const user = r.modelled ?? `other:${r.description}`;
    if (f && !(f.usedBy ??= []).includes(user)) f.usedBy.push(user);
  }
  const out: DbObject[] = [...fns.values()];
  for (
    const r of await db.query<
      { schema: string; table: string; name: string; definition: string; enabled: string; function: string }
    >(Q_TRIGGERS, [schemas])
  ) {
    if (!tables.has(`table:${r.schema}.${r.table}`)) continue;
    const t: TriggerObject = {
      kind: "trigger",
      id: triggerId(r.schema, r.table, r.name),
      schema: r.schema,
      table: r.table,
      name: r.name,
      definition: r.definition,
      enabled: (["O", "D", "R", "A"].includes(r.enabled) ? r.enabled : "O") as TriggerObject["enabled"],
      function: r.function,
    };
    out.push(t);
  }
  return out;
}
