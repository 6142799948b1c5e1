/** `--shadow-url`: canonicalise in a scratch server database instead of embedded PGlite. */
import assert from "node:assert/strict";
import { cli } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

const V1 = new URL("../examples/outage/v1.yaml", import.meta.url).pathname;
const V2 = new URL("../examples/outage/v2.yaml", import.meta.url).pathname;

Deno.test("[server] --shadow-url plans through a server shadow and leaves it empty", async () => {
  const live = await serverDb();
  const shadow = await serverDb();
  try {
    const migrated = await cli(["migrate", "--schema", V1, "--db", live.url, "--shadow-url", shadow.url]);
    assert.equal(migrated.code, 0, migrated.stderr);
    const planned = await cli([
      "plan",
      "--schema",
      V2,
      "--db",
      live.url,
      "--shadow-url",
      shadow.url,
      "--format",
      "json",
    ]);
    assert.equal(planned.code, 0, planned.stderr);
    assert.deepEqual(
      JSON.parse(planned.stdout).steps.map((s: { op: string }) => s.op),
      ["drop_constraint", "add_constraint"],
    );
    const left = await shadow.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );
    assert.equal(left[0].n, 0);
  } finally {
    await live.drop();
    await shadow.drop();
  }
});

Deno.test("[server] --shadow-url refuses a database that holds tables", async () => {
  const live = await serverDb();
  const shadow = await serverDb();
  try {
    await shadow.exec("CREATE TABLE precious (id int); INSERT INTO precious VALUES (1)");
    const r = await cli(["plan", "--schema", V1, "--db", live.url, "--shadow-url", shadow.url]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /shadow database .* is not empty/);
    assert.equal((await shadow.query<{ n: number }>("SELECT count(*)::int AS n FROM precious"))[0].n, 1);
  } finally {
    await live.drop();
    await shadow.drop();
  }
});

Deno.test("[server] migrate accepts DataProviderMigrate's --output CONN and --provider postgres", async () => {
  const live = await serverDb();
  try {
    const u = new URL(live.url);
    const conn = `Host=${u.hostname};Port=${u.port};Database=${u.pathname.slice(1)};Username=${u.username}`;
    const r = await cli(["migrate", "--schema", V1, "--output", conn, "--provider", "postgres"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ADD CONSTRAINT usage_events_kind_check CHECK/);
    assert.match(r.stdout, /Converged/);
    const other = await cli(["migrate", "--schema", V1, "--output", conn, "--provider", "sqlserver"]);
    assert.equal(other.code, 2);
  } finally {
    await live.drop();
  }
});
