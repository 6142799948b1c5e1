/** Diff of columns of tables that exist on both sides. @module */
import { tableId } from "../model/ids.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs, sameDefinition } from "./diff.ts";

/** Columns to add, drop and alter. New tables get their columns from `create_table`. */
export function diffColumns(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "column");
  const out: Change[] = [];
  for (const [id, c] of to) {
    if (ctx.newTables.has(tableId(c.schema, c.table))) continue;
    const live = from.get(id);
    if (!live) {
      // NOT NULL without a default cannot be added to a table with rows: add nullable, let the
      // data section backfill, then SET NOT NULL.
      const deferNotNull = c.notNull && c.default === undefined && c.identity === undefined &&
        c.generated === undefined && !c.type.endsWith("serial");
      out.push({ op: "add_column", to: c, deferNotNull });
    } else if (!sameDefinition(live, c)) {
      out.push({ op: "alter_column", from: live, to: c });
    }
  }
  for (const [id, c] of from) {
    if (to.has(id) || ctx.droppedTables.has(tableId(c.schema, c.table))) continue;
    out.push({ op: "drop_column", from: c });
  }
  return out;
}
