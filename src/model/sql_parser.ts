/**
 * PostgreSQL's own lexer and grammar (libpg_query compiled to WASM, `@pgsql/parser`), loaded once.
 *
 * Whenever pgconverge must know what a piece of SQL *is* — where its statements end, whether it
 * controls the transaction, whether a YAML value is exactly one expression — it asks this parser
 * rather than a hand-written tokenizer: strings, dollar quotes, nested comments and keywords are
 * then handled exactly as the server handles them. Pure: no I/O beyond loading the WASM module.
 * @module
 */
import { loadModule, parsePlPgSQLSync, type ParseResult, parseSync, type ScanResult, scanSync } from "@pgsql/parser";

export type { ParseResult, ScanResult } from "@pgsql/parser";

let loading: Promise<void> | undefined;

/**
 * Load the WASM parser (once per process; ~90 ms). Every other export needs it loaded first.
 *
 * @example
 * ```ts
 * await loadSqlParser();
 * parseSql("SELECT 1").stmts.length; // 1
 * ```
 */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

/** Whether `loadSqlParser()` has been awaited in this process (so the sync calls below work). */
let loaded = false;

/** Load the parser and remember that it is ready: call from an async edge before pure code runs. */
export async function ensureSqlParser(): Promise<void> {
  await loadSqlParser();
  loaded = true;
}

/** Throw (a bug, with its stack) unless the parser is loaded: for pure code that will need it. */
export function assertSqlParser(): void {
  requireLoaded();
}

function requireLoaded(): void {
  if (!loaded) throw new Error("the SQL parser is not loaded: await ensureSqlParser() first");
}

/**
 * `@pgsql/parser` 17.5 hands libpg_query's JSON to `JSON.parse` as it comes, and that JSON keeps
 * raw newlines and tabs inside its strings (a multi-line string literal, block comment or dollar-
 * quoted body), which `JSON.parse` rejects. It also reports a failure whenever its output merely
 * contains the text "ERROR" (a literal 'ERROR' in the SQL), throwing the valid result as the
 * message; and a lexer error reaches `JSON.parse` as plain text, which loses it. All three are
 * undone here, for the one synchronous call: control characters inside JSON strings are escaped,
 * a thrown message that is a result is taken back, and a lexer error keeps its own words.
 */
function escapeControlsInStrings(json: string): string {
  // deno-lint-ignore no-control-regex
  if (!/[\u0000-\u001f]/.test(json)) return json;
  // deno-lint-ignore no-control-regex
  const control = /[\u0000-\u001f]/g;
  return json.replace(
    /"(?:[^"\\]|\\.)*"/g,
    (literal) => literal.replace(control, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  );
}

function robust<T>(call: () => T): T {
  const original = JSON.parse;
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    // A lexer error ("unterminated quoted string at or near …") is not JSON: keep its words.
    if (!/^[[{]/.test(text)) throw new Error(text);
    return original(escapeControlsInStrings(text), reviver);
  }) as typeof JSON.parse;
  try {
    return call();
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    if (message.startsWith("{")) {
      try {
        return original(escapeControlsInStrings(message)) as T;
      } catch {
        // not a result after all
      }
    }
    throw e;
  } finally {
    JSON.parse = original;
  }
}

/** Parse SQL text into PostgreSQL's raw parse tree; throws PostgreSQL's syntax error message. */
export function parseSql(sql: string): ParseResult {
  requireLoaded();
  // The wrapper refuses empty input; PostgreSQL reads it as no statement.
  if (sql.trim() === "") return { version: 170004, stmts: [] } as unknown as ParseResult;
  return robust(() => parseSync(sql));
}

/** Split SQL text into PostgreSQL's tokens (comments included, with byte offsets). */
export function scanSql(sql: string): ScanResult {
  requireLoaded();
  if (sql.trim() === "") return { version: 170004, tokens: [] };
  return robust(() => scanSync(sql));
}

/** Parse the PL/pgSQL bodies of the `CREATE FUNCTION`/`DO` statements in `sql`. */
export function parsePlpgsql(sql: string): unknown {
  requireLoaded();
  return robust(() => parsePlPgSQLSync(sql));
}
