/** Identity column options (START, INCREMENT, …) → `ALTER COLUMN … SET …` clauses. @module */
import { changedSequenceClauses, defaultSequenceOptions, identityClauses } from "../model/sequence_options.ts";
import type { ColumnObject, SequenceOptions } from "../model/snapshot.ts";

/** The options an identity column has, defaults filled in for its type when not read. */
function optionsOf(c: ColumnObject, type: string): SequenceOptions {
  return c.identityOptions ?? defaultSequenceOptions(type);
}

/**
 * `SET START WITH 10 SET INCREMENT BY 2 …` turning `from`'s identity options into `to`'s, or ""
 * when nothing changes. A type change moves limits that were the old type's defaults to the new
 * type's defaults (PostgreSQL does that itself), so those are not set again.
 */
export function identityOptionChanges(from: ColumnObject, to: ColumnObject, toType: string): string {
  const target = optionsOf(to, toType);
  const live = optionsOf(from, from.identityOptions?.type ?? toType);
  const oldDefaults = defaultSequenceOptions(live.type, live.increment);
  const newDefaults = defaultSequenceOptions(target.type, live.increment);
  const afterTypeChange: SequenceOptions = { ...live, type: target.type };
  for (const k of ["min", "max", "start"] as const) {
    if (live[k] === oldDefaults[k]) afterTypeChange[k] = newDefaults[k];
  }
  return changedSequenceClauses(afterTypeChange, target).map((c) => `SET ${c}`).join(" ");
}

/** ` (START WITH 10 …)` for an identity being added, or "" with default options. */
export function identityOptionsSuffix(c: ColumnObject): string {
  const opts = c.identityOptions ? identityClauses(c.identityOptions) : "";
  return opts ? ` (${opts})` : "";
}
