/** Diff of domains: create, drop, alter in place. @module */
import { definitionOf } from "../model/definition.ts";
import type { Change } from "./change.ts";
import { type DiffContext, pairs } from "./diff.ts";

/** Domains to create, drop and alter. */
export function diffDomains(ctx: DiffContext): Change[] {
  const { from, to } = pairs(ctx, "domain");
  const out: Change[] = [];
  for (const [id, d] of to) {
    const live = from.get(id);
    if (!live) out.push({ op: "create_domain", to: d });
    else if (definitionOf(live) !== definitionOf(d)) out.push({ op: "alter_domain", from: live, to: d });
  }
  for (const [id, d] of from) if (!to.has(id)) out.push({ op: "drop_domain", from: d });
  return out;
}
