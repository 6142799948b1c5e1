/**
 * What a partition may hold of its own beyond its parent: a column default or NOT NULL that is
 * not the parent's. The model gives a partition its parent's columns, so these are listed as not
 * managed (never silently ignored).
 * @module
 */
import type { Queryable } from "../db/queryable.ts";

/** Partition columns whose default or NOT NULL differs from the parent's column of that name. */
export const Q_PARTITION_COLUMN_ATTRIBUTES = `
SELECT c.oid::regclass::text || '.' || quote_ident(a.attname) AS name,
       concat_ws(' and ',
         CASE WHEN pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid) THEN 'default' END,
         CASE WHEN a.attnotnull <> pa.attnotnull THEN 'NOT NULL' END) AS what
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_inherits i ON i.inhrelid = c.oid
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname AND NOT pa.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
WHERE c.relispartition AND n.nspname = ANY($1::text[])
  AND (pg_get_expr(d.adbin, d.adrelid) IS DISTINCT FROM pg_get_expr(pd.adbin, pd.adrelid) OR a.attnotnull <> pa.attnotnull)
ORDER BY 1`;

/** Unmanaged-list entries for partition columns that differ from their parent's. */
export async function readPartitionColumnAttributes(db: Queryable, schemas: string[]): Promise<string[]> {
  const rows = await db.query<{ name: string; what: string }>(Q_PARTITION_COLUMN_ATTRIBUTES, [schemas]);
  return rows.map((r) => `partition column ${r.name} (its own ${r.what}, not its parent's)`);
}
