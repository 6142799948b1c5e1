/**
 * Sequence positions are the one thing a rollback does not give back (`nextval` is never rolled
 * back). Apply reads them before a transaction's first statement and again after a rollback, so
 * "exactly as before" is said only when it holds, and the sequences that moved are named.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";

/** `schema.sequence` → its last value (null: never used). */
export type SequencePositions = Map<string, string | null>;

const POSITIONS = `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS value
  FROM pg_sequences ORDER BY 1`;

/** The position of every sequence the session can read (undefined when they cannot be read). */
export async function sequencePositions(db: Queryable): Promise<SequencePositions | undefined> {
  try {
    const rows = await db.query<{ name: string; value: string | null }>(POSITIONS);
    return new Map(rows.map((r) => [r.name, r.value]));
  } catch {
    return undefined;
  }
}

/** Sequences that existed before and moved since: `public.t_id_seq 5 → 7`. */
export function movedSequences(before: SequencePositions, after: SequencePositions): string[] {
  const out: string[] = [];
  for (const [name, was] of before) {
    const now = after.get(name);
    if (after.has(name) && now !== was) out.push(`${name} ${was ?? "unused"} → ${now ?? "unused"}`);
  }
  return out;
}
