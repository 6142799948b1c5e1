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

/** Id of a function: its identity argument types (`integer, text`) keep overloads apart. */
export function functionId(schema: string, name: string, args: string): string {
  return `function:${schema}.${name}(${args})`;
}

/** Id of a trigger (trigger names are unique per table). */
export function triggerId(schema: string, table: string, name: string): string {
  return `trigger:${schema}.${table}.${name}`;
}

/** Id of a role (cluster-wide). */
export function roleId(name: string): string {
  return `role:${name}`;
}

/** Id of one privilege of one grantee on an object (`grant:table:public.t:app:SELECT`). */
export function grantId(objectId: string, grantee: string, privilege: string): string {
  return `grant:${objectId}:${grantee}:${privilege}`;
}

/** Id of an extension. */
export function extensionId(name: string): string {
  return `extension:${name}`;
}

/** Id of a view. */
export function viewId(schema: string, name: string): string {
  return `view:${schema}.${name}`;
}

/** Id of a materialized view. */
export function matviewId(schema: string, name: string): string {
  return `matview:${schema}.${name}`;
}

/** Id of a (standalone) sequence. */
export function sequenceId(schema: string, name: string): string {
  return `sequence:${schema}.${name}`;
}

/** Id of a domain. */
export function domainId(schema: string, name: string): string {
  return `domain:${schema}.${name}`;
}

/** Id of a table's row-level security switches. */
export function rlsId(schema: string, table: string): string {
  return `rls:${schema}.${table}`;
}

/** Id of a row-level security policy (policy names are unique per table). */
export function policyId(schema: string, table: string, name: string): string {
  return `policy:${schema}.${table}.${name}`;
}
