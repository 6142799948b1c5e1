/**
 * Diff of views and materialized views. A view whose query changed is replaced in place
 * (`CREATE OR REPLACE VIEW`) when its existing columns keep their names and types, else dropped
 * and created again; a materialized view is always dropped and created again, with its indexes.
 * Views resting on anything this plan drops or changes incompatibly (a column whose type
 * changes, a dropped column or table, a function dropped or whose signature changes, a view that
 * is itself recreated) are dropped first and
 * recreated afterwards, whatever their own definition says: PostgreSQL refuses those changes
 * while a view depends on them. Dependencies come from `pg_depend` (`ViewObject.dependsOn`).
 * @module
 */
import { definitionOf } from "../model/definition.ts";
import { signatureChanged } from "../model/functions.ts";
import type { IndexObject, Snapshot, ViewObject } from "../model/snapshot.ts";
import { compareIds, objectsOfKind } from "../model/snapshot.ts";
import { isMatviewIndex, viewDepths } from "../render/view_sql.ts";
import type { Change } from "./change.ts";
import type { DiffContext } from "./diff.ts";
import { enumRecreationGone } from "./enums.ts";
import { needsRebuild } from "./generated.ts";

const SERIAL_BASE: Record<string, string> = { serial: "integer", bigserial: "bigint", smallserial: "smallint" };

/** What {@link diffViews} returns: its changes, and the relations whose index changes it owns. */
export interface ViewDiff {
  /** The view changes. */
  changes: Change[];
  /**
   * `schema.name` of materialized views that are created, dropped or recreated: their indexes
   * go with them, so the index diff's own changes for them are dropped.
   */
  ownsIndexesOf: Set<string>;
}

function viewsOf(s: Snapshot): Map<string, ViewObject> {
  const views: ViewObject[] = [...objectsOfKind(s, "view"), ...objectsOfKind(s, "matview")];
  return new Map(views.sort((a, b) => compareIds(a.id, b.id)).map((v) => [v.id, v]));
}

/**
 * Ids of live objects (other than views) that this plan drops, or changes in a way PostgreSQL
 * refuses while a view depends on them: tables and columns that go, columns whose type or
 * collation changes, constraints dropped or redefined, types and sequences that go.
 */
export function goneUnderViews(from: Snapshot, to: Snapshot): Set<string> {
  const out = enumRecreationGone(from, to);
  for (const o of from.objects.values()) {
    const t = to.objects.get(o.id);
    if (o.kind === "view" || o.kind === "matview" || o.kind === "comment" || o.kind === "index") continue;
    if (t === undefined || t.kind !== o.kind) {
      out.add(o.id);
      continue;
    }
    if (o.kind === "column" && t.kind === "column") {
      const base = (c: typeof o) => SERIAL_BASE[c.type] ?? c.type;
      if (base(o) !== base(t) || o.collation !== t.collation || needsRebuild(o, t)) out.add(o.id);
    } else if (o.kind === "constraint" || o.kind === "domain") {
      if (definitionOf(o) !== definitionOf(t)) out.add(o.id);
    } else if (o.kind === "function" && t.kind === "function" && signatureChanged(o, t)) {
      out.add(o.id);
    }
  }
  return out;
}

/** Same leading columns (names, types, collations): `CREATE OR REPLACE VIEW` can take the new query. */
export function replaceableInPlace(from: ViewObject, to: ViewObject): boolean {
  return from.kind === "view" && to.kind === "view" && from.columns.length <= to.columns.length &&
    from.columns.every((c, i) => c === to.columns[i]);
}

/** The desired indexes of a materialized view. */
function indexesOf(to: Snapshot, v: ViewObject): IndexObject[] {
  if (v.kind !== "matview") return [];
  return [...to.objects.values()].filter((o): o is IndexObject =>
    o.kind === "index" && o.schema === v.schema && o.table === v.name && isMatviewIndex(to, o)
  ).sort((a, b) => compareIds(a.id, b.id));
}

/** View changes between the two sides. */
export function diffViews(ctx: DiffContext): ViewDiff {
  const from = viewsOf(ctx.from);
  const to = viewsOf(ctx.to);
  // Reading every live object for what goes under views is only worth it when there are views.
  const gone = from.size > 0 ? goneUnderViews(ctx.from, ctx.to) : new Set<string>();
  const fromDepth = viewDepths([...from.values()]);
  const toDepth = viewDepths([...to.values()]);
  // Live views that must be dropped (and, when desired, created again), with the reason.
  const recreate = new Map<string, string>();
  for (const [id, v] of from) {
    const want = to.get(id);
    const under = v.dependsOn.find((d) => gone.has(d));
    if (under !== undefined) recreate.set(id, `it depends on ${under}, which this plan drops or changes`);
    else if (want && definitionOf(want) !== definitionOf(v)) {
      const onlyOptions = definitionOf({ ...want, options: v.options }) === definitionOf(v);
      if (!onlyOptions && !replaceableInPlace(v, want)) {
        recreate.set(id, v.kind === "matview" ? "its query changed" : "its columns changed");
      }
    }
  }
  // Dependents of dropped or recreated views go too, transitively.
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, v] of from) {
      if (recreate.has(id)) continue;
      const under = v.dependsOn.find((d) => recreate.has(d) || (from.has(d) && !to.has(d)));
      if (under !== undefined) {
        recreate.set(id, `it depends on ${under}, which is dropped or recreated`);
        grew = true;
      }
    }
  }
  const changes: Change[] = [];
  const owns = new Set<string>();
  for (const [id, v] of from) {
    const want = to.get(id);
    const why = recreate.get(id);
    if (!want) {
      changes.push({ op: "drop_view", from: v, depth: fromDepth.get(id) ?? 0 });
      if (v.kind === "matview") owns.add(`${v.schema}.${v.name}`);
    } else if (why !== undefined) {
      const same = definitionOf(want) === definitionOf(v);
      changes.push({ op: "drop_view", from: v, depth: fromDepth.get(id) ?? 0, replacedBy: want, why });
      changes.push({
        op: "create_view",
        to: want,
        depth: toDepth.get(id) ?? 0,
        indexes: indexesOf(ctx.to, want),
        replaces: v,
        ...(same ? { why } : {}),
      });
      if (v.kind === "matview") owns.add(`${v.schema}.${v.name}`);
    } else if (definitionOf(want) !== definitionOf(v)) {
      if (definitionOf({ ...want, options: v.options }) === definitionOf(v)) {
        changes.push({ op: "alter_view_options", from: v, to: want });
      } else changes.push({ op: "replace_view", from: v, to: want, depth: toDepth.get(id) ?? 0 });
    }
  }
  for (const [id, v] of to) {
    if (from.has(id)) continue;
    changes.push({ op: "create_view", to: v, depth: toDepth.get(id) ?? 0, indexes: indexesOf(ctx.to, v) });
    if (v.kind === "matview") owns.add(`${v.schema}.${v.name}`);
  }
  return { changes, ownsIndexesOf: owns };
}

/** Drop the index diff's changes for indexes the view diff creates or drops with their view. */
export function withoutOwnedIndexes(changes: Change[], owns: Set<string>): Change[] {
  const owned = (i: { schema: string; table: string }) => owns.has(`${i.schema}.${i.table}`);
  return changes.filter((ch) => {
    switch (ch.op) {
      case "create_index":
      case "rename_index":
        return !owned(ch.to);
      case "drop_index":
        return !owned(ch.from);
      default:
        return true;
    }
  });
}
