/** Stable object ids: `kind:schema.table.name`, names raw (unquoted). @module */

/** Id of a schema. */
export function schemaId(name: string): string {
  return `schema:${name}`;
}

/** Id of a table. */
export function tableId(schema: string, table: string): string {
  return `table:${schema}.${table}`;
}

/** Id of a column. */
export function columnId(schema: string, table: string, column: string): string {
  return `column:${schema}.${table}.${column}`;
}

/** Id of a table constraint. */
export function constraintId(schema: string, table: string, name: string): string {
  return `constraint:${schema}.${table}.${name}`;
}

/** Id of an index (index names are unique per schema). */
export function indexId(schema: string, name: string): string {
  return `index:${schema}.${name}`;
}

/** Id of the comment on an object. */
export function commentId(targetId: string): string {
  return `comment:${targetId}`;
}

/** Id of a type (enum). */
export function typeId(schema: string, name: string): string {
  return `type:${schema}.${name}`;
}

/** Id of a table's row-level security switches. */
export function rlsId(schema: string, table: string): string {
  return `rls:${schema}.${table}`;
}

/** Id of a row-level security policy (policy names are unique per table). */
export function policyId(schema: string, table: string, name: string): string {
  return `policy:${schema}.${table}.${name}`;
}
