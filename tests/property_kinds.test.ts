/**
 * Property tests over generated schema.yaml files holding every object kind (kinds_arbitraries.ts:
 * enums, domains, sequences, functions in a CHECK and a default, triggers, views and materialized
 * views, row-level security and policies, roles, grants, extensions) on top of generated tables:
 * diff(s, s) is empty from the YAML, from a database after apply and from the snapshot file;
 * canonicalisation is idempotent; apply(plan(a → b)) converges for pairs that change these kinds.
 *
 * Seeds are fixed (PGCONVERGE_PROPERTY_SEED / PGCONVERGE_PROPERTY_RUNS explore others). On the
 * server, every run gives its roles a unique prefix and drops them afterwards.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  buildPlan,
  fingerprint,
  liveSnapshot,
  loadSqlSource,
  loadYamlSource,
  openDatabase,
  renderSnapshotSql,
} from "../mod.ts";
import type { Snapshot } from "../src/model/snapshot.ts";
import { ensureRolesSql } from "../src/render/policy_sql.ts";
import { ENGINES, SERVER_URL, type TestDb } from "./support/db.ts";
import {
  kindsPairArb,
  type KindsSchema,
  kindsSchemaArb,
  kindsYaml,
  ROLE_TOKEN,
  rolesUsed,
} from "./support/kinds_arbitraries.ts";
import {
  about,
  type Files,
  holds,
  migrate,
  planFromDb,
  renderByName,
  type ShadowPool,
  stepsText,
  withPool,
} from "./support/property_harness.ts";
import { insertDefaultRows, rowCounts } from "./support/property_harness.ts";

/** Run counts per engine: server databases are cheap, embedded ones boot PGlite for each run. */
const RUNS = { yaml: 12, server: 10, pglite: 4 };

/** Role names of one run: on the server a unique prefix (roles are cluster-wide), else the token. */
function roleScope(db: TestDb): { yaml: (m: KindsSchema) => string; cleanup: () => Promise<void> } {
  if (db.engine !== "server") return { yaml: kindsYaml, cleanup: () => Promise.resolve() };
  const prefix = `${ROLE_TOKEN}${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}_`;
  return {
    yaml: (m) => kindsYaml(m).replaceAll(ROLE_TOKEN, prefix),
    async cleanup() {
      const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
      try {
        const roles = await admin<
          { r: string }[]
        >`SELECT rolname AS r FROM pg_roles WHERE starts_with(rolname, ${prefix})`;
        for (const { r } of roles) await admin.unsafe(`DROP ROLE IF EXISTS "${r}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * The canonical snapshot file of a desired schema, as a `.sql` source: its roles are listed as
 * comments (they are cluster-wide), so the file is preceded by what makes them exist, as a user
 * loading it would have to.
 */
async function snapshotFile(files: Files, desired: Snapshot, roles: string[]): Promise<string> {
  const ensure = ensureRolesSql(roles);
  return await files.write("sql", `${ensure === undefined ? "" : `${ensure};\n`}${renderSnapshotSql(desired)}`);
}

/** The role names a YAML text of `m` uses. */
function roleNames(yaml: string, m: KindsSchema): string[] {
  return rolesUsed(m.kinds).map((r) => {
    const match = yaml.match(new RegExp(`(${ROLE_TOKEN}[a-z0-9_]*${r})\\b`));
    return match ? match[1] : `${ROLE_TOKEN}${r}`;
  });
}

Deno.test("[pglite] diff(s, s) is empty for generated schemas holding every kind", async () => {
  await withPool(async (pool, files) => {
    await holds(kindsSchemaArb, RUNS.yaml, (m) => {
      const yaml = kindsYaml(m);
      return about({ "schema.yaml": yaml }, async () => {
        const path = await files.write("yaml", yaml);
        const a = await loadYamlSource(path, pool.view("kinds-a"));
        const b = await loadYamlSource(path, pool.view("kinds-b"));
        const plan = await buildPlan(a.snapshot, b.snapshot);
        assert.equal(plan.steps.length, 0, `diff(s, s) planned:\n${stepsText(plan)}`);
        assert.equal(plan.from, plan.to);
      });
    });
  });
});

Deno.test("[pglite] canonicalisation of every kind is idempotent: the snapshot file loads back to the same bytes", async () => {
  await withPool(async (pool, files) => {
    const shadow = pool.view("kinds-canon");
    await holds(kindsSchemaArb, RUNS.yaml, (m) => {
      const yaml = kindsYaml(m);
      return about({ "schema.yaml": yaml }, async () => {
        const once = (await loadYamlSource(await files.write("yaml", yaml), shadow)).snapshot;
        const path = await snapshotFile(files, once, roleNames(yaml, m));
        const twice = (await loadSqlSource(path, shadow)).snapshot;
        // A .sql source carries no roles, grants or extensions (nothing says which are its own).
        const access = new Set(["role", "grant", "extension"]);
        const noAccess = { ...once, objects: new Map([...once.objects].filter(([, o]) => !access.has(o.kind))) };
        delete noAccess.manages;
        assert.equal(renderSnapshotSql(twice), renderSnapshotSql(noAccess), "canon(canon(x)) differs from canon(x)");
        const plan = await buildPlan(noAccess, twice);
        assert.equal(plan.steps.length, 0, `canon(x) → canon(canon(x)) planned:\n${stepsText(plan)}`);
      });
    });
  });
});

/** Migrate a fresh database to `yaml`, then plan from it to the YAML and to its snapshot file. */
async function plansEmptyAfterApply(
  db: TestDb,
  pool: ShadowPool,
  files: Files,
  yaml: string,
  m: KindsSchema,
): Promise<void> {
  const shadow = pool.view(`kinds-empty-${db.engine}`);
  const yamlPath = await files.write("yaml", yaml);
  const first = await migrate(db.url, { kind: "yaml", path: yamlPath }, shadow);
  assert.ok(first.steps.length > 0, "an empty database needs statements to reach the schema");
  const again = await planFromDb(db.url, { kind: "yaml", path: yamlPath }, shadow);
  assert.equal(again.steps.length, 0, `plan after migrate (from the YAML):\n${stepsText(again)}`);
  const desired = (await loadYamlSource(yamlPath, shadow)).snapshot;
  const sqlPath = await snapshotFile(files, desired, roleNames(yaml, m));
  const vsSql = await planFromDb(db.url, { kind: "sql", path: sqlPath }, shadow);
  assert.equal(vsSql.steps.length, 0, `plan after migrate (from the .sql snapshot):\n${stepsText(vsSql)}`);
}

/** Migrate a fresh database to a, insert rows, migrate to b: it is b, rows kept, and plans empty. */
async function converges(
  db: TestDb,
  pool: ShadowPool,
  files: Files,
  yamls: { a: string; b: string },
  pair: { a: KindsSchema; b: KindsSchema },
): Promise<void> {
  const shadow = pool.view(`kinds-converge-${db.engine}`);
  const aPath = await files.write("yaml", yamls.a);
  const bPath = await files.write("yaml", yamls.b);
  await migrate(db.url, { kind: "yaml", path: aPath }, shadow);
  const rows = await insertDefaultRows(db.url, pair.a.base);
  await migrate(db.url, { kind: "yaml", path: bPath }, shadow);
  const desired = (await loadYamlSource(bPath, shadow)).snapshot;
  const conn = await openDatabase(db.url);
  try {
    const live = await liveSnapshot(conn, shadow, desired.schemas, desired.manages);
    assert.equal(renderByName(live), renderByName(desired), "the live schema is not b");
    assert.equal(await fingerprint(live), await fingerprint(desired));
    assert.deepEqual(await rowCounts(conn, pair.b.base), rows, "apply lost or added rows");
  } finally {
    await conn.close();
  }
  const again = await planFromDb(db.url, { kind: "yaml", path: bPath }, shadow);
  assert.equal(again.steps.length, 0, `replanning after apply:\n${stepsText(again)}`);
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a database migrated to a generated schema with every kind plans empty, from the YAML and its .sql snapshot`, async () => {
    await withPool(async (pool, files) => {
      await holds(kindsSchemaArb, RUNS[engine], async (m) => {
        const db = await make();
        const roles = roleScope(db);
        const yaml = roles.yaml(m);
        try {
          await about({ "schema.yaml": yaml }, () => plansEmptyAfterApply(db, pool, files, yaml, m));
        } finally {
          await db.drop();
          await roles.cleanup();
        }
      });
    });
  });

  Deno.test(`[${engine}] apply(plan(a → b)) converges for generated pairs that change every kind, keeping the rows`, async () => {
    await withPool(async (pool, files) => {
      await holds(kindsPairArb, RUNS[engine], async (pair) => {
        const db = await make();
        const roles = roleScope(db);
        const yamls = { a: roles.yaml(pair.a), b: roles.yaml(pair.b) };
        try {
          await about(
            { changes: pair.changes.join("\n"), "a.yaml": yamls.a, "b.yaml": yamls.b },
            () => converges(db, pool, files, yamls, pair),
          );
        } finally {
          await db.drop();
          await roles.cleanup();
        }
      });
    });
  });
}
