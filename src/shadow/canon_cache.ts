/**
 * Cache of canonicalised snapshots, keyed by a hash of everything that determines the result:
 * the cache format, the shadow's printer, the requested schemas and the DDL text. When neither
 * side of a plan changed since the last run, no shadow is booted at all.
 * @module
 */
import { readCache, writeCache } from "../db/cache_dir.ts";
import { sha256 } from "../model/hash.ts";
import type { Rename } from "../model/ddl.ts";
import { type DbObject, type ManagedScope, type Snapshot, snapshotOf } from "../model/snapshot.ts";
import { VERSION } from "../model/version.ts";

/** Bump when the model or introspection changes, so old entries are never read. */
const FORMAT = "canon-v7";

/** The cache key for one canonicalisation. */
export function canonKey(identity: string, schemas: string[] | undefined, ddl: string): Promise<string> {
  return codeHash().then((code) => sha256([FORMAT, code, identity, schemas?.join(",") ?? "*", ddl].join("\u0000")));
}

/** A snapshot as JSON (with `extra` fields beside it, for a cache entry's own notes). */
export function snapshotToJson(snap: Snapshot, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemas: snap.schemas,
    objects: [...snap.objects.values()],
    unmanaged: snap.unmanaged ?? [],
    ...(snap.manages ? { manages: snap.manages } : {}),
    ...(snap.owners ? { owners: snap.owners } : {}),
    ...(snap.installedExtensions ? { installedExtensions: snap.installedExtensions } : {}),
    ...extra,
  });
}

/** The fields {@link snapshotToJson} writes. */
interface SnapshotJson {
  schemas: string[];
  objects: DbObject[];
  unmanaged?: string[];
  manages?: ManagedScope;
  owners?: Record<string, string>;
  installedExtensions?: Snapshot["installedExtensions"];
}

/** A snapshot from {@link snapshotToJson} output. */
export function snapshotFromJson(json: string): Snapshot {
  return snapshotFromData(JSON.parse(json) as SnapshotJson);
}

function snapshotFromData(data: SnapshotJson): Snapshot {
  const snap = snapshotOf(data.objects, data.schemas);
  snap.unmanaged = data.unmanaged ?? [];
  if (data.manages) snap.manages = data.manages;
  if (data.owners) snap.owners = data.owners;
  if (data.installedExtensions) snap.installedExtensions = data.installedExtensions;
  return snap;
}

/**
 * A canonical snapshot as cached: the reading, and the ids of the objects whose statements the
 * shadow rejected (see shadow/print_loaded.ts). Those are filled in by whoever reads the entry,
 * from its own source, so the entry depends on its key alone.
 */
export interface CanonEntry {
  /** The shadow's reading. */
  snapshot: Snapshot;
  /** Ids of the objects the reading lacks because the shadow rejected their statements, sorted. */
  rejected: string[];
}

/** Look a canonical snapshot up by key. */
export async function getCanon(key: string): Promise<CanonEntry | undefined> {
  const bytes = await readCache(`canon-${key}.json`);
  if (!bytes) return undefined;
  try {
    const data = JSON.parse(new TextDecoder().decode(bytes)) as SnapshotJson & { rejected?: string[] };
    return { snapshot: snapshotFromData(data), rejected: data.rejected ?? [] };
  } catch {
    return undefined;
  }
}

/** Store a canonical snapshot under its key, with the ids of the objects the shadow rejected. */
export async function putCanon(key: string, snap: Snapshot, rejected: string[] = []): Promise<void> {
  const json = snapshotToJson(snap, rejected.length === 0 ? {} : { rejected });
  await writeCache(`canon-${key}.json`, new TextEncoder().encode(json));
}

/** What a schema.yaml canonicalises to, with what its loading said. */
export interface CachedFile {
  /** Canonical snapshot. */
  snapshot: Snapshot;
  /** Warnings to print again. */
  warnings: string[];
  /** Declared renames. */
  renames: Rename[];
}

let code: Promise<string> | undefined;

/**
 * A hash of every source that shapes a cached snapshot (loader, renderer, model, catalog queries,
 * shadow) when they are readable (running from source), so a developer's change to them — a new
 * object kind, say — is never answered from a stale cache. A compiled binary hashes its version
 * instead: its code cannot change under it.
 */
function codeHash(): Promise<string> {
  code ??= (async () => {
    const parts: string[] = [];
    for (const dir of ["../yaml/", "../render/", "../model/", "../introspect/", "../shadow/"]) {
      try {
        const url = new URL(dir, import.meta.url);
        const names = [...Deno.readDirSync(url)].map((e) => e.name).sort();
        for (const n of names) parts.push(n, await Deno.readTextFile(new URL(n, url)));
      } catch {
        return VERSION;
      }
    }
    return await sha256(parts.join("\u0000"));
  })();
  return code;
}

/** The key for a schema.yaml: its path (messages name it), its text, the printer and the code. */
export async function fileKey(identity: string, path: string, text: string): Promise<string> {
  return sha256([FORMAT, "yaml", VERSION, await codeHash(), identity, path, text].join("\u0000"));
}

/** Look up a canonicalised schema.yaml. */
export async function getFile(key: string): Promise<CachedFile | undefined> {
  const bytes = await readCache(`file-${key}.json`);
  if (!bytes) return undefined;
  try {
    const data = JSON.parse(new TextDecoder().decode(bytes)) as {
      snapshot: string;
      warnings: string[];
      renames: Rename[];
    };
    return { snapshot: snapshotFromJson(data.snapshot), warnings: data.warnings, renames: data.renames };
  } catch {
    return undefined;
  }
}

/** Store a canonicalised schema.yaml. */
export async function putFile(key: string, f: CachedFile): Promise<void> {
  const json = JSON.stringify({ snapshot: snapshotToJson(f.snapshot), warnings: f.warnings, renames: f.renames });
  await writeCache(`file-${key}.json`, new TextEncoder().encode(json));
}

/**
 * The managed scope of a schema.yaml (its schemas, and the roles, extensions and grants it
 * manages): what a live database is read within. Cached beside the file's snapshot, and much
 * smaller, so the live catalog can be read while the snapshot is still loading.
 */
export interface FileScope {
  /** Schemas the file manages, sorted. */
  schemas: string[];
  /** Roles, extensions and grants it manages (absent: none). */
  manages?: ManagedScope;
}

/** Look up the scope of a canonicalised schema.yaml. */
export async function getScope(key: string): Promise<FileScope | undefined> {
  const bytes = await readCache(`scope-${key}.json`);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as FileScope;
  } catch {
    return undefined;
  }
}

/** Store the scope of a canonicalised schema.yaml. */
export async function putScope(key: string, scope: FileScope): Promise<void> {
  await writeCache(`scope-${key}.json`, new TextEncoder().encode(JSON.stringify(scope)));
}
