/**
 * Where one cold `plan` spends its time and memory, through the library API: the calls
 * `plan --schema FILE --db URL` makes (loadYamlSource, liveSnapshot, buildPlan — see
 * src/source/source.ts), with the shadow and the live connection wrapped so that every shadow
 * pass is split into boot-or-empty / load / read-back, and live catalog queries are timed.
 * What remains of each step (YAML parsing, rendering, cache keys and JSON) is shown as "rest".
 *
 * Run as main (a fresh process, so memory numbers are this plan's alone):
 * `deno run -A scripts/bench/stages.ts SCHEMA.yaml DB_URL` prints one JSON {@link StageReport}.
 * Point PGCONVERGE_CACHE_DIR at a directory holding only the PGlite template for a cold run.
 * @module
 */
import { openDatabase } from "../../src/db/open.ts";
import type { Queryable } from "../../src/db/queryable.ts";
import { restrictToSchemas } from "../../src/model/snapshot.ts";
import { buildPlan } from "../../src/plan/plan.ts";
import type { Shadow } from "../../src/shadow/shadow.ts";
import { openShadow } from "../../src/shadow/shadow.ts";
import { liveSnapshot, loadYamlSource } from "../../src/source/source.ts";

/** One stage: wall time, and the process's peak RSS (VmHWM) once it finished. */
export interface Stage {
  /** Stage name. */
  name: string;
  /** Milliseconds. */
  ms: number;
  /** Peak RSS of the process so far, MiB (shows which stage raised the peak). */
  hwmMb: number;
}

/** What {@link runStages} measured. */
export interface StageReport {
  /** Stages in pipeline order. */
  stages: Stage[];
  /** Objects in the desired and live snapshots, and statements in the resulting plan. */
  counts: { desired: number; live: number; steps: number; shadowPasses: number };
}

function hwmMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Records stages; `side` prefixes the names of shadow passes and query time. */
class Recorder {
  readonly stages: Stage[] = [];
  side = "";
  passes = 0;
  /** Time spent in wrapped work since the current step began (subtracted to get "rest"). */
  inner = 0;

  add(name: string, ms: number): void {
    this.stages.push({ name: `${this.side}: ${name}`, ms, hwmMb: hwmMb() });
    this.inner += ms;
  }

  /** Time one pipeline step; what the wrappers did not record inside it is reported as "rest". */
  async step<T>(side: string, rest: string, f: () => Promise<T>): Promise<T> {
    this.side = side;
    this.inner = 0;
    const t0 = performance.now();
    const r = await f();
    this.stages.push({ name: `${side}: ${rest}`, ms: performance.now() - t0 - this.inner, hwmMb: hwmMb() });
    return r;
  }
}

/** A shadow whose passes are split: everything before `load` runs (boot, emptying), load, read-back. */
function timedShadow(inner: Shadow, rec: Recorder): Shadow {
  return {
    ...inner,
    async canonicalize(load, schemas) {
      const pass = ++rec.passes;
      let t = performance.now();
      const mark = (what: string) => {
        const now = performance.now();
        rec.add(`shadow pass ${pass} ${what}`, now - t);
        t = now;
      };
      const snap = await inner.canonicalize(async (db) => {
        mark(pass === 1 ? "boot PGlite + empty" : "empty shadow");
        const read = await load(db);
        // A desired schema is also read and printed a second time inside `load` (canonicalize.ts).
        mark(rec.side === "desired" ? "load DDL, first read, second printing" : "load DDL");
        return read;
      }, schemas);
      mark("read back (introspect)");
      return snap;
    },
  };
}

/** A connection whose queries and commands add their time to `total`. */
function timedDb(inner: Queryable, total: { ms: number }): Queryable {
  const time = async <T>(f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      total.ms += performance.now() - t0;
    }
  };
  return {
    engine: inner.engine,
    label: inner.label,
    query: (sql, params) => time(() => inner.query(sql, params)),
    exec: (sql) => time(() => inner.exec(sql)),
    close: () => inner.close(),
  };
}

/** Run the steps of a cold plan of `schemaPath` against the database at `dbUrl`. */
export async function runStages(schemaPath: string, dbUrl: string): Promise<StageReport> {
  const rec = new Recorder();
  const shadow = timedShadow(openShadow(), rec);
  const queries = { ms: 0 };
  const db = timedDb(await openDatabase(dbUrl), queries);
  try {
    const desired = await rec.step("desired", "rest (yaml, render, cache)", () => loadYamlSource(schemaPath, shadow));
    const live = await rec.step("live", "rest (render DDL, cache)", async () => {
      const snap = await liveSnapshot(db, shadow, desired.snapshot.schemas);
      rec.add("server catalog queries", queries.ms);
      return snap;
    });
    const plan = await rec.step("plan", "diff + plan", () => {
      const scope = desired.snapshot.schemas;
      return buildPlan(restrictToSchemas(live, scope), restrictToSchemas(desired.snapshot, scope));
    });
    return {
      stages: rec.stages,
      counts: {
        desired: desired.snapshot.objects.size,
        live: live.objects.size,
        steps: plan.steps.length,
        shadowPasses: rec.passes,
      },
    };
  } finally {
    await db.close();
    await shadow.close();
  }
}

if (import.meta.main) {
  const [schemaPath, dbUrl] = Deno.args;
  if (!schemaPath || !dbUrl) {
    console.error("usage: stages.ts SCHEMA.yaml DB_URL");
    Deno.exit(2);
  }
  console.log(JSON.stringify(await runStages(schemaPath, dbUrl)));
}
