/**
 * Plan: order the statements of a diff into phases, attach hazards and data checks, and record
 * the fingerprints the database must have before (`from`) and after (`to`).
 * @module
 */
import type { Change } from "../diff/change.ts";
import { diff } from "../diff/diff.ts";
import type { Rename } from "../model/ddl.ts";
import { fingerprint, objectHash } from "../model/fingerprint.ts";
import { compareIds, type ManagedScope, type Snapshot } from "../model/snapshot.ts";
import { ensureSqlParser } from "../model/sql_parser.ts";
import type { Step } from "./step.ts";
import { orderSteps } from "./order.ts";
import { stepsFor } from "./steps.ts";
import { labelsBeforeRenames } from "./enum_steps.ts";

/** What one object must look like after apply: its hash, or absent. */
export interface Expectation {
  /** Object id. */
  id: string;
  /** `objectHash` of the target object, or `absent` when it must not exist. */
  hash: string;
}

/**
 * A commit boundary: the statements before it are committed on their own, once the schema is
 * verified to have this fingerprint (new enum labels, which PostgreSQL refuses to use in the
 * transaction that adds them).
 */
export interface CommitPoint {
  /** How many statements (from the first) the committed part holds. */
  after: number;
  /** Fingerprint the schema has once they ran. */
  fingerprint: string;
}

/** A reviewed-before-applied migration plan. */
export interface Plan {
  /** Statements in execution order; the data slot sits between the `pre` and `post` phases. */
  steps: Step[];
  /** Fingerprint of the live schema the plan was made from. */
  from: string;
  /** Fingerprint the schema must have after apply. */
  to: string;
  /** Per-object expectations for every object the plan touches (to say exactly what differs). */
  expects: Expectation[];
  /** Schemas the plan manages. */
  schemas: string[];
  /** The snapshot apply must reach (not written to the file; the fingerprint stands for it). */
  target: Snapshot;
  /** Objects in the managed schemas, on either side, that pgconverge does not manage (left alone). */
  unmanaged: string[];
  /** Roles, extensions and grants the plan manages (apply reads the live database within it). */
  manages?: ManagedScope;
  /** Commit boundaries inside the migration, in order (absent or empty: one transaction). */
  commits?: CommitPoint[];
}

/** Renames to run first, and the live schema as it looks after them. */
export interface RenameInput {
  /** Applicable renames, in order. */
  renames: Rename[];
  /** The live snapshot after the renames (canonicalised in the shadow). */
  renamed: Snapshot;
}

/**
 * Plan the migration from a live snapshot to a desired one (both canonical, same schemas).
 * With renames, they run first and the rest is diffed against the renamed live schema.
 */
export async function buildPlan(from: Snapshot, to: Snapshot, renames?: RenameInput): Promise<Plan> {
  const { changes, target } = diff(renames?.renamed ?? from, to);
  const renameChanges: Change[] = (renames?.renames ?? []).map((rename) => ({ op: "rename", rename }));
  // New labels are added before the label renames run: they name the labels as they are live.
  for (const ch of changes) {
    const live = from.objects.get(ch.op === "alter_enum" ? ch.from.id : "");
    if (ch.op === "alter_enum" && live?.kind === "enum" && renames) ch.original = live;
  }
  // CHECK expressions and key definitions of the row counts are read by PostgreSQL's parser.
  if (changes.some((ch) => ch.op === "add_constraint" && !ch.tableIsNew)) await ensureSqlParser();
  const steps = orderSteps([...renameChanges, ...changes].flatMap(stepsFor), { from: renames?.renamed ?? from, to });
  for (const s of steps) {
    // A count over a column or table the plan only creates (or renames) could only fail: none is run.
    if (s.preflight?.reads.some((id) => !from.objects.has(id))) delete s.preflight;
  }
  const ids = [...new Set(steps.map((s) => s.id))].sort(compareIds);
  const expects: Expectation[] = [];
  for (const id of ids) {
    const o = target.objects.get(id);
    expects.push({ id, hash: o ? await objectHash(o) : "absent" });
  }
  return {
    steps,
    from: await fingerprint(from),
    to: await fingerprint(target),
    expects,
    schemas: to.schemas,
    target,
    unmanaged: [...new Set([...(from.unmanaged ?? []), ...(to.unmanaged ?? [])])].sort(),
    ...(to.manages ?? from.manages ? { manages: (to.manages ?? from.manages)! } : {}),
    ...(await enumCommit(from, changes, steps)),
  };
}

/**
 * The commit boundary after the early phase (new enum labels), with the fingerprint the live
 * schema has once they are added: the live one with those types' labels as the additions leave them.
 */
async function enumCommit(from: Snapshot, changes: Change[], steps: Step[]): Promise<{ commits?: CommitPoint[] }> {
  const early = steps.filter((s) => s.phase === "early").length;
  if (early === 0) return {};
  const objects = new Map(from.objects);
  for (const ch of changes) {
    if (ch.op !== "alter_enum") continue;
    const live = ch.original ?? ch.from;
    objects.set(live.id, { ...live, values: labelsBeforeRenames(ch.from, ch.to, ch.original) });
  }
  return { commits: [{ after: early, fingerprint: await fingerprint({ ...from, objects }) }] };
}
