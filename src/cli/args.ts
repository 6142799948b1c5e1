/** Command-line parsing with `node:util` parseArgs; every mistake is a usage error. @module */
import { parseArgs } from "node:util";
import { PgcError } from "../model/errors.ts";

/** Parsed command line. */
export interface Args {
  /** The command (`plan`, `apply`, …), or undefined. */
  command?: string;
  /** Positional arguments after the command. */
  positionals: string[];
  /** Option values. */
  values: {
    db?: string;
    output?: string;
    check?: string;
    schema?: string;
    schemas?: string;
    from?: string;
    to?: string;
    "shadow-url"?: string;
    "allow-destructive"?: boolean;
    "exit-code"?: boolean;
    strict?: boolean;
    format?: string;
    "lock-timeout"?: string;
    provider?: string;
    force?: boolean;
    help?: boolean;
    version?: boolean;
  };
}

/** Parse argv (without the program name). */
export function parseCommandLine(argv: string[]): Args {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: "string" },
        output: { type: "string", short: "o" },
        check: { type: "string" },
        schema: { type: "string" },
        schemas: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        "shadow-url": { type: "string" },
        "allow-destructive": { type: "boolean" },
        "exit-code": { type: "boolean" },
        strict: { type: "boolean" },
        format: { type: "string" },
        "lock-timeout": { type: "string" },
        provider: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, values };
  } catch (e) {
    if (e instanceof TypeError) {
      throw new PgcError("usage", e.message.replace(/\. To specify a positional.*$/s, "."), {
        hint: "Run pgconverge --help for the commands and options.",
      });
    }
    throw e;
  }
}
