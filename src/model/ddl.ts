/**
 * The hand-off between the desired-schema renderer and the shadow loader: DDL statements that
 * remember which input line produced them, so a PostgreSQL error can point back at the YAML.
 * @module
 */
import type { SourceRef } from "./errors.ts";

/** One DDL statement, with the input location that produced it. */
export interface DdlStatement {
  /** A single complete SQL statement, without a trailing semicolon. */
  sql: string;
  /** The YAML (or SQL) location this statement came from. */
  source?: SourceRef;
  /** Finer locations by character offset (a CREATE TABLE's column clauses), sorted by `start`. */
  spans?: SourceSpan[];
  /**
   * When PostgreSQL rejects this statement: groups of probes to run in its place, each leaving
   * nothing behind, whose rejections locate every cause (a group stops at its first rejection).
   * Built only when needed.
   */
  diagnose?: () => DdlStatement[][];
  /** Said after PostgreSQL's message when it rejects this statement (`(did you mean "Text"?)`). */
  note?: string;
}

/** From character offset `start` of a statement on, the text came from `source`. */
export interface SourceSpan {
  /** 0-based character offset in the statement. */
  start: number;
  /** Where that part of the statement came from. */
  source: SourceRef;
  /** The text from `start` on was copied from `source` character by character (a `sql:` item line). */
  exact?: boolean;
}

/** A rename the input asks for (`renamedFrom`): planned instead of drop + create. */
export interface Rename {
  /** What is renamed: a table, a column, or a label of an enum type (`renamedValues`). */
  kind: "table" | "column" | "enum_value";
  /** Schema of the table (or of the enum type). */
  schema: string;
  /** For a column: its table's (new) name. */
  table?: string;
  /** For an enum label: its type's name. */
  type?: string;
  /** Old name. */
  from: string;
  /** New name. */
  to: string;
}

/** DDL for a whole desired schema, ready to load into a shadow database. */
export interface DesiredDdl {
  /** Statements in a loadable order (schemas, types, tables, constraints, FKs, indexes, comments). */
  statements: DdlStatement[];
  /** Schemas this input manages (always includes "public" when a table lives there). */
  schemas: string[];
  /**
   * Ids (`constraint:schema.table.name`) of foreign keys whose name was not written in the input
   * but derived by default: they are matched to live FKs by relationship, not by name.
   */
  autoNamedForeignKeys: string[];
  /** Renames declared with `renamedFrom`, tables first. */
  renames: Rename[];
}
