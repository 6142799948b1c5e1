/**
 * The independent judge's reading of `pg_dump --schema-only`: the dump split into statements by
 * PostgreSQL's own parser, the session noise removed, and the statements that differ between two
 * dumps described so a reader sees the cause. Pure (the parser must be loaded with
 * `ensureSqlParser()` first); running pg_dump is judge.ts's business.
 * @module
 */
import { type ParseResult, parseSql, type ScanResult, scanSql } from "../../src/model/sql_parser.ts";

function parseStatements(sql: string): ParseResult {
  return parseSql(sql);
}

function scanTokens(sql: string): NonNullable<ScanResult["tokens"]> {
  return scanSql(sql).tokens ?? [];
}

/** pg_dump's psql meta-commands around the dump (15.14+); not SQL, so removed before parsing. */
const RESTRICT_LINE = /^\\(un)?restrict [A-Za-z0-9]+$/;

/** Comment tokens of PostgreSQL's scanner (`-- …` and `/* … *\/`). */
const COMMENT_TOKENS = new Set(["SQL_COMMENT", "C_COMMENT"]);

/** Statements of the dump that describe the session, not the schema. */
function isSessionNoise(text: string, node: string): boolean {
  return node === "VariableSetStmt" || /^SELECT pg_catalog\.set_config\(/.test(text);
}

/**
 * The statements of a `pg_dump --schema-only` text, each exactly as pg_dump printed it (from its
 * first token to its last, without the `;`), in dump order, with comments, blank lines, `SET`
 * statements, `SELECT pg_catalog.set_config(…)` and the `\restrict`/`\unrestrict` lines removed.
 *
 * @example
 * ```ts
 * await ensureSqlParser();
 * dumpStatements("SET lock_timeout = 0;\n-- x\nCREATE TABLE public.t (a integer);\n");
 * // ["CREATE TABLE public.t (a integer)"]
 * ```
 */
export function dumpStatements(dump: string): string[] {
  const sql = dump.split("\n").filter((line) => !RESTRICT_LINE.test(line.replace(/\r$/, ""))).join("\n");
  const bytes = new TextEncoder().encode(sql);
  const decoder = new TextDecoder();
  const tokens = scanTokens(sql).filter((t) => !COMMENT_TOKENS.has(t.tokenName) && t.text !== ";");
  const out: string[] = [];
  let next = 0;
  for (const s of parseStatements(sql).stmts ?? []) {
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len ? from + s.stmt_len : bytes.length;
    while (next < tokens.length && tokens[next].start < from) next++;
    const first = next;
    while (next < tokens.length && tokens[next].end <= to) next++;
    if (next === first) continue;
    const text = decoder.decode(bytes.subarray(tokens[first].start, tokens[next - 1].end));
    if (!isSessionNoise(text, Object.keys(s.stmt ?? {})[0] ?? "")) out.push(text);
  }
  return out;
}

/** The head of a statement: its tokens up to the first `(` or literal, at most three keyword runs. */
interface Head {
  /** The head as printed, names included (`ALTER TABLE ONLY public.t ADD CONSTRAINT t_fk FOREIGN KEY`). */
  text: string;
  /** The head with each name blanked (`ALTER TABLE ONLY … ADD CONSTRAINT … FOREIGN KEY`). */
  kind: string;
}

const LITERALS = new Set(["SCONST", "ICONST", "FCONST", "BCONST", "XCONST", "USCONST", "PARAM"]);

function headOf(statement: string): Head {
  const text: string[] = [];
  const kind: string[] = [];
  let runs = 0;
  let inName = false;
  for (const t of scanTokens(statement)) {
    if (COMMENT_TOKENS.has(t.tokenName)) continue;
    if (t.text === "(" || t.text === ";" || LITERALS.has(t.tokenName)) break;
    const keyword = t.keywordKind !== 0 && /^[A-Z_]+$/.test(t.text);
    if (keyword) {
      if (inName || runs === 0) {
        if (runs === 3) break;
        runs++;
      }
      inName = false;
      kind.push(t.text);
    } else if (!inName) {
      inName = true;
      kind.push("…");
    }
    text.push(t.text);
  }
  return { text: text.join(" ").replace(/ ?\. ?/g, "."), kind: kind.join(" ").replace(/ …$/, "") };
}

/** How the dumps of A (migrated) and B (loaded from desired.sql) differ. */
export interface DumpDifference {
  /**
   * One label per differing object: `CREATE TABLE: column order`, `… : differs`, `… : missing`
   * (in B, not in A), `… : left over` (in A, not in B).
   */
  causes: string[];
  /** A short diff for the reader, a few lines. */
  lines: string[];
}

function countMap(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of items) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

/** Items of `a` not matched in `b` (as multisets), in `a`'s order. */
function minus(a: string[], b: string[]): string[] {
  const left = countMap(b);
  const out: string[] = [];
  for (const s of a) {
    const n = left.get(s) ?? 0;
    if (n > 0) left.set(s, n - 1);
    else out.push(s);
  }
  return out;
}

function clip(s: string, width = 150): string {
  const one = s.replace(/\s*\n\s*/g, " ");
  return one.length > width ? one.slice(0, width - 1) + "…" : one;
}

/**
 * Compare two dumps' statements as multisets (order ignored). Undefined when they are equal;
 * otherwise the causes (one per differing object: a statement of the same head on both sides is
 * one object that *differs*, others are *left over* in A or *missing* from A) and a short diff, at most
 * `maxLines` lines: for an object on both sides the lines that differ, else its first line.
 */
export function compareDumps(a: string[], b: string[], maxLines = 6): DumpDifference | undefined {
  const onlyA = minus(a, b), onlyB = minus(b, a);
  if (onlyA.length === 0 && onlyB.length === 0) return undefined;
  const headsB = new Map<string, string[]>();
  for (const s of onlyB) {
    const h = headOf(s).text;
    headsB.set(h, [...headsB.get(h) ?? [], s]);
  }
  const causes: string[] = [];
  const lines: string[] = [];
  for (const s of onlyA) {
    const head = headOf(s);
    const twin = headsB.get(head.text)?.shift();
    if (twin === undefined) {
      causes.push(`${head.kind}: left over`);
      lines.push(`left over: ${clip(s)}`);
      continue;
    }
    const la = s.split("\n").map((l) => l.trim().replace(/,$/, ""));
    const lb = twin.split("\n").map((l) => l.trim().replace(/,$/, ""));
    const xa = minus(la, lb), xb = minus(lb, la);
    const reordered = xa.length === 0 && xb.length === 0;
    causes.push(`${head.kind}: ${reordered ? (head.kind === "CREATE TABLE" ? "column order" : "order") : "differs"}`);
    lines.push(`differs: ${clip(head.text)}`);
    if (reordered) {
      lines.push(`  A: ${clip(s)}`, `  B: ${clip(twin)}`);
    } else {
      for (const l of xa.slice(0, 2)) lines.push(`  A: ${clip(l)}`);
      for (const l of xb.slice(0, 2)) lines.push(`  B: ${clip(l)}`);
    }
  }
  for (const rest of headsB.values()) {
    for (const s of rest) {
      causes.push(`${headOf(s).kind}: missing`);
      lines.push(`missing: ${clip(s)}`);
    }
  }
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… (${lines.length - maxLines} more line(s))`);
  return { causes: [...new Set(causes)].sort(), lines: shown };
}
