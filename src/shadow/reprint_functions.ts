/**
 * The second printing of functions and triggers, in place: a function is replaced by its own
 * printed text (a SQL-standard body and argument defaults are parsed again), a trigger with a
 * WHEN condition is dropped and created again from its printed text.
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import { functionPlaces, functionsInOrder } from "../model/functions.ts";
import { objectsOfKind, type Snapshot } from "../model/snapshot.ts";
import { createFunctionSql, createTriggerSql, dropTriggerSql } from "../render/function_sql.ts";

const noSemicolon = (sql: string): string => sql.replace(/;$/, "");

/** Statements that re-execute the printed functions and WHEN-bearing triggers of a snapshot. */
export function reprintFunctionStatements(first: Snapshot): DdlStatement[] {
  const fns = functionsInOrder(first, functionPlaces(first));
  const out: DdlStatement[] = [];
  if (fns.length > 0) {
    out.push({ sql: "SET check_function_bodies = off" });
    for (const f of fns) out.push({ sql: noSemicolon(createFunctionSql(f)) });
    out.push({ sql: "RESET check_function_bodies" });
  }
  for (const t of objectsOfKind(first, "trigger")) {
    if (!t.definition.includes(" WHEN (")) continue;
    out.push({ sql: noSemicolon(dropTriggerSql(t)) }, ...createTriggerSql(t).map((sql) => ({ sql: noSemicolon(sql) })));
  }
  return out;
}
