/**
 * What a `--db` value names, read before anything connects: a server (`postgres://…`,
 * `postgresql://…`, or the key=value form `Host=…;Database=…;Username=…;Password=…`) or an
 * embedded database (`pglite:memory`, `pglite:PATH`). A value that cannot be read is a usage
 * error saying what is wrong with it; its password is never repeated, not even in part.
 * @module
 */
import { PgcError } from "../model/errors.ts";

/** A server to connect to, every part decoded. Absent parts fall back to the PG* environment. */
export interface ServerTarget {
  kind: "server";
  /** Host name or IP address (IPv6 without brackets); absent: `PGHOST` or localhost. */
  host?: string;
  /** Port; absent: `PGPORT` or 5432. */
  port?: number;
  /** User; absent: `PGUSER` or the OS user. */
  user?: string;
  /** Password; absent: `PGPASSWORD`. */
  password?: string;
  /** Database; absent: `PGDATABASE` or the user's name. */
  database?: string;
  /** Query parameters (`sslmode`, `application_name`, …), validated where the driver interprets them. */
  params: Record<string, string>;
  /** The target as it can be printed: no password. */
  label: string;
}

/** An embedded PGlite database: `memory` or a directory. */
export interface PgliteTarget {
  kind: "pglite";
  /** `memory` or the directory path. */
  where: string;
  /** `pglite:<where>`. */
  label: string;
}

/** A database a `--db` value names. */
export type DatabaseTarget = ServerTarget | PgliteTarget;

const URL_FORM = "postgres://user:password@host:5432/dbname";
const FORMS = `${URL_FORM}, Host=…;Database=…;Username=…;Password=…, pglite:memory or pglite:./dir`;

function unreadable(what: string, hint: string, form = "database URL"): PgcError {
  return new PgcError("usage", `Cannot read the ${form}: ${what}.`, { hint });
}

const KV = "connection string";

/** True when the value names a database (server URL, key=value string, or embedded), not a file. */
export function isDatabaseUrl(value: string): boolean {
  return /^(postgres|postgresql|pglite):/i.test(value) || isKeyValueConnection(value);
}

const KEY_ALIASES: Record<string, "host" | "port" | "database" | "user" | "password" | "sslmode" | "timeout"> = {
  host: "host",
  server: "host",
  port: "port",
  database: "database",
  "initial catalog": "database",
  db: "database",
  username: "user",
  "user name": "user",
  "user id": "user",
  userid: "user",
  user: "user",
  uid: "user",
  password: "password",
  pwd: "password",
  "ssl mode": "sslmode",
  sslmode: "sslmode",
  timeout: "timeout",
};

/** `Host=…;Database=…` (the .NET form DataProviderMigrate users pass): starts with a key we know. */
function isKeyValueConnection(value: string): boolean {
  const m = value.match(/^\s*([A-Za-z][A-Za-z ]*?)\s*=/);
  return m !== null && m[1].toLowerCase() in KEY_ALIASES;
}

/** `key=value` pairs separated by `;`; a value may be quoted ('…' or "…", the quote doubled inside). */
function keyValuePairs(value: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  let i = 0;
  let n = 0;
  while (i < value.length) {
    n++;
    const semi = value.indexOf(";", i);
    const eq = value.indexOf("=", i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      const piece = value.slice(i, semi < 0 ? value.length : semi).trim();
      if (piece !== "") {
        // Not repeated: it may be the rest of a password that holds an unquoted ";".
        throw unreadable(
          `its part ${n} (counting the parts between ";") is not a key=value pair`,
          'Separate pairs with ";" and quote a value that holds one: Password="a;b".',
          KV,
        );
      }
      i = semi < 0 ? value.length : semi + 1;
      continue;
    }
    const key = value.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (value[j] === " ") j++;
    let v: string;
    const quote = value[j];
    if (quote === '"' || quote === "'") {
      v = "";
      j++;
      for (;;) {
        if (j >= value.length) {
          throw unreadable(
            `the value of ${key} opens a ${quote} quote that is never closed`,
            `Close the quote; write a ${quote} inside the value twice.`,
            KV,
          );
        }
        if (value[j] === quote) {
          if (value[j + 1] === quote) {
            v += quote;
            j += 2;
            continue;
          }
          j++;
          break;
        }
        v += value[j++];
      }
      while (value[j] === " ") j++;
      if (j < value.length && value[j] !== ";") {
        throw unreadable(
          `the quoted value of ${key} is followed by more text`,
          "End the value at its closing quote.",
          KV,
        );
      }
    } else {
      const end = value.indexOf(";", j);
      v = value.slice(j, end < 0 ? value.length : end).trim();
      j = end < 0 ? value.length : end;
    }
    out.push({ key, value: v });
    i = j + 1;
  }
  return out;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
const SESSION_ATTRS = ["read-write", "read-only", "primary", "standby", "prefer-standby"];

/**
 * A port number from its text, or a usage error naming where it came from. The text is not
 * repeated: in a URL whose password holds a "/", what looks like the port is part of the password.
 */
function portOf(text: string, where: string, form?: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw unreadable(
      `${where} is not a whole number from 1 to 65535`,
      `PostgreSQL's default port is 5432: ${form ? "Port=5432" : URL_FORM}.`,
      form,
    );
  }
  return n;
}

/** Check the parameters the driver interprets (it would fail later, or silently do otherwise). */
function checkParams(params: Record<string, string>): void {
  const mode = params.sslmode ?? params.ssl;
  if (mode !== undefined && ![...SSL_MODES, "true", "false"].includes(mode)) {
    throw unreadable(
      `sslmode ${JSON.stringify(mode)} is not an SSL mode`,
      `Use sslmode=${SSL_MODES.join(", ")}.`,
    );
  }
  const attrs = params.target_session_attrs;
  if (attrs !== undefined && !SESSION_ATTRS.includes(attrs)) {
    throw unreadable(
      `target_session_attrs ${JSON.stringify(attrs)} is not supported`,
      `Use target_session_attrs=${SESSION_ATTRS.join(", ")}.`,
    );
  }
  const timeout = params.connect_timeout;
  if (timeout !== undefined && !/^\d{1,6}$/.test(timeout)) {
    throw unreadable(
      `connect_timeout ${JSON.stringify(timeout.slice(0, 20))} is not a number of seconds`,
      "Use connect_timeout=10 (whole seconds).",
    );
  }
}

/** Percent-decode one part of a URL, or say which part holds a broken escape (never its text). */
function decodePart(text: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw unreadable(
      `the ${part} holds a "%" that is not followed by two hexadecimal digits`,
      `Percent-encode special characters in the ${part}: % as %25, @ as %40, : as %3A, / as %2F, # as %23.`,
    );
  }
}

/** The label of a server target: `postgres://user@host:port/db`, never the password. */
function labelOf(t: Omit<ServerTarget, "label" | "kind">): string {
  const host = t.host === undefined ? "" : t.host.includes(":") ? `[${t.host}]` : t.host;
  const user = t.user === undefined ? "" : `${encodeURIComponent(t.user)}${t.password ? ":*****" : ""}@`;
  const port = t.port === undefined ? "" : `:${t.port}`;
  const db = t.database === undefined ? "" : encodeURIComponent(t.database);
  return `postgres://${user}${host}${port}/${db}`;
}

/** Read a `postgres://` / `postgresql://` URL. */
function parseServerUrl(value: string): ServerTarget {
  const rest = value.slice(value.indexOf("://") + 3);
  // As libpq: user and password end at an "@" before the first "/" (the last such "@", so an
  // unencoded "@", "?" or "#" in a password still reads; a "/" in it must be written %2F).
  const slash = rest.indexOf("/");
  const at = rest.lastIndexOf("@", slash < 0 ? rest.length : slash);
  const userinfo = at < 0 ? undefined : rest.slice(0, at);
  const afterAt = at < 0 ? rest : rest.slice(at + 1);
  const hostEnd = afterAt.search(/[/?#]/);
  const hostPort = hostEnd < 0 ? afterAt : afterAt.slice(0, hostEnd);
  const tail = hostEnd < 0 ? "" : afterAt.slice(hostEnd);
  let user: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(":");
    user = decodePart(colon < 0 ? userinfo : userinfo.slice(0, colon), "user name");
    password = colon < 0 ? undefined : decodePart(userinfo.slice(colon + 1), "password");
  }
  if (hostPort.includes(",")) {
    throw unreadable("it names several hosts", `Name one host: ${URL_FORM}.`);
  }
  let host: string | undefined;
  let portText: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) throw unreadable("the IPv6 address opens a [ that is never closed", "Write it as [::1]:5432.");
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) {
      throw unreadable("text follows the IPv6 address", "Write it as [::1]:5432.");
    }
    portText = after === "" ? undefined : after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(":");
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
    host = decodePart(host, "host");
    // A host starting with "/" is the directory of a Unix-domain socket (written %2F… in a URL).
    if (!host.startsWith("/") && /[\s/@\\[\]<>^|]/.test(host)) {
      throw unreadable("the host name holds a space, /, @, \\ or bracket", `Use ${URL_FORM}.`);
    }
  }
  const port = portText === undefined || portText === "" ? undefined : portOf(portText, "the port");
  let parsed: URL;
  try {
    parsed = new URL(`postgres://h${tail.startsWith("/") || tail === "" ? "" : "/"}${tail}`);
  } catch {
    throw unreadable("the part after the host cannot be read", `Use ${URL_FORM}.`);
  }
  const path = parsed.pathname.replace(/^\//, "");
  if (path.includes("/")) {
    throw unreadable("the path names more than a database", `The path is just the database name: ${URL_FORM}.`);
  }
  const database = path === "" ? undefined : decodePart(path, "database name");
  const params: Record<string, string> = {};
  for (const [k, v] of parsed.searchParams) params[k] = v;
  // libpq's connection parameters given as query parameters (?host=/var/run/postgresql, …).
  const take = (k: string): string | undefined => {
    const v = params[k];
    delete params[k];
    return v;
  };
  const qHost = take("host"), qPort = take("port"), qUser = take("user"), qPassword = take("password");
  const qDatabase = take("dbname");
  checkParams(params);
  const parts = {
    ...(qHost ?? host ? { host: qHost ?? host } : {}),
    ...(qPort !== undefined ? { port: portOf(qPort, "the port parameter") } : port !== undefined ? { port } : {}),
    ...(qUser ?? user ? { user: qUser ?? user } : {}),
    ...(qPassword ?? password ? { password: qPassword ?? password } : {}),
    ...(qDatabase ?? database ? { database: qDatabase ?? database } : {}),
    params,
  };
  return { kind: "server", ...parts, label: labelOf(parts) };
}

/** Read the key=value form; unknown keys (Pooling, Command Timeout, …) are left to .NET. */
function parseKeyValue(value: string): ServerTarget {
  const parts: Omit<ServerTarget, "label" | "kind"> = { params: {} };
  for (const { key, value: v } of keyValuePairs(value)) {
    const k = KEY_ALIASES[key];
    if (k === undefined) continue;
    if (k === "host") {
      if (v === "") throw unreadable("Host is empty", "Give Host=the server's name or address.", KV);
      if (v.includes(",")) throw unreadable("Host names several hosts", "Name one host.", KV);
      parts.host = v;
    } else if (k === "port") parts.port = portOf(v, "Port", KV);
    else if (k === "database") parts.database = v;
    else if (k === "user") parts.user = v;
    else if (k === "password") parts.password = v;
    else if (k === "sslmode") parts.params.sslmode = v.toLowerCase().replace(/^verify(ca|full)$/, "verify-$1");
    else if (k === "timeout") parts.params.connect_timeout = v;
  }
  checkParams(parts.params);
  if (parts.password === "") delete parts.password;
  return { kind: "server", ...parts, label: labelOf(parts) };
}

/** Read what a `--db` value names, without connecting. */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  if (/^pglite:/i.test(value)) {
    const where = value.slice("pglite:".length);
    if (!where) {
      throw new PgcError("usage", "pglite: needs a place.", {
        hint: "Use pglite:memory (a throw-away database) or pglite:./dir (kept in ./dir).",
      });
    }
    return { kind: "pglite", where, label: `pglite:${where}` };
  }
  if (/^postgres(ql)?:/i.test(value)) {
    if (!/^postgres(ql)?:\/\//i.test(value)) throw unreadable('"//" must follow "postgres:"', `Use ${URL_FORM}.`);
    return parseServerUrl(value);
  }
  if (isKeyValueConnection(value)) return parseKeyValue(value);
  const scheme = value.match(/^([A-Za-z][A-Za-z0-9+.-]*):\/\//)?.[1];
  throw new PgcError(
    "usage",
    scheme
      ? `Not a database URL: the scheme ${JSON.stringify(scheme + "://")} is not PostgreSQL's.`
      : "Not a database URL: it starts with none of postgres://, postgresql://, pglite: or a key such as Host=.",
    { hint: `Use ${FORMS}.` },
  );
}

/** A database value as it can be printed (no password); a value that cannot be read says so. */
export function databaseLabel(value: string): string {
  try {
    return parseDatabaseUrl(value).label;
  } catch {
    return "<unreadable database URL>";
  }
}
