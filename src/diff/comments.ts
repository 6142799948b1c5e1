/** Diff of comments on tables and columns. @module */
import { tableId } from "../model/ids.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs, sameDefinition } from "./diff.ts";

/** Comments to set, change and remove (a dropped table takes its comments with it). */
export function diffComments(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "comment");
  const out: Change[] = [];
  for (const [id, c] of to) {
    const live = from.get(id);
    if (!live || !sameDefinition(live, c)) out.push({ op: "set_comment", to: c, ...(live ? { from: live } : {}) });
  }
  for (const [id, c] of from) {
    if (to.has(id) || ctx.droppedTables.has(tableId(c.schema, c.table))) continue;
    // A dropped column takes its comment too.
    if (c.column !== undefined && !ctx.to.objects.has(c.target)) continue;
    out.push({ op: "drop_comment", from: c });
  }
  return out;
}
