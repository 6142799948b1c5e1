/**
 * Change → statements. One exhaustive switch over the closed set of change kinds: a new kind
 * does not compile until it is handled here.
 * @module
 */
import type { Change } from "../diff/change.ts";
import { constraintKindWord } from "../diff/constraints.ts";
import { columnDefinition, commentTarget, definitionOf } from "../model/definition.ts";
import { PgcError } from "../model/errors.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { ColumnObject, ConstraintObject, EnumObject } from "../model/snapshot.ts";
import { addConstraintSql, createEnumSql, createTableSql } from "../render/snapshot_sql.ts";
import {
  checkPreflight,
  notNullPreflight,
  rowCountPreflight,
  tooLongPreflight,
  uniquePreflight,
} from "./preflight_sql.ts";
import type { Hazard, Step } from "./step.ts";
import { classifyTypeChange, lengthLimit, needsUsing } from "./type_change.ts";
import { renameId, renameSql } from "../diff/renames.ts";

const CONSTRAINT_RANK: Record<ConstraintObject["type"], number> = { p: 210, u: 220, x: 230, c: 240, f: 260 };
const DROP_CONSTRAINT_RANK: Record<ConstraintObject["type"], number> = { f: 10, c: 30, x: 30, u: 31, p: 32 };

function alterTable(c: { schema: string; table: string }): string {
  return `ALTER TABLE ${qualify(c.schema, c.table)}`;
}

const SERIAL_BASE: Record<string, string> = { serial: "integer", bigserial: "bigint", smallserial: "smallint" };

function unsupported(message: string): never {
  throw new PgcError("unsupported", message, {
    hint: "Write this change by hand in a migration, apply it, then plan again.",
  });
}

/**
 * The statements that carry out one change. Types and schemas are dropped last of all, after the
 * columns that used them were converted and the tables in them dropped.
 */
export function stepsFor(ch: Change): Step[] {
  switch (ch.op) {
    case "rename": {
      const r = ch.rename;
      // Renames run before everything: tables first, since a column rename names the new table.
      const rank = r.kind === "table" ? 1 : 2;
      return [
        step(renameId(r), ch.op, "drop", rank, renameSql(r), `renamed from ${r.from} (renamedFrom in the schema)`),
      ];
    }
    case "create_schema":
      return [step(ch.to.id, ch.op, "pre", 100, `CREATE SCHEMA ${quoteIdent(ch.to.name)};`, "schema is new")];
    case "drop_schema":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "post",
          290,
          `DROP SCHEMA ${quoteIdent(ch.from.name)};`,
          "schema is not in the desired schema",
        ),
        destructive: true,
        hazards: [{ kind: "data_loss", message: `drops schema ${ch.from.name}` }],
      }];
    case "create_enum":
      return [{
        ...step(ch.to.id, ch.op, "pre", 105, createEnumSql(ch.to), "enum type is new"),
        now: definitionOf(ch.to),
      }];
    case "drop_enum":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "post",
          280,
          `DROP TYPE ${qualify(ch.from.schema, ch.from.name)};`,
          "enum type is not in the desired schema",
        ),
        was: definitionOf(ch.from),
      }];
    case "alter_enum":
      return alterEnum(ch.from, ch.to);
    case "create_table":
      return [step(ch.to.id, ch.op, "pre", 120, createTableSql(ch.to.schema, ch.to.name, ch.columns), "table is new")];
    case "drop_table":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          60,
          `DROP TABLE ${qualify(ch.from.schema, ch.from.name)};`,
          "table is not in the desired schema",
        ),
        destructive: true,
        hazards: [{
          kind: "data_loss",
          message: `drops table ${qualify(ch.from.schema, ch.from.name)} and all its rows`,
        }],
      }];
    case "add_column":
      return addColumn(ch.to, ch.deferNotNull);
    case "drop_column":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          50,
          `${alterTable(ch.from)} DROP COLUMN ${quoteIdent(ch.from.name)};`,
          "column is not in the desired schema",
        ),
        was: columnDefinition(ch.from),
        destructive: true,
        hazards: [{
          kind: "data_loss",
          message: `drops column ${qualify(ch.from.schema, ch.from.table)}.${quoteIdent(ch.from.name)} and its values`,
        }],
      }];
    case "alter_column":
      return alterColumn(ch.from, ch.to);
    case "add_constraint": {
      const c = ch.to;
      const word = constraintKindWord(c);
      const reason = ch.why ? `re-added: ${ch.why}` : ch.replaces ? `${word} changed` : `${word} is new`;
      const hazards: Hazard[] = ch.tableIsNew ? [] : [{
        kind: "validation_scan",
        message: `scans ${qualify(c.schema, c.table)} to validate, holding a lock that blocks writes`,
      }];
      const s = step(c.id, ch.op, "post", CONSTRAINT_RANK[c.type], addConstraintSql(c), reason);
      s.hazards = hazards;
      if (ch.replaces) {
        s.was = ch.replaces.definition;
        s.now = c.definition;
      } else s.now = c.definition;
      if (!ch.tableIsNew) {
        const pf = c.type === "c"
          ? checkPreflight(c)
          : c.type === "p" || c.type === "u"
          ? uniquePreflight(c)
          : undefined;
        if (pf) s.preflight = pf;
      }
      return [s];
    }
    case "drop_constraint": {
      const c = ch.from;
      const word = constraintKindWord(c);
      const reason = ch.why
        ? `dropped for now: ${ch.why}`
        : ch.replacedBy
        ? `${word} changed: the old one goes before the data section, the new one is added after it`
        : `${word} is not in the desired schema`;
      const s = step(
        c.id,
        ch.op,
        "drop",
        DROP_CONSTRAINT_RANK[c.type],
        `${alterTable(c)} DROP CONSTRAINT ${quoteIdent(c.name)};`,
        reason,
      );
      s.was = c.definition;
      if (ch.replacedBy) s.now = ch.replacedBy.definition;
      return [s];
    }
    case "rename_constraint":
      return [{
        ...step(
          ch.to.id,
          ch.op,
          "pre",
          110,
          `${alterTable(ch.from)} RENAME CONSTRAINT ${quoteIdent(ch.from.name)} TO ${quoteIdent(ch.to.name)};`,
          `same ${constraintKindWord(ch.to)} under another name (was ${ch.from.name})`,
        ),
        now: ch.to.definition,
      }];
    case "create_index": {
      const s = step(
        ch.to.id,
        ch.op,
        "post",
        250,
        `${ch.to.definition};`,
        ch.replaces ? "index changed" : "index is new",
      );
      if (ch.replaces) s.was = ch.replaces.definition;
      s.now = ch.to.definition;
      if (!ch.tableIsNew) {
        s.hazards = [{
          kind: "blocks_writes",
          message: `builds the index while blocking writes to ${qualify(ch.to.schema, ch.to.table)}`,
        }];
      }
      return [s];
    }
    case "drop_index": {
      const s = step(
        ch.from.id,
        ch.op,
        "drop",
        20,
        `DROP INDEX ${qualify(ch.from.schema, ch.from.name)};`,
        ch.replacedBy ? "index changed" : "index is not in the desired schema",
      );
      s.was = ch.from.definition;
      return [s];
    }
    case "rename_index":
      return [step(
        ch.to.id,
        ch.op,
        "pre",
        111,
        `ALTER INDEX ${qualify(ch.from.schema, ch.from.name)} RENAME TO ${quoteIdent(ch.to.name)};`,
        `same index under another name (was ${ch.from.name})`,
      )];
    case "set_comment": {
      const s = step(
        ch.to.id,
        ch.op,
        "post",
        270,
        `COMMENT ON ${commentTarget(ch.to)} IS ${quoteLiteral(ch.to.text)};`,
        ch.from ? "comment changed" : "comment is new",
      );
      if (ch.from) s.was = quoteLiteral(ch.from.text);
      s.now = quoteLiteral(ch.to.text);
      return [s];
    }
    case "drop_comment":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          40,
          `COMMENT ON ${commentTarget(ch.from)} IS NULL;`,
          "comment is not in the desired schema",
        ),
        was: quoteLiteral(ch.from.text),
      }];
  }
}

function step(id: string, op: Change["op"], phase: Step["phase"], rank: number, sql: string, reason: string): Step {
  return { id, op, phase, rank, sql, reason, hazards: [], destructive: false };
}

function addColumn(c: ColumnObject, deferNotNull: boolean): Step[] {
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

function alterColumn(from: ColumnObject, to: ColumnObject): Step[] {
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
  if ((from.type in SERIAL_BASE) !== (to.type in SERIAL_BASE)) {
    unsupported(
      `Column ${to.id.slice(7)} changes between serial and plain ${toBase}; pgconverge does not yet write that change.`,
    );
  }
  if (from.generated !== to.generated) {
    unsupported(`Column ${to.id.slice(7)} changes its generation expression; PostgreSQL 15 cannot alter it in place.`);
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
    const kind = classifyTypeChange(fromBase, toBase);
    const collate = to.collation ? ` COLLATE ${to.collation}` : "";
    const using = needsUsing(fromBase, toBase) ? ` USING ${quoteIdent(to.name)}::${toBase}` : "";
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
  if (!from.notNull && to.notNull) {
    const s = mk("post", 200, `${at} SET NOT NULL;`, "column became NOT NULL");
    s.hazards.push({ kind: "validation_scan", message: `scans ${qualify(to.schema, to.table)} to check for NULLs` });
    s.preflight = notNullPreflight(to);
    out.push(s);
  }
  if (to.identity && !from.identity) {
    out.push(mk("post", 201, `${at} ADD GENERATED ${to.identity.toUpperCase()} AS IDENTITY;`, "identity added"));
  }
  return out;
}

/**
 * New enum labels are added in place (`ADD VALUE … BEFORE/AFTER`). Removing or reordering labels
 * needs the type recreated with every dependent column carried across: not written yet.
 */
function alterEnum(from: EnumObject, to: EnumObject): Step[] {
  const kept = to.values.filter((v) => from.values.includes(v));
  if (from.values.some((v) => !to.values.includes(v)) || kept.join("\u0000") !== from.values.join("\u0000")) {
    unsupported(`Enum ${qualify(to.schema, to.name)} loses or reorders labels; only adding labels is planned today.`);
  }
  const out: Step[] = [];
  to.values.forEach((v, i) => {
    if (from.values.includes(v)) return;
    const next = to.values.slice(i + 1).find((n) => from.values.includes(n));
    const where = next !== undefined
      ? ` BEFORE ${quoteLiteral(next)}`
      : i > 0
      ? ` AFTER ${quoteLiteral(to.values[i - 1])}`
      : "";
    const sql = `ALTER TYPE ${qualify(to.schema, to.name)} ADD VALUE ${quoteLiteral(v)}${where};`;
    out.push({
      ...step(to.id, "alter_enum", "pre", 106 + i / 1000, sql, `enum label ${quoteLiteral(v)} is new`),
      was: definitionOf(from),
      now: definitionOf(to),
    });
  });
  return out;
}
