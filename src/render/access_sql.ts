/**
 * Roles and grants in a canonical snapshot file. They are printed after everything else and are
 * never loaded into a shadow (roles are cluster-wide: a server shadow would create them for real).
 * A grant's `runAs` is not printed: it says how to grant, not what is granted.
 * @module
 */
import { createRoleSql, grantDefinition, grantMembershipSql } from "../model/access.ts";
import { objectsOfKind, type Snapshot } from "../model/snapshot.ts";

/** Sections: roles, their memberships, then grants (each sorted by id). */
export function accessSections(snap: Snapshot): string[][] {
  const roles = objectsOfKind(snap, "role");
  return [
    roles.map(createRoleSql),
    roles.flatMap((r) => r.members.map((m) => grantMembershipSql(r.name, m))),
    objectsOfKind(snap, "grant").map((g) => `${grantDefinition(g)};`),
  ].filter((s) => s.length > 0);
}
