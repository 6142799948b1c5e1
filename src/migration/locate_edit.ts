/**
 * When the checksum does not match, find out whether the generated statements are intact and
 * SQL was only added next to one of them (above it or below it, between two blocks), so the
 * refusal can name the line of the added SQL. Pure.
 * @module
 */
import { scanSql } from "../model/sql_parser.ts";
import type { CommitPoint, Expectation } from "../plan/plan.ts";
import { migrationChecksum, type MigrationHeader, type MigrationUnit } from "./format.ts";

/** Where a unit's SQL starts in the file, so a byte offset in it maps to a file line. */
export interface UnitSource {
  /** 1-based file line of the unit's first SQL line. */
  line: number;
}

/** Byte offsets of top-level statement boundaries in `sql`: after each `;` and at the ends. */
function boundaries(sql: string): { cuts: number[]; firstTokenAfter: (at: number) => number | undefined } {
  const tokens = scanSql(sql).tokens;
  const cuts = [0];
  for (const t of tokens) if (t.text === ";" && t.tokenName === "ASCII_59") cuts.push(t.end);
  const length = new TextEncoder().encode(sql).length;
  if (cuts.at(-1) !== length) cuts.push(length);
  const firstTokenAfter = (at: number) =>
    tokens.find((t) => t.start >= at && t.tokenName !== "SQL_COMMENT" && t.tokenName !== "C_COMMENT")?.start;
  return { cuts, firstTokenAfter };
}

/**
 * The file line of SQL added above or below one generated statement, when taking it away gives
 * back the checksum; undefined when the edit is anything else.
 */
export async function locateAppendedText(
  header: MigrationHeader,
  units: MigrationUnit[],
  sources: UnitSource[],
  expects: Expectation[],
  commits: CommitPoint[],
  checksum: string | undefined,
): Promise<number | undefined> {
  if (checksum === undefined) return undefined;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  for (const [i, unit] of units.entries()) {
    let b: ReturnType<typeof boundaries>;
    try {
      b = boundaries(unit.sql);
    } catch {
      continue;
    }
    if (b.cuts.length <= 2) continue;
    const bytes = encoder.encode(unit.sql);
    const lineOf = (at: number) => sources[i].line + bytes.subarray(0, at).filter((x) => x === 0x0a).length;
    for (let a = 0; a < b.cuts.length - 1; a++) {
      for (let z = b.cuts.length - 1; z > a; z--) {
        if (a === 0 && z === b.cuts.length - 1) continue;
        const kept = decoder.decode(bytes.subarray(b.cuts[a], b.cuts[z])).trim();
        if (kept === "") continue;
        const trial = units.map((u, k) => (k === i ? { ...u, sql: kept } : u));
        if (await migrationChecksum(header, trial, expects, commits) !== checksum) continue;
        // The added SQL is what was taken away: above the kept text, else below it.
        const added = a > 0 ? b.firstTokenAfter(0) : b.firstTokenAfter(b.cuts[z]);
        return added === undefined ? sources[i].line : lineOf(added);
      }
    }
  }
  return undefined;
}
