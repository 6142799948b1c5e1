/**
 * Order from one dependency graph, end to end on both engines: objects whose dependencies the
 * phase/rank order alone got wrong (a domain whose CHECK calls a function; a function whose
 * SQL-standard body reads a view) are created after what they need and dropped before it.
 */
import assert from "node:assert/strict";
import { ENGINES } from "./support/db.ts";
import { converge } from "./support/converge.ts";

const TABLE = "CREATE TABLE public.t (id int PRIMARY KEY, n int);\n";
const WITH_DEPENDENTS = TABLE + `
CREATE VIEW public.v AS SELECT id, n FROM public.t WHERE n > 0;
CREATE FUNCTION public.positive_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.v; END;
CREATE FUNCTION public.is_pos(x int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN x > 0;
CREATE DOMAIN public.pos AS int CHECK (public.is_pos(VALUE));
CREATE FUNCTION public.twice(p public.pos) RETURNS int LANGUAGE sql IMMUTABLE RETURN p * 2;
`;

/** Position of the first statement containing `text`. */
function at(statements: string[], text: string): number {
  const i = statements.findIndex((s) => s.includes(text));
  assert.ok(i >= 0, `no statement contains ${text}:\n${statements.join("\n")}`);
  return i;
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] plan() creates a domain after the function its CHECK calls, and a function after the view it reads`, async () => {
    const db = await make();
    try {
      await converge(db, TABLE);
      const created = await converge(db, WITH_DEPENDENTS);
      assert.ok(at(created, "FUNCTION public.is_pos") < at(created, "CREATE DOMAIN public.pos"));
      assert.ok(at(created, "CREATE DOMAIN public.pos") < at(created, "FUNCTION public.twice"));
      assert.ok(at(created, "CREATE VIEW public.v") < at(created, "FUNCTION public.positive_count"));

      const dropped = await converge(db, TABLE);
      assert.ok(at(dropped, "DROP FUNCTION public.positive_count") < at(dropped, "DROP VIEW public.v"));
      assert.ok(at(dropped, "DROP FUNCTION public.twice") < at(dropped, "DROP DOMAIN public.pos"));
      assert.ok(at(dropped, "DROP DOMAIN public.pos") < at(dropped, "DROP FUNCTION public.is_pos"));
    } finally {
      await db.drop();
    }
  });
}

const DOUBLE = (result: string) =>
  `CREATE FUNCTION public.double(x int) RETURNS ${result} LANGUAGE sql IMMUTABLE RETURN x * 2;\n`;
const VIEWS = `CREATE VIEW public.doubled AS SELECT id, public.double(n) AS d FROM public.t;
CREATE VIEW public.doubled_positive AS SELECT id, d FROM public.doubled WHERE d > 0;
`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] plan() drops and recreates the views over a function whose result type changes`, async () => {
    const db = await make();
    try {
      await converge(db, TABLE + DOUBLE("int") + VIEWS);
      const ran = await converge(db, TABLE + DOUBLE("bigint") + VIEWS);
      const order = [
        "DROP VIEW public.doubled_positive",
        "DROP VIEW public.doubled;",
        "DROP FUNCTION public.double",
        "FUNCTION public.double(x integer)\n RETURNS bigint",
        "CREATE VIEW public.doubled AS",
        "CREATE VIEW public.doubled_positive AS",
      ].map((text) => at(ran, text));
      assert.deepEqual(order, [...order].sort((a, b) => a - b), ran.join("\n"));
    } finally {
      await db.drop();
    }
  });
}
