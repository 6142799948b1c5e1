/**
 * Bare column names in CHECK expressions and index predicates, quoted the way
 * DataProviderMigrate does: `Kind IN ('a')` on column `Kind` means the column, so it becomes
 * `"Kind" IN ('a')`. A tiny tokenizer keeps string literals, quoted identifiers, dollar-quoted
 * bodies and comments untouched, which a regex replace cannot.
 * @module
 */
import { quoteIdent } from "../model/quote.ts";

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/**
 * The names to quote in an expression of a table: every column whose name is not all-lowercase
 * (lowercase names mean the same bare), plus `own` (the column a column CHECK belongs to),
 * which is quoted even when it is a keyword such as `user`.
 */
export function wordsToQuote(columnNames: readonly string[], own?: string): Set<string> {
  const set = new Set(columnNames.filter((n) => n !== n.toLowerCase()));
  if (own !== undefined) set.add(own);
  return set;
}

/**
 * Quote each bare word of `sql` that equals (same case) one of `names`. Words used as function
 * names (`Foo(`), type names (`::Foo`) or literal prefixes (`E'…'`) are left alone.
 *
 * @example
 * ```ts
 * quoteColumnWords("Kind IN ('Kind')", new Set(["Kind"])); // "\"Kind\" IN ('Kind')"
 * ```
 */
export function quoteColumnWords(sql: string, names: ReadonlySet<string>): string {
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const end = skipOpaque(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    const ch = sql[i];
    if (/[0-9]/.test(ch)) {
      // Numbers such as 1e5 must not yield the word "e5".
      let j = i + 1;
      while (j < sql.length && /[0-9A-Za-z_.]/.test(sql[j])) j++;
      out += sql.slice(i, j);
      i = j;
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j])) j++;
      const word = sql.slice(i, j);
      out += names.has(word) && isColumnUse(sql, i, j) ? quoteIdent(word) : word;
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** End of a literal, quoted identifier, dollar body or comment starting at `i`, else `i`. */
export function skipOpaque(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'") {
    const escapes = i > 0 && /[eE]/.test(sql[i - 1]) &&
      !(i > 1 && WORD_PART.test(sql[i - 2]));
    return endOfQuoted(sql, i, "'", escapes);
  }
  if (ch === '"') return endOfQuoted(sql, i, '"', false);
  if (ch === "-" && sql[i + 1] === "-") {
    const nl = sql.indexOf("\n", i);
    return nl === -1 ? sql.length : nl;
  }
  if (ch === "/" && sql[i + 1] === "*") {
    const close = sql.indexOf("*/", i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  if (ch === "$" && (i === 0 || !WORD_PART.test(sql[i - 1]))) {
    const tag = DOLLAR_TAG.exec(sql.slice(i))?.[0];
    if (tag === undefined) return i;
    const close = sql.indexOf(tag, i + tag.length);
    return close === -1 ? sql.length : close + tag.length;
  }
  return i;
}

/** End of a `'…'` or `"…"` token (doubled quote = escaped quote; `E'…'` also allows `\'`). */
function endOfQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let j = start + 1;
  while (j < sql.length) {
    if (backslash && sql[j] === "\\") {
      j += 2;
    } else if (sql[j] === quote) {
      if (sql[j + 1] !== quote) return j + 1;
      j += 2;
    } else {
      j++;
    }
  }
  return sql.length;
}

/** Whether the word at [start, end) reads as a column, not a function, type or literal prefix. */
function isColumnUse(sql: string, start: number, end: number): boolean {
  const after = sql.slice(end).trimStart();
  if (after.startsWith("(") || sql[end] === "'") return false;
  const before = sql.slice(0, start).trimEnd();
  return !before.endsWith("::");
}
