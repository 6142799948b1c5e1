/** Open a database from a `--db` value: a server URL or `pglite:memory` / `pglite:PATH`. @module */
import { PgcError } from "../model/errors.ts";
import { openPglite } from "./pglite.ts";
import type { Queryable } from "./queryable.ts";
import { openServer, redactUrl } from "./server.ts";

/** True when the value names a database (server URL, key=value string, or embedded), not a file. */
export function isDatabaseUrl(value: string): boolean {
  return /^(postgres|postgresql|pglite):/i.test(value) || isKeyValueConnection(value);
}

/** `Host=…;Database=…;Username=…` (the .NET form DataProviderMigrate users pass). */
function isKeyValueConnection(value: string): boolean {
  return /^\s*(host|server|database)\s*=/i.test(value) && value.includes(";");
}

const KEY_ALIASES: Record<string, "host" | "port" | "database" | "user" | "password"> = {
  host: "host",
  server: "host",
  port: "port",
  database: "database",
  "initial catalog": "database",
  username: "user",
  "user id": "user",
  userid: "user",
  user: "user",
  password: "password",
  pwd: "password",
};

/** Convert a key=value connection string to a postgres:// URL (unknown keys are ignored). */
export function keyValueToUrl(value: string): string {
  const parts: Partial<Record<"host" | "port" | "database" | "user" | "password", string>> = {};
  for (const pair of value.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const key = KEY_ALIASES[pair.slice(0, eq).trim().toLowerCase()];
    if (key) parts[key] = pair.slice(eq + 1).trim();
  }
  const auth = parts.user
    ? encodeURIComponent(parts.user) + (parts.password ? ":" + encodeURIComponent(parts.password) : "") + "@"
    : "";
  return `postgres://${auth}${parts.host ?? "localhost"}:${parts.port ?? "5432"}/${
    encodeURIComponent(parts.database ?? "postgres")
  }`;
}

/** Open the database a URL names; `extensions` an embedded one must be able to create. */
export function openDatabase(url: string, opts: { extensions?: string[] } = {}): Promise<Queryable> {
  if (/^pglite:/i.test(url)) {
    const where = url.slice("pglite:".length);
    if (!where) {
      throw new PgcError("usage", "pglite: needs a place: pglite:memory or pglite:PATH.");
    }
    return openPglite(where, opts.extensions);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return openServer(url);
  if (isKeyValueConnection(url)) return openServer(keyValueToUrl(url));
  throw new PgcError("usage", `Not a database URL: ${JSON.stringify(redactUrl(url))}.`, {
    hint: "Use postgres://user@host:5432/dbname, pglite:memory or pglite:./path/to/dir.",
  });
}
