/**
 * Function and trigger changes → statements, with their place in the plan:
 * - functions that need no table are created right after schemas and enums (rank 107), so
 *   defaults, CHECKs and indexes can call them; those resting on a table come after the tables
 *   and columns (rank 150); within each, dependencies first (depth / 1000);
 * - a function is dropped in the drop phase when something dropped with it must go after it
 *   (it is dropped and created again, or rests on a table that is dropped), dependents first;
 *   otherwise at the end (rank 275), once what called it was changed or dropped;
 * - triggers are dropped first (rank 15) and created after the data section (rank 265): a data
 *   migration does not fire them.
 * @module
 */
import type { Change } from "../diff/change.ts";
import { DEFAULT_EXECUTE, functionDefinition, type FunctionPlace, functionSignature } from "../model/functions.ts";
import type { FunctionObject } from "../model/snapshot.ts";
import {
  createFunctionSql,
  createTriggerSql,
  dropFunctionSql,
  dropTriggerSql,
  executeStatements,
} from "../render/function_sql.ts";
import type { Step } from "./step.ts";
import { step } from "./step_helpers.ts";

/** Rank of creating or replacing a function. */
function createRank(place: FunctionPlace): number {
  return (place.late ? 150 : 107) + place.depth / 1000;
}

/** Rank of dropping a function: dependents (deeper) first. */
function dropRank(base: number, place: FunctionPlace): number {
  return base + 0.5 - place.depth / 1000;
}

/**
 * A SQL function's string body is checked when it is created, against the tables as they are at
 * that moment. It was already checked where it was written (the shadow loaded it): the migration
 * does not check it again, so creation order only has to follow what pg_depend records.
 */
function withBodiesUnchecked(f: FunctionObject, sql: string): string {
  return f.language === "sql" ? `SET LOCAL check_function_bodies = off;\n${sql}` : sql;
}

/** GRANT / REVOKE steps that take `to`'s EXECUTE list from `from`; revoking from an existing function is destructive. */
function executeSteps(
  op: Change["op"],
  to: FunctionObject,
  from: readonly string[],
  rank: number,
  existing: boolean,
): Step[] {
  const { revokes, grants } = executeStatements(to, from);
  const out: Step[] = [];
  for (const r of revokes) {
    const s = step(to.id, op, "pre", rank, r.sql, `${r.entry} may no longer execute it`);
    if (existing) s.destructive = true;
    out.push(s);
  }
  for (const g of grants) out.push(step(to.id, op, "pre", rank, g.sql, `${g.entry} may execute it`));
  return out;
}

/** The changes this file turns into statements. */
export type FunctionChange = Extract<
  Change,
  {
    op:
      | "create_function"
      | "replace_function"
      | "alter_function_execute"
      | "drop_function"
      | "create_trigger"
      | "drop_trigger";
  }
>;

/** The statements of a function or trigger change. */
export function functionSteps(ch: FunctionChange): Step[] {
  switch (ch.op) {
    case "create_function": {
      const f = ch.to;
      const rank = createRank(ch.place);
      const reason = ch.why ? `dropped and created again: ${ch.why}` : "function is new";
      const s = step(f.id, ch.op, "pre", rank, withBodiesUnchecked(f, createFunctionSql(f)), reason);
      if (ch.replaces) s.was = functionDefinition(ch.replaces);
      s.now = functionDefinition(f);
      return [s, ...executeSteps(ch.op, f, DEFAULT_EXECUTE, rank, false)];
    }
    case "replace_function": {
      const s = step(
        ch.to.id,
        ch.op,
        "pre",
        createRank(ch.place),
        withBodiesUnchecked(ch.to, createFunctionSql(ch.to)),
        "function changed (same signature: replaced in place, grants kept)",
      );
      s.was = ch.from.definition;
      s.now = ch.to.definition;
      return [s];
    }
    case "alter_function_execute": {
      const steps = executeSteps(ch.op, ch.to, ch.from.execute, createRank(ch.place), true);
      for (const s of steps) {
        s.was = `EXECUTE: ${ch.from.execute.join(", ") || "owner only"}`;
        s.now = `EXECUTE: ${ch.to.execute.join(", ") || "owner only"}`;
      }
      return steps;
    }
    case "drop_function": {
      const f = ch.from;
      const early = ch.replacedBy !== undefined || ch.early === true;
      const reason = ch.replacedBy
        ? `dropped to be created again: ${ch.why}`
        : ch.why
        ? `dropped: ${ch.why}`
        : "function is not in the desired schema";
      const s = step(
        f.id,
        ch.op,
        early ? "drop" : "post",
        dropRank(early ? 45 : 275, ch.place),
        dropFunctionSql(f),
        reason,
      );
      s.was = functionDefinition(f);
      if (!ch.replacedBy) {
        // Its definition may exist nowhere else, and whatever calls it starts failing.
        s.destructive = true;
        s.hazards.push({ kind: "data_loss", message: `drops function ${functionSignature(f)}; calls to it fail` });
      }
      return [s];
    }
    case "create_trigger": {
      const t = ch.to;
      const reason = ch.why ? `created again: ${ch.why}` : ch.replaces ? "trigger changed" : "trigger is new";
      return createTriggerSql(t).map((sql) => {
        const s = step(t.id, ch.op, "post", 265, sql, reason);
        if (ch.replaces) s.was = ch.replaces.definition;
        s.now = t.definition;
        return s;
      });
    }
    case "drop_trigger": {
      const t = ch.from;
      const reason = ch.why
        ? `dropped for now: ${ch.why}`
        : ch.replacedBy
        ? "trigger changed: dropped, created again after the data section"
        : "trigger is not in the desired schema";
      const s = step(t.id, ch.op, "drop", 15, dropTriggerSql(t), reason);
      s.was = t.definition;
      if (!ch.replacedBy && !ch.why) {
        s.destructive = true;
        s.hazards.push({ kind: "data_loss", message: `drops trigger ${t.name} on ${t.schema}.${t.table}` });
      }
      return [s];
    }
  }
}
