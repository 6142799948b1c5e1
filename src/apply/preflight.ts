/** Run a plan's row-count checks against the live database (read-only). @module */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import type { Step } from "../plan/step.ts";

/** Fill in `preflightResult` of every step that has a check. A failed count is recorded, not thrown. */
export async function runPreflight(db: Queryable, steps: Step[]): Promise<void> {
  for (const s of steps) {
    if (!s.preflight) continue;
    try {
      const [row] = await db.query<{ n: unknown }>(s.preflight.sql);
      s.preflightResult = { rows: Number(row.n) };
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      s.preflightResult = { error: e.message };
    }
  }
}
