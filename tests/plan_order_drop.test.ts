/**
 * Dropping tables that reference each other: every foreign key between two dropped tables is
 * dropped first, and a DROP TABLE comes before the drop of anything the objects it takes along
 * rest on (the key another table's foreign key uses, a trigger's function). Each plan is applied
 * on the real server and must converge, with the kept tables' rows untouched.
 */
import assert, { equal } from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";
import { converge, planSteps } from "./support/converge.ts";
import { serverDb, type TestDb } from "./support/db.ts";
import { rowCounts, schemaDump } from "./support/dump.ts";

const KEEP = "CREATE TABLE public.keep (id int PRIMARY KEY, note text);\n";

/** Position of the first statement containing `text`. */
function at(statements: string[], text: string): number {
  const i = statements.findIndex((s) => s.includes(text));
  assert.ok(i >= 0, `no statement contains ${text}:\n${statements.join("\n")}`);
  return i;
}

/** Every foreign key drop comes before every table drop. */
function foreignKeysFirst(statements: string[]): void {
  const lastFk = statements.findLastIndex((s) => / DROP CONSTRAINT .*_fk/.test(s) || / DROP CONSTRAINT .*fkey/.test(s));
  const firstTable = statements.findIndex((s) => s.startsWith("DROP TABLE"));
  assert.ok(firstTable >= 0 && lastFk < firstTable, `foreign keys first:\n${statements.join("\n")}`);
}

async function withDb(setup: string, f: (db: TestDb) => Promise<void>): Promise<void> {
  const db = await serverDb();
  try {
    await db.exec(setup);
    await db.exec("INSERT INTO public.keep VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    await f(db);
    equal((await rowCounts(db, ["public.keep"]))[0], 3, "the kept table's rows are untouched");
  } finally {
    await db.drop();
  }
}

Deno.test("[server] dropping two tables whose foreign keys reference each other: both keys go first, then the tables", async () => {
  await withDb(
    KEEP + `
    CREATE TABLE public.a (id int PRIMARY KEY, b_id int);
    CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a);
    ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES public.b;
    INSERT INTO public.a VALUES (1, NULL); INSERT INTO public.b VALUES (1, 1); UPDATE public.a SET b_id = 1;`,
    async (db) => {
      const ran = await converge(db, KEEP);
      foreignKeysFirst(ran);
      assert.deepEqual(ran.filter((s) => s.startsWith("DROP TABLE")).sort(), [
        "DROP TABLE public.a;",
        "DROP TABLE public.b;",
      ]);
      assert.ok(!ran.some((s) => /CASCADE/.test(s)), "never CASCADE");
    },
  );
});

Deno.test("[server] dropping a chain, a three-table cycle and a self-referencing table together converges", async () => {
  await withDb(
    KEEP + `
    CREATE TABLE public.c (id int PRIMARY KEY);
    CREATE TABLE public.d (id int PRIMARY KEY, c_id int REFERENCES public.c);
    CREATE TABLE public.x (id int PRIMARY KEY, z_id int);
    CREATE TABLE public.y (id int PRIMARY KEY, x_id int REFERENCES public.x);
    CREATE TABLE public.z (id int PRIMARY KEY, y_id int REFERENCES public.y);
    ALTER TABLE public.x ADD CONSTRAINT x_z_fk FOREIGN KEY (z_id) REFERENCES public.z;
    CREATE TABLE public.s (id int PRIMARY KEY, parent int REFERENCES public.s, keep_id int REFERENCES public.keep);
    INSERT INTO public.c VALUES (1); INSERT INTO public.d VALUES (1, 1);
    INSERT INTO public.s VALUES (1, NULL, NULL), (2, 1, NULL);`,
    async (db) => {
      const ran = await converge(db, KEEP);
      foreignKeysFirst(ran);
      // A key into its own table, or into a kept table, goes with its table.
      assert.ok(!ran.some((s) => /s_parent_fkey|s_keep_id_fkey/.test(s)), ran.join("\n"));
      equal(ran.filter((s) => s.startsWith("DROP TABLE")).length, 6);
    },
  );
});

Deno.test("[server] a dropped table whose foreign key uses a key that is replaced goes before that key", async () => {
  // keep's primary key moves to another column: the old key can only go once t, whose foreign
  // key rests on it, is gone. Phase order alone dropped the key first.
  const moved = "CREATE TABLE public.keep (id int NOT NULL, note text NOT NULL PRIMARY KEY);\n";
  await withDb(
    `CREATE TABLE public.keep (id int PRIMARY KEY, note text NOT NULL);
    CREATE TABLE public.t (id int PRIMARY KEY, keep_id int REFERENCES public.keep);
    INSERT INTO public.t VALUES (1, NULL);`,
    async (db) => {
      const ran = await converge(db, moved);
      assert.ok(at(ran, "DROP TABLE public.t") < at(ran, "DROP CONSTRAINT keep_pkey"), ran.join("\n"));
    },
  );
});

Deno.test("[server] a dropped table with a trigger goes before the trigger's function, and a kept table's key into it goes first", async () => {
  await withDb(
    KEEP + `
    CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TABLE public.logged (id int PRIMARY KEY);
    CREATE TRIGGER logged_stamp BEFORE INSERT ON public.logged FOR EACH ROW EXECUTE FUNCTION public.stamp();
    ALTER TABLE public.keep ADD COLUMN logged_id int REFERENCES public.logged;`,
    async (db) => {
      const desired = KEEP + "ALTER TABLE public.keep ADD COLUMN logged_id int;\n";
      const ran = await converge(db, desired);
      assert.ok(at(ran, "DROP TABLE public.logged") < at(ran, "DROP FUNCTION public.stamp"), ran.join("\n"));
      assert.ok(at(ran, "DROP CONSTRAINT keep_logged_id_fkey") < at(ran, "DROP TABLE public.logged"));
    },
  );
});

Deno.test("[server] partitioned tables whose keys reference each other (and their partitions' keys) are dropped", async () => {
  await withDb(
    KEEP + `
    CREATE TABLE public.p (id int, k text, PRIMARY KEY (k, id), UNIQUE (k)) PARTITION BY LIST (k);
    CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN ('a');
    CREATE TABLE public.q (k text, UNIQUE (k)) PARTITION BY LIST (k);
    CREATE TABLE public.q1 PARTITION OF public.q FOR VALUES IN ('a');
    ALTER TABLE public.q ADD CONSTRAINT q_p_fk FOREIGN KEY (k) REFERENCES public.p (k);
    ALTER TABLE public.p ADD CONSTRAINT p_q_fk FOREIGN KEY (k) REFERENCES public.q (k);
    ALTER TABLE public.q1 ADD CONSTRAINT q1_p1_fk FOREIGN KEY (k) REFERENCES public.p1 (k);`,
    async (db) => {
      const ran = await converge(db, KEEP);
      foreignKeysFirst(ran);
    },
  );
});

Deno.test("[server] the plan says why each foreign key goes first and marks only the tables destructive", async () => {
  await withDb(
    KEEP + `
    CREATE TABLE public.a (id int PRIMARY KEY, b_id int);
    CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a);
    ALTER TABLE public.a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES public.b;`,
    async (db) => {
      const to = await tempFile("keep.sql", KEEP);
      const text = await cli(["plan", "--from", db.url, "--to", to, "--allow-destructive"]);
      equal(text.code, 0, text.stderr);
      assert.match(
        text.stderr,
        /^ {2}- drop constraint public\.a\.a_b_fk: the table it is on and the table it references are both dropped/m,
      );
      assert.match(text.stderr, /^ {2}- drop table public\.a \[destructive\]/m);
      const steps = await planSteps(db, to);
      equal(steps.filter((s) => s.op === "drop_constraint").length, 2);
    },
  );
});

Deno.test("[server] a drop that an object outside the managed schemas rests on is refused at plan time, naming it; the database is untouched", async () => {
  await withDb(
    KEEP + `
    CREATE TABLE public.gone (id int PRIMARY KEY, label text);
    CREATE TYPE public.mood AS ENUM ('ok');
    CREATE SCHEMA other;
    CREATE TABLE other.ref (gone_id int REFERENCES public.gone, m public.mood);
    CREATE VIEW other.labels AS SELECT note FROM public.keep;`,
    async (db) => {
      const to = await tempFile("keep.sql", "CREATE TABLE public.keep (id int PRIMARY KEY);\n");
      const before = await schemaDump(db);
      for (const args of [["plan", "-o", to.replace(/keep\.sql$/, "m.sql")], ["migrate"]]) {
        const r = args[0] === "plan"
          ? await cli([...args, "--from", db.url, "--to", to, "--allow-destructive"])
          : await cli(["migrate", "--db", db.url, "--schema", to, "--allow-destructive"]);
        equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^error: Cannot plan: 3 object\(s\) outside the managed schemas \(public\) rest on/m);
        assert.match(r.stderr, /^ {2}constraint ref_gone_id_fkey on table other\.ref depends on table gone$/m);
        assert.match(r.stderr, /^ {2}column m of table other\.ref depends on type mood$/m);
        assert.match(r.stderr, /^ {2}rule _RETURN on view other\.labels depends on column note of table keep$/m);
        assert.match(r.stderr, /^hint: Manage their schemas too/m);
      }
      equal(await schemaDump(db), before, "nothing ran");
      // drift only reports: it lists the drops without refusing.
      equal((await cli(["drift", "--from", db.url, "--to", to])).code, 4);
      // Managing the other schema too, the plan covers them (and refuses only as destructive).
      const both = await cli(["plan", "--from", db.url, "--to", to, "--schemas", "public,other"]);
      equal(both.code, 3, both.stderr);
    },
  );
});
