/**
 * The benchmark's databases on the real server, and the `pg_dump --schema-only` baseline.
 * @module
 */
import postgres from "postgres";
import { quoteIdent } from "../../src/model/quote.ts";

/** Admin URL of the server (the same variable the tests honour). */
export const ADMIN_URL: string = Deno.env.get("PGCONVERGE_TEST_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** A database made for one benchmark size. */
export interface BenchDb {
  /** Database name. */
  name: string;
  /** Connection URL. */
  url: string;
}

async function admin(sql: string): Promise<void> {
  const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await a.unsafe(sql);
  } finally {
    await a.end();
  }
}

/** Create an empty database named after the size, with a random suffix so runs never collide. */
export async function createBenchDb(tables: number): Promise<BenchDb> {
  const name = `pgc_bench_${tables}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
  await admin(`CREATE DATABASE ${quoteIdent(name)}`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return { name, url: u.toString() };
}

/** Create a dropped benchmark database again, empty, under the same name. */
export async function recreateBenchDb(db: BenchDb): Promise<void> {
  await admin(`CREATE DATABASE ${quoteIdent(db.name)}`);
}

/** Drop a benchmark database, even while a crashed run still holds a session on it. */
export async function dropBenchDb(db: BenchDb): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${quoteIdent(db.name)} WITH (FORCE)`);
}

/** Wall-clock milliseconds of one `pg_dump --schema-only` of the database (output discarded). */
export async function timePgDump(db: BenchDb, pgDump = "/usr/bin/pg_dump"): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(pgDump, {
    args: ["--schema-only", "--no-owner", "-f", "/dev/null", "-d", db.url],
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`pg_dump failed: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}
