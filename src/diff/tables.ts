/** Diff of schemas and tables (a table's columns are created with it). @module */
import { tableId } from "../model/ids.ts";
import { partitionDepth } from "../model/partitions.ts";
import type { Change } from "./change.ts";
import { enumChange } from "./enums.ts";
import { type DiffContext, pairs } from "./diff.ts";
import { diffPartitioning, goesWithParent, partitionPlace } from "./partitions.ts";

/** Schemas to create and drop (`public` is never modelled, so never touched). */
export function diffSchemas(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "schema");
  const out: Change[] = [];
  for (const [id, s] of to) if (!from.has(id)) out.push({ op: "create_schema", to: s });
  for (const [id, s] of from) if (!to.has(id)) out.push({ op: "drop_schema", from: s });
  return out;
}

/** Tables to create (with their columns) and drop; partitioning changes (see partitions.ts). */
export function diffTables(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "table");
  const cols = pairs(ctx, "column").to;
  const out: Change[] = [];
  for (const [id, t] of to) {
    const live = from.get(id);
    if (live) {
      out.push(...diffPartitioning(live, t, ctx));
      continue;
    }
    const columns = [...cols.values()].filter((c) => tableId(c.schema, c.table) === id);
    out.push({ op: "create_table", to: t, columns, ...partitionPlace(t, ctx) });
  }
  for (const [id, t] of from) {
    if (to.has(id) || goesWithParent(t, ctx)) continue;
    out.push({ op: "drop_table", from: t, depth: partitionDepth(t, ctx.from) });
  }
  return out;
}

/** Enum types to create, drop and extend. */
export function diffEnums(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "enum");
  const out: Change[] = [];
  for (const [id, e] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_enum", to: e });
    else if (live.values.join("\u0000") !== e.values.join("\u0000")) out.push(enumChange(live, e));
  }
  for (const [id, e] of from) if (!to.has(id)) out.push({ op: "drop_enum", from: e });
  return out;
}
