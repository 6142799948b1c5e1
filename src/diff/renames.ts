/**
 * Renames declared with `renamedFrom`. A rename applies when the old object exists on the live
 * side and the new one does not; then the plan renames it first, and everything else is diffed
 * against the live schema *as PostgreSQL shows it after the rename* (computed in the shadow), so
 * constraints and indexes that mention the old name are not dropped and re-created.
 * @module
 */
import type { Rename } from "../model/ddl.ts";
import { columnId, tableId, typeId } from "../model/ids.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { Snapshot } from "../model/snapshot.ts";

/** The renames that apply to this live snapshot (tables first, then columns, then enum labels). */
export function applicableRenames(live: Snapshot, renames: Rename[]): Rename[] {
  const out: Rename[] = [];
  const renamedTables = new Map<string, string>();
  for (const r of renames.filter((r) => r.kind === "table")) {
    if (live.objects.has(tableId(r.schema, r.from)) && !live.objects.has(tableId(r.schema, r.to))) {
      out.push(r);
      renamedTables.set(r.to, r.from);
    }
  }
  for (const r of renames.filter((r) => r.kind === "column")) {
    const liveTable = renamedTables.get(r.table!) ?? r.table!;
    if (
      live.objects.has(columnId(r.schema, liveTable, r.from)) && !live.objects.has(columnId(r.schema, liveTable, r.to))
    ) out.push(r);
  }
  for (const r of renames.filter((r) => r.kind === "enum_value")) {
    const e = live.objects.get(typeId(r.schema, r.type!));
    if (e?.kind === "enum" && e.values.includes(r.from) && !e.values.includes(r.to)) out.push(r);
  }
  return out;
}

/** The statement that carries out a rename (column renames name the table's new name). */
export function renameSql(r: Rename): string {
  if (r.kind === "table") return `ALTER TABLE ${qualify(r.schema, r.from)} RENAME TO ${quoteIdent(r.to)};`;
  if (r.kind === "enum_value") {
    return `ALTER TYPE ${qualify(r.schema, r.type!)} RENAME VALUE ${quoteLiteral(r.from)} TO ${quoteLiteral(r.to)};`;
  }
  return `ALTER TABLE ${qualify(r.schema, r.table!)} RENAME COLUMN ${quoteIdent(r.from)} TO ${quoteIdent(r.to)};`;
}

/** Id of the renamed object, under its new name. */
export function renameId(r: Rename): string {
  if (r.kind === "enum_value") return typeId(r.schema, r.type!);
  return r.kind === "table" ? tableId(r.schema, r.to) : columnId(r.schema, r.table!, r.to);
}
