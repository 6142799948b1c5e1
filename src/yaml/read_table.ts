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
import type { CheckConstraint, Column, FkAction, ForeignKey, PrimaryKey, Table, UniqueConstraint } from "./types.ts";

const FK_ACTIONS: Readonly<Record<string, FkAction>> = {
  NoAction: "noAction",
  Cascade: "cascade",
  SetNull: "setNull",
  SetDefault: "setDefault",
  Restrict: "restrict",
};

/** Read a table; undefined when its name is unusable (the problem is recorded). */
export function readTable(
  r: Reader,
  raw: Node,
  index: number,
): Table | undefined {
  const m = r.map(raw, "table", `table #${index + 1}`, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.text(e("name"));
  const what = name === undefined ? `table #${index + 1}` : `table "${name}"`;
  const columns = readColumns(r, e("columns"), what);
  const known = (list: Located[] | undefined, key: string) => checkKnownColumns(r, list, columns, what, key);
  const table = compact<Table>({
    schema: r.text(e("schema")) ?? "public",
    name: name ?? "",
    columns,
    primaryKey: readPrimaryKey(r, e("primaryKey"), what, known),
    foreignKeys: eachItem(
      r,
      e("foreignKeys"),
      (node, i) => readForeignKey(r, node, what, i, known),
    ),
    uniqueConstraints: eachItem(r, e("uniqueConstraints"), (node, i) => {
      const u = r.map(
        node,
        "uniqueConstraint",
        `unique constraint #${i + 1} of ${what}`,
        [
          "columns",
        ],
        r.at(node),
      );
      if (u === undefined) return undefined;
      const cols = r.locatedList(u.entries.get("columns"));
      known(cols, "columns");
      const name = r.text(u.entries.get("name"));
      const result: UniqueConstraint = {
        name,
        columns: values(cols),
        at: u.at,
        valueAt: u.valueAt,
      };
      return compact(result);
    }),
    checkConstraints: eachItem(r, e("checkConstraints"), (node, i) => {
      const c = r.map(
        node,
        "checkConstraint",
        `check constraint #${i + 1} of ${what}`,
        [
          "name",
          "expression",
        ],
      );
      const name = r.text(c?.entries.get("name"));
      const expression = r.sql(c?.entries.get("expression"));
      if (c === undefined || name === undefined || expression === undefined) {
        return undefined;
      }
      return {
        name,
        expression,
        at: c.at,
        valueAt: c.valueAt,
      } satisfies CheckConstraint;
    }),
    indexes: eachItem(
      r,
      e("indexes"),
      (node, i) => readIndex(r, node, `index #${i + 1} of ${what}`, known),
    ),
    rowLevelSecurity: e("rowLevelSecurity") &&
      readRowLevelSecurity(r, e("rowLevelSecurity")!, what),
    comment: r.sql(e("comment")),
    renamedFrom: r.text(e("renamedFrom")),
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : table;
}

/** A list item's value with its location. */
type Located = { value: string; at: SourceRef };

/** Reports column names that the table does not have; passed to sub-readers. */
export type KnownColumnsCheck = (
  list: Located[] | undefined,
  key: string,
) => void;

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
  const cols = r.locatedList(m.entries.get("columns"));
  known(cols, "primaryKey");
  if (cols !== undefined && cols.length === 0) {
    r.problem(m.valueAt.columns, "primaryKey has no columns");
  }
  const name = r.text(m.entries.get("name"));
  return compact<PrimaryKey>({
    name,
    columns: values(cols),
    at: m.at,
    valueAt: m.valueAt,
  });
}

function readForeignKey(
  r: Reader,
  node: Node,
  what: string,
  i: number,
  known: KnownColumnsCheck,
): ForeignKey | undefined {
  const fkWhat = `foreign key #${i + 1} of ${what}`;
  const m = r.map(node, "foreignKey", fkWhat, [
    "columns",
    "referencedTable",
    "referencedColumns",
  ]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const cols = r.locatedList(e("columns"));
  known(cols, "foreignKey");
  const referencedTable = r.text(e("referencedTable"));
  const referencedColumns = r.textList(e("referencedColumns"));
  if (cols !== undefined && referencedColumns !== undefined) {
    if (cols.length === 0) {
      r.problem(m.valueAt.columns, `${fkWhat} has no columns`);
    } else if (cols.length !== referencedColumns.length) {
      r.problem(
        m.valueAt.referencedColumns,
        `${fkWhat} has ${cols.length} columns but ${referencedColumns.length} referencedColumns`,
      );
    }
  }
  const fk = compact<ForeignKey>({
    name: r.text(e("name")),
    columns: values(cols),
    referencedSchema: r.text(e("referencedSchema")) ?? "public",
    referencedTable: referencedTable ?? "",
    referencedColumns: referencedColumns ?? [],
    onDelete: r.oneOf(e("onDelete"), FK_ACTIONS) ?? "noAction",
    onUpdate: r.oneOf(e("onUpdate"), FK_ACTIONS) ?? "noAction",
    at: m.at,
    valueAt: m.valueAt,
  });
  return referencedTable === undefined ? undefined : fk;
}
