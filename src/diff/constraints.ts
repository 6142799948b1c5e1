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

/** The sorted column list of a primary key or unique constraint, with its table. */
function keyOf(c: ConstraintObject): string {
  const cols = c.definition.match(/^(?:PRIMARY KEY|UNIQUE(?: NULLS NOT DISTINCT)?) \((.*?)\)/)?.[1] ?? c.definition;
  return `${tableId(c.schema, c.table)}\t${cols.split(", ").sort().join(", ")}`;
}

/** The sorted referenced column list of a foreign key (PostgreSQL needs a key on exactly those). */
function referencedColumns(fk: ConstraintObject): string {
  const cols = fk.definition.match(/ REFERENCES .*?\((.*?)\)/)?.[1] ?? fk.definition;
  return cols.split(", ").sort().join(", ");
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
  // "table id\tcolumn list" of every key that goes away for a while.
  const rebuiltKeys = new Set<string>();
  const dropped = new Set<string>();
  for (const [id, c] of to) {
    const live = from.get(id);
    const tableIsNew = ctx.newTables.has(tableId(c.schema, c.table));
    if (live) {
      if (live.definition !== c.definition || live.type !== c.type) {
        out.push({ op: "drop_constraint", from: live, replacedBy: c });
        out.push({ op: "add_constraint", to: c, replaces: live, tableIsNew });
        dropped.add(live.id);
        if (live.type === "p" || live.type === "u") rebuiltKeys.add(keyOf(live));
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
    if (c.type === "p" || c.type === "u") rebuiltKeys.add(keyOf(c));
  }
  // A foreign key between two tables that are both dropped is dropped first: with it gone the
  // tables can go in any order, even when their keys reference each other in a cycle. (One into
  // its own table goes with the table.)
  for (const fk of from.values()) {
    const own = tableId(fk.schema, fk.table);
    if (fk.type !== "f" || !fk.references || fk.references === own) continue;
    if (!ctx.droppedTables.has(own) || !ctx.droppedTables.has(fk.references)) continue;
    out.push({ op: "drop_constraint", from: fk, betweenDropped: true });
    dropped.add(fk.id);
  }
  for (const fk of from.values()) {
    if (fk.type !== "f" || dropped.has(fk.id) || !fk.references) continue;
    if (!rebuiltKeys.has(`${fk.references}\t${referencedColumns(fk)}`)) continue;
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
