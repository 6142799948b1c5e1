/** Pulling a test database and proving the file plans to zero against it. */
import { equal } from "node:assert/strict";
import { parse } from "yaml";
import { cli } from "./cli.ts";
import type { TestDb } from "./db.ts";

/** What {@link pullAndReplan} read back. */
export interface Pulled {
  /** The pulled schema.yaml text. */
  yaml: string;
  /** The same, parsed. */
  doc: Record<string, unknown>;
  /** What pull printed on stderr (warnings). */
  stderr: string;
}

/** Pull `db` to a file, plan that file against `db` (asserting zero statements) and return what was pulled. */
export async function pullAndReplan(db: TestDb): Promise<Pulled> {
  const dir = await Deno.makeTempDir({ prefix: "pgc_pull_" });
  try {
    const file = `${dir}/schema.yaml`;
    const pulled = await cli(["pull", "--db", db.url, "-o", file]);
    equal(pulled.code, 0, pulled.stderr);
    const yaml = await Deno.readTextFile(file);
    const plan = await cli(["plan", "--schema", file, "--db", db.url, "--format", "json", "--exit-code"]);
    equal(plan.code, 0, `plan of the pulled file is not empty:\n${plan.stdout}\n${plan.stderr}\n--- pulled\n${yaml}`);
    equal(JSON.parse(plan.stdout).changes, 0);
    return { yaml, doc: parse(yaml), stderr: pulled.stderr };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
