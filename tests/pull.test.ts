/**
 * `pull`: a live database → a schema.yaml that plans to zero statements against it (structured
 * keys where they say exactly what the database holds, `sql:` for the rest), on both engines,
 * for awkward hand-written databases, DataProviderMigrate's conventions and generated schemas.
 */
import assert, { equal, match } from "node:assert/strict";
import fc from "fast-check";
import { parse } from "yaml";
import { buildPlan, openDatabase, openShadow, PgcError, readMigration, resolvePair, writeMigration } from "../mod.ts";
import { applyMigration } from "../src/apply/apply.ts";
import { quoteIdent } from "../src/model/quote.ts";
import { pullSchema } from "../src/pull/pull.ts";
import { pullType } from "../src/pull/types.ts";
import { resolveType } from "../src/yaml/portable_types.ts";
import type { Shadow } from "../src/shadow/shadow.ts";
import { schemaYamlArb } from "./support/arbitraries.ts";
import { cli, tempFile } from "./support/cli.ts";
import { pullAndReplan } from "./support/pull.ts";
import { ENGINES, pgliteDb, serverDb } from "./support/db.ts";

type Item = Record<string, unknown>;
const tableOf = (doc: Record<string, unknown>, name: string): Item =>
  (doc.tables as Item[]).find((t) => t.name === name)!;
const columnOf = (t: Item, name: string): Item => (t.columns as Item[]).find((c) => c.name === name)!;

Deno.test("pull writes portable type names only where schema.yaml maps them back to the same type", () => {
  // [format_type, pulled, what schema.yaml renders for it (PostgreSQL prints it as the first)]
  const cases: Array<[string, string, string]> = [
    ["integer", "Int", "integer"],
    ["character varying(20)", "VarChar(20)", "character varying(20)"],
    ["numeric(12,2)", "Decimal(12,2)", "numeric(12,2)"],
    ["time(3) without time zone", "Time(3)", "time(3)"],
    ["timestamp with time zone", "DateTimeOffset", "timestamp with time zone"],
    ["integer[]", "Int[]", "integer[]"],
    ["money", "pg_catalog.money", "pg_catalog.money"],
    ["json", "pg_catalog.json", "pg_catalog.json"],
    ["real", "real", "real"],
    ["timestamp(3) without time zone", "timestamp(3) without time zone", "timestamp(3) without time zone"],
    ['public."Mood"', 'public."Mood"', 'public."Mood"'],
  ];
  for (const [pg, yaml, rendered] of cases) {
    equal(pullType(pg), yaml, pg);
    assert.deepEqual(resolveType(yaml), { sql: rendered }, yaml);
  }
});

/** A database with every awkward case the structured keys must still get exactly right. */
const AWKWARD = `
CREATE SCHEMA "Sales";
CREATE TYPE "Sales"."Mood" AS ENUM ('happy', 'it''s ok');
CREATE TABLE "Sales"."Customers" (
  "Id" serial NOT NULL,
  "Email" varchar(320) NOT NULL,
  code varchar(10) CHECK (code IN ('a', 'b')),
  status text NOT NULL DEFAULT 'active',
  mood "Sales"."Mood",
  CONSTRAINT "PK_Customers" PRIMARY KEY ("Id"),
  CONSTRAINT "UQ_Customers_Email" UNIQUE ("Email"),
  CONSTRAINT email_shape CHECK ("Email" LIKE '%@%' AND length("Email") > 3)
);
COMMENT ON TABLE "Sales"."Customers" IS 'Customer''s table';
COMMENT ON COLUMN "Sales"."Customers".status IS 'two
lines';
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY,
  region int NOT NULL,
  customer_id int REFERENCES "Sales"."Customers" ("Id") ON DELETE CASCADE,
  total numeric(12,2) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, region)
);
CREATE TABLE order_lines (
  order_id bigint NOT NULL,
  region int NOT NULL,
  qty int CHECK (qty > 0),
  CONSTRAINT "FK_order_lines_order_id_region" FOREIGN KEY (order_id, region) REFERENCES orders (id, region)
);
CREATE INDEX ix_lower_email ON "Sales"."Customers" (lower("Email")) WHERE status = 'active';
CREATE INDEX ix_code_partial ON "Sales"."Customers" (code) WHERE code IN ('a', 'b');
CREATE INDEX ix_desc ON orders (total DESC);
`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] pull writes structured keys for awkward cases and the file plans to zero statements`, async () => {
    const db = await make();
    try {
      await db.exec(AWKWARD);
      const { doc } = await pullAndReplan(db);
      assert.deepEqual(doc.schemas, ["Sales"]);
      assert.deepEqual(doc.enums, [{ schema: "Sales", name: "Mood", values: ["happy", "it's ok"] }]);
      const customers = tableOf(doc, "Customers");
      equal(customers.schema, "Sales");
      assert.deepEqual(columnOf(customers, "Id"), { name: "Id", type: "Int", isNullable: false, isIdentity: true });
      equal(columnOf(customers, "Email").type, "VarChar(320)");
      match(String(columnOf(customers, "code").checkConstraint), /ANY/, "the varchar IN-list CHECK is a column CHECK");
      equal(columnOf(customers, "status").comment, "two\nlines");
      equal(columnOf(customers, "mood").type, '"Sales"."Mood"');
      assert.deepEqual(customers.primaryKey, { columns: ["Id"] }, "PK_<table> is the default name: left out");
      assert.deepEqual(customers.uniqueConstraints, [{ columns: ["Email"] }]);
      assert.deepEqual((customers.checkConstraints as Item[]).map((c) => c.name), ["email_shape"]);
      assert.deepEqual((customers.indexes as Item[]).map((i) => Object.keys(i).sort().join(",")), [
        "columns,filter,name",
        "expressions,filter,name",
      ]);
      equal(customers.comment, "Customer's table");
      const orders = tableOf(doc, "orders");
      equal(columnOf(orders, "id").identity, "always");
      assert.deepEqual(orders.primaryKey, { name: "orders_pkey", columns: ["id", "region"] });
      assert.deepEqual(orders.foreignKeys, [{
        name: "orders_customer_id_fkey",
        columns: ["customer_id"],
        referencedSchema: "Sales",
        referencedTable: "Customers",
        referencedColumns: ["Id"],
        onDelete: "Cascade",
      }]);
      const lines = tableOf(doc, "order_lines");
      assert.deepEqual(lines.foreignKeys, [{
        columns: ["order_id", "region"],
        referencedTable: "orders",
        referencedColumns: ["id", "region"],
      }], "a composite FK with the default name is written unnamed (matched by relationship)");
      equal(columnOf(lines, "qty").checkConstraint, "(qty > 0)");
      assert.deepEqual(doc.sql, ["CREATE INDEX ix_desc ON public.orders USING btree (total DESC);"]);
    } finally {
      await db.drop();
    }
  });
}

Deno.test("[server] pull of a DataProviderMigrate database writes its conventions and re-plans to zero", async () => {
  const db = await serverDb();
  try {
    // What DataProviderMigrate runs (see dpm_compat.test.ts): user text as written, its own names.
    await db.exec(`
CREATE TABLE "customers" (
  "id" SERIAL NOT NULL,
  "Email" VARCHAR(320) NOT NULL CONSTRAINT "customers_Email_check" CHECK ("Email" LIKE '%@%'),
  "status" VARCHAR(20) NOT NULL DEFAULT 'active' CONSTRAINT "customers_status_chk" CHECK (status IN ('active','closed')),
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "blob" BYTEA,
  CONSTRAINT "PK_customers" PRIMARY KEY ("id"),
  CONSTRAINT "UQ_customers_Email" UNIQUE ("Email")
);
CREATE TABLE "orders" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "customer_id" INTEGER NOT NULL,
  CONSTRAINT "PK_orders" PRIMARY KEY ("id")
);
ALTER TABLE "orders" ADD CONSTRAINT "FK_orders_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE;
`);
    const { yaml } = await pullAndReplan(db);
    const body = yaml.slice(yaml.indexOf("\ntables:") + 1);
    equal(
      body,
      `tables:
  - name: customers
    columns:
      - { name: id, type: Int, isNullable: false, isIdentity: true }
      - { name: Email, type: VarChar(320), isNullable: false, checkConstraint: (("Email")::text ~~ '%@%'::text) }
      - { name: status, type: VarChar(20), isNullable: false, defaultValue: "'active'::character varying" }
      - { name: created_at, type: DateTimeOffset, isNullable: false, defaultValue: CURRENT_TIMESTAMP }
      - { name: blob, type: Blob }
    primaryKey: { columns: [ id ] }
    uniqueConstraints:
      - { columns: [ Email ] }
    checkConstraints:
      - name: customers_status_chk
        expression: ((status)::text = ANY (ARRAY[('active'::character varying)::text, ('closed'::character varying)::text]))
  - name: orders
    columns:
      - { name: id, type: Uuid, isNullable: false, defaultValue: gen_random_uuid() }
      - { name: customer_id, type: Int, isNullable: false }
    primaryKey: { columns: [ id ] }
    foreignKeys:
      - { columns: [ customer_id ], referencedTable: customers, referencedColumns: [ id ], onDelete: Cascade }
`,
    );
  } finally {
    await db.drop();
  }
});

Deno.test("[pglite] pulling the same database twice gives the same bytes", async () => {
  const db = await pgliteDb();
  try {
    await db.exec(AWKWARD);
    const one = await cli(["pull", "--db", db.url]);
    const two = await cli(["pull", "--db", db.url]);
    equal(one.code, 0, one.stderr);
    equal(two.stdout, one.stdout);
    match(one.stdout, /^# schema\.yaml pulled by pgconverge/);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] pull writes a view under views:, what no key can say (partitioning, DEFERRABLE, exclusion, NOT VALID, MATCH FULL) as sql:, and warns about unmanaged objects", async () => {
  const db = await serverDb();
  try {
    await db.exec(`
      CREATE TABLE t (id int PRIMARY KEY, k int UNIQUE DEFERRABLE, during tsrange, EXCLUDE USING gist (during WITH &&));
      CREATE TABLE u (t_id int REFERENCES t (id) MATCH FULL, n int);
      ALTER TABLE u ADD CONSTRAINT u_n_check CHECK (n > 0) NOT VALID;
      CREATE VIEW v AS SELECT id FROM t;
      CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
      CREATE PROCEDURE bump() LANGUAGE sql AS 'SELECT 1';
    `);
    const dir = await Deno.makeTempDir({ prefix: "pgc_pull_" });
    const file = `${dir}/schema.yaml`;
    const r = await cli(["pull", "--db", db.url, "-o", file]);
    equal(r.code, 0, r.stderr);
    // Views and partitioned tables are managed kinds now: written, not warned about; a procedure is not.
    assert.deepEqual(r.stderr.split("\n").filter((l) => l.startsWith("warning:")), [
      "warning: not managed by pgconverge yet, not pulled: procedure public.bump()",
    ]);
    const doc = parse(await Deno.readTextFile(file));
    assert.deepEqual(doc.views, [{ name: "v", sql: "SELECT id\n   FROM public.t" }]);
    assert.deepEqual(doc.sql, [
      "CREATE TABLE public.m (\n    id integer,\n    at date\n) PARTITION BY RANGE (at);",
      "ALTER TABLE public.t ADD CONSTRAINT t_k_key UNIQUE (k) DEFERRABLE;",
      "ALTER TABLE public.t ADD CONSTRAINT t_during_excl EXCLUDE USING gist (during WITH &&);",
      "ALTER TABLE public.u ADD CONSTRAINT u_n_check CHECK ((n > 0)) NOT VALID;",
      "ALTER TABLE public.u ADD CONSTRAINT u_t_id_fkey FOREIGN KEY (t_id) REFERENCES public.t(id) MATCH FULL;",
    ]);
    const plan = await cli(["plan", "--schema", file, "--db", db.url, "--exit-code"]);
    equal(plan.code, 0, plan.stderr);
    await Deno.remove(dir, { recursive: true });
  } finally {
    await db.drop();
  }
});

Deno.test("pull of an unreachable database: exit 1, one sentence and a hint", async () => {
  const r = await cli(["pull", "--db", "postgres://postgres@127.0.0.1:1/x"]);
  equal(r.code, 1, r.stderr);
  equal(r.stdout, "");
  match(r.stderr, /^error: .*127\.0\.0\.1:1/);
  match(r.stderr, /^hint: /m);
});

Deno.test("pull -o into a directory that does not exist: exit 1 before reading the database", async () => {
  const r = await cli(["pull", "--db", "postgres://postgres@127.0.0.1:1/x", "-o", "/nonexistent/dir/schema.yaml"]);
  equal(r.code, 1, r.stderr);
  match(
    r.stderr,
    /^error: Cannot write \/nonexistent\/dir\/schema\.yaml: the directory \/nonexistent\/dir does not exist\./,
  );
  match(r.stderr, /^hint: /m);
});

Deno.test("[pglite] pull --schemas names a schema that does not exist: exit 2", async () => {
  const db = await pgliteDb();
  try {
    const r = await cli(["pull", "--db", db.url, "--schemas", "nope"]);
    equal(r.code, 2, r.stderr);
    match(r.stderr, /--schemas names a schema that the database does not have: "nope"\./);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] pull --schemas refuses foreign keys into a schema it does not pull", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE SCHEMA app; CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE app.u (t_id int REFERENCES t)");
    const r = await cli(["pull", "--db", db.url, "--schemas", "app"]);
    equal(r.code, 2, r.stderr);
    match(r.stderr, /constraint:app\.u\.u_t_id_fkey references table:public\.t/);
  } finally {
    await db.drop();
  }
});

// ---------------------------------------------------------------------------------------------
// The key property, over generated databases.

const SEED = Number(Deno.env.get("PGCONVERGE_PROPERTY_SEED") ?? "20250611");
const RUNS = Deno.env.get("PGCONVERGE_PROPERTY_RUNS");

/** Bring the database at `url` to a schema.yaml text the way `migrate` does. */
async function migrateTo(url: string, yamlPath: string, shadow: Shadow): Promise<void> {
  const pair = await resolvePair({ kind: "db", url }, { kind: "yaml", path: yamlPath }, shadow);
  try {
    const plan = await buildPlan(pair.from, pair.to);
    const m = await readMigration(await writeMigration(plan, { allowDestructive: true }), "m.sql");
    await applyMigration(pair.fromDb!, m, { shadow, lockTimeout: "10s", file: "m.sql" });
  } finally {
    for (const d of pair.opened) await d.close();
  }
}

/** Pull `url` and plan the pulled text against it; the plan's statements (none, when it holds). */
async function pulledPlan(url: string, dir: string, shadow: Shadow): Promise<{ yaml: string; steps: string[] }> {
  const db = await openDatabase(url);
  let yaml: string;
  try {
    yaml = (await pullSchema(db, shadow, { file: "pulled.yaml" })).text;
  } finally {
    await db.close();
  }
  const path = `${dir}/pulled-${crypto.randomUUID()}.yaml`;
  await Deno.writeTextFile(path, yaml);
  const pair = await resolvePair({ kind: "db", url }, { kind: "yaml", path }, shadow);
  try {
    return { yaml, steps: (await buildPlan(pair.from, pair.to)).steps.map((s) => s.sql) };
  } finally {
    for (const d of pair.opened) await d.close();
  }
}

/** Objects of the kinds schema.yaml's tables do not hold, made by hand after a migration. */
interface Extras {
  view: boolean;
  sequence: boolean;
  domain: boolean;
  trigger: boolean;
  policy: boolean;
}

const extrasArb: fc.Arbitrary<Extras> = fc.record({
  view: fc.boolean(),
  sequence: fc.boolean(),
  domain: fc.boolean(),
  trigger: fc.boolean(),
  policy: fc.boolean(),
});

/**
 * SQL that adds `extras` to a database migrated to `source`: views, a sequence, a domain (used by
 * a new column), a trigger function with its trigger, a policy, on the first generated table.
 */
function extrasSql(source: string, extras: Extras): string {
  const doc = parse(source) as { tables?: Array<{ schema?: string; name: string }> } | null;
  const first = doc?.tables?.[0];
  const t = first ? `${quoteIdent(first.schema ?? "public")}.${quoteIdent(first.name)}` : undefined;
  const out: string[] = [];
  if (extras.sequence) out.push("CREATE SEQUENCE public.pull_extra_seq START 5 INCREMENT 2");
  if (extras.domain) {
    out.push("CREATE DOMAIN public.pull_extra_dom AS integer CHECK (VALUE >= 0)");
    if (t) out.push(`ALTER TABLE ${t} ADD COLUMN pull_extra_d public.pull_extra_dom`);
  }
  if (t && extras.view) {
    out.push(`CREATE VIEW public.pull_extra_v AS SELECT * FROM ${t}`);
    out.push("CREATE VIEW public.pull_extra_v2 AS SELECT count(*) AS n FROM public.pull_extra_v");
  }
  if (t && extras.trigger) {
    out.push(
      "CREATE FUNCTION public.pull_extra_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
      `CREATE TRIGGER pull_extra_touch BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION public.pull_extra_touch()`,
    );
  }
  if (t && extras.policy) {
    out.push(
      `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY pull_extra_p ON ${t} FOR SELECT USING (true)`,
    );
  }
  return out.map((x) => `${x};`).join("\n");
}

for (const [engine, make, runs] of [["server", serverDb, 8], ["pglite", pgliteDb, 4]] as const) {
  Deno.test(`[${engine}] plan(pull(D), D) is empty for databases migrated to generated schemas, with views, a sequence, a domain, a trigger and a policy added`, async () => {
    const shadow = openShadow();
    const dir = await Deno.makeTempDir({ prefix: "pgc_pullprop_" });
    try {
      await fc.assert(
        fc.asyncProperty(schemaYamlArb, extrasArb, async (source, extras) => {
          const db = await make();
          const extra = extrasSql(source, extras);
          try {
            const sourcePath = await tempFile("source.yaml", source);
            await migrateTo(db.url, sourcePath, shadow);
            if (extra !== "") await db.exec(extra);
            const { yaml, steps } = await pulledPlan(db.url, dir, shadow);
            assert.deepEqual(steps, [], `--- source\n${source}\n--- extra\n${extra}\n--- pulled\n${yaml}`);
          } catch (e) {
            if (e instanceof PgcError) {
              throw new Error(`${e.message}\n${e.details.join("\n")}\n--- source\n${source}\n--- extra\n${extra}`);
            }
            throw e;
          } finally {
            await db.drop();
          }
        }),
        { seed: SEED, numRuns: RUNS ? Number(RUNS) : runs, includeErrorInReport: true },
      );
    } finally {
      await shadow.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
