/**
 * One `tables:` entry → {@link Table}, with its keys and constraints. Column lists of keys are
 * checked against the table's own columns, since a typo there would otherwise surface as a
 * PostgreSQL error far from the line that holds it.
 * @module
 */
import type { Node } from "yaml";
import type { SourceRef } from "../model/errors.ts";
import { didYouMean } from "./keys.ts";
import { readColumn } from "./read_column.ts";
import { readIndex } from "./read_index.ts";
import { readRowLevelSecurity } from "./read_rls.ts";
import { compact, type Entry, type Reader } from "./reader.ts";
import { expressionProblem } from "./sql_values.ts";
import type { CheckConstraint, Column, FkAction, ForeignKey, PrimaryKey, Table, UniqueConstraint } from "./types.ts";

const FK_ACTIONS: Readonly<Record<string, FkAction>> = {
  NoAction: "noAction",
  Cascade: "cascade",
  SetNull: "setNull",
  SetDefault: "setDefault",
  Restrict: "restrict",
};

/** How problems name the items of each list key. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  foreignKeys: "foreign key",
  uniqueConstraints: "unique constraint",
  checkConstraints: "check constraint",
  indexes: "index",
};

/** Read a table; undefined when its name is unusable (the problem is recorded). */
export function readTable(r: Reader, raw: Node, index: number): Table | undefined {
  const m = r.map(raw, "table", `table #${index + 1}`, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const what = name === undefined ? `table #${index + 1}` : `table "${name}"`;
  const columns = readColumns(r, e("columns"), what);
  const known = (list: Located[] | undefined, key: string) => checkKnownColumns(r, list, columns, what, key);
  const list = <T>(key: string, read: (node: Node, what: string) => T | undefined) =>
    eachItem(r, e(key), (node, i) => read(node, `${ITEM_NAMES[key]} #${i + 1} of ${what}`));
  const rls = e("rowLevelSecurity");
  const table = compact<Table>({
    schema: r.name(e("schema")) ?? "public",
    name: name ?? "",
    columns,
    primaryKey: readPrimaryKey(r, e("primaryKey"), what, known),
    foreignKeys: list("foreignKeys", (node, w) => readForeignKey(r, node, w, known)),
    uniqueConstraints: list("uniqueConstraints", (node, w) => readUnique(r, node, w, known)),
    checkConstraints: list("checkConstraints", (node, w) => readCheck(r, node, w)),
    indexes: list("indexes", (node, w) => readIndex(r, node, w, known)),
    rowLevelSecurity: rls === undefined ? undefined : readRowLevelSecurity(r, rls, what, columns.map((c) => c.name)),
    comment: r.sql(e("comment")),
    renamedFrom: r.name(e("renamedFrom")),
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : table;
}

/** A list item's value with its location. */
type Located = { value: string; at: SourceRef };

/** Reports column names that the table does not have; passed to sub-readers. */
export type KnownColumnsCheck = (list: Located[] | undefined, key: string) => void;

function values(list: Located[] | undefined): string[] {
  return (list ?? []).map((x) => x.value);
}

/** Read each item of a list with `read`, dropping the unusable ones. */
export function eachItem<T>(
  r: Reader,
  e: Entry | undefined,
  read: (node: Node, i: number) => T | undefined,
): T[] {
  const out: T[] = [];
  (r.list(e) ?? []).forEach((node, i) => {
    const item = read(node, i);
    if (item !== undefined) out.push(item);
  });
  return out;
}

function readColumns(r: Reader, e: Entry | undefined, what: string): Column[] {
  const seen = new Map<string, SourceRef>();
  return eachItem(r, e, (node, i) => {
    const column = readColumn(r, node, `column #${i + 1} of ${what}`);
    if (column === undefined) return undefined;
    const first = seen.get(column.name);
    if (first !== undefined) {
      r.problem(
        column.valueAt.name!,
        `duplicate column "${column.name}" in ${what} (first at line ${first.line})`,
      );
      return undefined;
    }
    seen.set(column.name, column.valueAt.name!);
    return column;
  });
}

function checkKnownColumns(
  r: Reader,
  list: Located[] | undefined,
  columns: Column[],
  what: string,
  key: string,
): void {
  const names = columns.map((c) => c.name);
  for (const { value, at } of list ?? []) {
    if (!names.includes(value)) {
      r.problem(
        at,
        `${key} names column "${value}" that ${what} does not have${didYouMean(value, names)}`,
      );
    }
  }
}

function readPrimaryKey(
  r: Reader,
  e: Entry | undefined,
  what: string,
  known: KnownColumnsCheck,
): PrimaryKey | undefined {
  if (e === undefined) return undefined;
  const m = r.map(e.node, "primaryKey", `primaryKey of ${what}`, ["columns"]);
  if (m === undefined) return undefined;
  const cols = r.locatedList(m.entries.get("columns"), "text");
  known(cols, "primaryKey");
  if (cols !== undefined && cols.length === 0) {
    r.problem(m.valueAt.columns, "primaryKey has no columns");
  }
  const name = r.name(m.entries.get("name"));
  return compact<PrimaryKey>({ name, columns: values(cols), at: m.at, valueAt: m.valueAt });
}

function readForeignKey(
  r: Reader,
  node: Node,
  what: string,
  known: KnownColumnsCheck,
): ForeignKey | undefined {
  const m = r.map(node, "foreignKey", what, ["columns", "referencedTable", "referencedColumns"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const cols = r.locatedList(e("columns"), "text");
  known(cols, "foreignKey");
  const referencedTable = r.name(e("referencedTable"));
  const referencedColumns = r.textList(e("referencedColumns"));
  if (cols !== undefined && referencedColumns !== undefined) {
    if (cols.length === 0) {
      r.problem(m.valueAt.columns, `${what} has no columns`);
    } else if (cols.length !== referencedColumns.length) {
      r.problem(
        m.valueAt.referencedColumns,
        `${what} has ${cols.length} columns but ${referencedColumns.length} referencedColumns`,
      );
    }
  }
  const fk = compact<ForeignKey>({
    name: r.name(e("name")),
    columns: values(cols),
    referencedSchema: r.name(e("referencedSchema")) ?? "public",
    referencedTable: referencedTable ?? "",
    referencedColumns: referencedColumns ?? [],
    onDelete: r.oneOf(e("onDelete"), FK_ACTIONS) ?? "noAction",
    onUpdate: r.oneOf(e("onUpdate"), FK_ACTIONS) ?? "noAction",
    at: m.at,
    valueAt: m.valueAt,
  });
  return referencedTable === undefined ? undefined : fk;
}

function readUnique(
  r: Reader,
  node: Node,
  what: string,
  known: KnownColumnsCheck,
): UniqueConstraint | undefined {
  const m = r.map(node, "uniqueConstraint", what, ["columns"]);
  if (m === undefined) return undefined;
  const cols = r.locatedList(m.entries.get("columns"), "text");
  known(cols, "uniqueConstraint");
  if (cols?.length === 0) r.problem(m.valueAt.columns, `${what} has no columns`);
  const name = r.name(m.entries.get("name"));
  return compact<UniqueConstraint>({ name, columns: values(cols), at: m.at, valueAt: m.valueAt });
}

function readCheck(r: Reader, node: Node, what: string): CheckConstraint | undefined {
  const m = r.map(node, "checkConstraint", what, ["name", "expression"]);
  const name = r.name(m?.entries.get("name"));
  const expression = r.checked(m?.entries.get("expression"), expressionProblem);
  if (m === undefined || name === undefined || expression === undefined) return undefined;
  return { name, expression, at: m.at, valueAt: m.valueAt };
}
