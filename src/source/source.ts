/**
 * Sources: a schema.yaml, a `.sql` file (e.g. a canonical snapshot) or a database. Every source
 * becomes the same canonical model, so `plan --from A --to B` works for any pair.
 * @module
 */
import { isDatabaseUrl, openDatabase, parseDatabaseUrl } from "../db/open.ts";
import { BUNDLED_EXTENSIONS } from "../db/pglite_extensions.ts";
import type { Queryable } from "../db/queryable.ts";
import { introspect } from "../introspect/introspect.ts";
import { formatRef, PgcError } from "../model/errors.ts";
import { type ManagedScope, restrictToSchemas, type Snapshot } from "../model/snapshot.ts";
import { desiredAccess } from "../render/access_objects.ts";
import { renameGrants, withExtensionHint, withoutOwnerGrants } from "./access_source.ts";
import { renderSchemaDdl } from "../render/schema_ddl.ts";
import { fileKey, type FileScope, getFile, getScope, putFile, putScope } from "../shadow/canon_cache.ts";
import { canonicalizeLive, canonicalizeScript, canonicalizeStatements } from "../shadow/canonicalize.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { applicableRenames, renameSql } from "../diff/renames.ts";
import type { Rename } from "../model/ddl.ts";
import type { RenameInput } from "../plan/plan.ts";
import { loadSchemaYaml } from "../yaml/load.ts";
import { ensureSqlParser } from "../model/sql_parser.ts";
import { checkDeclared } from "../shadow/undeclared.ts";
import { checkRequestedSchemas, databaseSchemas, type SchemaSide } from "./schema_scope.ts";
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
  // Something URL-like or key=value-like may hold a password: say what is wrong without repeating it.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/|[=;@]/.test(value)) parseDatabaseUrl(value);
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
    if (e instanceof Deno.errors.IsADirectory) {
      throw new PgcError("file_not_found", `Cannot read ${path}: it is a directory.`, {
        hint: "Name the file inside it (e.g. schema.yaml).",
      });
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new PgcError("file_not_found", `Cannot read ${path}: permission denied.`, {
        hint: "Check the file's permissions.",
      });
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

/** The scope a canonical snapshot of a schema.yaml manages. */
function scopeOf(snap: Snapshot): FileScope {
  return { schemas: snap.schemas, ...(snap.manages ? { manages: snap.manages } : {}) };
}

/**
 * Canonicalise a schema.yaml through the shadow. `onScope` hears the file's managed scope as soon
 * as it is known (from a small cache entry, or once the file is parsed), before the shadow works.
 */
export async function loadYamlSource(
  path: string,
  shadow: Shadow,
  onScope?: (scope: FileScope) => void,
): Promise<FileSchema> {
  const text = await readText(path);
  // An unchanged file is not even parsed again: parsing a large YAML costs more than reading the live catalog.
  const key = await fileKey(await shadow.identity(), path, text);
  const scope = onScope ? await getScope(key) : undefined;
  if (scope) onScope?.(scope);
  const hit = await getFile(key);
  if (hit) {
    if (!scope) onScope?.(scopeOf(hit.snapshot));
    return hit;
  }
  const result = await canonicalizeYamlText(text, path, shadow, scope ? undefined : onScope);
  await putFile(key, result);
  await putScope(key, scopeOf(result.snapshot));
  return result;
}

/** Canonicalise schema.yaml text (named `path` in messages) through the shadow, uncached by file. */
export async function canonicalizeYamlText(
  text: string,
  path: string,
  shadow: Shadow,
  onScope?: (scope: FileScope) => void,
): Promise<FileSchema> {
  await ensureSqlParser();
  const schema = loadSchemaYaml(text, path);
  const ddl = renderSchemaDdl(schema);
  const access = desiredAccess(schema);
  // The same schemas the shadow's snapshot will carry (sorted, once each).
  onScope?.({ schemas: [...new Set(ddl.schemas)].sort(), ...(access.manages ? { manages: access.manages } : {}) });
  shadow.need?.(schema.extensions.map((e) => e.name));
  const snap = await withExtensionHint(schema, () => canonicalizeStatements(shadow, ddl.statements, ddl.schemas));
  // Fresh or from the cache, the shadow's reading holds only what the file declares.
  checkDeclared(schema, ddl.statements, snap);
  const auto = new Set(ddl.autoNamedForeignKeys);
  for (const o of snap.objects.values()) {
    if (o.kind === "constraint" && auto.has(o.id)) snap.objects.set(o.id, { ...o, autoNamed: true });
  }
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
  // A database and one schema.yaml (the usual plan): the database's catalog is read while the
  // file is still being canonicalised, as soon as the file says which schemas it manages.
  const dbs = [fromSpec, toSpec].filter((s) => s.kind === "db");
  const early = dbs.length === 1 && [fromSpec, toSpec].filter((s) => s.kind === "yaml").length === 1
    ? new EarlyRead(dbs[0] as SourceSpec & { kind: "db" }, schemas)
    : undefined;
  try {
    const files = new Map<SourceSpec, Snapshot>();
    let declaredRenames: Rename[] = [];
    for (const spec of [toSpec, fromSpec]) {
      if (spec.kind === "db") continue;
      const f = spec.kind === "yaml"
        ? await loadYamlSource(spec.path, shadow, early && ((scope) => early.start(scope)))
        : await loadSqlSource(spec.path, shadow);
      warnings.push(...f.warnings);
      files.set(spec, f.snapshot);
      if (spec === toSpec) declaredRenames = f.renames;
    }
    const scope = schemas ?? files.get(toSpec)?.schemas ?? files.get(fromSpec)?.schemas;
    // Roles, extensions and grants are read from a database only as far as a schema.yaml manages them.
    const manages = files.get(toSpec)?.manages ?? files.get(fromSpec)?.manages;
    const side = async (spec: SourceSpec): Promise<{ snap: Snapshot; db?: Queryable }> => {
      if (spec.kind !== "db") return { snap: files.get(spec)! };
      const read = await early?.result(scope, manages);
      if (read) {
        opened.push(read.db);
        shadow.need?.(manages?.extensions.map((e) => e.name) ?? []);
        return { snap: await canonicalizeLive(shadow, read.raw), db: read.db };
      }
      const db = await openDatabase(spec.url, { extensions: manages?.extensions.map((e) => e.name) ?? [] });
      opened.push(db);
      return { snap: await liveSnapshot(db, shadow, scope, manages), db };
    };
    const from = await side(fromSpec);
    const to = await side(toSpec);
    if (schemas) {
      const sides: SchemaSide[] = [];
      const twoDbs = fromSpec.kind === "db" && toSpec.kind === "db";
      for (const [spec, read, role] of [[fromSpec, from, "--from"], [toSpec, to, "--to"]] as const) {
        sides.push(
          read.db
            ? {
              name: twoDbs ? `the ${role} database` : "the database",
              schemas: await databaseSchemas(read.db, schemas),
            }
            : { name: (spec as { path: string }).path, schemas: read.snap.schemas },
        );
      }
      checkRequestedSchemas(schemas, sides);
    }
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
    await early?.discard();
    for (const db of opened) await db.close().catch(() => {});
    throw e;
  }
}

/**
 * One database read started before the file that scopes it is fully loaded. Its result is used
 * only when the scope it was read with is the one the loaded file gives; otherwise the database
 * is closed and read again.
 */
class EarlyRead {
  private reading?: Promise<{ db: Queryable; raw: Snapshot }>;
  private scope?: FileScope;
  private taken = false;

  constructor(private readonly spec: SourceSpec & { kind: "db" }, private readonly schemas?: string[]) {}

  /** Start reading within the file's scope (only the first call counts). */
  start(scope: FileScope): void {
    if (this.reading) return;
    this.scope = scope;
    this.reading = (async () => {
      const db = await openDatabase(this.spec.url, { extensions: scope.manages?.extensions.map((e) => e.name) ?? [] });
      try {
        const raw = await introspect(db, {
          schemas: this.schemas ?? scope.schemas,
          ...(scope.manages ? { manages: scope.manages } : {}),
        });
        return { db, raw };
      } catch (e) {
        await db.close().catch(() => {});
        throw e;
      }
    })();
    // Its failure is reported when the result is asked for, not as an unhandled rejection.
    this.reading.catch(() => {});
  }

  /** The read, when it was made with this scope; errors of the read are thrown here. */
  async result(
    schemas: string[] | undefined,
    manages: ManagedScope | undefined,
  ): Promise<{ db: Queryable; raw: Snapshot } | undefined> {
    if (!this.reading || !this.scope) return undefined;
    const read = await this.reading;
    const same = JSON.stringify(schemas) === JSON.stringify(this.schemas ?? this.scope.schemas) &&
      JSON.stringify(manages) === JSON.stringify(this.scope.manages);
    if (!same) {
      await read.db.close();
      return undefined;
    }
    this.taken = true;
    return read;
  }

  /** Close the database of a read nobody took (the plan failed before using it). */
  async discard(): Promise<void> {
    if (!this.reading || this.taken) return;
    await this.reading.then((r) => r.db.close(), () => {}).catch(() => {});
  }
}
