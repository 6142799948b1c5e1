/**
 * Conformance cases on disk: `<dir>/cases/<source>/<case>/{current.sql,desired.sql,roles.txt?}`.
 * The cases are public test cases of other schema-diff tools; they are not part of the
 * repository (a user's clone has none), so `PGCONVERGE_CONFORMANCE_DIR` says where they are.
 * @module
 */
import { fileURLToPath as fromFileUrl } from "node:url";

/** One conformance case. */
export interface Case {
  /** `<source>/<case>`, the id used in passing.txt. */
  id: string;
  /** Which tool's suite it comes from (`migra`, `pg-schema-diff`). */
  source: string;
  /** Absolute path of the case directory. */
  dir: string;
}

/** The one sentence printed when the cases cannot be found. */
export const CASES_MISSING: string =
  "The conformance cases are not part of this repository: set PGCONVERGE_CONFORMANCE_DIR to the folder " +
  "holding cases/<source>/<case>/{current.sql,desired.sql} (the project's CI sets it to its own copy).";

/** The conformance directory (holding `cases/`), or undefined when none is configured. */
export function conformanceDir(): string | undefined {
  return Deno.env.get("PGCONVERGE_CONFORMANCE_DIR") || undefined;
}

/** Whether `dir/cases` exists and is a directory. */
export async function hasCases(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(`${dir}/cases`)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/** Path of the committed list of passing case ids. */
export const PASSING_FILE: string = fromFileUrl(new URL("../../snapshots/conformance/passing.txt", import.meta.url));

async function dirNames(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(path)) if (e.isDirectory) out.push(e.name);
  return out.sort();
}

/** Every case under `dir/cases`, sorted by id; only ids containing `filter` when given. */
export async function listCases(dir: string, filter?: string): Promise<Case[]> {
  const root = `${dir}/cases`;
  const out: Case[] = [];
  for (const source of await dirNames(root)) {
    for (const name of await dirNames(`${root}/${source}`)) {
      const id = `${source}/${name}`;
      if (filter && !id.includes(filter)) continue;
      out.push({ id, source, dir: `${root}/${source}/${name}` });
    }
  }
  return out;
}

/** Roles a case needs (roles.txt, one name a line), or none. */
export async function caseRoles(c: Case): Promise<string[]> {
  try {
    const text = await Deno.readTextFile(`${c.dir}/roles.txt`);
    return text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.trim() !== "");
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Read passing.txt: ids, one a line (blank lines ignored); empty when the file is absent. */
export async function readPassing(path: string = PASSING_FILE): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").map((l) => l.trim()).filter(Boolean);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Byte-wise sort, so the file is the same on every machine. */
export function sortIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
}
