/**
 * Diff of partitioning. A partitioned table and its partitions are tables: created (partitions
 * after their parent, as `PARTITION OF`) and dropped (partitions first) like any other. What
 * PostgreSQL cannot change in place is refused with a way out: a new partition key, a table
 * turning partitioned or plain, a table moving into or out of a partition tree. A partition whose
 * bound changed is detached and attached again with the new bound (its rows stay).
 * @module
 */
import { PgcError } from "../model/errors.ts";
import { parentId, partitionDepth } from "../model/partitions.ts";
import { tableId } from "../model/ids.ts";
import { qualify } from "../model/quote.ts";
import type { TableObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import type { DiffContext } from "./diff.ts";

/** Where a new table sits in its partition tree: depth, and whether its parent is new too. */
export function partitionPlace(t: TableObject, ctx: DiffContext): { depth?: number; parentIsNew?: boolean } {
  const parent = parentId(t);
  if (parent === undefined) return {};
  return { depth: partitionDepth(t, ctx.to), parentIsNew: ctx.newTables.has(parent) };
}

/**
 * A partition whose parent is dropped too: the parent's `DROP TABLE` takes it along (a DROP of its
 * own, first, would fail while a foreign key to the parent still reaches it).
 */
export function goesWithParent(t: TableObject, ctx: DiffContext): boolean {
  for (let id = parentId(t); id !== undefined;) {
    if (ctx.droppedTables.has(id)) return true;
    const parent = ctx.from.objects.get(id);
    id = parent?.kind === "table" ? parentId(parent) : undefined;
  }
  return false;
}

/** The partitioning changes of a table that exists on both sides (none, a new bound, or a refusal). */
export function diffPartitioning(live: TableObject, want: TableObject): Change[] {
  const name = qualify(want.schema, want.name);
  if (Boolean(live.partitionBy) !== Boolean(want.partitionBy)) {
    throw new PgcError(
      "unsupported",
      `Table ${name} changes from ${live.partitionBy ? "partitioned to plain" : "plain to partitioned"}; ` +
        "PostgreSQL cannot convert a table in place.",
      {
        hint: "Rename the table, create the new one (or let pgconverge create it), copy the rows across, " +
          "drop the old one, then plan again.",
      },
    );
  }
  if (live.partitionBy !== want.partitionBy) {
    throw new PgcError(
      "unsupported",
      `Table ${name} changes its partition key from ${live.partitionBy} to ${want.partitionBy}; ` +
        "that needs a new table and a copy of every row.",
      {
        hint: "Create a table with the new key under another name, copy the rows across, swap the names, " +
          "then plan again.",
      },
    );
  }
  if (parentId(live) !== parentId(want)) {
    const was = live.partitionOf ? `a partition of ${qualify(live.partitionOf.schema, live.partitionOf.table)}` : "";
    const now = want.partitionOf ? `a partition of ${qualify(want.partitionOf.schema, want.partitionOf.table)}` : "";
    throw new PgcError(
      "unsupported",
      `Table ${name} changes from ${was || "a table of its own"} to ${now || "a table of its own"}; ` +
        "pgconverge does not yet attach or detach existing tables.",
      {
        hint: "Run ALTER TABLE … DETACH PARTITION / ATTACH PARTITION … FOR VALUES … by hand (the table's columns " +
          "must match its new parent's), then plan again.",
      },
    );
  }
  if (live.bound !== want.bound) return [{ op: "alter_partition_bound", from: live, to: want }];
  return [];
}

/**
 * Mark the new indexes of partitions: they are created after the indexes of partitioned tables.
 * A partitioned table's new index adopts an equal index a partition already has instead of
 * building its own, and an adopted index is no longer the partition's: created first, the
 * partition's own index would vanish into the parent's.
 */
export function markPartitionIndexes(ctx: DiffContext, changes: Change[]): Change[] {
  return changes.map((ch) => {
    if (ch.op !== "create_index") return ch;
    const table = ctx.to.objects.get(tableId(ch.to.schema, ch.to.table));
    return table?.kind === "table" && table.partitionOf ? { ...ch, onPartition: true } : ch;
  });
}
