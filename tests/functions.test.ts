/**
 * Functions and triggers end to end, on both engines: a live database is brought to a `.sql`
 * (or schema.yaml) desired schema with `migrate`, then planning again must find nothing, and each
 * kind of change gives exactly the statements it should.
 */
import assert from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import postgres from "postgres";
import { ENGINES, SERVER_URL, type TestDb } from "./support/db.ts";

/** Run cluster-level SQL (roles) on the test server. */
async function serverExec(sql: string): Promise<void> {
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(sql).simple();
  } finally {
    await admin.end();
  }
}

/** Plan from the database to a desired `.sql` text; the steps as [op, id] pairs and their SQL. */
async function planTo(db: TestDb, desiredSql: string, extra: string[] = []) {
  const file = await tempFile("desired.sql", desiredSql);
  const r = await cli(["plan", "--from", db.url, "--to", file, "--format", "json", "--allow-destructive", ...extra]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const plan = JSON.parse(r.stdout) as {
    steps: Array<{ op: string; id: string; sql: string; phase: string; destructive: boolean }>;
  };
  return { file, steps: plan.steps, ops: plan.steps.map((s) => `${s.op} ${s.id}`) };
}

/** Migrate the database to a desired `.sql` text and check that planning again finds nothing. */
async function converge(db: TestDb, desiredSql: string): Promise<void> {
  const file = await tempFile("desired.sql", desiredSql);
  const m = await cli(["migrate", "--schema", file, "--db", db.url, "--allow-destructive"]);
  assert.equal(m.code, 0, m.stderr + m.stdout);
  const again = await cli(["plan", "--from", db.url, "--to", file, "--format", "json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout).steps, [], "planning again after apply gives nothing");
}

const TABLE = "CREATE TABLE t (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 0);\n";
const ADD = (body: string, extra = "IMMUTABLE") =>
  `CREATE FUNCTION add_one(a integer) RETURNS integer LANGUAGE sql ${extra} RETURN ${body};\n`;
const TRG_FN = (inc: number) =>
  `CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n = NEW.n + ${inc}; RETURN NEW; END $$;\n`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] functions: created, body and volatility replaced in place, dropped; no churn after apply`, async () => {
    const db = await make();
    try {
      const v1 = TABLE + ADD("a + 1") +
        "CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM t $$;\n";
      const created = await planTo(db, v1);
      assert.deepEqual(created.ops.filter((o) => o.startsWith("create_function")).sort(), [
        "create_function function:public.add_one(integer)",
        "create_function function:public.cnt()",
      ]);
      await converge(db, v1);

      const body = await planTo(
        db,
        TABLE + ADD("a + 2") +
          "CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM t $$;\n",
      );
      assert.deepEqual(body.ops, ["replace_function function:public.add_one(integer)"]);
      assert.match(
        body.steps[0].sql,
        /CREATE OR REPLACE FUNCTION public\.add_one\(a integer\)[\s\S]*RETURN \(a \+ 2\);$/,
      );

      const volatility = await planTo(
        db,
        TABLE + ADD("a + 1", "STABLE") +
          "CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM t $$;\n",
      );
      assert.deepEqual(volatility.ops, ["replace_function function:public.add_one(integer)"]);
      assert.match(volatility.steps[0].sql, /\n STABLE\n/);

      const v2 = TABLE + ADD("a + 1", "STABLE");
      const dropped = await planTo(db, v2);
      assert.deepEqual(dropped.ops.sort(), [
        "drop_function function:public.cnt()",
        "replace_function function:public.add_one(integer)",
      ]);
      assert.ok(dropped.steps.some((s) => s.sql === "DROP FUNCTION public.cnt();" && s.destructive));
      const refused = await cli(["plan", "--from", db.url, "--to", dropped.file]);
      assert.equal(refused.code, 3, "dropping a function is refused without --allow-destructive");
      await converge(db, v2);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] functions: a signature change drops and re-creates, rebuilding the CHECK that calls it`, async () => {
    const db = await make();
    try {
      const check = "ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (add_one(n) > 0);\n";
      await converge(db, ADD("a + 1") + TABLE + check);
      // Renaming the argument is a signature change for PostgreSQL: CREATE OR REPLACE refuses it.
      const renamed = "CREATE FUNCTION add_one(b integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN b + 1;\n";
      const p = await planTo(db, renamed + TABLE + check);
      assert.deepEqual(p.steps.map((s) => `${s.phase} ${s.op} ${s.id}`), [
        "drop drop_constraint constraint:public.t.t_n_check",
        "drop drop_function function:public.add_one(integer)",
        "pre create_function function:public.add_one(integer)",
        "post add_constraint constraint:public.t.t_n_check",
      ]);
      await converge(db, renamed + TABLE + check);
      const returns = "CREATE FUNCTION add_one(b integer) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN b + 1;\n";
      await converge(db, returns + TABLE + check);
      const [{ result }] = await db.query<{ result: string }>(
        "SELECT pg_get_function_result('public.add_one(integer)'::regprocedure) AS result",
      );
      assert.equal(result, "bigint");
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] functions: overloads are distinct objects, and a function calling another is ordered after it`, async () => {
    const db = await make();
    try {
      const v1 = "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a;\n" +
        "CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql IMMUTABLE RETURN a;\n" +
        "CREATE FUNCTION uses_f(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN f(x) + 1;\n";
      const p = await planTo(db, v1);
      assert.deepEqual(p.ops.filter((o) => o.startsWith("create_function")), [
        "create_function function:public.f(integer)",
        "create_function function:public.f(text)",
        "create_function function:public.uses_f(integer)",
      ]);
      await converge(db, v1);
      // Only the text overload changes; the integer one, which uses_f calls, stays.
      const v2 = v1.replace(
        "RETURNS text LANGUAGE sql IMMUTABLE RETURN a;",
        "RETURNS text LANGUAGE sql IMMUTABLE RETURN a || '!';",
      );
      assert.deepEqual((await planTo(db, v2)).ops, ["replace_function function:public.f(text)"]);
      await converge(db, v2);
      // A new result type for f(integer) re-creates uses_f too: it rests on f, dropped first, created after.
      const v3 = v2.replace(
        "f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a;",
        "f(a integer) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN a;",
      );
      const p3 = await planTo(db, v3);
      assert.deepEqual(p3.steps.map((s) => `${s.phase} ${s.op} ${s.id}`), [
        "drop drop_function function:public.uses_f(integer)",
        "drop drop_function function:public.f(integer)",
        "pre create_function function:public.f(integer)",
        "pre create_function function:public.uses_f(integer)",
      ]);
      await converge(db, v3);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] triggers: created after their function and table, changed by drop + create, dropped`, async () => {
    const db = await make();
    try {
      const trg = (when: string) =>
        `CREATE TRIGGER t_bump BEFORE UPDATE ON t FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION bump();\n`;
      const v1 = TRG_FN(1) + TABLE + trg("OLD.* IS DISTINCT FROM NEW.*");
      const p1 = await planTo(db, v1);
      const order = p1.steps.map((s) => s.op);
      assert.ok(order.indexOf("create_function") < order.indexOf("create_table"));
      assert.equal(order.at(-1), "create_trigger");
      await converge(db, v1);
      await db.exec("INSERT INTO t (id, v) VALUES (1, 'a'); UPDATE t SET v = 'b'");
      assert.deepEqual(await db.query("SELECT n FROM t"), [{ n: 1 }]);

      const v2 = TRG_FN(1) + TABLE + trg("NEW.v <> 'x'");
      const p2 = await planTo(db, v2);
      assert.deepEqual(p2.steps.map((s) => `${s.phase} ${s.sql}`), [
        "drop DROP TRIGGER t_bump ON public.t;",
        "post CREATE TRIGGER t_bump BEFORE UPDATE ON public.t FOR EACH ROW WHEN ((new.v <> 'x'::text)) EXECUTE FUNCTION public.bump();",
      ]);
      await converge(db, v2);

      const v3 = TRG_FN(5) + TABLE + trg("NEW.v <> 'x'") + "ALTER TABLE t DISABLE TRIGGER t_bump;\n";
      const p3 = await planTo(db, v3);
      assert.deepEqual(p3.ops, [
        "drop_trigger trigger:public.t.t_bump",
        "replace_function function:public.bump()",
        "create_trigger trigger:public.t.t_bump",
        "create_trigger trigger:public.t.t_bump",
      ]);
      assert.equal(p3.steps.at(-1)!.sql, "ALTER TABLE public.t DISABLE TRIGGER t_bump;");
      await converge(db, v3);

      const p4 = await planTo(db, TABLE);
      assert.deepEqual(p4.steps.map((s) => `${s.phase} ${s.sql}`), [
        "drop DROP TRIGGER t_bump ON public.t;",
        "post DROP FUNCTION public.bump();",
      ]);
      await converge(db, TABLE);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a function whose body reads a table and one used in a column default both load and apply`, async () => {
    const db = await make();
    try {
      const v1 = TABLE +
        "CREATE FUNCTION next_n() RETURNS integer LANGUAGE sql VOLATILE AS $$ SELECT coalesce(max(n), 0) + 1 FROM t $$;\n" +
        "CREATE FUNCTION row_of(i integer) RETURNS t LANGUAGE sql STABLE AS $$ SELECT * FROM t WHERE id = i $$;\n" +
        "CREATE FUNCTION dflt() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;\n" +
        "CREATE TABLE u (id int, label text DEFAULT dflt());\n";
      await converge(db, v1);
    } finally {
      await db.drop();
    }
  });
}

const YAML = (roles: string[], extra = "") =>
  `tables:
  - name: users
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: name, type: Text, defaultValue: "default_name()" }
      - { name: n, type: Int, checkConstraint: "is_positive(n)" }
    primaryKey: { columns: [id] }
functions:
  - name: default_name
    returns: Text
    volatility: Immutable
    body: SELECT 'anon'
  - name: is_positive
    arguments: [{ name: x, type: Int }]
    returns: Boolean
    volatility: Immutable
    body: SELECT x > 0
    revokePublicExecute: false
  - name: user_count
    returns: BigInt
    body: SELECT count(*) FROM users${extra}
    executeRoles: [${roles.join(", ")}]
  - name: by_id
    arguments: [{ name: i, type: Int }]
    returns: users
    body: SELECT * FROM users WHERE id = i
`;

/** Who may execute a function, as the catalog says (owner left out). */
async function executors(db: TestDb, fn: string): Promise<string[]> {
  const rows = await db.query<{ who: string }>(
    `SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END AS who
     FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     LEFT JOIN pg_roles r ON r.oid = a.grantee
     WHERE p.oid = '${fn}'::regprocedure AND a.grantee <> p.proowner ORDER BY 1`,
  );
  return rows.map((r) => r.who);
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] schema.yaml functions: a CHECK and a default call them, EXECUTE grants converge, no churn`, async () => {
    const db = await make();
    const suffix = crypto.randomUUID().slice(0, 8);
    const [reader, writer] = [`pgc_reader_${suffix}`, `pgc_writer_${suffix}`];
    await db.exec(`CREATE ROLE ${reader} NOLOGIN; CREATE ROLE ${writer} NOLOGIN`);
    try {
      const v1 = await tempFile("schema.yaml", YAML([reader]));
      const m = await cli(["migrate", "--schema", v1, "--db", db.url]);
      assert.equal(m.code, 0, m.stderr + m.stdout);
      const again = await cli(["plan", "--schema", v1, "--db", db.url, "--format", "json"]);
      assert.deepEqual(JSON.parse(again.stdout).steps, [], again.stderr);
      assert.deepEqual(await executors(db, "public.user_count()"), [reader]);
      assert.deepEqual(await executors(db, "public.is_positive(integer)"), ["PUBLIC"]);
      assert.deepEqual(await executors(db, "public.default_name()"), []);
      await db.exec("INSERT INTO users (id, n) VALUES (1, 5)");
      assert.deepEqual(await db.query("SELECT name FROM users"), [{ name: "anon" }]);

      // Another role: grant to the new one, revoke from the old one (a revoke is destructive).
      const v2 = await tempFile("schema.yaml", YAML([writer], " WHERE n > 0"));
      const p = await cli(["plan", "--schema", v2, "--db", db.url, "--format", "json", "--allow-destructive"]);
      assert.equal(p.code, 0, p.stderr);
      const steps = JSON.parse(p.stdout).steps as Array<{ sql: string; destructive: boolean }>;
      assert.deepEqual(steps.map((s) => [s.sql.split("\n").at(-1), s.destructive]), [
        ["AS $function$SELECT count(*) FROM users WHERE n > 0$function$;", false],
        [`REVOKE EXECUTE ON FUNCTION public.user_count() FROM ${reader};`, true],
        [`GRANT EXECUTE ON FUNCTION public.user_count() TO ${writer};`, false],
      ]);
      assert.equal(
        (await cli(["migrate", "--schema", v2, "--db", db.url])).code,
        3,
        "the revoke is refused by default",
      );
      const ok = await cli(["migrate", "--schema", v2, "--db", db.url, "--allow-destructive"]);
      assert.equal(ok.code, 0, ok.stderr + ok.stdout);
      assert.deepEqual(await executors(db, "public.user_count()"), [writer]);
      const none = await cli(["plan", "--schema", v2, "--db", db.url, "--format", "json"]);
      assert.deepEqual(JSON.parse(none.stdout).steps, []);
    } finally {
      await db.drop();
      if (engine === "server") await serverExec(`DROP ROLE IF EXISTS ${reader}; DROP ROLE IF EXISTS ${writer}`);
    }
  });
}

Deno.test("schema.yaml functions: every problem located at its line; bodyLql refused as unsupported", async () => {
  const bad = await tempFile(
    "schema.yaml",
    `functions:
  - name: f
    arguments: [{ name: a }]
    volatility: Sometimes
    body: SELECT 1
  - name: g
    retruns: Int
  - name: f
    arguments: [{ name: a, type: Int }]
    body: SELECT 1
  - name: f
    arguments: [{ name: b, type: integer }]
    body: SELECT 2
`,
  );
  const r = await cli(["render", bad]);
  assert.equal(r.code, 2);
  for (
    const line of [
      ':3:17: argument #1 of function "f" is missing required key "type"',
      ':4:17: unknown volatility "Sometimes"',
      ':6:5: function "g" needs a body (or bodyLql)',
      ':7:5: unknown key "retruns" (did you mean "returns"?)',
      ':11:11: duplicate function "public.f(integer)" (first at line 8)',
    ]
  ) assert.ok(r.stderr.includes(line), `${line} missing from:\n${r.stderr}`);

  const lql = await tempFile("schema.yaml", "functions:\n  - name: f\n    bodyLql: users |> count()\n");
  const u = await cli(["render", lql]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /schema\.yaml:3:14: function "f" has a bodyLql, which pgconverge cannot translate/);
  assert.match(u.stderr, /under body instead of bodyLql/);
});

Deno.test("[pglite] schema.yaml function body errors point at the body line", async () => {
  const bad = await tempFile(
    "schema.yaml",
    "tables:\n  - name: t\n    columns: [{ name: id, type: Int }]\nfunctions:\n  - name: f\n    returns: Int\n    body: SELECT count(*) FROM no_such_table\n",
  );
  const r = await cli(["render", bad]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /schema\.yaml:7:11: PostgreSQL rejected this: relation "no_such_table" does not exist/);
});
