/**
 * The one canonical model. Both sides of a diff (the desired schema after its round trip through
 * a shadow database, and a live database) end as a {@link Snapshot} built by the same
 * introspection code. Every object has a stable id and one canonical definition string.
 * @module
 */

/** Constraint kinds as in `pg_constraint.contype` (NOT NULL rows are not constraints here). */
export type ConstraintType = "p" | "u" | "f" | "c" | "x";

/** A schema (namespace). `public` is always assumed to exist and is never created or dropped. */
export interface SchemaObject {
  /** Discriminant. */
  kind: "schema";
  /** `schema:<name>`. */
  id: string;
  /** Schema name, unquoted. */
  name: string;
}

/** An enum type, with its labels in sort order. */
export interface EnumObject {
  /** Discriminant. */
  kind: "enum";
  /** `type:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Type name, unquoted. */
  name: string;
  /** Labels in `enumsortorder`. */
  values: string[];
}

/** A table. Its columns, constraints and indexes are separate objects. */
export interface TableObject {
  /** Discriminant. */
  kind: "table";
  /** `table:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  name: string;
  /** A partitioned table: its partitioning is not managed yet, so it is never created or changed. */
  partitioned?: boolean;
}

/** A column, with every attribute that is part of its canonical definition. */
export interface ColumnObject {
  /** Discriminant. */
  kind: "column";
  /** `column:<schema>.<table>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** Column name, unquoted. */
  name: string;
  /** Ordinal position in the table (used for printing order only, never compared). */
  position: number;
  /** `format_type()` output, or `serial`/`bigserial`/`smallserial` for an owned-sequence default. */
  type: string;
  /** Collation when it differs from the type's default, already quoted (`"C"`). */
  collation?: string;
  /** NOT NULL. */
  notNull: boolean;
  /** `pg_get_expr()` of the default (absent for serial, identity and generated columns). */
  default?: string;
  /** Identity kind: `always` or `by default`. */
  identity?: "always" | "by default";
  /** `pg_get_expr()` of a stored generated column's expression. */
  generated?: string;
}

/** A table constraint: primary key, unique, foreign key, check or exclusion. */
export interface ConstraintObject {
  /** Discriminant. */
  kind: "constraint";
  /** `constraint:<schema>.<table>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** Constraint name, unquoted. */
  name: string;
  /** Constraint kind. */
  type: ConstraintType;
  /** `pg_get_constraintdef()` output: `CHECK ((kind = ANY (…)))`, `FOREIGN KEY (a) REFERENCES …`. */
  definition: string;
  /** For a foreign key: the referenced table's id. */
  references?: string;
  /** True when the desired input did not name this FK: it is matched by relationship. */
  autoNamed?: boolean;
}

/** A (non-constraint) index. */
export interface IndexObject {
  /** Discriminant. */
  kind: "index";
  /** `index:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Index table name, unquoted. */
  table: string;
  /** Index name, unquoted. */
  name: string;
  /** `pg_get_indexdef()` output. */
  definition: string;
}

/** A comment on a table or column. */
export interface CommentObject {
  /** Discriminant. */
  kind: "comment";
  /** `comment:<target id>`. */
  id: string;
  /** Id of the commented object (`table:…` or `column:…`). */
  target: string;
  /** Schema of the commented table. */
  schema: string;
  /** The commented table. */
  table: string;
  /** The commented column, when the comment is on a column. */
  column?: string;
  /** Comment text, unescaped. */
  text: string;
}

/** The command a policy applies to (`pg_policy.polcmd`, spelled as in CREATE POLICY). */
export type PolicyCommand = "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";

/**
 * Row-level security switches of a table, an object of its own so that turning them on or off
 * is a change with its own statement and hazards. Present only when at least one is on.
 */
export interface RlsObject {
  /** Discriminant. */
  kind: "rls";
  /** `rls:<schema>.<table>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** `relrowsecurity`: ENABLE ROW LEVEL SECURITY. */
  enabled: boolean;
  /** `relforcerowsecurity`: FORCE ROW LEVEL SECURITY (policies apply to the table owner too). */
  forced: boolean;
}

/** A row-level security policy. */
export interface PolicyObject {
  /** Discriminant. */
  kind: "policy";
  /** `policy:<schema>.<table>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** Policy name, unquoted. */
  name: string;
  /** PERMISSIVE (true) or RESTRICTIVE. */
  permissive: boolean;
  /** The command it applies to. */
  command: PolicyCommand;
  /** Role names, unquoted, sorted byte-wise; empty means PUBLIC. */
  roles: string[];
  /** `pg_get_expr()` of the USING expression. */
  using?: string;
  /** `pg_get_expr()` of the WITH CHECK expression. */
  withCheck?: string;
  /**
   * Ids of the columns its expressions use (from `pg_depend`, any table), sorted. Not part of the
   * definition: it tells plan which policies must be rebuilt around a column type change.
   */
  uses?: string[];
}

/** Every object kind of the model: a closed union, so switches over `kind` are exhaustive. */
export type DbObject =
  | SchemaObject
  | EnumObject
  | TableObject
  | ColumnObject
  | ConstraintObject
  | IndexObject
  | CommentObject
  | RlsObject
  | PolicyObject;

/** The kind names of {@link DbObject}. */
export type ObjectKind = DbObject["kind"];

/** A canonical schema: objects by id, plus the schemas it manages. */
export interface Snapshot {
  /** Objects by id. */
  objects: Map<string, DbObject>;
  /** Schemas whose tables, columns, constraints, indexes, enums and comments this snapshot describes. */
  schemas: string[];
  /**
   * Objects found in those schemas that the model does not cover yet (`view public.v`, …), sorted.
   * Not part of diffs or fingerprints: reported so that nothing is silently skipped.
   */
  unmanaged?: string[];
}

/** Build a snapshot from a list of objects (later duplicates win, which never happens in practice). */
export function snapshotOf(objects: Iterable<DbObject>, schemas: string[]): Snapshot {
  const map = new Map<string, DbObject>();
  for (const o of objects) map.set(o.id, o);
  return { objects: map, schemas: [...new Set(schemas)].sort() };
}

/** The objects of one kind, sorted by id. */
export function objectsOfKind<K extends ObjectKind>(
  snap: Snapshot,
  kind: K,
): Extract<DbObject, { kind: K }>[] {
  const out: Extract<DbObject, { kind: K }>[] = [];
  for (const o of snap.objects.values()) if (o.kind === kind) out.push(o as Extract<DbObject, { kind: K }>);
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/** Byte-wise id comparison, independent of locale, so output is deterministic everywhere. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Restrict a snapshot to the given schemas (objects outside them are dropped from the view). */
export function restrictToSchemas(snap: Snapshot, schemas: string[]): Snapshot {
  const keep = new Set(schemas);
  const objects = [...snap.objects.values()].filter((o) => keep.has(schemaOf(o)));
  const out = snapshotOf(objects, schemas);
  if (snap.unmanaged) out.unmanaged = snap.unmanaged;
  return out;
}

/** The schema an object lives in. */
export function schemaOf(o: DbObject): string {
  switch (o.kind) {
    case "schema":
      return o.name;
    default:
      return o.schema;
  }
}
