/**
 * Canonicalisation: DDL → the snapshot PostgreSQL prints for it, through the shadow, cached.
 *
 * PostgreSQL's printer is not idempotent on the first pass: `code IN ('x','y')` on a varchar
 * column prints as `… = ANY ((ARRAY['x'::character varying, …])::text[])`, and that text parses
 * and prints again as `… = ANY (ARRAY[('x'::character varying)::text, …])`. The canonical form
 * is therefore the *reprinted* form: desired DDL goes through the shadow twice, and the live
 * schema (already printed once by its own server) goes through the shadow once, whatever its
 * version. Both sides end printed twice, by one printer.
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { snapshotSections } from "../render/snapshot_sql.ts";
import { introspect } from "../introspect/introspect.ts";
import { canonKey, getCanon, putCanon } from "./canon_cache.ts";
import { reprintStatements } from "./reprint.ts";
import { loadScript, loadStatements } from "./load.ts";
import type { Shadow } from "./shadow.ts";

/** Load statements into the shadow and read them back once (cached). */
async function printOnce(shadow: Shadow, statements: DdlStatement[], schemas: string[]): Promise<Snapshot> {
  const ddl = statements.map((s) => s.sql).join(";\n");
  const key = await canonKey(await shadow.identity(), schemas, ddl);
  const hit = await getCanon(key);
  if (hit) return hit;
  const snap = await shadow.canonicalize((db) => loadStatements(db, statements), schemas);
  await putCanon(key, snap);
  return snap;
}

/**
 * The reprint only reloads what the model covers, so the list of objects it does not cover comes
 * from the first reading.
 */
function withUnmanaged(snap: Snapshot, unmanaged: string[] | undefined): Snapshot {
  return { ...snap, unmanaged: unmanaged ?? [] };
}

/** A snapshot's own DDL, as statements to load. */
function statementsOf(snap: Snapshot) {
  return snapshotSections(snap).flat().map((sql) => ({ sql: sql.replace(/;$/, "") }));
}

/**
 * Canonicalise located DDL statements (the desired side of a schema.yaml): printed twice, the
 * second time in place (see reprint.ts). The result is also cached under the once-printed DDL,
 * which is what a live database made from the same file looks like: its lookup then hits.
 */
export async function canonicalizeStatements(
  shadow: Shadow,
  statements: DdlStatement[],
  schemas: string[],
): Promise<Snapshot> {
  const identity = await shadow.identity();
  const finalKey = await canonKey(identity, schemas, "reprinted\u0000" + statements.map((s) => s.sql).join(";\n"));
  const hit = await getCanon(finalKey);
  if (hit) return hit;
  let first: Snapshot | undefined;
  let inPlace = false;
  let second = await shadow.canonicalize(async (db) => {
    await loadStatements(db, statements);
    first = await introspect(db, { schemas });
    const again = reprintStatements(first);
    if (again === undefined) return;
    await loadStatements(db, again);
    inPlace = true;
  }, schemas);
  if (!first) throw new Error("the shadow did not run the load");
  if (!inPlace) second = await printOnce(shadow, statementsOf(first), schemas);
  const result = withUnmanaged(second, first.unmanaged);
  await putCanon(finalKey, result);
  const onceDdl = statementsOf(first).map((s) => s.sql).join(";\n");
  await putCanon(await canonKey(identity, schemas, onceDdl), result);
  return result;
}

/** Canonicalise a SQL script (a `.sql` source): printed twice; its schemas are whatever it creates. */
export async function canonicalizeScript(shadow: Shadow, text: string, file: string): Promise<Snapshot> {
  const key = await canonKey(await shadow.identity(), undefined, text);
  let once = await getCanon(key);
  if (!once) {
    once = await shadow.canonicalize((db) => loadScript(db, text, file));
    await putCanon(key, once);
  }
  return withUnmanaged(await printOnce(shadow, statementsOf(once), once.schemas), once.unmanaged);
}

/**
 * Bring a live snapshot (printed once, by its own server) into canonical form: load its DDL into
 * the shadow and read it back. Done whatever the live version: even on the same version the
 * second printing can differ from the first. `after` statements (renames) run on top, so the
 * result is the live schema as PostgreSQL would show it after them.
 */
export async function canonicalizeLive(shadow: Shadow, live: Snapshot, after: string[] = []): Promise<Snapshot> {
  const extra = after.map((sql) => ({ sql: sql.replace(/;$/, "") }));
  return withUnmanaged(await printOnce(shadow, [...statementsOf(live), ...extra], live.schemas), live.unmanaged);
}
