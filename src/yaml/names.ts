/**
 * Names as PostgreSQL keeps them: at most NAMEDATALEN - 1 = 63 bytes. A longer name is silently
 * cut by the server, so the object would not be called what the file says (and two names that
 * differ only after byte 63 would be one); such a name is refused at its line, showing the cut.
 * @module
 */
import type { ValueProblem } from "./sql_values.ts";

/** PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes. */
export const MAX_NAME_BYTES = 63;

const encoder = new TextEncoder();

/** The UTF-8 length of `s`. */
export function byteLength(s: string): number {
  return encoder.encode(s).length;
}

/** Cut `s` to at most `max` bytes without splitting a character (PostgreSQL's pg_mbcliplen). */
export function clipBytes(s: string, max: number): string {
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

/** A name as PostgreSQL stores it: cut to 63 bytes. */
export function truncateName(name: string): string {
  return clipBytes(name, MAX_NAME_BYTES);
}

/**
 * Why `name` cannot be kept as written, or undefined.
 *
 * @example
 * ```ts
 * nameProblem("x".repeat(70))?.message; // 'is 70 bytes, but PostgreSQL keeps 63: it would be "xxx…"'
 * ```
 */
export function nameProblem(name: string): ValueProblem | undefined {
  if (name.includes("\u0000")) {
    return { message: "a name cannot hold the character U+0000", hint: "Remove it.", index: name.indexOf("\u0000") };
  }
  const bytes = byteLength(name);
  if (bytes <= MAX_NAME_BYTES) return undefined;
  const cut = truncateName(name);
  return {
    message: `${JSON.stringify(name)} is ${bytes} bytes, but PostgreSQL keeps ${MAX_NAME_BYTES}: ` +
      `it would be ${JSON.stringify(cut)}`,
    hint: `Shorten it to at most ${MAX_NAME_BYTES} bytes (UTF-8); PostgreSQL would cut it silently.`,
  };
}
