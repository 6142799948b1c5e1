/**
 * `-o FILE` never destroys work. A file is replaced without `--force` only when pgconverge wrote
 * it and nothing of a person's is in it: a migration whose data section is empty, a schema.yaml
 * `pull` wrote whose checksum still matches, a canonical snapshot. Anything else — a data fix, an
 * edited pulled schema, a hand-written file, the input itself — is refused (exit 3) before the
 * command does any work, with the hint to pass `--force` or write elsewhere.
 * @module
 */
import { dirname } from "node:path";
import { hasStatements, readMigration } from "../migration/read.ts";
import { sha256 } from "../model/hash.ts";
import { PgcError } from "../model/errors.ts";

/** What a command writes with `-o`, and so what it may replace. */
export type OutputKind = "migration" | "pulled schema" | "snapshot";

const PULLED = /^# schema\.yaml pulled by pgconverge /;
const CHECKSUM = /^# checksum: sha256:([0-9a-f]{64}) /;
const SNAPSHOT = /^-- pgconverge canonical schema snapshot/;

/** The checksum line of a pulled file: the text without it hashes to the value it holds. */
function checksumLine(hex: string): string {
  return `# checksum: sha256:${hex} (pull -o replaces this file only while it is unedited; else --force)`;
}

/**
 * A pulled schema.yaml with its checksum as the second header line, so that a later `pull -o`
 * can tell an untouched file (replaced) from one a person edited (kept unless `--force`).
 */
export async function withPullChecksum(text: string): Promise<string> {
  const lines = text.split("\n");
  lines.splice(1, 0, checksumLine(await sha256(text)));
  return lines.join("\n");
}

/** True when the text is a pulled schema.yaml exactly as `pull` wrote it. */
export async function isUneditedPull(text: string): Promise<boolean> {
  const lines = text.split("\n");
  const m = lines[1]?.match(CHECKSUM);
  if (!PULLED.test(lines[0] ?? "") || !m) return false;
  lines.splice(1, 1);
  return await sha256(lines.join("\n")) === m[1];
}

/** Why `text` (the current content of the `-o` file) must not be replaced, or undefined when it may be. */
async function whyKeep(kind: OutputKind, path: string, text: string): Promise<string | undefined> {
  if (text.trim() === "") return undefined;
  if (kind === "migration") {
    try {
      const m = await readMigration(text, path);
      if (m.data === undefined || !hasStatements(m.data)) return undefined;
      const n = m.data.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("--")).length;
      return `its data section holds ${n} line${n === 1 ? "" : "s"} of SQL that a new plan would not have`;
    } catch (e) {
      if (!(e instanceof PgcError)) throw e;
      return `it is not a migration as pgconverge wrote it (${e.message.replace(`${path}: `, "").replace(/\.$/, "")})`;
    }
  }
  if (kind === "pulled schema") {
    if (await isUneditedPull(text)) return undefined;
    return PULLED.test(text) ? "it was edited since pull wrote it" : "pull did not write it";
  }
  return SNAPSHOT.test(text) ? undefined : "it is not a canonical snapshot pgconverge wrote";
}

/**
 * Refuse `-o FILE` when FILE holds work `--force` would be needed to replace, or when no file can
 * be written there. Runs before the command does anything slow.
 */
export async function guardOutput(path: string | undefined, kind: OutputKind, force: boolean): Promise<void> {
  if (path === undefined) return;
  const dir = dirname(path);
  const problem = await Deno.stat(dir).then(
    (d) => d.isDirectory ? undefined : `${dir} is not a directory`,
    () => `the directory ${dir} does not exist`,
  );
  const existing = await Deno.stat(path).catch(() => undefined);
  if (problem || existing?.isDirectory) {
    throw new PgcError("file_not_found", `Cannot write ${path}: ${problem ?? "it is a directory"}.`, {
      hint: "Pass -o a file path in an existing, writable directory (or leave -o out to print to standard output).",
    });
  }
  // Only a regular file can hold work; a device or pipe (-o /dev/null) is written, never read.
  if (!existing || !existing.isFile || force) return;
  // Unreadable (permissions, not UTF-8): nothing can be checked, so nothing is replaced.
  const text = await Deno.readTextFile(path).catch(() => undefined);
  const why = text === undefined
    ? "it cannot be read, so pgconverge cannot tell whether it holds work"
    : await whyKeep(kind, path, text);
  if (why === undefined) return;
  throw new PgcError("overwrite_refused", `Refused to overwrite ${path}: ${why}.`, {
    hint: `Write the ${kind} elsewhere (-o another file), or pass --force to replace ${path}.`,
  });
}
