/** `render`, `dump` and `render --check`: one canonical form for a file and a database. */
import assert from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

const SNAPSHOTS = new URL("../snapshots/render/", import.meta.url).pathname;

Deno.test("[server] dump of a database migrated from a schema.yaml is byte-identical to render of it", async () => {
  const db = await serverDb();
  try {
    const schema = `${SNAPSHOTS}dpm_full/schema.yaml`;
    assert.equal((await cli(["migrate", "--schema", schema, "--db", db.url])).code, 0);
    const rendered = await cli(["render", schema]);
    const dumped = await cli(["dump", "--db", db.url, "--schemas", "billing,public"]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.equal(dumped.code, 0, dumped.stderr);
    assert.equal(dumped.stdout, rendered.stdout);
  } finally {
    await db.drop();
  }
});

Deno.test("[pglite] render --check exits 0 on a current snapshot and 4 on a stale one", async () => {
  const schema = `${SNAPSHOTS}outage/schema.yaml`;
  const current = await cli(["render", schema, "--check", `${SNAPSHOTS}outage/snapshot.sql`]);
  assert.equal(current.code, 0, current.stderr);
  const stale = await tempFile(
    "stale.sql",
    (await Deno.readTextFile(`${SNAPSHOTS}outage/snapshot.sql`)).replace("'request'", "'req'"),
  );
  const r = await cli(["render", schema, "--check", stale]);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /is stale/);
  assert.match(r.stderr, /pgconverge render/);
});

Deno.test("[pglite] a canonical snapshot loads back as a source and plans to zero statements against its YAML", async () => {
  const dir = `${SNAPSHOTS}dpm_full`;
  const r = await cli(["plan", "--from", `${dir}/snapshot.sql`, "--to", `${dir}/schema.yaml`, "--exit-code"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /No changes/);
});
