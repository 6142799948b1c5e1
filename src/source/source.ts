/**
 * Sources: a schema.yaml, a `.sql` file (e.g. a canonical snapshot) or a database. Every source
 * becomes the same canonical model, so `plan --from A --to B` works for any pair.
 * @module
 */
import { isDatabaseUrl, openDatabase } from "../db/open.ts";
import { BUNDLED_EXTENSIONS } from "../db/pglite_extensions.ts";
import type { Queryable } from "../db/queryable.ts";
import { introspect } from "../introspect/introspect.ts";
import { formatRef, PgcError } from "../model/errors.ts";
import { type ManagedScope, restrictToSchemas, type Snapshot } from "../model/snapshot.ts";
import { desiredAccess } from "../render/access_objects.ts";
import { renameGrants, withExtensionHint, withoutOwnerGrants } from "./access_source.ts";
import { renderSchemaDdl } from "../render/schema_ddl.ts";
import { fileKey, getFile, putFile } from "../shadow/canon_cache.ts";
import { canonicalizeLive, canonicalizeScript, canonicalizeStatements } from "../shadow/canonicalize.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { applicableRenames, renameSql } from "../diff/renames.ts";
import type { Rename } from "../model/ddl.ts";
import type { RenameInput } from "../plan/plan.ts";
import { loadSchemaYaml } from "../yaml/load.ts";
import type { Schema } from "../yaml/types.ts";

/** What a SOURCE argument names. */
export type SourceSpec =
  | { kind: "yaml"; path: string }
  | { kind: "sql"; path: string }
  | { kind: "db"; url: string };

/** Classify a SOURCE argument by its form: database URL, `.yaml`/`.yml`, or `.sql`. */
export function parseSource(value: string): SourceSpec {
  if (isDatabaseUrl(value)) return { kind: "db", url: value };
  if (/\.ya?ml$/i.test(value)) return { kind: "yaml", path: value };
  if (/\.sql$/i.test(value)) return { kind: "sql", path: value };
  throw new PgcError("usage", `Cannot tell what ${JSON.stringify(value)} is.`, {
    hint: "A source is a database URL (postgres://…, pglite:…), a .yaml schema or a .sql file.",
  });
}

/** Read a text file, or fail with `file_not_found` naming it. */
export async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new PgcError("file_not_found", `File not found: ${path}.`, {
        hint: "Check the path (it is relative to the current directory).",
      });
    }
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.IsADirectory) {
      throw new PgcError("file_not_found", `Cannot read ${path}: ${(e as Error).message}.`);
    }
    throw e;
  }
}

/** A canonical desired schema from a file, with the notes its loading produced. */
export interface FileSchema {
  /** Canonical snapshot. */
  snapshot: Snapshot;
  /** Warnings for the user (lossy portable types, sections not yet managed). */
  warnings: string[];
  /** Renames the file declares (`renamedFrom`). */
  renames: Rename[];
}

/** Canonicalise a schema.yaml through the shadow. */
export async function loadYamlSource(path: string, shadow: Shadow): Promise<FileSchema> {
  const text = await readText(path);
  // An unchanged file is not even parsed again: parsing a large YAML costs more than reading the live catalog.
  const key = await fileKey(await shadow.identity(), path, text);
  const hit = await getFile(key);
  if (hit) return hit;
  const result = await canonicalizeYamlText(text, path, shadow);
  await putFile(key, result);
  return result;
}

/** Canonicalise schema.yaml text (named `path` in messages) through the shadow, uncached by file. */
export async function canonicalizeYamlText(text: string, path: string, shadow: Shadow): Promise<FileSchema> {
  const schema = loadSchemaYaml(text, path);
  const ddl = renderSchemaDdl(schema);
  shadow.need?.(schema.extensions.map((e) => e.name));
  const snap = await withExtensionHint(schema, () => canonicalizeStatements(shadow, ddl.statements, ddl.schemas));
  const auto = new Set(ddl.autoNamedForeignKeys);
  for (const o of snap.objects.values()) {
    if (o.kind === "constraint" && auto.has(o.id)) snap.objects.set(o.id, { ...o, autoNamed: true });
  }
  const access = desiredAccess(schema);
  for (const o of access.objects) snap.objects.set(o.id, o);
  snap.manages = access.manages;
  return { snapshot: snap, warnings: schemaWarnings(schema), renames: ddl.renames };
}

/** Warnings of the loader (lossy portable types), located. */
function schemaWarnings(schema: Schema): string[] {
  return schema.warnings.map((w) => `${w.at ? formatRef(w.at) + ": " : ""}${w.message}`);
}

/** Canonicalise a `.sql` file through the shadow. */
export async function loadSqlSource(path: string, shadow: Shadow): Promise<FileSchema> {
  const text = await readText(path);
  return {
    snapshot: await withBundledExtensions(shadow, () => canonicalizeScript(shadow, text, path)),
    warnings: [],
    renames: [],
  };
}

/**
 * Run a canonicalisation of a script; when the embedded shadow says an extension the script
 * creates "is not available" and PGlite bundles it, start the shadow again with that bundle and
 * retry (a schema.yaml names its extensions up front; a script only says so by failing).
 */
async function withBundledExtensions<T>(shadow: Shadow, f: () => Promise<T>): Promise<T> {
  const tried = new Set<string>();
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof PgcError) || e.code !== "sql_invalid" || shadow.need === undefined) throw e;
      const missing = [e.message, ...e.problems.map((p) => p.message)]
        .flatMap((m) => [...m.matchAll(/extension "([^"]+)" is not available/g)].map((x) => x[1]))
        .filter((n) => BUNDLED_EXTENSIONS.includes(n) && !tried.has(n));
      if (missing.length === 0) throw e;
      for (const n of missing) tried.add(n);
      shadow.need(missing);
    }
  }
}

/** Load a file source (YAML or SQL). */
export function loadFileSource(spec: SourceSpec & { kind: "yaml" | "sql" }, shadow: Shadow): Promise<FileSchema> {
  return spec.kind === "yaml" ? loadYamlSource(spec.path, shadow) : loadSqlSource(spec.path, shadow);
}

/**
 * Read a live database's schemas and bring them into the shadow's dialect. `manages` names the
 * roles, extensions and grants to read as well (none when absent).
 */
export async function liveSnapshot(
  db: Queryable,
  shadow: Shadow,
  schemas?: string[],
  manages?: ManagedScope,
): Promise<Snapshot> {
  const raw = await introspect(db, { ...(schemas ? { schemas } : {}), ...(manages ? { manages } : {}) });
  shadow.need?.(manages?.extensions.map((e) => e.name) ?? []);
  return canonicalizeLive(shadow, raw);
}

/** Both sides of a plan, canonical and restricted to the same schemas. */
export interface ResolvedPair {
  /** Live / from side. */
  from: Snapshot;
  /** Desired / to side. */
  to: Snapshot;
  /** The `from` database, open, when `from` is a database (for preflight counts). */
  fromDb?: Queryable;
  /** Databases opened here; the caller closes them. */
  opened: Queryable[];
  /** Warnings from loading the files. */
  warnings: string[];
  /** Renames to plan first, with the live schema as it looks after them. */
  renames?: RenameInput;
}

/**
 * Resolve `from` and `to`. Files are loaded first: the schemas they name are the managed scope,
 * and databases are read only within it (other schemas of the database are left alone).
 */
export async function resolvePair(
  fromSpec: SourceSpec,
  toSpec: SourceSpec,
  shadow: Shadow,
  schemas?: string[],
): Promise<ResolvedPair> {
  const opened: Queryable[] = [];
  const warnings: string[] = [];
  try {
    const files = new Map<SourceSpec, Snapshot>();
    let declaredRenames: Rename[] = [];
    for (const spec of [toSpec, fromSpec]) {
      if (spec.kind === "db") continue;
      const f = await loadFileSource(spec, shadow);
      warnings.push(...f.warnings);
      files.set(spec, f.snapshot);
      if (spec === toSpec) declaredRenames = f.renames;
    }
    const scope = schemas ?? files.get(toSpec)?.schemas ?? files.get(fromSpec)?.schemas;
    // Roles, extensions and grants are read from a database only as far as a schema.yaml manages them.
    const manages = files.get(toSpec)?.manages ?? files.get(fromSpec)?.manages;
    const side = async (spec: SourceSpec): Promise<{ snap: Snapshot; db?: Queryable }> => {
      if (spec.kind !== "db") return { snap: files.get(spec)! };
      const db = await openDatabase(spec.url, { extensions: manages?.extensions.map((e) => e.name) ?? [] });
      opened.push(db);
      return { snap: await liveSnapshot(db, shadow, scope, manages), db };
    };
    const from = await side(fromSpec);
    const to = await side(toSpec);
    const finalScope = scope ?? [...new Set([...from.snap.schemas, ...to.snap.schemas])].sort();
    const fromSnap = restrictToSchemas(from.snap, finalScope);
    const renames = applicableRenames(fromSnap, declaredRenames);
    const renamed = renames.length === 0
      ? undefined
      : { renames, renamed: renameGrants(await canonicalizeLive(shadow, fromSnap, renames.map(renameSql)), renames) };
    return {
      from: fromSnap,
      to: withoutOwnerGrants(restrictToSchemas(to.snap, finalScope), (renamed?.renamed ?? fromSnap).owners),
      ...(renamed ? { renames: renamed } : {}),
      ...(from.db ? { fromDb: from.db } : {}),
      opened,
      warnings,
    };
  } catch (e) {
    for (const db of opened) await db.close().catch(() => {});
    throw e;
  }
}
