/**
 * The transactions a migration runs in (split at its `-- [commit]` boundaries), and the plain
 * sentences saying what a failure in one of them leaves behind.
 * @module
 */
import type { Migration } from "../migration/read.ts";
import type { RollbackOutcome } from "./transaction.ts";

/**
 * One transaction of a migration: statements `start` to `end` (exclusive) and the fingerprint
 * the schema must have before that part commits (the last part: the plan's target).
 */
export interface Part {
  /** 0-based index. */
  index: number;
  /** First statement index. */
  start: number;
  /** Statement index after the last. */
  end: number;
  /** Fingerprint required before COMMIT. */
  fingerprint: string;
}

/** Split a migration at its commit boundaries. */
export function partsOf(m: Migration): Part[] {
  const out: Part[] = [];
  let start = 0;
  for (const c of m.commits) {
    out.push({ index: out.length, start, end: c.after, fingerprint: c.fingerprint });
    start = c.after;
  }
  out.push({ index: out.length, start, end: m.units.length, fingerprint: m.header.to });
  return out;
}

/** Does the data section run in this part? (At a boundary it runs after the commit.) */
export function dataIn(m: Migration, parts: Part[], p: Part): boolean {
  const last = p.index === parts.length - 1;
  return m.dataStatements.length > 0 && p.start <= m.dataBefore && (m.dataBefore < p.end || last);
}

/** "statements 3-7 and the data section" */
export function partWords(m: Migration, parts: Part[], p: Part): string {
  const span = p.end - p.start === 1
    ? `statement ${p.start + 1}`
    : p.end > p.start
    ? `statements ${p.start + 1}-${p.end}`
    : "";
  const data = dataIn(m, parts, p) ? "the data section" : "";
  return [span, data].filter(Boolean).join(" and ") || "no statements";
}

/** How a rollback that was checked, or could not be, is told. */
export interface Rolled {
  /** What the server confirmed (or why it could not). */
  outcome: RollbackOutcome;
  /** Sequences whose position moved while apply ran (`public.s 5 → 7`); undefined when not read. */
  moved?: string[];
}

/** Sequence positions are never rolled back: name the ones that moved while apply ran. */
function sequenceNote(r: Rolled): string {
  if (!r.moved?.length) return "";
  return ` Sequence positions moved while apply ran and stay moved (PostgreSQL never rolls back nextval): ${
    r.moved.join(", ")
  }.`;
}

/** The sentence for a rollback that could not be confirmed: what is known, and nothing more. */
export function unverified(reason: string, file: string | undefined): string {
  return `pgconverge could not confirm the rollback: ${reason}. It cannot say what state the database is in: ` +
    `statements that ran before that point may be committed. Compare the database with the plan (` +
    `pgconverge drift --schema …, or apply ${file ?? "the migration"} again: it refuses or finishes it).`;
}

/**
 * What a failure in part `p` leaves behind: the database as before (checked), the parts before it
 * committed (checked), or what could not be checked.
 */
export function leftBehind(m: Migration, parts: Part[], p: Part, file: string | undefined, r: Rolled): string {
  if (!r.outcome.verified) return unverified(r.outcome.reason, file);
  if (p.index === 0) {
    return r.moved?.length
      ? `Rolled back: the database is exactly as before, sequence positions aside.${sequenceNote(r)}`
      : "Rolled back: the database is exactly as before.";
  }
  const before = p.index === 1
    ? `part 1 (${p.start === 1 ? "statement 1" : `statements 1-${p.start}`}) stays`
    : `parts 1-${p.index} (statements 1-${p.start}) stay`;
  const again = file
    ? `Apply ${file} again once the cause is fixed: it checks the database is exactly at that point and goes on ` +
      `with part ${p.index + 1}. Or plan again: the new plan starts from the database as it is now.`
    : "Plan again once the cause is fixed: the new plan starts from the database as it is now.";
  return `Rolled back part ${p.index + 1} of ${parts.length} (${partWords(m, parts, p)}); ${before} committed, so ` +
    `the database is between the planned states.${sequenceNote(r)} ${again}`;
}

/**
 * Which part to run, judging by the live fingerprint: the first (live is where the plan started),
 * the one after a committed boundary (an earlier run stopped there), or none (already converged).
 */
export function startingPart(m: Migration, parts: Part[], live: string): number | "already" | undefined {
  if (live === m.header.from) return 0;
  const work = (p: Part) => p.end > p.start || dataIn(m, parts, p);
  for (let k = parts.length - 2; k >= 0; k--) if (live === parts[k].fingerprint && work(parts[k + 1])) return k + 1;
  if (live === m.header.to) return "already";
  for (let k = parts.length - 2; k >= 0; k--) if (live === parts[k].fingerprint) return k + 1;
  return undefined;
}
