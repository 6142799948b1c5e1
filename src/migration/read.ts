/**
 * Migration `.sql` text → what apply runs, verified: a truncated file, a file that is not a
 * pgconverge migration, or one whose generated statements were edited is refused.
 * @module
 */
import { scopeFromText } from "../model/access.ts";
import { PgcError } from "../model/errors.ts";
import type { Expectation } from "../plan/plan.ts";
import type { CommitPoint } from "../plan/plan.ts";
import {
  COMMIT,
  DATA_CLOSE,
  DATA_OPEN,
  END,
  MAGIC,
  migrationChecksum,
  type MigrationHeader,
  type MigrationUnit,
} from "./format.ts";

/** A parsed, verified migration. */
export interface Migration {
  /** Header fields. */
  header: MigrationHeader;
  /** Generated statements in order. */
  units: MigrationUnit[];
  /** The data section's text (comments included), or undefined when the file has none. */
  data?: string;
  /** Index in `units` before which the data section runs. */
  dataBefore: number;
  /** Per-object expectations. */
  expects: Expectation[];
  /** Commit boundaries, in order (empty: the whole file is one transaction). */
  commits: CommitPoint[];
}

const UNIT = /^-- \[(\d+)\/(\d+)\] (early|drop|pre|post): (\S+) (.+?)( \(destructive\))?$/;

function invalid(file: string, message: string, hint: string): PgcError {
  return new PgcError("migration_invalid", `${file}: ${message}`, { hint });
}

/** True when SQL text has something besides comments and blank lines. */
export function hasStatements(sql: string): boolean {
  return sql.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("--"));
}

/** Parse and verify a migration file's text. */
export async function readMigration(text: string, file: string): Promise<Migration> {
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
  const field = (k: string): string | undefined =>
    lines.find((l) => l.startsWith(`-- ${k}: `))?.slice(`-- ${k}: `.length);
  const need = (k: string): string => {
    const v = field(k);
    if (v === undefined) throw invalid(file, `has no "${k}:" header line.`, "Plan again; do not edit the header.");
    return v;
  };
  const header: MigrationHeader = {
    from: need("from"),
    to: need("to"),
    schemas: need("schemas").split(",").map((s) => s.trim()).filter(Boolean),
    allowDestructive: need("allow-destructive") === "yes",
  };
  const manages = field("manages");
  if (manages !== undefined) {
    const scope = scopeFromText(manages);
    if (!scope) throw invalid(file, 'has an unreadable "manages:" header line.', "Plan again; do not edit the header.");
    header.manages = scope;
  }
  const units: MigrationUnit[] = [];
  const expects: Expectation[] = [];
  const commits: CommitPoint[] = [];
  let checksum: string | undefined;
  let data: string[] | undefined;
  let dataBefore = -1;
  let current: { unit: MigrationUnit; sql: string[]; inSql: boolean } | undefined;
  let pendingWhat: string | undefined;
  const flush = () => {
    if (!current) return;
    current.unit.sql = current.sql.join("\n").trim();
    units.push(current.unit);
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (data !== undefined && dataBefore === -2) {
      if (line === DATA_CLOSE) dataBefore = units.length;
      else data.push(line);
      continue;
    }
    const m = line.match(UNIT);
    if (m) {
      flush();
      current = {
        unit: { n: Number(m[1]), phase: m[3], id: m[5], sql: "", destructive: m[6] !== undefined },
        sql: [],
        inSql: false,
      };
      pendingWhat = undefined;
      continue;
    }
    if (line.startsWith(DATA_OPEN)) {
      flush();
      data = [];
      dataBefore = -2;
      continue;
    }
    if (line.startsWith(`${COMMIT} `)) {
      flush();
      commits.push({ after: units.length, fingerprint: line.slice(COMMIT.length + 1).trim() });
      continue;
    }
    if (line.startsWith("-- expect: ")) {
      flush();
      const rest = line.slice("-- expect: ".length);
      const cut = rest.lastIndexOf(" ");
      expects.push({ id: rest.slice(0, cut), hash: rest.slice(cut + 1) });
      continue;
    }
    if (line.startsWith("-- checksum: ")) {
      flush();
      checksum = line.slice("-- checksum: ".length);
      continue;
    }
    if (line === END) {
      flush();
      break;
    }
    if (!current) continue;
    if (!current.inSql && line.startsWith("--")) {
      if (line.startsWith("-- count: ")) pendingWhat = line.slice("-- count: ".length);
      if (line.startsWith("-- count-sql: ") && pendingWhat !== undefined) {
        current.unit.count = { what: pendingWhat, sql: line.slice("-- count-sql: ".length) };
      }
      continue;
    }
    if (line.trim() !== "") current.inSql = true;
    current.sql.push(line);
  }
  if (dataBefore === -2) {
    throw invalid(
      file,
      `has a data section that never closes (no "${DATA_CLOSE}" line).`,
      `Put "${DATA_CLOSE}" back after your data statements.`,
    );
  }
  const expected = await migrationChecksum(header, units, expects, commits);
  if (checksum !== expected) {
    throw new PgcError(
      "migration_tampered",
      `${file}: the generated statements, header or expectations were edited (checksum mismatch).`,
      {
        hint: "Only the data section may be edited. Plan again to change the statements, or restore the file.",
      },
    );
  }
  return {
    header,
    units,
    ...(data ? { data: data.join("\n") } : {}),
    dataBefore: Math.max(dataBefore, 0),
    expects,
    commits,
  };
}
