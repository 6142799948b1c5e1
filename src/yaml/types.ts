/**
 * The desired schema as written in schema.yaml, after validation. Names are raw (never quoted
 * here); every node keeps where it came from so rendered statements can point back at the YAML.
 * @module
 */
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
  /**
   * Top-level sections that are parsed (only their being lists is checked) but not yet rendered:
   * `roles`, `functions`, `grants`, `extensions`, `views`. Callers warn that they are ignored.
   */
  unrendered: UnrenderedSection[];
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

/** A top-level section accepted but not yet rendered. */
export interface UnrenderedSection {
  /** The top-level key. */
  key: "roles" | "functions" | "grants" | "extensions" | "views";
  /** How many items it lists. */
  count: number;
  /** Where the key's value starts. */
  at: SourceRef;
}

/** A `CREATE TYPE … AS ENUM` type, declared under `enums` or implied by `Enum(name:a|b)`. */
export interface EnumType extends Located {
  /** Schema, default `public`. */
  schema: string;
  /** Type name. */
  name: string;
  /** Labels in order. */
  values: string[];
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
