/**
 * Migration `.sql` text → what apply runs, verified. A migration file is exactly its generated
 * blocks (covered by the checksum) plus the data section (checked statement by statement by
 * PostgreSQL's parser). A truncated file, a file that is not a pgconverge migration, an edited
 * generated statement, a data section that could control the transaction, and any SQL outside
 * a block and outside the data section (above the first block, between blocks, after the
 * checksum) are refused with their line, before anything runs.
 * @module
 */
import { scopeFromText } from "../model/access.ts";
import { PgcError } from "../model/errors.ts";
import { ensureSqlParser, scanSql } from "../model/sql_parser.ts";
import type { CommitPoint, Expectation } from "../plan/plan.ts";
import { type DataStatement, guardDataSection } from "./data_guard.ts";
import {
  COMMIT,
  DATA_CLOSE,
  DATA_OPEN,
  type DatabaseIdentity,
  END,
  MAGIC,
  migrationChecksum,
  type MigrationHeader,
  type MigrationUnit,
  readDatabaseLine,
} from "./format.ts";
import { locateAppendedText, type UnitSource } from "./locate_edit.ts";

/** A parsed, verified migration. */
export interface Migration {
  /** Header fields. */
  header: MigrationHeader;
  /** Generated statements in order. */
  units: MigrationUnit[];
  /** The data section's text (comments included), or undefined when the file has none. */
  data?: string;
  /** The data section's statements, as PostgreSQL's parser splits them (none: nothing to run). */
  dataStatements: DataStatement[];
  /** Index in `units` before which the data section runs. */
  dataBefore: number;
  /** Per-object expectations. */
  expects: Expectation[];
  /** Commit boundaries, in order (empty: the whole file is one transaction). */
  commits: CommitPoint[];
  /** Where it was planned, as its header says (not covered by the checksum: used for messages only). */
  plannedOn: PlannedOn;
}

/** The header's account of the database a migration was planned on. */
export interface PlannedOn {
  /** The `database:` line: name and cluster of the planned-from database. */
  database?: DatabaseIdentity;
  /** The `from` side of the `source:` line (a redacted URL or `pglite:…`), when it names a database. */
  url?: string;
}

const UNIT = /^-- \[(\d+)\/(\d+)\] (early|drop|pre|post): (\S+) (.+?)( \(destructive\))?$/;

/** Header keys apply reads; each may appear once, above the first generated block. */
const HEADER_KEYS = ["from", "to", "schemas", "allow-destructive", "manages", "database", "source"] as const;
type HeaderKey = typeof HEADER_KEYS[number];

function invalid(file: string, message: string, hint: string): PgcError {
  return new PgcError("migration_invalid", `${file}: ${message}`, { hint });
}

function invalidAt(file: string, line: number, message: string, hint: string): PgcError {
  return new PgcError("migration_invalid", `${file}:${line}: ${message}`, { hint });
}

/** Lines outside every block and outside the data section: they may hold comments only. */
interface FreeLine {
  /** 1-based file line. */
  line: number;
  /** Its text. */
  text: string;
}

/** The first line of a run of free lines that holds anything but comments, per PostgreSQL's lexer. */
function firstStatementLine(run: FreeLine[]): number | undefined {
  const plain = (l: FreeLine) => l.text.trim() === "" || l.text.trim().startsWith("--");
  if (run.every(plain)) return undefined;
  const text = run.map((l) => l.text).join("\n");
  try {
    const bytes = new TextEncoder().encode(text);
    const token = scanSql(text).tokens.find((t) => t.tokenName !== "SQL_COMMENT" && t.tokenName !== "C_COMMENT");
    if (!token) return undefined;
    const newlines = bytes.subarray(0, token.start).filter((b) => b === 0x0a).length;
    return run[0].line + newlines;
  } catch {
    // Not even lexable (an unclosed /* comment or quote): the first line that is not a plain comment.
    return run.find((l) => !plain(l))!.line;
  }
}

/**
 * A generated statement ends at its last token; comments after it (a reviewer's note between two
 * blocks) are not part of it. Per PostgreSQL's lexer; text it cannot lex stays with the statement
 * (the checksum then decides).
 */
function splitTrailingComments(lines: FreeLine[]): { sql: FreeLine[]; trailing: FreeLine[] } {
  const text = lines.map((l) => l.text).join("\n");
  // Without "--" or "/*" there is no comment to split off (most statements; no lexing needed).
  if (!text.includes("--") && !text.includes("/*")) return { sql: lines, trailing: [] };
  let end: number | undefined;
  try {
    const tokens = scanSql(text).tokens.filter((t) => t.tokenName !== "SQL_COMMENT" && t.tokenName !== "C_COMMENT");
    end = tokens.at(-1)?.end;
  } catch {
    return { sql: lines, trailing: [] };
  }
  if (end === undefined) return { sql: [], trailing: lines };
  const bytes = new TextEncoder().encode(text);
  const lastLine = bytes.subarray(0, end).filter((b) => b === 0x0a).length;
  const kept = lines.slice(0, lastLine + 1);
  // The rest of the statement's last line after its end is a comment: not part of the statement.
  const lineStart = bytes.lastIndexOf(0x0a, end - 1) + 1;
  const cut = new TextDecoder().decode(bytes.subarray(lineStart, end));
  kept[lastLine] = { ...kept[lastLine], text: cut };
  return { sql: kept, trailing: lines.slice(lastLine + 1) };
}

/** Refuse SQL outside the blocks: it would not run, and a file that says more than it runs is a lie. */
function checkFreeLines(free: FreeLine[], file: string): void {
  const runs: FreeLine[][] = [];
  for (const l of [...free].sort((a, b) => a.line - b.line)) {
    const last = runs.at(-1);
    if (last && last.at(-1)!.line === l.line - 1) last.push(l);
    else runs.push([l]);
  }
  for (const run of runs) {
    const line = firstStatementLine(run);
    if (line === undefined) continue;
    throw invalidAt(
      file,
      line,
      "SQL outside the generated blocks and outside the data section; apply would not run it, so nothing was run.",
      `Put data statements between "${DATA_OPEN}" and "${DATA_CLOSE}", or remove them. The rest of the file is ` +
        "generated: plan again to change it.",
    );
  }
}

/**
 * True when SQL text holds something besides comments and blank lines, by PostgreSQL's lexer
 * (block comments count as comments). The parser must be loaded (`readMigration` loads it).
 */
export function hasStatements(sql: string): boolean {
  return scanSql(sql).tokens.some((t) => t.tokenName !== "SQL_COMMENT" && t.tokenName !== "C_COMMENT");
}

/** Parse and verify a migration file's text. */
export async function readMigration(text: string, file: string): Promise<Migration> {
  await ensureSqlParser();
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[0] !== MAGIC) {
    throw invalid(
      file,
      'is not a pgconverge migration (its first line is not "-- pgconverge migration").',
      "Make one with: pgconverge plan … -o FILE.",
    );
  }
  if (!lines.some((l) => l === END)) {
    throw invalid(
      file,
      `is incomplete: the closing line "${END}" is missing (truncated?).`,
      "Plan again to get a complete file.",
    );
  }
  const fields = new Map<HeaderKey, string>();
  const units: MigrationUnit[] = [];
  const sources: UnitSource[] = [];
  const expects: Expectation[] = [];
  const commits: CommitPoint[] = [];
  const free: FreeLine[] = [];
  let checksum: string | undefined;
  let data: { lines: string[]; open: number; close?: number; before: number } | undefined;
  let inHeader = true;
  let ended = false;
  let current: { unit: MigrationUnit; sql: FreeLine[]; inSql: boolean } | undefined;
  let pendingWhat: string | undefined;
  const flush = () => {
    if (!current) return;
    const { sql, trailing } = splitTrailingComments(current.sql);
    free.push(...trailing);
    current.unit.sql = sql.map((l) => l.text).join("\n").trim();
    units.push(current.unit);
    sources.push({ line: sql.find((l) => l.text.trim() !== "")?.line ?? 0 });
    current = undefined;
  };
  const structural = () => {
    flush();
    inHeader = false;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const at = i + 1;
    if (data && data.close === undefined) {
      if (line === DATA_CLOSE) data.close = at;
      else data.lines.push(line);
      continue;
    }
    if (ended) {
      free.push({ line: at, text: line });
      continue;
    }
    const m = line.match(UNIT);
    if (m) {
      structural();
      current = {
        unit: { n: Number(m[1]), phase: m[3], id: m[5], sql: "", destructive: m[6] !== undefined },
        sql: [],
        inSql: false,
      };
      pendingWhat = undefined;
      continue;
    }
    if (line.startsWith(DATA_OPEN)) {
      structural();
      if (data) {
        throw invalidAt(file, at, `a second data section (the first opens at line ${data.open}).`, "Keep one.");
      }
      data = { lines: [], open: at, before: units.length };
      continue;
    }
    if (line.startsWith(`${COMMIT} `)) {
      structural();
      commits.push({ after: units.length, fingerprint: line.slice(COMMIT.length + 1).trim() });
      continue;
    }
    if (line.startsWith("-- expect: ")) {
      structural();
      const rest = line.slice("-- expect: ".length);
      const cut = rest.lastIndexOf(" ");
      expects.push({ id: rest.slice(0, cut), hash: rest.slice(cut + 1) });
      continue;
    }
    if (line.startsWith("-- checksum: ")) {
      structural();
      if (checksum !== undefined) throw invalidAt(file, at, "a second checksum line.", "Plan again.");
      checksum = line.slice("-- checksum: ".length);
      continue;
    }
    if (line === END) {
      structural();
      ended = true;
      continue;
    }
    if (inHeader) {
      const key = HEADER_KEYS.find((k) => line.startsWith(`-- ${k}: `));
      if (key) {
        if (fields.has(key)) throw invalidAt(file, at, `a second "${key}:" header line.`, "Plan again.");
        fields.set(key, line.slice(`-- ${key}: `.length));
      }
      free.push({ line: at, text: line });
      continue;
    }
    if (!current) {
      free.push({ line: at, text: line });
      continue;
    }
    if (!current.inSql && (line.startsWith("--") || line.trim() === "")) {
      if (line.startsWith("-- count: ")) pendingWhat = line.slice("-- count: ".length);
      if (line.startsWith("-- count-sql: ") && pendingWhat !== undefined) {
        current.unit.count = { what: pendingWhat, sql: line.slice("-- count-sql: ".length) };
      }
      continue;
    }
    current.inSql = true;
    current.sql.push({ line: at, text: line });
  }
  flush();
  if (data && data.close === undefined) {
    throw invalidAt(
      file,
      data.open,
      `the data section opened here never closes (no "${DATA_CLOSE}" line).`,
      `Put "${DATA_CLOSE}" back after your data statements.`,
    );
  }
  checkFreeLines(free, file);
  const need = (k: HeaderKey): string => {
    const v = fields.get(k);
    if (v === undefined) throw invalid(file, `has no "${k}:" header line.`, "Plan again; do not edit the header.");
    return v;
  };
  const header: MigrationHeader = {
    from: need("from"),
    to: need("to"),
    schemas: need("schemas").split(",").map((s) => s.trim()).filter(Boolean),
    allowDestructive: need("allow-destructive") === "yes",
  };
  const manages = fields.get("manages");
  if (manages !== undefined) {
    const scope = scopeFromText(manages);
    if (!scope) throw invalid(file, 'has an unreadable "manages:" header line.', "Plan again; do not edit the header.");
    header.manages = scope;
  }
  const expected = await migrationChecksum(header, units, expects, commits);
  if (checksum !== expected) {
    const appended = await locateAppendedText(header, units, sources, expects, commits, checksum);
    if (appended !== undefined) {
      throw invalidAt(
        file,
        appended,
        "SQL after a generated statement, outside the data section; apply would not run it as written, so " +
          "nothing was run.",
        `Move data statements between "${DATA_OPEN}" and "${DATA_CLOSE}", or remove them.`,
      );
    }
    throw new PgcError(
      "migration_tampered",
      `${file}: the generated statements, header or expectations were edited (checksum mismatch).`,
      {
        hint: "Only the data section may be edited. Plan again to change the statements, or restore the file.",
      },
    );
  }
  const slot = units.findIndex((u) => u.phase === "post");
  if (data && data.before !== (slot < 0 ? units.length : slot)) {
    throw invalidAt(
      file,
      data.open,
      "the data section was moved: it belongs after the old constraints are dropped and before the new ones are added.",
      "Put it back where plan wrote it (plan again to see the place).",
    );
  }
  const dataText = data?.lines.join("\n");
  const dataStatements = data ? guardDataSection(dataText!, data.open + 1, file) : [];
  return {
    header,
    units,
    ...(data ? { data: dataText } : {}),
    dataStatements,
    dataBefore: data?.before ?? 0,
    expects,
    commits,
    plannedOn: plannedOn(fields),
  };
}

/** The database the header says the file was planned on. */
function plannedOn(fields: Map<HeaderKey, string>): PlannedOn {
  const out: PlannedOn = {};
  const database = fields.get("database");
  const identity = database === undefined ? undefined : readDatabaseLine(database);
  if (identity) out.database = identity;
  const from = fields.get("source")?.split(" ")[0];
  if (from && /^(postgres|postgresql|pglite):/i.test(from)) out.url = from;
  return out;
}
