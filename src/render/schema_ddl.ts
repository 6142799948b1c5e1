/**
 * Schema → DDL for an empty shadow database. Pure and deterministic: the same Schema always
 * gives the same statements in the same order, each pointing back at the YAML that produced it.
 * @module
 */
import type { SourceRef } from "../model/errors.ts";
import type { DdlStatement, DesiredDdl, Rename } from "../model/ddl.ts";
import { createTable } from "./column_sql.ts";
import { likelyFailure, tableProbes } from "./table_probes.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import { quoteColumnWords, wordsToQuote } from "../yaml/check_words.ts";
import { constraintNames } from "../yaml/default_names.ts";
import { functionDdl } from "./function_ddl.ts";
import { rowLevelSecurityStatements } from "./policy_ddl.ts";
import type { EnumType, FkAction, Schema, Table } from "../yaml/types.ts";
import { sqlBlocks } from "./sql_blocks.ts";
import { extensionStatements } from "./access_objects.ts";

const ACTION_SQL: Readonly<Record<FkAction, string>> = {
  noAction: "",
  cascade: "CASCADE",
  setNull: "SET NULL",
  setDefault: "SET DEFAULT",
  restrict: "RESTRICT",
};

/**
 * Render the DDL that creates `schema` in an empty database: schemas, enum types, `sql:` items
 * marked `load: beforeTables`, tables, then per table primary key, unique and check
 * constraints, then indexes, then every foreign key (once all tables and unique indexes exist,
 * so cross-references and FKs onto a unique index load), then row-level security (policies may use any
 * table), then comments, then the other `sql:` items.
 *
 * @example
 * ```ts
 * const ddl = renderSchemaDdl(loadSchemaYaml(text, "schema.yaml"));
 * ddl.statements[0].sql; // "CREATE TABLE public.t (\n  id integer NOT NULL\n)"
 * ```
 */
export function renderSchemaDdl(schema: Schema): DesiredDdl {
  const statements: DdlStatement[] = [];
  const add = (sql: string, source: SourceRef) => statements.push({ sql, source });
  const enums = allEnums(schema);
  const managed = managedSchemas(schema, enums);
  for (const [name, at] of managed) {
    if (name !== "public") add(`CREATE SCHEMA ${quoteIdent(name)}`, at);
  }
  statements.push(...extensionStatements(schema));
  for (const en of enums) {
    const labels = en.values.map(quoteLiteral).join(", ");
    add(`CREATE TYPE ${qualify(en.schema, en.name)} AS ENUM (${labels})`, en.at);
  }
  const known = new Set(
    enums.flatMap((en) => [en.name, `${en.schema}.${en.name}`, qualify(en.schema, en.name)])
      .map((n) => n.toLowerCase()),
  );
  const fns = functionDdl(schema);
  statements.push(...fns.early);
  statements.push(...sqlBlocks(schema, "beforeTables"));
  for (const t of schema.tables) {
    statements.push({ ...createTable(t), source: likelyFailure(t, known), diagnose: () => tableProbes(t, known) });
  }
  statements.push(...fns.late);
  for (const t of schema.tables) statements.push(...tableConstraints(t));
  for (const t of schema.tables) statements.push(...indexes(t));
  const autoNamed: string[] = [];
  for (const t of schema.tables) statements.push(...foreignKeys(t, autoNamed));
  statements.push(...rowLevelSecurityStatements(schema.tables));
  for (const t of schema.tables) statements.push(...comments(t));
  // Views last, in YAML order: a view is declared after the views it reads.
  for (const v of schema.views) {
    const word = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
    // A last line ending in a `--` comment must not swallow the `;` the loader appends.
    const end = v.sql.slice(v.sql.lastIndexOf("\n") + 1).includes("--") ? "\n" : "";
    add(`CREATE ${word} ${qualify(v.schema, v.name)} AS\n${v.sql}${end}`, v.valueAt.sql ?? v.at);
  }
  statements.push(...sqlBlocks(schema, "afterTables"));
  statements.push(...fns.final);
  const renames: Rename[] = [];
  for (const t of schema.tables) {
    if (t.renamedFrom) renames.push({ kind: "table", schema: t.schema, from: t.renamedFrom, to: t.name });
  }
  for (const t of schema.tables) {
    for (const c of t.columns) {
      if (c.renamedFrom) {
        renames.push({ kind: "column", schema: t.schema, table: t.name, from: c.renamedFrom, to: c.name });
      }
    }
  }
  for (const en of schema.enums) {
    for (const v of en.renamedValues ?? []) {
      renames.push({ kind: "enum_value", schema: en.schema, type: en.name, from: v.from, to: v.to });
    }
  }
  return { statements, schemas: [...managed.keys()], autoNamedForeignKeys: autoNamed.sort(), renames };
}

/** Declared enums, then those only implied by `Enum(name:a|b)` column types, first use first. */
export function allEnums(schema: Schema): EnumType[] {
  const out = [...schema.enums];
  const seen = new Set(out.map((en) => `${en.schema}.${en.name}`));
  for (const t of schema.tables) {
    for (const c of t.columns) {
      const en = c.impliedEnum;
      if (en === undefined || seen.has(`${en.schema}.${en.name}`)) continue;
      seen.add(`${en.schema}.${en.name}`);
      out.push(en);
    }
  }
  return out;
}

/** Managed schemas, sorted, each with the first YAML location that names it. */
function managedSchemas(schema: Schema, enums: EnumType[]): Map<string, SourceRef> {
  const found = new Map<string, SourceRef>();
  const note = (name: string, at: SourceRef) => found.has(name) || found.set(name, at);
  for (const s of schema.schemas) note(s.name, s.at);
  for (const en of enums) note(en.schema, en.valueAt.schema ?? en.at);
  for (const t of schema.tables) note(t.schema, t.valueAt.schema ?? t.at);
  for (const v of schema.views) note(v.schema, v.valueAt.schema ?? v.at);
  if (found.size === 0) found.set("public", schema.at);
  return new Map([...found].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

function alter(t: Table): string {
  return `ALTER TABLE ${qualify(t.schema, t.name)}`;
}

function idents(names: readonly string[]): string {
  return names.map(quoteIdent).join(", ");
}

/** PRIMARY KEY, UNIQUE, column CHECKs (column order), then table CHECKs (YAML order). */
function tableConstraints(t: Table): DdlStatement[] {
  const out: DdlStatement[] = [];
  const add = (name: string, body: string, source: SourceRef) => {
    out.push({ sql: `${alter(t)} ADD CONSTRAINT ${quoteIdent(name)} ${body}`, source });
  };
  const names = t.columns.map((c) => c.name);
  const named = constraintNames(t);
  const pk = t.primaryKey;
  if (pk !== undefined) add(named.primaryKey!, `PRIMARY KEY (${idents(pk.columns)})`, pk.at);
  t.uniqueConstraints.forEach((u, i) => add(named.unique[i], `UNIQUE (${idents(u.columns)})`, u.at));
  for (const [c, name] of named.columnChecks) {
    const expr = quoteColumnWords(c.checkConstraint!, wordsToQuote(names, c.name));
    add(name, `CHECK (${expr})`, c.valueAt.checkConstraint ?? c.at);
  }
  for (const k of t.checkConstraints) {
    const expr = quoteColumnWords(k.expression, wordsToQuote(names));
    add(k.name, `CHECK (${expr})`, k.valueAt.expression ?? k.at);
  }
  return out;
}

function indexes(t: Table): DdlStatement[] {
  const words = wordsToQuote(t.columns.map((c) => c.name));
  return t.indexes.map((ix) => {
    const keys = ix.expressions.length > 0
      ? ix.expressions.map((e) => `(${quoteColumnWords(e, words)})`).join(", ")
      : idents(ix.columns);
    const using = ix.method === undefined ? "" : ` USING ${ix.method}`;
    let sql = `CREATE ${ix.isUnique ? "UNIQUE " : ""}INDEX ${quoteIdent(ix.name)} ` +
      `ON ${qualify(t.schema, t.name)}${using} (${keys})`;
    if (ix.include.length > 0) sql += ` INCLUDE (${idents(ix.include)})`;
    // In parentheses, like every value pasted into DDL: the value is proven to be one expression.
    if (ix.filter !== undefined) sql += ` WHERE (${quoteColumnWords(ix.filter, words)})`;
    return { sql, source: ix.at };
  });
}

/** FOREIGN KEYs of `t`; ids of those named by default are added to `autoNamed`. */
function foreignKeys(t: Table, autoNamed: string[]): DdlStatement[] {
  const names = constraintNames(t).foreignKeys;
  return t.foreignKeys.map((fk, i) => {
    const name = names[i];
    if (fk.name === undefined) autoNamed.push(`constraint:${t.schema}.${t.name}.${name}`);
    const actions = [["DELETE", fk.onDelete], ["UPDATE", fk.onUpdate]] as const;
    const tail = actions.filter(([, a]) => a !== "noAction")
      .map(([event, a]) => ` ON ${event} ${ACTION_SQL[a]}`).join("");
    const sql = `${alter(t)} ADD CONSTRAINT ${quoteIdent(name)} ` +
      `FOREIGN KEY (${idents(fk.columns)}) ` +
      `REFERENCES ${qualify(fk.referencedSchema, fk.referencedTable)} ` +
      `(${idents(fk.referencedColumns)})${tail}`;
    return { sql, source: fk.at };
  });
}

function comments(t: Table): DdlStatement[] {
  const out: DdlStatement[] = [];
  const table = qualify(t.schema, t.name);
  if (t.comment !== undefined) {
    const sql = `COMMENT ON TABLE ${table} IS ${quoteLiteral(t.comment)}`;
    out.push({ sql, source: t.valueAt.comment ?? t.at });
  }
  for (const c of t.columns) {
    if (c.comment === undefined) continue;
    const sql = `COMMENT ON COLUMN ${table}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}`;
    out.push({ sql, source: c.valueAt.comment ?? c.at });
  }
  return out;
}
