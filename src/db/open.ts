/** Open a database from a `--db` value: a server URL or `pglite:memory` / `pglite:PATH`. @module */
import { PgcError } from "../model/errors.ts";
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
  if (target.kind === "pglite") {
    if (target.where !== "memory") await checkPgliteDir(target.where);
    return await openPglite(target.where, opts.extensions);
  }
  return await openServer(target);
}

/**
 * `pglite:PATH` is a database directory, or a place to make one: not a file, and not a directory
 * holding other things (the data files would be written in among them).
 */
async function checkPgliteDir(path: string): Promise<void> {
  const stat = await Deno.stat(path).catch(() => undefined);
  if (!stat) return;
  const hint = "Use pglite:memory, a directory pgconverge made before, or a path that does not exist yet.";
  if (!stat.isDirectory) {
    throw new PgcError("usage", `pglite:${path} names a file, not a database directory.`, { hint });
  }
  let other = false;
  let dataDir = false;
  try {
    for await (const e of Deno.readDir(path)) {
      if (e.name === "PG_VERSION") dataDir = true;
      else other = true;
    }
  } catch (e) {
    throw new PgcError("usage", `pglite:${path} cannot be read: ${(e as Error).message}.`, { hint, cause: e });
  }
  if (other && !dataDir) {
    throw new PgcError("usage", `pglite:${path} is a directory holding other files, not a database directory.`, {
      hint,
    });
  }
}
