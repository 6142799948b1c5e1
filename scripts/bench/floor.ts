/**
 * What any cold `plan` that has PostgreSQL print the desired schema must spend at least, on this
 * machine, with the embedded shadow: parse the schema.yaml, boot PGlite from its template, and
 * create the tables with their columns and defaults (the least DDL that lets PostgreSQL print the
 * column types and defaults). Measured next to the same work for every statement pgconverge loads
 * (keys, CHECKs, indexes, foreign keys), once; the real pipeline also prints a second time (see
 * src/shadow/canonicalize.ts). The numbers show how far a target ratio to pg_dump is reachable by
 * making pgconverge's own code faster, and how much only a design that loads less could win.
 *
 * Run as main (a fresh process): `deno run -A scripts/bench/floor.ts SCHEMA.yaml` prints one
 * JSON {@link FloorReport}. Point PGCONVERGE_CACHE_DIR at a directory holding the PGlite template.
 * @module
 */
import { openDatabase } from "../../src/db/open.ts";
import { renderSchemaDdl } from "../../src/render/schema_ddl.ts";
import { loadStatements } from "../../src/shadow/load.ts";
import { loadSchemaYaml } from "../../src/yaml/load.ts";
import { ensureSqlParser } from "../../src/model/sql_parser.ts";

/** Wall times, ms, of the least work a PostgreSQL-printed canonical form needs. */
export interface FloorReport {
  /** Parse and validate the schema.yaml and render its DDL. */
  parseMs: number;
  /** Boot PGlite from the cached template. */
  bootMs: number;
  /** Load only the CREATE TABLE statements (columns, types, defaults) into that PGlite. */
  tablesMs: number;
  /** Load every statement of the rendered DDL into a second fresh PGlite, once. */
  allMs: number;
  /** Statements: CREATE TABLE, and all. */
  statements: { tables: number; all: number };
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

/** Measure the floor for the schema.yaml at `path`. */
export async function measureFloor(path: string): Promise<FloorReport> {
  const text = await Deno.readTextFile(path);
  await ensureSqlParser();
  const [ddl, parseMs] = await timed(() => renderSchemaDdl(loadSchemaYaml(text, path)));
  const tables = ddl.statements.filter((s) => s.sql.startsWith("CREATE TABLE "));
  const [db, bootMs] = await timed(() => openDatabase("pglite:memory"));
  let tablesMs: number;
  try {
    [, tablesMs] = await timed(() => loadStatements(db, tables));
  } finally {
    await db.close();
  }
  const other = await openDatabase("pglite:memory");
  let allMs: number;
  try {
    [, allMs] = await timed(() => loadStatements(other, ddl.statements));
  } finally {
    await other.close();
  }
  return { parseMs, bootMs, tablesMs, allMs, statements: { tables: tables.length, all: ddl.statements.length } };
}

if (import.meta.main) {
  const [path] = Deno.args;
  if (!path) {
    console.error("usage: floor.ts SCHEMA.yaml");
    Deno.exit(2);
  }
  console.log(JSON.stringify(await measureFloor(path)));
}
