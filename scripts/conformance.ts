/**
 * `deno task conformance`: run the conformance cases (public test cases of other schema-diff
 * tools, found through `PGCONVERGE_CONFORMANCE_DIR`) against the real server and print pass
 * rates per source and the failures by cause. A case passes when the normalised
 * `pg_dump --schema-only` of the migrated database equals that of desired.sql loaded fresh and a
 * second plan is empty (the strict judge); the rate of the old judge (pgconverge's own canonical
 * snapshots equal) is printed beside it. `--check` is the regression guard CI runs.
 *
 *   --filter SUBSTR   only cases whose id contains SUBSTR
 *   --write           rewrite snapshots/conformance/passing.txt with the strict passes (within
 *                     --filter, others are kept)
 *   --check           exit 1 when a case listed in passing.txt no longer passes the strict judge
 *   --json FILE       write per-case results
 *   --timeout SECS    per-case time limit (default 120)
 *   --shadow-url URL  use this (empty) server database as the shadow instead of embedded PGlite
 *   --server-shadow   make a scratch shadow database on the test server (dropped at the end)
 *   --keep-cache      use the normal canonicalisation cache (default: a fresh one per run, so a
 *                     changed introspection can never be masked by old cache entries)
 * @module
 */
import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { openShadow } from "../src/shadow/shadow.ts";
import {
  CASES_MISSING,
  conformanceDir,
  hasCases,
  listCases,
  PASSING_FILE,
  readPassing,
  sortIds,
} from "./conformance/cases.ts";
import { ADMIN_URL, type CaseResult, judgeCase, scratchDatabase } from "./conformance/judge.ts";
import { reportText } from "./conformance/report.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    filter: { type: "string" },
    write: { type: "boolean", default: false },
    check: { type: "boolean", default: false },
    json: { type: "string" },
    timeout: { type: "string", default: "120" },
    "shadow-url": { type: "string" },
    "server-shadow": { type: "boolean", default: false },
    "keep-cache": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

let cacheDir: string | undefined;
if (!values["keep-cache"]) {
  cacheDir = await Deno.makeTempDir({ prefix: "pgc_conf_cache_" });
  Deno.env.set("PGCONVERGE_CACHE_DIR", cacheDir);
}

const dir = conformanceDir();
if (dir === undefined || !await hasCases(dir)) {
  console.error(dir === undefined ? CASES_MISSING : `No cases/ folder under ${dir}. ${CASES_MISSING}`);
  Deno.exit(2);
}
const cases = await listCases(dir, values.filter);
if (cases.length === 0) {
  console.error(`No conformance cases under ${dir}/cases${values.filter ? ` matching "${values.filter}"` : ""}.`);
  Deno.exit(2);
}

const pgDump = await new Deno.Command("pg_dump", { args: ["--version"], stdout: "null", stderr: "null" }).output()
  .then((o) => o.success, () => false);
if (!pgDump) {
  console.error("pg_dump is not on PATH: the conformance judge compares pg_dump --schema-only of both databases.");
  Deno.exit(2);
}

const scratch = values["server-shadow"] ? await scratchDatabase(ADMIN_URL) : undefined;
const shadow = openShadow(values["shadow-url"] ?? scratch?.url);
const env = {
  shadow,
  adminUrl: ADMIN_URL,
  timeoutMs: Number(values.timeout) * 1000,
  shadowRoles: new Set<string>(),
};
const results: CaseResult[] = [];
const started = performance.now();
try {
  for (const [i, c] of cases.entries()) {
    const r = await judgeCase(c, env);
    results.push(r);
    if (!values.quiet) {
      const old = r.status !== "does-not-load" && (r.status === "pass") !== (r.snapshotPass ?? false)
        ? `  (old judge: ${r.snapshotPass ? "pass" : "fail"})`
        : "";
      const what = (r.status === "pass" ? "pass" : `${r.status}: ${r.cause}`) + old;
      console.error(`[${i + 1}/${cases.length}] ${c.id}  ${what}  (${r.ms} ms)`);
    }
  }
} finally {
  await shadow.close();
  await scratch?.drop();
  if (cacheDir) await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
}
const seconds = (performance.now() - started) / 1000;

console.log(reportText(results));
console.log(`\n${results.length} case(s) in ${seconds.toFixed(1)} s.`);

if (values.json) {
  await Deno.writeTextFile(values.json, JSON.stringify(results, null, 1) + "\n");
}

const passing = new Set(results.filter((r) => r.status === "pass").map((r) => r.id));
if (values.write) {
  const ran = new Set(results.map((r) => r.id));
  const kept = (await readPassing()).filter((id) => !ran.has(id));
  await Deno.mkdir(dirname(PASSING_FILE), { recursive: true });
  const ids = sortIds([...kept, ...passing]);
  await Deno.writeTextFile(PASSING_FILE, ids.map((id) => id + "\n").join(""));
  console.log(`Wrote ${ids.length} passing case id(s) to ${PASSING_FILE}.`);
}
if (values.check) {
  const ran = new Set(results.map((r) => r.id));
  const listed = (await readPassing()).filter((id) => ran.has(id));
  const byId = new Map(results.map((r) => [r.id, r]));
  const missing = values.filter ? [] : (await readPassing()).filter((id) => !ran.has(id));
  const regressed = [...listed.filter((id) => !passing.has(id)), ...missing];
  if (regressed.length > 0) {
    console.log(`\nRegressions: ${regressed.length} case(s) listed in passing.txt no longer pass:`);
    for (const id of regressed) {
      const r = byId.get(id);
      console.log(`  ${id}: ${r ? `${r.status}: ${r.cause}` : "no such case"}`);
    }
    Deno.exit(1);
  }
  const newly = [...passing].filter((id) => !listed.includes(id));
  console.log(`\nNo regressions (${listed.length} listed case(s) still pass; ${newly.length} newly passing).`);
}
