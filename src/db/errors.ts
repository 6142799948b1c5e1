/**
 * Turn driver errors (postgres.js, PGlite, sockets) into the project's error family, keeping
 * PostgreSQL's own code, detail, hint and position.
 * @module
 */
import { PgcError } from "../model/errors.ts";

/** PostgreSQL's fields of a server error, when the failure came from the server. */
export interface ServerErrorFields {
  /** SQLSTATE, e.g. `23514` for a check violation. */
  sqlstate?: string;
  /** DETAIL line. */
  detail?: string;
  /** HINT line. */
  hint?: string;
  /** 1-based character position in the statement. */
  position?: number;
  /** Constraint named by the error, if any. */
  constraint?: string;
  /** Table named by the error, if any. */
  table?: string;
}

/** A statement failed on the server: PgcError code `db_error` plus PostgreSQL's fields. */
export class SqlError extends PgcError {
  /** PostgreSQL's own fields. */
  readonly server: ServerErrorFields;
  /** Create from a message and PostgreSQL's fields. */
  constructor(message: string, server: ServerErrorFields, hint?: string) {
    super("db_error", message, { hint: hint ?? server.hint });
    this.server = server;
  }
}

/** Read PostgreSQL's fields off a postgres.js or PGlite error object. */
export function serverFields(e: unknown): ServerErrorFields | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const r = e as Record<string, unknown>;
  const code = typeof r.code === "string" && /^[0-9A-Z]{5}$/.test(r.code) ? r.code : undefined;
  if (!code) return undefined;
  const pos = Number(r.position);
  return {
    sqlstate: code,
    detail: typeof r.detail === "string" ? r.detail : undefined,
    hint: typeof r.hint === "string" ? r.hint : undefined,
    position: Number.isFinite(pos) && pos > 0 ? pos : undefined,
    constraint: typeof r.constraint_name === "string"
      ? r.constraint_name
      : typeof r.constraint === "string"
      ? r.constraint
      : undefined,
    table: typeof r.table_name === "string" ? r.table_name : typeof r.table === "string" ? r.table : undefined,
  };
}

/** End a driver message with a full stop, as our own messages do. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : message + ".";
}

/** Map a driver error to a PgcError; anything unrecognised is rethrown unchanged (a bug). */
export function mapDriverError(e: unknown, label: string): never {
  if (e instanceof PgcError) throw e;
  const fields = serverFields(e);
  const message = e instanceof Error ? e.message : String(e);
  if (fields?.sqlstate === "28P01" || fields?.sqlstate === "28000") {
    throw new PgcError("db_auth", `Cannot log in to ${label}: ${sentence(message)}`, {
      hint: "Check the user name and password in the connection URL (or PGPASSWORD).",
      cause: e,
    });
  }
  if (fields?.sqlstate === "3D000") {
    throw new PgcError("db_unreachable", `Cannot open ${label}: ${sentence(message)}`, {
      hint: "Create the database first, or fix the database name in the URL.",
      cause: e,
    });
  }
  if (fields?.sqlstate === "55P03") {
    throw new PgcError("lock_timeout", `Gave up waiting for a lock on ${label}: ${sentence(message)}`, {
      hint: "Another session holds a conflicting lock; retry when it is done, or raise --lock-timeout.",
      cause: e,
    });
  }
  if (fields) throw new SqlError(message, fields);
  const errCode = (e as { code?: unknown })?.code;
  if (
    typeof errCode === "string" &&
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|CONNECT_TIMEOUT|CONNECTION_.*)$/.test(errCode)
  ) {
    throw new PgcError("db_unreachable", `Cannot connect to ${label} (${errCode}).`, {
      hint: "Is the server running and the host/port in the URL right?",
      cause: e,
    });
  }
  if (e instanceof Deno.errors.ConnectionRefused || e instanceof Deno.errors.NotFound) {
    throw new PgcError("db_unreachable", `Cannot connect to ${label}: ${message}`, {
      hint: "Is the server running and the host/port in the URL right?",
      cause: e,
    });
  }
  throw e;
}
