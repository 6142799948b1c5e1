/**
 * Enum diffs beyond adding labels. A type that loses a label or changes the order of its labels
 * cannot be altered in place: it is recreated (plan/enum_steps.ts), and everything resting on it
 * or on a column of it (`EnumObject.usedBy`, from `pg_depend`) is carried across: column defaults
 * are dropped and set again, CHECKs, keys, indexes, triggers, policies and functions are dropped
 * and created again around it, views through {@link enumRecreationGone} (diff/views.ts). What
 * cannot be carried across (a domain over the type, an object outside the managed schemas) is
 * refused. A column moving from an enum to another type is cast through text, the only type an
 * enum casts to.
 * @module
 */
import { definitionOf } from "../model/definition.ts";
import { PgcError } from "../model/errors.ts";
import { type FunctionPlace, functionPlaces } from "../model/functions.ts";
import { tableId } from "../model/ids.ts";
import type { ColumnObject, DbObject, EnumObject, Snapshot } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import type { DiffContext } from "./diff.ts";

const NOWHERE: FunctionPlace = { depth: 0, late: false };

/** True when `to` keeps every label of `from` in the same order (labels are only added). */
export function onlyAddsLabels(from: EnumObject, to: EnumObject): boolean {
  const kept = to.values.filter((v) => from.values.includes(v));
  return kept.length === from.values.length && kept.every((v, i) => v === from.values[i]);
}

/** The change for an enum whose labels differ: added in place, or the type recreated. */
export function enumChange(live: EnumObject, want: EnumObject): Change {
  return onlyAddsLabels(live, want)
    ? { op: "alter_enum", from: live, to: want }
    : { op: "recreate_enum", from: live, to: want, columns: [], defaults: [] };
}

/** Live enums this plan recreates. */
function recreated(from: Snapshot, to: Snapshot): EnumObject[] {
  const out: EnumObject[] = [];
  for (const o of from.objects.values()) {
    const t = to.objects.get(o.id);
    if (o.kind === "enum" && t?.kind === "enum" && !onlyAddsLabels(o, t)) out.push(o);
  }
  return out;
}

/**
 * Ids a view must not rest on while the plan runs, because of enum recreations: the recreated
 * types and their columns (views.ts drops such views first and creates them again after).
 */
export function enumRecreationGone(from: Snapshot, to: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const e of recreated(from, to)) {
    out.add(e.id);
    for (const u of e.usedBy ?? []) if (u.startsWith("column:")) out.add(u);
  }
  return out;
}

/** Ids of live columns whose type is an enum (or an enum's array). */
function enumColumns(from: Snapshot): Set<string> {
  const out = new Set<string>();
  for (const o of from.objects.values()) {
    if (o.kind === "enum") { for (const u of o.usedBy ?? []) if (u.startsWith("column:")) out.add(u); }
  }
  return out;
}

/** The table a modelled object sits on, when it has one. */
function tableOf(o: DbObject | undefined): string | undefined {
  return o && "table" in o && typeof o.table === "string" ? tableId(o.schema, o.table) : undefined;
}

/**
 * Fill in every recreated enum's columns and defaults, add the rebuilds of what rests on it, and
 * cast columns leaving an enum through text. Returns the changes with those edits.
 */
export function rebuildEnumDependents(ctx: DiffContext, changes: Change[]): Change[] {
  let out = [...changes];
  const ofEnum = enumColumns(ctx.from);
  for (const ch of out) {
    if (ch.op === "alter_column" && ofEnum.has(ch.from.id) && ch.from.type !== ch.to.type) ch.viaText = true;
  }
  const fromPlaces = functionPlaces(ctx.from);
  const toPlaces = functionPlaces(ctx.to);
  const problems: string[] = [];
  const has = (op: Change["op"], id: string) =>
    out.some((c) => c.op === op && "from" in c && (c.from as { id: string } | undefined)?.id === id);
  /** Remove the changes of `ops` that act on live object `id`; returns the first one removed. */
  const take = (ops: Change["op"][], id: string): Change | undefined => {
    const hit = out.filter((c) => ops.includes(c.op) && "from" in c && (c.from as { id: string }).id === id);
    out = out.filter((c) => !hit.includes(c));
    return hit[0];
  };
  const columnChange = (id: string) =>
    out.find((c): c is Extract<Change, { op: "alter_column" }> => c.op === "alter_column" && c.from.id === id);
  for (const ch of out.filter((c): c is Extract<Change, { op: "recreate_enum" }> => c.op === "recreate_enum")) {
    const name = ch.from.id.slice("type:".length);
    const why = `it rests on enum ${name}, which is recreated`;
    const users = ch.from.usedBy ?? [];
    const defaults = new Map<string, { column: ColumnObject; restore?: string }>();
    for (const user of users) {
      if (!user.startsWith("column:")) continue;
      const live = ctx.from.objects.get(user);
      const want = ctx.to.objects.get(user);
      if (live?.kind !== "column" || ctx.droppedTables.has(tableOf(live)!) || want?.kind !== "column") continue;
      if (live.generated !== undefined) {
        problems.push(`generated column ${user.slice("column:".length)} (${why})`);
        continue;
      }
      const back = want.type === live.type;
      ch.columns.push({ column: live, back });
      const alter = columnChange(user);
      if (live.default !== undefined) defaults.set(user, { column: live, ...(back ? { restore: want.default } : {}) });
      if (alter) {
        // The recreation owns the default (and, for a column leaving the type, the way to text).
        alter.from = {
          ...alter.from,
          default: undefined,
          ...(back ? {} : { type: live.type.endsWith("[]") ? "text[]" : "text" }),
        };
        alter.viaText = false;
        if (back) alter.to = { ...alter.to, default: undefined };
      }
      if (back && live.default === undefined && want.default !== undefined) {
        defaults.set(user, { column: live, restore: want.default });
      }
    }
    for (const user of users) {
      const kind = user.slice(0, user.indexOf(":"));
      if (kind === "column") continue;
      if (kind === "default") {
        const colId = user.slice("default:".length);
        if (defaults.has(colId) || ch.columns.some((c) => c.column.id === colId)) continue;
        const live = ctx.from.objects.get(colId);
        const want = ctx.to.objects.get(colId);
        if (live?.kind !== "column" || ctx.droppedTables.has(tableOf(live)!) || want?.kind !== "column") continue;
        if (live.generated !== undefined) {
          problems.push(`generated column ${colId.slice("column:".length)} (${why})`);
          continue;
        }
        defaults.set(colId, { column: live, ...(want.default !== undefined ? { restore: want.default } : {}) });
        const alter = columnChange(colId);
        if (alter) alter.from = { ...alter.from, default: undefined };
        if (alter) alter.to = { ...alter.to, default: undefined };
        continue;
      }
      const live = ctx.from.objects.get(user);
      const want = ctx.to.objects.get(user);
      const table = tableOf(live);
      if (table !== undefined && ctx.droppedTables.has(table)) continue;
      if (live === undefined) {
        problems.push(`${user.slice(user.indexOf(":") + 1)} (${why})`);
        continue;
      }
      switch (live.kind) {
        case "constraint": {
          if (has("drop_constraint", user)) break;
          const renamed = take(["rename_constraint"], user);
          const target = renamed?.op === "rename_constraint" ? renamed.to : want;
          if (target?.kind !== "constraint") break;
          out.push(
            { op: "drop_constraint", from: live, why },
            { op: "add_constraint", to: ctx.matched.get(target.id) as typeof target ?? target, tableIsNew: false, why },
          );
          break;
        }
        case "index": {
          if (has("drop_index", user)) break;
          // A materialized view's indexes are created again with it.
          if (ctx.from.objects.get(`matview:${live.schema}.${live.table}`)) break;
          const renamed = take(["rename_index"], user);
          const target = renamed?.op === "rename_index" ? renamed.to : want;
          if (target?.kind !== "index") break;
          out.push(
            { op: "drop_index", from: live, replacedBy: target, why },
            { op: "create_index", to: target, replaces: live, tableIsNew: false, why },
          );
          break;
        }
        case "trigger": {
          if (has("drop_trigger", user)) break;
          if (want?.kind !== "trigger") break;
          out.push({ op: "drop_trigger", from: live, why }, { op: "create_trigger", to: want, why });
          break;
        }
        case "policy": {
          if (has("drop_policy", user)) break;
          const renamed = take(["rename_policy", "alter_policy"], user);
          const target = renamed && "to" in renamed && renamed.to?.kind === "policy" ? renamed.to : want;
          if (target?.kind !== "policy") break;
          out.push(
            { op: "drop_policy", from: live, replacedBy: target, why },
            { op: "create_policy", to: target, replaces: live, why },
          );
          break;
        }
        case "function": {
          if (has("drop_function", user)) break;
          if (want?.kind !== "function") break;
          take(["replace_function", "alter_function_execute"], user);
          out.push(
            { op: "drop_function", from: live, place: fromPlaces.get(user) ?? NOWHERE, replacedBy: want, why },
            { op: "create_function", to: want, place: toPlaces.get(user) ?? NOWHERE, replaces: live, why },
          );
          break;
        }
        case "view":
        case "matview":
          // diff/views.ts drops and creates it again (enumRecreationGone).
          break;
        default:
          problems.push(`${user.slice(user.indexOf(":") + 1)} (${why})`);
      }
    }
    ch.columns.sort((a, b) => a.column.id < b.column.id ? -1 : a.column.id > b.column.id ? 1 : 0);
    ch.defaults.push(...[...defaults.values()].sort((a, b) => a.column.id < b.column.id ? -1 : 1));
  }
  // A column change that only moved its default into the recreation is no change left.
  out = out.filter((c) => c.op !== "alter_column" || definitionOf(c.from) !== definitionOf(c.to));
  if (problems.length > 0) {
    throw new PgcError(
      "unsupported",
      `Cannot recreate an enum type that these rest on: ${problems.join("; ")}.`,
      {
        hint: "Change or drop them first (by hand, or in the desired schema), apply, then plan again; " +
          "pgconverge never drops with CASCADE.",
      },
    );
  }
  return out;
}
