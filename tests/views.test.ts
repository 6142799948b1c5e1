/**
 * Views, materialized views, sequences, identity options and domains, end to end through the CLI
 * on both engines: each change plans exactly the expected statements, in dependency order, apply
 * converges, and planning again gives zero statements.
 */
import assert from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import { converge, type PlannedStep } from "./support/converge.ts";
import { ENGINES } from "./support/db.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

const TABLE = "CREATE TABLE public.t (id int PRIMARY KEY, a int, b text);";

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] plan() creates views after the views they read, and drops a view that is gone`, async () => {
    const db = await make();
    try {
      await db.exec(TABLE);
      // Names chosen so that id order (a_top < z_base) is the wrong creation order.
      const views = `${TABLE}
        CREATE VIEW public.z_base AS SELECT id, a FROM public.t WHERE a > 0;
        CREATE VIEW public.a_top WITH (security_barrier) AS SELECT id FROM public.z_base;`;
      const created = await converge(db, views);
      assert.equal(created.length, 2);
      assert.match(created[0], /^CREATE VIEW public\.z_base AS\n/);
      assert.match(created[1], /^CREATE VIEW public\.a_top WITH \(security_barrier=true\) AS\n/);
      const dropped = await converge(
        db,
        `${TABLE} CREATE VIEW public.z_base AS SELECT id, a FROM public.t WHERE a > 0;`,
      );
      assert.deepEqual(dropped, ["DROP VIEW public.a_top;"]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() drops and recreates the views around a column type change under them`, async () => {
    const db = await make();
    try {
      await db.exec(`${TABLE}
        CREATE VIEW public.v AS SELECT id, a FROM public.t;
        CREATE VIEW public.w AS SELECT count(*) AS n FROM public.v WHERE a > 1;
        INSERT INTO public.t VALUES (1, 5, 'x');`);
      const ran = await converge(
        db,
        `CREATE TABLE public.t (id int PRIMARY KEY, a bigint, b text);
         CREATE VIEW public.v AS SELECT id, a FROM public.t;
         CREATE VIEW public.w AS SELECT count(*) AS n FROM public.v WHERE a > 1;`,
      );
      assert.deepEqual(ran.map((s) => s.split("\n")[0]), [
        "DROP VIEW public.w;",
        "DROP VIEW public.v;",
        "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;",
        "CREATE VIEW public.v AS",
        "CREATE VIEW public.w AS",
      ]);
      const [row] = await db.query<{ n: string }>("SELECT n::text AS n FROM public.w");
      assert.equal(row.n, "1");
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() replaces a view in place when its columns stay, and alters only changed options`, async () => {
    const db = await make();
    try {
      await db.exec(`${TABLE} CREATE VIEW public.v AS SELECT id, a FROM public.t;`);
      const replaced = await converge(
        db,
        `${TABLE} CREATE VIEW public.v AS SELECT id, a, b FROM public.t WHERE a > 2;`,
      );
      assert.equal(replaced.length, 1);
      assert.match(replaced[0], /^CREATE OR REPLACE VIEW public\.v AS\n/);
      const options = await converge(
        db,
        `${TABLE} CREATE VIEW public.v WITH (check_option = local) AS SELECT id, a, b FROM public.t WHERE a > 2;`,
      );
      assert.deepEqual(options, ["ALTER VIEW public.v SET (check_option=local);"]);
      const narrower = await converge(db, `${TABLE} CREATE VIEW public.v AS SELECT id FROM public.t;`);
      assert.deepEqual(narrower.map((s) => s.split("\n")[0]), ["DROP VIEW public.v;", "CREATE VIEW public.v AS"]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() recreates a materialized view with its indexes, and adds an index in place`, async () => {
    const db = await make();
    try {
      await db.exec(TABLE);
      const mv = (where: string, indexes: string) =>
        `${TABLE} CREATE MATERIALIZED VIEW public.m AS SELECT id, a FROM public.t ${where}; ${indexes}`;
      const created = await converge(db, mv("", "CREATE UNIQUE INDEX m_id ON public.m (id);"));
      assert.deepEqual(created.map((s) => s.split("\n")[0]), [
        "CREATE MATERIALIZED VIEW public.m AS",
        "CREATE UNIQUE INDEX m_id ON public.m USING btree (id);",
      ]);
      const indexed = await converge(
        db,
        mv("", "CREATE UNIQUE INDEX m_id ON public.m (id); CREATE INDEX m_a ON public.m (a);"),
      );
      assert.deepEqual(indexed, ["CREATE INDEX m_a ON public.m USING btree (a);"]);
      const changed = await converge(
        db,
        mv("WHERE a > 0", "CREATE UNIQUE INDEX m_id ON public.m (id); CREATE INDEX m_a ON public.m (a);"),
      );
      assert.deepEqual(changed.map((s) => s.split("\n")[0]), [
        "DROP MATERIALIZED VIEW public.m;",
        "CREATE MATERIALIZED VIEW public.m AS",
        "CREATE INDEX m_a ON public.m USING btree (a);",
        "CREATE UNIQUE INDEX m_id ON public.m USING btree (id);",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() creates, alters, re-owns and drops a standalone sequence`, async () => {
    const db = await make();
    try {
      await db.exec(TABLE);
      const created = await converge(
        db,
        `CREATE SEQUENCE public.s AS integer INCREMENT BY 5; ${TABLE}
         ALTER TABLE public.t ALTER COLUMN a SET DEFAULT nextval('public.s');`,
      );
      assert.deepEqual(created, [
        "CREATE SEQUENCE public.s AS integer INCREMENT BY 5 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;",
        "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT nextval('public.s'::regclass);",
      ]);
      const altered = await converge(
        db,
        `CREATE SEQUENCE public.s AS bigint INCREMENT BY 5 CACHE 10 CYCLE; ${TABLE}
         ALTER TABLE public.t ALTER COLUMN a SET DEFAULT nextval('public.s');
         ALTER SEQUENCE public.s OWNED BY public.t.id;`,
      );
      assert.deepEqual(altered, [
        "ALTER SEQUENCE public.s AS bigint MAXVALUE 9223372036854775807 CACHE 10 CYCLE;",
        "ALTER SEQUENCE public.s OWNED BY public.t.id;",
      ]);
      const dropped = await converge(db, TABLE);
      assert.deepEqual(dropped, [
        "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;",
        "DROP SEQUENCE public.s;",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() changes identity options in place, and a serial column stays one column`, async () => {
    const db = await make();
    try {
      await db.exec("CREATE TABLE public.t (id int GENERATED ALWAYS AS IDENTITY, n serial);");
      const ran = await converge(
        db,
        "CREATE TABLE public.t (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10), n serial);",
      );
      assert.deepEqual(ran, ["ALTER TABLE public.t ALTER COLUMN id SET INCREMENT BY 10 SET START WITH 100;"]);
      const widened = await converge(
        db,
        "CREATE TABLE public.t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10), n serial);",
      );
      assert.deepEqual(widened, ["ALTER TABLE public.t ALTER COLUMN id TYPE bigint;"]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() alters a domain's CHECK, default and NOT NULL in place, and creates it before its tables`, async () => {
    const db = await make();
    try {
      const created = await converge(
        db,
        `CREATE DOMAIN public.qty AS integer CONSTRAINT qty_check CHECK (VALUE > 0);
         CREATE TABLE public.o (id int, q public.qty);`,
      );
      assert.deepEqual(created.map((s) => s.split(" (")[0]), [
        "CREATE DOMAIN public.qty AS integer CONSTRAINT qty_check CHECK",
        "CREATE TABLE public.o",
      ]);
      await db.exec("INSERT INTO public.o VALUES (1, 3)");
      const changed = await converge(
        db,
        `CREATE DOMAIN public.qty AS integer DEFAULT 1 NOT NULL CONSTRAINT qty_check CHECK (VALUE >= 0);
         CREATE TABLE public.o (id int, q public.qty);`,
      );
      assert.deepEqual(changed, [
        "ALTER DOMAIN public.qty DROP CONSTRAINT qty_check;",
        "ALTER DOMAIN public.qty SET DEFAULT 1;",
        "ALTER DOMAIN public.qty SET NOT NULL;",
        "ALTER DOMAIN public.qty ADD CONSTRAINT qty_check CHECK ((VALUE >= 0));",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a schema.yaml with views migrates, plans to zero, and replaces a changed view`, async () => {
    const db = await make();
    try {
      const yaml = (where: string) => `
tables:
  - name: items
    columns:
      - { name: id, type: Int, isIdentity: true, isNullable: false }
      - { name: price, type: "Decimal(10,2)" }
    primaryKey: { columns: [id] }
views:
  - name: cheap_items
    sql: SELECT id, price FROM items WHERE price < ${where}
  - name: cheap_count
    materialized: true
    sql: SELECT count(*) AS n FROM cheap_items
`;
      const v1 = await tempFile("schema.yaml", yaml("10"));
      assert.equal((await cli(["migrate", "--schema", v1, "--db", db.url])).code, 0);
      const again = await cli(["plan", "--schema", v1, "--db", db.url, "--format", "json"]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(JSON.parse(again.stdout).steps, []);
      const v2 = await tempFile("schema.yaml", yaml("20"));
      const plan = await cli(["plan", "--schema", v2, "--db", db.url, "--format", "json"]);
      const sql = (JSON.parse(plan.stdout).steps as PlannedStep[]).map((s) => s.sql.split("\n")[0]);
      // The materialized view over it keeps its definition: replacing in place leaves it alone.
      assert.deepEqual(sql, ["CREATE OR REPLACE VIEW public.cheap_items AS"]);
    } finally {
      await db.drop();
    }
  });
}

Deno.test("loadSchemaYaml() reads views and reports their problems at their lines", async () => {
  const { loadSchemaYaml } = await import("../src/yaml/load.ts");
  const s = loadSchemaYaml("views:\n  - { name: v, sql: 'SELECT 1;', materialized: true }\n", "s.yaml");
  assert.deepEqual(s.views.map((v) => [v.schema, v.name, v.sql, v.materialized]), [["public", "v", "SELECT 1", true]]);
  try {
    loadSchemaYaml("views:\n  - { name: v }\n  - { name: w, sql: SELECT 1, materialised: true }\n", "s.yaml");
    assert.fail("expected problems");
  } catch (e) {
    const problems = (e as { problems: Array<{ at: { line: number; column: number }; message: string }> }).problems;
    assert.deepEqual(problems.map((p) => `${p.at.line}:${p.at.column} ${p.message}`), [
      '2:5 view #1 is missing required key "sql"',
      '3:31 unknown key "materialised" (did you mean "materialized"?)',
    ]);
  }
});
