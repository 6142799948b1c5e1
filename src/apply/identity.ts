/**
 * Which database this is, so a refusal can tell "planned for another database" from "the schema
 * changed since planning". The identity is the database's name and its cluster's system
 * identifier; files written before the `database:` header line existed are judged by the
 * database their `source:` line names.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { PgcError } from "../model/errors.ts";
import type { DatabaseIdentity } from "../migration/format.ts";
import type { Migration } from "../migration/read.ts";

/** The identity of the database a session is connected to (`system` when it can be read). */
export async function databaseIdentity(db: Queryable): Promise<DatabaseIdentity> {
  const [row] = await db.query<{ name: string }>("SELECT current_database() AS name");
  try {
    const [c] = await db.query<{ system: string }>("SELECT system_identifier::text AS system FROM pg_control_system()");
    return { name: row.name, system: c.system };
  } catch {
    return { name: row.name };
  }
}

/** `"app" of cluster 7716…` */
function words(d: DatabaseIdentity): string {
  return `database ${JSON.stringify(d.name)}${d.system ? ` of cluster ${d.system}` : ""}`;
}

/** Host, port and database of a URL, for comparing two (passwords and users aside). */
function place(url: string): string | undefined {
  if (/^pglite:/i.test(url)) return url;
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${decodeURIComponent(u.pathname)}`;
  } catch {
    return undefined;
  }
}

/**
 * The refusal when the live schema is not the one a migration was planned from: which of the two
 * it is, as far as the header and the server can tell.
 */
export async function driftRefusal(db: Queryable, m: Migration, file: string, live: string): Promise<PgcError> {
  const details = [`planned from: ${m.header.from}`, `live now:     ${live}`];
  const planned = m.plannedOn;
  let other: string | undefined;
  let same = false;
  if (planned.database) {
    const here = await databaseIdentity(db);
    const differs = here.name !== planned.database.name ||
      (here.system !== undefined && planned.database.system !== undefined &&
        here.system !== planned.database.system);
    if (differs) other = `it was planned on ${words(planned.database)}; this is ${words(here)}`;
    else same = true;
  } else if (planned.url) {
    const there = place(planned.url);
    const here = place(db.label);
    if (there && here && there !== here) other = `it was planned on ${planned.url}; this is ${db.label}`;
    else if (there && here) same = true;
  }
  if (other) {
    return new PgcError(
      "drift_since_plan",
      `${file} was planned for another database (${other}), and this database's schema is not the one it was ` +
        "planned from; nothing was applied.",
      {
        hint: "Check --db. To bring this database to the same schema, plan against it and apply that file.",
        details,
      },
    );
  }
  const message = same
    ? `The live schema changed since ${file} was planned; nothing was applied.`
    : `The live schema is not the one ${file} was planned from (it changed since planning, or this is not the ` +
      "database it was planned on); nothing was applied.";
  return new PgcError("drift_since_plan", message, {
    hint: "Plan again against the database as it is now, review, and apply the new file.",
    details,
  });
}
