/**
 * Roles, grants and extensions end to end through the CLI, on a real server and on embedded
 * PGlite. Roles are cluster-wide on the server: every test names its own (random suffix) and
 * drops them afterwards.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES, SERVER_URL, serverDb, type TestDb } from "./support/db.ts";

/** Fresh role names for one test. */
function names(...base: string[]): Record<string, string> {
  const s = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  return Object.fromEntries(base.map((b) => [b, `pgc_${b}_${s}`]));
}

/** Drop the test database, then its roles (they hold privileges only in that database). */
async function cleanup(db: TestDb, roles: Record<string, string>): Promise<void> {
  await db.drop();
  if (db.engine !== "server") return;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    for (const r of Object.values(roles)) await admin.unsafe(`DROP ROLE IF EXISTS "${r}"`);
  } finally {
    await admin.end();
  }
}

/** The SQL of a plan's steps, as `plan --format json` prints them. */
async function planSql(db: TestDb, file: string, extra: string[] = []): Promise<string[]> {
  const r = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json", ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).steps.map((s: { sql: string }) => s.sql);
}

async function migrate(db: TestDb, file: string, extra: string[] = []): Promise<void> {
  const r = await cli(["migrate", "--schema", file, "--db", db.url, ...extra]);
  assert.equal(r.code, 0, r.stderr);
}

async function converged(db: TestDb, file: string): Promise<void> {
  const r = await cli(["plan", "--schema", file, "--db", db.url, "--exit-code"]);
  assert.equal(r.code, 0, `planning again is not empty:\n${r.stderr}`);
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] migrate creates roles, a membership, an extension and grants; planning again gives zero statements`, async () => {
    const db = await make();
    const n = names("app", "ro");
    try {
      const file = await tempFile(
        "schema.yaml",
        `roles:
  - { name: ${n.app}, login: true }
  - { name: ${n.ro}, grantTo: [${n.app}] }
extensions:
  - { name: citext }
grants:
  - { target: Table, objectName: items, privileges: [SELECT, INSERT], roles: [${n.app}, postgres] }
  - { target: AllTablesInSchema, privileges: [SELECT], roles: [${n.ro}, PUBLIC] }
  - { target: Schema, privileges: [USAGE], roles: [${n.ro}] }
tables:
  - name: items
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: name, type: citext }
    primaryKey: { columns: [id] }
`,
      );
      await migrate(db, file);
      const [row] = await db.query<Record<string, boolean>>(
        `SELECT r.rolcanlogin AS app_login, pg_has_role('${n.app}', '${n.ro}', 'MEMBER') AS member,
                has_table_privilege('${n.app}', 'public.items', 'INSERT') AS app_insert,
                has_table_privilege('${n.ro}', 'public.items', 'SELECT') AS ro_select,
                has_table_privilege('${n.ro}', 'public.items', 'INSERT') AS ro_insert,
                has_schema_privilege('${n.ro}', 'public', 'USAGE') AS ro_usage,
                EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citext') AS citext,
                (SELECT relacl::text LIKE '%=r/%' FROM pg_class WHERE oid = 'public.items'::regclass) AS public_select
         FROM pg_roles r WHERE r.rolname = '${n.app}'`,
      );
      assert.deepEqual(row, {
        app_login: true,
        member: true,
        app_insert: true,
        ro_select: true,
        ro_insert: false,
        ro_usage: true,
        citext: true,
        public_select: true,
      });
      // The grant to postgres (the owner) is implicit: it is neither planned nor churned.
      await converged(db, file);
    } finally {
      await cleanup(db, n);
    }
  });

  Deno.test(`[${engine}] plan() changes LOGIN and BYPASSRLS and adds a membership with exactly those statements`, async () => {
    const db = await make();
    const n = names("a", "b", "gone");
    try {
      const v1 = await tempFile(
        "v1.yaml",
        `roles:
  - { name: ${n.a} }
  - { name: ${n.b}, login: true }
  - { name: ${n.gone} }
tables: []
`,
      );
      const v2 = await tempFile(
        "v2.yaml",
        `roles:
  - { name: ${n.a}, login: true, bypassRls: true, grantTo: [${n.b}] }
  - { name: ${n.b}, login: true }
tables: []
`,
      );
      await migrate(db, v1);
      await converged(db, v1);
      assert.deepEqual(await planSql(db, v2), [
        `ALTER ROLE ${n.a} LOGIN BYPASSRLS;`,
        `GRANT ${n.a} TO ${n.b};`,
      ]);
      await migrate(db, v2);
      await converged(db, v2);
      // A role no longer in the file is not managed any more: never dropped.
      const [{ kept }] = await db.query<{ kept: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${n.gone}') AS kept`,
      );
      assert.equal(kept, true);
    } finally {
      await cleanup(db, n);
    }
  });

  Deno.test(`[${engine}] a removed grant and membership are refused without --allow-destructive and revoked with it`, async () => {
    const db = await make();
    const n = names("app", "ro");
    try {
      const table = "tables: [{ name: t, columns: [{ name: id, type: Int }] }]\n";
      const v1 = await tempFile(
        "v1.yaml",
        `roles: [{ name: ${n.app} }, { name: ${n.ro}, grantTo: [${n.app}] }]
grants:
  - { target: Table, objectName: t, privileges: [SELECT, DELETE], roles: [${n.app}] }
${table}`,
      );
      const v2 = await tempFile(
        "v2.yaml",
        `roles: [{ name: ${n.app} }, { name: ${n.ro} }]
grants:
  - { target: Table, objectName: t, privileges: [SELECT], roles: [${n.app}] }
${table}`,
      );
      await migrate(db, v1);
      await converged(db, v1);
      const refused = await cli(["migrate", "--schema", v2, "--db", db.url]);
      assert.equal(refused.code, 3, refused.stderr);
      assert.match(refused.stderr, /Refused: the plan has 2 destructive statement/);
      assert.match(refused.stderr, new RegExp(`REVOKE DELETE ON TABLE public\\.t FROM ${n.app};`));
      assert.match(refused.stderr, new RegExp(`REVOKE ${n.ro} FROM ${n.app};`));
      const privileges = `SELECT has_table_privilege('${n.app}', 'public.t', 'DELETE') AS del,
                                 pg_has_role('${n.app}', '${n.ro}', 'MEMBER') AS member`;
      assert.deepEqual(await db.query(privileges), [{ del: true, member: true }]);
      await migrate(db, v2, ["--allow-destructive"]);
      assert.deepEqual(await db.query(privileges), [{ del: false, member: false }]);
      await converged(db, v2);
    } finally {
      await cleanup(db, n);
    }
  });

  Deno.test(`[${engine}] AllTablesInSchema grants on tables created in the same plan, and on a table added later`, async () => {
    const db = await make();
    const n = names("ro");
    try {
      const head = `roles: [{ name: ${n.ro} }]
grants: [{ target: AllTablesInSchema, privileges: [SELECT], roles: [${n.ro}] }]
tables:
  - { name: a, columns: [{ name: id, type: Int }] }
`;
      const v1 = await tempFile("v1.yaml", head);
      const v2 = await tempFile("v2.yaml", head + "  - { name: b, columns: [{ name: id, type: Int }] }\n");
      const first = await planSql(db, v1);
      assert.deepEqual(first.filter((s) => !s.startsWith("CREATE TABLE")), [
        `CREATE ROLE ${n.ro} NOLOGIN NOBYPASSRLS;`,
        `GRANT SELECT ON TABLE public.a TO ${n.ro};`,
      ]);
      assert.ok(
        first.indexOf(`GRANT SELECT ON TABLE public.a TO ${n.ro};`) > first.findIndex((s) => /^CREATE TABLE/.test(s)),
      );
      await migrate(db, v1);
      await converged(db, v1);
      assert.deepEqual(await planSql(db, v2), [
        "CREATE TABLE public.b (\n    id integer\n);",
        `GRANT SELECT ON TABLE public.b TO ${n.ro};`,
      ]);
      await migrate(db, v2);
      await converged(db, v2);
    } finally {
      await cleanup(db, n);
    }
  });
}

Deno.test("[server] without a grants key, privileges are left alone and listed as not managed", async () => {
  const db = await serverDb();
  const n = names("other");
  try {
    const file = await tempFile("schema.yaml", "tables: [{ name: t, columns: [{ name: id, type: Int }] }]\n");
    await migrate(db, file);
    await db.exec(`CREATE ROLE ${n.other}; GRANT SELECT ON public.t TO ${n.other}`);
    const drift = await cli(["drift", "--schema", file, "--db", db.url]);
    assert.equal(drift.code, 0, drift.stdout);
    assert.match(drift.stdout, /privileges public\.t/);
  } finally {
    await cleanup(db, n);
  }
});

Deno.test("[pglite] an extension the embedded shadow cannot create is refused at its line, with a hint to use --shadow-url", async () => {
  const file = await tempFile(
    "schema.yaml",
    "extensions:\n  - { name: citext }\n  - { name: postgres_fdw }\ntables: []\n",
  );
  const r = await cli(["render", file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /schema\.yaml:3:5: the shadow database cannot create extension "postgres_fdw"/);
  assert.match(r.stderr, /--shadow-url/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
});
