/**
 * Regression guard over the shared conformance cases: every case listed in
 * snapshots/conformance/passing.txt must still converge (load current.sql, plan to desired.sql,
 * apply, equal the desired database, plan again to nothing). By default a spread sample of the
 * list is judged; `deno task conformance --check` runs the same judge over every case.
 */
import assert from "node:assert/strict";
import { openShadow } from "../src/shadow/shadow.ts";
import { conformanceDir, listCases, readPassing } from "../scripts/conformance/cases.ts";
import { ADMIN_URL, type CaseResult, judgeCase } from "../scripts/conformance/judge.ts";

/** Cases judged by default: the whole list takes ~6 minutes, so a spread sample of the list. */
const SAMPLE = 100;

/** Every k-th id of the sorted list, so each group of cases keeps a few representatives. */
function sample(ids: string[], n: number): string[] {
  if (ids.length <= n) return ids;
  const stride = ids.length / n;
  return Array.from({ length: n }, (_, i) => ids[Math.floor(i * stride)]);
}

Deno.test("[server] conformance: cases listed in passing.txt still converge", async () => {
  const listed = await readPassing();
  assert.ok(listed.length > 0, "snapshots/conformance/passing.txt lists no case");
  const cases = await listCases(conformanceDir());
  const known = new Set(cases.map((c) => c.id));
  assert.deepEqual(listed.filter((id) => !known.has(id)), [], "passing.txt lists cases that do not exist");

  // PGCONVERGE_CONFORMANCE_ALL=1 judges the whole list (as `deno task conformance --check` does).
  const all = Deno.env.get("PGCONVERGE_CONFORMANCE_ALL") === "1";
  const wanted = new Set(all ? listed : sample(listed, SAMPLE));
  const shadow = openShadow();
  const failures: CaseResult[] = [];
  try {
    const env = { shadow, adminUrl: ADMIN_URL, timeoutMs: 120_000, dump: false, shadowRoles: new Set<string>() };
    for (const c of cases.filter((c) => wanted.has(c.id))) {
      const r = await judgeCase(c, env);
      if (r.status !== "pass") failures.push(r);
    }
  } finally {
    await shadow.close();
  }
  assert.deepEqual(
    failures.map((r) => `${r.id}: ${r.status}: ${r.cause}\n${r.detail ?? ""}`),
    [],
    "cases that passed before no longer pass",
  );
});
