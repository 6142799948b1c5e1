/**
 * What outside the managed schemas rests on an object a plan drops. pgconverge reads only the
 * schemas it manages, so a foreign key, view or column in another schema that needs a dropped
 * table, column or type is invisible to the plan — and its DROP would fail at apply (never
 * CASCADE). PostgreSQL's `pg_depend` knows; it is asked at plan time, so the plan says so instead.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { qualify } from "../model/quote.ts";
import type { Snapshot } from "../model/snapshot.ts";
import type { Step } from "../plan/step.ts";

/**
 * Dependents of the dropped relations ($1, regclass texts), columns ($2 relation, $3 column) and
 * types ($4, regtype texts) whose own schema is not one of $5. Only normal dependencies block a
 * DROP: an automatic one (a sequence owned by a dropped column) goes with it. The schema of a
 * dependent is that of the object it is (a constraint, a view's rule, a column's table, a
 * function, a type, a trigger's or policy's table, a default's table).
 */
export const Q_OUTSIDE_DEPENDENTS = `
WITH rel AS (SELECT to_regclass(r) AS oid FROM unnest($1::text[]) AS r),
     col AS (SELECT a.attrelid, a.attnum FROM unnest($2::text[], $3::text[]) AS u(r, c)
             JOIN pg_attribute a ON a.attrelid = to_regclass(u.r) AND a.attname = u.c),
     typ AS (SELECT to_regtype(t) AS oid FROM unnest($4::text[]) AS t)
SELECT DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) AS dependent,
       -- A dropped relation is named whole, not once per column the dependent uses.
       pg_describe_object(d.refclassid, d.refobjid,
         CASE WHEN d.refobjid IN (SELECT oid FROM rel) THEN 0 ELSE d.refobjsubid END) AS target
FROM pg_depend d
CROSS JOIN LATERAL (SELECT CASE d.classid
    WHEN 'pg_constraint'::regclass THEN (SELECT connamespace FROM pg_constraint WHERE oid = d.objid)
    WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = d.objid)
    WHEN 'pg_rewrite'::regclass THEN
      (SELECT c.relnamespace FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid)
    WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = d.objid)
    WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = d.objid)
    WHEN 'pg_trigger'::regclass THEN
      (SELECT c.relnamespace FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.oid = d.objid)
    WHEN 'pg_policy'::regclass THEN
      (SELECT c.relnamespace FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE p.oid = d.objid)
    WHEN 'pg_attrdef'::regclass THEN
      (SELECT c.relnamespace FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid WHERE a.oid = d.objid)
  END AS ns) x
JOIN pg_namespace dn ON dn.oid = x.ns
WHERE d.deptype = 'n'
  AND dn.nspname <> ALL($5::text[])
  AND ((d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM rel))
    OR (d.refclassid = 'pg_class'::regclass AND (d.refobjid, d.refobjsubid) IN (SELECT attrelid, attnum FROM col))
    OR (d.refclassid = 'pg_type'::regclass AND d.refobjid IN (SELECT oid FROM typ)))
ORDER BY 2, 1`;

/** "constraint x on table s.t depends on table public.a", for each dependent outside `schemas`. */
export async function outsideDependents(
  db: Queryable,
  from: Snapshot,
  steps: Step[],
  schemas: string[],
): Promise<string[]> {
  const rels: string[] = [], colRels: string[] = [], cols: string[] = [], types: string[] = [];
  for (const s of steps) {
    const o = from.objects.get(s.id);
    if (!o) continue;
    if (
      (s.op === "drop_table" && o.kind === "table") ||
      (s.op === "drop_view" && (o.kind === "view" || o.kind === "matview"))
    ) {
      rels.push(qualify(o.schema, o.name));
    } else if (s.op === "drop_column" && o.kind === "column") {
      colRels.push(qualify(o.schema, o.table));
      cols.push(o.name);
    } else if ((s.op === "drop_enum" || s.op === "drop_domain") && (o.kind === "enum" || o.kind === "domain")) {
      types.push(qualify(o.schema, o.name));
    }
  }
  if (rels.length + cols.length + types.length === 0) return [];
  const rows = await db.query<{ dependent: string; target: string }>(Q_OUTSIDE_DEPENDENTS, [
    rels,
    colRels,
    cols,
    types,
    schemas,
  ]);
  return rows.map((r) => `${r.dependent} depends on ${r.target}`);
}
