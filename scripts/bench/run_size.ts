/**
 * Benchmark one schema size end to end: generate, create a database, migrate it to the schema,
 * then time pg_dump and `plan` (first run ever, cold with template, warm) as subprocesses, and
 * the stage breakdown. The database is dropped whatever happens.
 * @module
 */
import { generateSchema } from "./generate.ts";
import { measure, type Measured, median } from "./measure.ts";
import type { PlanRun, SizeResult } from "./report.ts";
import { type BenchDb, createBenchDb, dropBenchDb, recreateBenchDb, timePgDump } from "./server.ts";
import type { StageReport } from "./stages.ts";
import type { FloorReport } from "./floor.ts";

/** Settings shared by every size. */
export interface SizeOptions {
  /** Repository root (where mod.ts is). */
  root: string;
  /** Scratch directory for this benchmark run. */
  work: string;
  /** Generator seed. */
  seed: number;
  /** pg_dump runs (median). */
  dumpRuns: number;
  /** Cold-with-template runs (each in a fresh cache dir) and warm runs (median each). */
  planRuns: number;
  /** Also measure the stage breakdown. */
  stages: boolean;
  /** Progress messages. */
  log: (line: string) => void;
}

/** The PGlite template file name (src/db/pglite.ts); copying only it gives "cold with template". */
export const TEMPLATE_FILE = "pglite-0.5.16-template.tar.gz";

const DENO = Deno.execPath();

async function freshCache(work: string, withTemplateFrom?: string): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: work, prefix: "cache_" });
  if (withTemplateFrom) await Deno.copyFile(`${withTemplateFrom}/${TEMPLATE_FILE}`, `${dir}/${TEMPLATE_FILE}`);
  return dir;
}

/** The 1-minute load average. */
async function loadAverage(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/loadavg")).split(" ")[0]);
}

/** `plan --exit-code` in a subprocess; exit 0 also proves the database converged. */
async function plan(o: SizeOptions, schema: string, db: BenchDb, cache: string): Promise<Measured> {
  const m = await measure(
    DENO,
    ["run", "-A", `${o.root}/mod.ts`, "plan", "--schema", schema, "--db", db.url, "-o", "/dev/null", "--exit-code"],
    { PGCONVERGE_CACHE_DIR: cache },
  );
  if (m.code !== 0) throw new Error(`plan exited ${m.code} (expected 0: no changes):\n${m.stderr.slice(0, 4000)}`);
  return m;
}

function summarise(runs: Measured[]): PlanRun {
  return {
    ms: median(runs.map((r) => r.ms)),
    peakMb: Math.max(...runs.map((r) => r.peakMb)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    runs: runs.length,
  };
}

/** Tables per step when one `migrate` of the whole schema overflows the server's lock table. */
const MIGRATE_STEP = 250;

async function migrateOnce(o: SizeOptions, schema: string, db: BenchDb, cache: string): Promise<Measured> {
  return await measure(DENO, ["run", "-A", `${o.root}/mod.ts`, "migrate", "--schema", schema, "--db", db.url], {
    PGCONVERGE_CACHE_DIR: cache,
  });
}

/**
 * Bring the empty database to the schema with `pgconverge migrate`. Apply runs in one
 * transaction, so on a stock server (max_locks_per_transaction = 64) a large schema fails with
 * "out of shared memory"; then migrate again through growing prefixes of the schema (the
 * generator makes the schema of k tables a prefix of the schema of N), each step one transaction,
 * into a new database: the rolled-back attempt leaves ~38,000 dead pg_attribute and ~33,000 dead
 * pg_depend rows behind, and a catalog twice its size slows every catalog read (ours ~1.6×,
 * pg_dump's ~1.3×), which is not what a migrated database looks like.
 */
async function migrate(
  o: SizeOptions,
  tables: number,
  schema: string,
  db: BenchDb,
  cache: string,
): Promise<{ ms?: number; note?: string }> {
  const whole = await migrateOnce(o, schema, db, cache);
  if (whole.code === 0) return { ms: whole.ms };
  if (!/max_locks_per_transaction/.test(whole.stderr)) {
    throw new Error(`migrate exited ${whole.code}:\n${whole.stderr.slice(-4000)}`);
  }
  const note = `migrate of ${tables} tables in one transaction failed after ${(whole.ms / 1000).toFixed(1)} s ` +
    `(${whole.stderr.split("\n").find((l) => l.startsWith("error:")) ?? "out of shared memory"}); ` +
    `migrated in steps of ${MIGRATE_STEP} tables into a new database instead`;
  o.log(`[${tables}] ${note}`);
  await dropBenchDb(db);
  await recreateBenchDb(db);
  for (let k = 0; k < tables;) {
    k = Math.min(k + MIGRATE_STEP, tables);
    const part = `${o.work}/schema_${tables}_prefix_${k}.yaml`;
    await Deno.writeTextFile(part, generateSchema(k, o.seed).yaml);
    const m = await migrateOnce(o, part, db, cache);
    if (m.code !== 0) throw new Error(`migrate of the first ${k} tables exited ${m.code}:\n${m.stderr.slice(-4000)}`);
  }
  return { note };
}

/** Run a script of scripts/bench/ in a fresh process with this cache directory; its JSON output. */
async function reportOf<T>(o: SizeOptions, script: string, args: string[], cache: string): Promise<T> {
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", `${o.root}/scripts/bench/${script}`, ...args],
    env: { PGCONVERGE_CACHE_DIR: cache },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`${script} failed:\n${new TextDecoder().decode(out.stderr).slice(-4000)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout)) as T;
}

const stageReport = (o: SizeOptions, schema: string, db: BenchDb, cache: string) =>
  reportOf<StageReport>(o, "stages.ts", [schema, db.url], cache);

const floorReport = (o: SizeOptions, schema: string, cache: string) =>
  reportOf<FloorReport>(o, "floor.ts", [schema], cache);

/** Measure one size. `migrateCache` is shared by sizes so only the first migrate pays initdb. */
export async function runSize(o: SizeOptions, tables: number, migrateCache: string): Promise<SizeResult> {
  const g = generateSchema(tables, o.seed);
  const schema = `${o.work}/schema_${tables}.yaml`;
  await Deno.writeTextFile(schema, g.yaml);
  o.log(`[${tables}] ${g.columns} columns, ${g.constraints} constraints, ${g.indexes} indexes → ${schema}`);
  const loadBefore = await loadAverage();
  const db = await createBenchDb(tables);
  try {
    o.log(`[${tables}] migrate ${db.name}`);
    const migrated = await migrate(o, tables, schema, db, migrateCache);
    const dumps: number[] = [];
    for (let i = 0; i < o.dumpRuns; i++) dumps.push(await timePgDump(db));
    o.log(`[${tables}] pg_dump ${dumps.map((x) => x.toFixed(0)).join(", ")} ms`);

    const first = await freshCache(o.work);
    const coldFirst = [await plan(o, schema, db, first)];
    o.log(`[${tables}] plan cold (first run ever) ${coldFirst[0].ms.toFixed(0)} ms`);

    const coldTemplate: Measured[] = [];
    let cache = "";
    for (let i = 0; i < o.planRuns; i++) {
      cache = await freshCache(o.work, first);
      coldTemplate.push(await plan(o, schema, db, cache));
    }
    o.log(`[${tables}] plan cold (template) ${coldTemplate.map((m) => m.ms.toFixed(0)).join(", ")} ms`);

    const warm: Measured[] = [];
    for (let i = 0; i < o.planRuns; i++) warm.push(await plan(o, schema, db, cache));
    o.log(`[${tables}] plan warm ${warm.map((m) => m.ms.toFixed(0)).join(", ")} ms`);

    // The same cache dir twice: the first run is cold (template only), the second warm.
    const stageCache = await freshCache(o.work, first);
    const stages = o.stages ? await stageReport(o, schema, db, stageCache) : undefined;
    const warmStages = o.stages ? await stageReport(o, schema, db, stageCache) : undefined;
    const floor = o.stages ? await floorReport(o, schema, await freshCache(o.work, first)) : undefined;
    return {
      tables,
      load: [loadBefore, await loadAverage()],
      shape: { columns: g.columns, constraints: g.constraints, indexes: g.indexes },
      ...(migrated.ms !== undefined ? { migrateMs: migrated.ms } : {}),
      ...(migrated.note ? { note: migrated.note } : {}),
      pgDumpMs: median(dumps),
      coldFirst: summarise(coldFirst),
      coldTemplate: summarise(coldTemplate),
      warm: summarise(warm),
      ...(stages ? { stages } : {}),
      ...(warmStages ? { warmStages } : {}),
      ...(floor ? { floor } : {}),
    };
  } finally {
    await dropBenchDb(db);
    o.log(`[${tables}] dropped ${db.name}`);
  }
}
