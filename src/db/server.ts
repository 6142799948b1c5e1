/** Queryable over a PostgreSQL server, through postgres.js with a single connection. @module */
import postgres from "postgres";
import { databaseLabel, type ServerTarget } from "./connection.ts";
import { PgcError } from "../model/errors.ts";
import { mapDriverError, SqlError } from "./errors.ts";
import type { Queryable, Row } from "./queryable.ts";

/** A database URL as it can be printed: its password replaced (or a placeholder when unreadable). */
export function redactUrl(url: string): string {
  return databaseLabel(url);
}

/** Open one session on a server and check it answers. */
export async function openServer(target: ServerTarget): Promise<Queryable> {
  const label = target.label;
  const { connect_timeout: timeout, ...params } = target.params;
  // Every part is handed over decoded and as an option, so the driver parses no URL of ours (it
  // would throw on a "%" escape, and it does not decode the database name). Its parameters go
  // through a URL with nothing else in it, where the driver reads sslmode and the rest.
  const query = new URLSearchParams(params).toString();
  const host = target.host ?? Deno.env.get("PGHOST") ?? "localhost";
  const port = target.port ?? (Number(Deno.env.get("PGPORT")) || 5432);
  const sql = postgres(
    `postgres://localhost/${query ? "?" + query : ""}`,
    {
      // Arrays (which the driver takes as they are, though its types say string): it splits a host
      // string on ":" to find a port, which breaks an IPv6 address.
      host: [host],
      port: [port],
      ...(host.startsWith("/") ? { path: `${host}/.s.PGSQL.${port}` } : {}),
      ...(target.user !== undefined ? { user: target.user } : {}),
      ...(target.password !== undefined ? { pass: target.password } : {}),
      ...(target.database !== undefined ? { database: target.database } : {}),
      // One connection: BEGIN/COMMIT sent as statements must reach the same session.
      max: 1,
      onnotice: () => {},
      connect_timeout: timeout === undefined ? 10 : Number(timeout),
      prepare: false,
      connection: { application_name: "pgconverge" },
    } as unknown as Parameters<typeof postgres>[1],
  );
  let closed = false;
  const db: Queryable = {
    engine: "server",
    label,
    async query<T = Row>(text: string, params: unknown[] = []): Promise<T[]> {
      try {
        // deno-lint-ignore no-explicit-any
        const rows = await sql.unsafe(text, params as any[]);
        return [...rows] as unknown as T[];
      } catch (e) {
        return mapDriverError(e, label);
      }
    },
    async exec(text: string): Promise<void> {
      try {
        await sql.unsafe(text).simple();
      } catch (e) {
        mapDriverError(e, label);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
  const seconds = timeout === undefined ? 10 : Number(timeout);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // The driver's connect_timeout does not end a first query to a host that never answers (it
    // reconnects for it, forever): the first answer is waited for here, that long and no longer.
    const gaveUp = new Promise<never>((_, reject) => {
      if (seconds > 0) {
        timer = setTimeout(() => {
          reject(
            new PgcError("db_unreachable", `Cannot connect to ${label}: no answer within ${seconds} s.`, {
              hint: "Is the server running and the host/port in the URL right? (connect_timeout=SECONDS waits longer.)",
            }),
          );
        }, seconds * 1000);
      }
    });
    await Promise.race([db.query("SELECT 1"), gaveUp]);
  } catch (e) {
    closed = true;
    await sql.end({ timeout: 0 }).catch(() => {});
    throw connectError(e, label);
  } finally {
    clearTimeout(timer);
  }
  return db;
}

/**
 * A server error while connecting comes from the URL's own parameters (a query parameter the
 * server does not know, a bad `options=-c …`): a usage error naming them, not a failed statement.
 */
function connectError(e: unknown, label: string): unknown {
  if (!(e instanceof SqlError) || !["42704", "22023", "42601"].includes(e.server.sqlstate ?? "")) return e;
  return new PgcError("usage", `Cannot connect to ${label}: ${e.message.replace(/\.?$/, ".")}`, {
    hint: "A query parameter of the URL is passed to the server as a setting: remove it or fix its value.",
  });
}
