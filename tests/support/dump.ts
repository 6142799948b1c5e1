/** The database state a refused or failed command must leave exactly as it was. */
import type { TestDb } from "./db.ts";

/**
 * `pg_dump --schema-only` of a server test database (the schema, byte for byte), without the
 * `\restrict KEY` lines recent pg_dump versions write with a new random key on every run.
 */
export async function schemaDump(db: TestDb): Promise<string> {
  const out = await new Deno.Command("pg_dump", { args: ["--schema-only", "--no-owner", db.url] }).output();
  if (!out.success) throw new Error(`pg_dump failed: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => !/^\\(un)?restrict /.test(l)).join("\n");
}

/** Row counts of the given tables, in order. */
export async function rowCounts(db: TestDb, tables: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const t of tables) out.push(Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`))[0].n));
  return out;
}
