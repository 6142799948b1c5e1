/**
 * Statement-level diff: compare the `id → definition` maps of two canonical snapshots and list
 * the changes that turn `from` (live) into `to` (desired). Nothing is compared by name only:
 * same id with another definition is a change; same definition under another id is a rename.
 * @module
 */
import { definitionOf } from "../model/definition.ts";
import type { DbObject, Snapshot } from "../model/snapshot.ts";
import { compareIds, objectsOfKind, snapshotOf } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { diffColumns } from "./columns.ts";
import { diffComments } from "./comments.ts";
import { diffConstraints } from "./constraints.ts";
import { diffIndexes } from "./indexes.ts";
import { diffFunctions, diffTriggers, rebuildFunctionDependents } from "./functions.ts";
import { diffExtensions, diffGrants, diffRoles } from "./access.ts";
import { diffRowLevelSecurity } from "./policies.ts";
import { diffEnums, diffSchemas, diffTables } from "./tables.ts";
import { rebuildEnumDependents } from "./enums.ts";
import { diffDomains } from "./domains.ts";
import { diffSequences } from "./sequences.ts";
import { diffViews, withoutOwnedIndexes } from "./views.ts";
import { rebuildGeneratedColumns } from "./generated.ts";
import { keepAttachedColumns, markPartitionIndexes } from "./partitions.ts";

/** The result of a diff: the changes, and the snapshot the database will hold afterwards. */
export interface DiffResult {
  /** Changes, in no particular order (plan orders them). */
  changes: Change[];
  /**
   * The snapshot expected after applying the changes: `to`, except where a live object was
   * matched under another name (an unnamed FK keeps its live name).
   */
  target: Snapshot;
}

/** Shared inputs of the per-kind diffs. */
export interface DiffContext {
  /** Live side. */
  from: Snapshot;
  /** Desired side. */
  to: Snapshot;
  /** Ids of tables that exist only on the desired side. */
  newTables: Set<string>;
  /** Ids of tables that exist only on the live side. */
  droppedTables: Set<string>;
  /** Objects of `to` replaced by a matching live object in the target (id → live object). */
  matched: Map<string, DbObject>;
  /**
   * Each side's objects by kind, sorted by id, read once: every kind's diff asks for its own, and
   * at thousands of tables scanning all objects per kind costs more than the comparisons.
   */
  byKind?: { from: Map<string, DbObject[]>; to: Map<string, DbObject[]> };
}

/** The objects of a snapshot grouped by kind, each group sorted by id. */
function groupByKind(s: Snapshot): Map<string, DbObject[]> {
  const out = new Map<string, DbObject[]>();
  for (const o of s.objects.values()) {
    const list = out.get(o.kind);
    if (list) list.push(o);
    else out.set(o.kind, [o]);
  }
  for (const list of out.values()) list.sort((a, b) => compareIds(a.id, b.id));
  return out;
}

/** Same definition? (the one comparison diff makes). */
export function sameDefinition(a: DbObject, b: DbObject): boolean {
  return definitionOf(a) === definitionOf(b);
}

/** Diff two canonical snapshots restricted to the same schemas. */
export function diff(from: Snapshot, to: Snapshot): DiffResult {
  const tableIds = (s: Snapshot) => new Set([...s.objects.values()].filter((o) => o.kind === "table").map((o) => o.id));
  const fromTables = tableIds(from);
  const toTables = tableIds(to);
  const ctx: DiffContext = {
    from,
    to,
    newTables: new Set([...toTables].filter((t) => !fromTables.has(t))),
    droppedTables: new Set([...fromTables].filter((t) => !toTables.has(t))),
    matched: new Map(),
    byKind: { from: groupByKind(from), to: groupByKind(to) },
  };
  const views = diffViews(ctx);
  let changes = withoutOwnedIndexes([
    ...diffSchemas(ctx),
    ...diffEnums(ctx),
    ...diffTables(ctx),
    ...diffColumns(ctx),
    ...diffConstraints(ctx),
    ...diffIndexes(ctx),
    ...diffComments(ctx),
    ...diffFunctions(ctx),
    ...diffTriggers(ctx),
    ...diffRoles(ctx),
    ...diffExtensions(ctx),
    ...diffGrants(ctx),
    ...diffDomains(ctx),
    ...diffSequences(ctx),
    ...views.changes,
    ...diffRowLevelSecurity(ctx),
  ], views.ownsIndexesOf);
  changes = rebuildEnumDependents(ctx, changes);
  changes = rebuildFunctionDependents(ctx, changes);
  changes = rebuildGeneratedColumns(ctx, changes);
  changes = keepAttachedColumns(markPartitionIndexes(ctx, changes));
  const targetObjects = [...to.objects.values()].map((o) => ctx.matched.get(o.id) ?? o)
    .sort((a, b) => compareIds(a.id, b.id));
  return { changes, target: snapshotOf(targetObjects, to.schemas) };
}

/** Objects of one kind from both sides, as id-keyed maps. */
export function pairs<K extends DbObject["kind"]>(
  ctx: DiffContext,
  kind: K,
): { from: Map<string, Extract<DbObject, { kind: K }>>; to: Map<string, Extract<DbObject, { kind: K }>> } {
  const pick = (s: Snapshot, grouped: Map<string, DbObject[]> | undefined) => {
    const m = new Map<string, Extract<DbObject, { kind: K }>>();
    const list = (grouped?.get(kind) ?? (grouped ? [] : objectsOfKind(s, kind))) as Extract<DbObject, { kind: K }>[];
    for (const o of list) m.set(o.id, o);
    return m;
  };
  return { from: pick(ctx.from, ctx.byKind?.from), to: pick(ctx.to, ctx.byKind?.to) };
}
