/**
 * Canonical definitions of views, materialized views, sequences and domains: the strings diff
 * compares and fingerprints hash. Every expression in them is PostgreSQL's own printing.
 * @module
 */
import { qualify, quoteIdent } from "./quote.ts";
import { sequenceClauses } from "./sequence_options.ts";
import type { DomainObject, SequenceObject, ViewObject } from "./snapshot.ts";

/** `WITH (a=1, b=2) ` for reloptions, or "" when there are none. */
export function withOptions(options: string[]): string {
  return options.length === 0 ? "" : `WITH (${options.join(", ")}) `;
}

/** A view's definition: output columns with their types, options and query. */
export function viewDefinition(v: ViewObject): string {
  const word = v.kind === "matview" ? "MATERIALIZED VIEW" : "VIEW";
  return `${word} (${v.columns.join(", ")}) ${withOptions(v.options)}AS ${v.definition}`;
}

/** `schema.table.column` of an `OWNED BY`, or `NONE`. */
export function ownedByTarget(owner: SequenceObject["ownedBy"]): string {
  return owner === undefined ? "NONE" : `${qualify(owner.schema, owner.table)}.${quoteIdent(owner.column)}`;
}

/** A sequence's definition: every parameter, and its owner. */
export function sequenceDefinition(s: SequenceObject): string {
  return `SEQUENCE ${sequenceClauses(s.options)} OWNED BY ${ownedByTarget(s.ownedBy)}`;
}

/** A domain's definition: base type, collation, default, NOT NULL and named CHECKs. */
export function domainDefinition(d: DomainObject): string {
  const parts = [`DOMAIN AS ${d.baseType}`];
  if (d.collation) parts.push(`COLLATE ${d.collation}`);
  if (d.default !== undefined) parts.push(`DEFAULT ${d.default}`);
  if (d.notNull) parts.push("NOT NULL");
  for (const c of d.checks) parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  return parts.join(" ");
}
