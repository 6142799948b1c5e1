/**
 * Portable type names (DataProviderMigrate's) mapped to PostgreSQL exactly as DataProviderMigrate
 * maps them, so databases it created converge without type churn. Anything that is not a
 * portable name passes through unchanged: PostgreSQL validates it in the shadow.
 * @module
 */
import { qualify } from "../model/quote.ts";

/** The enum type named by `Enum(name:v1|v2)`. */
export interface ImpliedEnum {
  /** Schema, `public` unless written `Enum(s.name:…)`. */
  schema: string;
  /** Type name. */
  name: string;
  /** Labels in the order written. */
  values: string[];
}

/** A type as PostgreSQL should see it. */
export interface ResolvedType {
  /** SQL type text. */
  sql: string;
  /** Set for `Enum(…)` types. */
  enum?: ImpliedEnum;
  /** A remark worth showing (a mapping that surprises people). */
  warning?: string;
}

/** A type that cannot be right whatever PostgreSQL has installed. */
export interface TypeProblem {
  /** Plain explanation. */
  error: string;
}

const TIME_PRECISION_MAX = 6;

/** The portable type names, spelled as documented (for "did you mean" suggestions). */
export const TYPE_NAMES: readonly string[] = (
  "TinyInt SmallInt Int Integer BigInt Boolean Bool Decimal Money SmallMoney Float Real Double Char NChar " +
  "VarChar NVarChar Text Binary VarBinary Blob RowVersion Timestamp Date Time DateTime DateTimeOffset Uuid " +
  "Guid Json Jsonb Xml Vector Enum"
).split(" ");

/**
 * Map a written type to PostgreSQL. Portable names are matched case-insensitively; a trailing
 * `[]` keeps working (`Uuid[]` → `uuid[]`).
 *
 * @example
 * ```ts
 * resolveType("VarChar(255)"); // { sql: "character varying(255)" }
 * resolveType("NVarChar(max)"); // { sql: "text" }
 * resolveType("timestamptz"); // { sql: "timestamptz" }
 * ```
 */
export function resolveType(written: string): ResolvedType | TypeProblem {
  const type = written.trim();
  const malformed = checkShape(type);
  if (malformed !== undefined) return { error: malformed };
  const arrays = /(\s*\[\s*\d*\s*\])*$/.exec(type)?.[0] ?? "";
  const base = type.slice(0, type.length - arrays.length);
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:\((.*)\))?$/s.exec(base);
  if (m === null) return { sql: type };
  const name = m[1];
  const args = m[2] === undefined ? undefined : m[2].split(",").map((a) => a.trim());
  const mapped = m[1].toLowerCase() === "enum" ? enumType(m[2]) : portable(name, name.toLowerCase(), args);
  if (mapped === undefined) return { sql: type };
  if ("error" in mapped) return mapped;
  return { ...mapped, sql: mapped.sql + arrays.replaceAll(/\s+/g, "") };
}

/** Reject what no PostgreSQL type name can look like, so the message is ours, not a parse error. */
function checkShape(type: string): string | undefined {
  if (type === "") return "type must not be empty";
  if (/[;\n]/.test(type)) return `type "${type}" must be a single type name`;
  let depth = 0;
  for (const ch of type) {
    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return `type "${type}" has unbalanced parentheses`;
  return undefined;
}

type Mapped = ResolvedType | TypeProblem | undefined;

function portable(name: string, lower: string, args: string[] | undefined): Mapped {
  const fixed = FIXED[lower];
  if (fixed !== undefined) {
    if (args !== undefined && lower === "timestamp") {
      return {
        error: `type ${name} is a row version (bytea), as DataProviderMigrate maps it, and takes ` +
          `no precision; for a point in time write DateTime, timestamptz or ` +
          `"timestamp(${args}) without time zone"`,
      };
    }
    if (args !== undefined) return { error: `type ${name} takes no size or precision` };
    const warning = warningFor(name, lower);
    return warning === undefined ? { sql: fixed } : { sql: fixed, warning };
  }
  switch (lower) {
    case "decimal":
      if (args === undefined) return { sql: "numeric" };
      if (args.length > 2 || !args.every(isCount)) {
        return {
          error: `type ${name} needs (precision) or (precision,scale), got (${args})`,
        };
      }
      return { sql: `numeric(${args[0]},${args[1] ?? "0"})` };
    case "char":
    case "nchar":
      return sized(name, args, "character", false);
    case "varchar":
    case "nvarchar":
      return sized(name, args, "character varying", true);
    case "binary":
    case "varbinary":
      if (args !== undefined && (args.length !== 1 || !(isCount(args[0]) || isMax(args[0])))) {
        return { error: `type ${name} needs (n) or (max), got (${args})` };
      }
      return { sql: "bytea" };
    case "time":
      if (args === undefined) return { sql: "time" };
      if (args.length !== 1 || !isCount(args[0])) {
        return { error: `type ${name} needs (precision), got (${args})` };
      }
      return { sql: `time(${Math.min(Number(args[0]), TIME_PRECISION_MAX)})` };
    case "datetime":
    case "datetimeoffset":
      // DataProviderMigrate drops the precision; keeping it would change existing columns.
      if (args !== undefined && (args.length !== 1 || !isCount(args[0]))) {
        return { error: `type ${name} needs (precision), got (${args})` };
      }
      return {
        sql: lower === "datetime" ? "timestamp" : "timestamp with time zone",
      };
    case "vector":
      if (args === undefined) return { sql: "vector" };
      if (args.length !== 1 || !isCount(args[0])) {
        return { error: `type ${name} needs (dimensions), got (${args})` };
      }
      return { sql: `vector(${args[0]})` };
    default:
      return undefined;
  }
}

/** Portable names without arguments. */
const FIXED: Readonly<Record<string, string>> = {
  tinyint: "smallint",
  smallint: "smallint",
  int: "integer",
  integer: "integer",
  bigint: "bigint",
  boolean: "boolean",
  bool: "boolean",
  money: "numeric(19,4)",
  smallmoney: "numeric(10,4)",
  float: "real",
  real: "real",
  double: "double precision",
  text: "text",
  blob: "bytea",
  rowversion: "bytea",
  timestamp: "bytea",
  date: "date",
  uuid: "uuid",
  guid: "uuid",
  json: "jsonb",
  jsonb: "jsonb",
  xml: "xml",
};

function warningFor(name: string, lower: string): string | undefined {
  if (lower === "float" || (lower === "real" && name !== "real")) {
    return `type ${name} is a 32-bit real (as DataProviderMigrate maps it); use Double for 64 bits`;
  }
  if (lower === "timestamp") {
    return `type ${name} is a row version (bytea), as DataProviderMigrate maps it; ` +
      `use DateTime or timestamptz for a point in time`;
  }
  return undefined;
}

function sized(name: string, args: string[] | undefined, sql: string, maxIsText: boolean): Mapped {
  if (args === undefined) return { sql };
  if (args.length === 1 && maxIsText && isMax(args[0])) return { sql: "text" };
  if (args.length !== 1 || !isCount(args[0]) || Number(args[0]) < 1) {
    return {
      error: `type ${name} needs a length (n)${maxIsText ? " or (max)" : ""}, got (${args})`,
    };
  }
  return { sql: `${sql}(${args[0]})` };
}

function enumType(inner: string | undefined): Mapped {
  const m = inner === undefined ? null : /^\s*([^:]+?)\s*:(.*)$/s.exec(inner);
  if (m === null) {
    return {
      error: "type Enum needs a name and values: Enum(name:value1|value2)",
    };
  }
  const parts = m[1].split(".");
  if (parts.length > 2 || parts.some((p) => p === "")) {
    return { error: `type Enum has a malformed name "${m[1]}"` };
  }
  const [schema, name] = parts.length === 2 ? parts : ["public", parts[0]];
  const values = m[2].split("|").map((v) => v.trim());
  if (values.some((v) => v === "")) {
    return { error: `type Enum(${m[1]}:…) has an empty value` };
  }
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) {
    return { error: `type Enum(${m[1]}:…) lists "${dup}" twice` };
  }
  return { sql: qualify(schema, name), enum: { schema, name, values } };
}

function isCount(s: string): boolean {
  return /^\d+$/.test(s);
}

function isMax(s: string): boolean {
  return s.toLowerCase() === "max";
}

const SERIAL_FOR: Readonly<Record<string, string>> = {
  smallint: "smallserial",
  int2: "smallserial",
  integer: "serial",
  int: "serial",
  int4: "serial",
  bigint: "bigserial",
  int8: "bigserial",
};

/** The serial type `isIdentity` turns an integer type into, or undefined for other types. */
export function serialTypeFor(pgType: string): string | undefined {
  return SERIAL_FOR[pgType.trim().toLowerCase()];
}
