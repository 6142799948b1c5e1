/** Pure plan tests for views: dependency order over `dependsOn`, no database involved. */
import assert from "node:assert/strict";
import { buildPlan } from "../src/plan/plan.ts";
import type { ViewObject } from "../src/model/snapshot.ts";
import { column, snap, table } from "./support/snap.ts";

function view(name: string, definition: string, dependsOn: string[], columns = ["id integer"]): ViewObject {
  return {
    kind: "view",
    id: `view:public.${name}`,
    schema: "public",
    name,
    columns,
    definition,
    options: [],
    dependsOn,
  };
}

const T = table("t");

Deno.test("plan() drops a chain of views dependents first and creates it back in dependency order around a type change", async () => {
  const base = [T, column("t", "id", "integer")];
  const chain = (type: string) => [
    view("c_base", "SELECT id FROM public.t", ["column:public.t.id", "table:public.t"], [`id ${type}`]),
    view("b_mid", "SELECT id FROM public.c_base", ["view:public.c_base"], [`id ${type}`]),
    view("a_top", "SELECT id FROM public.b_mid", ["view:public.b_mid"], [`id ${type}`]),
  ];
  const from = snap(...base, ...chain("integer"));
  const to = snap(T, column("t", "id", "bigint"), ...chain("bigint"));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => `${s.phase} ${s.sql.split("\n")[0]}`), [
    "drop DROP VIEW public.a_top;",
    "drop DROP VIEW public.b_mid;",
    "drop DROP VIEW public.c_base;",
    "pre ALTER TABLE public.t ALTER COLUMN id TYPE bigint;",
    "post CREATE VIEW public.c_base AS",
    "post CREATE VIEW public.b_mid AS",
    "post CREATE VIEW public.a_top AS",
  ]);
});

Deno.test("plan() leaves a view alone when a column it does not read changes type", async () => {
  const v = view("v", "SELECT id FROM public.t", ["column:public.t.id", "table:public.t"]);
  const from = snap(T, column("t", "id", "integer"), column("t", "x", "integer"), v);
  const to = snap(T, column("t", "id", "integer"), column("t", "x", "bigint"), v);
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => s.sql), ["ALTER TABLE public.t ALTER COLUMN x TYPE bigint;"]);
});

Deno.test("plan() recreates a view whose column list changes incompatibly, and replaces one that only grows", async () => {
  const from = snap(T, view("v", "SELECT id FROM public.t", [], ["id integer"]));
  const grown = snap(T, view("v", "SELECT id, 1 AS k FROM public.t", [], ["id integer", "k integer"]));
  assert.deepEqual((await buildPlan(from, grown)).steps.map((s) => s.op), ["replace_view"]);
  const renamed = snap(T, view("v", "SELECT id AS k FROM public.t", [], ["k integer"]));
  assert.deepEqual((await buildPlan(from, renamed)).steps.map((s) => s.op), ["drop_view", "create_view"]);
});
