/** Queryable over a PostgreSQL server, through postgres.js with a single connection. @module */
import postgres from "postgres";
import { PgcError } from "../model/errors.ts";
import { mapDriverError } from "./errors.ts";
import type { Queryable, Row } from "./queryable.ts";

/** A URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "*****";
    return u.toString();
  } catch {
    return "<unparseable database URL>";
  }
}

/** Open one session on a server (`postgres://…` / `postgresql://…`) and check it answers. */
export async function openServer(url: string): Promise<Queryable> {
  const label = redactUrl(url);
  try {
    new URL(url);
  } catch {
    throw new PgcError("usage", `Cannot read the database URL ${JSON.stringify(label)}.`, {
      hint: "Use the form postgres://user:password@host:5432/dbname.",
    });
  }
  // One connection: BEGIN/COMMIT sent as statements must reach the same session.
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 10,
    prepare: false,
    connection: { application_name: "pgconverge" },
  });
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
  try {
    await db.query("SELECT 1");
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
