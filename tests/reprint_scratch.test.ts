import assert from "node:assert/strict";
import { openDatabase } from "../src/db/open.ts";
import type { Queryable } from "../src/db/queryable.ts";
import { introspect } from "../src/introspect/introspect.ts";
import { columnId, constraintId, indexId } from "../src/model/ids.ts";
import { qualify, quoteIdent } from "../src/model/quote.ts";
import { objectsOfKind, type Snapshot } from "../src/model/snapshot.ts";
import { loadStatements } from "../src/shadow/load.ts";
import { reprintStatements } from "../src/shadow/reprint.ts";
import { printInScratch, scratchProbe } from "../src/shadow/reprint_scratch.ts";
import { ENGINES } from "./support/db.ts";

/** Forms whose printing depends on types, collations, names and other objects of the schema. */
const SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE FUNCTION is_short(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT length(t) < 10 $$;
CREATE TABLE a (
  id serial PRIMARY KEY,
  code varchar(16) NOT NULL DEFAULT 'x',
  "Kind" varchar(20) CONSTRAINT a_kind CHECK ("Kind" IN ('a', 'b')),
  m mood DEFAULT 'ok',
  n numeric(5,2) DEFAULT -1.5 CONSTRAINT a_n CHECK (n BETWEEN -10 AND 10),
  p posint DEFAULT 1,
  name text COLLATE "C" CONSTRAINT a_name CHECK (name > 'a'),
  t text CONSTRAINT a_t CHECK (is_short(t)),
  ts timestamptz DEFAULT now(),
  flag boolean DEFAULT false CONSTRAINT a_flag CHECK (flag = false OR code ~ '^x')
);
CREATE TABLE b (
  code varchar(32) CONSTRAINT b_code CHECK (code IN ('a', 'b')),
  "Kind" text CONSTRAINT b_kind CHECK ("Kind" IN ('a', 'b')),
  name text COLLATE "C" CONSTRAINT b_name CHECK (name > 'a'),
  m mood DEFAULT 'ok' CONSTRAINT b_m CHECK (m <> 'sad')
);
CREATE TABLE w (x int, CONSTRAINT w_row CHECK (w IS NOT NULL));
CREATE TABLE pt (id int, v int CONSTRAINT pt_v CHECK (v > 0)) PARTITION BY RANGE (id);
CREATE INDEX a_lower ON a (lower(code)) WHERE flag = false;
CREATE INDEX b_lower ON b (lower(code));
CREATE UNIQUE INDEX a_name_x ON a ((name || 'x')) WHERE "Kind" IS NOT NULL;
CREATE INDEX a_upper ON a (upper(name) COLLATE "C");
CREATE INDEX pt_expr ON pt ((v + 1));
`;

/** The second printing done in place for everything: every default set again, every CHECK and index re-created. */
async function inPlace(db: Queryable, first: Snapshot): Promise<Snapshot> {
  const defaults = objectsOfKind(first, "column").filter((c) => c.default !== undefined)
    .map((c) => ({
      sql: `ALTER TABLE ${qualify(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.name)} SET DEFAULT ${c.default}`,
    }));
  await loadStatements(db, [...defaults, ...reprintStatements(first)!]);
  return await introspect(db, { schemas: ["public"] });
}

function textOf(snap: Snapshot, id: string): string | undefined {
  const o = snap.objects.get(id);
  if (o?.kind === "column") return o.default;
  if (o?.kind === "constraint" || o?.kind === "index") return o.definition;
  return undefined;
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] printInScratch() prints every default, CHECK and expression index as re-executing it in place does`, async () => {
    const t = await make();
    const db = await openDatabase(t.url);
    try {
      await db.exec(SCHEMA);
      const first = await introspect(db, { schemas: ["public"] });
      const probe = scratchProbe(first);
      const scratch = await printInScratch(db, probe);
      const second = await inPlace(db, first);
      assert.equal(scratch.size, probe.defaults.size + probe.checks.size + probe.indexes.size);
      // 7 defaults (a serial's is not one), 9 CHECKs, 4 expression indexes.
      assert.equal(scratch.size, 20);
      for (const [id, text] of scratch) assert.equal(text, textOf(second, id), id);
    } finally {
      await db.close();
      await t.drop();
    }
  });
}

Deno.test("scratchProbe() prints each distinct definition once and leaves whole-row and partitioned ones in place", async () => {
  const db = await openDatabase("pglite:memory");
  try {
    await db.exec(SCHEMA);
    const first = await introspect(db, { schemas: ["public"] });
    const probe = scratchProbe(first);
    const check = (table: string, name: string) => probe.checks.get(constraintId("public", table, name));
    // Same text over a column of the same name, type and collation: one scratch CHECK.
    assert.equal(check("a", "a_name"), check("b", "b_name"));
    // Same text, but varchar(20) against text: printed separately.
    assert.notEqual(check("a", "a_kind"), check("b", "b_kind"));
    // Same default ('ok'::mood) on two tables: one scratch column.
    assert.equal(probe.defaults.get(columnId("public", "a", "m")), probe.defaults.get(columnId("public", "b", "m")));
    assert.equal(check("w", "w_row"), undefined);
    assert.equal(check("pt", "pt_v"), undefined);
    assert.equal(probe.indexes.get(indexId("public", "pt_expr")), undefined);
    assert.ok(probe.indexes.has(indexId("public", "a_upper")));
    // What stays in place is exactly what the probe does not cover.
    const elsewhere = new Set([...probe.checks.keys(), ...probe.indexes.keys()]);
    const again = reprintStatements(first, elsewhere)!.map((s) => s.sql).join("\n");
    assert.match(again, /w_row/);
    assert.match(again, /pt_v/);
    assert.match(again, /pt_expr/);
    assert.doesNotMatch(again, /a_name|b_kind|a_lower|SET DEFAULT/);
  } finally {
    await db.close();
  }
});
