/** What every command gets: parsed args, output, environment. @module */
import { parseDatabaseUrl } from "../db/open.ts";
import { PgcError } from "../model/errors.ts";
import { openShadow, type Shadow } from "../shadow/shadow.ts";
import type { Args } from "./args.ts";
import type { Io } from "./io.ts";
import { schemaList } from "./options.ts";

/** A command's inputs. */
export interface Context {
  /** Parsed command line. */
  args: Args;
  /** Output channels. */
  io: Io;
  /** Environment lookup (DATABASE_URL). */
  env: (name: string) => string | undefined;
}

/** The `--db` value, else `DATABASE_URL`, else a usage error; one that cannot be read is one too. */
export function dbUrl(ctx: Context): string {
  const url = ctx.args.values.db ?? ctx.env("DATABASE_URL");
  if (!url) {
    throw new PgcError("usage", "No database given.", { hint: "Pass --db URL or set DATABASE_URL." });
  }
  parseDatabaseUrl(url);
  return url;
}

/** The shadow for this run (PGlite unless `--shadow-url`). */
export function shadowFor(ctx: Context): Shadow {
  return openShadow(ctx.args.values["shadow-url"]);
}

/** `--schemas a,b` as a list, or undefined. */
export function schemasOption(ctx: Context): string[] | undefined {
  const v = ctx.args.values.schemas;
  return v === undefined ? undefined : schemaList(v);
}

/** `--format`: text (default) or json. */
export function formatOption(ctx: Context): "text" | "json" {
  const f = ctx.args.values.format ?? "text";
  if (f !== "text" && f !== "json") {
    throw new PgcError("usage", `Unknown --format ${JSON.stringify(f)}.`, {
      hint: "Use --format text or --format json.",
    });
  }
  return f;
}

/** Write text to `-o FILE`, or print it. */
export async function emit(ctx: Context, text: string): Promise<void> {
  const out = ctx.args.values.output;
  if (out) {
    try {
      await Deno.writeTextFile(out, text);
    } catch (e) {
      throw new PgcError("file_not_found", `Cannot write ${out}: ${(e as Error).message}.`, {
        hint: "Check that the directory exists and is writable.",
      });
    }
  } else ctx.io.out(text.replace(/\n$/, ""));
}
