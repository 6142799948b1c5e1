/**
 * Glue between the access model (roles, grants, extensions) and the sources: the error for an
 * extension the shadow cannot create, and the owner's implicit privileges.
 * @module
 */
import { formatRef, PgcError } from "../model/errors.ts";
import type { Rename } from "../model/ddl.ts";
import { grantId, schemaId, tableId } from "../model/ids.ts";
import { type DbObject, type Snapshot, snapshotOf } from "../model/snapshot.ts";
import type { Schema } from "../yaml/types.ts";

/**
 * Run a canonicalisation; when the shadow rejected a `CREATE EXTENSION` of the file, fail with
 * code `unsupported` and say how to get a shadow that has the extension, instead of a bare
 * PostgreSQL message.
 */
export async function withExtensionHint<T>(schema: Schema, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof PgcError) || e.code !== "sql_invalid") throw e;
    const same = (a?: { file: string; line: number; column: number }, b?: typeof a) =>
      a !== undefined && b !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;
    const failed = schema.extensions.filter((x) => e.problems.some((p) => same(p.at, x.at)));
    if (failed.length === 0) throw e;
    const names = failed.map((x) => `"${x.name}"`).join(", ");
    const first = e.problems.find((p) => same(p.at, failed[0].at))!;
    throw new PgcError(
      "unsupported",
      `${formatRef(failed[0].at)}: the shadow database cannot create extension ${names}: ${
        first.message.replace(/^PostgreSQL rejected this: /, "")
      }`,
      {
        hint: "The embedded shadow (PGlite) bundles only some contrib extensions (pg_trgm, pgcrypto, uuid-ossp, " +
          "citext, hstore, ltree, …). Pass --shadow-url with an empty database on a server where the extension " +
          "(and the version asked for) is installed.",
        problems: e.problems,
        cause: e,
      },
    );
  }
}

/**
 * The desired snapshot without grants to the role that owns their object on the live side: an
 * owner's privileges are implicit and not read (access.ts), so planning them would never converge.
 */
export function withoutOwnerGrants(to: Snapshot, owners: Record<string, string> | undefined): Snapshot {
  if (!owners) return to;
  const kept = [...to.objects.values()].filter((o) => {
    if (o.kind !== "grant") return true;
    const objectId = o.on === "table" ? tableId(o.schema, o.table!) : schemaId(o.schema);
    return (owners[objectId] ?? owners["*"]) !== o.grantee;
  });
  return kept.length === to.objects.size ? to : withObjects(to, kept);
}

/** A snapshot like `s` (scope, owners, unmanaged list) holding `objects`. */
function withObjects(s: Snapshot, objects: DbObject[]): Snapshot {
  const out = snapshotOf(objects, s.schemas);
  if (s.unmanaged) out.unmanaged = s.unmanaged;
  if (s.manages) out.manages = s.manages;
  if (s.owners) out.owners = s.owners;
  return out;
}

/**
 * The live snapshot after table renames, as far as grants go: privileges move with their table,
 * so they are re-keyed to its new name (the renamed snapshot carries grants as read, see
 * canonicalize.ts).
 */
export function renameGrants(snap: Snapshot, renames: Rename[]): Snapshot {
  const tables = renames.filter((r) => r.kind === "table");
  if (tables.length === 0) return snap;
  const objects = [...snap.objects.values()].map((o) => {
    if (o.kind !== "grant" || o.on !== "table") return o;
    const r = tables.find((t) => t.schema === o.schema && t.from === o.table);
    if (!r) return o;
    return { ...o, table: r.to, id: grantId(tableId(o.schema, r.to), o.grantee, o.privilege) };
  });
  const owners = snap.owners
    ? Object.fromEntries(
      Object.entries(snap.owners).map(([id, role]) => {
        const r = tables.find((t) => tableId(t.schema, t.from) === id);
        return [r ? tableId(r.schema, r.to) : id, role];
      }),
    )
    : undefined;
  const out = withObjects(snap, objects);
  if (owners) out.owners = owners;
  return out;
}
