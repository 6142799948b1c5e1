/**
 * Summaries of a conformance run: per-source pass rates by the strict judge (pg_dump equality and
 * an empty second plan) and by the old one (canonical snapshot equality), then the strict
 * failures grouped by cause, each with a short diff of its first differing statements.
 * @module
 */
import type { CaseResult } from "./judge.ts";

/** Counts for one source. */
export interface SourceSummary {
  /** Source name. */
  source: string;
  /** Cases run. */
  total: number;
  /** Cases whose current.sql and desired.sql both load on the server. */
  loads: number;
  /** Cases that pass the strict judge. */
  pass: number;
  /** Cases that pass the old judge (canonical snapshots equal, second plan empty). */
  snapshotPass: number;
  /** Strict passes where neither database holds objects pgconverge does not manage. */
  clean: number;
}

/** Per-source counts, sorted by source. */
export function summarize(results: CaseResult[]): SourceSummary[] {
  const by = new Map<string, SourceSummary>();
  for (const r of results) {
    const s = by.get(r.source) ?? { source: r.source, total: 0, loads: 0, pass: 0, snapshotPass: 0, clean: 0 };
    s.total++;
    if (r.status !== "does-not-load") s.loads++;
    if (r.status === "pass") s.pass++;
    if (r.snapshotPass) s.snapshotPass++;
    if (r.status === "pass" && (r.unmanaged ?? []).length === 0) s.clean++;
    by.set(r.source, s);
  }
  return [...by.values()].sort((a, b) => a.source < b.source ? -1 : 1);
}

function countBy(keys: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Causes and how often they occur among results with the given status, most frequent first. */
export function histogram(results: CaseResult[], status: "fail" | "does-not-load"): Array<[string, number]> {
  return countBy(results.filter((r) => r.status === status).map((r) => r.cause ?? "?"));
}

/**
 * The strict failures grouped by cause. A case whose dumps differ in several objects is put
 * under the difference most failing cases share, so one cause gathers all the cases it breaks;
 * other failures (an error while planning or applying, a non-empty second plan) by their cause.
 */
export function groupFailures(results: CaseResult[]): Array<[string, CaseResult[]]> {
  const failed = results.filter((r) => r.status === "fail");
  const often = new Map(countBy(failed.flatMap((r) => r.dumpCauses ?? [])));
  // The most frequent label; among equals the object itself (CREATE …) over its comment or owner.
  const better = (x: string, y: string) =>
    often.get(x)! !== often.get(y)!
      ? often.get(x)! > often.get(y)!
      : x.startsWith("CREATE") !== y.startsWith("CREATE")
      ? x.startsWith("CREATE")
      : x < y;
  const groups = new Map<string, CaseResult[]>();
  for (const r of failed) {
    const labels = r.dumpCauses ?? [];
    const key = labels.length === 0 ? r.cause ?? "?" : `dump differs: ${labels.reduce((x, y) => better(x, y) ? x : y)}`;
    groups.set(key, [...groups.get(key) ?? [], r]);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}

function pct(n: number, d: number): string {
  return d === 0 ? "-" : `${(100 * n / d).toFixed(1)}%`;
}

function clip(s: string, width = 160): string {
  const one = s.replace(/\s*\n\s*/g, " ");
  return one.length > width ? one.slice(0, width - 1) + "…" : one;
}

/** What to show under a failing case: its dump diff, else the first lines of its detail. */
function caseLines(r: CaseResult): string[] {
  const lines = r.dumpDiff ??
    (r.detail ?? "").split("\n").filter((l) => l.trim() !== "").slice(0, 3).map((l) => clip(l));
  const notes: string[] = [];
  if (r.snapshotPass) notes.push("passes the old judge");
  if ((r.replan ?? []).length > 0 && r.dumpCauses) notes.push(`second plan not empty (${r.replan!.length})`);
  const more = (r.dumpCauses ?? []).length > 1 ? `; also: ${r.dumpCauses!.slice(1).join("; ")}` : "";
  return [
    `${r.id}${notes.length > 0 ? `  [${notes.join(", ")}]` : ""}${clip(more, 200)}`,
    ...lines.map((l) => `  ${l}`),
  ];
}

/** The printed report: rates per source under both judges, strict failures by cause, load errors. */
export function reportText(results: CaseResult[]): string {
  const lines: string[] = [];
  const sums = summarize(results);
  const all: SourceSummary = sums.reduce(
    (t, s) => ({
      source: "all",
      total: t.total + s.total,
      loads: t.loads + s.loads,
      pass: t.pass + s.pass,
      snapshotPass: t.snapshotPass + s.snapshotPass,
      clean: t.clean + s.clean,
    }),
    { source: "all", total: 0, loads: 0, pass: 0, snapshotPass: 0, clean: 0 },
  );
  lines.push(
    "Strict judge: normalised pg_dump --schema-only of A and B equal, and a second plan empty.",
    "Old judge:    pgconverge's canonical snapshot of A equals B's, and a second plan empty.",
    "",
    "source            total  loads   strict pass   old pass   strict pass, nothing unmanaged",
  );
  for (const s of [...sums, all]) {
    const strict = `${s.pass} ${pct(s.pass, s.loads).padStart(6)}`;
    const old = `${s.snapshotPass} ${pct(s.snapshotPass, s.loads).padStart(6)}`;
    lines.push(
      `${s.source.padEnd(16)} ${String(s.total).padStart(6)} ${String(s.loads).padStart(6)}  ${strict.padStart(12)}  ${
        old.padStart(10)
      }   ${String(s.clean).padStart(6)}`,
    );
  }
  const oldOnly = results.filter((r) => r.snapshotPass && r.status !== "pass").length;
  const strictOnly = results.filter((r) => !r.snapshotPass && r.status === "pass").length;
  lines.push(
    `(rates of cases that load; ${oldOnly} case(s) pass only the old judge, ${strictOnly} only the strict one)`,
  );

  const differences = countBy(results.flatMap((r) => r.status === "fail" ? r.dumpCauses ?? [] : []));
  if (differences.length > 0) {
    lines.push("", "Dump differences of failing cases (a case counts once under each difference it shows):");
    for (const [label, n] of differences) lines.push(`${String(n).padStart(5)}  ${label}`);
  }
  const groups = groupFailures(results);
  if (groups.length > 0) {
    lines.push(
      "",
      `Strict failures by cause (${
        groups.reduce((n, g) => n + g[1].length, 0)
      }; A = migrated, B = desired.sql loaded; missing = in B, not in A; left over = in A, not in B):`,
    );
    for (const [cause, rs] of groups) lines.push(`${String(rs.length).padStart(5)}  ${cause}`);
    for (const [cause, rs] of groups) {
      lines.push("", `== ${cause} (${rs.length})`);
      for (const r of rs) lines.push(...caseLines(r).map((l) => `  ${l}`));
    }
  }
  const h = histogram(results, "does-not-load");
  if (h.length > 0) {
    lines.push("", "Does not load:");
    for (const [cause, n] of h) lines.push(`${String(n).padStart(5)}  ${cause}`);
  }
  return lines.join("\n");
}
