/**
 * Roles, grants and extensions: their canonical definitions and the SQL that names them. Kept
 * apart from definition.ts so the access model reads in one place.
 * @module
 */
import { qualify, quoteIdent, quoteLiteral } from "./quote.ts";
import {
  type ExtensionObject,
  type GrantObject,
  type ManagedScope,
  PUBLIC_GRANTEE,
  type RoleObject,
} from "./snapshot.ts";

/** A grantee as SQL: `PUBLIC` or a quoted role name. */
export function granteeSql(grantee: string): string {
  return grantee === PUBLIC_GRANTEE ? "PUBLIC" : quoteIdent(grantee);
}

/** The object a grant is on, as SQL: `TABLE public.t` or `SCHEMA s`. */
export function grantTargetSql(g: GrantObject): string {
  return g.on === "table" ? `TABLE ${qualify(g.schema, g.table!)}` : `SCHEMA ${quoteIdent(g.schema)}`;
}

/** `NOLOGIN NOBYPASSRLS ROLE "a", "b"`: the tail of `CREATE ROLE`, and the role's definition. */
export function roleDefinition(r: RoleObject): string {
  const parts = [r.login ? "LOGIN" : "NOLOGIN", r.bypassRls ? "BYPASSRLS" : "NOBYPASSRLS"];
  if (r.members.length > 0) parts.push(`ROLE ${r.members.map(quoteIdent).join(", ")}`);
  return parts.join(" ");
}

/** `GRANT SELECT ON TABLE public.t TO "app"` (without the runAs role, which is not compared). */
export function grantDefinition(g: GrantObject): string {
  const option = g.grantable ? " WITH GRANT OPTION" : "";
  return `GRANT ${g.privilege} ON ${grantTargetSql(g)} TO ${granteeSql(g.grantee)}${option}`;
}

/** `EXTENSION "pg_trgm" SCHEMA "public" VERSION '1.6'`, with only the declared attributes. */
export function extensionDefinition(e: ExtensionObject): string {
  let out = `EXTENSION ${quoteIdent(e.name)}`;
  if (e.schema !== undefined) out += ` SCHEMA ${quoteIdent(e.schema)}`;
  if (e.version !== undefined) out += ` VERSION ${quoteLiteral(e.version)}`;
  return out;
}

/** `CREATE EXTENSION IF NOT EXISTS …;`. */
export function createExtensionSql(e: ExtensionObject): string {
  return `CREATE ${extensionDefinition(e).replace(/^EXTENSION /, "EXTENSION IF NOT EXISTS ")};`;
}

/** `CREATE ROLE "x" NOLOGIN NOBYPASSRLS;` (memberships are granted separately, after every role exists). */
export function createRoleSql(r: RoleObject): string {
  return `CREATE ROLE ${quoteIdent(r.name)} ${roleDefinition({ ...r, members: [] })};`;
}

/** `GRANT "role" TO "member";`. */
export function grantMembershipSql(role: string, member: string): string {
  return `GRANT ${quoteIdent(role)} TO ${quoteIdent(member)};`;
}

/** The grant statement, preceded by `SET ROLE` when it runs as another role. */
export function grantSql(g: GrantObject): string {
  const grant = `${grantDefinition(g)};`;
  return g.runAs === undefined ? grant : `SET ROLE ${quoteIdent(g.runAs)};\n${grant}\nRESET ROLE;`;
}

/** A scope that manages nothing beyond the schemas. */
export function emptyScope(): ManagedScope {
  return { roles: [], extensions: [], grants: false };
}

/** True when the scope manages something (an empty one is not written to migration files). */
export function scopeIsEmpty(s: ManagedScope | undefined): boolean {
  return s === undefined || (s.roles.length === 0 && s.extensions.length === 0 && !s.grants);
}

/** The scope as one line of JSON, keys and items in a fixed order (migration header, cache keys). */
export function scopeToText(s: ManagedScope): string {
  return JSON.stringify({
    roles: [...s.roles].sort(),
    extensions: [...s.extensions].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
      .map((e) => ({ name: e.name, schema: e.schema, version: e.version })),
    grants: s.grants,
  });
}

/** Parse {@link scopeToText} output; undefined when it is not one. */
export function scopeFromText(text: string): ManagedScope | undefined {
  try {
    const v = JSON.parse(text) as ManagedScope;
    if (!Array.isArray(v.roles) || !Array.isArray(v.extensions) || typeof v.grants !== "boolean") return undefined;
    if (!v.roles.every((r) => typeof r === "string")) return undefined;
    if (!v.extensions.every((e) => typeof e?.name === "string")) return undefined;
    return {
      roles: v.roles,
      extensions: v.extensions.map((e) => ({ name: e.name, schema: e.schema === true, version: e.version === true })),
      grants: v.grants,
    };
  } catch {
    return undefined;
  }
}
