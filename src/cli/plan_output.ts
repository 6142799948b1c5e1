/** Human-readable and JSON renderings of a plan, for the terminal. @module */
import type { Plan } from "../plan/plan.ts";
import { preflightNotes } from "../migration/write.ts";

const SIGN: Record<string, string> = { early: "~", drop: "-", pre: "~", post: "+" };

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
      `  ${SIGN[s.phase]} ${s.op.replaceAll("_", " ")} ${s.id.slice(s.id.indexOf(":") + 1)}${flag}: ${s.reason}`,
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
  const notes = preflightNotes(plan.steps);
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
