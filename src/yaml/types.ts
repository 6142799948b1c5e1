/**
 * The desired schema as written in schema.yaml, after validation. Names are raw (never quoted
 * here); every node keeps where it came from so rendered statements can point back at the YAML.
 * @module
 */
import type { LabelRename } from "./read_enum_renames.ts";
import type { SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";

/** Where each key's value was written, by YAML key (`valueAt.type` is the column's type value). */
export type ValueAt = Readonly<Record<string, SourceRef | undefined>>;

/** Fields every located node has. */
export interface Located {
  /** Where the node (the map or list item) starts. */
  at: SourceRef;
  /** Where each key's value was written. */
  valueAt: ValueAt;
}

/** A whole schema.yaml. */
export interface Schema extends Located {
  /** The file name given to the loader. */
  file: string;
  /** Label only. */
  name?: string;
  /** Tables in YAML order. */
  tables: Table[];
  /** Extra schemas to create (ext). */
  schemas: NamedRef[];
  /** Declared enum types (ext). */
  enums: EnumType[];
  /** Functions in YAML order. */
  functions: FunctionDef[];
  /** Raw DDL for what the structured keys do not cover (ext), in file order. */
  sql: SqlBlock[];
  /** Roles to create and keep in shape (never dropped). */
  roles: Role[];
  /** Privileges to grant; undefined when the file has no `grants` key (privileges are then not managed). */
  grants?: Grant[];
  /** Extensions to create (ext). */
  extensions: Extension[];
  /** Views and materialized views (ext), in YAML order (the order they are created in). */
  views: View[];
  /** Non-fatal remarks (e.g. `Float` is 32-bit `real`), located. */
  warnings: Array<{ at: SourceRef; message: string }>;
}

/** A plain name with its location (an entry of `schemas`). */
export interface NamedRef {
  /** The raw name. */
  name: string;
  /** Where it was written. */
  at: SourceRef;
}

/** When a `sql:` item is loaded: after the schemas and enum types (`beforeTables`), or after everything. */
export type SqlLoad = "beforeTables" | "afterTables";

/** One `sql:` item (ext): one or more SQL statements, loaded as written. */
export interface SqlBlock extends Located {
  /** The SQL text as written. */
  sql: string;
  /** Load slot; default `afterTables`. */
  load: SqlLoad;
  /**
   * Where characters of `sql` were written: from offset `start` on, text maps one to one onto
   * the file from `source` (lines of a `|` block, a single-line scalar); sorted by `start`.
   */
  spans: SourceSpan[];
}

/** A `CREATE TYPE … AS ENUM` type, declared under `enums` or implied by `Enum(name:a|b)`. */
export interface EnumType extends Located {
  /** Schema, default `public`. */
  schema: string;
  /** Type name. */
  name: string;
  /** Labels in order. */
  values: string[];
  /** Declared label renames (`renamedValues`, ext): old label → a label of `values`. */
  renamedValues?: LabelRename[];
}

/** One table. */
export interface Table extends Located {
  /** Schema, default `public`. */
  schema: string;
  /** Table name. */
  name: string;
  /** Columns in YAML order (the CREATE TABLE order). */
  columns: Column[];
  /** The primary key, if any. */
  primaryKey?: PrimaryKey;
  /** Foreign keys in YAML order. */
  foreignKeys: ForeignKey[];
  /** Unique constraints in YAML order. */
  uniqueConstraints: UniqueConstraint[];
  /** Table-level CHECK constraints. */
  checkConstraints: CheckConstraint[];
  /** Indexes in YAML order. */
  indexes: Index[];
  /** Row-level security switches and policies. */
  rowLevelSecurity?: RowLevelSecurity;
  /** `COMMENT ON TABLE` text. */
  comment?: string;
  /** Previous name, to plan a rename (ext). */
  renamedFrom?: string;
}

/** `identity:` (ext) — `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`. */
export type IdentityKind = "always" | "byDefault";

/** One column. */
export interface Column extends Located {
  /** Column name, case kept. */
  name: string;
  /** The type as written. */
  type: string;
  /** The PostgreSQL type: the portable type mapped, anything else unchanged. */
  pgType: string;
  /** The enum an `Enum(name:a|b)` type names, with the values listed there. */
  impliedEnum?: EnumType;
  /** Default true; primary-key columns are NOT NULL regardless. */
  isNullable: boolean;
  /** SQL default as written. */
  defaultValue?: string;
  /** LQL default as written (wins over `defaultValue`). */
  defaultLqlExpression?: string;
  /** The SQL rendered after DEFAULT: the translated LQL, else `defaultValue`. */
  defaultSql?: string;
  /** Integer types become serial types (as DataProviderMigrate does). */
  isIdentity: boolean;
  /** Real identity column (ext); wins over `isIdentity`. */
  identity?: IdentityKind;
  /** Column CHECK expression. */
  checkConstraint?: string;
  /** Explicit name for the column CHECK. */
  checkConstraintName?: string;
  /** `COMMENT ON COLUMN` text. */
  comment?: string;
  /** `COLLATE` name. */
  collation?: string;
  /** `GENERATED ALWAYS AS (…) STORED` expression (ext). */
  computedExpression?: string;
  /** Previous name, to plan a rename (ext). */
  renamedFrom?: string;
}

/** `primaryKey:`. */
export interface PrimaryKey extends Located {
  /** Explicit name; default `PK_<table>`. */
  name?: string;
  /** Key columns in order. */
  columns: string[];
}

/** Referential action; `noAction` is PostgreSQL's default and is not printed. */
export type FkAction =
  | "noAction"
  | "cascade"
  | "setNull"
  | "setDefault"
  | "restrict";

/** One `foreignKeys` entry. */
export interface ForeignKey extends Located {
  /** Explicit name; default `FK_<table>_<col1>_<col2>…`. */
  name?: string;
  /** Referencing columns. */
  columns: string[];
  /** Referenced table's schema, default `public`. */
  referencedSchema: string;
  /** Referenced table. */
  referencedTable: string;
  /** Referenced columns, same count as `columns`. */
  referencedColumns: string[];
  /** ON DELETE action. */
  onDelete: FkAction;
  /** ON UPDATE action. */
  onUpdate: FkAction;
}

/** One `uniqueConstraints` entry. */
export interface UniqueConstraint extends Located {
  /** Explicit name; default `UQ_<table>_<col1>_<col2>…`. */
  name?: string;
  /** Columns in order. */
  columns: string[];
}

/** One table-level `checkConstraints` entry. */
export interface CheckConstraint extends Located {
  /** Constraint name (required). */
  name: string;
  /** SQL boolean expression. */
  expression: string;
}

/** Index access methods accepted by `method:` (ext). */
export type IndexMethod = "btree" | "gin" | "gist" | "brin" | "hash";

/** One `indexes` entry. */
export interface Index extends Located {
  /** Index name (required; indexes are matched by name). */
  name: string;
  /** Key columns, used when `expressions` is empty. */
  columns: string[];
  /** Key expressions; replace `columns` when given. */
  expressions: string[];
  /** `CREATE UNIQUE INDEX`. */
  isUnique: boolean;
  /** Partial-index predicate. */
  filter?: string;
  /** Access method (ext); absent means PostgreSQL's default (btree). */
  method?: IndexMethod;
  /** Non-key `INCLUDE` columns (ext). */
  include: string[];
}

/** `rowLevelSecurity:`. */
export interface RowLevelSecurity extends Located {
  /** `ENABLE ROW LEVEL SECURITY`, default true. */
  enabled: boolean;
  /** `FORCE ROW LEVEL SECURITY`, default false. */
  forced: boolean;
  /** Policies in order. */
  policies: Policy[];
}

/** Policy command. */
export type PolicyOperation = "all" | "select" | "insert" | "update" | "delete";

/** One RLS policy. */
export interface Policy extends Located {
  /** Policy name. */
  name: string;
  /** PERMISSIVE (default) or RESTRICTIVE. */
  permissive: boolean;
  /** Commands it applies to; empty means ALL. */
  operations: PolicyOperation[];
  /** Roles; empty means PUBLIC. */
  roles: string[];
  /** Simple predicate (translated later). */
  using?: string;
  /** Simple predicate (translated later). */
  withCheck?: string;
  /** SQL predicate; wins over `using`. */
  usingSql?: string;
  /** SQL predicate; wins over `withCheck`. */
  withCheckSql?: string;
  /** The SQL rendered after USING: `usingSql` as written, else `using` translated. */
  usingExpr?: string;
  /** The SQL rendered after WITH CHECK: `withCheckSql` as written, else `withCheck` translated. */
  withCheckExpr?: string;
}

/** Function volatility (`volatility:`), default `stable`. */
export type Volatility = "volatile" | "stable" | "immutable";

/** One `arguments` entry of a function. */
export interface FunctionArgument extends Located {
  /** Argument name. */
  name: string;
  /** The type as written. */
  type: string;
  /** The PostgreSQL type: the portable type mapped, anything else unchanged. */
  pgType: string;
}

/** One `functions` entry. */
export interface FunctionDef extends Located {
  /** Schema, default `public`. */
  schema: string;
  /** Function name. */
  name: string;
  /** Arguments in order. */
  arguments: FunctionArgument[];
  /** Result type as PostgreSQL should see it (portable types mapped), default `void`. */
  returns: string;
  /** Language, lower case, default `sql`. */
  language: string;
  /** Volatility, default `stable`. */
  volatility: Volatility;
  /** `SECURITY DEFINER`, default false. */
  securityDefiner: boolean;
  /** The body, as written (SQL or the language's own text). */
  body?: string;
  /** An LQL body (DataProviderMigrate's dialect): not translated, refused with a hint. */
  bodyLql?: string;
  /** Roles granted EXECUTE. */
  executeRoles: string[];
  /** `REVOKE EXECUTE … FROM PUBLIC`, default true. */
  revokePublicExecute: boolean;
}

/** One `roles` entry. */
export interface Role extends Located {
  /** Role name. */
  name: string;
  /** LOGIN, default false. */
  login: boolean;
  /** BYPASSRLS, default false. */
  bypassRls: boolean;
  /** Roles this role is granted to (`GRANT <name> TO <each>`), as written. */
  grantTo: string[];
}

/** What a grant is on. */
export type GrantTarget = "schema" | "table" | "allTablesInSchema";

/** One `grants` entry. */
export interface Grant extends Located {
  /** Schema of the object (for `Schema`: the schema itself unless `objectName` names it). */
  schema: string;
  /** Kind of object. */
  target: GrantTarget;
  /** Table name (`Table`), or schema name (`Schema`). */
  objectName?: string;
  /** Privilege keywords, upper case, `ALL` expanded (see read_access.ts). */
  privileges: string[];
  /** Grantees; `public` stands for PUBLIC. */
  roles: string[];
  /** Role to run the GRANT as (`SET ROLE`). */
  runAs?: string;
}

/** One `extensions` entry (ext). */
export interface Extension extends Located {
  /** Extension name. */
  name: string;
  /** Schema to install it in; when absent, wherever it is is fine. */
  schema?: string;
  /** Version; when absent, any installed version is fine. */
  version?: string;
}

/** One `views` entry (ext): `CREATE [MATERIALIZED] VIEW schema.name AS sql`. */
export interface View extends Located {
  /** Schema, default `public`. */
  schema: string;
  /** View name. */
  name: string;
  /** The query, as written (validated by PostgreSQL in the shadow). */
  sql: string;
  /** A materialized view; default false. */
  materialized: boolean;
}
