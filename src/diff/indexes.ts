/** Diff of indexes: compared on `pg_get_indexdef` with the name taken out. @module */
import { quoteIdent } from "../model/quote.ts";
import type { IndexObject } from "../model/snapshot.ts";
import { tableId } from "../model/ids.ts";
import type { Change } from "./change.ts";
import type { DiffContext } from "./diff.ts";
import { pairs } from "./diff.ts";

/** The index definition without its own name, so two names for one index compare equal. */
export function indexShape(i: IndexObject): string {
  const prefix = ` INDEX ${quoteIdent(i.name)} ON `;
  return i.definition.replace(prefix, " INDEX ON ");
}

/** Indexes to create, drop, replace and rename. */
export function diffIndexes(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "index");
  const out: Change[] = [];
  const onlyFrom = [...from.values()].filter((i) =>
    !to.has(i.id) && !ctx.droppedTables.has(tableId(i.schema, i.table))
  );
  for (const [id, i] of to) {
    const live = from.get(id);
    const tableIsNew = ctx.newTables.has(tableId(i.schema, i.table));
    if (live) {
      if (indexShape(live) !== indexShape(i) || live.table !== i.table) {
        out.push({ op: "drop_index", from: live, replacedBy: i });
        out.push({ op: "create_index", to: i, replaces: live, tableIsNew });
      }
      continue;
    }
    const twin = onlyFrom.findIndex((l) => l.schema === i.schema && indexShape(l) === indexShape(i));
    if (twin >= 0) {
      out.push({ op: "rename_index", from: onlyFrom[twin], to: i });
      onlyFrom.splice(twin, 1);
    } else {
      out.push({ op: "create_index", to: i, tableIsNew });
    }
  }
  for (const i of onlyFrom) out.push({ op: "drop_index", from: i });
  return out;
}
