import assert from "node:assert/strict";
import { diff } from "../src/diff/diff.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { column, constraint, index, snap, table } from "./support/snap.ts";

const KIND_OLD = "CHECK ((kind = ANY (ARRAY['request'::text, 'input_tokens'::text])))";
const KIND_NEW = "CHECK ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text])))";

Deno.test("diff(s, s) is empty", () => {
  const s = snap(table("t"), column("t", "kind", "text"), constraint("t", "t_kind_check", "c", KIND_OLD));
  assert.deepEqual(diff(s, s).changes, []);
});

Deno.test("plan() replaces a CHECK whose list changed: drop before the data slot, add after it", async () => {
  const from = snap(table("t"), column("t", "kind", "text"), constraint("t", "t_kind_check", "c", KIND_OLD));
  const to = snap(table("t"), column("t", "kind", "text"), constraint("t", "t_kind_check", "c", KIND_NEW));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => [s.phase, s.sql]), [
    ["drop", "ALTER TABLE public.t DROP CONSTRAINT t_kind_check;"],
    ["post", `ALTER TABLE public.t ADD CONSTRAINT t_kind_check ${KIND_NEW};`],
  ]);
  assert.equal(plan.steps[0].was, KIND_OLD);
  assert.equal(plan.steps[0].now, KIND_NEW);
  assert.match(plan.steps[1].preflight!.sql, /WHERE NOT \(\(kind = ANY/);
});

Deno.test("diff() renames a constraint whose definition is unchanged (legacy _chk name)", () => {
  const from = snap(table("t"), column("t", "kind", "text"), constraint("t", "t_kind_chk", "c", KIND_OLD));
  const to = snap(table("t"), column("t", "kind", "text"), constraint("t", "t_kind_check", "c", KIND_OLD));
  const { changes } = diff(from, to);
  assert.deepEqual(changes.map((c) => c.op), ["rename_constraint"]);
});

Deno.test("diff() matches an unnamed FK to the live one by relationship and keeps the live name", async () => {
  const fk = "FOREIGN KEY (customer_id) REFERENCES public.customers(id)";
  const base = [table("orders"), column("orders", "customer_id", "integer")];
  const from = snap(...base, constraint("orders", "orders_customer_id_fkey", "f", fk));
  const to = snap(...base, constraint("orders", "FK_orders_customer_id", "f", fk, { autoNamed: true }));
  const { changes, target } = diff(from, to);
  assert.deepEqual(changes, []);
  assert.ok(target.objects.has("constraint:public.orders.orders_customer_id_fkey"));
  const plan = await buildPlan(from, to);
  assert.equal(plan.from, plan.to);
});

Deno.test("diff() renames a named FK whose relationship is unchanged", () => {
  const fk = "FOREIGN KEY (customer_id) REFERENCES public.customers(id)";
  const from = snap(table("o"), constraint("o", "o_customer_id_fkey", "f", fk));
  const to = snap(table("o"), constraint("o", "fk_customer", "f", fk));
  assert.deepEqual(diff(from, to).changes.map((c) => c.op), ["rename_constraint"]);
});

Deno.test("diff() renames an index whose definition is unchanged, and replaces one that changed", () => {
  const from = snap(
    table("t"),
    index("t", "ix_old", "CREATE INDEX ix_old ON public.t USING btree (a)"),
    index("t", "ix_b", "CREATE INDEX ix_b ON public.t USING btree (b)"),
  );
  const to = snap(
    table("t"),
    index("t", "ix_new", "CREATE INDEX ix_new ON public.t USING btree (a)"),
    index("t", "ix_b", "CREATE INDEX ix_b ON public.t USING btree (b) WHERE (b > 0)"),
  );
  assert.deepEqual(diff(from, to).changes.map((c) => c.op).sort(), ["create_index", "drop_index", "rename_index"]);
});

Deno.test("diff() does not drop the constraints, indexes and columns of a dropped table one by one", () => {
  const from = snap(
    table("gone"),
    column("gone", "a", "integer"),
    constraint("gone", "gone_a_check", "c", "CHECK ((a > 0))"),
    index("gone", "ix_gone", "CREATE INDEX ix_gone ON public.gone USING btree (a)"),
  );
  assert.deepEqual(diff(from, snap()).changes.map((c) => c.op), ["drop_table"]);
});

Deno.test("plan() adds a NOT NULL column without default nullable, then sets NOT NULL after the data slot", async () => {
  const from = snap(table("t"));
  const to = snap(table("t"), column("t", "plan", "text", { notNull: true }));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => [s.phase, s.sql]), [
    ["pre", "ALTER TABLE public.t ADD COLUMN plan text;"],
    ["post", "ALTER TABLE public.t ALTER COLUMN plan SET NOT NULL;"],
  ]);
});

Deno.test("plan() marks drops and narrowing type changes destructive, never with CASCADE", async () => {
  const from = snap(table("t"), table("u"), column("t", "a", "character varying(50)"), column("t", "b", "text"));
  const to = snap(table("t"), column("t", "a", "character varying(10)"));
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.filter((s) => s.destructive).map((s) => s.op).sort(), [
    "alter_column",
    "drop_column",
    "drop_table",
  ]);
  assert.ok(plan.steps.every((s) => !/CASCADE/i.test(s.sql)));
});

Deno.test("plan() drops FKs before the key they reference and re-adds them after it", async () => {
  const fk = constraint("s", "fk_s_r", "f", "FOREIGN KEY (r) REFERENCES public.r(code)", {
    references: "table:public.r",
  });
  const from = snap(table("r"), table("s"), constraint("r", "r_pkey", "p", "PRIMARY KEY (code)"), fk);
  const to = snap(table("r"), table("s"), constraint("r", "r_pkey", "p", "PRIMARY KEY (code, country)"), fk);
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => `${s.phase} ${s.op} ${s.id}`), [
    "drop drop_constraint constraint:public.s.fk_s_r",
    "drop drop_constraint constraint:public.r.r_pkey",
    "post add_constraint constraint:public.r.r_pkey",
    "post add_constraint constraint:public.s.fk_s_r",
  ]);
});

Deno.test("plan() is deterministic: the same inputs give the same steps and fingerprints", async () => {
  const from = snap(table("t"), column("t", "a", "integer"));
  const to = snap(table("t"), table("u"), column("t", "a", "bigint"), column("u", "x", "text"));
  const a = await buildPlan(from, to);
  const b = await buildPlan(from, to);
  assert.deepEqual(a.steps, b.steps);
  assert.equal(a.to, b.to);
});

Deno.test("plan() drops an enum type only after the columns that used it were converted", async () => {
  const color = { kind: "enum" as const, id: "type:public.color", schema: "public", name: "color", values: ["red"] };
  const from = snap(color, table("foo"), column("foo", "c", "public.color"));
  const to = snap(table("foo"), column("foo", "c", "character varying(255)"));
  const plan = await buildPlan(from, to);
  const order = plan.steps.map((s) => s.op);
  assert.ok(order.indexOf("alter_column") < order.indexOf("drop_enum"), order.join(", "));
});

Deno.test("diff() refuses to turn a plain table into a partitioned one", () => {
  const to = snap({ ...table("events"), partitionBy: "RANGE (at)" });
  assert.throws(() => diff(snap(table("events")), to), /plain to partitioned/);
});

Deno.test("plan() rebuilds only the FKs that rest on the key being replaced", async () => {
  const fk = constraint("o", "fk_o_items", "f", "FOREIGN KEY (item_id) REFERENCES public.items(id)", {
    references: "table:public.items",
  });
  const pk = constraint("items", "items_pkey", "p", "PRIMARY KEY (id)");
  const from = snap(table("items"), table("o"), pk, constraint("items", "uq_score", "u", "UNIQUE (score)"), fk);
  const to = snap(table("items"), table("o"), pk, fk);
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => `${s.op} ${s.id}`), ["drop_constraint constraint:public.items.uq_score"]);
});

Deno.test("plan() adds new columns in the order they are declared, not by name", async () => {
  const from = snap(table("t"), column("t", "id", "integer", { position: 1 }));
  const to = snap(
    table("t"),
    column("t", "id", "integer", { position: 1 }),
    column("t", "zeta", "integer", { position: 2 }),
    column("t", "alpha", "integer", { position: 3 }),
  );
  const plan = await buildPlan(from, to);
  assert.deepEqual(plan.steps.map((s) => s.id), ["column:public.t.zeta", "column:public.t.alpha"]);
});
