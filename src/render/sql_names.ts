/**
 * The names a piece of SQL mentions, by PostgreSQL's own parser: every relation, column, index,
 * constraint, policy, trigger, function and type name of its parse tree, as PostgreSQL spells them
 * (unquoted names folded to lower case). Code inside string constants (a `DO` block, a function
 * body, an `EXECUTE '…'`) is scanned for the words it holds. Used to attribute what a `sql:` item
 * may have created; a name built at run time (`format('%I', …)`) is out of its reach.
 * @module
 */
import { parseSql, scanSql } from "../model/sql_parser.ts";

/** Parse-tree keys whose string values are names. */
const NAME_KEYS: ReadonlySet<string> = new Set([
  "relname",
  "idxname",
  "conname",
  "colname",
  "name",
  "policy_name",
  "trigname",
  "schemaname",
  "newname",
  "subname",
  "sval",
  "str",
]);

/** How deep code inside string constants inside code is followed. */
const MAX_NESTING = 3;

/**
 * The names `sql` mentions.
 *
 * @example
 * ```ts
 * await ensureSqlParser();
 * sqlNames("CREATE TABLE Audit (id int)"); // Set { "audit", "id", "pg_catalog", "int4" }
 * ```
 */
export function sqlNames(sql: string): Set<string> {
  const out = new Set<string>();
  let tree: unknown;
  try {
    tree = parseSql(sql);
  } catch {
    scanWords(sql, out, 0);
    return out;
  }
  walk(tree, undefined, out);
  return out;
}

function walk(node: unknown, key: string | undefined, out: Set<string>): void {
  if (typeof node === "string") {
    if (key !== undefined && NAME_KEYS.has(key)) {
      out.add(node);
      // A string constant may be code (a DO body): its words may name what it creates.
      if (/\s/.test(node)) scanWords(node, out, 1);
    }
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) walk(item, key, out);
    return;
  }
  if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) walk(v, k, out);
  }
}

/** The identifier and keyword tokens of `code` (and of the string constants inside it). */
function scanWords(code: string, out: Set<string>, depth: number): void {
  let tokens;
  try {
    tokens = scanSql(code).tokens;
  } catch {
    return;
  }
  for (const t of tokens) {
    if (t.tokenName === "IDENT" || t.keywordKind !== 0) {
      out.add(t.text.startsWith('"') ? t.text.slice(1, -1).replaceAll('""', '"') : t.text.toLowerCase());
    } else if (t.tokenName === "SCONST" && depth < MAX_NESTING) {
      scanWords(unquote(t.text), out, depth + 1);
    }
  }
}

/** The content of a string constant token: `'…'`, `E'…'`, or `$tag$…$tag$`. */
function unquote(text: string): string {
  const dollar = /^(\$[^$]*\$)([\s\S]*)\1$/.exec(text);
  if (dollar !== null) return dollar[2];
  const start = text.indexOf("'");
  return text.slice(start + 1, -1).replaceAll("''", "'");
}
