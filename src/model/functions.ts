/**
 * Functions and triggers in the model: their canonical definition strings, the signature that
 * DROP and GRANT name, and the dependency facts plan and the snapshot's load order rest on.
 * @module
 */
import { qualify } from "./quote.ts";
import { compareIds, type FunctionObject, type Snapshot, type TriggerObject } from "./snapshot.ts";

/** EXECUTE as PostgreSQL grants it to a new function: everyone (the owner is never listed). */
export const DEFAULT_EXECUTE: readonly string[] = ["PUBLIC"];

/**
 * The compared text of a function: PostgreSQL's own `CREATE OR REPLACE FUNCTION …` and who may
 * execute it (a grant change is a change, and apply verifies it).
 */
export function functionDefinition(f: FunctionObject): string {
  const who = f.execute.length === 0 ? "owner only" : f.execute.join(", ");
  return `${f.definition}\n-- EXECUTE: ${who}`;
}

/** The compared text of a trigger: `pg_get_triggerdef()` and, when not the default, its firing state. */
export function triggerDefinition(t: TriggerObject): string {
  return t.enabled === "O" ? t.definition : `${t.definition}\n-- ${ENABLED_WORDS[t.enabled]}`;
}

/** `ALTER TABLE … <word> TRIGGER` for each non-default firing state. */
export const ENABLED_WORDS: Readonly<Record<"D" | "R" | "A", string>> = {
  D: "DISABLE",
  R: "ENABLE REPLICA",
  A: "ENABLE ALWAYS",
};

/** `schema.name(types)`: how DROP FUNCTION, GRANT and REVOKE name one overload. */
export function functionSignature(f: FunctionObject): string {
  return `${qualify(f.schema, f.name)}(${f.args})`;
}

/**
 * True when CREATE OR REPLACE cannot make the change: PostgreSQL refuses another result type,
 * other input or output parameter names, and fewer argument defaults.
 */
export function signatureChanged(from: FunctionObject, to: FunctionObject): boolean {
  return from.result !== to.result || from.identityArguments !== to.identityArguments ||
    from.outArguments !== to.outArguments || to.defaults < from.defaults;
}

/** Where a function sits relative to the tables of a schema. */
export interface FunctionPlace {
  /** Longest chain of functions it depends on (0: none); dependents come after, and are dropped before. */
  depth: number;
  /**
   * It depends, directly or through other functions, on a table (its row type, or a SQL-standard
   * body reading it): it can only be created once the tables exist. Other functions are created
   * before the tables, so defaults and generated columns can call them.
   */
  late: boolean;
}

/** Depth and lateness of every function of a snapshot, from the `pg_depend` facts it carries. */
export function functionPlaces(snap: Snapshot): Map<string, FunctionPlace> {
  const fns = new Map<string, FunctionObject>();
  for (const o of snap.objects.values()) if (o.kind === "function") fns.set(o.id, o);
  const out = new Map<string, FunctionPlace>();
  const visit = (id: string, path: Set<string>): FunctionPlace => {
    const known = out.get(id);
    if (known) return known;
    const f = fns.get(id)!;
    let depth = 0;
    let late = false;
    for (const dep of f.dependsOn ?? []) {
      if (/^(table|column|view|matview):/.test(dep)) late = true;
      if (!fns.has(dep) || path.has(dep)) continue;
      const p = visit(dep, new Set([...path, dep]));
      depth = Math.max(depth, p.depth + 1);
      late ||= p.late;
    }
    const place = { depth, late };
    out.set(id, place);
    return place;
  };
  for (const id of [...fns.keys()].sort(compareIds)) visit(id, new Set([id]));
  return out;
}

/** Functions of a snapshot in creation order: by depth, then id. */
export function functionsInOrder(snap: Snapshot, places: Map<string, FunctionPlace>): FunctionObject[] {
  const fns: FunctionObject[] = [];
  for (const o of snap.objects.values()) if (o.kind === "function") fns.push(o);
  return fns.sort((a, b) => places.get(a.id)!.depth - places.get(b.id)!.depth || compareIds(a.id, b.id));
}

/**
 * Grants are not loaded into the shadow (their roles need not exist there): who may execute a
 * function is carried over from the snapshot that was reloaded, by id.
 */
export function keepExecuteGrants(snap: Snapshot, source: Snapshot): void {
  for (const o of snap.objects.values()) {
    if (o.kind !== "function") continue;
    const s = source.objects.get(o.id);
    if (s?.kind === "function") snap.objects.set(o.id, { ...o, execute: s.execute });
  }
}
