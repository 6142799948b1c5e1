/**
 * Queryable over embedded PGlite (PostgreSQL compiled to WASM). A fresh PGlite runs initdb
 * (~5 s); we do that once, keep the resulting data directory in the cache, and boot every later
 * instance from it (~0.7 s).
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { PgcError } from "../model/errors.ts";
import { readCache, writeCache } from "./cache_dir.ts";
import { mapDriverError } from "./errors.ts";
import { pgliteExtensions } from "./pglite_extensions.ts";
import type { Queryable, Row } from "./queryable.ts";

const TEMPLATE = "pglite-0.5.16-template.tar.gz";

/**
 * Settings of an in-memory instance, whose data files (WAL included) live in JS memory:
 * - its data files already are in memory, so PostgreSQL's own buffer pool is a second copy of
 *   the same pages: keep it small (loading 1,000 tables: peak RSS 646 → 543 MB, CPU within 3%);
 * - a WAL segment is 16 MB of JS memory as soon as it exists: do not zero-fill new ones, do not
 *   keep old ones for reuse, and let the checkpoints the shadow load runs (src/shadow/load.ts)
 *   delete them (a single-user PGlite has no checkpointer of its own). Loading 1,000 tables: WAL
 *   held 64 → 32 MB, RSS after the load 525 → 421 MB, load time unchanged within noise.
 * They are given as `-c` start parameters, not as PGlite's `postgresqlconf`, which replaces the
 * data directory's postgresql.conf (and with it initdb's timezone, datestyle and locale lines).
 */
const IN_MEMORY_SETTINGS = [
  "shared_buffers=16MB",
  "max_wal_size=32MB",
  "min_wal_size=32MB",
  "wal_recycle=off",
  "wal_init_zero=off",
];

const inMemoryStartParams = (): string[] => [
  ...PGlite.defaultStartParams,
  ...IN_MEMORY_SETTINGS.flatMap((setting) => ["-c", setting]),
];

/** The template data directory from the cache, if it was made before. */
async function cachedTemplate(): Promise<Blob | undefined> {
  const cached = await readCache(TEMPLATE);
  return cached ? new Blob([cached as BlobPart]) : undefined;
}

/** Keep a just-initdb'd instance's data directory as the template. */
async function saveTemplate(fresh: PGlite): Promise<Blob> {
  const blob = await fresh.dumpDataDir("gzip");
  await writeCache(TEMPLATE, new Uint8Array(await blob.arrayBuffer()));
  return blob;
}

/** The template data directory: from the cache, or made now by initdb and cached. */
async function template(): Promise<Blob> {
  const cached = await cachedTemplate();
  if (cached) return cached;
  const fresh = await PGlite.create();
  try {
    return await saveTemplate(fresh);
  } finally {
    await fresh.close();
  }
}

/**
 * An in-memory instance booted from the template. When there is no template yet, the instance
 * that initdb makes is saved as the template and used itself, instead of being closed while a
 * second one boots: the first run on a machine (every CI run without a kept cache) then holds
 * one PGlite, not two (peak RSS at 1,000 tables was 0.9–1.1 GB), and boots once.
 */
async function openInMemory(extensions: Awaited<ReturnType<typeof pgliteExtensions>>): Promise<PGlite> {
  const startParams = inMemoryStartParams();
  const cached = await cachedTemplate();
  // An extension may make PGlite write postgresql.conf (shared_preload_libraries): that instance
  // cannot be the template.
  if (cached || Object.keys(extensions).length > 0) {
    return await PGlite.create({ loadDataDir: cached ?? await template(), extensions, startParams });
  }
  const fresh = await PGlite.create({ startParams });
  try {
    await saveTemplate(fresh);
  } catch (e) {
    await fresh.close();
    throw e;
  }
  return fresh;
}

/** Does `path` already hold a PGlite/PostgreSQL data directory? */
async function isDataDir(path: string): Promise<boolean> {
  try {
    await Deno.stat(`${path}/PG_VERSION`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Open an embedded database: `memory` for a throw-away one, or a directory path that is created
 * from the template when it does not exist yet. `extensionNames`: extensions it must be able to
 * create (those PGlite bundles are loaded).
 */
export async function openPglite(where: string, extensionNames: string[] = []): Promise<Queryable> {
  const label = `pglite:${where}`;
  let pg: PGlite;
  try {
    // Bundled contrib extensions must be handed over at start to be creatable.
    const extensions = await pgliteExtensions(extensionNames);
    if (where === "memory") {
      pg = await openInMemory(extensions);
    } else if (await isDataDir(where)) {
      pg = await PGlite.create({ dataDir: where, extensions });
    } else {
      await Deno.mkdir(where, { recursive: true });
      pg = await PGlite.create({ dataDir: where, loadDataDir: await template(), extensions });
    }
  } catch (e) {
    if (e instanceof PgcError) throw e;
    throw new PgcError("db_unreachable", `Cannot open the embedded database ${label}: ${(e as Error).message}`, {
      hint: "Check that the directory is writable and not used by another process.",
      cause: e,
    });
  }
  let closed = false;
  return {
    engine: "pglite",
    label,
    async query<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
      try {
        const r = await pg.query<T>(text, params);
        return r.rows;
      } catch (e) {
        return mapDriverError(e, label);
      }
    },
    async exec(text: string): Promise<void> {
      try {
        await pg.exec(text);
      } catch (e) {
        mapDriverError(e, label);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
