/**
 * `--schemas` names schemas to manage. A name that neither side has is a mistake (a typo, the
 * wrong database), not an empty schema: planning it would find nothing to do and report the
 * database converged — a false green. So it is refused, saying which names are unknown and which
 * schemas there are.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { Q_SCHEMAS, Q_USER_SCHEMAS } from "../introspect/queries.ts";
import { PgcError } from "../model/errors.ts";

/** One side a schema can come from: a file or a database, with the schemas it has. */
export interface SchemaSide {
  /** How the side is named in the message: "schema.yaml", "the database". */
  name: string;
  /** The schemas it has (for a database: its user schemas, plus any requested one it holds). */
  schemas: string[];
}

/** The schemas of a database a message may list, and which of `wanted` it holds (system ones too). */
export async function databaseSchemas(db: Queryable, wanted: string[]): Promise<string[]> {
  const user = (await db.query<{ name: string }>(Q_USER_SCHEMAS)).map((r) => r.name);
  const present = (await db.query<{ name: string }>(Q_SCHEMAS, [wanted])).map((r) => r.name);
  return [...new Set([...user, ...present])].sort();
}

/** Refuse requested schemas that no side has (exit 2). */
export function checkRequestedSchemas(requested: string[] | undefined, sides: SchemaSide[]): void {
  if (!requested || sides.length === 0) return;
  const known = new Set(sides.flatMap((s) => s.schemas));
  const missing = requested.filter((s) => !known.has(s));
  if (missing.length === 0) return;
  const names = sides.map((s) => s.name);
  const where = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} nor ${names[names.length - 1]}`;
  const which = missing.map((m) => JSON.stringify(m)).join(", ");
  throw new PgcError(
    "usage",
    `--schemas names ${missing.length === 1 ? "a schema" : "schemas"} that ${
      names.length === 1 ? `${where} does not have` : `neither ${where} has`
    }: ${which}.`,
    {
      hint: `Schemas there: ${[...known].sort().join(", ") || "(none)"}. Check the spelling and the database, ` +
        "or leave --schemas out.",
    },
  );
}
