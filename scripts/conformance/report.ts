/** Summaries of a conformance run: per-source pass rates and a failure histogram. @module */
import type { CaseResult } from "./judge.ts";

/** Counts for one source. */
export interface SourceSummary {
  /** Source name. */
  source: string;
  /** Cases run. */
  total: number;
  /** Cases whose current.sql and desired.sql both load on the server. */
  loads: number;
  /** Cases that pass. */
  pass: number;
  /** Passing cases where neither database holds objects pgconverge does not manage. */
  clean: number;
  /** Passing cases whose `pg_dump --schema-only` of A and B also agree. */
  dumpEqual: number;
}

/** Per-source counts, sorted by source. */
export function summarize(results: CaseResult[]): SourceSummary[] {
  const by = new Map<string, SourceSummary>();
  for (const r of results) {
    const s = by.get(r.source) ?? { source: r.source, total: 0, loads: 0, pass: 0, clean: 0, dumpEqual: 0 };
    s.total++;
    if (r.status !== "does-not-load") s.loads++;
    if (r.status === "pass") s.pass++;
    if (r.status === "pass" && (r.unmanaged ?? []).length === 0) s.clean++;
    if (r.dumpEqual) s.dumpEqual++;
    by.set(r.source, s);
  }
  return [...by.values()].sort((a, b) => a.source < b.source ? -1 : 1);
}

/** Causes and how often they occur among results with the given status, most frequent first. */
export function histogram(results: CaseResult[], status: "fail" | "does-not-load"): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.status === status) counts.set(r.cause ?? "?", (counts.get(r.cause ?? "?") ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function pct(n: number, d: number): string {
  return d === 0 ? "-" : `${(100 * n / d).toFixed(1)}%`;
}

/** The printed report: one line per source, then the failure and does-not-load histograms. */
export function reportText(results: CaseResult[], dumped: boolean): string {
  const lines: string[] = [];
  const sums = summarize(results);
  const all: SourceSummary = sums.reduce(
    (t, s) => ({
      source: "all",
      total: t.total + s.total,
      loads: t.loads + s.loads,
      pass: t.pass + s.pass,
      clean: t.clean + s.clean,
      dumpEqual: t.dumpEqual + s.dumpEqual,
    }),
    { source: "all", total: 0, loads: 0, pass: 0, clean: 0, dumpEqual: 0 },
  );
  lines.push(
    "source            total  loads   pass  pass/loads  pass+nothing-unmanaged" + (dumped ? "  pass+dump-equal" : ""),
  );
  for (const s of [...sums, all]) {
    lines.push(
      `${s.source.padEnd(16)} ${String(s.total).padStart(6)} ${String(s.loads).padStart(6)} ${
        String(s.pass).padStart(6)
      }  ${pct(s.pass, s.loads).padStart(10)}  ${String(s.clean).padStart(22)}` +
        (dumped ? `  ${String(s.dumpEqual).padStart(15)}` : ""),
    );
  }
  for (const [title, status] of [["Failures by cause", "fail"], ["Does not load", "does-not-load"]] as const) {
    const h = histogram(results, status);
    if (h.length === 0) continue;
    lines.push("", `${title}:`);
    for (const [cause, n] of h) lines.push(`${String(n).padStart(5)}  ${cause}`);
  }
  return lines.join("\n");
}
