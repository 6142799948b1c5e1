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
 * Call one of @pgsql/parser's sync functions, undoing two quirks of its wrapper (17.5.0): it
 * throws a good result whose JSON merely contains the word ERROR (`SELECT 'ERROR'`), and a
 * lexer error (an unterminated literal or comment) reaches us only as a JSON `SyntaxError`.
 */
function call<T>(f: (sql: string) => T, sql: string): T {
  try {
    return f(sql);
  } catch (e) {
    if (e instanceof SyntaxError) {
      throw new Error("unterminated quoted string, quoted identifier or comment");
    }
    const text = e instanceof Error ? e.message : "";
    if (text.startsWith('{"version":')) {
      try {
        return JSON.parse(text) as T;
      } catch {
        // Not a result after all: the error stands.
      }
    }
    throw e;
  }
}

/** Parse SQL text into PostgreSQL's raw parse tree; throws PostgreSQL's syntax error message. */
export function parseSql(sql: string): ParseResult {
  requireLoaded();
  return call(parseSync, sql);
}

/** Split SQL text into PostgreSQL's tokens (comments included, with byte offsets). */
export function scanSql(sql: string): ScanResult {
  requireLoaded();
  return call(scanSync, sql);
}

/** Parse the PL/pgSQL bodies of the `CREATE FUNCTION`/`DO` statements in `sql`. */
export function parsePlpgsql(sql: string): unknown {
  requireLoaded();
  return call(parsePlPgSQLSync, sql);
}
