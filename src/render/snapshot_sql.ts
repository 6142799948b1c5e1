/**
 * Snapshot → canonical DDL text: the file users keep as a golden snapshot. It is valid SQL, and
 * loading it into an empty database and dumping again gives the same bytes.
 * @module
 */
import { columnDefinition, commentTarget, definitionOf } from "../model/definition.ts";
import { tableId } from "../model/ids.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
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

/**
 * The snapshot's statements in load order, grouped in sections (schemas, tables, each constraint
 * kind, indexes, comments); each statement ends with a semicolon.
 */
export function snapshotSections(snap: Snapshot): string[][] {
  const sections: string[][] = [];
  sections.push(
    objectsOfKind(snap, "schema").filter((s) => s.name !== "public").map((s) => `CREATE SCHEMA ${quoteIdent(s.name)};`),
  );
  sections.push(objectsOfKind(snap, "enum").map(createEnumSql));
  const columnsByTable = new Map<string, ColumnObject[]>();
  for (const c of objectsOfKind(snap, "column")) {
    const key = tableId(c.schema, c.table);
    columnsByTable.set(key, [...(columnsByTable.get(key) ?? []), c]);
  }
  for (const t of objectsOfKind(snap, "table")) {
    sections.push([createTableSql(t.schema, t.name, columnsByTable.get(t.id) ?? [])]);
  }
  const constraints = objectsOfKind(snap, "constraint");
  for (const type of CONSTRAINT_ORDER) sections.push(constraints.filter((c) => c.type === type).map(addConstraintSql));
  sections.push(objectsOfKind(snap, "index").map((i) => `${i.definition};`));
  // A foreign key may rest on a unique index rather than a constraint: foreign keys come last.
  sections.push(constraints.filter((c) => c.type === "f").map(addConstraintSql));
  sections.push(
    objectsOfKind(snap, "comment").map((c) => `COMMENT ON ${commentTarget(c)} IS ${quoteLiteral(c.text)};`),
  );
  return sections.filter((s) => s.length > 0);
}

/** Render a snapshot as canonical DDL, in a fixed order, ending with a newline. */
export function renderSnapshotSql(snap: Snapshot): string {
  const header = `-- pgconverge canonical schema snapshot; schemas: ${snap.schemas.join(", ")}`;
  return [header, ...snapshotSections(snap).map((s) => s.join("\n"))].join("\n\n") + "\n";
}
