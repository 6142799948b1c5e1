/**
 * Benchmark results as plain-text tables, and the targets at 1,000 tables.
 * @module
 */
import type { StageReport } from "./stages.ts";
import type { FloorReport } from "./floor.ts";

/** Everything measured for one schema size. */
export interface SizeResult {
  /** Tables in the generated schema. */
  tables: number;
  /** Objects the generated file declares (for scale). */
  shape: { columns: number; constraints: number; indexes: number };
  /** `pgconverge migrate` of the empty database to the schema, ms (setup, not a target); absent when it failed. */
  migrateMs?: number;
  /** What went differently from the plan of the benchmark (e.g. migrate in steps). */
  note?: string;
  /** 1-minute load average before and after this size (other work on the machine skews wall times). */
  load: [number, number];
  /** Median `pg_dump --schema-only`, ms. */
  pgDumpMs: number;
  /** `plan` with an empty cache directory: PGlite runs initdb and writes its template. */
  coldFirst: PlanRun;
  /** `plan` with only the PGlite template in the cache directory. */
  coldTemplate: PlanRun;
  /** `plan` when neither side changed since the last run (median of the warm runs). */
  warm: PlanRun;
  /** Stage breakdown of a cold plan (template present), if it was measured. */
  stages?: StageReport;
  /** Stage breakdown of the warm plan that follows it (same cache directory). */
  warmStages?: StageReport;
  /** The least work a PostgreSQL-printed cold plan needs (scripts/bench/floor.ts), if measured. */
  floor?: FloorReport;
}

/** One kind of plan run: median wall time, and the highest peak RSS over its runs. */
export interface PlanRun {
  /** Median wall-clock ms. */
  ms: number;
  /** Highest peak RSS over the runs, MiB. */
  peakMb: number;
  /** Median user + system CPU ms. */
  cpuMs: number;
  /** Number of runs. */
  runs: number;
}

/** The targets, checked at 1,000 tables. */
export const TARGETS = { tables: 1000, coldRatio: 6, warmRatio: 2, peakMb: 600 } as const;

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join("  ");
}

/** Render rows as an aligned table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [pad(header, widths), rule, ...rows.map((r) => pad(r, widths))].join("\n");
}

const ms = (x: number) => x.toFixed(0);
const ratio = (x: number, base: number) => `${(x / base).toFixed(1)}×`;

/** The main table: one row per size. */
export function summaryTable(results: SizeResult[]): string {
  const header = [
    "tables",
    "pg_dump ms",
    "cold/first ms",
    "cold/tmpl ms",
    "warm ms",
    "first/dump",
    "tmpl/dump",
    "warm/dump",
    "peak first MB",
    "peak tmpl MB",
    "peak warm MB",
    "migrate ms",
    "load avg",
  ];
  const rows = results.map((r) => [
    String(r.tables),
    ms(r.pgDumpMs),
    ms(r.coldFirst.ms),
    ms(r.coldTemplate.ms),
    ms(r.warm.ms),
    ratio(r.coldFirst.ms, r.pgDumpMs),
    ratio(r.coldTemplate.ms, r.pgDumpMs),
    ratio(r.warm.ms, r.pgDumpMs),
    r.coldFirst.peakMb.toFixed(0),
    r.coldTemplate.peakMb.toFixed(0),
    r.warm.peakMb.toFixed(0),
    r.migrateMs === undefined ? "failed" : ms(r.migrateMs),
    `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`,
  ]);
  return table(header, rows);
}

/** CPU time (user + system) of the same runs: steadier than wall time when the machine is shared. */
export function cpuTable(results: SizeResult[]): string {
  const header = ["tables", "cpu first ms", "cpu tmpl ms", "cpu warm ms"];
  return table(
    header,
    results.map((r) => [String(r.tables), ms(r.coldFirst.cpuMs), ms(r.coldTemplate.cpuMs), ms(r.warm.cpuMs)]),
  );
}

/** PASS/FAIL lines for the targets, for the size they are defined at (if it was run). */
export function targetLines(results: SizeResult[]): string[] {
  const r = results.find((x) => x.tables === TARGETS.tables);
  if (!r) return [`targets are defined at ${TARGETS.tables} tables, which this run did not include`];
  const check = (ok: boolean, text: string) => `${ok ? "PASS" : "FAIL"}  ${text}`;
  const peak = Math.max(r.coldFirst.peakMb, r.coldTemplate.peakMb, r.warm.peakMb);
  return [
    check(
      r.coldFirst.ms <= TARGETS.coldRatio * r.pgDumpMs,
      `plan cold, first run ever ≤ ${TARGETS.coldRatio}× pg_dump: ${ratio(r.coldFirst.ms, r.pgDumpMs)}`,
    ),
    check(
      r.coldTemplate.ms <= TARGETS.coldRatio * r.pgDumpMs,
      `plan cold, template cached ≤ ${TARGETS.coldRatio}× pg_dump: ${ratio(r.coldTemplate.ms, r.pgDumpMs)}`,
    ),
    check(
      r.warm.ms <= TARGETS.warmRatio * r.pgDumpMs,
      `plan warm ≤ ${TARGETS.warmRatio}× pg_dump: ${ratio(r.warm.ms, r.pgDumpMs)}`,
    ),
    check(peak <= TARGETS.peakMb, `peak RSS ≤ ${TARGETS.peakMb} MB: ${peak.toFixed(0)} MB`),
  ];
}

/** The stage breakdown of every size side by side, for the cold or the warm stage run. */
export function stageTable(results: SizeResult[], which: "stages" | "warmStages"): string {
  const measured = results.flatMap((r) => r[which] ? [{ tables: r.tables, report: r[which]! }] : []);
  if (measured.length === 0) return "";
  const names = [...new Set(measured.flatMap((r) => r.report.stages.map((s) => s.name)))];
  const title = which === "stages" ? "stage (cold plan, template cached)" : "stage (warm plan)";
  const header = [title, ...measured.flatMap((r) => [`${r.tables} ms`, `${r.tables} %`, "VmHWM MB"])];
  const rows = names.map((name) => [
    name,
    ...measured.flatMap((r) => {
      const all = r.report.stages;
      const total = all.reduce((a, s) => a + s.ms, 0);
      const s = all.find((x) => x.name === name);
      return s ? [ms(s.ms), `${(100 * s.ms / total).toFixed(0)}%`, s.hwmMb.toFixed(0)] : ["", "", ""];
    }),
  ]);
  rows.push([
    "total (in-process, no process start-up)",
    ...measured.flatMap((r) => [ms(r.report.stages.reduce((a, s) => a + s.ms, 0)), "", ""]),
  ]);
  return table(header, rows);
}

/**
 * The floor of a cold plan per size: what parsing, booting PGlite and creating the bare tables
 * alone cost, as a ratio to pg_dump, next to loading every statement once.
 */
export function floorLines(results: SizeResult[]): string[] {
  return results.flatMap((r) => {
    const f = r.floor;
    if (!f) return [];
    const least = f.parseMs + f.bootMs + f.tablesMs;
    return [
      `floor at ${r.tables} tables (in-process): parse ${ms(f.parseMs)} + boot PGlite ${ms(f.bootMs)} + ` +
      `${f.statements.tables} bare CREATE TABLE ${ms(f.tablesMs)} = ${ms(least)} ms = ${
        ratio(least, r.pgDumpMs)
      } pg_dump, printed once; all ${f.statements.all} statements once: ${ms(f.allMs)} ms ` +
      `(${ratio(f.parseMs + f.bootMs + f.allMs, r.pgDumpMs)} with parse and boot)`,
    ];
  });
}
