/**
 * Property tests (fast-check) over generated schema.yaml files: diff(s, s) is empty, the
 * canonical snapshot is a fixed point, a migrated database plans empty, apply(plan(a → b))
 * converges to b, and input order does not matter.
 *
 * Runs are few (each costs shadow work) and the seed is fixed so a failure reproduces; set
 * PGCONVERGE_PROPERTY_SEED (and PGCONVERGE_PROPERTY_RUNS) to explore other inputs. A failure
 * prints the (shrunk) YAML.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import {
  buildPlan,
  fingerprint,
  liveSnapshot,
  loadSqlSource,
  loadYamlSource,
  openDatabase,
  renderSnapshotSql,
} from "../mod.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { schemaModelArb, schemaPairArb, schemaYamlArb, shuffledObject, toYaml } from "./support/arbitraries.ts";
import { serverDb } from "./support/db.ts";
import { about, holds, migrate, planFromDb, renderByName, stepsText, withPool } from "./support/property_harness.ts";
import { insertDefaultRows, rowCounts } from "./support/property_harness.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

/** Counterexamples found before, run first every time (as plain YAML, like the generated ones). */
const KNOWN_YAML: string[] = [
  // Two long columns whose `<table>_<column>_check` names cut to the same 63 bytes: PostgreSQL
  // names the second `…_check1`; pgconverge collided and failed.
  `tables:
  - name: customer_subscription_billing_events_archive_v2
    columns:
      - name: subscription_renewal_reminder_sent_at
        type: Int
        checkConstraint: subscription_renewal_reminder_sent_at IN (-5)
      - name: subscription_renewal_reminder_sent_at_2
        type: VarChar(4)
        checkConstraint: subscription_renewal_reminder_sent_at_2 IN ('a')
`,
  // A serial column whose sequence name PostgreSQL cuts to 63 bytes: it was not read back as
  // serial, so the snapshot named a sequence that its own SQL does not create.
  `tables:
  - name: customer_subscription_billing_events_archive_v2
    columns:
      - name: id
        type: Int
        isIdentity: true
      - name: subscription_renewal_reminder_sent_at
        type: Int
        isIdentity: true
    primaryKey:
      columns: [id]
`,
];

Deno.test("[pglite] diff(s, s) is empty for generated schema.yaml files", async () => {
  await withPool(async (pool, files) => {
    await holds(schemaYamlArb, 20, (yaml) =>
      about({ "schema.yaml": yaml }, async () => {
        const path = await files.write("yaml", yaml);
        // Two views: both loads go through the shadow, neither is served from the cache.
        const a = await loadYamlSource(path, pool.view("a"));
        const b = await loadYamlSource(path, pool.view("b"));
        const plan = await buildPlan(a.snapshot, b.snapshot);
        assert.equal(plan.steps.length, 0, `diff(s, s) planned:\n${stepsText(plan)}`);
        assert.equal(plan.from, plan.to);
      }), KNOWN_YAML);
  });
});

Deno.test("[pglite] canonicalisation is idempotent: a snapshot's SQL loads back to the same bytes", async () => {
  await withPool(async (pool, files) => {
    const shadow = pool.view("canon");
    await holds(schemaYamlArb, 20, (yaml) =>
      about({ "schema.yaml": yaml }, async () => {
        const once = (await loadYamlSource(await files.write("yaml", yaml), shadow)).snapshot;
        const sql = renderSnapshotSql(once);
        const twice = (await loadSqlSource(await files.write("sql", sql), shadow)).snapshot;
        assert.equal(renderSnapshotSql(twice), sql, "render(canon(canon(x))) differs from render(canon(x))");
        assert.equal(await fingerprint(twice), await fingerprint(once));
        const plan = await buildPlan(once, twice);
        assert.equal(plan.steps.length, 0, `canon(x) → canon(canon(x)) planned:\n${stepsText(plan)}`);
      }), KNOWN_YAML);
  });
});

Deno.test("[server] a database migrated to a generated schema plans empty, from the YAML and from its .sql snapshot", async () => {
  await withPool(async (pool, files) => {
    const shadow = pool.view("server-empty");
    await holds(schemaYamlArb, 15, (yaml) =>
      about({ "schema.yaml": yaml }, async () => {
        const yamlPath = await files.write("yaml", yaml);
        const desired = (await loadYamlSource(yamlPath, shadow)).snapshot;
        const sqlPath = await files.write("sql", renderSnapshotSql(desired));
        const db = await serverDb();
        try {
          const first = await migrate(db.url, { kind: "yaml", path: yamlPath }, shadow);
          assert.ok(first.steps.length > 0, "an empty database needs statements to reach the schema");
          const again = await planFromDb(db.url, { kind: "yaml", path: yamlPath }, shadow);
          assert.equal(again.steps.length, 0, `plan after migrate (from the YAML):\n${stepsText(again)}`);
          const vsSql = await planFromDb(db.url, { kind: "sql", path: sqlPath }, shadow);
          assert.equal(vsSql.steps.length, 0, `plan after migrate (from the .sql snapshot):\n${stepsText(vsSql)}`);
        } finally {
          await db.drop();
        }
      }), KNOWN_YAML);
  });
});

Deno.test("[server] apply(plan(a → b)) converges to b for generated pairs, keeping the rows", async () => {
  await withPool(async (pool, files) => {
    const shadow = pool.view("server-converge");
    await holds(schemaPairArb, 20, (pair) => {
      const a = toYaml(pair.a);
      const b = toYaml(pair.b);
      return about({ changes: pair.changes.join("\n"), "a.yaml": a, "b.yaml": b }, async () => {
        const aPath = await files.write("yaml", a);
        const bPath = await files.write("yaml", b);
        const db = await serverDb();
        try {
          await migrate(db.url, { kind: "yaml", path: aPath }, shadow);
          const rows = await insertDefaultRows(db.url, pair.a);
          await migrate(db.url, { kind: "yaml", path: bPath }, shadow);
          const desired = (await loadYamlSource(bPath, shadow)).snapshot;
          const conn = await openDatabase(db.url);
          try {
            const live = await liveSnapshot(conn, shadow, desired.schemas);
            // Column order is not part of the model's comparison (ADD COLUMN appends), so the
            // readable comparison prints both with columns by name; the fingerprint is the verdict.
            assert.equal(renderByName(live), renderByName(desired), "the live schema is not b");
            assert.equal(await fingerprint(live), await fingerprint(desired));
            assert.deepEqual(await rowCounts(conn, pair.b), rows, "apply lost or added rows");
          } finally {
            await conn.close();
          }
          const again = await planFromDb(db.url, { kind: "yaml", path: bPath }, shadow);
          assert.equal(again.steps.length, 0, `replanning after apply:\n${stepsText(again)}`);
        } finally {
          await db.drop();
        }
      });
    });
  });
});

Deno.test("[pglite] rendering ignores the order of tables, constraint lists and keys", async () => {
  await withPool(async (pool, files) => {
    const shadow = pool.view("order");
    await holds(fc.tuple(schemaModelArb, fc.integer()), 15, ([model, seed]) => {
      const yaml = toYaml(model);
      const shuffled = stringify(shuffledObject(model, seed));
      return about({ "schema.yaml": yaml, "shuffled.yaml": shuffled }, async () => {
        // Pure: the same statements (in another order) and the same unnamed FKs.
        const ddl = renderSchemaDdl(loadSchemaYaml(yaml, "schema.yaml"));
        const ddl2 = renderSchemaDdl(loadSchemaYaml(shuffled, "schema.yaml"));
        const sorted = (xs: string[]) => [...xs].sort();
        assert.deepEqual(sorted(ddl2.statements.map((s) => s.sql)), sorted(ddl.statements.map((s) => s.sql)));
        assert.deepEqual(ddl2.autoNamedForeignKeys, ddl.autoNamedForeignKeys);
        assert.deepEqual(ddl2.schemas, ddl.schemas);
        // Through the shadow: the same canonical snapshot.
        const one = (await loadYamlSource(await files.write("yaml", yaml), shadow)).snapshot;
        const two = (await loadYamlSource(await files.write("yaml", shuffled), shadow)).snapshot;
        assert.equal(renderSnapshotSql(two), renderSnapshotSql(one));
        assert.equal(await fingerprint(two), await fingerprint(one));
      });
    });
  });
});
