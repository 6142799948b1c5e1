/**
 * Enum types, end to end through the CLI on both engines: labels added in place and committed
 * before what uses them, labels renamed when declared, the type recreated (columns, defaults,
 * CHECKs, indexes, views, policies and functions carried across) when a label goes or the order
 * changes, and migrations that run in verified parts. After apply, planning again gives nothing.
 */
import assert from "node:assert/strict";
import { cli, fillDataSection, tempFile } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";
import { formatRef, PgcError } from "../src/model/errors.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { snapshotOf } from "../src/model/snapshot.ts";
import { writeMigration } from "../src/migration/write.ts";
import { readMigration } from "../src/migration/read.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

interface PlannedStep {
  op: string;
  sql: string;
  phase: string;
  preflight?: { what: string; rows?: number };
}

/** Bring a fresh database to a schema.yaml. */
async function start(db: TestDb, yaml: string): Promise<void> {
  const r = await cli(["migrate", "--schema", await tempFile("from.yaml", yaml), "--db", db.url]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

/** Plan the database → `yaml`: the migration file, its text and the planned steps. */
async function plan(db: TestDb, yaml: string): Promise<{ file: string; text: string; steps: PlannedStep[] }> {
  const schema = await tempFile("to.yaml", yaml);
  const file = schema.replace(/to\.yaml$/, "migration.sql");
  const planned = await cli(["plan", "--schema", schema, "--db", db.url, "-o", file]);
  assert.equal(planned.code, 0, planned.stderr);
  const json = await cli(["plan", "--schema", schema, "--db", db.url, "--format", "json"]);
  assert.equal(json.code, 0, json.stderr);
  return { file, text: await Deno.readTextFile(file), steps: JSON.parse(json.stdout).steps as PlannedStep[] };
}

/** Apply a migration file; returns the CLI result. */
function apply(db: TestDb, file: string) {
  return cli(["apply", file, "--db", db.url]);
}

/** After apply: drift is zero and planning again gives no statement. */
async function assertConverged(db: TestDb, yaml: string): Promise<void> {
  const schema = await tempFile("to.yaml", yaml);
  const drift = await cli(["drift", "--schema", schema, "--db", db.url]);
  assert.equal(drift.code, 0, drift.stdout + drift.stderr);
  const again = await cli(["plan", "--schema", schema, "--db", db.url, "--format", "json"]);
  assert.deepEqual(JSON.parse(again.stdout).steps, [], "planning again after apply gives nothing");
}

async function labels(db: TestDb, type: string): Promise<string[]> {
  const rows = await db.query<{ l: string }>(
    `SELECT enumlabel AS l FROM pg_enum WHERE enumtypid = '${type}'::regtype ORDER BY enumsortorder`,
  );
  return rows.map((r) => r.l);
}

const PEOPLE = (mood: string, extra = "") => `
enums:
  - { name: mood, values: [${mood}] }
tables:
  - name: people
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: mood, type: mood }${extra}
    primaryKey: { columns: [id] }
`;

const POSTS = (values: string, extra = "") => `
enums:
  - { name: status, values: [${values}] }
views:
  - name: live_posts
    sql: SELECT id, status FROM posts WHERE status = 'live'
sql:
  - sql: CREATE FUNCTION public.is_live(s public.status) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT s = ''live'''
    load: beforeTables
tables:
  - name: posts
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: status, type: status, isNullable: false, defaultValue: "'draft'" }
      - { name: history, type: "status[]" }
    primaryKey: { columns: [id] }
    checkConstraints:
      - { name: posts_not_archived, expression: "status <> 'archived' OR id < 0" }
    indexes:
      - { name: ix_posts_live, columns: [id], filter: "is_live(status)" }
      - { name: ix_posts_status, columns: [status] }
    rowLevelSecurity:
      enabled: true
      policies:
        - { name: p_visible, operations: [Select], usingSql: "status <> 'draft'" }${extra}
`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] plan() adds a label in the middle in place, in its own committed part`, async () => {
    const db = await make();
    try {
      await start(db, PEOPLE("sad, happy"));
      await db.exec("INSERT INTO public.people VALUES (1, 'happy'), (2, 'sad')");
      const desired = PEOPLE("sad, ok, happy, ecstatic");
      const { file, text, steps } = await plan(db, desired);
      assert.deepEqual(steps.map((s) => [s.phase, s.sql]), [
        ["early", "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ok' BEFORE 'happy';"],
        ["early", "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';"],
      ]);
      assert.match(text, /^-- \[commit\] sha256:[0-9a-f]{64}$/m);
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await labels(db, "public.mood"), ["sad", "ok", "happy", "ecstatic"]);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() uses a label added in the same plan after a commit boundary, and converges`, async () => {
    const db = await make();
    try {
      await start(db, PEOPLE("sad, happy"));
      await db.exec("INSERT INTO public.people VALUES (1, 'happy')");
      const desired = PEOPLE(
        "sad, ok, happy",
        `
      - { name: usual, type: mood, isNullable: false, defaultValue: "'ok'" }
    checkConstraints:
      - { name: people_usual_check, expression: "usual IN ('ok', 'happy')" }`,
      );
      const { file, text, steps } = await plan(db, desired);
      assert.deepEqual(steps.map((s) => s.phase), ["early", "pre", "post"]);
      const commit = text.indexOf("-- [commit]");
      assert.ok(commit > text.indexOf("ADD VALUE") && commit < text.indexOf("ADD COLUMN usual"), text);
      // The data section runs after the boundary: it may use the new label too.
      const fixed = fillDataSection(text, ["UPDATE public.people SET mood = 'ok' WHERE id = 1;"]);
      await Deno.writeTextFile(file, fixed);
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await db.query("SELECT mood::text, usual::text FROM public.people"), [
        { mood: "ok", usual: "ok" },
      ]);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] apply() leaves a committed part in place when a later part fails, and goes on from it when run again`, async () => {
    const db = await make();
    try {
      await start(db, PEOPLE("sad, happy"));
      await db.exec("INSERT INTO public.people VALUES (1, 'sad'), (2, 'happy')");
      const desired = PEOPLE(
        "sad, ok, happy",
        `
    checkConstraints:
      - { name: people_not_sad, expression: "mood <> 'sad'" }`,
      );
      const { file, text } = await plan(db, desired);
      const failed = await apply(db, file);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stderr, /1 row of public\.people breaks the new CHECK people_not_sad/);
      assert.match(failed.stderr, /Rolled back part 2 of 2 \(statement 2\); part 1 \(statement 1\) stays committed/);
      assert.match(failed.stderr, /goes on with part 2/);
      assert.deepEqual(await labels(db, "public.mood"), ["sad", "ok", "happy"], "part 1 is committed");
      assert.equal((await db.query("SELECT 1 FROM pg_constraint WHERE conname = 'people_not_sad'")).length, 0);
      // The fix uses the label part 1 added.
      await Deno.writeTextFile(
        file,
        fillDataSection(text, ["UPDATE public.people SET mood = 'ok' WHERE mood = 'sad';"]),
      );
      const again = await apply(db, file);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /went on from part 2 of 2/);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() renames a label declared in renamedValues: rows and CHECKs keep it`, async () => {
    const db = await make();
    try {
      const from = `
enums:
  - { name: tier, values: [free, pro] }
tables:
  - name: accounts
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: tier, type: tier, isNullable: false, defaultValue: "'free'" }
    primaryKey: { columns: [id] }
    checkConstraints:
      - { name: accounts_free_small, expression: "tier <> 'free' OR id < 100" }
`;
      await start(db, from);
      await db.exec("INSERT INTO public.accounts VALUES (1, 'free'), (2, 'pro')");
      const desired = from.replace(
        "values: [free, pro] }",
        "values: [basic, pro, team], renamedValues: { free: basic } }",
      )
        .replaceAll("'free'", "'basic'");
      const { file, steps } = await plan(db, desired);
      assert.deepEqual(steps.map((s) => s.sql), [
        "ALTER TYPE public.tier ADD VALUE IF NOT EXISTS 'team' AFTER 'pro';",
        "ALTER TYPE public.tier RENAME VALUE 'free' TO 'basic';",
      ]);
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await db.query("SELECT id, tier::text FROM public.accounts ORDER BY id"), [
        { id: 1, tier: "basic" },
        { id: 2, tier: "pro" },
      ]);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() recreates an enum that loses a label rows hold: counted, refused at apply, converged after a data fix`, async () => {
    const db = await make();
    try {
      await start(db, POSTS("draft, review, live, archived"));
      await db.exec(`INSERT INTO public.posts VALUES
        (1, 'review', '{draft,review}'), (2, 'live', '{draft,live}'), (3, 'review', NULL)`);
      const desired = POSTS("draft, live, archived");
      const { file, text, steps } = await plan(db, desired);
      const counts = steps.filter((s) => s.preflight?.rows !== undefined && s.preflight.rows > 0)
        .map((s) => `${s.preflight!.rows} ${s.preflight!.what}`);
      assert.deepEqual(counts, [
        "1 rows of public.posts hold a label removed from public.status ('review') in history",
        "2 rows of public.posts hold a label removed from public.status ('review') in status",
      ]);
      const failed = await apply(db, file);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      assert.match(failed.stderr, /1 row of public\.posts holds a label removed/);
      assert.match(failed.stderr, /Rolled back: the database is exactly as before/);
      assert.deepEqual(await labels(db, "public.status"), ["draft", "review", "live", "archived"]);
      // The columns are text in the data section: any value can be written there.
      await Deno.writeTextFile(
        file,
        fillDataSection(text, [
          "UPDATE public.posts SET status = 'draft' WHERE status = 'review';",
          "UPDATE public.posts SET history = array_remove(history, 'review');",
        ]),
      );
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await labels(db, "public.status"), ["draft", "live", "archived"]);
      assert.deepEqual(await db.query("SELECT id, status::text, history::text FROM public.posts ORDER BY id"), [
        { id: 1, status: "draft", history: "{draft}" },
        { id: 2, status: "live", history: "{draft,live}" },
        { id: 3, status: "draft", history: null },
      ]);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() recreates a reordered enum with its view, CHECK, indexes, policy, function and default`, async () => {
    const db = await make();
    try {
      await start(db, POSTS("draft, live, archived"));
      await db.exec("INSERT INTO public.posts VALUES (1, 'live', '{draft,live}'), (2, 'draft', NULL)");
      const desired = POSTS("archived, live, draft");
      const { file, steps } = await plan(db, desired);
      const ops = steps.map((s) => `${s.phase} ${s.sql.split("\n")[0]}`);
      for (
        const expected of [
          "drop DROP VIEW public.live_posts;",
          "drop DROP POLICY p_visible ON public.posts;",
          "drop DROP INDEX public.ix_posts_live;",
          "drop DROP INDEX public.ix_posts_status;",
          "drop ALTER TABLE public.posts DROP CONSTRAINT posts_not_archived;",
          "drop DROP FUNCTION public.is_live(public.status);",
          "pre ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;",
          "pre ALTER TABLE public.posts ALTER COLUMN status TYPE text USING status::text;",
          "pre ALTER TABLE public.posts ALTER COLUMN history TYPE text[] USING history::text[];",
          "pre DROP TYPE public.status;",
          "pre CREATE TYPE public.status AS ENUM ('archived', 'live', 'draft');",
          "post ALTER TABLE public.posts ALTER COLUMN status TYPE public.status USING status::public.status;",
          "post ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::public.status;",
          "post CREATE VIEW public.live_posts AS",
        ]
      ) assert.ok(ops.includes(expected), `${expected}\nnot in\n${ops.join("\n")}`);
      const before = ops.indexOf.bind(ops);
      assert.ok(
        before("pre DROP TYPE public.status;") <
          before("pre CREATE TYPE public.status AS ENUM ('archived', 'live', 'draft');"),
      );
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await labels(db, "public.status"), ["archived", "live", "draft"]);
      assert.deepEqual(await db.query("SELECT id, status::text FROM public.posts ORDER BY posts.status, id"), [
        { id: 1, status: "live" },
        { id: 2, status: "draft" },
      ]);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() casts a column leaving an enum through text`, async () => {
    const db = await make();
    try {
      await start(db, PEOPLE("sad, happy"));
      await db.exec("INSERT INTO public.people VALUES (1, 'happy')");
      const desired = PEOPLE("sad, happy").replace("{ name: mood, type: mood }", "{ name: mood, type: Text }");
      const { file, steps } = await plan(db, desired);
      assert.deepEqual(steps.map((s) => s.sql), [
        "ALTER TABLE public.people ALTER COLUMN mood TYPE text USING mood::text;",
      ]);
      const r = await apply(db, file);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      await assertConverged(db, desired);
    } finally {
      await db.drop();
    }
  });
}

Deno.test("[server] plan() refuses to recreate an enum a domain rests on", async () => {
  const db = await ENGINES[0][1]();
  try {
    await db.exec(`CREATE TYPE public.e AS ENUM ('a', 'b');
      CREATE DOMAIN public.d AS public.e;
      CREATE TABLE public.t (id int PRIMARY KEY, v public.d);`);
    const to = await tempFile(
      "to.sql",
      `CREATE TYPE public.e AS ENUM ('b', 'a');
       CREATE DOMAIN public.d AS public.e;
       CREATE TABLE public.t (id int PRIMARY KEY, v public.d);`,
    );
    const r = await cli(["plan", "--from", db.url, "--to", to]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /Cannot recreate an enum type that these rest on: public\.d/);
  } finally {
    await db.drop();
  }
});

Deno.test("readMigration() refuses a migration whose commit boundary was moved or removed", async () => {
  const e = (values: string[]) => ({
    kind: "enum" as const,
    id: "type:public.e",
    schema: "public",
    name: "e",
    values,
  });
  const table = { kind: "table" as const, id: "table:public.t", schema: "public", name: "t" };
  const p = await buildPlan(snapshotOf([e(["a"])], ["public"]), snapshotOf([e(["a", "b"]), table], ["public"]));
  assert.deepEqual(p.commits?.map((c) => c.after), [1]);
  const text = await writeMigration(p, { allowDestructive: false });
  const m = await readMigration(text, "m.sql");
  assert.deepEqual(m.commits, p.commits);
  const marker = text.split("\n").find((l) => l.startsWith("-- [commit] "))!;
  for (
    const edited of [
      text.replace(marker + "\n", ""),
      text.replace(marker, marker.replace(/.$/, (c) => c === "0" ? "1" : "0")),
    ]
  ) {
    await assert.rejects(readMigration(edited, "m.sql"), (err: unknown) => {
      assert.ok(err instanceof PgcError);
      assert.equal(err.code, "migration_tampered");
      return true;
    });
  }
});

Deno.test("loadSchemaYaml() reports renamedValues that do not fit the enum's values, at their line", () => {
  const yaml = `enums:
  - name: tier
    values: [basic, pro]
    renamedValues:
      free: premium
      pro: basic
`;
  assert.throws(() => loadSchemaYaml(yaml, "schema.yaml"), (err: unknown) => {
    assert.ok(err instanceof PgcError);
    assert.equal(err.code, "yaml_invalid");
    assert.deepEqual(err.problems.map((p) => `${formatRef(p.at!)}: ${p.message}`), [
      'schema.yaml:5:13: enum "tier" renames "free" to "premium", which is not one of its values',
      'schema.yaml:6:7: enum "tier" renames "pro", which is still one of its values',
    ]);
    return true;
  });
});

Deno.test("[server] plan() recreates an enum under a primary key and the foreign key that references it", async () => {
  const db = await ENGINES[0][1]();
  try {
    const schema = (labels: string) =>
      `CREATE TYPE public.kind AS ENUM (${labels});
       CREATE TABLE public.kinds (k public.kind PRIMARY KEY, label text);
       CREATE TABLE public.items (id int PRIMARY KEY, k public.kind REFERENCES public.kinds (k));`;
    await db.exec(schema("'a', 'b', 'c'"));
    await db.exec("INSERT INTO public.kinds VALUES ('a', 'A'), ('c', 'C'); INSERT INTO public.items VALUES (1, 'c')");
    const to = await tempFile("to.sql", schema("'c', 'b', 'a'"));
    const file = to.replace(/to\.sql$/, "migration.sql");
    const planned = await cli(["plan", "--from", db.url, "--to", to, "-o", file]);
    assert.equal(planned.code, 0, planned.stderr);
    const r = await apply(db, file);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(await db.query("SELECT k::text FROM public.kinds ORDER BY kinds.k"), [{ k: "c" }, { k: "a" }]);
    const again = await cli(["plan", "--from", db.url, "--to", to, "--format", "json"]);
    assert.deepEqual(JSON.parse(again.stdout).steps, []);
  } finally {
    await db.drop();
  }
});
