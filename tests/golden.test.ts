/**
 * Golden files: `snapshots/render/<case>/schema.yaml` → `snapshot.sql` (the canonical DDL), and
 * `snapshots/plan/<case>/from.(yaml|sql)` + `to.yaml` → `migration.sql`. They are plain SQL a
 * reviewer reads. `deno task golden:update` rewrites them; read the diff before committing.
 */
import assert from "node:assert/strict";
import { writeMigration } from "../src/migration/write.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { renderSnapshotSql } from "../src/render/snapshot_sql.ts";
import { openShadow } from "../src/shadow/shadow.ts";
import { loadYamlSource, parseSource, resolvePair } from "../src/source/source.ts";
import { cli } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

const ROOT = new URL("../snapshots/", import.meta.url).pathname;
const UPDATE = Deno.env.get("PGCONVERGE_UPDATE_GOLDEN") === "1";

function cases(kind: string): string[] {
  return [...Deno.readDirSync(`${ROOT}${kind}`)].filter((e) => e.isDirectory).map((e) => e.name).sort();
}

async function compare(path: string, actual: string): Promise<void> {
  if (UPDATE) {
    await Deno.writeTextFile(path, actual);
    return;
  }
  const expected = await Deno.readTextFile(path).catch(() => "(missing: run deno task golden:update)");
  assert.equal(actual, expected, `${path} differs from what pgconverge produces now`);
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("[pglite] golden: render gives the reviewed canonical snapshot", async (t) => {
  const shadow = openShadow();
  try {
    for (const name of cases("render")) {
      await t.step(name, async () => {
        const dir = `${ROOT}render/${name}`;
        const { snapshot } = await loadYamlSource(`${dir}/schema.yaml`, shadow);
        await compare(`${dir}/snapshot.sql`, renderSnapshotSql(snapshot));
      });
    }
  } finally {
    await shadow.close();
  }
});

Deno.test("[pglite] golden: plan from → to gives the reviewed migration", async (t) => {
  const shadow = openShadow();
  try {
    for (const name of cases("plan")) {
      await t.step(name, async () => {
        const dir = `${ROOT}plan/${name}`;
        const from = exists(`${dir}/from.sql`) ? `${dir}/from.sql` : `${dir}/from.yaml`;
        const pair = await resolvePair(parseSource(from), parseSource(`${dir}/to.yaml`), shadow);
        const plan = await buildPlan(pair.from, pair.to, pair.renames);
        const text = await writeMigration(plan, { allowDestructive: plan.steps.some((s) => s.destructive) });
        await compare(`${dir}/migration.sql`, text);
      });
    }
  } finally {
    await shadow.close();
  }
});

Deno.test("[server] golden migrations apply to a database holding `from` and converge to `to`", async (t) => {
  for (const name of cases("plan")) {
    await t.step(name, async () => {
      const dir = `${ROOT}plan/${name}`;
      const db = await serverDb();
      try {
        if (exists(`${dir}/from.sql`)) await db.exec(await Deno.readTextFile(`${dir}/from.sql`));
        else assert.equal((await cli(["migrate", "--schema", `${dir}/from.yaml`, "--db", db.url])).code, 0);
        const applied = await cli(["apply", `${dir}/migration.sql`, "--db", db.url]);
        assert.equal(applied.code, 0, applied.stderr);
        const drift = await cli(["drift", "--schema", `${dir}/to.yaml`, "--db", db.url]);
        assert.equal(drift.code, 0, drift.stdout + drift.stderr);
      } finally {
        await db.drop();
      }
    });
  }
});
