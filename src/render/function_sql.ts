/**
 * SQL for functions, their EXECUTE grants and triggers, and their place in a canonical snapshot.
 * @module
 */
import {
  DEFAULT_EXECUTE,
  ENABLED_WORDS,
  functionPlaces,
  functionSignature,
  functionsInOrder,
} from "../model/functions.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import {
  compareIds,
  type FunctionObject,
  objectsOfKind,
  type Snapshot,
  type TriggerObject,
} from "../model/snapshot.ts";
import type { SnapshotStatement } from "./snapshot_sql.ts";

const GRANT_OPTION = " WITH GRANT OPTION";

/** `CREATE OR REPLACE FUNCTION …;` exactly as PostgreSQL printed it. */
export function createFunctionSql(f: FunctionObject): string {
  return `${f.definition};`;
}

/** `DROP FUNCTION schema.name(types);` (never CASCADE: dependents are handled, or the plan is refused). */
export function dropFunctionSql(f: FunctionObject): string {
  return `DROP FUNCTION ${functionSignature(f)};`;
}

/** A grantee as SQL: `PUBLIC` is a keyword, anything else a quoted role name. */
function grantee(entry: string): string {
  const role = entry.endsWith(GRANT_OPTION) ? entry.slice(0, -GRANT_OPTION.length) : entry;
  return role === "PUBLIC" ? "PUBLIC" : quoteIdent(role);
}

/** The statements that take a function's EXECUTE list from `from` to `f.execute`. */
export function executeStatements(
  f: FunctionObject,
  from: readonly string[],
): { revokes: Array<{ sql: string; entry: string }>; grants: Array<{ sql: string; entry: string }> } {
  const sig = functionSignature(f);
  const revokes = from.filter((e) => !f.execute.includes(e) && !f.execute.includes(e + GRANT_OPTION)).map((entry) => ({
    entry,
    // Revoking only the grant option keeps EXECUTE when the role keeps it without the option.
    sql: entry.endsWith(GRANT_OPTION) && f.execute.includes(entry.slice(0, -GRANT_OPTION.length))
      ? `REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION ${sig} FROM ${grantee(entry)};`
      : `REVOKE EXECUTE ON FUNCTION ${sig} FROM ${grantee(entry)};`,
  }));
  const grants = f.execute.filter((e) => !from.includes(e)).filter((e) =>
    // A role that keeps EXECUTE and only loses the grant option was handled by the revoke.
    !(from.includes(e + GRANT_OPTION))
  ).map((entry) => ({
    entry,
    sql: `GRANT EXECUTE ON FUNCTION ${sig} TO ${grantee(entry)}${entry.endsWith(GRANT_OPTION) ? GRANT_OPTION : ""};`,
  }));
  return { revokes, grants };
}

/** `CREATE TRIGGER …;` and, when it does not fire in the default state, the ALTER TABLE that sets it. */
export function createTriggerSql(t: TriggerObject): string[] {
  const out = [`${t.definition};`];
  if (t.enabled !== "O") {
    out.push(`ALTER TABLE ${qualify(t.schema, t.table)} ${ENABLED_WORDS[t.enabled]} TRIGGER ${quoteIdent(t.name)};`);
  }
  return out;
}

/** `DROP TRIGGER name ON table;`. */
export function dropTriggerSql(t: TriggerObject): string {
  return `DROP TRIGGER ${quoteIdent(t.name)} ON ${qualify(t.schema, t.table)};`;
}

/** Function bodies are checked where they are written (the shadow); loading in order must not re-check them. */
const BODIES_OFF = "SET check_function_bodies = off;";
const BODIES_RESET = "RESET check_function_bodies;";

/** The statements of a snapshot's functions, triggers and grants, by where they load. */
export interface FunctionSections {
  /** Functions that need no table: loaded before the tables (defaults may call them). */
  early: SnapshotStatement[];
  /** Functions that need a table's row type or read one in a SQL-standard body: after the tables. */
  late: SnapshotStatement[];
  /** Triggers, once tables and functions exist. */
  triggers: SnapshotStatement[];
  /** EXECUTE grants and revokes (not loaded into a shadow: their roles need not exist there). */
  grants: SnapshotStatement[];
}

/** Split a snapshot's functions and triggers into load sections, each in dependency order. */
export function functionSections(snap: Snapshot): FunctionSections {
  const places = functionPlaces(snap);
  const fns = functionsInOrder(snap, places);
  const wrap = (list: FunctionObject[]): SnapshotStatement[] =>
    list.length === 0 ? [] : [
      { sql: BODIES_OFF, ids: [] },
      ...list.map((f) => ({ sql: createFunctionSql(f), ids: [f.id] })),
      { sql: BODIES_RESET, ids: [] },
    ];
  const triggers = objectsOfKind(snap, "trigger").flatMap((t) =>
    createTriggerSql(t).map((sql) => ({ sql, ids: [t.id] }))
  );
  const grants = [...fns].sort((a, b) => compareIds(a.id, b.id)).flatMap((f) => {
    const { revokes, grants } = executeStatements(f, DEFAULT_EXECUTE);
    return [...revokes, ...grants].map((s) => ({ sql: s.sql, ids: [f.id] }));
  });
  return {
    early: wrap(fns.filter((f) => !places.get(f.id)!.late)),
    late: wrap(fns.filter((f) => places.get(f.id)!.late)),
    triggers,
    grants,
  };
}
