/**
 * Options are checked before anything slow or remote happens: an option the command does not
 * take, a duration or number that does not read, or a database URL that cannot be parsed is a
 * usage error (exit 2) naming what is wrong and what is accepted — never ignored, never found
 * out after connecting.
 * @module
 */
import { isDatabaseUrl, parseDatabaseUrl } from "../db/open.ts";
import { PgcError } from "../model/errors.ts";
import type { Args } from "./args.ts";

type Option = keyof Args["values"];

const SHARED: Option[] = ["help", "version"];

/** The options each command reads; any other is refused rather than silently ignored. */
export const COMMAND_OPTIONS: Record<string, Option[]> = {
  render: ["schema", "output", "check", "shadow-url", "force"],
  dump: ["db", "output", "schemas", "shadow-url", "force", "strict"],
  plan: [
    "schema",
    "db",
    "from",
    "to",
    "output",
    "schemas",
    "shadow-url",
    "allow-destructive",
    "exit-code",
    "strict",
    "format",
    "force",
  ],
  // drift always exits 4 on changes; --exit-code is accepted so plan and drift lines read alike.
  drift: ["schema", "db", "from", "to", "schemas", "shadow-url", "exit-code", "strict", "format"],
  // DataProviderMigrate passes the connection as --output and names the provider.
  migrate: ["schema", "db", "output", "schemas", "shadow-url", "allow-destructive", "lock-timeout", "provider"],
  apply: ["db", "shadow-url", "lock-timeout"],
  pull: ["db", "output", "schemas", "shadow-url", "force", "strict"],
};

/** Refuse an option the command does not read. */
function checkCommandOptions(command: string, values: Args["values"]): void {
  const allowed = new Set<Option>([...COMMAND_OPTIONS[command] ?? [], ...SHARED]);
  const extra = (Object.keys(values) as Option[]).filter((k) => values[k] !== undefined && !allowed.has(k));
  if (extra.length === 0) return;
  const names = extra.map((k) => `--${k}`).join(", ");
  throw new PgcError("usage", `${command} does not take ${names}.`, {
    hint: `${command} takes ${COMMAND_OPTIONS[command].map((k) => `--${k}`).join(", ")}. See pgconverge --help.`,
  });
}

/** PostgreSQL's units of a time setting, in milliseconds. */
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_MS = 2_147_483_647;

/**
 * `--lock-timeout`: a number with one of PostgreSQL's time units (`500ms`, `10s`, `2min`, `1h`),
 * or a bare number of milliseconds; 0 waits forever, as in PostgreSQL. Returned as given.
 */
export function checkLockTimeout(value: string): string {
  const m = value.match(/^(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/);
  const ms = m ? Number(m[1]) * TIME_UNITS[m[2] ?? "ms"] : NaN;
  if (!m || !(ms <= MAX_MS) || (ms > 0 && ms < 1)) {
    throw new PgcError("usage", `--lock-timeout ${JSON.stringify(value)} is not a duration PostgreSQL accepts.`, {
      hint: "Give a number with a unit: 500ms, 10s, 2min, 1h (at most 24 days; a bare number is milliseconds; " +
        "0 waits forever).",
    });
  }
  return value;
}

/** `PGCONVERGE_CACHE_MAX_MB`, when set, is a positive number of megabytes. */
function checkCacheCap(env: (name: string) => string | undefined): void {
  const v = env("PGCONVERGE_CACHE_MAX_MB");
  if (v === undefined || v === "") return;
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(Number(v) > 0)) {
    throw new PgcError("usage", `PGCONVERGE_CACHE_MAX_MB=${JSON.stringify(v)} is not a number of megabytes.`, {
      hint: "Set it to a positive number (default 1024), or unset it.",
    });
  }
}

/** `--schemas a,b`: names, at least one; an empty name (`a,,b`) is a mistake, not nothing. */
export function schemaList(value: string): string[] {
  const names = value.split(",").map((s) => s.trim());
  if (names.some((n) => n === "")) {
    throw new PgcError("usage", `--schemas ${JSON.stringify(value)} holds an empty schema name.`, {
      hint: "List schema names separated by commas: --schemas public,app.",
    });
  }
  return [...new Set(names)];
}

/** Check every option that can be checked without touching a file or a database. */
export function checkOptions(args: Args, env: (name: string) => string | undefined): void {
  const v = args.values;
  if (args.command && COMMAND_OPTIONS[args.command]) checkCommandOptions(args.command, v);
  if (v["lock-timeout"] !== undefined) checkLockTimeout(v["lock-timeout"]);
  if (v.schemas !== undefined) schemaList(v.schemas);
  for (const url of [v.db, v["shadow-url"], args.command === "migrate" ? v.output : undefined]) {
    if (url !== undefined) parseDatabaseUrl(url);
  }
  for (const source of [v.from, v.to]) if (source !== undefined && isDatabaseUrl(source)) parseDatabaseUrl(source);
  checkShadowIsElsewhere(args, env);
  checkCacheCap(env);
}

/** Where a server target is, with the defaults a connection would use. */
function place(url: string): string | undefined {
  const t = parseDatabaseUrl(url);
  if (t.kind !== "server") return undefined;
  return [t.host ?? "localhost", t.port ?? 5432, t.database ?? t.user ?? ""].join("\t");
}

/** The shadow is emptied on every use: it must not be a database the command reads or writes. */
function checkShadowIsElsewhere(args: Args, env: (name: string) => string | undefined): void {
  const v = args.values;
  const shadow = v["shadow-url"];
  if (shadow === undefined) return;
  const readsDb = COMMAND_OPTIONS[args.command ?? ""]?.includes("db") ?? false;
  const dbs = [v.db ?? (readsDb ? env("DATABASE_URL") : undefined), v.from, v.to];
  if (args.command === "migrate") dbs.push(v.output);
  const at = place(shadow);
  for (const url of dbs) {
    if (url === undefined || !isDatabaseUrl(url) || at === undefined || place(url) !== at) continue;
    throw new PgcError("usage", "--shadow-url names the database this command works on.", {
      hint: "The shadow is emptied every time it is used: give --shadow-url a separate, empty scratch database.",
    });
  }
}
