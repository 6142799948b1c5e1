/**
 * Model objects about who may see and do what: roles, grants, extensions, row-level security and
 * policies. Part of the one canonical model ({@link DbObject} in snapshot.ts, which re-exports them).
 * @module
 */

/**
 * A role (cluster-wide). Only roles named in schema.yaml are read and compared; other roles of the
 * cluster are never listed, changed or dropped.
 */
export interface RoleObject {
  /** Discriminant. */
  kind: "role";
  /** `role:<name>`. */
  id: string;
  /** Role name, unquoted. */
  name: string;
  /** `rolcanlogin`. */
  login: boolean;
  /** `rolbypassrls`. */
  bypassRls: boolean;
  /** Roles this role is granted to (`GRANT <name> TO <member>`), sorted. */
  members: string[];
}

/** One privilege of one grantee on a table or schema (from `aclexplode`). */
export interface GrantObject {
  /** Discriminant. */
  kind: "grant";
  /** `grant:<object id>:<grantee>:<privilege>`. */
  id: string;
  /** Schema of the object (the schema itself for a schema grant). */
  schema: string;
  /** `table` or `schema`. */
  on: "table" | "schema";
  /** Table name, for a table grant. */
  table?: string;
  /** Grantee role name, or {@link PUBLIC_GRANTEE}. */
  grantee: string;
  /** Privilege keyword as `aclexplode` prints it (`SELECT`, `USAGE`, …). */
  privilege: string;
  /** Granted WITH GRANT OPTION. */
  grantable: boolean;
  /** Role to `SET ROLE` to before granting (`runAs`); not compared (the grantor is not modelled). */
  runAs?: string;
}

/** An extension. Its schema and version are part of it only when schema.yaml names them. */
export interface ExtensionObject {
  /** Discriminant. */
  kind: "extension";
  /** `extension:<name>`. */
  id: string;
  /** Extension name. */
  name: string;
  /** Schema it is installed in (compared only when declared). */
  schema?: string;
  /** `extversion` (compared only when declared). */
  version?: string;
}

/** The grantee name standing for PUBLIC (no role can be called `public`). */
export const PUBLIC_GRANTEE = "public";

/**
 * Objects outside the managed schemas that a schema.yaml puts under management: they are read
 * from a live database only within this scope, so nothing else of the cluster is ever touched.
 */
export interface ManagedScope {
  /** Roles (by name) whose attributes and memberships are managed, sorted. */
  roles: string[];
  /** Extensions managed, and whether their schema and version are compared, sorted by name. */
  extensions: Array<{ name: string; schema: boolean; version: boolean }>;
  /** True when the file has a `grants` section: every privilege in the managed schemas is then managed. */
  grants: boolean;
}

/** The command a policy applies to (`pg_policy.polcmd`, spelled as in CREATE POLICY). */
export type PolicyCommand = "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";

/**
 * Row-level security switches of a table, an object of its own so that turning them on or off
 * is a change with its own statement and hazards. Present only when at least one is on.
 */
export interface RlsObject {
  /** Discriminant. */
  kind: "rls";
  /** `rls:<schema>.<table>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** `relrowsecurity`: ENABLE ROW LEVEL SECURITY. */
  enabled: boolean;
  /** `relforcerowsecurity`: FORCE ROW LEVEL SECURITY (policies apply to the table owner too). */
  forced: boolean;
}

/** A row-level security policy. */
export interface PolicyObject {
  /** Discriminant. */
  kind: "policy";
  /** `policy:<schema>.<table>.<name>`. */
  id: string;
  /** Schema name, unquoted. */
  schema: string;
  /** Table name, unquoted. */
  table: string;
  /** Policy name, unquoted. */
  name: string;
  /** PERMISSIVE (true) or RESTRICTIVE. */
  permissive: boolean;
  /** The command it applies to. */
  command: PolicyCommand;
  /** Role names, unquoted, sorted byte-wise; empty means PUBLIC. */
  roles: string[];
  /** `pg_get_expr()` of the USING expression. */
  using?: string;
  /** `pg_get_expr()` of the WITH CHECK expression. */
  withCheck?: string;
  /**
   * Ids of the columns its expressions use (from `pg_depend`, any table), sorted. Not part of the
   * definition: it tells plan which policies must be rebuilt around a column type change.
   */
  uses?: string[];
}
