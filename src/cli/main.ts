/**
 * The CLI: parse, dispatch, and the only place errors are caught and printed. A PgcError prints
 * as one plain message with its located problems and hint; anything else is a bug and keeps its
 * stack trace.
 * @module
 */
import { EXIT, type ExitCode, formatRef, PgcError } from "../model/errors.ts";
import { parseCommandLine } from "./args.ts";
import { applyCommand } from "./cmd_apply.ts";
import { driftCommand, migrateCommand, planCommand } from "./cmd_plan.ts";
import { pullCommand } from "./cmd_pull.ts";
import { dumpCommand, renderCommand } from "./cmd_snapshot.ts";
import type { Context } from "./context.ts";
import { HELP, VERSION } from "./help.ts";
import { consoleIo, type Io } from "./io.ts";
import { checkOptions } from "./options.ts";

const COMMANDS: Record<string, (ctx: Context) => Promise<ExitCode>> = {
  render: renderCommand,
  dump: dumpCommand,
  plan: planCommand,
  drift: driftCommand,
  migrate: migrateCommand,
  apply: applyCommand,
  pull: pullCommand,
};

/** Print a PgcError the way users see it. */
export function printError(io: Io, e: PgcError): void {
  io.err(`error: ${e.message}`);
  for (const p of e.problems) {
    io.err(`  ${p.at ? formatRef(p.at) + ": " : ""}${p.message}`);
    if (p.hint && p.hint !== e.hint) io.err(`    hint: ${p.hint}`);
  }
  for (const d of e.details) io.err(`  ${d}`);
  if (e.hint) io.err(`hint: ${e.hint}`);
}

/** Run the CLI with arguments; returns the exit code. */
export async function main(
  argv: string[],
  io: Io = consoleIo,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Promise<ExitCode> {
  try {
    const args = parseCommandLine(argv);
    if (args.values.version) {
      io.out(VERSION);
      return EXIT.ok;
    }
    if (args.values.help || !args.command) {
      io.out(HELP);
      return args.command || args.values.help ? EXIT.ok : EXIT.usage;
    }
    const run = COMMANDS[args.command];
    if (!run) {
      throw new PgcError("usage", `Unknown command ${JSON.stringify(args.command)}.`, {
        hint: `Commands: ${Object.keys(COMMANDS).join(", ")}. See pgconverge --help.`,
      });
    }
    checkOptions(args, env);
    return await run({ args, io, env });
  } catch (e) {
    if (e instanceof PgcError) {
      printError(io, e);
      return e.exitCode;
    }
    throw e;
  }
}
