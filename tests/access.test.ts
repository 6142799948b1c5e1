/**
 * Roles, grants and extensions without a database: the YAML readers (located problems), the
 * objects a file declares, the diff and the statements planned, and the migration header.
 */
import assert from "node:assert/strict";
import { buildPlan } from "../src/plan/plan.ts";
import { PgcError } from "../src/model/errors.ts";
import { readMigration } from "../src/migration/read.ts";
import { writeMigration } from "../src/migration/write.ts";
import type { DbObject, GrantObject, RoleObject } from "../src/model/snapshot.ts";
import { snapshotOf } from "../src/model/snapshot.ts";
import { desiredAccess } from "../src/render/access_objects.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { renderSnapshotSql } from "../src/render/snapshot_sql.ts";
import { withoutOwnerGrants } from "../src/source/access_source.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { column, table } from "./support/snap.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

function problems(text: string): string[] {
  try {
    loadSchemaYaml(text, "schema.yaml");
  } catch (e) {
    if (!(e instanceof PgcError)) throw e;
    return e.problems.map((p) => `${p.at?.line}:${p.at?.column} ${p.message}`);
  }
  assert.fail("expected problems, but the file loaded");
}

function role(name: string, extra: Partial<RoleObject> = {}): RoleObject {
  return { kind: "role", id: `role:${name}`, name, login: false, bypassRls: false, members: [], ...extra };
}

function grant(t: string, grantee: string, privilege: string, extra: Partial<GrantObject> = {}): GrantObject {
  return {
    kind: "grant",
    id: `grant:table:public.${t}:${grantee}:${privilege}`,
    schema: "public",
    on: "table",
    table: t,
    grantee,
    privilege,
    grantable: false,
    ...extra,
  };
}

function snap(...objects: DbObject[]) {
  const s = snapshotOf(objects, ["public"]);
  s.manages = { roles: [], extensions: [], grants: true };
  return s;
}

const FILE = `roles:
  - { name: app, login: true }
  - { name: readers, grantTo: [app, app] }
extensions:
  - { name: citext, version: 1.6 }
grants:
  - { target: Table, objectName: t, privileges: [select, All], roles: [app] }
  - { target: AllTablesInSchema, privileges: [SELECT], roles: [readers, Public], runAs: app }
  - { target: Schema, privileges: [ALL PRIVILEGES], roles: [readers] }
tables:
  - { name: t, columns: [{ name: id, type: Int }] }
  - { name: u, columns: [{ name: id, type: Int }] }
`;

Deno.test("loadSchemaYaml() reads roles, grants and extensions; ALL expands, PUBLIC and versions are kept as written", () => {
  const s = loadSchemaYaml(FILE, "schema.yaml");
  assert.deepEqual(s.roles.map((r) => [r.name, r.login, r.bypassRls, r.grantTo]), [
    ["app", true, false, []],
    ["readers", false, false, ["app"]],
  ]);
  assert.deepEqual(s.extensions.map((e) => [e.name, e.schema, e.version]), [["citext", undefined, "1.6"]]);
  assert.deepEqual(s.grants!.map((g) => [g.target, g.schema, g.objectName, g.privileges, g.roles, g.runAs]), [
    ["table", "public", "t", ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"], [
      "app",
    ], undefined],
    ["allTablesInSchema", "public", undefined, ["SELECT"], ["readers", "public"], "app"],
    ["schema", "public", undefined, ["USAGE", "CREATE"], ["readers"], undefined],
  ]);
});

Deno.test("loadSchemaYaml() leaves grants unmanaged without a grants key, and manages them with grants: []", () => {
  assert.equal(loadSchemaYaml("tables: []\n", "s.yaml").grants, undefined);
  assert.deepEqual(loadSchemaYaml("grants: []\ntables: []\n", "s.yaml").grants, []);
});

Deno.test("loadSchemaYaml() reports every role, grant and extension problem at its line", () => {
  assert.deepEqual(
    problems(`roles:
  - { name: app, bypassRLS: true }
  - { name: app, grantTo: [app] }
  - { login: true }
extensions:
  - { nam: citext }
grants:
  - { target: Tabel, privileges: [SELECT], roles: [app] }
  - { target: Table, objectName: t, privileges: [USAGE], roles: [app] }
  - { target: Table, privileges: [SELECT], roles: [app] }
  - { target: Table, objectName: tt, privileges: [SELECT], roles: [app] }
  - { target: Schema, schema: other, privileges: [USAGE], roles: [app] }
  - { target: AllTablesInSchema, objectName: t, privileges: [SELECT], roles: [] }
tables:
  - { name: t, columns: [{ name: id, type: Int }] }
`),
    [
      '2:18 unknown key "bypassRLS" (did you mean "bypassRls"?)',
      '3:13 duplicate role "app" (first at line 2)',
      '3:28 role "app" cannot be granted to itself',
      '4:5 role #3 is missing required key "name"',
      '6:5 extension #1 is missing required key "name"',
      '6:7 unknown key "nam" (did you mean "name"?)',
      '8:15 unknown target "Tabel" (did you mean "Table"?)',
      '9:50 "USAGE" is not a privilege on a table',
      '10:5 grant #3 has target Table but no "objectName" (the table\'s name)',
      '11:34 grant names table "public.tt", which this file does not declare (did you mean "t"?)',
      '12:31 grant names schema "other", which this file does not manage',
      '13:46 grant #6 has target AllTablesInSchema, which takes no "objectName"',
      "13:78 grant #6 has no roles",
    ],
  );
});

Deno.test("desiredAccess() expands AllTablesInSchema to the file's tables and records what the file manages", () => {
  const { objects, manages } = desiredAccess(loadSchemaYaml(FILE, "schema.yaml"));
  const ids = objects.map((o) => o.id);
  for (
    const id of [
      "role:app",
      "role:readers",
      "extension:citext",
      "grant:table:public.t:readers:SELECT",
      "grant:table:public.u:readers:SELECT",
      "grant:table:public.u:public:SELECT",
      "grant:schema:public:readers:CREATE",
    ]
  ) assert.ok(ids.includes(id), `${id} in ${ids.join(" ")}`);
  assert.deepEqual(manages, {
    roles: ["app", "readers"],
    extensions: [{ name: "citext", schema: false, version: true }],
    grants: true,
  });
  const u = objects.find((o) => o.id === "grant:table:public.u:public:SELECT") as GrantObject;
  assert.equal(u.runAs, "app");
});

Deno.test("renderSchemaDdl() creates extensions after schemas and before tables, pointing at their line", () => {
  const ddl = renderSchemaDdl(loadSchemaYaml(
    `schemas: [ext]
extensions: [{ name: citext, schema: ext }]
tables: [{ name: t, columns: [{ name: id, type: Int }] }]
`,
    "schema.yaml",
  ));
  assert.deepEqual(ddl.statements.map((s) => s.sql.split("\n")[0]), [
    "CREATE SCHEMA ext",
    "CREATE EXTENSION IF NOT EXISTS citext SCHEMA ext",
    "CREATE TABLE public.t (",
  ]);
  assert.equal(ddl.statements[1].source?.line, 2);
});

Deno.test("plan() creates roles first, memberships once both roles exist, grants after the new table", async () => {
  const from = snap();
  const to = snap(
    table("t"),
    column("t", "id", "integer"),
    role("app", { login: true }),
    role("readers", { members: ["app"] }),
    grant("t", "readers", "SELECT", { runAs: "app" }),
    grant("t", "public", "INSERT"),
  );
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => s.sql), [
    "CREATE ROLE app LOGIN NOBYPASSRLS;",
    "CREATE ROLE readers NOLOGIN NOBYPASSRLS;",
    "GRANT readers TO app;",
    "CREATE TABLE public.t (\n    id integer\n);",
    "GRANT INSERT ON TABLE public.t TO PUBLIC;",
    "SET ROLE app;\nGRANT SELECT ON TABLE public.t TO readers;\nRESET ROLE;",
  ]);
  assert.ok(plan.steps.every((s) => !s.destructive));
});

Deno.test("plan() alters LOGIN/BYPASSRLS in one statement and grants or revokes memberships one by one", async () => {
  const from = snap(role("r", { members: ["a", "b"] }));
  const to = snap(role("r", { login: true, bypassRls: true, members: ["b", "c"] }));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => [s.phase, s.sql, s.destructive]), [
    ["drop", "REVOKE r FROM a;", true],
    ["pre", "ALTER ROLE r LOGIN BYPASSRLS;", false],
    ["pre", "GRANT r TO c;", false],
  ]);
  assert.equal(plan.steps[0].hazards[0].kind, "access_loss");
  assert.equal(plan.steps[1].was, "NOLOGIN NOBYPASSRLS");
});

Deno.test("plan() revokes a privilege that is not declared (destructive), but not on a table it drops", async () => {
  const from = snap(table("t"), table("gone"), grant("t", "app", "DELETE"), grant("gone", "app", "SELECT"));
  const to = snap(table("t"));
  const plan = await buildPlan(from, to);
  const revokes = plan.steps.filter((s) => s.op === "revoke");
  assert.deepEqual(revokes.map((s) => [s.phase, s.sql, s.destructive]), [
    ["drop", "REVOKE DELETE ON TABLE public.t FROM app;", true],
  ]);
  assert.deepEqual(revokes[0].hazards.map((h) => h.kind), ["access_loss"]);
});

Deno.test("plan() takes away only the grant option when the privilege itself stays", async () => {
  const from = snap(table("t"), grant("t", "app", "SELECT", { grantable: true }));
  const to = snap(table("t"), grant("t", "app", "SELECT"));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => [s.sql, s.destructive]), [[
    "REVOKE GRANT OPTION FOR SELECT ON TABLE public.t FROM app;",
    true,
  ]]);
});

Deno.test("plan() creates a missing extension and moves or updates one only in what the file declares", async () => {
  const ext = (name: string, extra: Record<string, string> = {}): DbObject => ({
    kind: "extension",
    id: `extension:${name}`,
    name,
    ...extra,
  });
  const plan = await buildPlan(
    snap(ext("hstore", { schema: "public", version: "1.7" })),
    snap(ext("citext"), ext("hstore", { schema: "ext", version: "1.8" })),
  );
  assert.deepEqual(plan.steps.map((s) => s.sql), [
    "CREATE EXTENSION IF NOT EXISTS citext;",
    "ALTER EXTENSION hstore SET SCHEMA ext;",
    "ALTER EXTENSION hstore UPDATE TO '1.8';",
  ]);
  assert.deepEqual((await buildPlan(snap(ext("citext")), snap(ext("citext")))).steps, []);
});

Deno.test("withoutOwnerGrants() drops desired grants to the live owner: the owner's privileges are implicit", () => {
  const to = snap(
    table("t"),
    table("new"),
    grant("t", "owner_role", "SELECT"),
    grant("t", "app", "SELECT"),
    grant("new", "runner", "SELECT"),
  );
  // A table the plan creates will be owned by the role running it ("*").
  const kept = withoutOwnerGrants(to, { "table:public.t": "owner_role", "*": "runner" });
  assert.deepEqual([...kept.objects.keys()].sort(), [
    "grant:table:public.t:app:SELECT",
    "table:public.new",
    "table:public.t",
  ]);
  assert.deepEqual(kept.manages, to.manages);
});

Deno.test("a migration that manages roles carries its scope in the header, covered by the checksum", async () => {
  const to = snap(role("app"));
  to.manages = { roles: ["app"], extensions: [{ name: "citext", schema: false, version: true }], grants: true };
  const text = await writeMigration(await buildPlan(snap(), to), { allowDestructive: false });
  assert.match(
    text,
    /^-- manages: \{"roles":\["app"\],"extensions":\[\{"name":"citext","schema":false,"version":true\}\],"grants":true\}$/m,
  );
  assert.deepEqual((await readMigration(text, "m.sql")).header.manages, to.manages);
  const edited = text.replace('"grants":true', '"grants":false');
  await assert.rejects(
    () => readMigration(edited, "m.sql"),
    (e) => e instanceof PgcError && e.code === "migration_tampered",
  );
  const bare = (...objects: DbObject[]) => snapshotOf(objects, ["public"]);
  const plain = await writeMigration(await buildPlan(bare(), bare(table("t"))), { allowDestructive: false });
  assert.doesNotMatch(plain, /manages:/);
});

Deno.test("renderSnapshotSql() lists roles and grants as comments after the tables, extensions as SQL before them", () => {
  const s = snap(
    table("t"),
    column("t", "id", "integer"),
    role("app", { members: ["web"] }),
    grant("t", "app", "SELECT"),
    { kind: "extension", id: "extension:citext", name: "citext" },
  );
  assert.equal(
    renderSnapshotSql(s),
    `-- pgconverge canonical schema snapshot; schemas: public

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE public.t (
    id integer
);

-- Roles and grants (cluster-wide: listed for review, not run when this file is loaded)
-- CREATE ROLE app NOLOGIN NOBYPASSRLS;

-- GRANT app TO web;

-- GRANT SELECT ON TABLE public.t TO app;
`,
  );
});
