/**
 * Plan a test database to a desired `.sql`, apply, and check that planning again is empty: the
 * end-to-end loop of the integration tests.
 */
import assert from "node:assert/strict";
import { cli, tempFile } from "./cli.ts";
import type { TestDb } from "./db.ts";

/** One planned statement, as `plan --format json` prints it. */
export interface PlannedStep {
  /** The change it comes from. */
  op: string;
  /** The statement. */
  sql: string;
  /** Its phase. */
  phase: string;
}

/** The steps of the plan from the database to `to` (a file path), destructive changes allowed. */
export async function planSteps(db: TestDb, to: string): Promise<PlannedStep[]> {
  const r = await cli(["plan", "--from", db.url, "--to", to, "--allow-destructive", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).steps as PlannedStep[];
}

/** Plan the database → `desired` (SQL text), apply it, check zero churn, return the statements it ran. */
export async function converge(db: TestDb, desired: string): Promise<string[]> {
  const to = await tempFile("desired.sql", desired);
  const file = to.replace(/desired\.sql$/, "migration.sql");
  const planned = await cli(["plan", "--from", db.url, "--to", to, "--allow-destructive", "-o", file]);
  assert.equal(planned.code, 0, planned.stderr);
  const steps = await planSteps(db, to);
  const applied = await cli(["apply", file, "--db", db.url]);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const again = await planSteps(db, to);
  assert.deepEqual(again.map((s) => s.sql), [], "planning again after apply gives nothing");
  return steps.map((s) => s.sql);
}

/** Plan the database → `desired` and return the CLI result (for refusals); destructive changes allowed unless told. */
export async function planOnly(
  db: TestDb,
  desired: string,
  allowDestructive = true,
): Promise<{ code: number; stderr: string }> {
  const to = await tempFile("desired.sql", desired);
  const r = await cli(["plan", "--from", db.url, "--to", to, ...(allowDestructive ? ["--allow-destructive"] : [])]);
  return { code: r.code, stderr: r.stderr };
}
