/**
 * Diff of row-level security: a table's ENABLE / FORCE switches, and its policies. A policy whose
 * definition changed is dropped and created again, except when only its roles changed (ALTER
 * POLICY … TO covers that). A policy PostgreSQL would not let a column change type under (it
 * uses the column) is rebuilt around the change even when its text stays the same. A live
 * policy with the same definition under another name is renamed.
 * @module
 */
import { tableId } from "../model/ids.ts";
import type { PolicyObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs, sameDefinition } from "./diff.ts";

/** Ids of columns on both sides whose type or collation changes (PostgreSQL refuses that under a policy). */
function retypedColumns(ctx: DiffContext): Set<string> {
  const { from, to } = pairs(ctx, "column");
  const out = new Set<string>();
  for (const [id, c] of to) {
    const live = from.get(id);
    if (live && (live.type !== c.type || live.collation !== c.collation)) out.add(id);
  }
  return out;
}

/** Same policy apart from its roles? */
function onlyRolesDiffer(a: PolicyObject, b: PolicyObject): boolean {
  return a.permissive === b.permissive && a.command === b.command && a.using === b.using &&
    a.withCheck === b.withCheck;
}

/** RLS switches to flip and policies to create, drop, alter and rename. */
export function diffRowLevelSecurity(ctx: DiffContext): Change[] {
  const out: Change[] = [];
  const rls = pairs(ctx, "rls");
  for (const id of [...new Set([...rls.from.keys(), ...rls.to.keys()])].sort()) {
    const from = rls.from.get(id);
    const to = rls.to.get(id);
    const o = (to ?? from)!;
    const table = tableId(o.schema, o.table);
    if (ctx.droppedTables.has(table)) continue;
    if (from && to && sameDefinition(from, to)) continue;
    out.push({
      op: "alter_rls",
      id,
      schema: o.schema,
      table: o.table,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      tableIsNew: ctx.newTables.has(table),
    });
  }
  const { from, to } = pairs(ctx, "policy");
  const retyped = retypedColumns(ctx);
  const usesRetyped = (p: PolicyObject) => (p.uses ?? []).find((c) => retyped.has(c));
  const onlyFrom = [...from.values()].filter((p) =>
    !to.has(p.id) && !ctx.droppedTables.has(tableId(p.schema, p.table))
  );
  for (const [id, p] of to) {
    const live = from.get(id);
    if (live) {
      const column = usesRetyped(live);
      if (sameDefinition(live, p) && column === undefined) continue;
      if (column === undefined && onlyRolesDiffer(live, p)) {
        out.push({ op: "alter_policy", from: live, to: p });
        continue;
      }
      const why = sameDefinition(live, p) ? `column ${column!.slice("column:".length)} changes type` : undefined;
      out.push({ op: "drop_policy", from: live, replacedBy: p, ...(why ? { why } : {}) });
      out.push({ op: "create_policy", to: p, replaces: live, ...(why ? { why } : {}) });
      continue;
    }
    const twin = onlyFrom.findIndex((l) =>
      l.schema === p.schema && l.table === p.table && sameDefinition(l, p) && usesRetyped(l) === undefined
    );
    if (twin >= 0) out.push({ op: "rename_policy", from: onlyFrom.splice(twin, 1)[0], to: p });
    else out.push({ op: "create_policy", to: p });
  }
  for (const p of onlyFrom) out.push({ op: "drop_policy", from: p });
  return out;
}
