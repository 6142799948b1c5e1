/**
 * A column dropped and added again to take a new generation expression (diff/generated.ts):
 * the drop runs with the other drops, after the indexes, CHECKs, policies and views resting on
 * it are gone; the add runs with the new columns, and those dependents are created after it.
 * @module
 */
import type { Change } from "../diff/change.ts";
import { columnDefinition } from "../model/definition.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { Step } from "./step.ts";
import { alterTable, step } from "./step_helpers.ts";

/** The two statements of a `rebuild_column` change, with their hazards. */
export function rebuildColumn(ch: Extract<Change, { op: "rebuild_column" }>): Step[] {
  const { from, to } = ch;
  const table = qualify(to.schema, to.table);
  const was = columnDefinition(from);
  const now = columnDefinition(to);
  const why = from.generated === undefined
    ? "column becomes generated: PostgreSQL can only add a generated column, so it is dropped and added again"
    : "generation expression changed: before PostgreSQL 17 it cannot be altered, so the column is dropped and added again";
  const drop = {
    ...step(to.id, ch.op, "drop", 50, `${alterTable(to)} DROP COLUMN ${quoteIdent(to.name)};`, why),
    was,
    now,
  };
  if (from.generated === undefined) {
    drop.destructive = true;
    drop.hazards.push({
      kind: "data_loss",
      message: `drops the values stored in ${table}.${
        quoteIdent(to.name)
      }; they are computed from the expression instead`,
    });
  }
  const add = {
    ...step(
      to.id,
      ch.op,
      "pre",
      130 + to.position / 100000,
      `${alterTable(to)} ADD COLUMN ${quoteIdent(to.name)} ${now};`,
      "added again with its generation expression",
    ),
    was,
    now,
  };
  add.hazards.push({ kind: "table_rewrite", message: `rewrites ${table} to compute the column for every row` });
  return [drop, add];
}
