/**
 * Structured schema.yaml entries for views, functions and row-level security, each only when the
 * entry says exactly what the database holds (pull's self-check proves it, and moves what does
 * not come back identical to `sql:`). Pure.
 * @module
 */
import type { FunctionDetail } from "../introspect/pull_details.ts";
import type { FunctionObject, PolicyObject, RlsObject, ViewObject } from "../model/snapshot.ts";
import { pullType } from "./types.ts";

const VOLATILITY: Readonly<Record<FunctionDetail["volatility"], string>> = {
  i: "Immutable",
  s: "Stable",
  v: "Volatile",
};

const OPERATION: Readonly<Record<PolicyObject["command"], string>> = {
  ALL: "All",
  SELECT: "Select",
  INSERT: "Insert",
  UPDATE: "Update",
  DELETE: "Delete",
};

const GRANT_OPTION = " WITH GRANT OPTION";

/** A `views:` entry, or undefined when the view has options (`security_barrier`, `check_option`, …). */
export function viewYaml(v: ViewObject): Record<string, unknown> | undefined {
  if (v.options.length > 0) return undefined;
  const sql = v.definition.trim();
  if (sql === "") return undefined;
  return {
    ...(v.schema === "public" ? {} : { schema: v.schema }),
    name: v.name,
    ...(v.kind === "matview" ? { materialized: true } : {}),
    sql,
  };
}

/**
 * A `functions:` entry, or undefined when the entry cannot say the function exactly: an
 * attribute the keys do not have, an empty body, or EXECUTE granted WITH GRANT OPTION.
 */
export function functionYaml(f: FunctionObject, d: FunctionDetail): Record<string, unknown> | undefined {
  if (d.extra || d.body.trim() === "" || f.execute.some((e) => e.endsWith(GRANT_OPTION))) return undefined;
  if (d.argNames.length !== d.argTypes.length) return undefined;
  const publicExecute = f.execute.includes("PUBLIC");
  const roles = f.execute.filter((e) => e !== "PUBLIC");
  const out: Record<string, unknown> = {};
  if (f.schema !== "public") out.schema = f.schema;
  out.name = f.name;
  if (d.argNames.length > 0) {
    out.arguments = d.argNames.map((name, i) => ({ name, type: pullType(d.argTypes[i]) }));
  }
  out.returns = (d.retset ? "SETOF " : "") + pullType(d.returns);
  out.language = d.language;
  out.volatility = VOLATILITY[d.volatility];
  if (d.securityDefiner) out.securityDefiner = true;
  out.body = d.body;
  if (roles.length > 0) out.executeRoles = roles;
  if (publicExecute) out.revokePublicExecute = false;
  return out;
}

/** One policy entry of `rowLevelSecurity.policies`. */
export function policyYaml(p: PolicyObject): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  if (!p.permissive) out.permissive = false;
  if (p.command !== "ALL") out.operations = [OPERATION[p.command]];
  if (p.roles.length > 0) out.roles = [...p.roles];
  if (p.using !== undefined) out.usingSql = p.using;
  if (p.withCheck !== undefined) out.withCheckSql = p.withCheck;
  return out;
}

/**
 * A table's `rowLevelSecurity`, or undefined when it has neither switches on nor policies. The
 * key's `enabled` defaults to true, so a table with policies but RLS off says `enabled: false`.
 */
export function rowLevelSecurityYaml(
  rls: RlsObject | undefined,
  policies: PolicyObject[],
): Record<string, unknown> | undefined {
  if (rls === undefined && policies.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  if (!rls?.enabled) out.enabled = false;
  if (rls?.forced) out.forced = true;
  if (policies.length > 0) out.policies = policies.map(policyYaml);
  return out;
}
