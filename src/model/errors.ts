/**
 * The one error family: every expected failure carries a stable `code`, a plain message and,
 * where a remedy exists, a `hint`. Only `cli/` catches and prints these; anything else is a bug
 * and keeps its stack trace.
 * @module
 */

/** Where in an input file a problem was found (1-based line and column). */
export interface SourceRef {
  /** File path as the user gave it. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** Exit codes, as documented in `--help`. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  refused: 3,
  changes: 4,
  /** Stopped by SIGINT (128 + 2, as shells report it). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/** One of the documented exit codes. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/** Stable error codes; the exit code follows from the code. */
export type ErrorCode =
  | "usage"
  | "yaml_invalid"
  | "sql_invalid"
  | "file_not_found"
  | "db_unreachable"
  | "db_auth"
  | "db_error"
  | "migration_invalid"
  | "migration_tampered"
  | "data_section_refused"
  | "drift_since_plan"
  | "destructive_refused"
  | "overwrite_refused"
  | "not_converged"
  | "preflight_failed"
  | "lock_timeout"
  | "unsupported"
  | "interrupted"
  | "terminated";

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  usage: EXIT.usage,
  yaml_invalid: EXIT.usage,
  sql_invalid: EXIT.usage,
  file_not_found: EXIT.error,
  db_unreachable: EXIT.error,
  db_auth: EXIT.error,
  db_error: EXIT.error,
  migration_invalid: EXIT.refused,
  migration_tampered: EXIT.refused,
  data_section_refused: EXIT.refused,
  drift_since_plan: EXIT.refused,
  destructive_refused: EXIT.refused,
  overwrite_refused: EXIT.refused,
  not_converged: EXIT.error,
  preflight_failed: EXIT.error,
  lock_timeout: EXIT.error,
  unsupported: EXIT.usage,
  interrupted: EXIT.interrupted,
  terminated: EXIT.terminated,
};

/** One problem inside an input (a YAML key, a SQL statement), located in its file. */
export interface Problem {
  /** Location of the problem, when known. */
  at?: SourceRef;
  /** Plain sentence describing the problem. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Format a location as `file:line:column`. */
export function formatRef(at: SourceRef): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/**
 * An expected failure, with a stable code, a hint and optionally many located problems
 * (every problem of an input file is reported in one run).
 */
export class PgcError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** What the user can do about it. */
  readonly hint?: string;
  /** Located problems (e.g. every invalid key of a schema.yaml). */
  readonly problems: Problem[];
  /** Extra details (PostgreSQL's DETAIL, diff lines) printed under the message. */
  readonly details: string[];

  /** Create an error; `problems` and `details` default to empty. */
  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; problems?: Problem[]; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "PgcError";
    this.code = code;
    this.hint = opts.hint;
    this.problems = opts.problems ?? [];
    this.details = opts.details ?? [];
  }

  /** The process exit code this error maps to. */
  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}
