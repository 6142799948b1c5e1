/**
 * The harness of the property tests (property.test.ts, property_kinds.test.ts): fixed seeds, a
 * shared shadow whose cache entries are removed afterwards, scratch files, and `migrate` as the
 * CLI does it (plan, preflight, write, read back, apply).
 * @module
 */
import fc from "fast-check";
import {
  applyMigration,
  buildPlan,
  openShadow,
  PgcError,
  readMigration,
  renderSnapshotSql,
  resolvePair,
  runPreflight,
  writeMigration,
} from "../../mod.ts";
import { cacheDir } from "../../src/db/cache_dir.ts";
import { openDatabase } from "../../src/db/open.ts";
import { qualify } from "../../src/model/quote.ts";
import { type Snapshot, snapshotOf } from "../../src/model/snapshot.ts";
import type { Plan } from "../../src/plan/plan.ts";
import { fileKey } from "../../src/shadow/canon_cache.ts";
import type { Shadow } from "../../src/shadow/shadow.ts";
import type { SourceSpec } from "../../src/source/source.ts";
import type { SchemaModel } from "./arbitraries.ts";

/** The seed every property runs with. */
export const SEED: number = Number(Deno.env.get("PGCONVERGE_PROPERTY_SEED") ?? "20250611");
/** `PGCONVERGE_PROPERTY_RUNS` replaces every test's run count (for a longer search by hand). */
export const RUNS: string | undefined = Deno.env.get("PGCONVERGE_PROPERTY_RUNS");

/** Run an async property with the fixed seed; a failure names the seed to rerun with. */
export async function holds<T>(
  arb: fc.Arbitrary<T>,
  numRuns: number,
  body: (value: T) => Promise<void>,
  examples: T[] = [],
): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arb, body), {
      seed: SEED,
      numRuns: RUNS ? Number(RUNS) : numRuns,
      examples: examples.map((e) => [e] as [T]),
      // The error of the shrunk case carries the YAML: print it, not only the generated value.
      includeErrorInReport: true,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`Property failed (rerun with PGCONVERGE_PROPERTY_SEED=${SEED}).\n${message}`);
  }
}

/** Run `body`; on failure, rethrow with the YAML (and PgcError details) in the message. */
export async function about(yamls: Record<string, string>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const parts = [e instanceof Error ? e.message : String(e)];
    if (e instanceof PgcError) parts.push(...e.details, ...(e.hint ? [`hint: ${e.hint}`] : []));
    for (const [name, text] of Object.entries(yamls)) parts.push(`--- ${name}\n${text}`);
    throw new Error(parts.join("\n"));
  }
}

/**
 * One PGlite shadow shared by all runs of a test, seen through views whose identity no earlier
 * process used: the canonicalisation caches (keyed by identity) then never answer for the
 * shadow, so every run really round-trips through PostgreSQL, even with a warm cache and the same
 * seed. The entries written under those identities are dead weight; {@link close} removes them.
 */
export class ShadowPool {
  private readonly inner = openShadow();
  private readonly tag = crypto.randomUUID();
  private readonly identities: string[] = [];
  /** `objects` of every snapshot the shadow printed, as JSON (what canon-*.json entries hold). */
  private readonly printed = new Set<string>();
  private readonly started = Date.now();

  /** A view of the shared shadow with its own cache identity. */
  view(name: string): Shadow {
    const inner = this.inner;
    const printed = this.printed;
    const identities = this.identities;
    const tag = this.tag;
    return {
      async identity() {
        const id = `${await inner.identity()}+property-${name}-${tag}`;
        if (!identities.includes(id)) identities.push(id);
        return id;
      },
      async canonicalize(load, schemas) {
        const snap = await inner.canonicalize(load, schemas);
        printed.add(JSON.stringify([...snap.objects.values()]));
        return snap;
      },
      // Extensions a schema names must reach the shared shadow (it restarts with their bundles).
      need: (extensions) => inner.need?.(extensions),
      close: () => Promise.resolve(),
    };
  }

  /**
   * Close the shadow and delete the cache entries written through the views: schema.yaml entries
   * by their exact key, canonicalisation entries (written since the pool opened) by content.
   */
  async close(files: Files): Promise<void> {
    await this.inner.close();
    const dir = cacheDir();
    if (dir === undefined) return;
    const remove = (name: string) => Deno.remove(`${dir}/${name}`).catch(() => {});
    for (const id of this.identities) {
      for (const [path, text] of files.yaml) await remove(`file-${await fileKey(id, path, text)}.json`);
    }
    try {
      for await (const e of Deno.readDir(dir)) {
        if (!e.isFile || !/^canon-.*\.json$/.test(e.name)) continue;
        const stat = await Deno.stat(`${dir}/${e.name}`).catch(() => undefined);
        if (stat === undefined || (stat.mtime?.getTime() ?? 0) < this.started - 1000) continue;
        const objects = (JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`)) as { objects?: unknown }).objects;
        if (this.printed.has(JSON.stringify(objects))) await remove(e.name);
      }
    } catch {
      // No cache directory, or an entry changing under us: what is left only costs disk space.
    }
  }
}

/** A scratch directory for the YAML and SQL files of one test. */
export class Files {
  private n = 0;
  /** Every schema.yaml written, path → text. */
  readonly yaml = new Map<string, string>();
  constructor(readonly dir: string) {}

  /** Write `text` to a fresh file with the given extension; returns its path. */
  async write(ext: "yaml" | "sql", text: string): Promise<string> {
    const path = `${this.dir}/f${++this.n}.${ext}`;
    await Deno.writeTextFile(path, text);
    if (ext === "yaml") this.yaml.set(path, text);
    return path;
  }
}

/** Run a test body with a shadow pool and a scratch directory, both cleaned up afterwards. */
export async function withPool(body: (pool: ShadowPool, files: Files) => Promise<void>): Promise<void> {
  const pool = new ShadowPool();
  const files = new Files(await Deno.makeTempDir({ prefix: "pgc_prop_" }));
  try {
    await body(pool, files);
  } finally {
    await pool.close(files);
    await Deno.remove(files.dir, { recursive: true }).catch(() => {});
  }
}

/** Plan from a database to a file source (as `plan --db URL --schema FILE` does). */
export async function planFromDb(url: string, to: SourceSpec, shadow: Shadow): Promise<Plan> {
  const pair = await resolvePair({ kind: "db", url }, to, shadow);
  try {
    return await buildPlan(pair.from, pair.to);
  } finally {
    for (const d of pair.opened) await d.close();
  }
}

/**
 * Migrate a database to a file source the way `migrate` does: plan, preflight, write the
 * migration file, read it back and apply it (destructive changes allowed).
 */
export async function migrate(url: string, to: SourceSpec, shadow: Shadow): Promise<Plan> {
  const pair = await resolvePair({ kind: "db", url }, to, shadow);
  try {
    const plan = await buildPlan(pair.from, pair.to);
    await runPreflight(pair.fromDb!, plan.steps);
    if (plan.steps.length === 0) return plan;
    const text = await writeMigration(plan, { allowDestructive: true });
    const m = await readMigration(text, "property.sql");
    try {
      await applyMigration(pair.fromDb!, m, { shadow, lockTimeout: "10s", file: "property.sql" });
    } catch (e) {
      if (e instanceof PgcError) e.details.push(`migration:\n${text}`);
      throw e;
    }
    return plan;
  } finally {
    for (const d of pair.opened) await d.close();
  }
}

/** Canonical SQL with each table's columns printed by name instead of position. */
export function renderByName(snap: Snapshot): string {
  const objects = [...snap.objects.values()].map((o) => o.kind === "column" ? { ...o, position: 0 } : o);
  return renderSnapshotSql(snapshotOf(objects, snap.schemas));
}

/** A plan's statements, one per line, for messages. */
export function stepsText(plan: Plan): string {
  return plan.steps.map((s) => `  ${s.sql}`).join("\n");
}

/** Insert one row of defaults into every table that accepts it; returns row counts by table. */
export async function insertDefaultRows(url: string, m: SchemaModel): Promise<Map<string, number>> {
  const db = await openDatabase(url);
  try {
    for (const t of m.tables) {
      // A table with a NOT NULL column and no default refuses the row: it simply stays empty.
      await db.exec(`INSERT INTO ${qualify(t.schema, t.name)} DEFAULT VALUES`).catch(() => {});
    }
    return await rowCounts(db, m);
  } finally {
    await db.close();
  }
}

/** Row counts by table (`schema.table`), to prove a migration kept the rows. */
export async function rowCounts(
  db: { query<T>(sql: string): Promise<T[]> },
  m: SchemaModel,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of m.tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${qualify(t.schema, t.name)}`);
    counts.set(`${t.schema}.${t.name}`, row.n);
  }
  return counts;
}
