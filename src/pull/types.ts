/**
 * PostgreSQL type names (as `format_type` prints them) → the type a pulled schema.yaml writes:
 * DataProviderMigrate's portable name where its mapping gives back exactly that type, else the
 * PostgreSQL name, qualified with `pg_catalog` where the bare name is also a portable name that
 * maps elsewhere (`money` is `numeric(19,4)` in schema.yaml, `json` is `jsonb`).
 * @module
 */
import { resolveType } from "../yaml/portable_types.ts";

/** Exact portable equivalents of fixed type names. */
const PORTABLE: Readonly<Record<string, string>> = {
  smallint: "SmallInt",
  integer: "Int",
  bigint: "BigInt",
  boolean: "Boolean",
  "double precision": "Double",
  text: "Text",
  bytea: "Blob",
  date: "Date",
  "time without time zone": "Time",
  "timestamp without time zone": "DateTime",
  "timestamp with time zone": "DateTimeOffset",
  uuid: "Uuid",
  jsonb: "Jsonb",
  xml: "Xml",
  numeric: "Decimal",
};

/** Portable equivalents of sized type names: pattern → portable form. */
const SIZED: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^numeric\((\d+),(\d+)\)$/, (m) => `Decimal(${m[1]},${m[2]})`],
  [/^character varying\((\d+)\)$/, (m) => `VarChar(${m[1]})`],
  [/^character\((\d+)\)$/, (m) => `Char(${m[1]})`],
  [/^time\((\d)\) without time zone$/, (m) => `Time(${m[1]})`],
];

/**
 * The schema.yaml type for a `format_type` name.
 *
 * @example
 * ```ts
 * pullType("character varying(20)"); // "VarChar(20)"
 * pullType("integer[]"); // "Int[]"
 * pullType("money"); // "pg_catalog.money"
 * pullType("timestamp(3) with time zone"); // "timestamp(3) with time zone"
 * ```
 */
export function pullType(pgType: string): string {
  const arrays = /(\[\])*$/.exec(pgType)?.[0] ?? "";
  const base = pgType.slice(0, pgType.length - arrays.length);
  const fixed = PORTABLE[base];
  if (fixed !== undefined) return fixed + arrays;
  for (const [re, to] of SIZED) {
    const m = re.exec(base);
    if (m) return to(m) + arrays;
  }
  const resolved = resolveType(pgType);
  if ("sql" in resolved && resolved.sql === pgType && resolved.enum === undefined) return pgType;
  // A built-in whose bare name schema.yaml reads as a portable type of another meaning.
  return /^[a-z_][a-z0-9_]*(\(.*\))?(\[\])*$/.test(pgType) ? `pg_catalog.${pgType}` : pgType;
}
