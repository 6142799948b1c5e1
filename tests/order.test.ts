/**
 * Plan order from one dependency graph (model/dependencies.ts, plan/order.ts): pure unit tests
 * on hand-built snapshots and steps.
 */
import assert from "node:assert/strict";
import { dependencyGraph } from "../src/model/dependencies.ts";
import type { DbObject, DomainObject, EnumObject, FunctionObject, ViewObject } from "../src/model/snapshot.ts";
import { snapshotOf } from "../src/model/snapshot.ts";
import { orderSteps, stepRole } from "../src/plan/order.ts";
import type { Phase, Step } from "../src/plan/step.ts";
import { column, constraint, table } from "./support/snap.ts";

function fn(name: string, extra: Partial<FunctionObject> = {}): FunctionObject {
  return {
    kind: "function",
    id: `function:public.${name}()`,
    schema: "public",
    name,
    args: "",
    arguments: "",
    identityArguments: "",
    outArguments: "",
    definition: `CREATE OR REPLACE FUNCTION public.${name}() …`,
    defaults: 0,
    result: "integer",
    language: "sql",
    execute: ["PUBLIC"],
    ...extra,
  };
}

/** Domain `public.pos`, whose CHECK calls the function `calls`. */
function posDomain(calls: string): DomainObject {
  return {
    kind: "domain",
    id: "domain:public.pos",
    schema: "public",
    name: "pos",
    baseType: "integer",
    notNull: false,
    checks: [],
    dependsOn: [calls],
  };
}

/** View `public.v`, resting on nothing. */
function viewV(): ViewObject {
  return {
    kind: "view",
    id: "view:public.v",
    schema: "public",
    name: "v",
    columns: [],
    definition: "SELECT 1",
    options: [],
    dependsOn: [],
  };
}

const mood: EnumObject = { kind: "enum", id: "type:public.mood", schema: "public", name: "mood", values: ["a"] };

function step(id: string, phase: Phase, rank: number, sql: string): Step {
  return { id, op: "create_table", phase, rank, sql, reason: "", hazards: [], destructive: false };
}

const snap = (objects: DbObject[]) => snapshotOf(objects, ["public"]);

Deno.test("dependencyGraph() links columns to their table and type, and the table to what its columns need", () => {
  const g = dependencyGraph(snap([table("t"), column("t", "m", "public.mood[]"), mood]));
  assert.deepEqual(g.get("column:public.t.m"), ["table:public.t", "type:public.mood"]);
  assert.deepEqual(g.get("table:public.t"), ["type:public.mood"]);
});

Deno.test("dependencyGraph() makes a foreign key need the referenced table and its keys", () => {
  const g = dependencyGraph(snap([
    table("a"),
    table("b"),
    constraint("a", "a_pkey", "p", "PRIMARY KEY (id)"),
    constraint("b", "b_a_fk", "f", "FOREIGN KEY (a_id) REFERENCES public.a(id)", { references: "table:public.a" }),
  ]));
  assert.deepEqual(g.get("constraint:public.b.b_a_fk"), [
    "constraint:public.a.a_pkey",
    "table:public.a",
    "table:public.b",
  ]);
});

Deno.test("dependencyGraph() reads pg_depend facts both ways: dependsOn, and usedBy reversed", () => {
  const isPos = fn("is_pos", { usedBy: ["column:public.t.n", "other:rule _RETURN on view v"] });
  const dom = posDomain(isPos.id);
  const g = dependencyGraph(snap([table("t"), column("t", "n", "integer"), isPos, dom]));
  assert.deepEqual(g.get("domain:public.pos"), [isPos.id]);
  assert.deepEqual(g.get("column:public.t.n"), [isPos.id, "table:public.t"]);
  // An id the snapshot does not hold is no dependency.
  assert.equal(g.get("other:rule _RETURN on view v"), undefined);
});

Deno.test("stepRole() tells creations and drops from everything else", () => {
  assert.equal(stepRole("SET LOCAL check_function_bodies = off;\nCREATE OR REPLACE FUNCTION public.f()"), "create");
  assert.equal(stepRole("ALTER TABLE public.t ADD CONSTRAINT c CHECK ((n > 0));"), "create");
  assert.equal(stepRole("COMMENT ON TABLE public.t IS 'x';"), "create");
  assert.equal(stepRole("DROP VIEW public.v;"), "drop");
  assert.equal(stepRole("ALTER TABLE public.t DROP CONSTRAINT c;"), "drop");
  assert.equal(stepRole("ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;"), undefined);
  assert.equal(stepRole("ALTER TYPE public.mood ADD VALUE 'b' AFTER 'a';"), undefined);
});

Deno.test("orderSteps() keeps phase, rank and id order when the graph agrees with it", () => {
  const to = snap([table("t"), column("t", "m", "public.mood"), mood]);
  const steps = [
    step("table:public.t", "pre", 100, "CREATE TABLE public.t (m public.mood);"),
    step("type:public.mood", "pre", 5, "CREATE TYPE public.mood AS ENUM ('a');"),
  ];
  assert.deepEqual(orderSteps(steps, { from: snap([]), to }).map((s) => s.id), ["type:public.mood", "table:public.t"]);
});

Deno.test("orderSteps() creates what a statement needs first, even when its rank says later", () => {
  const isPos = fn("is_pos");
  const dom = posDomain(isPos.id);
  const steps = [
    step(dom.id, "pre", 5, "CREATE DOMAIN public.pos AS integer CHECK (public.is_pos(VALUE));"),
    step(isPos.id, "pre", 107, "CREATE OR REPLACE FUNCTION public.is_pos() …;"),
  ];
  const ordered = orderSteps(steps, { from: snap([]), to: snap([isPos, dom]) });
  assert.deepEqual(ordered.map((s) => s.id), [isPos.id, dom.id]);
});

Deno.test("orderSteps() drops a dependent before what it rests on, even when its rank says later", () => {
  const reader = fn("reader", { dependsOn: ["view:public.v"] });
  const v = viewV();
  const steps = [
    step("view:public.v", "drop", 10, "DROP VIEW public.v;"),
    step(reader.id, "drop", 20, "DROP FUNCTION public.reader();"),
  ];
  const ordered = orderSteps(steps, { from: snap([reader, v]), to: snap([]) });
  assert.deepEqual(ordered.map((s) => s.id), [reader.id, "view:public.v"]);
});

Deno.test("orderSteps() moves a creation that must wait for a later phase into that phase", () => {
  const reader = fn("reader", { dependsOn: ["view:public.v"] });
  const v = viewV();
  const steps = [
    step(reader.id, "pre", 150, "CREATE OR REPLACE FUNCTION public.reader() …;"),
    step("table:public.t", "pre", 100, "CREATE TABLE public.t ();"),
    step("view:public.v", "post", 300, "CREATE VIEW public.v AS SELECT 1;"),
  ];
  const ordered = orderSteps(steps, { from: snap([]), to: snap([reader, v, table("t")]) });
  assert.deepEqual(ordered.map((s) => `${s.phase} ${s.id}`), [
    "pre table:public.t",
    "post view:public.v",
    `post ${reader.id}`,
  ]);
});

Deno.test("orderSteps() keeps rank order among statements on a dependency cycle", () => {
  const a = fn("a", { dependsOn: ["function:public.b()"] });
  const b = fn("b", { dependsOn: ["function:public.a()"] });
  const steps = [
    step(b.id, "pre", 2, "CREATE OR REPLACE FUNCTION public.b() …;"),
    step(a.id, "pre", 1, "CREATE OR REPLACE FUNCTION public.a() …;"),
  ];
  assert.deepEqual(orderSteps(steps, { from: snap([]), to: snap([a, b]) }).map((s) => s.id), [a.id, b.id]);
});
