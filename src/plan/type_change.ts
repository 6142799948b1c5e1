/**
 * Classify a column type change: may it lose data (narrowing: refused unless destructive changes
 * are allowed), and does it rewrite the table?
 * @module
 */

/** How a type change behaves. */
export interface TypeChangeKind {
  /** Values may not fit the new type (or change meaning). */
  narrowing: boolean;
  /** PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock. */
  rewrite: boolean;
}

const INT_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const INT_DIGITS: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };

function parseParams(t: string, base: string): number[] | undefined {
  const m = t.match(new RegExp(`^${base}(?:\\((\\d+)(?:,(\\d+))?\\))?$`));
  if (!m) return undefined;
  return [m[1] === undefined ? Infinity : Number(m[1]), m[2] === undefined ? 0 : Number(m[2])];
}

/** Classify a change from `from` to `to` (both `format_type()` text). */
export function classifyTypeChange(from: string, to: string): TypeChangeKind {
  if (from === to) return { narrowing: false, rewrite: false };
  const vFrom = parseParams(from, "character varying");
  const vTo = parseParams(to, "character varying");
  if (vFrom && vTo) return { narrowing: vTo[0] < vFrom[0], rewrite: false };
  if (vFrom && to === "text") return { narrowing: false, rewrite: false };
  if (from === "text" && vTo) return { narrowing: true, rewrite: false };
  const cFrom = parseParams(from, "character");
  if (cFrom && (to === "text" || vTo)) return { narrowing: vTo ? vTo[0] < cFrom[0] : false, rewrite: true };
  if (from in INT_RANK && to in INT_RANK) return { narrowing: INT_RANK[to] < INT_RANK[from], rewrite: true };
  const nFrom = parseParams(from, "numeric");
  const nTo = parseParams(to, "numeric");
  if (nFrom && nTo) {
    const widens = nTo[1] >= nFrom[1] && nTo[0] - nTo[1] >= nFrom[0] - nFrom[1];
    // Raising the precision at the same scale (or dropping the limit) is a catalog-only change.
    return { narrowing: !widens, rewrite: !(to === "numeric" || (nTo[1] === nFrom[1] && nTo[0] >= nFrom[0])) };
  }
  if (from in INT_RANK && nTo) return { narrowing: nTo[0] - nTo[1] < INT_DIGITS[from], rewrite: true };
  if (from === "real" && to === "double precision") return { narrowing: false, rewrite: true };
  if (from === "timestamp without time zone" && to === "timestamp with time zone") {
    return { narrowing: false, rewrite: true };
  }
  return { narrowing: true, rewrite: true };
}

const FAMILIES: RegExp[] = [
  /^(text|character varying(\(\d+\))?|character(\(\d+\))?|bit( varying)?(\(\d+\))?)$/,
  /^(smallint|integer|bigint|real|double precision|numeric(\(\d+(,\d+)?\))?)$/,
  /^(date|timestamp(\(\d\))? with(out)? time zone)$/,
];

/**
 * Does `ALTER COLUMN … TYPE` need a `USING col::type` clause? Not within a family that has
 * assignment casts — and it must not get one there: an explicit cast to `varchar(n)` silently
 * truncates, while the assignment cast fails on a value that does not fit.
 */
export function needsUsing(from: string, to: string): boolean {
  return !FAMILIES.some((f) => f.test(from) && f.test(to));
}

/** The length limit of a `character varying(n)` / `character(n)` type, if any. */
export function lengthLimit(type: string): number | undefined {
  const m = type.match(/^character(?: varying)?\((\d+)\)$/);
  return m ? Number(m[1]) : undefined;
}
