/**
 * The ids of the objects a schema.yaml's structured keys declare, each with the YAML location
 * that declares it: what the shadow may hold after loading the file, apart from what its `sql:`
 * items create. Names are the ones the shadow DDL gives (defaults included), from the same
 * functions the renderer uses.
 * @module
 */
import type { SourceRef } from "../model/errors.ts";
import {
  columnId,
  commentId,
  constraintId,
  indexId,
  matviewId,
  policyId,
  rlsId,
  schemaId,
  tableId,
  typeId,
  viewId,
} from "../model/ids.ts";
import { constraintNames } from "../yaml/default_names.ts";
import type { Schema } from "../yaml/types.ts";
import { allEnums } from "./schema_ddl.ts";

/** What the structured keys declare. */
export interface Declared {
  /** Object id → where it is declared. */
  ids: Map<string, SourceRef>;
  /** `function:schema.name(` → where; a function's id ends in argument types PostgreSQL spells. */
  functions: Map<string, SourceRef>;
}

/** The objects `schema` declares with structured keys (not its `sql:` items). */
export function declaredIds(schema: Schema): Declared {
  const ids = new Map<string, SourceRef>();
  const add = (id: string, at: SourceRef) => ids.has(id) || ids.set(id, at);
  add(schemaId("public"), schema.at);
  for (const s of schema.schemas) add(schemaId(s.name), s.at);
  for (const en of allEnums(schema)) {
    add(schemaId(en.schema), en.at);
    add(typeId(en.schema, en.name), en.at);
  }
  for (const t of schema.tables) {
    const table = tableId(t.schema, t.name);
    add(schemaId(t.schema), t.at);
    add(table, t.at);
    if (t.comment !== undefined) add(commentId(table), t.valueAt.comment ?? t.at);
    for (const c of t.columns) {
      const column = columnId(t.schema, t.name, c.name);
      add(column, c.at);
      if (c.comment !== undefined) add(commentId(column), c.valueAt.comment ?? c.at);
    }
    const names = constraintNames(t);
    const constraint = (name: string, at: SourceRef) => add(constraintId(t.schema, t.name, name), at);
    if (names.primaryKey !== undefined) constraint(names.primaryKey, t.primaryKey!.at);
    t.uniqueConstraints.forEach((u, i) => constraint(names.unique[i], u.at));
    for (const [c, name] of names.columnChecks) constraint(name, c.valueAt.checkConstraint ?? c.at);
    for (const k of t.checkConstraints) constraint(k.name, k.at);
    t.foreignKeys.forEach((fk, i) => constraint(names.foreignKeys[i], fk.at));
    for (const ix of t.indexes) add(indexId(t.schema, ix.name), ix.at);
    const rls = t.rowLevelSecurity;
    if (rls !== undefined) {
      add(rlsId(t.schema, t.name), rls.at);
      for (const p of rls.policies) add(policyId(t.schema, t.name, p.name), p.at);
    }
  }
  for (const v of schema.views) {
    add(schemaId(v.schema), v.at);
    add((v.materialized ? matviewId : viewId)(v.schema, v.name), v.at);
  }
  const functions = new Map<string, SourceRef>();
  for (const f of schema.functions) {
    add(schemaId(f.schema), f.at);
    functions.set(`function:${f.schema}.${f.name}(`, f.at);
  }
  return { ids, functions };
}

/** Whether `id` is one `declared` names. */
export function isDeclared(declared: Declared, id: string): boolean {
  if (declared.ids.has(id)) return true;
  if (!id.startsWith("function:")) return false;
  const open = id.indexOf("(");
  return open > 0 && declared.functions.has(id.slice(0, open + 1));
}
