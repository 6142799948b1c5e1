/**
 * Model objects that hold code or derived definitions: functions, triggers, views, sequences and
 * domains. Part of the one canonical model ({@link DbObject} in snapshot.ts, which re-exports them).
 * @module
 */

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
  /** Ids of the functions its default and CHECKs call, per `pg_depend` (ordering only, never compared). */
  dependsOn?: string[];
}
