/**
 * Canonicalisation: DDL → the snapshot PostgreSQL prints for it, through the shadow, cached.
 * The live side goes through the same printer when its server version differs from the shadow's
 * ("deparse–reparse round trip"), so both sides of a diff are in one dialect.
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { snapshotSections } from "../render/snapshot_sql.ts";
import { canonKey, getCanon, putCanon } from "./canon_cache.ts";
import { loadScript, loadStatements } from "./load.ts";
import type { Shadow } from "./shadow.ts";

/** Canonicalise located DDL statements (the desired side of a schema.yaml). */
export async function canonicalizeStatements(
  shadow: Shadow,
  statements: DdlStatement[],
  schemas: string[],
): Promise<Snapshot> {
  const ddl = statements.map((s) => s.sql).join(";\n");
  const key = await canonKey(await shadow.identity(), schemas, ddl);
  const hit = await getCanon(key);
  if (hit) return hit;
  const snap = await shadow.canonicalize((db) => loadStatements(db, statements), schemas);
  await putCanon(key, snap);
  return snap;
}

/** Canonicalise a SQL script (a `.sql` source); its schemas are whatever it creates. */
export async function canonicalizeScript(shadow: Shadow, text: string, file: string): Promise<Snapshot> {
  const key = await canonKey(await shadow.identity(), undefined, text);
  const hit = await getCanon(key);
  if (hit) return hit;
  const snap = await shadow.canonicalize((db) => loadScript(db, text, file));
  await putCanon(key, snap);
  return snap;
}

/**
 * Bring a live snapshot into the shadow's dialect: re-load its canonical DDL into the shadow and
 * read it back. Skipped when the live server's major version equals the shadow's.
 */
export async function canonicalizeLive(shadow: Shadow, live: Snapshot, liveMajor: number): Promise<Snapshot> {
  if (liveMajor === await shadow.major()) return live;
  const statements = snapshotSections(live).flat().map((sql) => ({ sql: sql.replace(/;$/, "") }));
  const snap = await canonicalizeStatements(shadow, statements, live.schemas);
  return snap;
}
