/**
 * The canonical definition of each object: the one string that is compared by diff and hashed
 * into fingerprints. Names are part of the id, not of the definition, so a rename is visible as
 * "same definition, other id".
 * @module
 */
import { extensionDefinition, grantDefinition, roleDefinition } from "./access.ts";
import { qualify, quoteIdent, quoteLiteral } from "./quote.ts";
import type { ColumnObject, CommentObject, DbObject } from "./snapshot.ts";
import { functionDefinition, triggerDefinition } from "./functions.ts";
import { identityClauses } from "./sequence_options.ts";
import { domainDefinition, sequenceDefinition, viewDefinition } from "./view_definitions.ts";
import { policyDefinition, rlsDefinition } from "./policy_definition.ts";
import { tableDefinition } from "./partitions.ts";

/** The column's definition as it appears after the name in `CREATE TABLE`. */
export function columnDefinition(c: ColumnObject): string {
  const parts = [c.type];
  if (c.collation) parts.push(`COLLATE ${c.collation}`);
  if (c.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${c.generated}) STORED`);
  else if (c.default !== undefined) parts.push(`DEFAULT ${c.default}`);
  if (c.notNull) parts.push("NOT NULL");
  if (c.identity) {
    const opts = c.identityOptions ? identityClauses(c.identityOptions) : "";
    parts.push(`GENERATED ${c.identity.toUpperCase()} AS IDENTITY${opts ? ` (${opts})` : ""}`);
  }
  return parts.join(" ");
}

/** The canonical definition string of any object (what diff compares). */
export function definitionOf(o: DbObject): string {
  switch (o.kind) {
    case "schema":
      return `SCHEMA ${quoteIdent(o.name)}`;
    case "enum":
      return `ENUM (${o.values.map(quoteLiteral).join(", ")})`;
    case "table":
      return tableDefinition(o);
    case "column":
      return columnDefinition(o);
    case "constraint":
      return o.definition;
    case "index":
      return o.definition;
    case "comment":
      return quoteLiteral(o.text);
    case "function":
      return functionDefinition(o);
    case "trigger":
      return triggerDefinition(o);
    case "role":
      return roleDefinition(o);
    case "grant":
      return grantDefinition(o);
    case "extension":
      return extensionDefinition(o);
    case "view":
    case "matview":
      return viewDefinition(o);
    case "sequence":
      return sequenceDefinition(o);
    case "domain":
      return domainDefinition(o);
    case "rls":
      return rlsDefinition(o);
    case "policy":
      return policyDefinition(o);
  }
}

/** SQL target of a COMMENT ON statement: `TABLE s.t` or `COLUMN s.t.c`. */
export function commentTarget(c: CommentObject): string {
  const table = qualify(c.schema, c.table);
  return c.column === undefined ? `TABLE ${table}` : `COLUMN ${table}.${quoteIdent(c.column)}`;
}
