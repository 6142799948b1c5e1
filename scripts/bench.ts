/**
 * `deno task bench`: how `plan` compares with `pg_dump --schema-only` on generated schemas of
 * N tables (default 100 and 1,000), cold and warm, with peak memory, and where a cold plan spends
 * its time. Needs the PostgreSQL server of the tests (127.0.0.1:5432 or PGCONVERGE_TEST_URL) and
 * /usr/bin/pg_dump. Benchmarks print numbers; they are not tests and never fail on a target.
 *
 *   deno task bench [--tables 100,1000,5000] [--runs 3] [--dump-runs 3] [--seed 1] [--no-stages] [--json FILE]
 * @module
 */
import { parseArgs } from "node:util";
import { rssMethod } from "./bench/measure.ts";
import { cpuTable, floorLines, type SizeResult, stageTable, summaryTable, targetLines } from "./bench/report.ts";
import { runSize, type SizeOptions } from "./bench/run_size.ts";
import { ADMIN_URL } from "./bench/server.ts";

const USAGE =
  "usage: deno task bench [--tables 100,1000] [--runs 3] [--dump-runs 3] [--seed 1] [--no-stages] [--json FILE]";

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(value)}\n${USAGE}`);
    Deno.exit(2);
  }
  return n;
}

function options(): { sizes: number[]; runs: number; dumpRuns: number; seed: number; stages: boolean; json?: string } {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      strict: true,
      options: {
        tables: { type: "string", default: "100,1000" },
        runs: { type: "string", default: "3" },
        "dump-runs": { type: "string", default: "3" },
        seed: { type: "string", default: "1" },
        "no-stages": { type: "boolean", default: false },
        json: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(USAGE);
      Deno.exit(0);
    }
    return {
      sizes: values.tables.split(",").map((s) => positiveInt("tables", s.trim())),
      runs: positiveInt("runs", values.runs),
      dumpRuns: positiveInt("dump-runs", values["dump-runs"]),
      seed: positiveInt("seed", values.seed),
      stages: !values["no-stages"],
      ...(values.json ? { json: values.json } : {}),
    };
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    Deno.exit(2);
  }
}

/** Compile mod.ts and the stage script once, so no measured run pays Deno's first-run transpile. */
async function warmUpDeno(root: string): Promise<void> {
  const scripts = ["stages.ts", "floor.ts"].map((f) => ["run", "-A", `${root}/scripts/bench/${f}`]);
  for (const args of [["run", "-A", `${root}/mod.ts`, "--version"], ...scripts]) {
    await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).output();
  }
}

const opts = options();
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const work = await Deno.makeTempDir({ prefix: "pgc_bench_" });
const log = (line: string) => console.error(line);
const o: SizeOptions = {
  root,
  work,
  seed: opts.seed,
  dumpRuns: opts.dumpRuns,
  planRuns: opts.runs,
  stages: opts.stages,
  log,
};
log(`server ${ADMIN_URL}; peak memory by ${await rssMethod()}; scratch ${work}`);
await warmUpDeno(root);
const results: SizeResult[] = [];
try {
  const migrateCache = await Deno.makeTempDir({ dir: work, prefix: "cache_migrate_" });
  for (const n of opts.sizes) results.push(await runSize(o, n, migrateCache));
} finally {
  await Deno.remove(work, { recursive: true }).catch(() => {});
}

console.log("");
console.log(
  `plan = \`deno run -A mod.ts plan --schema FILE --db URL -o /dev/null --exit-code\` as a subprocess ` +
    `(process start-up included); pg_dump median of ${opts.dumpRuns}; cold/tmpl and warm median of ${opts.runs}.`,
);
console.log(summaryTable(results));
console.log("");
console.log(cpuTable(results));
for (const r of results) if (r.note) console.log(`note: ${r.tables} tables: ${r.note}`);
console.log("");
for (const line of targetLines(results)) console.log(line);
const floors = floorLines(results);
if (floors.length > 0) console.log(`\n${floors.join("\n")}`);
for (const which of ["stages", "warmStages"] as const) {
  const text = stageTable(results, which);
  if (text) console.log(`\n${text}`);
}
for (const r of results.filter((x) => x.stages)) {
  const c = r.stages!.counts;
  console.log(
    `${r.tables} tables: ${c.desired} desired / ${c.live} live objects; ${c.shadowPasses} shadow passes; ` +
      `${c.steps} plan steps`,
  );
}
if (opts.json) await Deno.writeTextFile(opts.json, JSON.stringify(results, null, 2) + "\n");
