/** Diff of standalone sequences: create, drop, alter parameters and ownership. @module */
import { definitionOf } from "../model/definition.ts";
import { columnId } from "../model/ids.ts";
import type { SequenceObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs } from "./diff.ts";

/** Does the live owner of `s` (table or column) go in this plan? Then the sequence goes with it. */
function ownerGoes(ctx: DiffContext, s: SequenceObject): boolean {
  if (s.ownedBy === undefined) return false;
  const col = columnId(s.ownedBy.schema, s.ownedBy.table, s.ownedBy.column);
  return ctx.from.objects.has(col) && !ctx.to.objects.has(col);
}

/** Sequences to create, drop and alter. */
export function diffSequences(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "sequence");
  const out: Change[] = [];
  for (const [id, s] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_sequence", to: s });
    else if (definitionOf(live) !== definitionOf(s)) {
      out.push({ op: "alter_sequence", from: live, to: s, ownerDropped: ownerGoes(ctx, live) });
    }
  }
  for (const [id, s] of from) {
    // A sequence owned by a column that goes is dropped by PostgreSQL with it.
    if (!to.has(id) && !ownerGoes(ctx, s)) out.push({ op: "drop_sequence", from: s });
  }
  return out;
}
