/** Pure diff/plan rules for functions and triggers (no database). */
import assert from "node:assert/strict";
import { diff } from "../src/diff/diff.ts";
import { PgcError } from "../src/model/errors.ts";
import type { FunctionObject, TriggerObject } from "../src/model/snapshot.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { column, snap, table } from "./support/snap.ts";

/** A public function `name(integer)` returning `result`. */
function fn(name: string, result: string, extra: Partial<FunctionObject> = {}): FunctionObject {
  return {
    kind: "function",
    id: `function:public.${name}(integer)`,
    schema: "public",
    name,
    args: "integer",
    definition: `CREATE OR REPLACE FUNCTION public.${name}(a integer)\n RETURNS ${result}\n LANGUAGE sql\nRETURN a`,
    arguments: "a integer",
    identityArguments: "a integer",
    outArguments: "",
    defaults: 0,
    result,
    language: "sql",
    execute: ["PUBLIC"],
    ...extra,
  };
}

Deno.test("diff() of the same functions and triggers is empty", () => {
  const trg: TriggerObject = {
    kind: "trigger",
    id: "trigger:public.t.tr",
    schema: "public",
    table: "t",
    name: "tr",
    definition: "CREATE TRIGGER tr BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION public.f()",
    enabled: "O",
    function: "function:public.f()",
  };
  const s = snap(table("t"), fn("f", "integer"), trg);
  assert.deepEqual(diff(s, s).changes, []);
});

Deno.test("plan() refuses to re-create a function a view or a column default rests on, naming them", () => {
  const from = snap(
    table("t"),
    column("t", "a", "integer", { default: "public.f(1)" }),
    fn("f", "integer", { usedBy: ["column:public.t.a", "other:rule _RETURN on view public.v"] }),
  );
  const to = snap(table("t"), column("t", "a", "integer", { default: "public.f(1)" }), fn("f", "bigint"));
  assert.throws(() => diff(from, to), (e: unknown) => {
    assert.ok(e instanceof PgcError);
    assert.equal(e.code, "unsupported");
    assert.match(e.message, /the default of public\.t\.a/);
    assert.match(e.message, /rule _RETURN on view public\.v/);
    return true;
  });
});

Deno.test("plan() only changes who may execute a function when only its grants changed", async () => {
  const from = snap(fn("f", "integer", { execute: ["PUBLIC"] }));
  const to = snap(fn("f", "integer", { execute: ["app", "auditor WITH GRANT OPTION"] }));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => [s.sql, s.destructive]), [
    ["REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC;", true],
    ["GRANT EXECUTE ON FUNCTION public.f(integer) TO app;", false],
    ["GRANT EXECUTE ON FUNCTION public.f(integer) TO auditor WITH GRANT OPTION;", false],
  ]);
});

Deno.test("plan() creates a function after the table whose row type it returns, and one a default calls before it", async () => {
  const to = snap(
    table("t"),
    column("t", "a", "integer", { default: "public.d(1)" }),
    fn("d", "integer"),
    fn("row_of", "public.t", { dependsOn: ["table:public.t"] }),
  );
  const plan = await buildPlan(snap(), to);
  assert.deepEqual(plan.steps.map((s) => `${s.op} ${s.id}`), [
    "create_function function:public.d(integer)",
    "create_table table:public.t",
    "create_function function:public.row_of(integer)",
  ]);
});
