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
import type { Queryable } from "../db/queryable.ts";
import type { DdlStatement } from "../model/ddl.ts";
import type { DbObject, Snapshot } from "../model/snapshot.ts";
import { snapshotStatements } from "../render/snapshot_sql.ts";
import { ensureRolesSql, policyRolesOf } from "../render/policy_sql.ts";
import { introspect } from "../introspect/introspect.ts";
import { type CanonEntry, canonKey, getCanon, putCanon, snapshotToJson } from "./canon_cache.ts";
import { holdsOnlyModelled, printLoaded, type PrintStatement, withRejectedFrom } from "./print_loaded.ts";
import { reprintStatements } from "./reprint.ts";
import { printInScratch, type Reprinted, scratchProbe } from "./reprint_scratch.ts";
import { loadScript, loadStatements } from "./load.ts";
import type { Shadow } from "./shadow.ts";
import { keepExecuteGrants } from "../model/functions.ts";
import { createExtensionSql } from "../model/access.ts";
import { extensionId } from "../model/ids.ts";
import { keepSerialSequences } from "../model/serial.ts";
import { BUNDLED_EXTENSIONS } from "../db/pglite_extensions.ts";

/**
 * The reprint only reloads what the model covers, so the list of objects it does not cover comes
 * from the first reading.
 */
function withUnmanaged(snap: Snapshot, unmanaged: string[] | undefined): Snapshot {
  return { ...snap, unmanaged: unmanaged ?? [] };
}

/**
 * A snapshot's own DDL, as statements to load, after the roles its policies name (the same text
 * canonicalizeLive loads, so their cache keys agree).
 */
function statementsOf(snap: Snapshot): PrintStatement[] {
  const roles = ensureRolesSql(policyRolesOf(snap));
  return [...(roles === undefined ? [] : [{ sql: roles, ids: [] }]), ...snapshotStatements(snap).flat()]
    .map((st) => ({ sql: st.sql.replace(/;$/, ""), ids: st.ids }));
}

/**
 * Load something into the shadow, read it (the first printing), re-execute its expression-bearing
 * definitions in place and read it again (the second printing; see reprint.ts). The result is
 * also cached under the once-printed DDL, which is what a live database made from the same input
 * looks like: its lookup then hits.
 */
async function printTwice(
  shadow: Shadow,
  keyText: string,
  schemas: string[] | undefined,
  load: (db: Queryable) => Promise<void>,
): Promise<Snapshot> {
  const identity = await shadow.identity();
  const finalKey = await canonKey(identity, schemas, "reprinted\u0000" + keyText);
  const hit = await getCanon(finalKey);
  if (hit) return hit.snapshot;
  let first: Snapshot | undefined;
  // Whether the once-printed DDL alone loads into what is printed here (nothing unmodelled in the shadow).
  let complete = false;
  let reprinted: Reprinted | undefined;
  let extensions: PrintStatement[] = [];
  let second = await shadow.canonicalize(async (db) => {
    await load(db);
    first = await introspect(db, schemas ? { schemas } : {});
    complete = await holdsOnlyModelled(db, first);
    extensions = await extensionsOf(db);
    const probe = scratchProbe(first);
    const again = reprintStatements(first, new Set([...probe.checks.keys(), ...probe.indexes.keys()]));
    if (again === undefined) return;
    await loadStatements(db, again);
    reprinted = await printInScratch(db, probe);
    // Nothing was re-executed in place: reading the shadow again would only read `first` again.
    if (again.length === 0) return first;
  }, schemas);
  if (!first) throw new Error("the shadow did not run the load");
  if (reprinted) {
    // A new map: `second` may be `first` itself, which must stay the first printing (its DDL keys the cache below).
    const objects = new Map(second.objects);
    for (const [id, text] of reprinted) objects.set(id, withSecondPrinting(objects.get(id), text, id));
    second = { ...second, objects };
  } else {
    // The reload needs the extensions the input created (their types), which `first` does not hold.
    const printed = await printLoaded(shadow, [...extensions, ...statementsOf(first)], first.schemas);
    complete &&= printed.rejected.length === 0;
    second = withRejectedFrom(printed, first);
    keepExecuteGrants(second, first);
  }
  const result = withUnmanaged(second, first.unmanaged);
  await putCanon(finalKey, result);
  if (complete) {
    const onceDdl = statementsOf(first).map((s) => s.sql).join(";\n");
    await putCanon(await canonKey(identity, first.schemas, onceDdl), result);
  }
  return result;
}

/** An object of the second reading with its definition as printed in the scratch tables. */
function withSecondPrinting(o: DbObject | undefined, text: string, id: string): DbObject {
  if (o?.kind === "column") return { ...o, default: text };
  if (o?.kind === "constraint" || o?.kind === "index") return { ...o, definition: text };
  throw new Error(`the second reading lost ${id}`);
}

/** `CREATE EXTENSION` of every extension the shadow holds but plpgsql, where it is installed. */
async function extensionsOf(db: Queryable): Promise<PrintStatement[]> {
  const rows = await db.query<{ name: string; schema: string }>(
    `SELECT e.extname AS name, n.nspname AS schema FROM pg_catalog.pg_extension e
     JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1`,
  );
  return rows.map((r) => ({
    sql: createExtensionSql({ kind: "extension", id: extensionId(r.name), name: r.name, schema: r.schema })
      .replace(/;$/, ""),
    ids: [],
  }));
}

/** Canonicalise located DDL statements (the desired side of a schema.yaml): printed twice. */
export function canonicalizeStatements(
  shadow: Shadow,
  statements: DdlStatement[],
  schemas: string[],
): Promise<Snapshot> {
  const text = statements.map((s) => s.sql).join(";\n");
  return printTwice(shadow, text, schemas, (db) => loadStatements(db, statements));
}

/** Canonicalise a SQL script (a `.sql` source): printed twice; its schemas are whatever it creates. */
export function canonicalizeScript(shadow: Shadow, text: string, file: string): Promise<Snapshot> {
  return printTwice(shadow, "script\u0000" + text, undefined, (db) => loadScript(db, text, file));
}

/**
 * Bring a live snapshot (printed once, by its own server) into canonical form: load its DDL into
 * the shadow and read it back. Done whatever the live version: even on the same version the
 * second printing can differ from the first. `after` statements (renames) run on top, so the
 * result is the live schema as PostgreSQL would show it after them.
 */
export async function canonicalizeLive(shadow: Shadow, live: Snapshot, after: string[] = []): Promise<Snapshot> {
  // Extensions the live schema may rest on; the embedded shadow can only create those PGlite
  // bundles (asking for another would only send every load down the one-by-one path below).
  const embedded = (await shadow.identity()).startsWith("pglite");
  const installed = (live.installedExtensions ?? []).filter((e) => !embedded || BUNDLED_EXTENSIONS.includes(e.name));
  shadow.need?.(installed.map((e) => e.name));
  // The key that matches a desired schema printed once is the live schema's DDL text, and
  // rendering that costs more than the rest of a warm run's work: a live snapshot seen before is
  // found by its own JSON first (the canonical form is a function of it, as of the DDL).
  const rawKey = await canonKey(
    await shadow.identity(),
    live.schemas,
    ["live", snapshotToJson(live), ...after].join("\u0000"),
  );
  // The cache keys do not say what keepExecuteGrants carries over, nor what the shadow rejected:
  // both come from `live` on every read.
  const finish = (entry: CanonEntry): Snapshot => {
    const snap = withRejectedFrom(entry, live);
    keepExecuteGrants(snap, live);
    keepSerialSequences(snap, live);
    return keepAccess(withUnmanaged(snap, live.unmanaged), live);
  };
  const rawHit = await getCanon(rawKey);
  if (rawHit) return finish(rawHit);
  // The roles live policies name exist on the live server, not necessarily in the shadow.
  const roles = ensureRolesSql(policyRolesOf(live));
  const statements = [
    ...(roles === undefined ? [] : [{ sql: roles, ids: [] as string[] }]),
    ...snapshotStatements({ ...live, installedExtensions: installed }).flat(),
    ...after.map((sql) => ({ sql, ids: [] as string[] })),
  ].map((st) => ({ sql: st.sql.replace(/;$/, ""), ids: st.ids }));
  const printed = await printLoaded(shadow, statements, live.schemas);
  await putCanon(rawKey, printed.snapshot, printed.rejected);
  return finish(printed);
}

/**
 * Roles, grants and extensions are never printed by the shadow (it is not told which of them to
 * read; see access.ts): they are taken from the source as read, with its scope and owners.
 */
function keepAccess(snap: Snapshot, source: Snapshot): Snapshot {
  const isAccess = (k: string) => k === "role" || k === "grant" || k === "extension";
  const objects = new Map([...snap.objects].filter(([, o]) => !isAccess(o.kind)));
  for (const o of source.objects.values()) if (isAccess(o.kind)) objects.set(o.id, o);
  const out: Snapshot = { ...snap, objects };
  if (source.manages) out.manages = source.manages;
  if (source.owners) out.owners = source.owners;
  return out;
}
