/** Small builders shared by the change → statement rules. @module */
import type { ChangeOp } from "../diff/change.ts";
import { PgcError } from "../model/errors.ts";
import { qualify } from "../model/quote.ts";
import type { Step } from "./step.ts";

/** `ALTER TABLE schema.table`. */
export function alterTable(c: { schema: string; table: string }): string {
  return `ALTER TABLE ${qualify(c.schema, c.table)}`;
}

/** Refuse a change pgconverge cannot write correctly yet (never write a wrong statement instead). */
export function unsupported(message: string): never {
  throw new PgcError("unsupported", message, {
    hint: "Write this change by hand in a migration, apply it, then plan again.",
  });
}

/** A step with no hazards, not destructive. */
export function step(id: string, op: ChangeOp, phase: Step["phase"], rank: number, sql: string, reason: string): Step {
  return { id, op, phase, rank, sql, reason, hazards: [], destructive: false };
}
