/**
 * The census: every catalog object in the managed schemas is either modelled (its id is in the
 * snapshot) or reported by name as not managed, so nothing vanishes between a database and its
 * snapshot without a word. The catalogs are read whole (census_queries.ts), not through the list
 * of kinds the model knows: a kind the model does not cover, or an object a modelled kind's
 * reader leaves out, is reported by the same rule.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { extensionId, schemaId, sequenceId } from "../model/ids.ts";
import type { DbObject } from "../model/snapshot.ts";
import { Q_CENSUS, Q_CENSUS_SETTINGS } from "./census_queries.ts";

/** One object of the census: how it is reported, and the model id that accounts for it (if any). */
export interface CensusEntry {
  /** The catalog its row is in (`pg_class`, `pg_event_trigger`; `pg_description` for a comment). */
  catalog: string;
  /** Its oid in that catalog (a comment: the commented object's), as text. */
  objid: string;
  /** What it is: `table`, `aggregate`, `event trigger`, `comment on function`, … */
  kind: string;
  /** Its name, qualified and quoted as PostgreSQL prints it: `app.touch()`, `app_pub`. */
  name: string;
  /** The id of the snapshot object that holds it, when the model has its kind. */
  modelId: string | null;
}

/** Every object of the census, and every setting the model does not hold, in the given schemas. */
export async function readCensus(
  db: Queryable,
  schemas: string[],
): Promise<{ objects: CensusEntry[]; settings: string[] }> {
  const rows = await db.query<{ catalog: string; objid: string; kind: string; name: string; model_id: string | null }>(
    Q_CENSUS,
    [schemas],
  );
  const settings = await db.query<{ kind: string; name: string }>(Q_CENSUS_SETTINGS, [schemas]);
  return {
    objects: rows.map((r) => ({ catalog: r.catalog, objid: r.objid, kind: r.kind, name: r.name, modelId: r.model_id })),
    settings: settings.map((r) => `${r.kind} ${r.name}`),
  };
}

/**
 * The ids a snapshot accounts for: its objects', the schema `public` (always there, never an
 * object), the extensions it lists as installed (each loaded before its DDL), and the sequence of
 * each serial column (it is part of the column).
 */
export function accountedIds(
  objects: Iterable<DbObject>,
  installed: ReadonlyArray<{ name: string }> = [],
): Set<string> {
  const ids = new Set<string>([schemaId("public"), ...installed.map((e) => extensionId(e.name))]);
  for (const o of objects) {
    ids.add(o.id);
    if (o.kind === "column" && o.serialSequence) ids.add(sequenceId(o.serialSequence.schema, o.serialSequence.name));
  }
  return ids;
}

/** The census entries a snapshot holding `objects` does not account for, as `kind name` lines, sorted. */
export function notModelled(
  entries: CensusEntry[],
  objects: Iterable<DbObject>,
  installed: ReadonlyArray<{ name: string }> = [],
): string[] {
  const ids = accountedIds(objects, installed);
  const out = entries.filter((e) => e.modelId === null || !ids.has(e.modelId)).map((e) => `${e.kind} ${e.name}`);
  return [...new Set(out)].sort();
}

/** The not-managed list of a reading: objects not modelled, and settings the model does not hold. */
export async function unmanagedObjects(
  db: Queryable,
  schemas: string[],
  objects: DbObject[],
  installed: ReadonlyArray<{ name: string }>,
): Promise<string[]> {
  const census = await readCensus(db, schemas);
  return [...new Set([...notModelled(census.objects, objects, installed), ...census.settings])].sort();
}
