/** `pull`: a live database → the schema.yaml that plans to zero statements against it. @module */
import { openDatabase } from "../db/open.ts";
import { EXIT, type ExitCode } from "../model/errors.ts";
import { pullSchema } from "../pull/pull.ts";
import { checkRequestedSchemas, databaseSchemas } from "../source/schema_scope.ts";
import { type Context, dbUrl, emit, schemasOption, shadowFor } from "./context.ts";
import { guardOutput, withPullChecksum } from "./overwrite.ts";

/** `pull [--db URL] [-o schema.yaml] [--schemas a,b] [--force] [--strict]`. */
export async function pullCommand(ctx: Context): Promise<ExitCode> {
  const url = dbUrl(ctx);
  const out = ctx.args.values.output;
  // Before the (slow) pull: a place no file can be written to, or a file holding work.
  await guardOutput(out, "pulled schema", ctx.args.values.force === true);
  const schemas = schemasOption(ctx);
  const db = await openDatabase(url);
  try {
    if (schemas) {
      checkRequestedSchemas(schemas, [{ name: "the database", schemas: await databaseSchemas(db, schemas) }]);
    }
    const shadow = shadowFor(ctx);
    try {
      const r = await pullSchema(db, shadow, { ...(schemas ? { schemas } : {}), file: out ?? "schema.yaml" });
      for (const u of r.unmanaged) ctx.io.err(`warning: not managed by pgconverge yet, not pulled: ${u}`);
      for (const n of r.notes) ctx.io.err(`warning: ${n}`);
      await emit(ctx, await withPullChecksum(r.text));
      const sql = r.asSql.length === 0 ? "" : `; ${r.asSql.length} object(s) under sql:`;
      ctx.io.err(`Pulled ${r.tables} table(s)${sql}${out ? ` into ${out}` : ""}.`);
      return ctx.args.values.strict && r.unmanaged.length > 0 ? EXIT.changes : EXIT.ok;
    } finally {
      await shadow.close();
    }
  } finally {
    await db.close();
  }
}
