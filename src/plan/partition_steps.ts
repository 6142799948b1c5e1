/**
 * Partitioning changes → statements: partitioned tables and partitions are created in tree
 * order (a partition after its parent); a partition dropped alone is dropped before the tables
 * (a dropped parent takes its partitions along, see diff/partitions.ts), and a
 * partition whose bound changed is detached before the tables change and attached again, with
 * its new bound, before any column is added (ATTACH needs the columns to match the parent's).
 * @module
 */
import type { Change } from "../diff/change.ts";
import { definitionOf } from "../model/definition.ts";
import { qualify } from "../model/quote.ts";
import type { TableObject } from "../model/snapshot.ts";
import { createAnyTableSql } from "../render/partition_sql.ts";
import { addConstraintSql } from "../render/snapshot_sql.ts";
import type { Step } from "./step.ts";
import { step } from "./step_helpers.ts";

function parentName(t: TableObject): string {
  return qualify(t.partitionOf!.schema, t.partitionOf!.table);
}

/** `CREATE TABLE` of a partitioned table or a partition (rank grows with the depth in the tree). */
export function createPartitionedTable(ch: Extract<Change, { op: "create_table" }>): Step[] {
  const t = ch.to;
  const depth = ch.depth ?? 0;
  const s = step(
    t.id,
    ch.op,
    "pre",
    120 + depth / 100,
    createAnyTableSql(t, ch.columns),
    t.partitionOf ? `partition of ${parentName(t)} is new` : "partitioned table is new",
  );
  s.now = definitionOf(t);
  if (t.partitionOf && !ch.parentIsNew) {
    s.hazards.push({
      kind: "blocks_writes",
      message: `locks ${parentName(t)} against reads and writes while the partition is added` +
        (t.bound === "DEFAULT" ? "" : ", and scans its default partition (if any) for rows that belong to it"),
    });
  }
  return [s];
}

/** `DROP TABLE` of a partition (before its parent, deepest first) or a partitioned table. */
export function dropPartitionedTable(ch: Extract<Change, { op: "drop_table" }>): Step[] {
  const t = ch.from;
  const name = qualify(t.schema, t.name);
  const s = step(
    t.id,
    ch.op,
    "drop",
    60 - (ch.depth ?? 0) / 100,
    `DROP TABLE ${name};`,
    t.partitionOf ? `partition of ${parentName(t)} is not in the desired schema` : "table is not in the desired schema",
  );
  s.was = definitionOf(t);
  s.destructive = true;
  s.hazards.push({
    kind: "data_loss",
    message: `drops ${t.partitionOf ? "partition" : "table"} ${name} and all its rows`,
  });
  return [s];
}

/** A partition's new bound: DETACH before everything else, ATTACH … FOR VALUES … after the new tables. */
export function alterPartitionBound(ch: Extract<Change, { op: "alter_partition_bound" }>): Step[] {
  const parent = parentName(ch.to);
  const name = qualify(ch.to.schema, ch.to.name);
  const was = definitionOf(ch.from);
  const now = definitionOf(ch.to);
  const detach = {
    ...step(
      ch.to.id,
      ch.op,
      "drop",
      55,
      `ALTER TABLE ${parent} DETACH PARTITION ${name};`,
      "partition bound changed: detached here (its rows stay), attached again with the new bound",
    ),
    was,
    now,
  };
  detach.hazards.push({ kind: "blocks_writes", message: `locks ${parent} against reads and writes` });
  const attach = attachStep(ch.from, ch.to, "partition bound changed: attached again with the new bound");
  return [detach, attach];
}

/** `ATTACH PARTITION … FOR VALUES …`, before columns are added (their types must match then). */
export function attachStep(from: TableObject, to: TableObject, reason: string): Step {
  const parent = parentName(to);
  const name = qualify(to.schema, to.name);
  const s = step(
    to.id,
    from.partitionOf ? "alter_partition_bound" : "attach_partition",
    "pre",
    125,
    `ALTER TABLE ${parent} ATTACH PARTITION ${name} ${to.bound};`,
    reason,
  );
  s.was = definitionOf(from);
  s.now = definitionOf(to);
  s.hazards.push({
    kind: "validation_scan",
    message: `scans ${name} for rows outside the new bound (the attach fails if there are any)` +
      (to.bound === "DEFAULT" ? "" : ", and the default partition of " + parent + " for rows inside it"),
  });
  return s;
}

/** A table becoming a partition: the parent's CHECKs copied onto it, then ATTACH PARTITION. */
export function attachPartition(ch: Extract<Change, { op: "attach_partition" }>): Step[] {
  const checks = ch.checks.map((c) => {
    const s = step(
      ch.to.id,
      ch.op,
      "pre",
      124,
      addConstraintSql(c),
      `ATTACH PARTITION needs the CHECK ${c.name} of ${
        parentName(ch.to)
      } on the table; it then merges into the parent's`,
    );
    s.hazards.push({
      kind: "validation_scan",
      message: `scans ${qualify(c.schema, c.table)} to validate, holding a lock that blocks writes`,
    });
    return s;
  });
  return [
    ...checks,
    attachStep(ch.from, ch.to, "table becomes a partition: its rows stay, its columns become the parent's"),
  ];
}
