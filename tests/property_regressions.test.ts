/**
 * Bugs the generated-schema properties (property.test.ts, property_kinds.test.ts) found, pinned
 * as plain tests so they stay fixed whatever the generators produce next.
 */
import assert from "node:assert/strict";
import { loadSqlSource, openDatabase, openShadow } from "../mod.ts";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES } from "./support/db.ts";

Deno.test("[pglite] a .sql source that creates a bundled extension loads in the embedded shadow", async () => {
  // A canonical snapshot file starts with CREATE EXTENSION; the embedded shadow had not been
  // started with the extension's bundle, so the file of a schema using citext did not load.
  const file = await tempFile(
    "snapshot.sql",
    "CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE public.t (id integer NOT NULL, email public.citext);\n",
  );
  const shadow = openShadow();
  try {
    const snap = (await loadSqlSource(file, shadow)).snapshot;
    const email = snap.objects.get("column:public.t.email");
    assert.equal(email?.kind === "column" ? email.type : undefined, "public.citext");
  } finally {
    await shadow.close();
  }
});

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a database using an extension it does not declare dumps to a file that loads and plans to zero`, async () => {
    // Without a schema.yaml naming it, the extension was not read: the live DDL did not load in
    // the shadow (type citext missing), so the live side kept its server's own printing (a PG 15
    // view then differed from the same view printed by PGlite), and `dump` wrote a file that
    // does not load.
    const db = await make();
    try {
      // An embedded database can create citext only when started with its bundle.
      const setup = await openDatabase(db.url, { extensions: ["citext"] });
      try {
        await setup.exec(`
          CREATE EXTENSION citext;
          CREATE TABLE t (id int PRIMARY KEY, email citext, n int);
          CREATE VIEW v AS SELECT id, n FROM t WHERE n > 0;
        `);
      } finally {
        await setup.close();
      }
      const dumped = await cli(["dump", "--db", db.url]);
      assert.equal(dumped.code, 0, dumped.stderr);
      assert.match(dumped.stdout, /^CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;$/m);
      const file = await tempFile("dump.sql", dumped.stdout);
      const plan = await cli(["plan", "--from", db.url, "--to", file, "--format", "json"]);
      assert.equal(plan.code, 0, plan.stderr);
      assert.deepEqual(JSON.parse(plan.stdout).steps, []);
    } finally {
      await db.drop();
    }
  });
}
