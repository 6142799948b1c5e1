/** Views and materialized views, with what each rests on (from `pg_depend`). @module */
import type { Queryable } from "../db/queryable.ts";
import {
  columnId,
  constraintId,
  domainId,
  functionId,
  matviewId,
  sequenceId,
  tableId,
  typeId,
  viewId,
} from "../model/ids.ts";
import { compareIds, type ViewObject } from "../model/snapshot.ts";
import { Q_VIEW_DEPENDS, Q_VIEWS } from "./view_queries.ts";

interface ViewRow {
  schema: string;
  name: string;
  relkind: string;
  definition: string;
  options: string;
  columns: string;
}

interface DependRow {
  schema: string;
  name: string;
  kind: string;
  ref_schema: string;
  ref_name: string;
  ref_sub: string | null;
}

/** The ids one `pg_depend` row of a view's rule stands for (a column also names its table). */
function dependencyIds(r: DependRow): string[] {
  switch (r.kind) {
    case "r":
    case "p":
      return r.ref_sub === null
        ? [tableId(r.ref_schema, r.ref_name)]
        : [tableId(r.ref_schema, r.ref_name), columnId(r.ref_schema, r.ref_name, r.ref_sub)];
    case "v":
      return [viewId(r.ref_schema, r.ref_name)];
    case "m":
      return [matviewId(r.ref_schema, r.ref_name)];
    case "S":
      return [sequenceId(r.ref_schema, r.ref_name)];
    case "type_e":
      return [typeId(r.ref_schema, r.ref_name)];
    case "type_d":
      return [domainId(r.ref_schema, r.ref_name)];
    case "function":
      return [functionId(r.ref_schema, r.ref_name, r.ref_sub ?? "")];
    case "constraint":
      return r.ref_sub === null ? [] : [constraintId(r.ref_schema, r.ref_sub, r.ref_name)];
    default:
      return [];
  }
}

/** `pg_get_viewdef` text without the leading space and trailing semicolon it prints. */
export function trimViewDefinition(text: string): string {
  return text.trim().replace(/;$/, "");
}

/** Read the views and materialized views of the given schemas. */
export async function readViews(db: Queryable, schemas: string[]): Promise<ViewObject[]> {
  const deps = new Map<string, Set<string>>();
  for (const r of await db.query<DependRow>(Q_VIEW_DEPENDS, [schemas])) {
    const key = `${r.schema}\u0000${r.name}`;
    const set = deps.get(key) ?? new Set<string>();
    for (const id of dependencyIds(r)) set.add(id);
    deps.set(key, set);
  }
  return (await db.query<ViewRow>(Q_VIEWS, [schemas])).map((r) => {
    const matview = r.relkind === "m";
    return {
      kind: matview ? "matview" : "view",
      id: matview ? matviewId(r.schema, r.name) : viewId(r.schema, r.name),
      schema: r.schema,
      name: r.name,
      columns: JSON.parse(r.columns) as string[],
      definition: trimViewDefinition(r.definition),
      options: (JSON.parse(r.options) as string[]).sort(),
      dependsOn: [...(deps.get(`${r.schema}\u0000${r.name}`) ?? [])].sort(compareIds),
    };
  });
}
