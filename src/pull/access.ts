/**
 * What a pulled schema.yaml says about roles, grants and extensions, and which of them a pull
 * puts under management. A database cannot say which roles of its cluster are "its own", so pull
 * takes the roles the pulled schemas name: grantees of the privileges it writes, roles of the
 * policies and of EXECUTE grants. Privileges are written only when every one of them can be
 * (no WITH GRANT OPTION, only on tables the file declares): a partial `grants:` would put the
 * others under management and revoke them. Extensions are all those installed but plpgsql. Pure.
 * @module
 */
import { compareIds, type DbObject, type GrantObject, PUBLIC_GRANTEE, type Snapshot } from "../model/snapshot.ts";
import { TABLE_ALL } from "../yaml/read_access.ts";

/** Role names PostgreSQL reserves (predefined roles exist everywhere and cannot be created). */
function isPredefined(role: string): boolean {
  return role.startsWith("pg_");
}

/** The roles a pulled schema names: policy roles, EXECUTE grantees and (when written) grantees. */
export function namedRoles(objects: Iterable<DbObject>, withGrants: boolean): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind === "policy") o.roles.forEach((r) => out.add(r));
    if (o.kind === "function") {
      for (const e of o.execute) out.add(e.replace(/ WITH GRANT OPTION$/, ""));
    }
    if (o.kind === "grant" && withGrants) out.add(o.grantee);
  }
  out.delete("PUBLIC");
  out.delete(PUBLIC_GRANTEE);
  return [...out].filter((r) => !isPredefined(r)).sort(compareIds);
}

/**
 * Why the privileges cannot be written as `grants:` (undefined when they can): `tables` are the
 * ids of the tables written with structured keys.
 */
export function grantsProblem(grants: GrantObject[], tables: ReadonlySet<string>): string | undefined {
  const option = grants.find((g) => g.grantable);
  if (option) return `${option.id} is granted WITH GRANT OPTION, which grants: cannot say`;
  const outside = grants.find((g) => g.on === "table" && !tables.has(`table:${g.schema}.${g.table}`));
  if (outside) return `${outside.id} is on a table written under sql:, which grants: cannot name`;
  return undefined;
}

/** The `grants:` entries: per object, one entry per set of grantees holding the same privileges. */
export function grantsYaml(grants: GrantObject[]): Array<Record<string, unknown>> {
  const byObject = new Map<string, GrantObject[]>();
  for (const g of grants) {
    const key = g.on === "table" ? `table:${g.schema}.${g.table}` : `schema:${g.schema}`;
    byObject.set(key, [...(byObject.get(key) ?? []), g]);
  }
  const out: Array<Record<string, unknown>> = [];
  for (const key of [...byObject.keys()].sort(compareIds)) {
    const list = byObject.get(key)!;
    const byGrantee = new Map<string, string[]>();
    for (const g of list) byGrantee.set(g.grantee, [...(byGrantee.get(g.grantee) ?? []), g.privilege]);
    const groups = new Map<string, string[]>();
    for (const [grantee, privileges] of byGrantee) {
      const k = privilegeOrder(privileges).join(",");
      groups.set(k, [...(groups.get(k) ?? []), grantee]);
    }
    const first = list[0];
    for (const k of [...groups.keys()].sort(compareIds)) {
      out.push({
        ...(first.schema === "public" ? {} : { schema: first.schema }),
        target: first.on === "table" ? "Table" : "Schema",
        ...(first.on === "table" ? { objectName: first.table } : {}),
        privileges: k.split(","),
        roles: groups.get(k)!.sort(compareIds),
      });
    }
  }
  return out;
}

/** Privileges in the order a person lists them (SELECT, INSERT, …), unknown ones after, by name. */
function privilegeOrder(privileges: string[]): string[] {
  const order = [...TABLE_ALL, "MAINTAIN", "USAGE", "CREATE"];
  const rank = (p: string) => order.includes(p) ? order.indexOf(p) : order.length;
  return [...new Set(privileges)].sort((a, b) => rank(a) - rank(b) || compareIds(a, b));
}

/** The `roles:` entries of the roles in the snapshot. */
export function rolesYaml(snap: Snapshot): Array<Record<string, unknown>> {
  return [...snap.objects.values()].flatMap((o) => o.kind === "role" ? [o] : [])
    .sort((a, b) => compareIds(a.id, b.id))
    .map((r) => ({
      name: r.name,
      ...(r.login ? { login: true } : {}),
      ...(r.bypassRls ? { bypassRls: true } : {}),
      ...(r.members.length > 0 ? { grantTo: [...r.members] } : {}),
    }));
}

/** The `extensions:` entries: name and schema (the version is left to the server). */
export function extensionsYaml(snap: Snapshot): Array<Record<string, unknown>> {
  return [...snap.objects.values()].flatMap((o) => o.kind === "extension" ? [o] : [])
    .sort((a, b) => compareIds(a.id, b.id))
    .map((e) => ({ name: e.name, ...(e.schema === undefined ? {} : { schema: e.schema }) }));
}
