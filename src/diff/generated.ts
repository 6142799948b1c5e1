/**
 * A column that becomes generated, or whose generation expression changes. PostgreSQL 17 has
 * `ALTER COLUMN … SET EXPRESSION`, 15 and 16 do not, and a plan is written without knowing the
 * server it will run on: the one statement that works everywhere is to drop the column and add
 * it again. Its values are computed again (a generated column's data is derived, so nothing is
 * lost; a plain column becoming generated loses its stored values, which is destructive). What
 * PostgreSQL drops with the column is rebuilt around it: its indexes, CHECKs, comment and the
 * policies using it (views are dropped and created again by views.ts). A key or foreign key on
 * the column is refused, since the keys and foreign keys resting on it would have to move too.
 * A generated column becoming plain keeps its values (`DROP EXPRESSION`, column_steps.ts).
 * @module
 */
import { columnId, commentId } from "../model/ids.ts";
import { PgcError } from "../model/errors.ts";
import { quoteIdent } from "../model/quote.ts";
import type { ColumnObject, ConstraintObject, IndexObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import type { DiffContext } from "./diff.ts";

/** True when a column must be dropped and added again to take its desired generation expression. */
export function needsRebuild(from: ColumnObject, to: ColumnObject): boolean {
  return to.generated !== undefined && from.generated !== to.generated;
}

/**
 * Whether canonical SQL text names the column (its quoted name, not part of a longer name).
 * A superset is harmless (a string literal holding the name rebuilds one object more); PostgreSQL
 * prints every use of the column under that name, so nothing that uses it is missed.
 */
function mentions(sql: string, column: string): boolean {
  const name = quoteIdent(column);
  const word = /[A-Za-z0-9_$"]/;
  for (let i = sql.indexOf(name); i >= 0; i = sql.indexOf(name, i + 1)) {
    const before = i === 0 ? "" : sql[i - 1];
    const after = sql[i + name.length] ?? "";
    if (!word.test(before) && !word.test(after) && before !== ".") return true;
  }
  return false;
}

/** The part of an index definition after its table: keys, INCLUDE and predicate. */
function indexBody(i: IndexObject): string {
  const at = i.definition.indexOf(" USING ");
  return at < 0 ? i.definition : i.definition.slice(at);
}

/**
 * Replace each `alter_column` that needs a rebuild by a `rebuild_column`, and rebuild what the
 * column's drop takes along (unless the diff already drops or recreates it).
 */
export function rebuildGeneratedColumns(ctx: DiffContext, changes: Change[]): Change[] {
  const rebuilt = changes.filter((ch): ch is Extract<Change, { op: "alter_column" }> =>
    ch.op === "alter_column" && needsRebuild(ch.from, ch.to)
  );
  if (rebuilt.length === 0) return changes;
  const touched = new Set<string>();
  for (const ch of changes) {
    if ("from" in ch && ch.from && typeof ch.from === "object" && "id" in ch.from) touched.add(ch.from.id);
    if ("to" in ch && ch.to && typeof ch.to === "object" && "id" in ch.to) touched.add(ch.to.id);
  }
  const out = changes.filter((ch) => !(ch.op === "alter_column" && needsRebuild(ch.from, ch.to)));
  for (const ch of rebuilt) {
    const { from, to } = ch;
    const why = `column ${to.id.slice("column:".length)} is dropped and added again with its new expression`;
    out.push({ op: "rebuild_column", from, to });
    for (const live of ctx.from.objects.values()) {
      if (touched.has(live.id) || !("table" in live) || live.schema !== to.schema || live.table !== to.table) continue;
      const want = ctx.to.objects.get(live.id);
      if (!want || want.kind !== live.kind) continue;
      if (live.kind === "index" && mentions(indexBody(live), to.name)) {
        out.push({ op: "drop_index", from: live, replacedBy: want as IndexObject });
        out.push({ op: "create_index", to: want as IndexObject, replaces: live, tableIsNew: false });
      } else if (live.kind === "constraint" && live.type === "c" && mentions(live.definition, to.name)) {
        out.push({ op: "drop_constraint", from: live, replacedBy: want as ConstraintObject, why });
        out.push({ op: "add_constraint", to: want as ConstraintObject, replaces: live, tableIsNew: false, why });
      } else if (live.kind === "constraint" && mentions(live.definition, to.name)) {
        throw new PgcError(
          "unsupported",
          `Column ${to.id.slice("column:".length)} changes its generation expression, and ${live.name} rests on it; ` +
            "it would have to be dropped with the column.",
          { hint: "Drop the key, change the column, add the key again by hand, then plan again." },
        );
      } else if (live.kind === "policy" && (live.uses ?? []).includes(to.id)) {
        out.push({ op: "drop_policy", from: live, replacedBy: want as typeof live, why });
        out.push({ op: "create_policy", to: want as typeof live, replaces: live, why });
      } else if (live.kind === "comment" && live.id === commentId(columnId(to.schema, to.table, to.name))) {
        out.push({ op: "set_comment", to: want as typeof live });
      }
    }
  }
  return out;
}
