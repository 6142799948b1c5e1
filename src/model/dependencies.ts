/**
 * One dependency graph over the object ids of a snapshot: for each object, the objects that must
 * exist before it can be created (and that cannot be dropped while it exists). Built from what the
 * model says by construction (a column needs its table, a foreign key the key it references, a
 * trigger its function) and from the `pg_depend` facts introspection carries (what views,
 * functions, domains and policies rest on, what rests on enums and functions). Plan orders its
 * statements on it: creations after what they need, drops before what they rest on.
 * @module
 */
import { domainId, schemaId, tableId, typeId } from "./ids.ts";
import { qualify } from "./quote.ts";
import { compareIds, type DbObject, type Snapshot } from "./snapshot.ts";

/** Object id → ids of the objects of the same snapshot it needs, sorted. */
export type DependencyGraph = Map<string, string[]>;

/** The type a `format_type()` text names, without array brackets (`public.mood[]` → `public.mood`). */
function baseTypeName(type: string): string {
  return type.replace(/(\[\])+$/, "");
}

/** Ids of the user types (enums, domains) by the text `format_type()` prints for them. */
function typesByName(snap: Snapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of snap.objects.values()) {
    if (o.kind === "enum") out.set(qualify(o.schema, o.name), typeId(o.schema, o.name));
    if (o.kind === "domain") out.set(qualify(o.schema, o.name), domainId(o.schema, o.name));
  }
  return out;
}

/** Primary key and unique constraint ids by table id (what a foreign key can rest on). */
function keysByTable(snap: Snapshot): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of snap.objects.values()) {
    if (k.kind !== "constraint" || (k.type !== "p" && k.type !== "u")) continue;
    const t = tableId(k.schema, k.table);
    out.set(t, [...(out.get(t) ?? []), k.id]);
  }
  return out;
}

/** The ids one object needs by construction or per the `pg_depend` facts it carries. */
function needsOf(o: DbObject, types: Map<string, string>, keys: Map<string, string[]>): string[] {
  const out: string[] = [];
  if ("schema" in o && typeof o.schema === "string") out.push(schemaId(o.schema));
  const onTable = "table" in o && typeof o.table === "string" ? tableId(o.schema, o.table) : undefined;
  switch (o.kind) {
    case "column": {
      out.push(onTable!);
      const t = types.get(baseTypeName(o.type));
      if (t) out.push(t);
      break;
    }
    case "constraint":
      out.push(onTable!);
      if (o.references) {
        out.push(o.references);
        // The referenced key must exist first: any primary key or unique constraint of that table.
        out.push(...(keys.get(o.references) ?? []));
      }
      break;
    case "index":
    case "rls":
      out.push(onTable!);
      break;
    case "trigger":
      out.push(onTable!, o.function);
      break;
    case "policy":
      out.push(onTable!, ...(o.uses ?? []));
      break;
    case "comment":
      out.push(o.target);
      break;
    case "table":
      if (o.partitionOf) out.push(tableId(o.partitionOf.schema, o.partitionOf.table));
      break;
    case "grant":
      out.push(o.on === "table" ? tableId(o.schema, o.table!) : schemaId(o.schema));
      break;
    case "domain": {
      const t = types.get(baseTypeName(o.baseType));
      if (t) out.push(t);
      out.push(...(o.dependsOn ?? []));
      break;
    }
    case "function":
    case "view":
    case "matview":
      out.push(...(o.dependsOn ?? []));
      break;
    default:
      break;
  }
  return out;
}

/**
 * The dependency graph of a snapshot. Only ids present in the snapshot appear as needs. A
 * table also needs what its columns need (CREATE TABLE makes them), and an index on a
 * materialized view needs the view.
 */
export function dependencyGraph(snap: Snapshot): DependencyGraph {
  const types = typesByName(snap);
  const keys = keysByTable(snap);
  const needs = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    if (from === to || !snap.objects.has(to) || !snap.objects.has(from)) return;
    let set = needs.get(from);
    if (!set) needs.set(from, set = new Set());
    set.add(to);
  };
  for (const o of snap.objects.values()) {
    for (const id of needsOf(o, types, keys)) add(o.id, id);
    if (o.kind === "index") add(o.id, `matview:${o.schema}.${o.table}`);
  }
  // Reverse facts: what pg_depend says rests on an enum or a function.
  for (const o of snap.objects.values()) {
    if (o.kind === "enum" || o.kind === "function") { for (const user of o.usedBy ?? []) add(user, o.id); }
  }
  for (const o of snap.objects.values()) {
    if (o.kind !== "column") continue;
    for (const id of needs.get(o.id) ?? []) add(tableId(o.schema, o.table), id);
  }
  const out: DependencyGraph = new Map();
  for (const [id, set] of needs) out.set(id, [...set].sort(compareIds));
  return out;
}
