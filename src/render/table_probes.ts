/**
 * When PostgreSQL rejects a CREATE TABLE it names only the first thing wrong, often without a
 * position (`column "x" is of type integer but default expression is of type …`). These probes,
 * run in the shadow only after such a failure, try each column alone in a temporary table that is
 * dropped at once: first its type, then its whole definition. Every column PostgreSQL rejects is
 * then reported at its own YAML value, and an unknown type gets a "did you mean".
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";
import { didYouMean } from "../yaml/keys.ts";
import { TYPE_NAMES } from "../yaml/portable_types.ts";
import type { Table } from "../yaml/types.ts";
import { columnDefinition } from "./column_sql.ts";

/** Types PostgreSQL always has; a column with any other type is the likely cause of a failure. */
const BUILTIN_TYPES: ReadonlySet<string> = new Set(
  ("bigint bigserial bit boolean bool box bytea char character cidr circle date decimal " +
    "float4 float8 inet int int2 int4 int8 integer interval json jsonb line lseg macaddr " +
    "money numeric path point polygon real serial smallint smallserial text time timestamp " +
    "timestamptz timetz tsquery tsvector uuid varchar xml").split(" "),
);

const PROBE = "pgc_probe";
const OPEN = `CREATE TEMPORARY TABLE ${PROBE} (`;
const CLOSE = `); DROP TABLE pg_temp.${PROBE}`;

/** The type's name without size, precision or array bounds, lower case. */
function baseName(type: string): string {
  return type.toLowerCase().replace(/\s*(\(.*\))?\s*(\[.*\])?$/s, "").trim();
}

/**
 * Where a failing CREATE TABLE most likely went wrong: the first column whose type is neither
 * built in nor an enum of this file (PostgreSQL reports unknown types), else the table.
 */
export function likelyFailure(t: Table, enums: ReadonlySet<string>): SourceRef {
  for (const c of t.columns) {
    const base = baseName(c.pgType);
    if (!BUILTIN_TYPES.has(base) && !base.includes(" ") && !enums.has(base)) {
      return c.valueAt.type ?? c.at;
    }
  }
  return t.valueAt.name ?? t.at;
}

/**
 * Probe groups for `t` (`enums`: the file's enum names, lower case): per column, its type alone,
 * then its whole definition (not for a generated column, which reads other columns); a group
 * stops at its first rejected probe.
 */
export function tableProbes(t: Table, enums: ReadonlySet<string>): DdlStatement[][] {
  const pk = new Set(t.primaryKey?.columns ?? []);
  const candidates = [...TYPE_NAMES, ...BUILTIN_TYPES, ...enums];
  return t.columns.map((c) => {
    const typeAt = c.valueAt.type ?? c.at;
    const written = baseName(c.type);
    const guess = didYouMean(written, candidates.filter((n) => n.toLowerCase() !== written));
    const group: DdlStatement[] = [{
      sql: `${OPEN}c ${c.pgType}${CLOSE}`,
      source: typeAt,
      ...(guess === "" ? {} : { note: guess.trim() }),
    }];
    if (c.computedExpression === undefined) {
      const def = columnDefinition(c, pk.has(c.name), OPEN);
      const source = c.valueAt.defaultLqlExpression ?? c.valueAt.defaultValue ?? c.valueAt.collation ?? c.at;
      group.push({ sql: def.sql + CLOSE, source, spans: def.spans });
    }
    return group;
  });
}
