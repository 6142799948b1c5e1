/** Honest coverage: objects pgconverge does not manage yet are listed, never silently skipped. */
import assert from "node:assert/strict";
import { cli } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

const V1 = new URL("../examples/outage/v1.yaml", import.meta.url).pathname;

Deno.test("[server] drift and plan list unmanaged objects; --strict turns them into exit 4", async () => {
  const db = await serverDb();
  try {
    assert.equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
    await db.exec(`
      CREATE PROCEDURE bump(x int) LANGUAGE sql AS 'SELECT 1';
      CREATE TYPE pair AS (a int, b int);
    `);
    const drift = await cli(["drift", "--schema", V1, "--db", db.url]);
    assert.equal(drift.code, 0, drift.stdout);
    assert.match(drift.stdout, /Not managed by pgconverge, left alone and not compared \(2\)/);
    for (const o of ["composite type public.pair", "procedure public.bump(integer)"]) {
      assert.ok(drift.stdout.includes(o), `${o} missing from:\n${drift.stdout}`);
    }
    const strict = await cli(["drift", "--schema", V1, "--db", db.url, "--strict"]);
    assert.equal(strict.code, 4);
    const plan = await cli(["plan", "--schema", V1, "--db", db.url, "--format", "json"]);
    assert.deepEqual(JSON.parse(plan.stdout).unmanaged, [
      "composite type public.pair",
      "procedure public.bump(integer)",
    ]);
    assert.equal((await cli(["plan", "--schema", V1, "--db", db.url, "--strict"])).code, 4);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] a live table resting on a standalone sequence is compared, the sequence managed too", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE SEQUENCE s; CREATE TABLE t (id int DEFAULT nextval('s'), k text CHECK (k IN ('a', 'b')))");
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(
      `${dir}/desired.sql`,
      "CREATE SEQUENCE s; CREATE TABLE t (id int DEFAULT nextval('s'), k text CHECK (k IN ('a', 'b')), x int);",
    );
    const r = await cli(["plan", "--from", db.url, "--to", `${dir}/desired.sql`, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    assert.deepEqual(plan.steps.map((s: { sql: string }) => s.sql), ["ALTER TABLE public.t ADD COLUMN x integer;"]);
    assert.deepEqual(plan.unmanaged, []);
  } finally {
    await db.drop();
  }
});
