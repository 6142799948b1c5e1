/**
 * Row-level security: switches and policies from schema.yaml, planned against live databases on
 * the real server and on PGlite. Each change of an attribute gives exactly the expected
 * statements, and after apply planning again gives none. Includes DataProviderMigrate's
 * "policy predicate changed but kept" bug as a regression test.
 *
 * Roles are cluster-wide on the server: the test roles `pgc_rls_reader` and `pgc_rls_writer` are
 * created when missing and never dropped (tests run in parallel and may share them).
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { diff } from "../src/diff/diff.ts";
import { PgcError } from "../src/model/errors.ts";
import { columnId, policyId, rlsId } from "../src/model/ids.ts";
import type { PolicyObject, RlsObject } from "../src/model/snapshot.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { translatePredicate } from "../src/yaml/rls_predicates.ts";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";
import { column, snap, table } from "./support/snap.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

const ROLES_SQL = `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgc_rls_reader') THEN CREATE ROLE pgc_rls_reader NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgc_rls_writer') THEN CREATE ROLE pgc_rls_writer NOLOGIN; END IF;
END $$;`;

/** A role might be created by a parallel test between the check and the CREATE: that is fine. */
async function createRoles(db: TestDb): Promise<void> {
  try {
    await db.exec(ROLES_SQL);
  } catch (e) {
    if (!/already exists|duplicate key/.test(String(e))) throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Predicate translation (pure)

Deno.test("translatePredicate() quotes the table's bare column names and nothing inside literals", () => {
  assert.deepEqual(translatePredicate("OwnerId = 'OwnerId' AND tenant > 0", ["OwnerId", "tenant"]), {
    sql: `"OwnerId" = 'OwnerId' AND tenant > 0`,
  });
  assert.deepEqual(translatePredicate("user = 'x'", ["user"]), { sql: `"user" = 'x'` });
});

Deno.test("translatePredicate() maps current_user_id() and one-argument current_setting()", () => {
  assert.deepEqual(translatePredicate("owner = current_user_id()", ["owner"]), {
    sql: "owner = current_setting('rls.current_user_id', true)",
  });
  assert.deepEqual(translatePredicate("t = current_setting( 'app.t' )::int", ["t"]), {
    sql: "t = current_setting('app.t', true)::int",
  });
  // Already two arguments, or inside a literal: left as written.
  assert.deepEqual(translatePredicate("current_setting('a', false) = 'current_user_id()'", []), {
    sql: "current_setting('a', false) = 'current_user_id()'",
  });
});

Deno.test("translatePredicate() refuses LQL pipelines", () => {
  const r = translatePredicate("exists(Members |> filter(m => m.UserId = current_user_id()))", ["UserId"]);
  assert.ok("error" in r);
  assert.match(r.error, /pipeline/);
  assert.ok("sql" in translatePredicate("note = '|>'", ["note"]), "|> inside a literal is text");
});

// ---------------------------------------------------------------------------------------------
// YAML problems, located

function loadProblems(text: string): string[] {
  try {
    loadSchemaYaml(text, "schema.yaml");
  } catch (e) {
    if (e instanceof PgcError) return e.problems.map((p) => `${p.at?.line}:${p.at?.column} ${p.message}`);
    throw e;
  }
  assert.fail("expected problems, but the file loaded");
}

Deno.test("schema.yaml: untranslatable predicates, several operations, session roles and duplicate policies are located errors", () => {
  const problems = loadProblems(`tables:
  - name: docs
    columns:
      - { name: id, type: Int }
    rowLevelSecurity:
      policies:
        - name: p1
          using: "exists(Members |> filter(m => m.id = id))"
        - name: p2
          operations: [Select, Update]
          roles: [app, current_user]
        - name: p1
          withCheck: "id |> 1"
`);
  assert.equal(problems.length, 5, problems.join("\n"));
  assert.match(problems[0], /^8:18 cannot translate using "exists\(Members .*LQL pipeline/);
  assert.match(problems[1], /^10:23 policy #2 of table "docs" lists 2 operations/);
  assert.match(problems[2], /^11:24 role "current_user" means whoever runs the migration/);
  assert.match(problems[3], /^12:17 duplicate policy "p1" in table "docs" \(first at line 7\)/);
  assert.match(problems[4], /^13:22 cannot translate withCheck/);
});

Deno.test("schema.yaml: the hint of an untranslatable predicate suggests usingSql", () => {
  try {
    loadSchemaYaml(
      `tables:\n  - name: t\n    columns: [{ name: id, type: Int }]\n    rowLevelSecurity:\n      policies:\n        - { name: p, using: "exists(T |> x)" }\n`,
      "s.yaml",
    );
    assert.fail("loaded");
  } catch (e) {
    assert.ok(e instanceof PgcError);
    assert.match(e.problems[0].hint ?? "", /usingSql/);
  }
});

Deno.test("renderSchemaDdl() renders policies after foreign keys, roles first, switches last, clauses located", () => {
  const schema = loadSchemaYaml(
    `tables:
  - name: docs
    columns:
      - { name: id, type: Int }
      - { name: OwnerId, type: Text }
    rowLevelSecurity:
      forced: true
      policies:
        - name: mine
          operations: [Update]
          roles: [app, public]
          using: "OwnerId = current_user_id()"
          withCheckSql: "true"
`,
    "s.yaml",
  );
  const ddl = renderSchemaDdl(schema).statements;
  const sql = ddl.map((s) => s.sql);
  assert.match(
    sql[1],
    /^DO \$pgc_roles\$ BEGIN IF NOT EXISTS .* rolname = 'app'\) THEN CREATE ROLE app NOLOGIN; END IF; END/,
  );
  assert.deepEqual(sql.slice(2), [
    "CREATE POLICY mine ON public.docs AS PERMISSIVE FOR UPDATE TO app, PUBLIC",
    `ALTER POLICY mine ON public.docs USING ("OwnerId" = current_setting('rls.current_user_id', true))`,
    "ALTER POLICY mine ON public.docs WITH CHECK (true)",
    "ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE public.docs FORCE ROW LEVEL SECURITY",
  ]);
  // PostgreSQL gives no error position inside policy expressions: each has its own statement and line.
  assert.deepEqual(ddl.slice(2, 5).map((s) => s.source?.line), [9, 12, 13]);
  const roles = ddl[2].spans!.findLast((s) => s.start <= sql[2].indexOf(" TO ") + 1)!.source;
  assert.equal(roles.line, 11);
});

Deno.test("[pglite] a policy PostgreSQL rejects is reported at its YAML line", async () => {
  const yaml = await tempFile(
    "schema.yaml",
    `tables:
  - name: docs
    columns:
      - { name: id, type: Int }
    rowLevelSecurity:
      policies:
        - name: p
          usingSql: "no_such_column = 1"
          withCheckSql: "id > 0"
          operations: [Select]
`,
  );
  const r = await cli(["render", yaml]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${yaml}:8:21: PostgreSQL rejected this: column "no_such_column" does not exist`));
  assert.match(
    r.stderr,
    new RegExp(`${yaml}:9:25: PostgreSQL rejected this: only USING expression allowed for SELECT`),
  );
});

// ---------------------------------------------------------------------------------------------
// Diff and plan rules (pure, hand-built snapshots)

function policy(name: string, extra: Partial<PolicyObject> = {}): PolicyObject {
  return {
    kind: "policy",
    id: policyId("public", "docs", name),
    schema: "public",
    table: "docs",
    name,
    permissive: true,
    command: "ALL",
    roles: [],
    using: "(tenant = 1)",
    uses: [columnId("public", "docs", "tenant")],
    ...extra,
  };
}

function rls(enabled: boolean, forced: boolean): RlsObject {
  return { kind: "rls", id: rlsId("public", "docs"), schema: "public", table: "docs", enabled, forced };
}

const TENANT = column("docs", "tenant", "integer");

Deno.test("plan() rebuilds a policy around a type change of a column it uses, even when its text stays", async () => {
  const from = snap(table("docs"), TENANT, policy("p"));
  const to = snap(table("docs"), { ...TENANT, type: "bigint" }, policy("p"));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => `${s.phase} ${s.op} ${s.sql}`), [
    "drop drop_policy DROP POLICY p ON public.docs;",
    "pre alter_column ALTER TABLE public.docs ALTER COLUMN tenant TYPE bigint;",
    "post create_policy CREATE POLICY p ON public.docs AS PERMISSIVE FOR ALL TO PUBLIC USING ((tenant = 1));",
  ]);
  assert.match(plan.steps[0].reason, /column public\.docs\.tenant changes type/);
});

Deno.test("plan() drops a changed policy before a column it used is dropped", async () => {
  const old = column("docs", "old", "integer");
  const from = snap(table("docs"), TENANT, old, policy("p", { using: "(old = 1)", uses: [old.id] }));
  const to = snap(table("docs"), TENANT, policy("p"));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => s.op), ["drop_policy", "drop_column", "create_policy"]);
  assert.equal(plan.steps[0].was, "AS PERMISSIVE FOR ALL TO PUBLIC USING ((old = 1))");
  assert.equal(plan.steps[0].now, "AS PERMISSIVE FOR ALL TO PUBLIC USING ((tenant = 1))");
});

Deno.test("plan() changes only the roles of a policy with ALTER POLICY … TO", async () => {
  const from = snap(table("docs"), TENANT, policy("p", { roles: ["a"] }));
  const to = snap(table("docs"), TENANT, policy("p", { roles: ["B", "a"] }));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => s.sql), ['ALTER POLICY p ON public.docs TO "B", a;']);
  assert.equal(plan.steps[0].hazards[0].kind, "security");
});

Deno.test("plan() renames a policy whose definition is unchanged", () => {
  const from = snap(table("docs"), TENANT, policy("old_name"));
  const to = snap(table("docs"), TENANT, policy("new_name"));
  assert.deepEqual(diff(from, to).changes.map((c) => c.op), ["rename_policy"]);
});

Deno.test("plan() marks what opens rows up as destructive: DISABLE, NO FORCE, dropping a RESTRICTIVE policy", async () => {
  const from = snap(table("docs"), TENANT, rls(true, true), policy("r", { permissive: false }), policy("p"));
  const to = snap(table("docs"), TENANT);
  const plan = await buildPlan(from, to);
  const lines = plan.steps.map((s) => `${s.sql} ${s.destructive ? "destructive" : "-"} ${s.hazards[0]?.kind}`);
  assert.deepEqual(lines, [
    "DROP POLICY p ON public.docs; - security",
    "DROP POLICY r ON public.docs; destructive security",
    "ALTER TABLE public.docs DISABLE ROW LEVEL SECURITY; destructive security",
    "ALTER TABLE public.docs NO FORCE ROW LEVEL SECURITY; destructive security",
  ]);
});

Deno.test("plan() leaves the policies and switches of a dropped table to DROP TABLE", async () => {
  const from = snap(table("docs"), TENANT, rls(true, false), policy("p"));
  const plan = await buildPlan(from, snap());
  assert.deepEqual(plan.steps.map((s) => s.op), ["drop_table"]);
});

// ---------------------------------------------------------------------------------------------
// Every attribute, on both engines

interface PolicyYaml {
  name?: string;
  permissive?: boolean;
  operations?: string[];
  roles?: string[];
  using?: string;
  withCheck?: string;
  usingSql?: string;
}

function docsYaml(rls?: { enabled?: boolean; forced?: boolean; policies: PolicyYaml[] }): string {
  return stringify({
    tables: [{
      name: "docs",
      columns: [
        { name: "id", type: "Int", isNullable: false },
        { name: "OwnerId", type: "Text" },
        { name: "tenant", type: "Int" },
      ],
      primaryKey: { columns: ["id"] },
      ...(rls ? { rowLevelSecurity: rls } : {}),
    }],
  });
}

const BASE: PolicyYaml = {
  name: "p_docs",
  operations: ["Select"],
  roles: ["pgc_rls_reader"],
  using: "OwnerId = current_user_id()",
};
const OWNER_ID = `("OwnerId" = current_setting('rls.current_user_id'::text, true))`;
const OWNER_SETTING = `("OwnerId" = current_setting('app.owner'::text, true))`;

/**
 * One version of the schema, the statements planning to it from the previous one gives, and
 * whether they open rows up (refused without --allow-destructive).
 */
const STEPS: Array<[string, string, string[], boolean?]> = [
  ["create a policy and enable RLS", docsYaml({ policies: [BASE] }), [
    `CREATE POLICY p_docs ON public.docs AS PERMISSIVE FOR SELECT TO pgc_rls_reader USING (${OWNER_ID});`,
    "ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;",
  ]],
  ["change USING", docsYaml({ policies: [{ ...BASE, using: "OwnerId = current_setting('app.owner')" }] }), [
    "DROP POLICY p_docs ON public.docs;",
    `CREATE POLICY p_docs ON public.docs AS PERMISSIVE FOR SELECT TO pgc_rls_reader USING (${OWNER_SETTING});`,
  ]],
  [
    "change the command",
    docsYaml({ policies: [{ ...BASE, operations: ["All"], using: "OwnerId = current_setting('app.owner')" }] }),
    [
      "DROP POLICY p_docs ON public.docs;",
      `CREATE POLICY p_docs ON public.docs AS PERMISSIVE FOR ALL TO pgc_rls_reader USING (${OWNER_SETTING});`,
    ],
  ],
  [
    "add WITH CHECK",
    docsYaml({
      policies: [{
        ...BASE,
        operations: ["All"],
        using: "OwnerId = current_setting('app.owner')",
        withCheck: "tenant = 1",
      }],
    }),
    [
      "DROP POLICY p_docs ON public.docs;",
      `CREATE POLICY p_docs ON public.docs AS PERMISSIVE FOR ALL TO pgc_rls_reader USING (${OWNER_SETTING}) WITH CHECK ((tenant = 1));`,
    ],
  ],
  [
    "change WITH CHECK",
    docsYaml({
      policies: [{
        ...BASE,
        operations: ["All"],
        using: "OwnerId = current_setting('app.owner')",
        withCheck: "tenant = 2",
      }],
    }),
    [
      "DROP POLICY p_docs ON public.docs;",
      `CREATE POLICY p_docs ON public.docs AS PERMISSIVE FOR ALL TO pgc_rls_reader USING (${OWNER_SETTING}) WITH CHECK ((tenant = 2));`,
    ],
  ],
  [
    "change the roles",
    docsYaml({
      policies: [{
        ...BASE,
        operations: ["All"],
        roles: ["pgc_rls_writer", "pgc_rls_reader"],
        using: "OwnerId = current_setting('app.owner')",
        withCheck: "tenant = 2",
      }],
    }),
    ["ALTER POLICY p_docs ON public.docs TO pgc_rls_reader, pgc_rls_writer;"],
  ],
  [
    "permissive → restrictive, roles → PUBLIC",
    docsYaml({ policies: [{ name: "p_docs", permissive: false, usingSql: "tenant = 2" }] }),
    [
      "DROP POLICY p_docs ON public.docs;",
      "CREATE POLICY p_docs ON public.docs AS RESTRICTIVE FOR ALL TO PUBLIC USING ((tenant = 2));",
    ],
  ],
  [
    "enable → force",
    docsYaml({ forced: true, policies: [{ name: "p_docs", permissive: false, usingSql: "tenant = 2" }] }),
    [
      "ALTER TABLE public.docs FORCE ROW LEVEL SECURITY;",
    ],
  ],
  [
    "drop the (restrictive) policy",
    docsYaml({ forced: true, policies: [] }),
    ["DROP POLICY p_docs ON public.docs;"],
    true,
  ],
  ["no row-level security", docsYaml(), [
    "ALTER TABLE public.docs DISABLE ROW LEVEL SECURITY;",
    "ALTER TABLE public.docs NO FORCE ROW LEVEL SECURITY;",
  ], true],
];

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] each policy attribute changes with exactly its statements, and nothing churns after apply`, async (t) => {
    const db = await make();
    try {
      await createRoles(db);
      const v0 = await tempFile("v0.yaml", docsYaml());
      assert.equal((await cli(["migrate", "--schema", v0, "--db", db.url])).code, 0);
      for (const [name, yaml, expected, destructive] of STEPS) {
        await t.step(name, async () => {
          const file = await tempFile("schema.yaml", yaml);
          const allow = destructive ? ["--allow-destructive"] : [];
          if (destructive) {
            const refused = await cli(["plan", "--schema", file, "--db", db.url]);
            assert.equal(refused.code, 3, refused.stderr);
          }
          const plan = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json", ...allow]);
          assert.equal(plan.code, 0, plan.stderr);
          assert.deepEqual(JSON.parse(plan.stdout).steps.map((s: { sql: string }) => s.sql), expected);
          const migrated = await cli(["migrate", "--schema", file, "--db", db.url, "--allow-destructive"]);
          assert.equal(migrated.code, 0, migrated.stderr);
          const again = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json", "--exit-code"]);
          assert.equal(again.code, 0, again.stdout);
          assert.equal(JSON.parse(again.stdout).changes, 0);
        });
      }
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] DataProviderMigrate's bug: a changed policy predicate is replaced, not kept`, async () => {
    const db = await make();
    try {
      await createRoles(db);
      // What DataProviderMigrate creates for BASE: its own spelling, the predicate as translated.
      await db.exec(`
        CREATE TABLE "docs" ("id" INTEGER NOT NULL, "OwnerId" TEXT, "tenant" INTEGER, CONSTRAINT "PK_docs" PRIMARY KEY ("id"));
        ALTER TABLE "docs" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "p_docs" ON "docs" FOR SELECT TO pgc_rls_reader
          USING ("OwnerId" = current_setting('rls.current_user_id', true));
      `);
      const same = await tempFile("schema.yaml", docsYaml({ policies: [BASE] }));
      const unchanged = await cli(["plan", "--schema", same, "--db", db.url, "--exit-code"]);
      assert.equal(unchanged.code, 0, unchanged.stdout + unchanged.stderr);

      const changed = await tempFile("schema.yaml", docsYaml({ policies: [{ ...BASE, using: "tenant = 7" }] }));
      const plan = await cli(["plan", "--schema", changed, "--db", db.url, "--format", "json"]);
      const steps = JSON.parse(plan.stdout).steps as Array<{ op: string; was?: string; now?: string }>;
      assert.deepEqual(steps.map((s) => s.op), ["drop_policy", "create_policy"]);
      assert.equal(steps[0].was, `AS PERMISSIVE FOR SELECT TO pgc_rls_reader USING (${OWNER_ID})`);
      assert.equal(steps[0].now, "AS PERMISSIVE FOR SELECT TO pgc_rls_reader USING ((tenant = 7))");

      const migrated = await cli(["migrate", "--schema", changed, "--db", db.url]);
      assert.equal(migrated.code, 0, migrated.stderr);
      const [live] = await db.query<{ qual: string }>(
        "SELECT pg_get_expr(polqual, polrelid) AS qual FROM pg_policy WHERE polname = 'p_docs'",
      );
      assert.equal(live.qual, "(tenant = 7)");
      const drift = await cli(["drift", "--schema", changed, "--db", db.url]);
      assert.equal(drift.code, 0, drift.stdout);
    } finally {
      await db.drop();
    }
  });
}
