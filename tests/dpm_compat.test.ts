/**
 * Compatibility with databases DataProviderMigrate made: the same schema.yaml plans to zero
 * statements (no rename churn, no type churn), and its legacy `<table>_<column>_chk` CHECK
 * names are renamed, never duplicated.
 */
import assert from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

const SCHEMA = `
tables:
  - name: customers
    columns:
      - { name: id, type: Int, isIdentity: true, isNullable: false }
      - { name: Email, type: NVarChar(320), isNullable: false, checkConstraint: "Email LIKE '%@%'" }
      - { name: status, type: VarChar(20), isNullable: false, defaultValue: "'active'", checkConstraint: "status IN ('active','closed')" }
      - { name: created_at, type: DateTimeOffset, isNullable: false, defaultLqlExpression: now() }
      - { name: balance, type: "Decimal(12,2)", defaultValue: "0", checkConstraint: "balance BETWEEN 0 AND 1000000" }
      - { name: blob, type: VarBinary(max) }
    primaryKey: { columns: [id] }
    uniqueConstraints:
      - { columns: [Email] }
    indexes:
      - { name: ix_customers_status, columns: [status], filter: "status = 'active'" }
  - name: orders
    columns:
      - { name: id, type: Uuid, isNullable: false, defaultLqlExpression: gen_uuid() }
      - { name: customer_id, type: Int, isNullable: false }
    primaryKey: { columns: [id] }
    foreignKeys:
      - { columns: [customer_id], referencedTable: customers, referencedColumns: [id], onDelete: Cascade }
`;

/** The DDL DataProviderMigrate runs for SCHEMA: user text as written, its own names. */
function dpmDdl(checkSuffix: "check" | "chk"): string {
  return `
CREATE TABLE "customers" (
  "id" SERIAL NOT NULL,
  "Email" VARCHAR(320) NOT NULL CONSTRAINT "customers_Email_${checkSuffix}" CHECK ("Email" LIKE '%@%'),
  "status" VARCHAR(20) NOT NULL DEFAULT 'active' CONSTRAINT "customers_status_${checkSuffix}" CHECK (status IN ('active','closed')),
  "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "balance" NUMERIC(12,2) DEFAULT 0 CONSTRAINT "customers_balance_${checkSuffix}" CHECK (balance BETWEEN 0 AND 1000000),
  "blob" BYTEA,
  CONSTRAINT "PK_customers" PRIMARY KEY ("id"),
  CONSTRAINT "UQ_customers_Email" UNIQUE ("Email")
);
CREATE INDEX "ix_customers_status" ON "customers" ("status") WHERE status = 'active';
CREATE TABLE "orders" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "customer_id" INTEGER NOT NULL,
  CONSTRAINT "PK_orders" PRIMARY KEY ("id")
);
ALTER TABLE "orders" ADD CONSTRAINT "FK_orders_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE;
`;
}

Deno.test("[server] a database DataProviderMigrate made from the same file plans to zero statements", async () => {
  const db = await serverDb();
  try {
    await db.exec(dpmDdl("check"));
    const schema = await tempFile("schema.yaml", SCHEMA);
    const r = await cli(["plan", "--schema", schema, "--db", db.url, "--format", "json", "--exit-code"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(JSON.parse(r.stdout).changes, 0);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] legacy <table>_<column>_chk CHECKs are renamed, never duplicated", async () => {
  const db = await serverDb();
  try {
    await db.exec(dpmDdl("chk"));
    const schema = await tempFile("schema.yaml", SCHEMA);
    const r = await cli(["plan", "--schema", schema, "--db", db.url, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const steps = JSON.parse(r.stdout).steps as Array<{ op: string; sql: string }>;
    assert.deepEqual(steps.map((s) => s.sql).sort(), [
      'ALTER TABLE public.customers RENAME CONSTRAINT "customers_Email_chk" TO "customers_Email_check";',
      "ALTER TABLE public.customers RENAME CONSTRAINT customers_balance_chk TO customers_balance_check;",
      "ALTER TABLE public.customers RENAME CONSTRAINT customers_status_chk TO customers_status_check;",
    ]);
    const migrated = await cli(["migrate", "--schema", schema, "--db", db.url]);
    assert.equal(migrated.code, 0, migrated.stderr);
    const checks = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'c' AND conrelid = 'customers'::regclass",
    );
    assert.equal(checks[0].n, 3);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] a new column with a CHECK gets its CHECK exactly once", async () => {
  const db = await serverDb();
  try {
    await db.exec(dpmDdl("check"));
    const withColumn = SCHEMA.replace(
      "      - { name: blob, type: VarBinary(max) }",
      "      - { name: blob, type: VarBinary(max) }\n      - { name: tier, type: Text, checkConstraint: \"tier IN ('a','b')\" }",
    );
    const schema = await tempFile("schema.yaml", withColumn);
    const r = await cli(["plan", "--schema", schema, "--db", db.url, "--format", "json"]);
    const steps = JSON.parse(r.stdout).steps as Array<{ op: string; id: string }>;
    assert.deepEqual(steps.map((s) => `${s.op} ${s.id}`), [
      "add_column column:public.customers.tier",
      "add_constraint constraint:public.customers.customers_tier_check",
    ]);
    assert.equal((await cli(["migrate", "--schema", schema, "--db", db.url])).code, 0);
    const again = await cli(["plan", "--schema", schema, "--db", db.url, "--exit-code"]);
    assert.equal(again.code, 0, again.stderr);
  } finally {
    await db.drop();
  }
});
