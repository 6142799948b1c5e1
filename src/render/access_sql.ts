/**
 * Roles and grants in a canonical snapshot file: printed after everything else as comments, for
 * review. They are not executed when the file is loaded (as a `.sql` source, into a shadow):
 * roles are cluster-wide, and a server shadow would create them for real.
 * A grant's `runAs` is not printed: it says how to grant, not what is granted.
 * @module
 */
import { createRoleSql, grantDefinition, grantMembershipSql } from "../model/access.ts";
import { objectsOfKind, type Snapshot } from "../model/snapshot.ts";

/** Sections: roles, their memberships, then grants (each sorted by id), each line commented out. */
export function accessSections(snap: Snapshot): string[][] {
  const roles = objectsOfKind(snap, "role");
  const sections = [
    roles.map(createRoleSql),
    roles.flatMap((r) => r.members.map((m) => grantMembershipSql(r.name, m))),
    objectsOfKind(snap, "grant").map((g) => `${grantDefinition(g)};`),
  ].filter((s) => s.length > 0).map((s) => s.map((line) => `-- ${line}`));
  if (sections.length > 0) {
    sections[0].unshift("-- Roles and grants (cluster-wide: listed for review, not run when this file is loaded)");
  }
  return sections;
}
