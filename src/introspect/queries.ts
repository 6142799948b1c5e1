/**
 * Catalog queries, one per object kind, each set-based over all managed schemas (`$1`, a text
 * array): the whole catalog is read in a handful of round trips, never one query per object.
 * They run with `search_path = pg_catalog`, so every user object PostgreSQL prints is
 * schema-qualified and every built-in is not, on both sides of a diff.
 * @module
 */

/** User schemas (not system, not owned by an extension). */
export const Q_USER_SCHEMAS = `
SELECT n.nspname AS name
FROM pg_namespace n
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
ORDER BY 1`;

/** Which of the requested schemas exist. */
export const Q_SCHEMAS = `
SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY 1`;

/** Enum types that no extension owns, labels as a JSON array in sort order. */
export const Q_ENUMS = `
SELECT n.nspname AS schema, t.typname AS name,
       json_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
GROUP BY 1, 2
ORDER BY 1, 2`;

/**
 * Tables, partitioned tables and partitions that no extension owns: the partition key
 * (`pg_get_partkeydef`), and for a partition its parent and bound (`pg_get_expr(relpartbound)`).
 */
export const Q_TABLES = `
SELECT n.nspname AS schema, c.relname AS name,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
       pn.nspname AS parent_schema, p.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class p ON p.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2`;

/**
 * Columns with type, collation (when not the type's default), default and identity. A partition's
 * columns are its parent's (see introspect/partitions.ts for the attributes it may hold of its own).
 */
export const Q_COLUMNS = `
SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, a.attnum::int AS position,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END AS collation,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity::text AS identity, a.attgenerated::text AS generated
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
  AND NOT c.relispartition
ORDER BY 1, 2, 4`;

/** Sequences owned by a column through a serial-style ('a'uto) dependency. */
export const Q_OWNED_SEQUENCES = `
SELECT tn.nspname AS schema, t.relname AS table, a.attname AS column,
       sn.nspname AS seq_schema, s.relname AS seq_name
FROM pg_depend d
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
  AND d.deptype = 'a' AND tn.nspname = ANY($1::text[])`;

/**
 * Table constraints (NOT NULL rows of PostgreSQL 18, contype 'n', are column attributes here).
 * Clones PostgreSQL makes itself for partitions (`conparentid` set) follow their parent, and so
 * do the CHECKs a partition inherits (`coninhcount`; a re-attached partition's CHECK is both).
 */
export const Q_CONSTRAINTS = `
SELECT n.nspname AS schema, c.relname AS table, con.conname AS name, con.contype::text AS type,
       pg_get_constraintdef(con.oid) AS definition,
       rn.nspname AS ref_schema, rc.relname AS ref_table
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY($1::text[]) AND con.conparentid = 0
  AND (con.coninhcount = 0 OR NOT c.relispartition)
ORDER BY 1, 2, 3`;

/**
 * Indexes that do not back a primary key, unique or exclusion constraint. A partition's index
 * attached to its parent's (`relispartition`) follows the parent's index.
 */
export const Q_INDEXES = `
SELECT n.nspname AS schema, t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE t.relkind IN ('r', 'p', 'm') AND n.nspname = ANY($1::text[]) AND NOT i.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                  WHERE con.conindid = i.oid AND con.conrelid = t.oid AND con.contype IN ('p', 'u', 'x'))
ORDER BY 1, 3`;

/** Comments on tables and their columns. */
export const Q_COMMENTS = `
SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, ds.description AS text
FROM pg_description ds
JOIN pg_class c ON c.oid = ds.objoid AND ds.classoid = 'pg_class'::regclass
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ds.objsubid AND ds.objsubid > 0
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
  AND (ds.objsubid = 0 OR (a.attnum IS NOT NULL AND NOT a.attisdropped))
ORDER BY 1, 2, 3 NULLS FIRST`;

/** Every installed extension but plpgsql (always there), with its schema, sorted by name. */
export const Q_INSTALLED_EXTENSIONS = `
SELECT e.extname AS name, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY e.extname COLLATE "C"`;
