/**
 * The search path catalog reads run under.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";

/**
 * Run `read` with `search_path = pg_catalog` and `jit = off` (both restored afterwards).
 * PostgreSQL then prints every user object it names schema-qualified, whatever the session's path
 * was; and no catalog query, whose plan grows with the schema, spends a second compiling itself
 * (measured: the census of 1,000 tables crossed `jit_above_cost` and spent 1.25 s in JIT to save
 * nothing).
 */
export async function withCatalogPath<T>(db: Queryable, read: () => Promise<T>): Promise<T> {
  const [{ path, jit }] = await db.query<{ path: string; jit: string }>(
    "SELECT current_setting('search_path') AS path, current_setting('jit') AS jit",
  );
  await db.query("SELECT set_config('search_path', 'pg_catalog', false), set_config('jit', 'off', false)");
  try {
    return await read();
  } finally {
    await db.query("SELECT set_config('search_path', $1, false), set_config('jit', $2, false)", [path, jit]);
  }
}
