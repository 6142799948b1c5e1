/** `pull`: a live database → the schema.yaml that plans to zero statements against it. @module */
import { openDatabase } from "../db/open.ts";
import { dirname } from "node:path";
import { EXIT, type ExitCode, PgcError } from "../model/errors.ts";
import { pullSchema } from "../pull/pull.ts";
import { type Context, dbUrl, emit, schemasOption, shadowFor } from "./context.ts";

/** `pull [--db URL] [-o schema.yaml] [--schemas a,b] [--strict]`. */
export async function pullCommand(ctx: Context): Promise<ExitCode> {
  const url = dbUrl(ctx);
  const out = ctx.args.values.output;
  if (out) await assertWritablePlace(out);
  const shadow = shadowFor(ctx);
  try {
    const db = await openDatabase(url);
    try {
      const schemas = schemasOption(ctx);
      const r = await pullSchema(db, shadow, { ...(schemas ? { schemas } : {}), file: out ?? "schema.yaml" });
      for (const u of r.unmanaged) ctx.io.err(`warning: not managed by pgconverge yet, not pulled: ${u}`);
      for (const n of r.notes) ctx.io.err(`warning: ${n}`);
      await emit(ctx, r.text);
      const sql = r.asSql.length === 0 ? "" : `; ${r.asSql.length} object(s) under sql:`;
      ctx.io.err(`Pulled ${r.tables} table(s)${sql}${out ? ` into ${out}` : ""}.`);
      return ctx.args.values.strict && r.unmanaged.length > 0 ? EXIT.changes : EXIT.ok;
    } finally {
      await db.close();
    }
  } finally {
    await shadow.close();
  }
}

/** Fail before the (slow) pull when `-o` names a place no file can be written to. */
async function assertWritablePlace(path: string): Promise<void> {
  const problem = await Deno.stat(dirname(path)).then(
    (dir) => dir.isDirectory ? undefined : `${dirname(path)} is not a directory`,
    () => `the directory ${dirname(path)} does not exist`,
  );
  const isDir = await Deno.stat(path).then((s) => s.isDirectory, () => false);
  if (problem || isDir) {
    throw new PgcError("file_not_found", `Cannot write ${path}: ${problem ?? "it is a directory"}.`, {
      hint: "Pass -o a file path in an existing, writable directory (or leave -o out to print the schema).",
    });
  }
}
