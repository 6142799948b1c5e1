/**
 * The state of a test database, read without pgconverge's own code: `pg_dump --schema-only` on
 * the server (catalog definitions on PGlite, which pg_dump cannot reach), and every user table's
 * row count and a digest of its rows. Two equal states mean the database is exactly as it was.
 */
import { openDatabase } from "../../src/db/open.ts";
import type { Queryable } from "../../src/db/queryable.ts";
import type { TestDb } from "./db.ts";

/** What a database holds. */
export interface DbState {
  /** Schema text: pg_dump --schema-only (server) or the catalog's definitions (PGlite). */
  schema: string;
  /** `schema.table` → row count. */
  rows: Record<string, number>;
  /** `schema.table` → md5 of its rows in a fixed order. */
  digests: Record<string, string>;
}

/** pg_dump's schema, without the lines that differ between two dumps of one database. */
export async function pgDumpSchema(url: string): Promise<string> {
  const out = await new Deno.Command("pg_dump", {
    args: ["--schema-only", "--no-owner", "--no-privileges", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`pg_dump failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).split("\n")
    // pg_dump 15.14+ brackets its output with a random \restrict key.
    .filter((l) => !/^\\(un)?restrict /.test(l))
    .join("\n");
}

const CATALOG_SCHEMA = `
SELECT string_agg(line, E'\\n' ORDER BY line) AS schema FROM (
  SELECT format('%s column %s %s %s %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_get_expr(d.adbin, d.adrelid)) AS line
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
  SELECT format('%s relation %s', c.oid::regclass, c.relkind)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
  SELECT format('%s constraint %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL
  SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
  SELECT format('type %s %s', t.oid::regtype, (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
                                              FROM pg_enum WHERE enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
) lines`;

/** The user tables of a database. */
async function tables(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

/** Read the state of a database (one session; an embedded database is opened once). */
export async function dbState(test: TestDb): Promise<DbState> {
  const db = await openDatabase(test.url);
  try {
    const schema = test.engine === "server"
      ? await pgDumpSchema(test.url)
      : String((await db.query<{ schema: string }>(CATALOG_SCHEMA))[0].schema);
    const rows: Record<string, number> = {};
    const digests: Record<string, string> = {};
    for (const t of await tables(db)) {
      const [r] = await db.query<{ n: number; d: string }>(
        `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS d FROM ${t} x`,
      );
      rows[t] = Number(r.n);
      digests[t] = String(r.d);
    }
    return { schema, rows, digests };
  } finally {
    await db.close();
  }
}
