/**
 * The one small interface every database adapter implements, so introspection, shadow loading
 * and apply run unchanged against a PostgreSQL server or embedded PGlite.
 * @module
 */

/** A row as returned by a catalog query. */
export type Row = Record<string, unknown>;

/** A single database session (one connection: transactions span calls). */
export interface Queryable {
  /** Run one statement with optional `$n` parameters and return its rows. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run one or more statements with no parameters (simple protocol). */
  exec(sql: string): Promise<void>;
  /** Close the session; safe to call twice. */
  close(): Promise<void>;
  /** `server` or `pglite`. */
  readonly engine: "server" | "pglite";
  /** A printable name for messages: a URL without its password, or `pglite:…`. */
  readonly label: string;
}

/** The server's major version (`server_version_num / 10000`). */
export async function majorVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Math.floor(Number(row.v) / 10000);
}
