/**
 * Partitioning in the model: a partitioned table carries its key, a partition its parent and
 * bound. Both are part of the table's definition, so a new key or bound is a change of the table.
 * @module
 */
import { tableId } from "./ids.ts";
import { qualify } from "./quote.ts";
import type { Snapshot, TableObject } from "./snapshot.ts";

/** The canonical definition of a table: `TABLE s.t`, with its partition key or parent and bound. */
export function tableDefinition(t: TableObject): string {
  return `TABLE ${qualify(t.schema, t.name)}${partitionClauses(t)}`;
}

/**
 * What follows the name (and column list) in a table's `CREATE TABLE`: ` PARTITION OF p FOR VALUES …`
 * and/or ` PARTITION BY …` (a partition can be partitioned itself), or nothing for a plain table.
 */
export function partitionClauses(t: TableObject): string {
  const of = t.partitionOf ? ` PARTITION OF ${qualify(t.partitionOf.schema, t.partitionOf.table)} ${t.bound}` : "";
  return `${of}${t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : ""}`;
}

/** Id of the table a partition belongs to, or undefined for a table that is not a partition. */
export function parentId(t: TableObject): string | undefined {
  return t.partitionOf ? tableId(t.partitionOf.schema, t.partitionOf.table) : undefined;
}

/**
 * How deep a table sits in a partition tree (0: not a partition; 1: a partition of a root; …),
 * read from the tables of a snapshot. A parent missing from the snapshot counts as a root.
 */
export function partitionDepth(t: TableObject, snap: Snapshot): number {
  let depth = 0;
  const seen = new Set<string>();
  for (let id = parentId(t); id !== undefined && !seen.has(id);) {
    seen.add(id);
    depth++;
    const parent = snap.objects.get(id);
    id = parent?.kind === "table" ? parentId(parent) : undefined;
  }
  return depth;
}
