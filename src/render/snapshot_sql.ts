/**
 * Snapshot → canonical DDL text: the file users keep as a golden snapshot. It is valid SQL, and
 * loading it into an empty database and dumping again gives the same bytes.
 * @module
 */
import { columnDefinition, commentTarget, definitionOf } from "../model/definition.ts";
import { createExtensionSql } from "../model/access.ts";
import { tableId } from "../model/ids.ts";
import { functionSections } from "./function_sql.ts";
import { accessSections } from "./access_sql.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import { createPolicySql, rlsSql } from "./policy_sql.ts";
import {
  createAnyTableSql,
  createIndexSql,
  indexesInLoadOrder,
  onPartition,
  tablesInLoadOrder,
} from "./partition_sql.ts";
import {
  createDomainSql,
  createSequenceSql,
  createViewSql,
  isMatviewIndex,
  sequenceOwnedBySql,
  viewsInOrder,
} from "./view_sql.ts";
import {
  type ColumnObject,
  compareIds,
  type ConstraintObject,
  type ConstraintType,
  type EnumObject,
  objectsOfKind,
  type Snapshot,
} from "../model/snapshot.ts";

/** Constraint kinds in load order (foreign keys follow the indexes, see below). */
const CONSTRAINT_ORDER: ConstraintType[] = ["p", "u", "x", "c"];

/** The `CREATE TABLE` statement of a table with its columns, in position order. */
export function createTableSql(schema: string, table: string, columns: ColumnObject[]): string {
  const cols = [...columns].sort((a, b) => a.position - b.position || compareIds(a.id, b.id));
  if (cols.length === 0) return `CREATE TABLE ${qualify(schema, table)} ();`;
  const lines = cols.map((c) => `    ${quoteIdent(c.name)} ${columnDefinition(c)}`);
  return `CREATE TABLE ${qualify(schema, table)} (\n${lines.join(",\n")}\n);`;
}

/** `CREATE TYPE … AS ENUM (…);` for an enum. */
export function createEnumSql(e: EnumObject): string {
  return `CREATE TYPE ${qualify(e.schema, e.name)} AS ${definitionOf(e)};`;
}

/** `ALTER TABLE … ADD CONSTRAINT …;` for a constraint. */
export function addConstraintSql(c: ConstraintObject): string {
  return `ALTER TABLE ${qualify(c.schema, c.table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`;
}

/** One statement of a snapshot, with the ids of the objects it creates. */
export interface SnapshotStatement {
  /** The statement, ending with a semicolon. */
  sql: string;
  /** Ids of the objects it creates (a CREATE TABLE creates the table and its columns). */
  ids: string[];
}

/**
 * The snapshot's statements in load order, grouped in sections (schemas, enums, tables, each
 * constraint kind, indexes, foreign keys, policies, row-level security switches, comments).
 */
export function snapshotStatements(snap: Snapshot): SnapshotStatement[][] {
  const sections: SnapshotStatement[][] = [];
  const one = (sql: string, id: string): SnapshotStatement => ({ sql, ids: [id] });
  sections.push(
    objectsOfKind(snap, "schema").filter((s) => s.name !== "public").map((s) =>
      one(`CREATE SCHEMA ${quoteIdent(s.name)};`, s.id)
    ),
  );
  sections.push(objectsOfKind(snap, "extension").map((e) => one(createExtensionSql(e), e.id)));
  // Extensions installed but not managed: what rests on them (a citext column) needs them to load.
  const managed = new Set(objectsOfKind(snap, "extension").map((e) => e.name));
  sections.push(
    (snap.installedExtensions ?? []).filter((e) => !managed.has(e.name)).map((e) => ({
      sql: `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} SCHEMA ${quoteIdent(e.schema)};`,
      ids: [],
    })),
  );
  sections.push(objectsOfKind(snap, "enum").map((e) => one(createEnumSql(e), e.id)));
  sections.push(objectsOfKind(snap, "domain").map((d) => one(createDomainSql(d), d.id)));
  const sequences = objectsOfKind(snap, "sequence");
  sections.push(sequences.map((s) => one(createSequenceSql(s), s.id)));
  const fns = functionSections(snap);
  sections.push(fns.early);
  const columnsByTable = new Map<string, ColumnObject[]>();
  for (const c of objectsOfKind(snap, "column")) {
    const key = tableId(c.schema, c.table);
    columnsByTable.set(key, [...(columnsByTable.get(key) ?? []), c]);
  }
  for (const t of tablesInLoadOrder(snap)) {
    const columns = columnsByTable.get(t.id) ?? [];
    sections.push([{ sql: createAnyTableSql(t, columns), ids: [t.id, ...columns.map((c) => c.id)] }]);
  }
  sections.push(fns.late);
  const constraints = objectsOfKind(snap, "constraint");
  // A partition's own keys come after its parent's keys and indexes, which would adopt them.
  const local = (c: ConstraintObject) => c.type !== "c" && c.type !== "f" && onPartition(snap, c);
  for (const type of CONSTRAINT_ORDER) {
    sections.push(
      constraints.filter((c) => c.type === type && !local(c)).map((c) => one(addConstraintSql(c), c.id)),
    );
  }
  const indexes = objectsOfKind(snap, "index");
  const tableIndexes = indexesInLoadOrder(snap, indexes.filter((i) => !isMatviewIndex(snap, i)));
  sections.push(tableIndexes.filter((i) => !onPartition(snap, i)).map((i) => one(`${createIndexSql(i)};`, i.id)));
  sections.push(constraints.filter(local).map((c) => one(addConstraintSql(c), c.id)));
  sections.push(tableIndexes.filter((i) => onPartition(snap, i)).map((i) => one(`${createIndexSql(i)};`, i.id)));
  // A foreign key may rest on a unique index rather than a constraint: foreign keys come last.
  sections.push(constraints.filter((c) => c.type === "f").map((c) => one(addConstraintSql(c), c.id)));
  // Policies may use any table, column or key; the switches follow the policies they enforce.
  sections.push(objectsOfKind(snap, "policy").map((p) => one(createPolicySql(p), p.id)));
  sections.push(objectsOfKind(snap, "rls").map((r) => one(rlsSql(r), r.id)));
  sections.push(
    objectsOfKind(snap, "comment").map((c) => one(`COMMENT ON ${commentTarget(c)} IS ${quoteLiteral(c.text)};`, c.id)),
  );
  // Views after everything they may read; a materialized view's indexes right after it.
  const views = [...objectsOfKind(snap, "view"), ...objectsOfKind(snap, "matview")];
  sections.push(
    viewsInOrder(views).flatMap((v) => [
      one(createViewSql(v), v.id),
      ...indexes.filter((i) =>
        v.kind === "matview" && i.schema === v.schema && i.table === v.name && isMatviewIndex(snap, i)
      )
        .map((i) => one(`${i.definition};`, i.id)),
    ]),
  );
  sections.push(sequences.filter((s) => s.ownedBy).map((s) => one(sequenceOwnedBySql(s), s.id)));
  sections.push(fns.triggers);
  return sections.filter((s) => s.length > 0);
}

/** The snapshot's statements in load order, grouped in sections, as text. */
export function snapshotSections(snap: Snapshot): string[][] {
  return snapshotStatements(snap).map((section) => section.map((st) => st.sql));
}

/** Render a snapshot as canonical DDL, in a fixed order, ending with a newline. */
export function renderSnapshotSql(snap: Snapshot): string {
  const header = `-- pgconverge canonical schema snapshot; schemas: ${snap.schemas.join(", ")}`;
  // EXECUTE grants are part of the file but never of a shadow load (see functionSections).
  const grants = functionSections(snap).grants.map((st) => st.sql);
  const sections = [...snapshotSections(snap), ...(grants.length > 0 ? [grants] : []), ...accessSections(snap)];
  return [header, ...sections.map((s) => s.join("\n"))].join("\n\n") + "\n";
}
