/**
 * schema.yaml's roles, grants and extensions → model objects and the scope they put under
 * management. Pure: these objects hold no expression for PostgreSQL to print (names, booleans and
 * privilege keywords spelled as `aclexplode` spells them), so they do not go through the shadow;
 * only `CREATE EXTENSION` does, because tables may use what an extension brings.
 * @module
 */
import { createExtensionSql } from "../model/access.ts";
import type { DdlStatement } from "../model/ddl.ts";
import { extensionId, grantId, roleId, schemaId, tableId } from "../model/ids.ts";
import type { DbObject, ExtensionObject, GrantObject, ManagedScope } from "../model/snapshot.ts";
import type { Grant, Schema } from "../yaml/types.ts";

/** An extension as declared (only the attributes written are part of it). */
function extensionOf(e: Schema["extensions"][number]): ExtensionObject {
  const out: ExtensionObject = { kind: "extension", id: extensionId(e.name), name: e.name };
  if (e.schema !== undefined) out.schema = e.schema;
  if (e.version !== undefined) out.version = e.version;
  return out;
}

/** `CREATE EXTENSION IF NOT EXISTS` for each declared extension, for the shadow (after schemas, before types). */
export function extensionStatements(schema: Schema): DdlStatement[] {
  return schema.extensions.map((e) => ({ sql: createExtensionSql(extensionOf(e)).replace(/;$/, ""), source: e.at }));
}

/** One grant entry → one object per role, privilege and table. */
function grantObjects(g: Grant, schema: Schema): GrantObject[] {
  const targets: Array<{ id: string; table?: string }> = g.target === "schema"
    ? [{ id: schemaId(g.schema) }]
    : g.target === "table"
    ? [{ id: tableId(g.schema, g.objectName!), table: g.objectName! }]
    : schema.tables.filter((t) => t.schema === g.schema).map((t) => ({ id: tableId(t.schema, t.name), table: t.name }));
  const out: GrantObject[] = [];
  for (const t of targets) {
    for (const grantee of g.roles) {
      for (const privilege of g.privileges) {
        const o: GrantObject = {
          kind: "grant",
          id: grantId(t.id, grantee, privilege),
          schema: g.schema,
          on: g.target === "schema" ? "schema" : "table",
          grantee,
          privilege,
          grantable: false,
        };
        if (t.table !== undefined) o.table = t.table;
        if (g.runAs !== undefined) o.runAs = g.runAs;
        out.push(o);
      }
    }
  }
  return out;
}

/**
 * The roles, grants and extensions a schema.yaml declares, and its {@link ManagedScope}.
 * `AllTablesInSchema` expands to the tables the file declares in that schema, so a table created
 * by the same plan gets its grants (grants are ordered after tables).
 */
export function desiredAccess(schema: Schema): { objects: DbObject[]; manages: ManagedScope } {
  const objects: DbObject[] = [];
  for (const r of schema.roles) {
    objects.push({
      kind: "role",
      id: roleId(r.name),
      name: r.name,
      login: r.login,
      bypassRls: r.bypassRls,
      members: [...r.grantTo].sort(),
    });
  }
  for (const g of schema.grants ?? []) objects.push(...grantObjects(g, schema));
  for (const e of schema.extensions) objects.push(extensionOf(e));
  return {
    objects,
    manages: {
      roles: schema.roles.map((r) => r.name).sort(),
      extensions: schema.extensions.map((e) => ({
        name: e.name,
        schema: e.schema !== undefined,
        version: e.version !== undefined,
      })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      grants: schema.grants !== undefined,
    },
  };
}
