/**
 * Names of constraints the YAML leaves unnamed. They must equal what the database already holds
 * (DataProviderMigrate's names, PostgreSQL's for column CHECKs), including PostgreSQL's cut to
 * 63 bytes, or every plan would rename them.
 * @module
 */

/** PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes. */
const MAX_NAME_BYTES = 63;

const encoder = new TextEncoder();

function bytes(s: string): number {
  return encoder.encode(s).length;
}

/** Cut `s` to at most `max` bytes without splitting a character (PostgreSQL's pg_mbcliplen). */
function clip(s: string, max: number): string {
  let out = "";
  for (const ch of s) {
    if (bytes(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/** An explicit name as PostgreSQL stores it: cut to 63 bytes. */
export function truncateName(name: string): string {
  return clip(name, MAX_NAME_BYTES);
}

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
