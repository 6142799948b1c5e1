/**
 * Diff of partitioning. A partitioned table and its partitions are tables: created (partitions
 * after their parent, as `PARTITION OF`) and dropped (partitions first) like any other. What
 * PostgreSQL cannot change in place is refused with a way out: a new partition key, a table
 * turning partitioned or plain, a table moving into or out of a partition tree (except a table whose columns are the parent's: it is attached). A partition whose
 * bound changed is detached and attached again with the new bound (its rows stay).
 * @module
 */
import { PgcError } from "../model/errors.ts";
import { parentId, partitionDepth } from "../model/partitions.ts";
import { constraintId, tableId } from "../model/ids.ts";
import { qualify } from "../model/quote.ts";
import {
  type ColumnObject,
  compareIds,
  type ConstraintObject,
  type DbObject,
  type Snapshot,
  type TableObject,
} from "../model/snapshot.ts";
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

const SERIAL_BASE: Record<string, string> = { serial: "integer", bigserial: "bigint", smallserial: "smallint" };

/** Base type (serial → integer, …) and collation of each column of a table in a snapshot, by name. */
function columnShapes(snap: Snapshot, schema: string, table: string): Map<string, ColumnObject> {
  const out = new Map<string, ColumnObject>();
  for (const o of snap.objects.values()) {
    if (o.kind === "column" && o.schema === schema && o.table === table) out.set(o.name, o);
  }
  return out;
}

function shape(c: ColumnObject): string {
  return `${SERIAL_BASE[c.type] ?? c.type}\t${c.collation ?? ""}`;
}

/**
 * Whether ATTACH PARTITION can take a live table as it is: its columns are exactly the parent's
 * (names, types, collations), NOT NULL wherever the parent's are, and the parent's columns do not
 * change in this plan (the attach runs before columns are altered or added).
 */
function attachable(live: TableObject, want: TableObject, ctx: DiffContext): boolean {
  const parent = want.partitionOf!;
  const own = columnShapes(ctx.from, live.schema, live.name);
  const desired = columnShapes(ctx.to, parent.schema, parent.table);
  const current = ctx.newTables.has(tableId(parent.schema, parent.table))
    ? desired
    : columnShapes(ctx.from, parent.schema, parent.table);
  if (own.size !== desired.size || current.size !== desired.size) return false;
  // ATTACH gives the parent's indexes and keys any equal index the table has: one the table keeps
  // as its own would vanish into the parent's.
  const keyed = (o: DbObject, schema: string, table: string) =>
    (o.kind === "index" || (o.kind === "constraint" && o.type !== "c" && o.type !== "f")) &&
    o.schema === schema && o.table === table;
  const keepsOwn = [...ctx.to.objects.values()].some((o) =>
    keyed(o, live.schema, live.name) && ctx.from.objects.has(o.id)
  );
  const parentKeyed = [...ctx.from.objects.values()].some((o) => keyed(o, parent.schema, parent.table));
  if (keepsOwn && parentKeyed) return false;
  for (const [name, c] of desired) {
    const mine = own.get(name);
    const now = current.get(name);
    if (!mine || !now || shape(mine) !== shape(c) || shape(now) !== shape(c)) return false;
    if (c.notNull && !mine.notNull) return false;
  }
  return true;
}

/**
 * The parent's live CHECKs (that it keeps) which the table lacks under the same name and text:
 * ATTACH PARTITION refuses a table without them. The table's own CHECKs that are not desired are
 * dropped before (drop phase), so a same-named one with another text is gone by then.
 */
function checksToCopy(live: TableObject, want: TableObject, ctx: DiffContext): ConstraintObject[] {
  const parent = want.partitionOf!;
  if (ctx.newTables.has(tableId(parent.schema, parent.table))) return [];
  const out: ConstraintObject[] = [];
  for (const o of ctx.from.objects.values()) {
    if (o.kind !== "constraint" || o.type !== "c" || o.schema !== parent.schema || o.table !== parent.table) continue;
    const kept = ctx.to.objects.get(o.id);
    if (kept?.kind !== "constraint" || kept.definition !== o.definition) continue;
    const mine = ctx.from.objects.get(constraintId(live.schema, live.name, o.name));
    const keepsMine = mine?.kind === "constraint" && mine.definition === o.definition && ctx.to.objects.has(mine.id);
    if (!keepsMine) out.push({ ...o, id: constraintId(live.schema, live.name, o.name), table: live.name });
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/**
 * A table attached as a partition keeps its columns (they become its parent's): the column
 * diff's drops for it go.
 */
export function keepAttachedColumns(changes: Change[]): Change[] {
  const attached = new Set(
    changes.filter((ch) => ch.op === "attach_partition").map((ch) => (ch as { to: TableObject }).to.id),
  );
  if (attached.size === 0) return changes;
  return changes.filter((ch) => !(ch.op === "drop_column" && attached.has(tableId(ch.from.schema, ch.from.table))));
}

/** The partitioning changes of a table that exists on both sides (none, a new bound, or a refusal). */
export function diffPartitioning(live: TableObject, want: TableObject, ctx: DiffContext): Change[] {
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
  if (!live.partitionOf && want.partitionOf && !want.partitionBy && attachable(live, want, ctx)) {
    return [{ op: "attach_partition", from: live, to: want, checks: checksToCopy(live, want, ctx) }];
  }
  if (parentId(live) !== parentId(want)) {
    const was = live.partitionOf ? `a partition of ${qualify(live.partitionOf.schema, live.partitionOf.table)}` : "";
    const now = want.partitionOf ? `a partition of ${qualify(want.partitionOf.schema, want.partitionOf.table)}` : "";
    throw new PgcError(
      "unsupported",
      `Table ${name} changes from ${was || "a table of its own"} to ${now || "a table of its own"}; ` +
        "pgconverge detaches no partition, and attaches a table only when its columns are exactly the parent's " +
        "(unchanged by this plan) and none of the indexes or keys it keeps could be taken over by the parent's.",
      {
        hint: "Run ALTER TABLE … DETACH PARTITION / ATTACH PARTITION … FOR VALUES … by hand, then plan again.",
      },
    );
  }
  if (live.bound !== want.bound) return [{ op: "alter_partition_bound", from: live, to: want }];
  return [];
}

/**
 * Mark the new indexes and keys of partitions: they are created after the keys and indexes of
 * partitioned tables.
 * A partitioned table's new index adopts an equal index a partition already has instead of
 * building its own, and an adopted index is no longer the partition's: created first, the
 * partition's own index would vanish into the parent's.
 */
export function markPartitionIndexes(ctx: DiffContext, changes: Change[]): Change[] {
  const onPartition = (o: { schema: string; table: string }) => {
    const table = ctx.to.objects.get(tableId(o.schema, o.table));
    return table?.kind === "table" && table.partitionOf !== undefined;
  };
  return changes.map((ch) => {
    if (ch.op === "create_index" && onPartition(ch.to)) return { ...ch, onPartition: true };
    const key = ch.op === "add_constraint" && ch.to.type !== "c" && ch.to.type !== "f";
    if (key && onPartition(ch.to)) return { ...ch, onPartition: true };
    return ch;
  });
}
