/**
 * `sql:` items as DDL statements for the shadow: loaded as written, in file order, each
 * remembering where its characters were written so PostgreSQL's error position maps back into
 * the YAML.
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import type { Schema, SqlLoad } from "../yaml/types.ts";

/**
 * The `sql:` items of one load slot, as statements. The loader appends `;`: a trailing `;` is
 * dropped, and a newline is kept after a last line that may end in a `--` comment (the `;`
 * would otherwise be commented out).
 */
export function sqlBlocks(schema: Schema, load: SqlLoad): DdlStatement[] {
  return schema.sql.filter((b) => b.load === load).map((b) => {
    let sql = b.sql.replace(/[\s;]+$/, "");
    if (sql.slice(sql.lastIndexOf("\n") + 1).includes("--")) sql += "\n";
    return { sql, source: b.at, spans: b.spans };
  });
}
