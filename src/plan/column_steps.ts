/** Column changes → statements: add (NOT NULL deferred past the data slot), alter. @module */
import { columnDefinition } from "../model/definition.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { ColumnObject } from "../model/snapshot.ts";
import { notNullPreflight, rowCountPreflight, tooLongPreflight } from "./preflight_sql.ts";
import type { Step } from "./step.ts";
import { alterTable, step, unsupported } from "./step_helpers.ts";
import { classifyTypeChange, lengthLimit, needsUsing } from "./type_change.ts";
import { identityOptionChanges, identityOptionsSuffix } from "./identity_steps.ts";
import { serialChangeSteps } from "./serial_steps.ts";

const SERIAL_BASE: Record<string, string> = { serial: "integer", bigserial: "bigint", smallserial: "smallint" };

/** Add a column; a NOT NULL one without a default is added nullable and made NOT NULL after the data slot. */
export function addColumn(c: ColumnObject, deferNotNull: boolean): Step[] {
  const def = columnDefinition(deferNotNull ? { ...c, notNull: false } : c);
  const add = step(
    c.id,
    "add_column",
    "pre",
    130 + c.position / 100000, // new columns keep the order they are declared in
    `${alterTable(c)} ADD COLUMN ${quoteIdent(c.name)} ${def};`,
    "column is new",
  );
  add.now = columnDefinition(c);
  if (c.default !== undefined && /\(/.test(c.default)) {
    add.hazards.push({ kind: "table_rewrite", message: "a volatile default may rewrite the table" });
  }
  if (!deferNotNull) return [add];
  const nn = step(
    c.id,
    "add_column",
    "post",
    200,
    `${alterTable(c)} ALTER COLUMN ${quoteIdent(c.name)} SET NOT NULL;`,
    "new NOT NULL column without a default: added nullable, filled by the data section, then made NOT NULL",
  );
  nn.hazards.push({ kind: "validation_scan", message: `scans ${qualify(c.schema, c.table)} to check for NULLs` });
  nn.preflight = rowCountPreflight(c);
  return [add, nn];
}

/**
 * Alter a column: defaults around type changes, nullability, identity; NOT NULL after the data
 * slot. `viaText`: the old type is an enum, which casts to no other type but text.
 */
export function alterColumn(from: ColumnObject, to: ColumnObject, viaText = false): Step[] {
  const at = `${alterTable(to)} ALTER COLUMN ${quoteIdent(to.name)}`;
  const out: Step[] = [];
  const was = columnDefinition(from);
  const now = columnDefinition(to);
  const mk = (phase: Step["phase"], rank: number, sql: string, reason: string): Step => ({
    ...step(to.id, "alter_column", phase, rank, sql, reason),
    was,
    now,
  });
  const fromBase = SERIAL_BASE[from.type] ?? from.type;
  const toBase = SERIAL_BASE[to.type] ?? to.type;
  out.push(...serialChangeSteps(from, to, mk));
  if (to.generated !== undefined && from.generated !== to.generated) {
    // diff/generated.ts turns this into a rebuild_column; reaching here would be a bug.
    unsupported(`Column ${to.id.slice(7)} changes its generation expression outside a column rebuild.`);
  }
  if (from.generated !== undefined && to.generated === undefined) {
    out.push(mk("pre", 139, `${at} DROP EXPRESSION;`, "no longer generated: the column keeps its values"));
  }
  const typeChanges = fromBase !== toBase || from.collation !== to.collation;
  // A default is dropped when it goes away, or around a type change (the old one may not cast).
  if (from.default !== undefined && (to.default === undefined || typeChanges)) {
    const why = to.default === undefined ? "default removed" : "default dropped around the type change";
    out.push(mk("pre", 140, `${at} DROP DEFAULT;`, why));
  }
  if (from.identity && from.identity !== to.identity && !to.identity) {
    out.push(mk("pre", 141, `${at} DROP IDENTITY;`, "identity removed"));
  }
  if (typeChanges) {
    // Every label of an enum fits text.
    const kind = viaText && toBase === "text"
      ? { narrowing: false, rewrite: true }
      : classifyTypeChange(fromBase, toBase);
    const collate = to.collation ? ` COLLATE ${to.collation}` : "";
    const using = viaText
      ? ` USING ${quoteIdent(to.name)}::text${toBase === "text" ? "" : `::${toBase}`}`
      : needsUsing(fromBase, toBase)
      ? ` USING ${quoteIdent(to.name)}::${toBase}`
      : "";
    const s = mk("pre", 142, `${at} TYPE ${toBase}${collate}${using};`, "type changed");
    const limit = lengthLimit(toBase);
    if (kind.narrowing && limit !== undefined) s.preflight = tooLongPreflight(to, limit);
    if (kind.rewrite) {
      s.hazards.push({
        kind: "table_rewrite",
        message: `rewrites ${qualify(to.schema, to.table)} under an ACCESS EXCLUSIVE lock`,
      });
    }
    if (kind.narrowing) {
      s.destructive = true;
      s.hazards.push({
        kind: "data_loss",
        message: `values may not fit ${toBase}: the change can fail or lose precision`,
      });
    }
    out.push(s);
  }
  if (from.notNull && !to.notNull) out.push(mk("pre", 143, `${at} DROP NOT NULL;`, "column became nullable"));
  if (to.default !== undefined && (from.default !== to.default || typeChanges)) {
    out.push(
      mk(
        "pre",
        144,
        `${at} SET DEFAULT ${to.default};`,
        from.default === to.default ? "default restored after the type change" : "default changed",
      ),
    );
  }
  if (to.identity && from.identity && from.identity !== to.identity) {
    out.push(mk("pre", 145, `${at} SET GENERATED ${to.identity.toUpperCase()};`, "identity kind changed"));
  }
  const identitySets = to.identity && from.identity ? identityOptionChanges(from, to, toBase) : "";
  if (identitySets) out.push(mk("pre", 146, `${at} ${identitySets};`, "identity options changed"));
  if (!from.notNull && to.notNull) {
    const s = mk("post", 200, `${at} SET NOT NULL;`, "column became NOT NULL");
    s.hazards.push({ kind: "validation_scan", message: `scans ${qualify(to.schema, to.table)} to check for NULLs` });
    s.preflight = notNullPreflight(to);
    out.push(s);
  }
  if (to.identity && !from.identity) {
    out.push(
      mk(
        "post",
        201,
        `${at} ADD GENERATED ${to.identity.toUpperCase()} AS IDENTITY${identityOptionsSuffix(to)};`,
        "identity added",
      ),
    );
  }
  return out;
}
