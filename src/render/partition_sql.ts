/** `CREATE TABLE` of a table with its partitioning, tables in an order that loads, indexes of partitioned tables. @module */
import { tableId } from "../model/ids.ts";
import { partitionClauses, partitionDepth } from "../model/partitions.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import {
  type ColumnObject,
  compareIds,
  type IndexObject,
  objectsOfKind,
  type Snapshot,
  type TableObject,
} from "../model/snapshot.ts";
import { createTableSql } from "./snapshot_sql.ts";

/**
 * The `CREATE TABLE` statement of any table: a plain one with its columns, a partitioned one
 * with ` PARTITION BY …` after them, a partition as `PARTITION OF parent FOR VALUES …` (its
 * columns are the parent's, so it lists none).
 */
export function createAnyTableSql(t: TableObject, columns: ColumnObject[]): string {
  if (t.partitionOf) return `CREATE TABLE ${qualify(t.schema, t.name)}${partitionClauses(t)};`;
  const sql = createTableSql(t.schema, t.name, columns);
  return t.partitionBy ? `${sql.slice(0, -1)}${partitionClauses(t)};` : sql;
}

/** The tables of a snapshot, every partition after the table it belongs to, else by id. */
export function tablesInLoadOrder(snap: Snapshot): TableObject[] {
  const depth = (t: TableObject) => partitionDepth(t, snap);
  return objectsOfKind(snap, "table").sort((a, b) => depth(a) - depth(b) || compareIds(a.id, b.id));
}

/**
 * The statement that creates an index, from its canonical definition. PostgreSQL prints an index
 * of a partitioned table as `CREATE INDEX i ON ONLY t …`, but executing that builds no index on the
 * partitions and leaves the parent's invalid: the statement creates it on the whole tree (what
 * a plain `CREATE INDEX` on a partitioned table does, and what re-introspection then prints as
 * `ON ONLY` again). Without semicolon.
 */
export function createIndexSql(i: IndexObject): string {
  for (const unique of ["", "UNIQUE "]) {
    const only = `CREATE ${unique}INDEX ${quoteIdent(i.name)} ON ONLY `;
    if (i.definition.startsWith(only)) {
      return `CREATE ${unique}INDEX ${quoteIdent(i.name)} ON ${i.definition.slice(only.length)}`;
    }
  }
  return i.definition;
}

/** Whether an index or constraint is on a partition of the snapshot. */
export function onPartition(snap: Snapshot, o: { schema: string; table: string }): boolean {
  const t = snap.objects.get(tableId(o.schema, o.table));
  return t?.kind === "table" && t.partitionOf !== undefined;
}

/**
 * Indexes in load order: those of partitions after all others. A partitioned table's index
 * adopts an equal index a partition already has, which then is no longer the partition's own.
 */
export function indexesInLoadOrder(snap: Snapshot, indexes: IndexObject[]): IndexObject[] {
  const onPartition = (i: IndexObject) => {
    const t = snap.objects.get(tableId(i.schema, i.table));
    return t?.kind === "table" && t.partitionOf ? 1 : 0;
  };
  return [...indexes].sort((a, b) => onPartition(a) - onPartition(b) || compareIds(a.id, b.id));
}
