/**
 * Diff of functions and triggers, compared on PostgreSQL's own printed definitions. A function
 * whose body, volatility or security changed is replaced in place; one whose result type or
 * argument list changed is dropped and created again, and whatever rests on it (functions,
 * CHECKs, indexes, triggers, policies, views) is rebuilt around it — or the plan is refused when
 * that cannot be done correctly (a column default).
 * @module
 */
import { definitionOf } from "../model/definition.ts";
import { PgcError } from "../model/errors.ts";
import { type FunctionPlace, functionPlaces, signatureChanged } from "../model/functions.ts";
import { tableId } from "../model/ids.ts";
import type { ConstraintObject, IndexObject, PolicyObject, TriggerObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs } from "./diff.ts";

const NOWHERE: FunctionPlace = { depth: 0, late: false };

/** Functions to create, replace, drop and re-grant. */
export function diffFunctions(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "function");
  const toPlaces = functionPlaces(ctx.to);
  const fromPlaces = functionPlaces(ctx.from);
  const out: Change[] = [];
  for (const [id, f] of to) {
    const place = toPlaces.get(id) ?? NOWHERE;
    const live = from.get(id);
    if (!live) {
      out.push({ op: "create_function", to: f, place });
    } else if (signatureChanged(live, f)) {
      const why = "its result type or argument list changed, which CREATE OR REPLACE cannot do";
      out.push({ op: "drop_function", from: live, place: fromPlaces.get(id) ?? NOWHERE, replacedBy: f, why });
      out.push({ op: "create_function", to: f, place, replaces: live, why });
    } else {
      if (live.definition !== f.definition) out.push({ op: "replace_function", from: live, to: f, place });
      if (live.execute.join("\u0000") !== f.execute.join("\u0000")) {
        out.push({ op: "alter_function_execute", from: live, to: f, place });
      }
    }
  }
  for (const [id, f] of from) {
    if (to.has(id)) continue;
    const place = fromPlaces.get(id) ?? NOWHERE;
    out.push({ op: "drop_function", from: f, place, early: place.late });
  }
  return out;
}

/** Triggers to create, drop, and replace (drop + create: a changed trigger is a new trigger). */
export function diffTriggers(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "trigger");
  const out: Change[] = [];
  for (const [id, t] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_trigger", to: t });
    else if (definitionOf(live) !== definitionOf(t)) {
      out.push({ op: "drop_trigger", from: live, replacedBy: t });
      out.push({ op: "create_trigger", to: t, replaces: live });
    }
  }
  for (const [id, t] of from) {
    if (to.has(id) || ctx.droppedTables.has(tableId(t.schema, t.table))) continue;
    out.push({ op: "drop_trigger", from: t });
  }
  return out;
}

/**
 * A function that is dropped (and maybe created again) cannot go while live objects rest on it
 * (DROP without CASCADE fails): rebuild each of them around it, or refuse the plan. Returns the
 * changes with the rebuilds added.
 */
export function rebuildFunctionDependents(ctx: DiffContext, changes: Change[]): Change[] {
  const out = [...changes];
  const fromPlaces = functionPlaces(ctx.from);
  const toPlaces = functionPlaces(ctx.to);
  const dropped = (op: Change["op"]) =>
    new Set(out.filter((c) => c.op === op).map((c) => (c as { from: { id: string } }).from.id));
  const problems: string[] = [];
  /** Functions whose dependents are dropped and created again around them. */
  const rebuilt = new Set<string>();
  const queue = out.filter((c) => c.op === "drop_function").map((c) => c.from);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    const recreated = out.some((c) => c.op === "drop_function" && c.from.id === f.id && c.replacedBy);
    const why = `it rests on ${f.id.slice("function:".length)}, which is ${
      recreated ? "dropped and created again" : "dropped"
    }`;
    for (const user of [...(f.usedBy ?? [])].sort()) {
      const kind = user.slice(0, user.indexOf(":"));
      const live = ctx.from.objects.get(user);
      const desired = ctx.to.objects.get(user);
      const onDroppedTable = live && "table" in live && typeof live.table === "string" &&
        ctx.droppedTables.has(tableId(live.schema, live.table));
      if (onDroppedTable) continue;
      if (kind === "function" && live?.kind === "function") {
        const drop = out.find((c) => c.op === "drop_function" && c.from.id === user);
        if (drop?.op === "drop_function") {
          // It goes anyway: before this one.
          drop.early = true;
          queue.push(live);
          continue;
        }
        if (!recreated || desired?.kind !== "function") continue;
        // Same definition or replaced in place: it must go before and come back after.
        for (let i = out.length - 1; i >= 0; i--) {
          const c = out[i];
          if ((c.op === "replace_function" || c.op === "alter_function_execute") && c.from.id === user) {
            out.splice(i, 1);
          }
        }
        out.push(
          { op: "drop_function", from: live, place: fromPlaces.get(user) ?? NOWHERE, replacedBy: desired, why },
          { op: "create_function", to: desired, place: toPlaces.get(user) ?? NOWHERE, replaces: live, why },
        );
        queue.push(live);
      } else if (kind === "constraint" && live?.kind === "constraint") {
        if (dropped("drop_constraint").has(user)) {
          if (desired !== undefined) rebuilt.add(f.id);
          continue;
        }
        if (desired?.kind !== "constraint") {
          problems.push(`${user} (${why}) has no counterpart in the desired schema`);
          continue;
        }
        rebuilt.add(f.id);
        out.push(
          { op: "drop_constraint", from: live, why },
          { op: "add_constraint", to: desired as ConstraintObject, tableIsNew: false, why },
        );
      } else if (kind === "index" && live?.kind === "index") {
        if (dropped("drop_index").has(user)) {
          if (desired !== undefined) rebuilt.add(f.id);
          continue;
        }
        if (desired?.kind !== "index") {
          problems.push(`${user} (${why}) has no counterpart in the desired schema`);
          continue;
        }
        rebuilt.add(f.id);
        out.push(
          { op: "drop_index", from: live, replacedBy: desired as IndexObject },
          { op: "create_index", to: desired as IndexObject, replaces: live, tableIsNew: false },
        );
      } else if (kind === "trigger" && live?.kind === "trigger") {
        if (dropped("drop_trigger").has(user)) {
          if (desired !== undefined) rebuilt.add(f.id);
          continue;
        }
        if (desired?.kind !== "trigger") continue;
        rebuilt.add(f.id);
        out.push(
          { op: "drop_trigger", from: live, why },
          { op: "create_trigger", to: desired as TriggerObject, why },
        );
      } else if (kind === "policy" && live?.kind === "policy") {
        if (dropped("drop_policy").has(user)) {
          if (desired !== undefined) rebuilt.add(f.id);
          continue;
        }
        // Renamed or given other roles in place: it goes before the function and comes back after it instead.
        const inPlace = out.findIndex((c) =>
          (c.op === "alter_policy" || c.op === "rename_policy") && c.from.id === user
        );
        const target = inPlace >= 0
          ? (out[inPlace] as { to: PolicyObject }).to
          : desired?.kind === "policy"
          ? desired
          : undefined;
        if (target === undefined) {
          problems.push(`${user} (${why}) has no counterpart in the desired schema`);
          continue;
        }
        if (inPlace >= 0) out.splice(inPlace, 1);
        out.push(
          { op: "drop_policy", from: live, replacedBy: target, why },
          { op: "create_policy", to: target, replaces: live, why },
        );
        rebuilt.add(f.id);
      } else if ((kind === "view" || kind === "matview") && live !== undefined) {
        // The view diff drops and recreates views over a function that goes or changes signature
        // (diff/views.ts); one only reached through another function's rebuild cannot be.
        if (dropped("drop_view").has(user)) {
          if (desired !== undefined) rebuilt.add(f.id);
          continue;
        }
        problems.push(`${kind} ${user.slice(user.indexOf(":") + 1)} (${why})`);
      } else if (kind === "domain" && live?.kind === "domain") {
        // A domain dropped for good goes first; one that stays would need rebuilding with every column of it.
        if (dropped("drop_domain").has(user) && desired === undefined) continue;
        problems.push(`domain ${user.slice("domain:".length)} (${why})`);
      } else if (kind === "column" && live?.kind === "column") {
        if (dropped("drop_column").has(user)) continue;
        if (!recreated) continue; // its default changes away from the function, before the drop
        problems.push(`the default of ${user.slice("column:".length)} (${why})`);
      } else {
        problems.push(`${user.slice(user.indexOf(":") + 1)} (${why})`);
      }
    }
  }
  // What rests on a function comes back after the tables; an overload it leaves behind (a new
  // argument list is another function) could make those calls ambiguous then, so a function with
  // rebuilt dependents goes in the drop phase, after them, unless a column default or a function
  // still calls it until the pre phase changes them.
  for (const c of out) {
    if (c.op !== "drop_function" || c.replacedBy || !rebuilt.has(c.from.id)) continue;
    const stays = (u: string) =>
      (u.startsWith("column:") && !dropped("drop_column").has(u)) ||
      (u.startsWith("function:") && !dropped("drop_function").has(u));
    if (!(c.from.usedBy ?? []).some(stays)) c.early = true;
  }
  if (problems.length > 0) {
    throw new PgcError(
      "unsupported",
      `Cannot drop a function that other objects rest on: ${problems.join("; ")}.`,
      {
        hint: "Drop or change those objects first (by hand, or in the desired schema), apply, then plan again; " +
          "pgconverge never drops with CASCADE.",
      },
    );
  }
  return out;
}
