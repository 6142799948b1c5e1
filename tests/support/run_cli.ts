/**
 * Run several `pgconverge` command lines in this one process, in order, and print their exit
 * codes and output as JSON. A test starts it with the environment a run should see (the cache
 * directory is read from the process environment, which a test must not change under the tests
 * running beside it).
 *
 * Usage: deno run -A tests/support/run_cli.ts COMMANDS.json  (a JSON array of argument lists)
 */
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../../src/cli/io.ts";
import type { CliResult } from "./cli.ts";

if (import.meta.main) {
  const runs = JSON.parse(await Deno.readTextFile(Deno.args[0])) as string[][];
  const results: CliResult[] = [];
  for (const args of runs) {
    const io = captureIo();
    const code = await main(args, io, (k) => Deno.env.get(k));
    results.push({ code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") });
  }
  console.log(JSON.stringify(results));
}
