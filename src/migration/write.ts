/**
 * Plan → migration `.sql` text: a header a reviewer reads first, one commented unit per
 * statement, the data section between the old rules going and the new rules coming, and the
 * expectations apply verifies. Deterministic except for the `planned:` timestamp.
 * @module
 */
import type { Plan } from "../plan/plan.ts";
import { scopeIsEmpty, scopeToText } from "../model/access.ts";
import type { Step } from "../plan/step.ts";
import {
  COMMIT,
  countedRows,
  DATA_CLOSE,
  DATA_OPEN,
  type DatabaseIdentity,
  databaseLine,
  END,
  FORMAT,
  MAGIC,
  migrationChecksum,
  type MigrationHeader,
  type MigrationUnit,
} from "./format.ts";

/** Options for {@link writeMigration}. */
export interface WriteOptions {
  /** Destructive statements were allowed (recorded in the header; apply needs no flag then). */
  allowDestructive: boolean;
  /** Timestamp for the header (ISO 8601); omitted when undefined, for golden files. */
  plannedAt?: string;
  /** Where the plan came from, for the header (`schema.yaml` → `postgres://…`). */
  source?: string;
  /** The database planned from (the `database:` header line; apply words a refusal with it). */
  database?: DatabaseIdentity;
}

function commentLines(prefix: string, text: string): string[] {
  return text.split("\n").map((l) => `-- ${prefix}${l}`);
}

/** One line per preflight result, for the summary and the data section. */
export function preflightNotes(steps: Step[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const r = s.preflightResult;
    if (!s.preflight || !r) continue;
    if (r.rows !== undefined && r.rows > 0) out.push(`${countedRows(r.rows, s.preflight.what)}.`);
    else if (r.error) out.push(`could not count ${s.preflight.what}: ${r.error}`);
  }
  return out;
}

/** Render a plan as migration text. */
export async function writeMigration(plan: Plan, opts: WriteOptions): Promise<string> {
  const header: MigrationHeader = {
    from: plan.from,
    to: plan.to,
    schemas: plan.schemas,
    allowDestructive: opts.allowDestructive,
    ...(scopeIsEmpty(plan.manages) ? {} : { manages: plan.manages }),
  };
  const units: MigrationUnit[] = plan.steps.map((s, i) => ({
    n: i + 1,
    phase: s.phase,
    id: s.id,
    sql: s.sql,
    destructive: s.destructive,
    // A count only travels when it fits on a comment line (a CHECK with a multi-line literal does not).
    ...(s.preflight && !/\n/.test(s.preflight.sql + s.preflight.what)
      ? { count: { what: s.preflight.what, sql: s.preflight.sql } }
      : {}),
  }));
  const out: string[] = [
    MAGIC,
    "-- Review this file. Write data fixes under the [data] line; edit nothing else.",
    "-- Apply it with: pgconverge apply <this file> --db URL",
    "--",
    `-- format: ${FORMAT}`,
  ];
  if (opts.plannedAt) out.push(`-- planned: ${opts.plannedAt}`);
  if (opts.source) out.push(`-- source: ${opts.source}`);
  if (opts.database) out.push(`-- database: ${databaseLine(opts.database)}`);
  out.push(
    `-- from: ${header.from}`,
    `-- to: ${header.to}`,
    `-- schemas: ${header.schemas.join(", ")}`,
    ...(header.manages ? [`-- manages: ${scopeToText(header.manages)}`] : []),
    `-- allow-destructive: ${header.allowDestructive ? "yes" : "no"}`,
    `-- statements: ${units.length}`,
  );
  const hazards = plan.steps.flatMap((s) => s.hazards.map((h) => `[${h.kind}] ${h.message}`));
  const notes = preflightNotes(plan.steps);
  if (hazards.length || notes.length) {
    out.push("--", "-- Summary");
    for (const n of notes) out.push(`--   preflight: ${n}`);
    for (const h of [...new Set(hazards)]) out.push(`--   hazard: ${h}`);
  }
  out.push("");
  let dataWritten = false;
  const writeData = () => {
    dataWritten = true;
    out.push(
      // The closing marker's text appears on the closing line only.
      `${DATA_OPEN} Data migration: statements written below, up to the closing marker line, run after the`,
      "-- old constraints are dropped and before the new ones are added, in the same transaction. They may",
      "-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.",
      ...notes.map((n) => `-- preflight: ${n}`),
      "",
      DATA_CLOSE,
      "",
    );
  };
  for (const [i, s] of plan.steps.entries()) {
    if (!dataWritten && s.phase === "post") writeData();
    const u = units[i];
    out.push(`-- [${u.n}/${units.length}] ${s.phase}: ${s.op} ${s.id}${s.destructive ? " (destructive)" : ""}`);
    out.push(`-- reason: ${s.reason}`);
    if (s.was !== undefined) out.push(...commentLines("was: ", s.was));
    if (s.now !== undefined) out.push(...commentLines("now: ", s.now));
    for (const h of s.hazards) out.push(`-- hazard [${h.kind}]: ${h.message}`);
    if (u.count) out.push(`-- count: ${u.count.what}`, `-- count-sql: ${u.count.sql}`);
    out.push(s.sql, "");
    const commit = (plan.commits ?? []).find((c) => c.after === i + 1);
    if (commit) {
      out.push(
        `${COMMIT} ${commit.fingerprint}`,
        `-- ${
          commit.after === 1 ? "Statement 1 is" : `Statements 1-${commit.after} are`
        } committed here, once the schema is verified to have the fingerprint`,
        "-- above: PostgreSQL refuses a new enum label in the transaction that adds it. What follows runs in",
        "-- its own transaction. If it fails, this part stays committed: apply this file again to go on from",
        "-- here, or plan again from the database as it then is.",
        "",
      );
    }
  }
  if (!dataWritten && plan.steps.length > 0) writeData();
  for (const e of plan.expects) out.push(`-- expect: ${e.id} ${e.hash}`);
  out.push(`-- checksum: ${await migrationChecksum(header, units, plan.expects, plan.commits)}`, END, "");
  return out.join("\n");
}
