/**
 * `roles`, `grants` and `extensions` → {@link Role}, {@link Grant}, {@link Extension}, with located
 * problems. Privilege words are checked against what PostgreSQL accepts for the target, and the
 * objects a grant names against the tables and schemas of the same file, so a typo is reported at
 * its line instead of failing at apply.
 * @module
 */
import { isSeq, type Node } from "yaml";
import type { SourceRef } from "../model/errors.ts";
import { PUBLIC_GRANTEE } from "../model/snapshot.ts";
import { didYouMean } from "./keys.ts";
import { compact, type Entry, type Reader } from "./reader.ts";
import type { Extension, Grant, GrantTarget, Role, Schema } from "./types.ts";

const TARGETS: Readonly<Record<string, GrantTarget>> = {
  Schema: "schema",
  Table: "table",
  AllTablesInSchema: "allTablesInSchema",
};

/**
 * Table privileges `ALL` stands for. `MAINTAIN` (PostgreSQL 17+) is left out on purpose: `ALL`
 * must mean the same on every server version, or a PostgreSQL 15 database would never converge.
 * List `MAINTAIN` explicitly to grant it.
 */
export const TABLE_ALL: readonly string[] = [
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "TRUNCATE",
  "REFERENCES",
  "TRIGGER",
];

/** Schema privileges `ALL` stands for. */
export const SCHEMA_ALL: readonly string[] = ["USAGE", "CREATE"];

const TABLE_PRIVILEGES: readonly string[] = [...TABLE_ALL, "MAINTAIN"];

/** Read one `roles` entry. */
export function readRole(r: Reader, node: Node, i: number): Role | undefined {
  const m = r.map(node, "role", `role #${i + 1}`, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const grantTo = r.locatedList(e("grantTo")) ?? [];
  for (const g of grantTo) {
    if (g.value === name) r.problem(g.at, `role "${name}" cannot be granted to itself`);
    if (g.value.toLowerCase() === PUBLIC_GRANTEE) r.problem(g.at, "a role cannot be granted to PUBLIC");
  }
  if (name !== undefined && name.toLowerCase() === PUBLIC_GRANTEE) {
    r.problem(m.valueAt.name!, `"${name}" is reserved by PostgreSQL and cannot be a role name`);
  }
  const role = compact<Role>({
    name: name ?? "",
    login: r.bool(e("login")) ?? false,
    bypassRls: r.bool(e("bypassRls")) ?? false,
    grantTo: [...new Set(grantTo.map((g) => g.value))],
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : role;
}

/** Read one `extensions` entry (`version: 1.6` is read as written, not as a number). */
export function readExtension(r: Reader, node: Node, i: number): Extension | undefined {
  const m = r.map(node, "extension", `extension #${i + 1}`, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const ext = compact<Extension>({
    name: name ?? "",
    schema: r.name(e("schema")),
    version: r.sql(e("version")),
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : ext;
}

/** Read one `grants` entry. */
export function readGrant(r: Reader, node: Node, i: number): Grant | undefined {
  const what = `grant #${i + 1}`;
  const m = r.map(node, "grant", what, ["target", "privileges", "roles"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const target = r.oneOf(e("target"), TARGETS);
  const objectName = r.name(e("objectName"));
  if (target === "table" && objectName === undefined && e("objectName") === undefined) {
    r.problem(m.at, `${what} has target Table but no "objectName" (the table's name)`);
  }
  if (target === "allTablesInSchema" && objectName !== undefined) {
    r.problem(
      m.valueAt.objectName!,
      `${what} has target AllTablesInSchema, which takes no "objectName"`,
      'Name the schema with "schema", or use target Table for one table.',
    );
  }
  const privileges = target === undefined ? [] : readPrivileges(r, e("privileges"), target, what);
  const roles = (r.locatedList(e("roles")) ?? []).map((x) =>
    x.value.toLowerCase() === PUBLIC_GRANTEE ? PUBLIC_GRANTEE : x.value
  );
  if (isEmptyList(e("roles"))) r.problem(m.valueAt.roles!, `${what} has no roles`);
  const schema = r.name(e("schema"));
  const grant = compact<Grant>({
    schema: target === "schema" ? objectName ?? schema ?? "public" : schema ?? "public",
    target: target ?? "table",
    objectName: target === "schema" ? undefined : objectName,
    privileges,
    roles: [...new Set(roles)],
    runAs: r.name(e("runAs")),
    at: m.at,
    valueAt: m.valueAt,
  });
  return target === undefined || privileges.length === 0 || grant.roles.length === 0 ? undefined : grant;
}

/** Privilege words, upper case, checked for the target; `ALL` (or `ALL PRIVILEGES`) expanded. */
function readPrivileges(r: Reader, e: Entry | undefined, target: GrantTarget, what: string): string[] {
  const items = r.locatedList(e, "text") ?? [];
  if (e !== undefined && isEmptyList(e)) r.problem(e.at, `${what} has no privileges`);
  const all = target === "schema" ? SCHEMA_ALL : TABLE_ALL;
  const valid = target === "schema" ? SCHEMA_ALL : TABLE_PRIVILEGES;
  const out = new Set<string>();
  for (const { value, at } of items) {
    const word = value.trim().toUpperCase().replace(/\s+/g, " ");
    if (word === "ALL" || word === "ALL PRIVILEGES") all.forEach((p) => out.add(p));
    else if (valid.includes(word)) out.add(word);
    else {
      const on = target === "schema" ? "a schema" : "a table";
      r.problem(
        at,
        `"${value}" is not a privilege on ${on}${didYouMean(word, [...valid, "ALL"])}`,
        `valid: ${[...valid, "ALL"].join(", ")}`,
      );
    }
  }
  return [...out];
}

/** A key written as `[]`. */
function isEmptyList(e: Entry | undefined): boolean {
  return e !== undefined && isSeq(e.node) && e.node.items.length === 0;
}

/** Schemas a file manages: the declared ones, those of its tables and enums, else public. */
function fileSchemas(schema: Schema): Set<string> {
  const out = new Set<string>([
    ...schema.schemas.map((s) => s.name),
    ...schema.tables.map((t) => t.schema),
    ...schema.enums.map((e) => e.schema),
  ]);
  if (out.size === 0) out.add("public");
  return out;
}

/**
 * Cross-checks once the whole file is read: duplicate roles and extensions, and grants on tables
 * or schemas the file does not declare (pgconverge only reads privileges in the schemas it manages,
 * so such a grant could never converge).
 */
export function checkAccess(r: Reader, schema: Schema): void {
  const seen = (what: string) => {
    const first = new Map<string, SourceRef>();
    return (name: string, at: SourceRef) => {
      const f = first.get(name);
      if (f) r.problem(at, `duplicate ${what} "${name}" (first at line ${f.line})`);
      else first.set(name, at);
    };
  };
  const role = seen("role");
  for (const x of schema.roles) role(x.name, x.valueAt.name ?? x.at);
  const ext = seen("extension");
  for (const x of schema.extensions) ext(x.name, x.valueAt.name ?? x.at);
  const schemas = fileSchemas(schema);
  for (const g of schema.grants ?? []) {
    const schemaAt = g.valueAt.schema ?? (g.target === "schema" ? g.valueAt.objectName : undefined) ?? g.at;
    if (!schemas.has(g.schema)) {
      r.problem(
        schemaAt,
        `grant names schema "${g.schema}", which this file does not manage${didYouMean(g.schema, [...schemas])}`,
        'Add it under "schemas" (or a table in it): privileges are only read in managed schemas.',
      );
      continue;
    }
    if (g.target !== "table" || g.objectName === undefined) continue;
    const names = schema.tables.filter((t) => t.schema === g.schema).map((t) => t.name);
    const view = schema.views.find((v) => v.schema === g.schema && v.name === g.objectName);
    if (view !== undefined) {
      r.problem(
        g.valueAt.objectName ?? g.at,
        `grant names ${view.materialized ? "materialized view" : "view"} "${g.schema}.${g.objectName}": ` +
          "privileges on views are not managed yet",
        "Grant it by hand (GRANT … ON … TO …): pgconverge leaves privileges on views alone and lists them as not managed.",
      );
      continue;
    }
    if (!names.includes(g.objectName)) {
      r.problem(
        g.valueAt.objectName ?? g.at,
        `grant names table "${g.schema}.${g.objectName}", which this file does not declare${
          didYouMean(g.objectName, names)
        }`,
      );
    }
  }
}
