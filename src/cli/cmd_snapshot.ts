/** `render` and `dump`: canonical DDL snapshots of a schema.yaml or a live database. @module */
import { openDatabase } from "../db/open.ts";
import { EXIT, type ExitCode, PgcError } from "../model/errors.ts";
import { renderSnapshotSql } from "../render/snapshot_sql.ts";
import { checkRequestedSchemas, databaseSchemas } from "../source/schema_scope.ts";
import { liveSnapshot, loadYamlSource, readText } from "../source/source.ts";
import { type Context, dbUrl, emit, schemasOption, shadowFor } from "./context.ts";
import { guardOutput } from "./overwrite.ts";

/** `render <schema.yaml> [-o FILE] [--check FILE]`. */
export async function renderCommand(ctx: Context): Promise<ExitCode> {
  const file = ctx.args.positionals[0] ?? ctx.args.values.schema;
  if (!file) throw new PgcError("usage", "render needs a schema file.", { hint: "pgconverge render schema.yaml" });
  if (ctx.args.values.check && ctx.args.values.output) {
    throw new PgcError("usage", "render takes --check FILE or -o FILE, not both.", {
      hint: "--check compares FILE with the rendered snapshot; -o writes the snapshot to FILE.",
    });
  }
  await guardOutput(ctx.args.values.output, "snapshot", ctx.args.values.force === true);
  const shadow = shadowFor(ctx);
  try {
    const { snapshot, warnings } = await loadYamlSource(file, shadow);
    for (const w of warnings) ctx.io.err(`warning: ${w}`);
    const sql = renderSnapshotSql(snapshot);
    const check = ctx.args.values.check;
    if (check) {
      const current = await readText(check);
      if (current === sql) {
        ctx.io.out(`${check} is up to date.`);
        return EXIT.ok;
      }
      const a = current.split("\n");
      const b = sql.split("\n");
      const firstDiff = a.findIndex((l, i) => l !== b[i]);
      ctx.io.err(
        `${check} is stale: it differs from the rendered snapshot from line ${firstDiff + 1}.\n` +
          `  file:     ${a[firstDiff] ?? "(end of file)"}\n  rendered: ${b[firstDiff] ?? "(end of file)"}\n` +
          `hint: run pgconverge render ${file} -o ${check}, review the diff and commit it.`,
      );
      return EXIT.changes;
    }
    await emit(ctx, sql);
    return EXIT.ok;
  } finally {
    await shadow.close();
  }
}

/** `dump --db URL [-o FILE] [--schemas a,b] [--force] [--strict]`: what is not managed is named on stderr. */
export async function dumpCommand(ctx: Context): Promise<ExitCode> {
  const url = dbUrl(ctx);
  await guardOutput(ctx.args.values.output, "snapshot", ctx.args.values.force === true);
  const schemas = schemasOption(ctx);
  const db = await openDatabase(url);
  try {
    if (schemas) {
      checkRequestedSchemas(schemas, [{ name: "the database", schemas: await databaseSchemas(db, schemas) }]);
    }
    const shadow = shadowFor(ctx);
    try {
      const snap = await liveSnapshot(db, shadow, schemas);
      const unmanaged = snap.unmanaged ?? [];
      for (const u of unmanaged) ctx.io.err(`warning: not managed by pgconverge yet, not dumped: ${u}`);
      await emit(ctx, renderSnapshotSql(snap));
      return ctx.args.values.strict && unmanaged.length > 0 ? EXIT.changes : EXIT.ok;
    } finally {
      await shadow.close();
    }
  } finally {
    await db.close();
  }
}
