/**
 * Sequence parameters as SQL clauses: in full for a standalone sequence, and only where they
 * differ from PostgreSQL's defaults for an identity column (so an identity column with default
 * options prints as before).
 * @module
 */
import type { SequenceOptions } from "./snapshot.ts";

const TYPE_RANGE: Record<string, [string, string]> = {
  smallint: ["-32768", "32767"],
  integer: ["-2147483648", "2147483647"],
  bigint: ["-9223372036854775808", "9223372036854775807"],
};

/** PostgreSQL's default parameters for a sequence of `type` (and the given increment). */
export function defaultSequenceOptions(type: string, increment = "1"): SequenceOptions {
  const [low, high] = TYPE_RANGE[type] ?? TYPE_RANGE.bigint;
  const up = !increment.startsWith("-");
  const min = up ? "1" : low;
  const max = up ? high : "-1";
  return { type, start: up ? min : max, increment, min, max, cache: "1", cycle: false };
}

/** The clause setting one parameter (`START WITH 10`, `NO CYCLE`). */
function clause(key: keyof SequenceOptions, o: SequenceOptions): string {
  switch (key) {
    case "type":
      return `AS ${o.type}`;
    case "start":
      return `START WITH ${o.start}`;
    case "increment":
      return `INCREMENT BY ${o.increment}`;
    case "min":
      return `MINVALUE ${o.min}`;
    case "max":
      return `MAXVALUE ${o.max}`;
    case "cache":
      return `CACHE ${o.cache}`;
    case "cycle":
      return o.cycle ? "CYCLE" : "NO CYCLE";
  }
}

const ORDER: Array<keyof SequenceOptions> = ["type", "increment", "min", "max", "start", "cache", "cycle"];

/** Every parameter, in `CREATE SEQUENCE` order: `AS bigint INCREMENT BY 1 MINVALUE 1 …`. */
export function sequenceClauses(o: SequenceOptions): string {
  return ORDER.map((k) => clause(k, o)).join(" ");
}

/** The parameters of `o` that differ from `base` (the type excluded), in order. */
export function changedSequenceClauses(base: SequenceOptions, o: SequenceOptions): string[] {
  return ORDER.filter((k) => k !== "type" && base[k] !== o[k]).map((k) => clause(k, o));
}

/** An identity column's parameters that differ from the defaults of its type, or "" when none do. */
export function identityClauses(o: SequenceOptions): string {
  return changedSequenceClauses(defaultSequenceOptions(o.type, o.increment), o).join(" ");
}
