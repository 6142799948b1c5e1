/**
 * The one canonical model. Both sides of a diff (the desired schema after its round trip through
 * a shadow database, and a live database) end as a {@link Snapshot} built by the same
 * introspection code. Every object has a stable id and one canonical definition string.
 * @module
 */
import type {
  DomainObject,
  FunctionObject,
  SequenceObject,
  SequenceOptions,
  TriggerObject,
  ViewObject,
} from "./program_objects.ts";
import type {
  ExtensionObject,
  GrantObject,
  ManagedScope,
  PolicyObject,
  RlsObject,
  RoleObject,
} from "./security_objects.ts";

export type {
  DomainObject,
  FunctionObject,
  SequenceObject,
  SequenceOptions,
  TriggerObject,
  ViewObject,
} from "./program_objects.ts";
export type {
  ExtensionObject,
  GrantObject,
  ManagedScope,
  PolicyCommand,
  PolicyObject,
  RlsObject,
  RoleObject,
} from "./security_objects.ts";
export { PUBLIC_GRANTEE } from "./security_objects.ts";

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
  /**
   * Ids of the objects resting on the type or on a column of it, per `pg_depend` (see
   * introspect/enums.ts), sorted. Not compared: it tells plan what to carry across when the type
   * is recreated.
   */
  usedBy?: string[];
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
  /** A partitioned table's key as `pg_get_partkeydef()` prints it: `RANGE (created_at)`. */
  partitionBy?: string;
  /** A partition: the table it is a partition of. Its columns, and the keys, indexes and triggers it inherits, follow that table. */
  partitionOf?: { schema: string; table: string };
  /** A partition's bound as `pg_get_expr(relpartbound)` prints it: `FOR VALUES IN ('a')`, `DEFAULT`. */
  bound?: string;
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
  /** The options of an identity column's sequence (only with `identity`). */
  identityOptions?: SequenceOptions;
  /** A serial column's owned sequence (not compared: its name only serves the statements that drop it). */
  serialSequence?: { schema: string; name: string };
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

/** Every object kind of the model: a closed union, so switches over `kind` are exhaustive. */
export type DbObject =
  | SchemaObject
  | EnumObject
  | TableObject
  | ColumnObject
  | ConstraintObject
  | IndexObject
  | CommentObject
  | FunctionObject
  | TriggerObject
  | RoleObject
  | GrantObject
  | ExtensionObject
  | ViewObject
  | SequenceObject
  | DomainObject
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
   * What the census (introspect/census.ts) found in those schemas, or belonging to them, that the
   * model does not hold: objects (`aggregate app.total(integer)`, `event trigger app_ddl_watch`,
   * `comment on schema app`) and settings (`cluster on app.item USING item_pkey`), by name,
   * sorted. Not part of diffs or fingerprints: reported so that nothing is silently skipped.
   */
  unmanaged?: string[];
  /** Roles, extensions and grants this snapshot manages (absent: none of them are read). */
  manages?: ManagedScope;
  /**
   * Owners of the objects grants are read on (object id → role), from a live database, and under
   * `*` the role that will own the objects a plan creates (the connected role). Not compared: an
   * owner's own privileges are implicit and never planned.
   */
  owners?: Record<string, string>;
  /**
   * Every extension installed in the database (name and schema), managed or not, sorted by name.
   * Not compared: loading this snapshot's DDL into the shadow needs them first (a column of type
   * citext), whether or not a schema.yaml manages them.
   */
  installedExtensions?: Array<{ name: string; schema: string }>;
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
  // Roles and extensions belong to the cluster or the database, not to a schema.
  const objects = [...snap.objects.values()].filter((o) =>
    o.kind === "role" || o.kind === "extension" || keep.has(schemaOf(o))
  );
  const out = snapshotOf(objects, schemas);
  if (snap.unmanaged) out.unmanaged = snap.unmanaged;
  if (snap.manages) out.manages = snap.manages;
  if (snap.owners) out.owners = snap.owners;
  if (snap.installedExtensions) out.installedExtensions = snap.installedExtensions;
  return out;
}

/** The schema an object lives in. */
export function schemaOf(o: DbObject): string {
  switch (o.kind) {
    case "schema":
      return o.name;
    case "role":
      return "";
    case "extension":
      return o.schema ?? "";
    default:
      return o.schema;
  }
}
