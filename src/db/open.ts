/** Open a database from a `--db` value: a server URL or `pglite:memory` / `pglite:PATH`. @module */
import { PgcError } from "../model/errors.ts";
import { openPglite } from "./pglite.ts";
import type { Queryable } from "./queryable.ts";
import { openServer, redactUrl } from "./server.ts";

/** True when the value names a database (server URL or embedded), not a file. */
export function isDatabaseUrl(value: string): boolean {
  return /^(postgres|postgresql|pglite):/i.test(value);
}

/** Open the database a URL names. */
export function openDatabase(url: string): Promise<Queryable> {
  if (/^pglite:/i.test(url)) {
    const where = url.slice("pglite:".length);
    if (!where) {
      throw new PgcError("usage", "pglite: needs a place: pglite:memory or pglite:PATH.");
    }
    return openPglite(where);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return openServer(url);
  throw new PgcError("usage", `Not a database URL: ${JSON.stringify(redactUrl(url))}.`, {
    hint: "Use postgres://user@host:5432/dbname, pglite:memory or pglite:./path/to/dir.",
  });
}
