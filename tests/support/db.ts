/**
 * Test databases: each test makes its own database on the real server (127.0.0.1:5432, or
 * `PGCONVERGE_TEST_URL`) or an embedded PGlite one, and drops it afterwards. Server tests never
 * skip: when the server is unreachable they fail, so CI cannot pass without running them.
 */
import postgres from "postgres";
import { openDatabase } from "../../src/db/open.ts";
import type { Queryable } from "../../src/db/queryable.ts";

/** Admin URL of the test server. */
export const SERVER_URL: string = Deno.env.get("PGCONVERGE_TEST_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** A database made for one test. */
export interface TestDb {
  /** Connection URL (`postgres://…` or `pglite:…`). */
  url: string;
  /** Engine. */
  engine: "server" | "pglite";
  /** Run SQL against it through a short-lived session. */
  exec(sql: string): Promise<void>;
  /** Run a query and return rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drop it. */
  drop(): Promise<void>;
}

function withDb(url: string) {
  return async <T>(f: (db: Queryable) => Promise<T>): Promise<T> => {
    const db = await openDatabase(url);
    try {
      return await f(db);
    } finally {
      await db.close();
    }
  };
}

/** Create a fresh database on the test server. */
export async function serverDb(): Promise<TestDb> {
  const name = `pgc_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const use = withDb(url);
  return {
    url,
    engine: "server",
    exec: (sql) => use((db) => db.exec(sql)),
    query: (sql, params) => use((db) => db.query(sql, params)),
    async drop() {
      const a = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Create a fresh embedded database in a temporary directory. */
export async function pgliteDb(): Promise<TestDb> {
  const dir = await Deno.makeTempDir({ prefix: "pgc_pglite_" });
  const url = `pglite:${dir}`;
  const use = withDb(url);
  return {
    url,
    engine: "pglite",
    exec: (sql) => use((db) => db.exec(sql)),
    query: (sql, params) => use((db) => db.query(sql, params)),
    async drop() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Both engines, for tests that must hold on each: `[["server", serverDb], ["pglite", pgliteDb]]`. */
export const ENGINES: Array<["server" | "pglite", () => Promise<TestDb>]> = [
  ["server", serverDb],
  ["pglite", pgliteDb],
];
