/**
 * Enum changes → statements.
 * - New labels are added in place (`ADD VALUE IF NOT EXISTS … BEFORE/AFTER`) in the `early` phase:
 *   PostgreSQL refuses a label in the transaction that added it, so the migration commits them
 *   on their own (a `-- [commit]` boundary) before anything that may use them.
 * - A removed label or a new order recreates the type: its columns go to text before the data
 *   section (which can then rewrite any value freely), the type is dropped and created again, and
 *   the columns come back to it after the data section; what rests on the type or its columns is
 *   dropped before and created again after (diff/enums.ts lists it).
 * @module
 */
import type { Change } from "../diff/change.ts";
import { definitionOf } from "../model/definition.ts";
import { tableId } from "../model/ids.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { ColumnObject, EnumObject } from "../model/snapshot.ts";
import { createEnumSql } from "../render/snapshot_sql.ts";
import type { Preflight, Step } from "./step.ts";
import { alterTable, step, unsupported } from "./step_helpers.ts";

/** Rank of adding labels in the early phase (before everything else of the plan). */
const ADD_VALUE_RANK = 1;

/**
 * The labels `to` asks for, spelled as the live type had them before this plan's label renames
 * (`original`): the additions run first, before the renames.
 */
export function labelsBeforeRenames(from: EnumObject, to: EnumObject, original?: EnumObject): string[] {
  if (!original || original.values.length !== from.values.length) return to.values;
  const back = new Map(from.values.map((v, i) => [v, original.values[i]]));
  return to.values.map((v) => back.get(v) ?? v);
}

/** `ADD VALUE` clauses that turn `live` into `target` (which keeps every live label, in order). */
export function addedLabels(live: string[], target: string[]): Array<{ label: string; where: string }> {
  const have = [...live];
  const out: Array<{ label: string; where: string }> = [];
  target.forEach((v, i) => {
    if (have.includes(v)) return;
    const next = target.slice(i + 1).find((n) => have.includes(n));
    if (next !== undefined) {
      out.push({ label: v, where: ` BEFORE ${quoteLiteral(next)}` });
      have.splice(have.indexOf(next), 0, v);
    } else if (i > 0) {
      out.push({ label: v, where: ` AFTER ${quoteLiteral(target[i - 1])}` });
      have.splice(have.indexOf(target[i - 1]) + 1, 0, v);
    } else {
      out.push({ label: v, where: "" });
      have.push(v);
    }
  });
  if (have.join("\u0000") !== target.join("\u0000")) {
    unsupported(`Cannot place the new labels of an enum by ADD VALUE (${target.join(", ")}).`);
  }
  return out;
}

/** Add the new labels of an enum in place, each at its position. */
export function alterEnum(from: EnumObject, to: EnumObject, original?: EnumObject): Step[] {
  const live = original ?? from;
  const name = qualify(to.schema, to.name);
  return addedLabels(live.values, labelsBeforeRenames(from, to, original)).map(({ label, where }, i) => ({
    ...step(
      to.id,
      "alter_enum",
      "early",
      ADD_VALUE_RANK + i / 1000,
      `ALTER TYPE ${name} ADD VALUE IF NOT EXISTS ${quoteLiteral(label)}${where};`,
      `enum label ${
        quoteLiteral(label)
      } is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)`,
    ),
    was: definitionOf(live),
    now: definitionOf(to),
  }));
}

/** `text` or `text[]`, for a column of the enum or of its array type. */
function textType(c: ColumnObject): string {
  return c.type.endsWith("[]") ? "text[]" : "text";
}

/** Rows holding a label the recreated type no longer has (they make the conversion fail). */
function removedLabelPreflight(c: ColumnObject, e: EnumObject, removed: string[]): Preflight {
  const table = qualify(c.schema, c.table);
  const col = quoteIdent(c.name);
  const labels = `ARRAY[${e.values.map(quoteLiteral).join(", ")}]::text[]`;
  const where = c.type.endsWith("[]")
    ? `EXISTS (SELECT 1 FROM unnest(${col}) AS v WHERE v::text <> ALL (${labels}))`
    : `${col}::text <> ALL (${labels})`;
  const label = `a label removed from ${qualify(e.schema, e.name)} (${removed.map(quoteLiteral).join(", ")}) in ${col}`;
  return {
    what: `rows of ${table} hold ${label}`,
    one: `row of ${table} holds ${label}`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE ${where}`,
    table,
    reads: [tableId(c.schema, c.table), c.id],
  };
}

/** Recreate an enum whose labels lost one or changed order, carrying its columns across. */
export function recreateEnum(ch: Extract<Change, { op: "recreate_enum" }>): Step[] {
  const { from, to } = ch;
  const name = qualify(to.schema, to.name);
  const removed = from.values.filter((v) => !to.values.includes(v));
  const why = removed.length > 0
    ? `enum ${name} loses ${removed.map(quoteLiteral).join(", ")}`
    : `enum ${name} changes the order of its labels`;
  const mk = (phase: Step["phase"], rank: number, sql: string, reason: string, id = to.id): Step => ({
    ...step(id, "recreate_enum", phase, rank, sql, reason),
    ...(id === to.id ? { was: definitionOf(from), now: definitionOf(to) } : {}),
  });
  const at = (c: ColumnObject) => `${alterTable(c)} ALTER COLUMN ${quoteIdent(c.name)}`;
  const rewrite = (c: ColumnObject) => ({
    kind: "table_rewrite" as const,
    message: `rewrites ${qualify(c.schema, c.table)} under an ACCESS EXCLUSIVE lock`,
  });
  const out: Step[] = [];
  for (const d of ch.defaults) {
    out.push(mk("pre", 102, `${at(d.column)} DROP DEFAULT;`, `default dropped while ${why}`, d.column.id));
  }
  for (const { column: c } of ch.columns) {
    const s = mk(
      "pre",
      103,
      `${at(c)} TYPE ${textType(c)} USING ${quoteIdent(c.name)}::${textType(c)};`,
      `held as ${textType(c)} while ${why} (the data section sees text)`,
      c.id,
    );
    s.hazards.push(rewrite(c));
    out.push(s);
  }
  out.push(mk("pre", 104, `DROP TYPE ${name};`, `${why}: dropped, created again below`));
  out.push(mk("pre", 105, createEnumSql(to), `${why}: created again with the new labels`));
  for (const { column: c, back } of ch.columns) {
    if (!back) continue;
    const type = c.type.endsWith("[]") ? `${name}[]` : name;
    const s = mk(
      "post",
      190,
      `${at(c)} TYPE ${type} USING ${quoteIdent(c.name)}::${type};`,
      `back to the recreated type (fails while a row holds a removed label)`,
      c.id,
    );
    s.hazards.push(rewrite(c));
    if (removed.length > 0) s.preflight = removedLabelPreflight(c, to, removed);
    out.push(s);
  }
  for (const d of ch.defaults) {
    if (d.restore === undefined) continue;
    out.push(mk("post", 191, `${at(d.column)} SET DEFAULT ${d.restore};`, `default set again: ${why}`, d.column.id));
  }
  return out;
}
