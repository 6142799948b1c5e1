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

/**
 * A function (`prokind = 'f'`, not owned by an extension). Overloads are distinct objects: the id
 * carries the identity argument types.
 */
export interface FunctionObject {
  /** Discriminant. */
  kind: "function";
  /** `function:<schema>.<name>(<identity argument types>)`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Function name, unquoted. */
  name: string;
  /** Identity argument types as PostgreSQL prints them (`integer, text`): what DROP/GRANT name. */
  args: string;
  /** `pg_get_functiondef()` without its trailing newline: `CREATE OR REPLACE FUNCTION …`. */
  definition: string;
  /** `pg_get_function_arguments()`: names, types and defaults. */
  arguments: string;
  /** `pg_get_function_identity_arguments()`: input names and types (a change needs DROP + CREATE). */
  identityArguments: string;
  /** Output parameters, `name type, …` (a change needs DROP + CREATE). */
  outArguments: string;
  /** How many input arguments have defaults (removing one needs DROP + CREATE). */
  defaults: number;
  /** `pg_get_function_result()` (a change needs DROP + CREATE). */
  result: string;
  /** Language name (`sql`, `plpgsql`, …). */
  language: string;
  /**
   * Who may EXECUTE it besides its owner, sorted: `PUBLIC`, role names, `role WITH GRANT OPTION`.
   * Read from `proacl` (NULL means PostgreSQL's default: `PUBLIC`).
   */
  execute: string[];
  /** Ids of modelled objects it depends on per `pg_depend` (ordering only, never compared). */
  dependsOn?: string[];
  /** Ids of objects that depend on it per `pg_depend` (`other:<description>` when not modelled). */
  usedBy?: string[];
}

/** A (non-internal) trigger on a table. */
export interface TriggerObject {
  /** Discriminant. */
  kind: "trigger";
  /** `trigger:<schema>.<table>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** Trigger name, unquoted. */
  name: string;
  /** `pg_get_triggerdef()` output: `CREATE TRIGGER … EXECUTE FUNCTION …`. */
  definition: string;
  /** `tgenabled`: `O` origin (default), `D` disabled, `R` replica, `A` always. */
  enabled: "O" | "D" | "R" | "A";
  /** Id of the function it executes. */
  function: string;
}

/**
 * A role (cluster-wide). Only roles named in schema.yaml are read and compared; other roles of the
 * cluster are never listed, changed or dropped.
 */
export interface RoleObject {
  /** Discriminant. */
  kind: "role";
  /** `role:<name>`. */
  id: string;
  /** Role name, unquoted. */
  name: string;
  /** `rolcanlogin`. */
  login: boolean;
  /** `rolbypassrls`. */
  bypassRls: boolean;
  /** Roles this role is granted to (`GRANT <name> TO <member>`), sorted. */
  members: string[];
}

/** One privilege of one grantee on a table or schema (from `aclexplode`). */
export interface GrantObject {
  /** Discriminant. */
  kind: "grant";
  /** `grant:<object id>:<grantee>:<privilege>`. */
  id: string;
  /** Schema of the object (the schema itself for a schema grant). */
  schema: string;
  /** `table` or `schema`. */
  on: "table" | "schema";
  /** Table name, for a table grant. */
  table?: string;
  /** Grantee role name, or {@link PUBLIC_GRANTEE}. */
  grantee: string;
  /** Privilege keyword as `aclexplode` prints it (`SELECT`, `USAGE`, …). */
  privilege: string;
  /** Granted WITH GRANT OPTION. */
  grantable: boolean;
  /** Role to `SET ROLE` to before granting (`runAs`); not compared (the grantor is not modelled). */
  runAs?: string;
}

/** An extension. Its schema and version are part of it only when schema.yaml names them. */
export interface ExtensionObject {
  /** Discriminant. */
  kind: "extension";
  /** `extension:<name>`. */
  id: string;
  /** Extension name. */
  name: string;
  /** Schema it is installed in (compared only when declared). */
  schema?: string;
  /** `extversion` (compared only when declared). */
  version?: string;
}

/** The grantee name standing for PUBLIC (no role can be called `public`). */
export const PUBLIC_GRANTEE = "public";

/**
 * Objects outside the managed schemas that a schema.yaml puts under management: they are read
 * from a live database only within this scope, so nothing else of the cluster is ever touched.
 */
export interface ManagedScope {
  /** Roles (by name) whose attributes and memberships are managed, sorted. */
  roles: string[];
  /** Extensions managed, and whether their schema and version are compared, sorted by name. */
  extensions: Array<{ name: string; schema: boolean; version: boolean }>;
  /** True when the file has a `grants` section: every privilege in the managed schemas is then managed. */
  grants: boolean;
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
   * Objects found in those schemas that the model does not cover yet (`view public.v`, …), sorted.
   * Not part of diffs or fingerprints: reported so that nothing is silently skipped.
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

/** The parameters of a sequence, as `pg_sequence` holds them (bigint values as decimal text). */
export interface SequenceOptions {
  /** `format_type()` of the sequence's data type: `smallint`, `integer` or `bigint`. */
  type: string;
  /** START WITH. */
  start: string;
  /** INCREMENT BY. */
  increment: string;
  /** MINVALUE. */
  min: string;
  /** MAXVALUE. */
  max: string;
  /** CACHE. */
  cache: string;
  /** CYCLE. */
  cycle: boolean;
}

/** A view or materialized view (kind `matview`). */
export interface ViewObject {
  /** Discriminant: `view` or `matview`. */
  kind: "view" | "matview";
  /** `view:<schema>.<name>` or `matview:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** View name, unquoted. */
  name: string;
  /** Output columns in order: name (quoted) and `format_type()`, e.g. `x integer`. */
  columns: string[];
  /** `pg_get_viewdef(oid, true)` without its trailing semicolon. */
  definition: string;
  /** `reloptions` (`security_barrier=true`, `check_option=local`, `fillfactor=70`), sorted. */
  options: string[];
  /**
   * Ids of the objects the view's query rests on (tables, columns, views, constraints, types,
   * sequences), read from `pg_depend`, sorted. Derived from the definition: ordering only, never compared.
   */
  dependsOn: string[];
}

/** A sequence that is not part of a serial or identity column. */
export interface SequenceObject {
  /** Discriminant. */
  kind: "sequence";
  /** `sequence:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Sequence name, unquoted. */
  name: string;
  /** Its parameters. */
  options: SequenceOptions;
  /** `OWNED BY`: the owning column, when it has one. */
  ownedBy?: { schema: string; table: string; column: string };
}

/** A domain: base type, collation, default, NOT NULL and named CHECK constraints. */
export interface DomainObject {
  /** Discriminant. */
  kind: "domain";
  /** `domain:<schema>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Domain name, unquoted. */
  name: string;
  /** `format_type()` of the base type. */
  baseType: string;
  /** Collation when it differs from the base type's, already quoted. */
  collation?: string;
  /** `pg_get_expr()` of the default. */
  default?: string;
  /** NOT NULL. */
  notNull: boolean;
  /** CHECK constraints by name (sorted): `pg_get_constraintdef()` output. */
  checks: Array<{ name: string; definition: string }>;
}
