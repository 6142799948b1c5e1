/** Diff of schemas and tables (a table's columns are created with it). @module */
import { PgcError } from "../model/errors.ts";
import { tableId } from "../model/ids.ts";
import { qualify } from "../model/quote.ts";
import type { Change } from "./change.ts";
import { enumChange } from "./enums.ts";
import { type DiffContext, pairs } from "./diff.ts";

/** Schemas to create and drop (`public` is never modelled, so never touched). */
export function diffSchemas(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "schema");
  const out: Change[] = [];
  for (const [id, s] of to) if (!from.has(id)) out.push({ op: "create_schema", to: s });
  for (const [id, s] of from) if (!to.has(id)) out.push({ op: "drop_schema", from: s });
  return out;
}

/** Tables to create (with their columns) and drop. */
export function diffTables(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "table");
  const cols = pairs(ctx, "column").to;
  const out: Change[] = [];
  for (const [id, t] of to) {
    const live = from.get(id);
    if (live && Boolean(live.partitioned) !== Boolean(t.partitioned)) {
      throw new PgcError("unsupported", `Table ${qualify(t.schema, t.name)} changes between plain and partitioned.`, {
        hint: "Partitioning is not managed yet: change it by hand, then plan again.",
      });
    }
    if (live) continue;
    if (t.partitioned) {
      throw new PgcError(
        "unsupported",
        `Table ${qualify(t.schema, t.name)} is partitioned; creating it is not managed yet.`,
        {
          hint: "Create the partitioned table and its partitions by hand, then plan again.",
        },
      );
    }
    const columns = [...cols.values()].filter((c) => tableId(c.schema, c.table) === id);
    out.push({ op: "create_table", to: t, columns });
  }
  for (const [id, t] of from) if (!to.has(id)) out.push({ op: "drop_table", from: t });
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
