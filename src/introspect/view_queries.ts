/**
 * Catalog queries for views, materialized views, sequences and domains: set-based over the
 * managed schemas (`$1`), like the rest of queries.ts, run with `search_path = pg_catalog`.
 * @module
 */
import { FN_ID } from "./functions.ts";

/** Views and materialized views that no extension owns: query, options and output columns. */
export const Q_VIEWS = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       pg_get_viewdef(c.oid, true) AS definition,
       coalesce(array_to_json(c.reloptions), '[]')::text AS options,
       coalesce((SELECT json_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
                   CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                        THEN ' COLLATE ' || CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                                 ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
                        ELSE '' END
                   ORDER BY a.attnum)
                 FROM pg_attribute a
                 JOIN pg_type t ON t.oid = a.atttypid
                 LEFT JOIN pg_collation co ON co.oid = a.attcollation
                 LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]')::text AS columns
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2`;

/**
 * What each view's query rests on, from the `pg_depend` rows of its `_RETURN` rule: relations
 * (and their columns), types, constraints (a GROUP BY on a primary key rests on the key) and
 * functions (`ref_sub` holds their argument types).
 */
export const Q_VIEW_DEPENDS = `
SELECT DISTINCT n.nspname AS schema, v.relname AS name, x.kind, x.ref_schema, x.ref_name, x.ref_sub
FROM pg_rewrite r
JOIN pg_class v ON v.oid = r.ev_class
JOIN pg_namespace n ON n.oid = v.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'n'
JOIN LATERAL (
  SELECT rc.relkind::text AS kind, rn.nspname AS ref_schema, rc.relname AS ref_name, ra.attname AS ref_sub
  FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = d.refobjsubid AND d.refobjsubid > 0
  WHERE d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid AND rc.oid <> v.oid
  UNION ALL
  SELECT 'type_' || ty.typtype::text, tn.nspname, ty.typname, NULL
  FROM pg_type ty JOIN pg_namespace tn ON tn.oid = ty.typnamespace
  WHERE d.refclassid = 'pg_type'::regclass AND ty.oid = d.refobjid
  UNION ALL
  SELECT 'constraint', cn.nspname, con.conname, cc.relname
  FROM pg_constraint con JOIN pg_class cc ON cc.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
  WHERE d.refclassid = 'pg_constraint'::regclass AND con.oid = d.refobjid
  UNION ALL
  SELECT 'function', fn.nspname, fp.proname, oidvectortypes(fp.proargtypes)
  FROM pg_proc fp JOIN pg_namespace fn ON fn.oid = fp.pronamespace
  WHERE d.refclassid = 'pg_proc'::regclass AND fp.oid = d.refobjid
) x ON true
WHERE v.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[])
  AND x.ref_schema NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3, 4, 5, 6`;

/**
 * Every sequence in the managed schemas with its parameters and, when a column owns it, the
 * column and how (`a`: serial-style or OWNED BY, `i`: identity).
 */
export const Q_SEQUENCES = `
SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
       tn.nspname AS owner_schema, t.relname AS owner_table, a.attname AS owner_column, d.deptype::text AS deptype
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY 1, 2`;

/** Domains that no extension owns, with their CHECK constraints (name, definition) by name. */
export const Q_DOMAINS = `
SELECT n.nspname AS schema, t.typname AS name, format_type(t.typbasetype, t.typtypmod) AS base_type,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END AS collation,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr, t.typnotnull AS not_null,
       coalesce((SELECT json_agg(json_build_array(con.conname::text, pg_get_constraintdef(con.oid)) ORDER BY con.conname)
                 FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c'), '[]')::text AS checks,
       -- The functions its default and CHECKs call (ordering only: they must exist before it).
       coalesce((SELECT json_agg(DISTINCT ${FN_ID("f", "fn")})
                 FROM pg_depend d JOIN pg_proc f ON f.oid = d.refobjid JOIN pg_namespace fn ON fn.oid = f.pronamespace
                 WHERE d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'
                   AND ((d.classid = 'pg_type'::regclass AND d.objid = t.oid)
                     OR (d.classid = 'pg_constraint'::regclass
                         AND d.objid IN (SELECT con.oid FROM pg_constraint con WHERE con.contypid = t.oid)))), '[]')::text AS functions
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd' AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2`;
