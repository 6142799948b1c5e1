/** Open a database from a `--db` value: a server URL or `pglite:memory` / `pglite:PATH`. @module */
import { parseDatabaseUrl } from "./connection.ts";
import { openPglite } from "./pglite.ts";
import type { Queryable } from "./queryable.ts";
import { openServer } from "./server.ts";

export { isDatabaseUrl, parseDatabaseUrl } from "./connection.ts";

/**
 * Open the database a URL names; `extensions` an embedded one must be able to create. A value
 * that cannot be read is a usage error (exit 2) saying what is wrong, before anything connects.
 */
export async function openDatabase(url: string, opts: { extensions?: string[] } = {}): Promise<Queryable> {
  const target = parseDatabaseUrl(url);
  if (target.kind === "pglite") return await openPglite(target.where, opts.extensions);
  return await openServer(target);
}
