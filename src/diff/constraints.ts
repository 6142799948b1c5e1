/**
 * Diff of table constraints. A constraint whose definition changed is dropped and re-added
 * (the data section sits between the two); a live constraint with the same definition under
 * another name is renamed, or, for a foreign key the input did not name, simply matched.
 * @module
 */
import { tableId } from "../model/ids.ts";
import type { ConstraintObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs } from "./diff.ts";

const KIND_WORD: Record<ConstraintObject["type"], string> = {
  p: "primary key",
  u: "unique constraint",
  f: "foreign key",
  c: "CHECK",
  x: "exclusion constraint",
};

/** A readable name for a constraint kind ("CHECK", "foreign key", …). */
export function constraintKindWord(c: ConstraintObject): string {
  return KIND_WORD[c.type];
}

/** Constraints to add, drop, replace and rename. */
export function diffConstraints(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "constraint");
  const out: Change[] = [];
  const onlyFrom = [...from.values()].filter((c) =>
    !to.has(c.id) && !ctx.droppedTables.has(tableId(c.schema, c.table))
  );
  // Keys (PK/unique) that are dropped or replaced: FKs pointing at their table must be dropped first
  // and re-added after, or the drop fails.
  const rebuiltKeysOn = new Set<string>();
  const dropped = new Set<string>();
  for (const [id, c] of to) {
    const live = from.get(id);
    const tableIsNew = ctx.newTables.has(tableId(c.schema, c.table));
    if (live) {
      if (live.definition !== c.definition || live.type !== c.type) {
        out.push({ op: "drop_constraint", from: live, replacedBy: c });
        out.push({ op: "add_constraint", to: c, replaces: live, tableIsNew });
        dropped.add(live.id);
        if (live.type === "p" || live.type === "u") rebuiltKeysOn.add(tableId(live.schema, live.table));
      }
      continue;
    }
    const twin = onlyFrom.findIndex((l) =>
      l.schema === c.schema && l.table === c.table && l.type === c.type && l.definition === c.definition
    );
    if (twin >= 0) {
      const l = onlyFrom.splice(twin, 1)[0];
      if (c.type === "f" && c.autoNamed) ctx.matched.set(c.id, l);
      else out.push({ op: "rename_constraint", from: l, to: c });
    } else {
      out.push({ op: "add_constraint", to: c, tableIsNew });
    }
  }
  for (const c of onlyFrom) {
    out.push({ op: "drop_constraint", from: c });
    dropped.add(c.id);
    if (c.type === "p" || c.type === "u") rebuiltKeysOn.add(tableId(c.schema, c.table));
  }
  for (const fk of from.values()) {
    if (fk.type !== "f" || dropped.has(fk.id) || !fk.references || !rebuiltKeysOn.has(fk.references)) continue;
    if (ctx.droppedTables.has(tableId(fk.schema, fk.table))) continue;
    const keep = to.get(fk.id) ?? [...to.values()].find((c) => ctx.matched.get(c.id)?.id === fk.id);
    if (!keep) continue;
    const why = `the key it references on ${fk.references.slice("table:".length)} is rebuilt`;
    out.push({ op: "drop_constraint", from: fk, why });
    out.push({
      op: "add_constraint",
      to: ctx.matched.get(keep.id) as ConstraintObject ?? keep,
      tableIsNew: false,
      why,
    });
  }
  return out;
}
