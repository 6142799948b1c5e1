/**
 * The search path catalog reads run under.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";

/**
 * Run `read` with `search_path = pg_catalog` (restored afterwards): PostgreSQL then prints every
 * user object it names schema-qualified, whatever the session's path was.
 */
export async function withCatalogPath<T>(db: Queryable, read: () => Promise<T>): Promise<T> {
  const [{ path }] = await db.query<{ path: string }>("SELECT current_setting('search_path') AS path");
  await db.query("SELECT set_config('search_path', 'pg_catalog', false)");
  try {
    return await read();
  } finally {
    await db.query("SELECT set_config('search_path', $1, false)", [path]);
  }
}
