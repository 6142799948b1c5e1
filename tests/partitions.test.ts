/**
 * Partitioned tables end to end on both engines: partitioned tables and partitions are created
 * in tree order, a changed bound is a detach and an attach that keep the rows, partitions go
 * before their parent, what a partition inherits follows its parent (never planned twice), what
 * it holds of its own is planned, and a new partition key is refused. After every apply,
 * planning again gives zero statements.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { ENGINES, serverDb } from "./support/db.ts";
import { converge, planOnly } from "./support/converge.ts";
import { cli } from "./support/cli.ts";

const PARENT = `CREATE TABLE public.m (city int NOT NULL, day date NOT NULL, temp int,
  CONSTRAINT m_temp_check CHECK (temp > -100), PRIMARY KEY (city, day)) PARTITION BY RANGE (day);
  CREATE INDEX m_city ON public.m (city);`;
const FEB = `CREATE TABLE public.m_feb PARTITION OF public.m FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');`;
const MAR = `CREATE TABLE public.m_mar PARTITION OF public.m FOR VALUES FROM ('2006-03-01') TO ('2006-04-01');`;

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] plan() creates a partitioned table, its partitions after it, sub-partitions and a default`, async () => {
    const db = await make();
    try {
      // "a_rest" sorts before "m": id order would create the partition before its parent.
      const ran = await converge(
        db,
        `${PARENT} ${FEB}
         CREATE TABLE public.a_rest PARTITION OF public.m DEFAULT PARTITION BY LIST (city);
         CREATE TABLE public.a_rest_1 PARTITION OF public.a_rest FOR VALUES IN (1, 2);`,
      );
      assert.deepEqual(ran.map((s) => s.split("\n")[0]), [
        "CREATE TABLE public.m (",
        "CREATE TABLE public.a_rest PARTITION OF public.m DEFAULT PARTITION BY LIST (city);",
        "CREATE TABLE public.m_feb PARTITION OF public.m FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');",
        "CREATE TABLE public.a_rest_1 PARTITION OF public.a_rest FOR VALUES IN (1, 2);",
        "ALTER TABLE public.m ADD CONSTRAINT m_pkey PRIMARY KEY (city, day);",
        "ALTER TABLE public.m ADD CONSTRAINT m_temp_check CHECK ((temp > '-100'::integer));",
        "CREATE INDEX m_city ON public.m USING btree (city);",
      ]);
      assert.match(ran[0], /\) PARTITION BY RANGE \(day\);$/);
      await db.exec(`INSERT INTO public.m VALUES (1, '2006-02-10', 3), (2, '2007-01-01', 4)`);
      const rows = await db.query<{ t: string }>("SELECT tableoid::regclass::text AS t FROM public.m ORDER BY 1");
      assert.deepEqual(rows.map((r) => r.t), ["a_rest_1", "m_feb"]);
      // The parent's index covers the partitions (not `ON ONLY`, as PostgreSQL prints it) and is valid.
      const ix = await db.query<{ valid: boolean; parts: number }>(
        `SELECT x.indisvalid AS valid, (SELECT count(*)::int FROM pg_inherits WHERE inhparent = x.indexrelid) AS parts
         FROM pg_index x WHERE x.indexrelid = 'public.m_city'::regclass`,
      );
      assert.deepEqual(ix.map((r) => [r.valid === true || (r.valid as unknown) === "t", r.parts]), [[true, 2]]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() detaches and attaches a partition whose bound changed, keeping its rows`, async () => {
    const db = await make();
    try {
      await db.exec(`${PARENT} ${FEB} ${MAR} INSERT INTO public.m VALUES (1, '2006-02-10', 3);`);
      const ran = await converge(
        db,
        `${PARENT} CREATE TABLE public.m_feb PARTITION OF public.m FOR VALUES FROM ('2006-01-15') TO ('2006-03-01');
         ${MAR} ALTER TABLE public.m ADD COLUMN note text;`,
      );
      assert.deepEqual(ran, [
        "ALTER TABLE public.m DETACH PARTITION public.m_feb;",
        "ALTER TABLE public.m ATTACH PARTITION public.m_feb FOR VALUES FROM ('2006-01-15') TO ('2006-03-01');",
        "ALTER TABLE public.m ADD COLUMN note text;",
      ]);
      const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM public.m_feb");
      assert.equal(rows[0].n, 1);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() drops a partition alone as destructive, and a partitioned table with its partitions in one DROP`, async () => {
    const db = await make();
    try {
      await db.exec(`${PARENT} ${FEB} ${MAR}`);
      const one = await planOnly(db, `${PARENT} ${FEB}`);
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stderr, /drop table public\.m_mar \[destructive\]/);
      const ran = await converge(db, `CREATE TABLE public.other (id int);`);
      assert.deepEqual(ran, [
        "DROP TABLE public.m;",
        "CREATE TABLE public.other (\n    id integer\n);",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() plans a partition's own index and CHECK, and leaves the inherited ones to its parent`, async () => {
    const db = await make();
    try {
      await db.exec(`${PARENT} ${FEB}`);
      const ran = await converge(
        db,
        // The parent's new index first, or it would adopt the partition's equal one ("a_" sorts first).
        `${PARENT} ${FEB} CREATE INDEX m_temp ON public.m (temp); CREATE INDEX a_feb_temp ON public.m_feb (temp);
         ALTER TABLE public.m_feb ADD CONSTRAINT m_feb_warm CHECK (temp > 0);`,
      );
      assert.deepEqual(ran, [
        "ALTER TABLE public.m_feb ADD CONSTRAINT m_feb_warm CHECK ((temp > 0));",
        "CREATE INDEX m_temp ON public.m USING btree (temp);",
        "CREATE INDEX a_feb_temp ON public.m_feb USING btree (temp);",
      ]);
      const gone = await converge(db, `${PARENT} ${FEB}`);
      assert.deepEqual(gone, [
        "DROP INDEX public.a_feb_temp;",
        "DROP INDEX public.m_temp;",
        "ALTER TABLE public.m_feb DROP CONSTRAINT m_feb_warm;",
      ]);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() attaches a table whose columns are its new parent's, keeping its rows`, async () => {
    const db = await make();
    try {
      await db.exec(`${PARENT} CREATE TABLE public.m_feb (city int NOT NULL, day date NOT NULL, temp int);
        CREATE INDEX m_feb_city ON public.m_feb (city);
        INSERT INTO public.m_feb VALUES (1, '2006-02-03', 2);`);
      const ran = await converge(db, `${PARENT} ${FEB}`);
      assert.deepEqual(ran, [
        "DROP INDEX public.m_feb_city;",
        "ALTER TABLE public.m_feb ADD CONSTRAINT m_temp_check CHECK ((temp > '-100'::integer));",
        "ALTER TABLE public.m ATTACH PARTITION public.m_feb FOR VALUES FROM ('2006-02-01') TO ('2006-03-01');",
      ]);
      const rows = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM public.m");
      assert.equal(rows[0].n, 1);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] plan() refuses a new partition key, and a plain table turning partitioned, with a hint`, async () => {
    const db = await make();
    try {
      await db.exec(`${PARENT} ${FEB} CREATE TABLE public.p (id int);`);
      const key = await planOnly(db, `${PARENT.replace("RANGE (day)", "LIST (city)")} CREATE TABLE public.p (id int);`);
      assert.equal(key.code, 2, key.stderr);
      assert.match(key.stderr, /changes its partition key from RANGE \(day\) to LIST \(city\)/);
      assert.match(key.stderr, /hint: /);
      const plain = await planOnly(db, `${PARENT} ${FEB} CREATE TABLE public.p (id int) PARTITION BY HASH (id);`);
      assert.equal(plain.code, 2, plain.stderr);
      assert.match(plain.stderr, /changes from plain to partitioned/);
    } finally {
      await db.drop();
    }
  });
}

Deno.test("[server] pull writes a partitioned table and its partitions as sql:, parent first, and plans to nothing", async () => {
  const db = await serverDb();
  try {
    await db.exec(`CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE a_m_2020 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');`);
    const dir = await Deno.makeTempDir({ prefix: "pgc_pull_" });
    const file = `${dir}/schema.yaml`;
    const r = await cli(["pull", "--db", db.url, "-o", file]);
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(await Deno.readTextFile(file)) as { sql: string[] };
    assert.deepEqual(doc.sql, [
      "CREATE TABLE public.m (\n    id integer,\n    at date\n) PARTITION BY RANGE (at);",
      "CREATE TABLE public.a_m_2020 PARTITION OF public.m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');",
    ]);
    const plan = await cli(["plan", "--schema", file, "--db", db.url, "--exit-code"]);
    assert.equal(plan.code, 0, plan.stderr);
    await Deno.remove(dir, { recursive: true });
  } finally {
    await db.drop();
  }
});
