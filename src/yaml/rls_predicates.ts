/**
 * The simple RLS predicates of schema.yaml (`using`, `withCheck`) → SQL, as SCHEMA_YAML.md
 * "RLS predicates" defines them: bare column names are quoted, `current_user_id()` reads the
 * `rls.current_user_id` setting, `current_setting('x')` gets its missing-is-NULL second argument.
 * Anything else is passed to PostgreSQL, which validates it in the shadow; LQL pipelines (`|>`)
 * cannot be translated and are refused. A small tokenizer keeps literals, quoted identifiers and
 * comments untouched, which a regex replace cannot.
 * @module
 */
import { quoteColumnWords, skipOpaque } from "./check_words.ts";

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** What `current_user_id()` stands for. */
export const CURRENT_USER_ID_SQL = "current_setting('rls.current_user_id', true)";

/** A translated predicate, or why it cannot be translated. */
export type PredicateResult = { sql: string } | { error: string };

/** Index of the first non-space character at or after `i`. */
function skipSpace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

/**
 * Translate a simple predicate of a table with the given column names.
 *
 * @example
 * ```ts
 * translatePredicate("OwnerId = current_user_id()", ["OwnerId"]);
 * // { sql: "\"OwnerId\" = current_setting('rls.current_user_id', true)" }
 * translatePredicate("exists(Orders |> filter(x => x.a))", []); // { error: "…" }
 * ```
 */
export function translatePredicate(predicate: string, columns: readonly string[]): PredicateResult {
  let out = "";
  let i = 0;
  const s = predicate;
  while (i < s.length) {
    const end = skipOpaque(s, i);
    if (end > i) {
      out += s.slice(i, end);
      i = end;
      continue;
    }
    if (s.startsWith("|>", i)) {
      return { error: "it is an LQL pipeline (|>), which has no SQL translation" };
    }
    const ch = s[i];
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < s.length && /[0-9A-Za-z_.]/.test(s[j])) j++;
      out += s.slice(i, j);
      i = j;
      continue;
    }
    if (!WORD_START.test(ch) || (i > 0 && (WORD_PART.test(s[i - 1]) || s[i - 1] === "."))) {
      out += ch;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < s.length && WORD_PART.test(s[j])) j++;
    const word = s.slice(i, j);
    const open = skipSpace(s, j);
    const lower = word.toLowerCase();
    if (s[open] === "(" && lower === "current_user_id") {
      const close = skipSpace(s, open + 1);
      if (s[close] !== ")") return { error: "current_user_id() takes no arguments" };
      out += CURRENT_USER_ID_SQL;
      i = close + 1;
      continue;
    }
    if (s[open] === "(" && lower === "current_setting") {
      const argStart = skipSpace(s, open + 1);
      const argEnd = s[argStart] === "'" ? skipOpaque(s, argStart) : argStart;
      const close = skipSpace(s, argEnd);
      if (argEnd > argStart && s[close] === ")") {
        out += `${word}(${s.slice(argStart, argEnd)}, true)`;
        i = close + 1;
        continue;
      }
    }
    out += word;
    i = j;
  }
  return { sql: quoteColumnWords(out, new Set(columns)) };
}
