/**
 * The top-level `sql:` list: raw DDL loaded into the shadow before the tables (`load:
 * beforeTables`) or after everything; its objects are canonicalised and diffed like the rest,
 * and a statement PostgreSQL rejects is reported at its line and column inside the YAML.
 */
import assert, { equal, match } from "node:assert/strict";
import { PgcError } from "../mod.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES } from "./support/db.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

const WITH_SQL = `tables:
  - name: t
    columns:
      - { name: id, type: Int, isNullable: false, checkConstraint: "app_positive(id)" }
      - { name: code, type: Text }
    primaryKey: { columns: [id] }
sql:
  - sql: |
      CREATE FUNCTION app_positive(x int) RETURNS boolean
        LANGUAGE sql IMMUTABLE AS 'SELECT x > 0';
    load: beforeTables
  - |
    CREATE INDEX ix_t_code ON t (lower(code)) WHERE code <> ''; -- by hand
    CREATE VIEW v_t AS SELECT id FROM t;
`;

Deno.test("sql: items load after the structured DDL, or before the tables with load: beforeTables", () => {
  const ddl = renderSchemaDdl(loadSchemaYaml(WITH_SQL, "schema.yaml"));
  const sql = ddl.statements.map((s) => s.sql);
  match(sql[0], /^CREATE FUNCTION app_positive/, "beforeTables comes before CREATE TABLE");
  match(sql[1], /^CREATE TABLE public\.t/);
  equal(
    sql.at(-1),
    "CREATE INDEX ix_t_code ON t (lower(code)) WHERE code <> ''; -- by hand\nCREATE VIEW v_t AS SELECT id FROM t",
    "the last item comes last, its trailing ; dropped",
  );
  equal(ddl.statements[0].source?.line, 8, "a statement points at its item");
});

Deno.test("sql: problems are reported at their YAML line, with the other problems of the file", () => {
  const text = `sql:
  - 42
  - { sql: "SELECT 1", load: early }
  - { load: beforeTables }
  - ""
`;
  try {
    loadSchemaYaml(text, "schema.yaml");
    assert.fail("an invalid sql: list loaded");
  } catch (e) {
    if (!(e instanceof PgcError)) throw e;
    equal(e.code, "yaml_invalid");
    assert.deepEqual(e.problems.map((p) => `${p.at?.line}:${p.at?.column} ${p.message}`), [
      '2:5 "sql[0]" must be SQL text, got number 42',
      '3:30 unknown load "early"',
      '4:5 sql item #3 is missing required key "sql"',
      '5:5 "sql[3]" must not be empty',
    ]);
  }
});

Deno.test("[pglite] a statement the shadow rejects inside a | block is located at its line and column", async () => {
  const path = await tempFile(
    "schema.yaml",
    `tables:
  - name: t
    columns: [{ name: id, type: Int }]
sql:
  - |
    CREATE VIEW v AS
      SELECT idd FROM t;
`,
  );
  const r = await cli(["render", path]);
  equal(r.code, 2, r.stderr);
  match(r.stderr, new RegExp(`^error: ${path}:7:14: PostgreSQL rejected this: column "idd" does not exist`));
});

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] objects created by sql: are planned like the rest, and re-planning gives zero statements`, async () => {
    const db = await make();
    try {
      const path = await tempFile("schema.yaml", WITH_SQL);
      const rendered = await cli(["render", path]);
      equal(rendered.code, 0, rendered.stderr);
      match(rendered.stdout, /CHECK \(public\.app_positive\(id\)\)/, "the CHECK rests on the beforeTables function");
      match(
        rendered.stdout,
        /CREATE INDEX ix_t_code ON public\.t USING btree \(lower\(code\)\) WHERE \(code <> ''::text\);/,
      );
      // Functions are not managed yet: the live database gets this one by hand, as a user would.
      await db.exec("CREATE FUNCTION app_positive(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT x > 0'");
      const migrated = await cli(["migrate", "--schema", path, "--db", db.url]);
      equal(migrated.code, 0, migrated.stderr);
      // The model manages the index: created by migrate. The function and view are not managed yet.
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'ix_t_code'",
      );
      equal(row.n, 1);
      const again = await cli(["plan", "--schema", path, "--db", db.url, "--format", "json", "--exit-code"]);
      equal(again.code, 0, again.stdout + again.stderr);
      const changed = await cli([
        "plan",
        "--schema",
        await tempFile("schema.yaml", WITH_SQL.replace("code <> ''", "code IS NOT NULL")),
        "--db",
        db.url,
        "--format",
        "json",
      ]);
      const steps = JSON.parse(changed.stdout).steps as Array<{ op: string; id: string }>;
      assert.deepEqual(steps.map((s) => `${s.op} ${s.id}`), [
        "drop_index index:public.ix_t_code",
        "create_index index:public.ix_t_code",
      ]);
    } finally {
      await db.drop();
    }
  });
}
