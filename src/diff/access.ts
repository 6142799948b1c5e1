/**
 * Diff of roles, extensions and grants. Each side only holds what the schema.yaml manages (see
 * introspect/access.ts), so a role or extension missing from the desired side is never dropped:
 * pgconverge cannot know it ever created it. Grants are compared one privilege at a time.
 * @module
 */
import { schemaId, tableId } from "../model/ids.ts";
import type { GrantObject } from "../model/snapshot.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs, sameDefinition } from "./diff.ts";

/** Roles to create, and roles whose LOGIN, BYPASSRLS or memberships differ. */
export function diffRoles(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "role");
  const out: Change[] = [];
  for (const [id, r] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_role", to: r });
    else if (!sameDefinition(live, r)) out.push({ op: "alter_role", from: live, to: r });
  }
  return out;
}

/** Extensions to create, and those whose declared schema or version differ. */
export function diffExtensions(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "extension");
  const out: Change[] = [];
  for (const [id, e] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_extension", to: e });
    else if (!sameDefinition(live, e)) out.push({ op: "alter_extension", from: live, to: e });
  }
  return out;
}

/** The table or schema a grant is on. */
function objectOf(g: GrantObject): string {
  return g.on === "table" ? tableId(g.schema, g.table!) : schemaId(g.schema);
}

/**
 * Privileges to grant and to revoke. A privilege on a table or schema this plan drops goes with
 * it, so it is not revoked first.
 */
export function diffGrants(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "grant");
  const out: Change[] = [];
  for (const [id, g] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "grant", to: g });
    else if (!sameDefinition(live, g)) {
      // Only the grant option can differ: add it, or take it away (a revoke).
      out.push(g.grantable ? { op: "grant", to: g, from: live } : { op: "revoke", from: live, to: g });
    }
  }
  for (const [id, g] of from) {
    if (to.has(id)) continue;
    const on = objectOf(g);
    if (ctx.droppedTables.has(on) || (g.on === "schema" && !ctx.to.objects.has(on) && g.schema !== "public")) continue;
    out.push({ op: "revoke", from: g });
  }
  return out;
}
