/**
 * Printing a snapshot's own DDL in the shadow, the one way every caller does it. The DDL holds
 * only what the model covers, so a statement can rest on something it does not hold (a view
 * calling a user-defined aggregate, a default naming a function of an unmanaged schema) and be
 * rejected. Such statements are skipped, and their objects are named in the result for the
 * caller to take from its own source, printed once instead of twice.
 *
 * The result is cached under the DDL text, and that is all it depends on: whether the live side
 * (`dump`, `drift`) or the desired side (a `.sql` file) printed a DDL first, the next reading of
 * it is the same. (Loading strictly on one path and leniently on the other under the same key
 * made `plan` fail with an empty cache and pass after a `dump` of the same database.)
 * @module
 */
import { SqlError } from "../db/errors.ts";
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { Q_USER_SCHEMAS } from "../introspect/queries.ts";
import { notModelled, readCensus } from "../introspect/census.ts";
import { type CanonEntry, canonKey, getCanon, putCanon } from "./canon_cache.ts";
import { loadStatements } from "./load.ts";
import type { Shadow } from "./shadow.ts";

/** A statement of a snapshot's DDL, with the ids of the objects it creates. */
export interface PrintStatement {
  /** The statement, without its trailing semicolon. */
  sql: string;
  /** Ids of the objects it creates. */
  ids: string[];
}

/**
 * Load `statements` into the shadow and read `schemas` back (cached under the DDL text). When
 * the shadow rejects some, the rest are loaded one by one and the rejected statements' object
 * ids come back in `rejected`; {@link withRejectedFrom} fills them in.
 */
export async function printLoaded(
  shadow: Shadow,
  statements: PrintStatement[],
  schemas: string[],
): Promise<CanonEntry> {
  const key = await canonKey(await shadow.identity(), schemas, statements.map((s) => s.sql).join(";\n"));
  const hit = await getCanon(key);
  if (hit) return hit;
  let entry: CanonEntry;
  try {
    entry = { snapshot: await shadow.canonicalize((db) => loadStatements(db, statements), schemas), rejected: [] };
  } catch (e) {
    if (!(e instanceof PgcError) || e.code !== "sql_invalid") throw e;
    const rejected = new Set<string>();
    const snapshot = await shadow.canonicalize(async (db) => {
      for (const st of statements) {
        try {
          await db.exec(st.sql + ";");
        } catch (e) {
          if (!(e instanceof SqlError)) throw e;
          for (const id of st.ids) rejected.add(id);
        }
      }
    }, schemas);
    entry = { snapshot, rejected: [...rejected].sort() };
  }
  await putCanon(key, entry.snapshot, entry.rejected);
  return entry;
}

/**
 * The reading of an entry with the objects the shadow rejected taken from `source` (as its own
 * server printed them: still compared, printed once). A new snapshot: a cached one is not touched.
 */
export function withRejectedFrom(entry: CanonEntry, source: Snapshot): Snapshot {
  if (entry.rejected.length === 0) return entry.snapshot;
  const objects = new Map(entry.snapshot.objects);
  for (const id of entry.rejected) {
    const o = source.objects.get(id);
    if (o) objects.set(id, o);
  }
  return { ...entry.snapshot, objects };
}

/**
 * True when the shadow holds nothing but what `snap` models: no object of any user schema, nor
 * any database-level object of theirs, is left out of it. Only then does reloading `snap`'s own
 * DDL into an empty shadow give what was printed in this one.
 */
export async function holdsOnlyModelled(db: Queryable, snap: Snapshot): Promise<boolean> {
  const all = (await db.query<{ name: string }>(Q_USER_SCHEMAS)).map((r) => r.name);
  const installed = snap.installedExtensions ?? [];
  return notModelled((await readCensus(db, all)).objects, snap.objects.values(), installed).length === 0;
}
