/**
 * Bugs the generated-schema properties (property.test.ts, property_kinds.test.ts) found, pinned
 * as plain tests so they stay fixed whatever the generators produce next.
 */
import assert from "node:assert/strict";
import { loadSqlSource, openShadow } from "../mod.ts";
import { tempFile } from "./support/cli.ts";

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
