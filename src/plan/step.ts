/** A planned statement with its phase, reason, hazards and data check. @module */
import type { ChangeOp } from "../diff/change.ts";

/**
 * Phases of a migration, in execution order: new enum labels (`early`: committed on their own,
 * since PostgreSQL refuses a label in the transaction that adds it), drops (reverse dependency
 * order), creations and alterations that data migrations may need, the data slot, then
 * everything that validates data.
 */
export type Phase = "early" | "drop" | "pre" | "post";

/** Hazard kinds a reviewer must see. */
export type HazardKind =
  | "data_loss"
  | "table_rewrite"
  | "validation_scan"
  | "blocks_writes"
  | "rows_violate"
  | "access_loss"
  | "security";

/** One hazard of a statement. */
export interface Hazard {
  /** Kind of hazard. */
  kind: HazardKind;
  /** Plain explanation. */
  message: string;
}

/** A read-only query counting live rows that the statement would reject. */
export interface Preflight {
  /** What the count means: "rows of public.t break the new CHECK usage_events_kind_check". */
  what: string;
  /** The same for one row: "row of public.t breaks the new CHECK usage_events_kind_check". */
  one: string;
  /** `SELECT count(*)::bigint AS n …` against the live database. */
  sql: string;
  /** Table the rows live in (qualified, for messages). */
  table: string;
  /** Ids of the tables and columns the query reads: all must be live, or it is not run. */
  reads: string[];
}

/** One statement of a plan. */
export interface Step {
  /** Id of the object the statement acts on. */
  id: string;
  /** The change it comes from. */
  op: ChangeOp;
  /** Execution phase. */
  phase: Phase;
  /** Rank within the phase (smaller first); ties are broken by id. */
  rank: number;
  /** One SQL statement, ending with a semicolon. */
  sql: string;
  /** Why the statement exists, in plain words. */
  reason: string;
  /** The live definition, when something changes. */
  was?: string;
  /** The desired definition, when something changes. */
  now?: string;
  /** Hazards a reviewer must see. */
  hazards: Hazard[];
  /** True when the statement can lose data; refused unless destructive changes are allowed. */
  destructive: boolean;
  /** Row count check to run against the live database at plan time. */
  preflight?: Preflight;
  /** The check's result, filled in by the caller that can reach the database. */
  preflightResult?: PreflightResult;
}

/** Outcome of a {@link Preflight} query. */
export interface PreflightResult {
  /** Rows counted. */
  rows?: number;
  /** Why the count could not be made (e.g. the column is only added by this plan). */
  error?: string;
}
