/**
 * Cache of canonicalised snapshots, keyed by a hash of everything that determines the result:
 * the cache format, the shadow's printer, the requested schemas and the DDL text. When neither
 * side of a plan changed since the last run, no shadow is booted at all.
 * @module
 */
import { readCache, writeCache } from "../db/cache_dir.ts";
import { sha256 } from "../model/hash.ts";
import { type DbObject, type Snapshot, snapshotOf } from "../model/snapshot.ts";

/** Bump when the model or introspection changes, so old entries are never read. */
const FORMAT = "canon-v2";

/** The cache key for one canonicalisation. */
export function canonKey(identity: string, schemas: string[] | undefined, ddl: string): Promise<string> {
  return sha256([FORMAT, identity, schemas?.join(",") ?? "*", ddl].join("\u0000"));
}

/** A snapshot as JSON. */
export function snapshotToJson(snap: Snapshot): string {
  return JSON.stringify({
    schemas: snap.schemas,
    objects: [...snap.objects.values()],
    unmanaged: snap.unmanaged ?? [],
  });
}

/** A snapshot from {@link snapshotToJson} output. */
export function snapshotFromJson(json: string): Snapshot {
  const data = JSON.parse(json) as { schemas: string[]; objects: DbObject[]; unmanaged?: string[] };
  const snap = snapshotOf(data.objects, data.schemas);
  snap.unmanaged = data.unmanaged ?? [];
  return snap;
}

/** Look a canonical snapshot up by key. */
export async function getCanon(key: string): Promise<Snapshot | undefined> {
  const bytes = await readCache(`canon-${key}.json`);
  if (!bytes) return undefined;
  try {
    return snapshotFromJson(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Store a canonical snapshot under its key. */
export async function putCanon(key: string, snap: Snapshot): Promise<void> {
  await writeCache(`canon-${key}.json`, new TextEncoder().encode(snapshotToJson(snap)));
}
