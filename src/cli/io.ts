/** Where the CLI writes: injectable so tests can capture output. @module */

/** Output channels of the CLI. */
export interface Io {
  /** Write a line (or block) to standard output. */
  out(text: string): void;
  /** Write a line (or block) to standard error. */
  err(text: string): void;
}

/** The process's stdout/stderr. */
export const consoleIo: Io = {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
};

/** An Io that records everything, for tests. */
export function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}
