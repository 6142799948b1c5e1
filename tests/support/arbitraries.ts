/**
 * fast-check arbitraries of schema.yaml documents within issue 2's scope (tables, columns,
 * keys, CHECKs, FKs, indexes, comments), and of pairs (a, b) where b is a mutation of a.
 *
 * Generation goes through a small model ({@link SchemaModel}) so that mutations can keep the
 * schema valid and keep one row of default values per table legal under both a and b; the
 * model is turned into YAML text with the `yaml` package. Random choices are plain numbers that
 * a pure builder resolves, so every generated document is valid whatever fast-check shrinks to.
 * @module
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { mulberry32 } from "./prng.ts";

/** Column types the generator uses: portable names and native PostgreSQL ones. */
export type TypeKind =
  | "Int"
  | "BigInt"
  | "Text"
  | "VarChar"
  | "Decimal"
  | "Boolean"
  | "Uuid"
  | "DateTimeOffset"
  | "timestamptz"
  | "numeric(12,2)"
  | "text[]";

/** A column type with its size arguments. */
export interface ColumnType {
  /** Type name. */
  kind: TypeKind;
  /** `VarChar(n)` length. */
  length?: number;
  /** `Decimal(p,s)` precision. */
  precision?: number;
  /** `Decimal(p,s)` scale. */
  scale?: number;
}

/** A value a column can hold (words for text, numbers for integers and numerics). */
export type Value = string | number | boolean;

/** A column CHECK, as a form and its constants (rendered with the column name bare). */
export type CheckModel =
  | { form: "in"; values: Value[]; orNull: boolean; tight: boolean }
  | { form: "between"; lo: number; hi: number }
  | { form: "range"; lo: number; hi: number }
  | { form: "regex" }
  | { form: "length" }
  | { form: "isFalse" };

/** A column default. */
export type DefaultModel =
  | { kind: "value"; value: Value; via: "defaultValue" | "lql" | "scalar" }
  | { kind: "fn"; key: "defaultValue" | "defaultLqlExpression"; expr: string }
  | { kind: "sql"; sql: string };

/** One column. */
export interface ColumnModel {
  /** Name, case kept. */
  name: string;
  /** Type. */
  type: ColumnType;
  /** `isNullable`. */
  nullable: boolean;
  /** Write `isNullable` even when it is the default (true). */
  explicitNullable: boolean;
  /** `isIdentity` (integer columns only, never with a default). */
  identity: boolean;
  /** Default. */
  default?: DefaultModel;
  /** Column CHECK. */
  check?: CheckModel;
  /** `checkConstraintName`. */
  checkName?: string;
  /** `comment`. */
  comment?: string;
  /** Used by a view or a policy (see kinds_arbitraries.ts): never dropped by a mutation. */
  pinned?: boolean;
}

/** A foreign key onto an earlier table's primary key. */
export interface ForeignKeyModel {
  /** Explicit name, or undefined for the default. */
  name?: string;
  /** Referencing columns. */
  columns: string[];
  /** Referenced schema. */
  refSchema: string;
  /** Referenced table. */
  refTable: string;
  /** Referenced columns (the target's primary key). */
  refColumns: string[];
  /** `onDelete` (YAML spelling). */
  onDelete: string;
  /** `onUpdate` (YAML spelling). */
  onUpdate: string;
  /** Write `referencedSchema: public` even though it is the default. */
  explicitSchema: boolean;
}

/** An index key: a column, or `lower(column)`. */
export interface IndexKey {
  /** The column. */
  column: string;
  /** Index `lower(column)` instead of the column. */
  lower: boolean;
}

/** Partial-index predicates, one column each. */
export type FilterForm = "notNull" | "positive" | "isTrue";

/** One index. */
export interface IndexModel {
  /** Name (indexes are matched by name). */
  name: string;
  /** Keys. */
  keys: IndexKey[];
  /** `isUnique`. */
  unique: boolean;
  /** Partial-index predicate. */
  filter?: { column: string; form: FilterForm };
}

/** One table. */
export interface TableModel {
  /** `public` or `app`. */
  schema: string;
  /** Name, case kept. */
  name: string;
  /** Columns in order. */
  columns: ColumnModel[];
  /** Primary key. */
  pk?: { name?: string; columns: string[] };
  /** Unique constraints. */
  uniques: Array<{ name?: string; columns: string[] }>;
  /** Foreign keys. */
  fks: ForeignKeyModel[];
  /** Indexes. */
  indexes: IndexModel[];
  /** Table-level CHECKs over one column each. */
  checks: Array<{ name: string; column: string; check: CheckModel }>;
  /** `comment`. */
  comment?: string;
}

/** A whole schema.yaml. */
export interface SchemaModel {
  /** Top-level `name` label, sometimes. */
  label?: string;
  /** Tables in order (foreign keys point only at earlier tables). */
  tables: TableModel[];
}

// ---------------------------------------------------------------------------------------------
// Values, checks and defaults per type family

type Family = "int" | "text" | "numeric" | "bool" | "time" | "uuid" | "array";

function familyOf(t: ColumnType): Family {
  switch (t.kind) {
    case "Int":
    case "BigInt":
      return "int";
    case "Text":
    case "VarChar":
      return "text";
    case "Decimal":
    case "numeric(12,2)":
      return "numeric";
    case "Boolean":
      return "bool";
    case "DateTimeOffset":
    case "timestamptz":
      return "time";
    case "Uuid":
      return "uuid";
    case "text[]":
      return "array";
  }
}

function scaleOf(t: ColumnType): number {
  return t.kind === "numeric(12,2)" ? 2 : t.scale ?? 0;
}

/** The type as written in YAML. */
export function typeText(t: ColumnType): string {
  if (t.kind === "VarChar") return `VarChar(${t.length})`;
  if (t.kind === "Decimal") return `Decimal(${t.precision},${t.scale})`;
  return t.kind;
}

/** Short lowercase words: all match `^[a-z]+$`, none longer than the shortest VarChar (4). */
const WORDS = ["a", "b", "c", "ok", "new", "old", "red", "abc"];

/** The value a choice number stands for in a column's family. */
function valueFor(t: ColumnType, n: number): Value {
  switch (familyOf(t)) {
    case "int":
      return (n % 106) - 5;
    case "numeric":
      return scaleOf(t) === 0 ? n % 1000 : (n % 100000) / 100;
    case "bool":
      return n % 2 === 0;
    default:
      return WORDS[n % WORDS.length];
  }
}

/** A value as an SQL constant. */
function sqlValue(t: ColumnType, v: Value): string {
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "number" && familyOf(t) === "numeric") return v.toFixed(scaleOf(t));
  return String(v);
}

/** Whether a column value satisfies a check (NULL always does: a CHECK passes on unknown). */
export function satisfies(check: CheckModel | undefined, v: Value | null): boolean {
  if (check === undefined || v === null) return true;
  switch (check.form) {
    case "in":
      return check.values.includes(v);
    case "between":
    case "range":
      return typeof v === "number" && check.lo <= v && v <= check.hi;
    case "regex":
      return typeof v === "string" && /^[a-z]+$/.test(v);
    case "length":
      return typeof v === "string" && v.length > 0;
    case "isFalse":
      return v === false;
  }
}

/** Render a check on `column`, written bare as users write it (the tool quotes it). */
export function checkSql(column: string, t: ColumnType, c: CheckModel): string {
  switch (c.form) {
    case "in": {
      const list = c.values.map((v) => sqlValue(t, v)).join(c.tight ? "," : ", ");
      return c.orNull ? `${column} IS NULL OR ${column} IN (${list})` : `${column} IN (${list})`;
    }
    case "between":
      return `${column} BETWEEN ${sqlValue(t, c.lo)} AND ${sqlValue(t, c.hi)}`;
    case "range":
      return `${column} >= ${sqlValue(t, c.lo)} AND ${column} <= ${sqlValue(t, c.hi)}`;
    case "regex":
      return `${column} ~ '^[a-z]+$'`;
    case "length":
      return `length(${column}) > 0`;
    case "isFalse":
      return `${column} = false`;
  }
}

/** Raw choices for one check. */
interface CheckSeed {
  form: number;
  values: number[];
  lo: number;
  hi: number;
  orNull: boolean;
  tight: boolean;
}

const checkSeedArb: fc.Arbitrary<CheckSeed> = fc.record({
  form: fc.nat(5),
  values: fc.array(fc.nat(200), { minLength: 1, maxLength: 4 }),
  lo: fc.nat(400),
  hi: fc.nat(400),
  orNull: fc.boolean(),
  tight: fc.boolean(),
});

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Build a check for a type from raw choices, widened so every value of `keep` satisfies it. */
function buildCheck(t: ColumnType, s: CheckSeed, keep: Value[]): CheckModel | undefined {
  const fam = familyOf(t);
  const forms: CheckModel["form"][] = fam === "int"
    ? ["in", "between"]
    : fam === "text"
    ? ["in", "regex", "length"]
    : fam === "numeric"
    ? ["between", "range", "in"]
    : fam === "bool"
    ? ["isFalse"]
    : [];
  if (forms.length === 0) return undefined;
  const form = forms[s.form % forms.length];
  switch (form) {
    case "in":
      return {
        form,
        values: unique([...keep, ...s.values.map((n) => valueFor(t, n))]),
        orNull: s.orNull,
        tight: s.tight,
      };
    case "between":
    case "range": {
      const nums = [valueFor(t, s.lo), valueFor(t, s.hi), ...keep].map(Number);
      return { form, lo: Math.min(...nums), hi: Math.max(...nums) };
    }
    case "isFalse":
      return keep.some((v) => v !== false) ? undefined : { form };
    default:
      return { form } as CheckModel;
  }
}

/** A value the check allows, picked by `n` (undefined when there is none). */
function allowedValue(t: ColumnType, c: CheckModel | undefined, n: number): Value | undefined {
  if (c === undefined) return valueFor(t, n);
  switch (c.form) {
    case "in":
      return c.values[n % c.values.length];
    case "between":
    case "range":
      return n % 2 === 0 ? c.lo : c.hi;
    case "isFalse":
      return false;
    default:
      return valueFor(t, n);
  }
}

/** Build a default for a column from raw choices; undefined means no default. */
function buildDefault(t: ColumnType, c: CheckModel | undefined, pick: number, via: number): DefaultModel | undefined {
  switch (familyOf(t)) {
    case "time":
      return [
        { kind: "fn", key: "defaultLqlExpression", expr: "now()" },
        { kind: "fn", key: "defaultLqlExpression", expr: "current_timestamp()" },
        { kind: "fn", key: "defaultValue", expr: "now()" },
        { kind: "fn", key: "defaultValue", expr: "CURRENT_TIMESTAMP" },
      ][via % 4] as DefaultModel;
    case "uuid":
      return [
        { kind: "fn", key: "defaultLqlExpression", expr: "gen_uuid()" },
        { kind: "fn", key: "defaultLqlExpression", expr: "uuid()" },
        { kind: "fn", key: "defaultValue", expr: "gen_random_uuid()" },
      ][via % 3] as DefaultModel;
    case "array":
      return { kind: "sql", sql: via % 2 === 0 ? "'{}'" : "ARRAY[]::text[]" };
    default: {
      const value = allowedValue(t, c, pick);
      if (value === undefined) return undefined;
      const vias = typeof value === "string"
        ? ["defaultValue", "lql"] as const
        : ["defaultValue", "lql", "scalar"] as const;
      return { kind: "value", value, via: vias[via % vias.length] };
    }
  }
}

/** What the one test row holds in a column after `INSERT … DEFAULT VALUES`: null, a value, or opaque. */
export function rowValue(c: ColumnModel): Value | null | "opaque" {
  if (c.identity) return 1;
  if (c.default === undefined) return null;
  return c.default.kind === "value" ? c.default.value : "opaque";
}

// ---------------------------------------------------------------------------------------------
// Names

const TABLE_NAMES = [
  "accounts",
  "orders",
  "items",
  "events",
  "invoices",
  "audit_log",
  "Customers",
  "LineItems",
  "Widgets",
  // Long names: default constraint names are cut to 63 bytes the way PostgreSQL cuts them.
  "customer_subscription_billing_events_archive_v2",
  "CustomerSubscriptionBillingHistory",
];
const COLUMN_NAMES = [
  "code",
  "kind",
  "status",
  "amount",
  "price",
  "qty",
  "flag",
  "note",
  "title",
  "label",
  "created_at",
  "score",
  "Kind",
  "Status",
  "OrderNo",
  "DisplayName",
  "IsActive",
  "subscription_renewal_reminder_sent_at",
  "subscription_renewal_reminder_sent_by",
  "PreferredCommunicationChannel",
];
const COMMENTS = ["Customer's orders", "plain words", "ünïcödé ✓", "two\nlines", '100% "quoted"'];
const FK_ACTIONS = ["NoAction", "Cascade", "SetNull", "SetDefault", "Restrict"];

/** DataProviderMigrate's default `PK_`/`UQ_`/`FK_` name, cut to 63 bytes (names here are ASCII). */
function defaultName(prefix: string, table: string, columns: string[]): string {
  return `${prefix}_${table}_${columns.join("_")}`.slice(0, 63);
}

/**
 * Whether an unnamed unique on `columns` would get the default name of another unique of `t`
 * (two long column lists can cut to the same 63 bytes; such a file is invalid, so name it).
 */
function defaultUniqueTaken(t: TableModel, columns: string[]): boolean {
  const auto = defaultName("UQ", t.name, columns);
  return t.uniques.some((u) => (u.name ?? defaultName("UQ", t.name, u.columns)) === auto);
}

/** A name not in `taken`: `base`, else `base_2`, `base_3`, … */
function freshName(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let i = 2;; i++) if (!set.has(`${base}_${i}`)) return `${base}_${i}`;
}

// ---------------------------------------------------------------------------------------------
// Columns and tables from raw choices

const columnTypeArb: fc.Arbitrary<ColumnType> = fc.oneof(
  fc.constantFrom<ColumnType>(
    { kind: "Int" },
    { kind: "BigInt" },
    { kind: "Text" },
    { kind: "Boolean" },
    { kind: "Uuid" },
    { kind: "DateTimeOffset" },
    { kind: "timestamptz" },
    { kind: "numeric(12,2)" },
    { kind: "text[]" },
  ),
  fc.record({ kind: fc.constant<TypeKind>("VarChar"), length: fc.integer({ min: 4, max: 40 }) }),
  fc.record({
    kind: fc.constant<TypeKind>("Decimal"),
    precision: fc.constantFrom(5, 8, 12),
    scale: fc.constantFrom(0, 2),
  }),
);

/** Raw choices for one column. */
export interface ColumnSeed {
  type: ColumnType;
  nullable: boolean;
  explicitNullable: boolean;
  identity: boolean;
  hasDefault: boolean;
  defaultPick: number;
  defaultVia: number;
  check: CheckSeed | null;
  namedCheck: boolean;
  comment: string | null;
}

const columnSeedArb: fc.Arbitrary<ColumnSeed> = fc.record({
  type: columnTypeArb,
  nullable: fc.boolean(),
  explicitNullable: fc.boolean(),
  identity: fc.boolean(),
  hasDefault: fc.boolean(),
  defaultPick: fc.nat(50),
  defaultVia: fc.nat(11),
  check: fc.option(checkSeedArb, { freq: 2 }),
  namedCheck: fc.boolean(),
  comment: fc.option(fc.constantFrom(...COMMENTS), { freq: 4 }),
});

/** Build a column: the check first, then a default the check allows. */
function buildColumn(name: string, s: ColumnSeed): ColumnModel {
  const identity = s.identity && familyOf(s.type) === "int";
  const keep = identity ? [1] : [];
  const check = s.check === null ? undefined : buildCheck(s.type, s.check, keep);
  const def = identity || !s.hasDefault ? undefined : buildDefault(s.type, check, s.defaultPick, s.defaultVia);
  const col: ColumnModel = { name, type: s.type, nullable: s.nullable, explicitNullable: s.explicitNullable, identity };
  if (def !== undefined) col.default = def;
  if (check !== undefined) {
    col.check = check;
    if (s.namedCheck) col.checkName = `ck_${name}`;
  }
  if (s.comment !== null) col.comment = s.comment;
  return col;
}

/** Raw choices for one table. */
interface TableSeed {
  name: number;
  app: boolean;
  id: "serial" | "bigserial" | "uuid" | "none";
  columns: Array<{ name: number; seed: ColumnSeed }>;
  pk: { composite: boolean; named: boolean } | null;
  uniques: Array<{ cols: number[]; named: boolean }>;
  fks: Array<
    { target: number; named: boolean; onDelete: number; onUpdate: number; notNull: boolean; explicit: boolean }
  >;
  indexes: Array<{ cols: number[]; lower: boolean; unique: boolean; filter: number | null }>;
  checks: Array<{ col: number; seed: CheckSeed }>;
  comment: string | null;
}

const tableSeedArb: fc.Arbitrary<TableSeed> = fc.record({
  name: fc.nat(TABLE_NAMES.length - 1),
  app: fc.boolean(),
  id: fc.constantFrom("serial", "bigserial", "uuid", "none"),
  columns: fc.array(fc.record({ name: fc.nat(COLUMN_NAMES.length - 1), seed: columnSeedArb }), {
    minLength: 1,
    maxLength: 5,
  }),
  pk: fc.option(fc.record({ composite: fc.boolean(), named: fc.boolean() }), { freq: 5 }),
  uniques: fc.array(fc.record({ cols: fc.array(fc.nat(20), { minLength: 1, maxLength: 2 }), named: fc.boolean() }), {
    maxLength: 2,
  }),
  fks: fc.array(
    fc.record({
      target: fc.nat(10),
      named: fc.boolean(),
      onDelete: fc.nat(FK_ACTIONS.length - 1),
      onUpdate: fc.nat(FK_ACTIONS.length - 1),
      notNull: fc.boolean(),
      explicit: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  indexes: fc.array(
    fc.record({
      cols: fc.array(fc.nat(20), { minLength: 1, maxLength: 2 }),
      lower: fc.boolean(),
      unique: fc.boolean(),
      filter: fc.option(fc.nat(20), { freq: 2 }),
    }),
    { maxLength: 3 },
  ),
  checks: fc.array(fc.record({ col: fc.nat(20), seed: checkSeedArb }), { maxLength: 1 }),
  comment: fc.option(fc.constantFrom(...COMMENTS), { freq: 3 }),
});

const PK_KINDS: ReadonlySet<TypeKind> = new Set(["Int", "BigInt", "Uuid", "Text", "VarChar"]);

/** The filter forms a column's type allows. */
function filterForms(t: ColumnType): FilterForm[] {
  const fam = familyOf(t);
  if (fam === "int" || fam === "numeric") return ["notNull", "positive"];
  if (fam === "bool") return ["notNull", "isTrue"];
  return ["notNull"];
}

function pickDistinct<T>(xs: readonly T[], picks: number[]): T[] {
  return unique(picks.map((n) => xs[n % xs.length]));
}

/** Build one table from its seed; `earlier` are the tables before it (FK targets). */
function buildTable(s: TableSeed, index: number, earlier: TableModel[]): TableModel {
  const schema = index > 0 && s.app ? "app" : "public";
  const name = freshName(
    TABLE_NAMES[s.name],
    earlier.filter((t) => t.schema === schema).map((t) => t.name),
  );
  const columns: ColumnModel[] = [];
  const taken = () => columns.map((c) => c.name);
  if (s.id !== "none") {
    const type: ColumnType = { kind: s.id === "bigserial" ? "BigInt" : s.id === "uuid" ? "Uuid" : "Int" };
    const col: ColumnModel = {
      name: "id",
      type,
      nullable: false,
      explicitNullable: true,
      identity: s.id !== "uuid",
    };
    if (s.id === "uuid") col.default = { kind: "fn", key: "defaultLqlExpression", expr: "gen_uuid()" };
    columns.push(col);
  }
  for (const c of s.columns) {
    columns.push(buildColumn(freshName(COLUMN_NAMES[c.name], taken()), c.seed));
  }
  const t: TableModel = { schema, name, columns, uniques: [], fks: [], indexes: [], checks: [] };

  const keyable = columns.filter((c) => PK_KINDS.has(c.type.kind));
  if (s.pk !== null && keyable.length > 0) {
    const cols = keyable.slice(0, s.pk.composite ? 2 : 1).map((c) => c.name);
    t.pk = s.pk.named ? { name: `pk_${name}`, columns: cols } : { columns: cols };
  }

  s.fks.forEach((f, i) => {
    const targets = earlier.filter((e) => e.pk !== undefined);
    if (targets.length === 0) return;
    const target = targets[f.target % targets.length];
    const fkCols = target.pk!.columns.map((pkCol) => {
      const ref = target.columns.find((c) => c.name === pkCol)!;
      const col: ColumnModel = {
        name: freshName(`${target.name}_${pkCol}`.slice(0, 59), taken()),
        type: ref.type,
        nullable: !f.notNull,
        explicitNullable: f.notNull,
        identity: false,
      };
      columns.push(col);
      return col.name;
    });
    const fk: ForeignKeyModel = {
      columns: fkCols,
      refSchema: target.schema,
      refTable: target.name,
      refColumns: target.pk!.columns,
      onDelete: FK_ACTIONS[f.onDelete],
      onUpdate: FK_ACTIONS[f.onUpdate],
      explicitSchema: f.explicit,
    };
    const auto = defaultName("FK", name, fkCols);
    if (f.named || t.fks.some((o) => o.name === undefined && defaultName("FK", name, o.columns) === auto)) {
      fk.name = `fk_${name}_${i + 1}`;
    }
    t.fks.push(fk);
  });

  const names = columns.map((c) => c.name);
  const seenSets = new Set<string>();
  s.uniques.forEach((u, i) => {
    const cols = pickDistinct(names, u.cols);
    const key = cols.join("\u0000");
    if (seenSets.has(key)) return;
    seenSets.add(key);
    const named = u.named || defaultUniqueTaken(t, cols);
    t.uniques.push(named ? { name: `uq_${name}_${i + 1}`, columns: cols } : { columns: cols });
  });

  s.indexes.forEach((ix, i) => {
    const cols = pickDistinct(columns, ix.cols);
    const keys = cols.map((c, k) => ({ column: c.name, lower: ix.lower && k === 0 && familyOf(c.type) === "text" }));
    const model: IndexModel = { name: `ix_${name}_${i + 1}`, keys, unique: ix.unique };
    if (ix.filter !== null) {
      const on = columns[ix.filter % columns.length];
      const forms = filterForms(on.type);
      model.filter = { column: on.name, form: forms[ix.filter % forms.length] };
    }
    t.indexes.push(model);
  });

  s.checks.forEach((k, i) => {
    const col = columns[k.col % columns.length];
    const v = rowValue(col);
    const check = buildCheck(col.type, k.seed, v === null || v === "opaque" ? [] : [v]);
    if (check !== undefined) t.checks.push({ name: `tck_${name}_${i + 1}`, column: col.name, check });
  });
  if (s.comment !== null) t.comment = s.comment;
  return t;
}

/** Build a schema model from table seeds (the first table always lives in `public`). */
function buildSchema(seeds: TableSeed[], label: boolean): SchemaModel {
  const tables: TableModel[] = [];
  seeds.forEach((s, i) => tables.push(buildTable(s, i, tables)));
  return label ? { label: "generated", tables } : { tables };
}

/** Arbitrary schema models: 1–4 tables, in `public` and sometimes `app`. */
export const schemaModelArb: fc.Arbitrary<SchemaModel> = fc.tuple(
  fc.array(tableSeedArb, { minLength: 1, maxLength: 4 }),
  fc.boolean(),
).map(([seeds, label]) => buildSchema(seeds, label));

// ---------------------------------------------------------------------------------------------
// Model → YAML

function filterSql(f: NonNullable<IndexModel["filter"]>): string {
  switch (f.form) {
    case "notNull":
      return `${f.column} IS NOT NULL`;
    case "positive":
      return `${f.column} > 0`;
    case "isTrue":
      return `${f.column} = true`;
  }
}

function columnYaml(c: ColumnModel): Record<string, unknown> {
  const out: Record<string, unknown> = { name: c.name, type: typeText(c.type) };
  if (!c.nullable || c.explicitNullable) out.isNullable = c.nullable;
  const d = c.default;
  if (d?.kind === "value") {
    const sql = sqlValue(c.type, d.value);
    if (d.via === "scalar") out.defaultValue = typeof d.value === "string" ? sql : d.value;
    else if (d.via === "lql") out.defaultLqlExpression = sql;
    else out.defaultValue = sql;
  } else if (d?.kind === "fn") out[d.key] = d.expr;
  else if (d?.kind === "sql") out.defaultValue = d.sql;
  if (c.identity) out.isIdentity = true;
  if (c.check !== undefined) out.checkConstraint = checkSql(c.name, c.type, c.check);
  if (c.checkName !== undefined) out.checkConstraintName = c.checkName;
  if (c.comment !== undefined) out.comment = c.comment;
  return out;
}

function tableYaml(t: TableModel): Record<string, unknown> {
  const out: Record<string, unknown> = { name: t.name };
  if (t.schema !== "public") out.schema = t.schema;
  out.columns = t.columns.map(columnYaml);
  // Fresh arrays everywhere: shared ones would be written as YAML anchors and aliases.
  if (t.pk !== undefined) out.primaryKey = { ...t.pk, columns: [...t.pk.columns] };
  if (t.uniques.length > 0) out.uniqueConstraints = t.uniques.map((u) => ({ ...u, columns: [...u.columns] }));
  if (t.fks.length > 0) {
    out.foreignKeys = t.fks.map((f) => {
      const fk: Record<string, unknown> = {};
      if (f.name !== undefined) fk.name = f.name;
      fk.columns = [...f.columns];
      fk.referencedTable = f.refTable;
      if (f.refSchema !== "public" || f.explicitSchema) fk.referencedSchema = f.refSchema;
      fk.referencedColumns = [...f.refColumns];
      if (f.onDelete !== "NoAction" || f.explicitSchema) fk.onDelete = f.onDelete;
      if (f.onUpdate !== "NoAction") fk.onUpdate = f.onUpdate;
      return fk;
    });
  }
  if (t.indexes.length > 0) {
    out.indexes = t.indexes.map((ix) => {
      const o: Record<string, unknown> = { name: ix.name };
      if (ix.keys.some((k) => k.lower)) {
        o.expressions = ix.keys.map((k) => k.lower ? `lower(${k.column})` : k.column);
      } else o.columns = ix.keys.map((k) => k.column);
      if (ix.unique) o.isUnique = true;
      if (ix.filter !== undefined) o.filter = filterSql(ix.filter);
      return o;
    });
  }
  if (t.checks.length > 0) {
    out.checkConstraints = t.checks.map((k) => {
      const col = t.columns.find((c) => c.name === k.column)!;
      return { name: k.name, expression: checkSql(k.column, col.type, k.check) };
    });
  }
  if (t.comment !== undefined) out.comment = t.comment;
  return out;
}

/** The schema.yaml object (plain JS) of a model. */
export function schemaObject(m: SchemaModel): Record<string, unknown> {
  return m.label === undefined
    ? { tables: m.tables.map(tableYaml) }
    : { name: m.label, tables: m.tables.map(tableYaml) };
}

/** The schema.yaml text of a model. */
export function toYaml(m: SchemaModel): string {
  return stringify(schemaObject(m));
}

/** Arbitrary schema.yaml documents (text). */
export const schemaYamlArb: fc.Arbitrary<string> = schemaModelArb.map(toYaml);

// ---------------------------------------------------------------------------------------------
// Shuffling (same schema, other input order)

const prng = mulberry32;

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function shuffleKeys(o: Record<string, unknown>, rnd: () => number): Record<string, unknown> {
  return Object.fromEntries(shuffle(Object.entries(o), rnd));
}

const CONSTRAINT_LISTS = ["uniqueConstraints", "foreignKeys", "indexes", "checkConstraints"];

/**
 * The same schema with tables, constraint lists (unique, FK, index, table CHECK) and the keys of
 * every map in another order. Column order is kept: it is part of the table.
 */
export function shuffledObject(m: SchemaModel, seed: number): Record<string, unknown> {
  const rnd = prng(seed);
  const tables = shuffle(m.tables.map(tableYaml), rnd).map((t) => {
    const out: Record<string, unknown> = { ...t };
    out.columns = (t.columns as Record<string, unknown>[]).map((c) => shuffleKeys(c, rnd));
    for (const key of CONSTRAINT_LISTS) {
      const list = t[key] as Record<string, unknown>[] | undefined;
      if (list !== undefined) out[key] = shuffle(list, rnd).map((x) => shuffleKeys(x, rnd));
    }
    if (t.primaryKey !== undefined) out.primaryKey = shuffleKeys(t.primaryKey as Record<string, unknown>, rnd);
    return shuffleKeys(out, rnd);
  });
  return shuffleKeys(m.label === undefined ? { tables } : { name: m.label, tables }, rnd);
}

// ---------------------------------------------------------------------------------------------
// Mutations: b from a

/** Mutation kinds (no renames: a renamed object is planned as drop + create by design). */
export const MUTATIONS = [
  "addColumn",
  "dropColumn",
  "changeCheck",
  "addCheck",
  "dropCheck",
  "toggleNullable",
  "changeDefault",
  "changeVarcharLength",
  "addIndex",
  "dropIndex",
  "addUnique",
  "dropUnique",
  "changeComment",
] as const;

/** One mutation kind. */
export type MutationKind = typeof MUTATIONS[number];

/** Raw choices for one mutation. */
export interface MutationSeed {
  kind: MutationKind;
  table: number;
  pick: number;
  n: number;
  flag: boolean;
  unique: boolean;
  partial: boolean;
  column: ColumnSeed;
  check: CheckSeed;
}

export const mutationSeedArb: fc.Arbitrary<MutationSeed> = fc.record({
  kind: fc.constantFrom(...MUTATIONS),
  table: fc.nat(10),
  pick: fc.nat(30),
  n: fc.nat(400),
  flag: fc.boolean(),
  unique: fc.boolean(),
  partial: fc.boolean(),
  column: columnSeedArb,
  check: checkSeedArb,
});

/** A schema and a mutation of it. */
export interface SchemaPair {
  /** The schema a database starts at. */
  a: SchemaModel;
  /** The schema it must converge to. */
  b: SchemaModel;
  /** What was changed, for messages. */
  changes: string[];
}

/** Values the one test row holds in a column (under a), plus b's own default value. */
function mustAllow(a: SchemaModel, t: TableModel, c: ColumnModel): Value[] {
  const ta = a.tables.find((x) => x.schema === t.schema && x.name === t.name);
  const ca = ta?.columns.find((x) => x.name === c.name);
  const out: Value[] = [];
  // A column new in b is filled with its (b) default; an old one keeps the value a gave it.
  const row = rowValue(ca ?? c);
  if (row !== null && row !== "opaque") out.push(row);
  const own = rowValue(c);
  if (own !== null && own !== "opaque") out.push(own);
  return unique(out);
}

/** Whether the test row can hold NULL in the column (then it must stay nullable). */
function rowMayBeNull(a: SchemaModel, t: TableModel, c: ColumnModel): boolean {
  const ta = a.tables.find((x) => x.schema === t.schema && x.name === t.name);
  const ca = ta?.columns.find((x) => x.name === c.name);
  return rowValue(ca ?? c) === null;
}

function usesColumn(name: string): (keys: string[]) => boolean {
  return (keys) => keys.includes(name);
}

/** Apply one mutation to `b` (a copy is changed); returns a description, or undefined for a no-op. */
export function mutate(a: SchemaModel, b: SchemaModel, s: MutationSeed): string | undefined {
  const t = b.tables[s.table % b.tables.length];
  const where = `${t.schema}.${t.name}`;
  const pkCols = new Set(t.pk?.columns ?? []);
  const pickOf = <T>(xs: T[]): T | undefined => xs.length === 0 ? undefined : xs[s.pick % xs.length];
  switch (s.kind) {
    case "addColumn": {
      // Not a name a had either: a dropped and re-added column would not hold a's row value.
      const ta = a.tables.find((x) => x.schema === t.schema && x.name === t.name);
      const used = [...t.columns, ...ta?.columns ?? []].map((c) => c.name);
      const name = freshName(COLUMN_NAMES[s.pick % COLUMN_NAMES.length], used);
      const col = buildColumn(name, s.column);
      if (!col.nullable && col.default === undefined && !col.identity) col.nullable = true;
      t.columns.push(col);
      return `add column ${where}.${name}`;
    }
    case "dropColumn": {
      const col = pickOf(t.columns.filter((c) => !pkCols.has(c.name) && !c.pinned));
      if (col === undefined || t.columns.length < 2) return undefined;
      const uses = usesColumn(col.name);
      t.columns = t.columns.filter((c) => c !== col);
      t.uniques = t.uniques.filter((u) => !uses(u.columns));
      t.fks = t.fks.filter((f) => !uses(f.columns));
      t.indexes = t.indexes.filter((ix) => !uses([...ix.keys.map((k) => k.column), ix.filter?.column ?? ""]));
      t.checks = t.checks.filter((k) => k.column !== col.name);
      return `drop column ${where}.${col.name}`;
    }
    case "changeCheck": {
      const col = pickOf(
        t.columns.filter((c) => c.check !== undefined && ["in", "between", "range"].includes(c.check.form)),
      );
      if (col === undefined) return undefined;
      const form = col.check!.form === "in" ? 0 : col.check!.form === "between" ? 1 : 2;
      const seed = { ...s.check, form: familyOf(col.type) === "numeric" ? [2, 0, 1][form] : form };
      const next = buildCheck(col.type, seed, mustAllow(a, t, col));
      if (next === undefined || JSON.stringify(next) === JSON.stringify(col.check)) return undefined;
      col.check = next;
      return `change check of ${where}.${col.name} to ${checkSql(col.name, col.type, next)}`;
    }
    case "addCheck": {
      const col = pickOf(t.columns.filter((c) => c.check === undefined));
      if (col === undefined) return undefined;
      const check = buildCheck(col.type, s.check, mustAllow(a, t, col));
      if (check === undefined) return undefined;
      col.check = check;
      return `add check ${where}.${col.name}: ${checkSql(col.name, col.type, check)}`;
    }
    case "dropCheck": {
      const col = pickOf(t.columns.filter((c) => c.check !== undefined));
      if (col === undefined) return undefined;
      delete col.check;
      delete col.checkName;
      return `drop check of ${where}.${col.name}`;
    }
    case "toggleNullable": {
      const col = pickOf(t.columns.filter((c) => !pkCols.has(c.name) && !c.identity));
      if (col === undefined) return undefined;
      if (col.nullable && rowMayBeNull(a, t, col)) return undefined;
      col.nullable = !col.nullable;
      return `${where}.${col.name} ${col.nullable ? "DROP" : "SET"} NOT NULL`;
    }
    case "changeDefault": {
      const col = pickOf(t.columns.filter((c) => !c.identity));
      if (col === undefined) return undefined;
      const before = JSON.stringify(col.default);
      const next = s.flag ? undefined : buildDefault(col.type, col.check, s.n, s.pick);
      // A NOT NULL column new in b must keep a default: ADD COLUMN fills the existing row with it.
      if (next === undefined && !col.nullable && rowMayBeNull(a, t, { ...col, default: undefined })) return undefined;
      if (next === undefined) delete col.default;
      else col.default = next;
      // A column new in b fills the row with its default: keep that allowed by its check.
      if (!satisfies(col.check, rowValue(col) === "opaque" ? null : rowValue(col) as Value | null)) return undefined;
      if (JSON.stringify(col.default) === before) return undefined;
      return `change default of ${where}.${col.name} to ${JSON.stringify(col.default ?? null)}`;
    }
    case "changeVarcharLength": {
      const col = pickOf(t.columns.filter((c) => c.type.kind === "VarChar"));
      if (col === undefined) return undefined;
      const length = 4 + (s.n % 37);
      if (length === col.type.length) return undefined;
      col.type = { ...col.type, length };
      return `change ${where}.${col.name} to VarChar(${length})`;
    }
    case "addIndex": {
      const col = t.columns[s.pick % t.columns.length];
      const name = freshName(`ix_${t.name}_m${s.n % 10}`, t.indexes.map((ix) => ix.name));
      const ix: IndexModel = {
        name,
        keys: [{ column: col.name, lower: s.flag && familyOf(col.type) === "text" }],
        unique: s.unique,
      };
      if (s.partial) ix.filter = { column: col.name, form: filterForms(col.type)[s.n % filterForms(col.type).length] };
      t.indexes.push(ix);
      return `add index ${name} on ${where}`;
    }
    case "dropIndex": {
      const ix = pickOf(t.indexes);
      if (ix === undefined) return undefined;
      t.indexes = t.indexes.filter((x) => x !== ix);
      return `drop index ${ix.name}`;
    }
    case "addUnique": {
      const col = t.columns[s.pick % t.columns.length];
      if (t.uniques.some((u) => u.columns.length === 1 && u.columns[0] === col.name)) return undefined;
      const named = freshName(`uq_${t.name}_m${s.n % 10}`, t.uniques.map((u) => u.name ?? ""));
      const explicit = s.flag || defaultUniqueTaken(t, [col.name]);
      t.uniques.push(explicit ? { name: named, columns: [col.name] } : { columns: [col.name] });
      return `add unique (${col.name}) on ${where}`;
    }
    case "dropUnique": {
      const u = pickOf(t.uniques);
      if (u === undefined) return undefined;
      t.uniques = t.uniques.filter((x) => x !== u);
      return `drop unique (${u.columns.join(", ")}) on ${where}`;
    }
    case "changeComment": {
      const text = s.flag ? undefined : COMMENTS[s.n % COMMENTS.length];
      const col = s.pick % 2 === 0 ? undefined : t.columns[s.pick % t.columns.length];
      const target: { comment?: string } = col ?? t;
      if (target.comment === text) return undefined;
      if (text === undefined) delete target.comment;
      else target.comment = text;
      return `comment on ${col ? `${where}.${col.name}` : where} = ${JSON.stringify(text ?? null)}`;
    }
  }
}

/** Arbitrary pairs (a, b): b is a with 1–3 mutations, at least one of which changed something. */
export const schemaPairArb: fc.Arbitrary<SchemaPair> = fc.tuple(
  schemaModelArb,
  fc.array(mutationSeedArb, { minLength: 1, maxLength: 3 }),
).map(([a, seeds]) => {
  const b = structuredClone(a);
  const changes = seeds.map((s) => mutate(a, b, s)).filter((c): c is string => c !== undefined);
  return { a, b, changes };
}).filter((p) => p.changes.length > 0);
