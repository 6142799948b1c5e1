/**
 * `pull`: read a live database and write the schema.yaml that describes it, then prove it: the
 * file is loaded through the shadow and diffed against the live schema, exactly as `plan` would.
 * An object whose structured form does not come back identical is written as `sql:` instead (its
 * canonical DDL), and the file is checked again; a file that still differs is refused, never
 * written.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import type { Change } from "../diff/change.ts";
import { diff } from "../diff/diff.ts";
import { readAccess } from "../introspect/access.ts";
import { introspect } from "../introspect/introspect.ts";
import { readPullDetails, readPullExtensions } from "../introspect/pull_details.ts";
import { emptyScope } from "../model/access.ts";
import { tableId } from "../model/ids.ts";
import { PgcError } from "../model/errors.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { type ManagedScope, objectsOfKind, restrictToSchemas, type Snapshot, snapshotOf } from "../model/snapshot.ts";
import { VERSION } from "../model/version.ts";
import { canonicalizeLive } from "../shadow/canonicalize.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { canonicalizeYamlText, type FileSchema } from "../source/source.ts";
import { namedRoles } from "./access.ts";
import { buildPulledSchema } from "./build.ts";
import { pulledYamlText } from "./emit.ts";

/** Options of {@link pullSchema}. */
export interface PullOptions {
  /** Schemas to pull; every user schema when omitted. */
  schemas?: string[];
  /** The file name used in messages about the pulled text (`schema.yaml`). */
  file: string;
}

/** A pulled, verified schema.yaml. */
export interface PullResult {
  /** The schema.yaml text. */
  text: string;
  /** Objects in the pulled schemas that pgconverge does not manage, so the file does not hold them. */
  unmanaged: string[];
  /** Ids of the objects written under `sql:`. */
  asSql: string[];
  /** Tables written with structured keys. */
  tables: number;
  /** What the file leaves out on purpose, and why (also in its header). */
  notes: string[];
}

/** Rounds of "write the objects that did not come back identical as `sql:`" before giving up. */
const ROUNDS = 3;

/** The ids a change is about. */
function idsOf(c: Change): string[] {
  switch (c.op) {
    case "rename":
      return [];
    case "create_table":
      return [c.to.id];
    default:
      return [..."from" in c && c.from ? [c.from.id] : [], ..."to" in c && c.to ? [c.to.id] : []];
  }
}

/** What to write as `sql:` so that object `id` comes back identical: the object itself, else its table. */
function sqlUnitOf(live: Snapshot, id: string): string | undefined {
  const o = live.objects.get(id);
  if (o === undefined) return undefined;
  switch (o.kind) {
    case "column":
    case "comment":
      return tableId(o.schema, o.table);
    case "role":
    case "grant":
    case "extension":
    case "schema":
    case "enum":
      return undefined;
    default:
      return o.id;
  }
}

/**
 * The live snapshot pull describes: the user schemas (or `schemas`), every installed extension
 * (with its schema when that schema is pulled), the privileges in those schemas, and the roles
 * the schemas name (see access.ts).
 */
async function readLive(db: Queryable, shadow: Shadow, schemas: string[] | undefined): Promise<Snapshot> {
  const installed = await readPullExtensions(db);
  const pulled = (s: string) =>
    s === "pg_catalog" || (schemas ? schemas.includes(s) : !/^pg_|^information_schema$/.test(s));
  const manages: ManagedScope = {
    roles: [],
    extensions: installed.map((e) => ({ name: e.name, schema: pulled(e.schema), version: false })),
    grants: true,
  };
  const raw = await introspect(db, { ...(schemas ? { schemas } : {}), manages });
  const missing = raw.schemas.filter((s) => s !== "public" && !raw.objects.has(`schema:${s}`));
  if (missing.length > 0) {
    throw new PgcError("usage", `Schema(s) not found in ${db.label}: ${missing.join(", ")}.`, {
      hint: "Name existing schemas with --schemas, or leave it out to pull every user schema.",
    });
  }
  const outside = [...raw.objects.values()].flatMap((o) =>
    o.kind === "constraint" && o.references !== undefined && !raw.objects.has(o.references) ? [o] : []
  );
  if (outside.length > 0) {
    throw new PgcError("unsupported", `Foreign keys reference tables outside the pulled schemas.`, {
      hint: "Pull the referenced schemas too (--schemas a,b), or leave --schemas out. Nothing was written.",
      details: outside.map((o) => `${o.id} references ${o.references}`),
    });
  }
  const roles = namedRoles(raw.objects.values(), true);
  if (roles.length > 0) {
    const access = await readAccess(db, [], { roles, extensions: [], grants: false });
    for (const o of access.objects) raw.objects.set(o.id, o);
  }
  raw.manages = { ...manages, roles: objectsOfKind(raw, "role").map((r) => r.name) };
  shadow.need?.(installed.map((e) => e.name));
  return canonicalizeLive(shadow, raw);
}

/**
 * The snapshot without its privileges (they stay unmanaged, listed like any unmanaged object) and
 * without the roles only they named: for a database whose privileges `grants:` cannot say.
 */
function withoutGrants(snap: Snapshot): Snapshot {
  const grants = objectsOfKind(snap, "grant");
  const rest = [...snap.objects.values()].filter((o) => o.kind !== "grant");
  const roles = new Set(namedRoles(rest, false));
  const out = snapshotOf(rest.filter((o) => o.kind !== "role" || roles.has(o.name)), snap.schemas);
  const privileges = grants.map((g) =>
    `privileges ${g.on === "table" ? qualify(g.schema, g.table!) : `schema ${quoteIdent(g.schema)}`}`
  );
  out.unmanaged = [...new Set([...(snap.unmanaged ?? []), ...privileges])].sort();
  out.manages = {
    ...(snap.manages ?? emptyScope()),
    grants: false,
    roles: objectsOfKind(out, "role").map((r) => r.name),
  };
  if (snap.owners) out.owners = snap.owners;
  return out;
}

/** The header comment of a pulled file. */
function headerOf(live: Snapshot, notes: string[]): string[] {
  const unmanaged = live.unmanaged ?? [];
  return [
    `schema.yaml pulled by pgconverge ${VERSION}; schemas: ${live.schemas.join(", ") || "(none)"}.`,
    "Planning this file against the database it was pulled from gives zero statements.",
    "Objects with no structured key are under sql: as PostgreSQL prints them.",
    ...notes,
    ...(unmanaged.length === 0 ? [] : [
      `Not managed by pgconverge yet, so not (fully) described here (${unmanaged.length}):`,
      ...unmanaged.map((u) => `  ${u}`),
    ]),
  ];
}

/** Read `db` and return a schema.yaml that plans to zero statements against it. */
export async function pullSchema(db: Queryable, shadow: Shadow, opts: PullOptions): Promise<PullResult> {
  let live = await readLive(db, shadow, opts.schemas);
  const details = await readPullDetails(db, live.schemas);
  const notes: string[] = [];
  const force = new Set<string>();
  let conservative = false;
  let lastChanges: Change[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const built = buildPulledSchema(live, details, { forceSql: force, conservative });
    if (built.grantsProblem !== undefined) {
      // Not a round: the same file without `grants:` is built again.
      notes.push(`Privileges are not pulled (they stay unmanaged): ${built.grantsProblem}.`);
      live = withoutGrants(live);
      round--;
      continue;
    }
    const text = pulledYamlText(built.document, headerOf(live, notes));
    const loaded = await tryLoad(text, opts.file, shadow);
    if (loaded instanceof PgcError) {
      // Structured views, policies and functions load at fixed places; in the snapshot's own order they load.
      if (conservative) throw refusedLoad(loaded, live.unmanaged ?? []);
      conservative = true;
      continue;
    }
    const desired = loaded.snapshot;
    const uncovered = live.schemas.filter((s) => !desired.schemas.includes(s));
    const { changes } = diff(restrictToSchemas(live, desired.schemas), desired);
    if (changes.length === 0 && uncovered.length === 0) {
      const tables = (built.document.tables as unknown[] | undefined)?.length ?? 0;
      return { text, unmanaged: live.unmanaged ?? [], asSql: built.asSql, tables, notes };
    }
    lastChanges = changes;
    const units = changes.flatMap(idsOf).map((id) => sqlUnitOf(live, id)).filter((u): u is string => u !== undefined);
    const fresh = units.filter((u) => !force.has(u));
    if (fresh.length === 0) break;
    for (const u of fresh) force.add(u);
  }
  throw new PgcError(
    "unsupported",
    `pull cannot write a schema.yaml that plans to zero statements against ${db.label}: ${lastChanges.length} difference(s) remain.`,
    {
      hint: "This is a bug in pull: please report it with the objects listed. Nothing was written.",
      details: lastChanges.flatMap(idsOf).map((id) => `differs: ${id}`),
    },
  );
}

/** Load the pulled text through the shadow; a statement it rejects is returned, not thrown. */
async function tryLoad(text: string, file: string, shadow: Shadow): Promise<FileSchema | PgcError> {
  try {
    return await canonicalizeYamlText(text, file, shadow);
  } catch (e) {
    if (e instanceof PgcError && e.code === "sql_invalid") return e;
    throw e;
  }
}

/** A pulled file the shadow rejects, explained in pull's terms. */
function refusedLoad(e: PgcError, unmanaged: string[]): PgcError {
  return new PgcError("unsupported", `The pulled schema does not load on its own: ${e.message}`, {
    hint: "Nothing was written. The schema rests on objects the file cannot hold: objects pgconverge does " +
      "not manage yet (listed below; their DDL belongs under sql: with load: beforeTables) or objects " +
      "in schemas that were not pulled (add them to --schemas).",
    problems: e.problems,
    details: unmanaged.map((u) => `not managed: ${u}`),
  });
}
