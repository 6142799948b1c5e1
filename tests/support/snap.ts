/** Hand-built snapshots for pure unit tests of diff and plan (no database involved). */
import { columnId, constraintId, indexId, tableId } from "../../src/model/ids.ts";
import type { ColumnObject, ConstraintObject, DbObject, IndexObject, TableObject } from "../../src/model/snapshot.ts";
import { type Snapshot, snapshotOf } from "../../src/model/snapshot.ts";

/** A table in public. */
export function table(name: string): TableObject {
  return { kind: "table", id: tableId("public", name), schema: "public", name };
}

/** A column of a public table. */
export function column(t: string, name: string, type: string, extra: Partial<ColumnObject> = {}): ColumnObject {
  return {
    kind: "column",
    id: columnId("public", t, name),
    schema: "public",
    table: t,
    name,
    position: 1,
    type,
    notNull: false,
    ...extra,
  };
}

/** A constraint of a public table. */
export function constraint(
  t: string,
  name: string,
  type: ConstraintObject["type"],
  definition: string,
  extra: Partial<ConstraintObject> = {},
): ConstraintObject {
  return {
    kind: "constraint",
    id: constraintId("public", t, name),
    schema: "public",
    table: t,
    name,
    type,
    definition,
    ...extra,
  };
}

/** An index of a public table. */
export function index(t: string, name: string, definition: string): IndexObject {
  return { kind: "index", id: indexId("public", name), schema: "public", table: t, name, definition };
}

/** A snapshot of public holding the objects. */
export function snap(...objects: DbObject[]): Snapshot {
  return snapshotOf(objects, ["public"]);
}
