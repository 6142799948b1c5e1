/**
 * Ordering seams between object kinds built on separate branches, on both engines: each case
 * plans exactly the expected statements in a working order, applies, and plans zero afterwards —
 * or is refused with a clear message.
 *
 * - a function a policy's USING calls is dropped and created again (signature change);
 * - a function a CHECK and an index call gains an argument (its old overload must go first);
 * - a column a policy and a view both use changes type;
 * - a domain used by a view's column: its CHECK changes, then the column leaves the domain;
 * - a table with a trigger is dropped, with the trigger's function;
 * - a grant on a view: not managed (a located error in schema.yaml, listed as not managed live).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES, SERVER_URL, type TestDb } from "./support/db.ts";

interface PlannedStep {
  op: string;
  phase: string;
  sql: string;
  destructive: boolean;
}

/** Plan from the database to a desired `.sql` text (destructive changes allowed). */
async function planTo(db: TestDb, desired: string): Promise<PlannedStep[]> {
  const file = await tempFile("desired.sql", desired);
  const r = await cli(["plan", "--from", db.url, "--to", file, "--format", "json", "--allow-destructive"]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return (JSON.parse(r.stdout) as { steps: PlannedStep[] }).steps;
}

/** `phase op first-line-of-sql` of each step (SQL function bodies span lines). */
function lines(steps: PlannedStep[]): string[] {
  return steps.map((s) => `${s.phase} ${s.op} ${s.sql.split("\n").find((l) => !l.startsWith("SET LOCAL"))}`);
}

/** Migrate to a desired `.sql` text, then plan again: nothing. */
async function converge(db: TestDb, desired: string): Promise<void> {
  const file = await tempFile("desired.sql", desired);
  const m = await cli(["migrate", "--schema", file, "--db", db.url, "--allow-destructive"]);
  assert.equal(m.code, 0, m.stderr + m.stdout);
  const again = await cli(["plan", "--from", db.url, "--to", file, "--format", "json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout).steps, [], "planning again after apply gives nothing");
}

const OWNER_OK_V1 = "CREATE FUNCTION public.owner_ok(o text) RETURNS boolean LANGUAGE sql STABLE " +
  "AS $$ SELECT o = current_user $$;\n";
const DOCS = `CREATE TABLE public.docs (id int PRIMARY KEY, owner text);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a function a policy calls is dropped and created again around the policy`, async () => {
    const db = await make();
    try {
      const v1 = OWNER_OK_V1 + DOCS + "CREATE POLICY p_own ON public.docs FOR SELECT USING (public.owner_ok(owner));\n";
      await converge(db, v1);
      // A new result type: DROP FUNCTION fails while the policy rests on it.
      const v2 = "CREATE FUNCTION public.owner_ok(o text) RETURNS integer LANGUAGE sql STABLE AS $$ SELECT 1 $$;\n" +
        DOCS + "CREATE POLICY p_own ON public.docs FOR SELECT USING (public.owner_ok(owner) = 1);\n";
      assert.deepEqual(lines(await planTo(db, v2)), [
        "drop drop_policy DROP POLICY p_own ON public.docs;",
        "drop drop_function DROP FUNCTION public.owner_ok(text);",
        "pre create_function CREATE OR REPLACE FUNCTION public.owner_ok(o text)",
        "post create_policy CREATE POLICY p_own ON public.docs AS PERMISSIVE FOR SELECT TO PUBLIC USING ((public.owner_ok(owner) = 1));",
      ]);
      await converge(db, v2);
      // The same policy text over a function that changed only its result type: rebuilt too.
      const v3 = OWNER_OK_V1 + DOCS + "CREATE POLICY p_own ON public.docs FOR SELECT USING (public.owner_ok(owner));\n";
      await converge(db, v3);
      // A new argument (another identity): the old overload goes before the policy comes back,
      // else its call `owner_ok(owner)` would be ambiguous between the two.
      const v4 = "CREATE FUNCTION public.owner_ok(o text, strict_mode boolean DEFAULT true) RETURNS boolean " +
        "LANGUAGE sql STABLE AS $$ SELECT o = current_user OR NOT strict_mode $$;\n" + DOCS +
        "CREATE POLICY p_own ON public.docs FOR SELECT USING (public.owner_ok(owner));\n";
      const steps = lines(await planTo(db, v4));
      assert.deepEqual(steps, [
        "drop drop_policy DROP POLICY p_own ON public.docs;",
        "drop drop_function DROP FUNCTION public.owner_ok(text);",
        "pre create_function CREATE OR REPLACE FUNCTION public.owner_ok(o text, strict_mode boolean DEFAULT true)",
        "post create_policy CREATE POLICY p_own ON public.docs AS PERMISSIVE FOR SELECT TO PUBLIC USING (public.owner_ok(owner));",
      ]);
      await converge(db, v4);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a function a CHECK and an index call gains an argument: the old overload goes before they come back`, async () => {
    const db = await make();
    try {
      const table =
        "CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_n_check CHECK (public.small(n)));\n" +
        "CREATE INDEX t_small ON public.t (id) WHERE public.small(n);\n";
      await converge(
        db,
        "CREATE FUNCTION public.small(x integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT x < 50 $$;\n" +
          table,
      );
      // With both overloads present, `small(n)` is "not unique": the old one must be gone first.
      const v2 = "CREATE FUNCTION public.small(x integer, lim integer DEFAULT 50) RETURNS boolean " +
        "LANGUAGE sql IMMUTABLE AS $$ SELECT x < lim $$;\n" + table;
      assert.deepEqual(lines(await planTo(db, v2)), [
        "drop drop_index DROP INDEX public.t_small;",
        "drop drop_constraint ALTER TABLE public.t DROP CONSTRAINT t_n_check;",
        "drop drop_function DROP FUNCTION public.small(integer);",
        "pre create_function CREATE OR REPLACE FUNCTION public.small(x integer, lim integer DEFAULT 50)",
        "post add_constraint ALTER TABLE public.t ADD CONSTRAINT t_n_check CHECK (public.small(n));",
        "post create_index CREATE INDEX t_small ON public.t USING btree (id) WHERE public.small(n);",
      ]);
      await converge(db, v2);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a column a policy and a view use changes type: both are rebuilt around it`, async () => {
    const db = await make();
    try {
      const v1 = (type: string) =>
        `CREATE TABLE public.docs (id int PRIMARY KEY, tenant ${type}, title text);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_tenant ON public.docs FOR SELECT USING (tenant = 1);
CREATE VIEW public.v_docs AS SELECT id, tenant FROM public.docs;
`;
      await converge(db, v1("int"));
      assert.deepEqual(lines(await planTo(db, v1("bigint"))), [
        "drop drop_policy DROP POLICY p_tenant ON public.docs;",
        "drop drop_view DROP VIEW public.v_docs;",
        "pre alter_column ALTER TABLE public.docs ALTER COLUMN tenant TYPE bigint;",
        "post create_policy CREATE POLICY p_tenant ON public.docs AS PERMISSIVE FOR SELECT TO PUBLIC USING ((tenant = 1));",
        "post create_view CREATE VIEW public.v_docs AS",
      ]);
      await converge(db, v1("bigint"));
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a domain under a view's column: its CHECK changes in place, then the column leaves it`, async () => {
    const db = await make();
    try {
      const withDomain = (min: number) =>
        `CREATE DOMAIN public.score AS integer CONSTRAINT score_min CHECK (VALUE >= ${min});
CREATE TABLE public.games (id int PRIMARY KEY, points public.score);
CREATE VIEW public.v_games AS SELECT id, points FROM public.games;
`;
      await converge(db, withDomain(0));
      // The view is left alone: its column keeps its type.
      assert.deepEqual(lines(await planTo(db, withDomain(-10))), [
        "drop alter_domain ALTER DOMAIN public.score DROP CONSTRAINT score_min;",
        "post alter_domain ALTER DOMAIN public.score ADD CONSTRAINT score_min CHECK ((VALUE >= '-10'::integer));",
      ]);
      await converge(db, withDomain(-10));
      // The column leaves the domain and the domain goes: the view first, the domain last.
      const plain = `CREATE TABLE public.games (id int PRIMARY KEY, points integer);
CREATE VIEW public.v_games AS SELECT id, points FROM public.games;
`;
      assert.deepEqual(lines(await planTo(db, plain)), [
        "drop drop_view DROP VIEW public.v_games;",
        "pre alter_column ALTER TABLE public.games ALTER COLUMN points TYPE integer USING points::integer;",
        "post create_view CREATE VIEW public.v_games AS",
        "post drop_domain DROP DOMAIN public.score;",
      ]);
      await converge(db, plain);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a table with a trigger is dropped with DROP TABLE, its function after it`, async () => {
    const db = await make();
    try {
      const keep = "CREATE TABLE public.keep (id int PRIMARY KEY);\n";
      await converge(
        db,
        keep + `CREATE TABLE public.logs (id int PRIMARY KEY, at timestamptz);
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at = now(); RETURN NEW; END $$;
CREATE TRIGGER logs_stamp BEFORE INSERT ON public.logs FOR EACH ROW EXECUTE FUNCTION public.stamp();
`,
      );
      const steps = await planTo(db, keep);
      assert.deepEqual(lines(steps), [
        "drop drop_table DROP TABLE public.logs;",
        "post drop_function DROP FUNCTION public.stamp();",
      ]);
      assert.deepEqual(steps.map((s) => s.destructive), [true, true]);
      const refused = await cli(["migrate", "--schema", await tempFile("keep.sql", keep), "--db", db.url]);
      assert.equal(refused.code, 3, "dropping them is refused without --allow-destructive");
      await converge(db, keep);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] a grant on a view is not managed: refused in schema.yaml, listed as not managed live`, async () => {
    const db = await make();
    const role = `pgc_seam_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
    try {
      const yaml = (viewGrant: boolean) => `
roles:
  - { name: ${role} }
tables:
  - name: docs
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: title, type: Text }
    primaryKey: { columns: [id] }
views:
  - name: v_docs
    sql: SELECT id, title FROM docs
grants:
  - { target: Table, objectName: docs, privileges: [SELECT], roles: [${role}] }
${viewGrant ? `  - { target: Table, objectName: v_docs, privileges: [SELECT], roles: [${role}] }\n` : ""}`;
      const refused = await cli(["plan", "--schema", await tempFile("schema.yaml", yaml(true)), "--db", db.url]);
      assert.equal(refused.code, 2);
      assert.match(
        refused.stderr,
        /schema\.yaml:15:34: grant names view "public\.v_docs": privileges on views are not managed yet/,
      );

      const file = await tempFile("schema.yaml", yaml(false));
      const m = await cli(["migrate", "--schema", file, "--db", db.url]);
      assert.equal(m.code, 0, m.stderr);
      await db.exec(`GRANT SELECT ON public.v_docs TO ${role}`);
      const plan = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json"]);
      assert.equal(plan.code, 0, plan.stderr);
      const out = JSON.parse(plan.stdout) as { steps: unknown[]; unmanaged: string[] };
      assert.deepEqual(out.steps, [], "the view's privilege is neither revoked nor planned");
      assert.deepEqual(out.unmanaged, ["privileges view public.v_docs"]);
      const strict = await cli(["drift", "--schema", file, "--db", db.url, "--strict"]);
      assert.equal(strict.code, 4, "--strict reports the privilege it does not manage");
    } finally {
      await db.drop();
      if (db.engine === "server") {
        const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
        try {
          await admin.unsafe(`DROP ROLE IF EXISTS ${role}`);
        } finally {
          await admin.end();
        }
      }
    }
  });
}
