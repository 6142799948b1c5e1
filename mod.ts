/**
 * pgconverge: declarative PostgreSQL migrations that cannot lie.
 *
 * As a library: load sources into canonical snapshots, diff, plan, write and apply migrations.
 * Run as main, it is the CLI: `deno run -A mod.ts plan --schema schema.yaml --db URL`.
 *
 * @example
 * ```ts
 * import { buildPlan, openShadow, loadYamlSource } from "./mod.ts";
 * const shadow = openShadow();
 * const { snapshot } = await loadYamlSource("schema.yaml", shadow);
 * await shadow.close();
 * ```
 * @module
 */
import { main as cliMain } from "./src/cli/main.ts";
export { main } from "./src/cli/main.ts";
export { applyMigration } from "./src/apply/apply.ts";
export { runPreflight } from "./src/apply/preflight.ts";
export { openDatabase } from "./src/db/open.ts";
export type { Queryable } from "./src/db/queryable.ts";
export { diff } from "./src/diff/diff.ts";
export { introspect } from "./src/introspect/introspect.ts";
export { EXIT, PgcError } from "./src/model/errors.ts";
export { fingerprint } from "./src/model/fingerprint.ts";
export type { Snapshot } from "./src/model/snapshot.ts";
export { readMigration } from "./src/migration/read.ts";
export { writeMigration } from "./src/migration/write.ts";
export { buildPlan } from "./src/plan/plan.ts";
export { pullSchema } from "./src/pull/pull.ts";
export { renderSnapshotSql } from "./src/render/snapshot_sql.ts";
export { openShadow } from "./src/shadow/shadow.ts";
export { liveSnapshot, loadSqlSource, loadYamlSource, parseSource, resolvePair } from "./src/source/source.ts";
export { loadSchemaYaml } from "./src/yaml/load.ts";

if (import.meta.main) Deno.exit(await cliMain(Deno.args));
