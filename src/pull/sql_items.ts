/**
 * The generic fallback of pull: objects written as `sql:` items, as PostgreSQL prints them (the
 * canonical snapshot's statements), each in its load slot. What tables may use (domains,
 * sequences, functions that need no table) loads `beforeTables`; everything else after all
 * structured DDL. Every model kind is placed by an exhaustive switch, so a new kind fails to
 * compile here until someone decides how pull writes it; one that has no SQL form (roles, grants,
 * extensions are never read back from the shadow) is refused, never left out. Pure.
 * @module
 */
import { PgcError } from "../model/errors.ts";
import { functionPlaces } from "../model/functions.ts";
import {
  compareIds,
  type DbObject,
  type ObjectKind,
  type SequenceObject,
  type Snapshot,
  snapshotOf,
} from "../model/snapshot.ts";
import { ensureRolesSql } from "../render/policy_sql.ts";
import { functionSections } from "../render/function_sql.ts";
import { snapshotStatements } from "../render/snapshot_sql.ts";
import { sequenceOwnedBySql } from "../render/view_sql.ts";

/** Where an object of a kind goes when no structured key says it. */
type Slot = "beforeTables" | "afterTables" | "function" | "none";

/** The fallback slot of each kind (`function`: before or after the tables, by what it needs). */
export function fallbackSlot(kind: ObjectKind): Slot {
  switch (kind) {
    case "domain":
    case "sequence":
      return "beforeTables";
    case "function":
      return "function";
    case "schema":
    case "enum":
    case "table":
    case "column":
    case "constraint":
    case "index":
    case "comment":
    case "trigger":
    case "view":
    case "matview":
    case "rls":
    case "policy":
      return "afterTables";
    case "role":
    case "grant":
    case "extension":
      return "none";
    default: {
      const never: never = kind;
      throw new Error(`pull has no fallback for ${String(never)}`);
    }
  }
}

/** One `sql:` item: its text, and `load: beforeTables` when it loads before the tables. */
export type SqlItem = string | { sql: string; load: "beforeTables" };

/**
 * The `sql:` items of `objects` (objects of `live`), in load order: before-table items first.
 * Statements that switch function body checks off and on are kept in one item with the
 * functions they surround; roles that policies and EXECUTE grants name are made first (the
 * shadow has no roles of its own; the live database has them, and `roles:` lists them).
 */
export function sqlItems(objects: DbObject[], live: Snapshot): SqlItem[] {
  const none = objects.filter((o) => fallbackSlot(o.kind) === "none");
  if (none.length > 0) {
    throw new PgcError("unsupported", `pull cannot write ${none.length} object(s) as sql:.`, {
      hint: "Roles, grants and extensions have no sql: form (they are never read back from the shadow). " +
        "Nothing was written.",
      details: none.map((o) => o.id).sort(compareIds),
    });
  }
  const places = functionPlaces(live);
  const early = (o: DbObject) => {
    const slot = fallbackSlot(o.kind);
    return slot === "beforeTables" || (slot === "function" && !places.get(o.id)?.late);
  };
  const before = objects.filter(early).map((o) => o.kind === "sequence" ? withoutOwner(o) : o);
  const after = objects.filter((o) => !early(o));
  const owned = objects.filter((o): o is SequenceObject => o.kind === "sequence" && o.ownedBy !== undefined);
  const out: SqlItem[] = [];
  const roles = ensureRolesSql(neededRoles(objects));
  if (roles !== undefined) {
    out.push({
      sql: `-- roles the statements below name (the live database has them)\n${roles};`,
      load: "beforeTables",
    });
  }
  const beforeSnap = snapshotOf(before, live.schemas);
  for (const sql of grouped(beforeSnap)) out.push({ sql, load: "beforeTables" });
  out.push(...grants(beforeSnap).map((sql) => ({ sql, load: "beforeTables" as const })));
  const afterSnap = snapshotOf(after, live.schemas);
  out.push(...grouped(afterSnap), ...grants(afterSnap));
  out.push(...owned.map(sequenceOwnedBySql));
  return out;
}

function withoutOwner(s: SequenceObject): SequenceObject {
  const { ownedBy: _, ...rest } = s;
  return rest;
}

/** Roles the items name: policy roles and EXECUTE grantees (PUBLIC is no role). */
function neededRoles(objects: DbObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (o.kind === "policy") out.push(...o.roles);
    if (o.kind === "function") {
      out.push(...o.execute.map((e) => e.replace(/ WITH GRANT OPTION$/, "")).filter((e) => e !== "PUBLIC"));
    }
  }
  return out;
}

/** A snapshot's statements, one item each, except that `SET check_function_bodies` … `RESET` is one item. */
function grouped(snap: Snapshot): string[] {
  const out: string[] = [];
  let open: string[] | undefined;
  for (const st of snapshotStatements(snap).flat()) {
    const sql = st.sql;
    if (sql.startsWith("SET check_function_bodies")) open = [sql];
    else if (open !== undefined) {
      open.push(sql);
      if (sql.startsWith("RESET check_function_bodies")) {
        out.push(open.join("\n"));
        open = undefined;
      }
    } else out.push(sql);
  }
  if (open !== undefined) out.push(open.join("\n"));
  return out;
}

/** The EXECUTE grants and revokes of the snapshot's functions. */
function grants(snap: Snapshot): string[] {
  return functionSections(snap).grants.map((st) => st.sql);
}
