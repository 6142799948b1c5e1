/**
 * DataProviderMigrate's known bugs, as regression tests on both engines. Each test starts from
 * the database state DataProviderMigrate leaves behind (its DDL, its names, user text as written:
 * see dpm_compat.test.ts), plans to a schema.yaml, checks the exact statements, migrates, and
 * checks that planning again gives zero statements.
 *
 * "A policy predicate changed but kept" is pinned in policies.test.ts
 * (`DataProviderMigrate's bug: a changed policy predicate is replaced, not kept`, both engines).
 */
import assert from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";

/**
 * The parent table DataProviderMigrate made, and the child table without its foreign key. The
 * score CHECK has PostgreSQL's default name, or DataProviderMigrate 0.9.11's legacy `_chk` one.
 */
const dpmBase = (scoreCheck: "check" | "chk" = "check") => `
CREATE TABLE "customers" (
  "id" SERIAL NOT NULL,
  "status" VARCHAR(20) NOT NULL DEFAULT 'active' CONSTRAINT "customers_status_check" CHECK (status IN ('active','closed')),
  "score" INTEGER CONSTRAINT "customers_score_${scoreCheck}" CHECK (score BETWEEN 0 AND 100),
  CONSTRAINT "PK_customers" PRIMARY KEY ("id")
);
CREATE TABLE "orders" (
  "id" SERIAL NOT NULL,
  "customer_id" INTEGER NOT NULL,
  "note" TEXT,
  CONSTRAINT "PK_orders" PRIMARY KEY ("id")
);
`;

/** The schema.yaml {@link dpmBase} was made from, with the orders foreign keys given. */
function schemaYaml(opts: { fks?: string; customerChecks?: boolean; indexes?: string } = {}): string {
  const checks = opts.customerChecks ?? true;
  return `
tables:
  - name: customers
    columns:
      - { name: id, type: Int, isIdentity: true, isNullable: false }
      - name: status
        type: VarChar(20)
        isNullable: false
        defaultValue: "'active'"
${checks ? "        checkConstraint: \"status IN ('active','closed')\"\n" : ""}      - name: score
        type: Int
${checks ? '        checkConstraint: "score BETWEEN 0 AND 100"\n' : ""}    primaryKey: { columns: [id] }
${opts.indexes ?? ""}  - name: orders
    columns:
      - { name: id, type: Int, isIdentity: true, isNullable: false }
      - { name: customer_id, type: Int, isNullable: false }
      - { name: note, type: Text }
    primaryKey: { columns: [id] }
${opts.fks ?? ""}`;
}

const UNNAMED_FK = `    foreignKeys:
      - { columns: [customer_id], referencedTable: customers, referencedColumns: [id], onDelete: Cascade }
`;

interface PlanJson {
  steps: Array<{ op: string; id: string; sql: string; destructive: boolean }>;
  changes: number;
}

async function planJson(db: TestDb, file: string, extra: string[] = []): Promise<PlanJson> {
  const r = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json", ...extra]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout) as PlanJson;
}

/** Migrate (destructive changes allowed), then plan again: zero statements, and drift agrees. */
async function convergeTo(db: TestDb, file: string): Promise<void> {
  const m = await cli(["migrate", "--schema", file, "--db", db.url, "--allow-destructive"]);
  assert.equal(m.code, 0, m.stderr + m.stdout);
  const again = await planJson(db, file, ["--allow-destructive"]);
  assert.deepEqual(again.steps.map((s) => s.sql), [], "planning again after apply gives nothing");
  const drift = await cli(["drift", "--schema", file, "--db", db.url]);
  assert.equal(drift.code, 0, drift.stdout + drift.stderr);
}

async function foreignKeys(db: TestDb): Promise<string[]> {
  const rows = await db.query<{ d: string }>(
    `SELECT conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
     WHERE contype = 'f' AND conrelid = 'public.orders'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.d);
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] DataProviderMigrate's bug: an unnamed FK is added to an existing table`, async () => {
    const db = await make();
    try {
      await db.exec(dpmBase());
      const file = await tempFile("schema.yaml", schemaYaml({ fks: UNNAMED_FK }));
      const plan = await planJson(db, file);
      assert.deepEqual(plan.steps.map((s) => s.sql), [
        'ALTER TABLE public.orders ADD CONSTRAINT "FK_orders_customer_id" FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;',
      ]);
      await convergeTo(db, file);
      assert.deepEqual(await foreignKeys(db), [
        "FK_orders_customer_id FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] DataProviderMigrate's bug: destructive mode keeps every FK the file still declares`, async () => {
    const db = await make();
    try {
      // Two FKs live: one under DataProviderMigrate's default name, one under PostgreSQL's own
      // (`orders_customer_id_fkey`, from an inline REFERENCES). Both are declared unnamed.
      await db.exec(
        dpmBase() + `
        ALTER TABLE "orders" ADD COLUMN "referrer_id" INTEGER REFERENCES "customers" ("id");
        ALTER TABLE "orders" ADD CONSTRAINT "FK_orders_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE;
      `,
      );
      const both = UNNAMED_FK +
        "      - { columns: [referrer_id], referencedTable: customers, referencedColumns: [id] }\n";
      const yaml = schemaYaml({ fks: both }).replace(
        "      - { name: note, type: Text }\n",
        "      - { name: note, type: Text }\n      - { name: referrer_id, type: Int }\n",
      );
      const file = await tempFile("schema.yaml", yaml);
      const before = await foreignKeys(db);
      const plan = await planJson(db, file, ["--allow-destructive"]);
      assert.deepEqual(plan.steps.map((s) => s.sql), [], "no FK is dropped or re-added");
      await convergeTo(db, file);
      assert.deepEqual(await foreignKeys(db), before);

      // Destructive mode drops exactly the FK that left the file, and nothing else.
      const one = await tempFile("schema.yaml", yaml.replace(/ {6}- \{ columns: \[referrer_id\].*\n/, ""));
      const dropOne = await planJson(db, one, ["--allow-destructive"]);
      assert.deepEqual(dropOne.steps.map((s) => s.sql), [
        "ALTER TABLE public.orders DROP CONSTRAINT orders_referrer_id_fkey;",
      ]);
      await convergeTo(db, one);
      assert.deepEqual(await foreignKeys(db), [before[0]]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] DataProviderMigrate's bug: a partial index filter is not drift forever`, async () => {
    const db = await make();
    try {
      await db.exec(
        dpmBase() + `
        CREATE INDEX "ix_customers_status" ON "customers" ("status") WHERE status = 'active';
        CREATE INDEX "ix_customers_score" ON "customers" ("score") WHERE score > 10 AND status <> 'closed';
      `,
      );
      const indexes = (active: string) =>
        `    indexes:
      - { name: ix_customers_status, columns: [status], filter: "status = '${active}'" }
      - { name: ix_customers_score, columns: [score], filter: "score > 10 AND status <> 'closed'" }
`;
      const same = await tempFile("schema.yaml", schemaYaml({ indexes: indexes("active") }));
      assert.deepEqual((await planJson(db, same)).steps.map((s) => s.sql), []);
      const drift = await cli(["drift", "--schema", same, "--db", db.url]);
      assert.equal(drift.code, 0, drift.stdout + drift.stderr);

      // A real change of the filter is one drop and one create, and then nothing.
      const changed = await tempFile("schema.yaml", schemaYaml({ indexes: indexes("closed") }));
      assert.deepEqual((await planJson(db, changed)).steps.map((s) => s.sql), [
        "DROP INDEX public.ix_customers_status;",
        "CREATE INDEX ix_customers_status ON public.customers USING btree (status) WHERE ((status)::text = 'closed'::text);",
      ]);
      await convergeTo(db, changed);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] DataProviderMigrate's bug: CHECKs removed from the file are dropped`, async () => {
    const db = await make();
    try {
      // One CHECK under PostgreSQL's name, one under DataProviderMigrate 0.9.11's `_chk` name.
      await db.exec(dpmBase("chk"));
      const same = await tempFile("schema.yaml", schemaYaml());
      assert.deepEqual((await planJson(db, same)).steps.map((s) => s.sql), [
        "ALTER TABLE public.customers RENAME CONSTRAINT customers_score_chk TO customers_score_check;",
      ]);
      const file = await tempFile("schema.yaml", schemaYaml({ customerChecks: false }));
      const plan = await planJson(db, file);
      assert.deepEqual(plan.steps.map((s) => s.sql), [
        "ALTER TABLE public.customers DROP CONSTRAINT customers_score_chk;",
        "ALTER TABLE public.customers DROP CONSTRAINT customers_status_check;",
      ]);
      await convergeTo(db, file);
      const [{ n }] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'c' AND conrelid = 'public.customers'::regclass",
      );
      assert.equal(n, 0);
    } finally {
      await db.drop();
    }
  });
}
