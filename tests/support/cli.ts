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
