/**
 * The shadow database: where desired DDL is executed so PostgreSQL itself can print it back in
 * canonical form. Embedded PGlite by default (booted lazily, only on a cache miss), or a server
 * database given with `--shadow-url` that pgconverge may empty.
 * @module
 */
import { openDatabase } from "../db/open.ts";
import { majorVersion, type Queryable } from "../db/queryable.ts";
import { introspect } from "../introspect/introspect.ts";
import { PgcError } from "../model/errors.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { Q_TABLES, Q_USER_SCHEMAS } from "../introspect/queries.ts";

/** A database to canonicalise DDL in. */
export interface Shadow {
  /** Identifies the printer for cache keys: `pglite-0.5.16` or `server-<major>`. */
  identity(): Promise<string>;
  /**
   * Empty the shadow, run `load` in it, and read back the given schemas (all when omitted), unless
   * `load` returns the reading itself (it read the shadow as it is left).
   */
  canonicalize(load: (db: Queryable) => Promise<Snapshot | void>, schemas?: string[]): Promise<Snapshot>;
  /** Release the shadow (and empty a server shadow). */
  close(): Promise<void>;
  /**
   * Extensions later canonicalisations must be able to create: an embedded shadow is (re)started
   * with the bundles PGlite has for them.
   */
  need?(extensions: string[]): void;
}

/**
 * Tables dropped per transaction when emptying. Dropping a table locks every object that goes
 * with it (~45 for a table with a dozen columns, checks and indexes), and the lock table is sized
 * for 64 × 100 locks plus some slack: one `DROP SCHEMA … CASCADE` of 750 such tables fails with
 * "out of shared memory" (measured in PGlite; a server shadow has the same limit by default).
 */
const DROP_CHUNK = 50;

/**
 * Database-level objects a load can leave behind that dropping its schemas does not take along
 * (publications, event triggers, foreign servers and wrappers, casts between built-in types), as
 * DROP statements in a working order. Without them the next load would not start from an empty
 * database: a second `CREATE PUBLICATION p` fails, an event trigger fires on it, the census of its
 * reading lists them.
 */
const Q_LEFTOVERS = `
SELECT sql FROM (
  SELECT 1 AS ord, 'pg_publication'::regclass AS classid, oid AS objid,
         'DROP PUBLICATION IF EXISTS ' || quote_ident(pubname) AS sql
  FROM pg_publication
  UNION ALL
  SELECT 2, 'pg_event_trigger'::regclass, oid, 'DROP EVENT TRIGGER IF EXISTS ' || quote_ident(evtname)
  FROM pg_event_trigger
  UNION ALL
  SELECT 3, 'pg_foreign_data_wrapper'::regclass, oid,
         'DROP FOREIGN DATA WRAPPER IF EXISTS ' || quote_ident(fdwname) || ' CASCADE'
  FROM pg_foreign_data_wrapper
  UNION ALL
  SELECT 4, 'pg_foreign_server'::regclass, oid, 'DROP SERVER IF EXISTS ' || quote_ident(srvname) || ' CASCADE'
  FROM pg_foreign_server
  UNION ALL
  SELECT 5, 'pg_cast'::regclass, oid,
         'DROP CAST IF EXISTS (' || format_type(castsource, NULL) || ' AS ' || format_type(casttarget, NULL) || ')'
  FROM pg_cast WHERE oid >= 16384
) x
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = x.classid AND d.objid = x.objid
                  AND d.deptype IN ('e', 'i'))
ORDER BY ord, sql`;

/** Drop every user schema (and what a load leaves beside them) and recreate an empty `public`. */
async function reset(db: Queryable): Promise<void> {
  const schemas = (await db.query<{ name: string }>(Q_USER_SCHEMAS)).map((r) => r.name);
  const tables = (await db.query<{ schema: string; name: string }>(Q_TABLES, [schemas]))
    .map((r) => qualify(r.schema, r.name));
  for (let i = 0; i < tables.length; i += DROP_CHUNK) {
    await db.exec(`DROP TABLE IF EXISTS ${tables.slice(i, i + DROP_CHUNK).join(", ")} CASCADE;`);
  }
  const drops = schemas.map((s) => `DROP SCHEMA IF EXISTS ${quoteIdent(s)} CASCADE;`).join("\n");
  await db.exec(`${drops}\nCREATE SCHEMA IF NOT EXISTS public;`);
  const leftovers = (await db.query<{ sql: string }>(Q_LEFTOVERS)).map((r) => `${r.sql};`);
  if (leftovers.length > 0) await db.exec(leftovers.join("\n"));
}

/** Refuse a server shadow that holds tables: emptying it would destroy someone's data. */
async function assertEmpty(db: Queryable): Promise<void> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r','p','v','m') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`,
  );
  if (row.n > 0) {
    throw new PgcError("usage", `The shadow database ${db.label} is not empty (${row.n} tables or views).`, {
      hint: "Give --shadow-url an empty scratch database: pgconverge drops everything in it.",
    });
  }
}

/** Open a shadow: `url` a server database (must be empty) or undefined for embedded PGlite. */
export function openShadow(url?: string): Shadow {
  let db: Queryable | undefined;
  let opening: Promise<Queryable> | undefined;
  const needed = new Set<string>();
  let loaded = new Set<string>();
  const get = async (): Promise<Queryable> => {
    if (!url && opening && [...needed].some((n) => !loaded.has(n))) {
      // Started without an extension's bundle: start again with it (a rare, one-time cost).
      const old = await opening;
      opening = undefined;
      db = undefined;
      await old.close();
    }
    opening ??= (async () => {
      loaded = new Set(needed);
      const d = await openDatabase(url ?? "pglite:memory", { extensions: [...loaded] });
      if (url) {
        try {
          await assertEmpty(d);
        } catch (e) {
          await d.close();
          throw e;
        }
      }
      db = d;
      return d;
    })();
    return opening;
  };
  let identity: string | undefined;
  return {
    // Known without booting PGlite, so a fully cached run never starts it.
    async identity() {
      return identity ??= url ? `server-${await majorVersion(await get())}` : "pglite-0.5.16";
    },
    async canonicalize(load, schemas) {
      const d = await get();
      await reset(d);
      const read = await load(d);
      return read ?? await introspect(d, schemas ? { schemas } : {});
    },
    need(extensions) {
      for (const e of extensions) needed.add(e);
    },
    async close() {
      if (!db) return;
      try {
        if (url) await reset(db);
      } finally {
        await db.close();
        db = undefined;
        opening = undefined;
      }
    },
  };
}
