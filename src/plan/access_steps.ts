/**
 * Role, extension and grant changes → statements. Roles come first (grants and memberships name
 * them), then memberships once every role exists, extensions right after schemas (tables may use
 * their types), grants after tables. Revokes run in the drop phase and are destructive: a
 * revoke takes access away from someone.
 * @module
 */
import {
  createExtensionSql,
  createRoleSql,
  extensionDefinition,
  grantDefinition,
  granteeSql,
  grantMembershipSql,
  grantSql,
  grantTargetSql,
  roleDefinition,
} from "../model/access.ts";
import { quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { ExtensionObject, GrantObject, RoleObject } from "../model/snapshot.ts";
import type { Step } from "./step.ts";
import { step } from "./step_helpers.ts";

const RANK = {
  createRole: 90,
  alterRole: 91,
  grantMembership: 92,
  createExtension: 102,
  alterExtension: 103,
  grant: 275,
  revoke: 5,
  revokeMembership: 6,
} as const;

function grantStep(to: RoleObject, member: string, op: "create_role" | "alter_role"): Step {
  return step(
    to.id,
    op,
    "pre",
    RANK.grantMembership,
    grantMembershipSql(to.name, member),
    `role ${to.name} is granted to ${member}`,
  );
}

/** A new role, then its memberships. */
export function createRole(to: RoleObject): Step[] {
  return [
    {
      ...step(to.id, "create_role", "pre", RANK.createRole, createRoleSql(to), "role is new"),
      now: roleDefinition(to),
    },
    ...to.members.map((m) => grantStep(to, m, "create_role")),
  ];
}

/** LOGIN/BYPASSRLS changed in one ALTER ROLE; memberships granted or revoked one by one. */
export function alterRole(from: RoleObject, to: RoleObject): Step[] {
  const out: Step[] = [];
  if (from.login !== to.login || from.bypassRls !== to.bypassRls) {
    const attrs = roleDefinition({ ...to, members: [] });
    out.push({
      ...step(
        to.id,
        "alter_role",
        "pre",
        RANK.alterRole,
        `ALTER ROLE ${quoteIdent(to.name)} ${attrs};`,
        "role changed",
      ),
      was: roleDefinition({ ...from, members: [] }),
      now: attrs,
    });
  }
  for (const m of to.members) if (!from.members.includes(m)) out.push(grantStep(to, m, "alter_role"));
  for (const m of from.members) {
    if (to.members.includes(m)) continue;
    out.push({
      ...step(
        to.id,
        "alter_role",
        "drop",
        RANK.revokeMembership,
        `REVOKE ${quoteIdent(to.name)} FROM ${quoteIdent(m)};`,
        `role ${to.name} is no longer granted to ${m} in the desired schema`,
      ),
      destructive: true,
      hazards: [{ kind: "access_loss", message: `${m} loses the privileges of role ${to.name}` }],
    });
  }
  return out;
}

/** `CREATE EXTENSION IF NOT EXISTS`. */
export function createExtension(to: ExtensionObject): Step[] {
  return [{
    ...step(to.id, "create_extension", "pre", RANK.createExtension, createExtensionSql(to), "extension is new"),
    now: extensionDefinition(to),
  }];
}

/** Move an extension to its declared schema and/or update it to its declared version. */
export function alterExtension(from: ExtensionObject, to: ExtensionObject): Step[] {
  const out: Step[] = [];
  const name = quoteIdent(to.name);
  const add = (sql: string, reason: string, rank: number) =>
    out.push({
      ...step(to.id, "alter_extension", "pre", rank, sql, reason),
      was: extensionDefinition(from),
      now: extensionDefinition(to),
    });
  if (to.schema !== undefined && from.schema !== to.schema) {
    add(
      `ALTER EXTENSION ${name} SET SCHEMA ${quoteIdent(to.schema)};`,
      "extension schema changed",
      RANK.alterExtension,
    );
  }
  if (to.version !== undefined && from.version !== to.version) {
    add(
      `ALTER EXTENSION ${name} UPDATE TO ${quoteLiteral(to.version)};`,
      "extension version changed",
      RANK.alterExtension + 0.5,
    );
  }
  return out;
}

/** GRANT (run as `runAs` when given); with `from`, the grant option is added to an existing privilege. */
export function grant(to: GrantObject, from?: GrantObject): Step[] {
  const s = step(to.id, "grant", "post", RANK.grant, grantSql(to), from ? "grant option is new" : "privilege is new");
  if (from) s.was = grantDefinition(from);
  s.now = grantDefinition(to);
  return [s];
}

/** REVOKE a privilege (or only its grant option, when `to` keeps the privilege). Destructive. */
export function revoke(from: GrantObject, to?: GrantObject): Step[] {
  const what = to ? `GRANT OPTION FOR ${from.privilege}` : from.privilege;
  const sql = `REVOKE ${what} ON ${grantTargetSql(from)} FROM ${granteeSql(from.grantee)};`;
  const who = from.grantee === "public" ? "PUBLIC" : from.grantee;
  const s = step(
    from.id,
    "revoke",
    "drop",
    RANK.revoke,
    sql,
    to ? "the grant option is not in the desired schema" : "privilege is not in the desired schema",
  );
  s.was = grantDefinition(from);
  if (to) s.now = grantDefinition(to);
  s.destructive = true;
  s.hazards = [{
    kind: "access_loss",
    message: `${who} loses ${what} on ${grantTargetSql(from)}`,
  }];
  return [s];
}
