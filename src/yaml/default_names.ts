/**
 * Names of constraints the YAML leaves unnamed. They must equal what the database already holds
 * (DataProviderMigrate's names, PostgreSQL's for column CHECKs), including PostgreSQL's cut to
 * 63 bytes, or every plan would rename them.
 * @module
 */
import type { Column, Table } from "./types.ts";
import { byteLength as bytes, clipBytes as clip, MAX_NAME_BYTES, truncateName } from "./names.ts";

/** `PK_<table>` (DataProviderMigrate's default). */
export function defaultPrimaryKeyName(table: string): string {
  return truncateName(`PK_${table}`);
}

/** `UQ_<table>_<col1>_<col2>…` (DataProviderMigrate's default). */
export function defaultUniqueName(table: string, columns: readonly string[]): string {
  return truncateName(`UQ_${table}_${columns.join("_")}`);
}

/** `FK_<table>_<col1>_<col2>…` (DataProviderMigrate's default). */
export function defaultForeignKeyName(table: string, columns: readonly string[]): string {
  return truncateName(`FK_${table}_${columns.join("_")}`);
}

/**
 * `<table>_<column>_check`, shortened the way PostgreSQL's makeObjectName does for an unnamed
 * column CHECK: the longer of table and column loses characters first. When shortening makes it
 * equal a name in `taken`, the label becomes `check1`, `check2`, … as ChooseConstraintName does.
 */
export function defaultColumnCheckName(table: string, column: string, taken?: ReadonlySet<string>): string {
  for (let pass = 0;; pass++) {
    const name = columnCheckName(table, column, pass === 0 ? "check" : `check${pass}`);
    if (!taken?.has(name)) return name;
  }
}

function columnCheckName(table: string, column: string, label: string): string {
  const available = MAX_NAME_BYTES - (1 + label.length + 1);
  let tableBytes = bytes(table);
  let columnBytes = bytes(column);
  while (tableBytes + columnBytes > available) {
    if (tableBytes > columnBytes) tableBytes--;
    else columnBytes--;
  }
  return `${clip(table, tableBytes)}_${clip(column, columnBytes)}_${label}`;
}

/** The name of every constraint of a table, as the shadow DDL creates them. */
export interface ConstraintNames {
  /** The primary key's. */
  primaryKey?: string;
  /** Each unique constraint's, in YAML order. */
  unique: string[];
  /** Each column CHECK's, by column. */
  columnChecks: Map<Column, string>;
  /** Each foreign key's, in YAML order. */
  foreignKeys: string[];
}

/**
 * The constraint names of `t`: written ones as written, the others by default. Column CHECKs come
 * after the primary key and unique constraints and avoid their names (and every written CHECK
 * name), as PostgreSQL does for the unnamed CHECKs DataProviderMigrate leaves to it.
 */
export function constraintNames(t: Table): ConstraintNames {
  const taken = new Set([
    ...t.columns.flatMap((c) => c.checkConstraintName ?? []),
    ...t.checkConstraints.map((k) => k.name),
  ]);
  const pk = t.primaryKey === undefined ? undefined : t.primaryKey.name ?? defaultPrimaryKeyName(t.name);
  if (pk !== undefined) taken.add(pk);
  const unique = t.uniqueConstraints.map((u) => u.name ?? defaultUniqueName(t.name, u.columns));
  for (const u of unique) taken.add(u);
  const columnChecks = new Map<Column, string>();
  for (const c of t.columns) {
    if (c.checkConstraint === undefined) continue;
    const name = c.checkConstraintName ?? defaultColumnCheckName(t.name, c.name, taken);
    taken.add(name);
    columnChecks.set(c, name);
  }
  const foreignKeys = t.foreignKeys.map((fk) => fk.name ?? defaultForeignKeyName(t.name, fk.columns));
  return { ...(pk === undefined ? {} : { primaryKey: pk }), unique, columnChecks, foreignKeys };
}
