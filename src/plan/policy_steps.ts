/**
 * Row-level security changes → statements. Policies are dropped first of all (a column or table
 * they use can then be dropped or retyped) and created at the end of the post phase (after the
 * tables, columns, keys and functions they may use); the switches follow the policies.
 *
 * Hazards: every change to who sees which rows is a `security` hazard. What opens rows up
 * without a replacement (DISABLE or NO FORCE ROW LEVEL SECURITY, dropping a RESTRICTIVE policy)
 * is destructive: refused unless --allow-destructive.
 * @module
 */
import type { Change } from "../diff/change.ts";
import { definitionOf } from "../model/definition.ts";
import { policyRoles } from "../model/policy_definition.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { PolicyObject } from "../model/snapshot.ts";
import { createPolicySql, dropPolicySql } from "../render/policy_sql.ts";
import type { Step } from "./step.ts";
import { step } from "./step_helpers.ts";

/** Rank of policy drops in the drop phase: after renames (1, 2), before every other drop. */
export const DROP_POLICY_RANK = 5;
/** Rank of policy renames in the pre phase (after constraint and index renames). */
export const RENAME_POLICY_RANK = 112;
/** Rank of policy creations and alterations in the post phase (after foreign keys, before comments). */
export const CREATE_POLICY_RANK = 265;
/** Rank of the ENABLE / FORCE switches in the post phase, after the policies they enforce. */
export const RLS_RANK = 266;

type PolicyChange = Extract<
  Change,
  { op: "alter_rls" | "create_policy" | "drop_policy" | "alter_policy" | "rename_policy" }
>;

function tableOf(p: { schema: string; table: string }): string {
  return qualify(p.schema, p.table);
}

function on(p: PolicyObject): string {
  return `${quoteIdent(p.name)} ON ${tableOf(p)}`;
}

/** The statements for one row-level security change. */
export function policySteps(ch: PolicyChange): Step[] {
  switch (ch.op) {
    case "alter_rls":
      return rlsSteps(ch);
    case "create_policy": {
      const reason = ch.why
        ? `re-created: ${ch.why}`
        : ch.replaces
        ? "policy changed: dropped before everything else, created again here"
        : "policy is new";
      const s = step(ch.to.id, ch.op, "post", CREATE_POLICY_RANK, createPolicySql(ch.to), reason);
      if (ch.replaces) s.was = definitionOf(ch.replaces);
      s.now = definitionOf(ch.to);
      return [s];
    }
    case "drop_policy": {
      const p = ch.from;
      const reason = ch.why
        ? `dropped for now: ${ch.why}`
        : ch.replacedBy
        ? "policy changed: the old one goes first, the new one is created after the tables and columns it uses"
        : "policy is not in the desired schema";
      const s = step(p.id, ch.op, "drop", DROP_POLICY_RANK, dropPolicySql(p), reason);
      s.was = definitionOf(p);
      if (ch.replacedBy) {
        s.now = definitionOf(ch.replacedBy);
        if (!ch.why) {
          s.hazards.push({
            kind: "security",
            message: `changes which rows of ${tableOf(p)} ${policyRoles(p.roles)} can see or write: review was/now`,
          });
        }
      } else if (p.permissive) {
        s.hazards.push({
          kind: "security",
          message: `${policyRoles(p.roles)} lose the rows of ${tableOf(p)} this policy let them ${verb(p)}`,
        });
      } else {
        s.destructive = true;
        s.hazards.push({
          kind: "security",
          message: `rows of ${tableOf(p)} this RESTRICTIVE policy hid from ${
            policyRoles(p.roles)
          } become visible to them`,
        });
      }
      return [s];
    }
    case "alter_policy": {
      const s = step(
        ch.to.id,
        ch.op,
        "post",
        CREATE_POLICY_RANK,
        `ALTER POLICY ${on(ch.from)} TO ${policyRoles(ch.to.roles)};`,
        "policy applies to other roles",
      );
      s.was = definitionOf(ch.from);
      s.now = definitionOf(ch.to);
      s.hazards.push({
        kind: "security",
        message: `policy ${ch.to.name} on ${tableOf(ch.to)} now applies to ${policyRoles(ch.to.roles)} (was ${
          policyRoles(ch.from.roles)
        })`,
      });
      return [s];
    }
    case "rename_policy":
      return [{
        ...step(
          ch.to.id,
          ch.op,
          "pre",
          RENAME_POLICY_RANK,
          `ALTER POLICY ${on(ch.from)} RENAME TO ${quoteIdent(ch.to.name)};`,
          `same policy under another name (was ${ch.from.name})`,
        ),
        now: definitionOf(ch.to),
      }];
  }
}

/** What a policy's command lets its roles do with rows. */
function verb(p: PolicyObject): string {
  return p.command === "ALL" ? "see or write" : p.command === "SELECT" ? "see" : p.command.toLowerCase();
}

/** One statement per switch that flips; turning protection off is destructive. */
function rlsSteps(ch: Extract<Change, { op: "alter_rls" }>): Step[] {
  const table = tableOf(ch);
  const out: Step[] = [];
  const mk = (action: string, reason: string): Step => ({
    ...step(ch.id, ch.op, "post", RLS_RANK, `ALTER TABLE ${table} ${action};`, reason),
    ...(ch.from ? { was: definitionOf(ch.from) } : {}),
    ...(ch.to ? { now: definitionOf(ch.to) } : {}),
  });
  const enabled = [ch.from?.enabled ?? false, ch.to?.enabled ?? false];
  const forced = [ch.from?.forced ?? false, ch.to?.forced ?? false];
  if (!enabled[0] && enabled[1]) {
    const s = mk("ENABLE ROW LEVEL SECURITY", "row-level security is enabled in the desired schema");
    if (!ch.tableIsNew) {
      s.hazards.push({
        kind: "security",
        message:
          `roles other than the owner see and write only the rows of ${table} a policy allows (none without one)`,
      });
    }
    out.push(s);
  }
  if (enabled[0] && !enabled[1]) {
    const s = mk("DISABLE ROW LEVEL SECURITY", "row-level security is not enabled in the desired schema");
    s.destructive = true;
    s.hazards.push({
      kind: "security",
      message: `policies of ${table} stop applying: every role with privileges on it sees and writes all rows`,
    });
    out.push(s);
  }
  if (!forced[0] && forced[1]) {
    const s = mk("FORCE ROW LEVEL SECURITY", "row-level security is forced in the desired schema");
    if (!ch.tableIsNew) {
      s.hazards.push({ kind: "security", message: `the owner of ${table} becomes subject to its policies too` });
    }
    out.push(s);
  }
  if (forced[0] && !forced[1]) {
    const s = mk("NO FORCE ROW LEVEL SECURITY", "row-level security is not forced in the desired schema");
    s.destructive = true;
    s.hazards.push({ kind: "security", message: `the owner of ${table} bypasses its policies again` });
    out.push(s);
  }
  return out;
}
