/** Human-readable and JSON renderings of a plan, for the terminal. @module */
import type { ChangeOp } from "../diff/change.ts";
import type { Plan } from "../plan/plan.ts";
import { countSentence } from "../plan/preflight_sql.ts";
import type { Step } from "../plan/step.ts";

/** What a statement's operation does to its object: + creates or adds, ~ changes, - drops. */
const SIGN: Record<ChangeOp, "+" | "~" | "-"> = {
  create_schema: "+",
  create_enum: "+",
  create_table: "+",
  create_index: "+",
  create_view: "+",
  create_function: "+",
  create_trigger: "+",
  create_policy: "+",
  create_domain: "+",
  create_sequence: "+",
  create_extension: "+",
  create_role: "+",
  add_column: "+",
  add_constraint: "+",
  attach_partition: "+",
  grant: "+",
  alter_column: "~",
  alter_domain: "~",
  alter_enum: "~",
  alter_extension: "~",
  alter_function_execute: "~",
  alter_partition_bound: "~",
  alter_policy: "~",
  alter_rls: "~",
  alter_role: "~",
  alter_sequence: "~",
  alter_view_options: "~",
  replace_function: "~",
  replace_view: "~",
  recreate_enum: "~",
  rebuild_column: "~",
  rename: "~",
  rename_constraint: "~",
  rename_index: "~",
  rename_policy: "~",
  set_comment: "~",
  drop_schema: "-",
  drop_enum: "-",
  drop_table: "-",
  drop_column: "-",
  drop_constraint: "-",
  drop_index: "-",
  drop_view: "-",
  drop_function: "-",
  drop_trigger: "-",
  drop_policy: "-",
  drop_domain: "-",
  drop_sequence: "-",
  drop_comment: "-",
  revoke: "-",
};

/** The row counts of a plan as sentences ("1 row of public.t breaks …", "could not count …"). */
export function preflightSentences(steps: Step[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const r = s.preflightResult;
    if (!s.preflight || !r) continue;
    if (r.rows !== undefined && r.rows > 0) out.push(`${countSentence(r.rows, s.preflight)}.`);
    else if (r.error) out.push(`could not count ${s.preflight.what}: ${r.error}`);
  }
  return out;
}

const UNMANAGED_SHOWN = 20;

/** The objects pgconverge leaves alone, as lines for the terminal (empty when there are none). */
export function unmanagedText(plan: Plan): string[] {
  if (plan.unmanaged.length === 0) return [];
  const shown = plan.unmanaged.slice(0, UNMANAGED_SHOWN).map((u) => `  ${u}`);
  const more = plan.unmanaged.length - shown.length;
  return [
    `Not managed by pgconverge, left alone and not compared (${plan.unmanaged.length}):`,
    ...shown,
    ...(more > 0 ? [`  … and ${more} more (--format json lists them all)`] : []),
  ];
}

/** A short text summary of a plan: one line per statement, was/now for changes, preflight counts. */
export function planText(plan: Plan, label: string): string {
  if (plan.steps.length === 0) {
    return [`No changes: ${label} already matches (fingerprint ${plan.to}).`, ...unmanagedText(plan)].join("\n");
  }
  const lines = [`${plan.steps.length} statement(s) to converge ${label}:`];
  for (const s of plan.steps) {
    const flag = s.destructive ? " [destructive]" : "";
    lines.push(
      `  ${SIGN[s.op]} ${s.op.replaceAll("_", " ")} ${s.id.slice(s.id.indexOf(":") + 1)}${flag}: ${s.reason}`,
    );
    if (s.was !== undefined && s.now !== undefined) {
      lines.push(`      was: ${s.was.split("\n").join("\n           ")}`);
      lines.push(`      now: ${s.now.split("\n").join("\n           ")}`);
    }
  }
  for (const c of plan.commits ?? []) {
    lines.push(
      `note: statements 1-${c.after} (new enum labels) commit on their own before the rest; apply goes on from there if a later part fails.`,
    );
  }
  const notes = preflightSentences(plan.steps);
  for (const n of notes) lines.push(`warning: ${n} Fix them in the migration's data section before applying.`);
  lines.push(...unmanagedText(plan));
  return lines.join("\n");
}

/** The plan as JSON (for `--format json`). */
export function planJson(plan: Plan): string {
  return JSON.stringify(
    {
      from: plan.from,
      to: plan.to,
      schemas: plan.schemas,
      changes: plan.steps.length,
      ...(plan.commits?.length ? { commits: plan.commits } : {}),
      unmanaged: plan.unmanaged,
      steps: plan.steps.map((s) => ({
        id: s.id,
        op: s.op,
        phase: s.phase,
        sql: s.sql,
        reason: s.reason,
        ...(s.was !== undefined ? { was: s.was } : {}),
        ...(s.now !== undefined ? { now: s.now } : {}),
        hazards: s.hazards,
        destructive: s.destructive,
        ...(s.preflightResult ? { preflight: { what: s.preflight?.what, ...s.preflightResult } } : {}),
      })),
    },
    null,
    2,
  );
}
