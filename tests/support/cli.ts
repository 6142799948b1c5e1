/** Run the CLI in-process and capture what it prints. */
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";

/** Exit code and output of one CLI run. */
export interface CliResult {
  /** Exit code. */
  code: number;
  /** Everything printed to stdout, joined by newlines. */
  stdout: string;
  /** Everything printed to stderr, joined by newlines. */
  stderr: string;
}

/** Run `pgconverge <args>` in-process, with an environment without DATABASE_URL unless given. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const io = captureIo();
  const code = await main(args, io, (k) => env[k]);
  return { code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") };
}

/** Write a file in a fresh temporary directory and return its path. */
export async function tempFile(name: string, text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pgc_t_" });
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, text);
  return path;
}

/** Put SQL lines just above a migration's data section closing marker, as a reviewer would. */
export function fillDataSection(migration: string, sqlLines: string[]): string {
  const lines = migration.split("\n");
  const open = lines.findIndex((l) => l.startsWith("-- [data]"));
  const close = lines.findIndex((l, i) => i > open && l === "-- [/data]");
  if (open < 0 || close <= open) throw new Error("the migration has no data section");
  lines.splice(close, 0, ...sqlLines);
  return lines.join("\n");
}
