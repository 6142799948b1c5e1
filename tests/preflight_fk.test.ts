/**
 * The preflight counts the rows a new foreign key rejects on an existing table (child rows whose
 * complete key has no parent row) and says so in the plan and in the data section, as it does for
 * CHECK, NOT NULL and unique; it never counts over a column or table the plan creates. The plan
 * summary's sign follows the operation, and one row is "1 row".
 */
import assert, { equal, match } from "node:assert/strict";
import { cli, fillDataSection, tempFile } from "./support/cli.ts";
import { serverDb, type TestDb } from "./support/db.ts";
import { rowCounts, schemaDump } from "./support/dump.ts";

const LIVE = `
  CREATE TABLE public.parent (id int PRIMARY KEY);
  CREATE TABLE public.child (id int PRIMARY KEY, parent_id int);
  INSERT INTO public.parent VALUES (1), (2);
  INSERT INTO public.child VALUES (1, 1), (2, 3), (3, NULL), (4, 4);`;

const WITH_FK = `tables:
  - name: parent
    columns:
      - { name: id, type: Int, isNullable: false }
    primaryKey: { columns: [id] }
  - name: child
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: parent_id, type: Int }
    primaryKey: { columns: [id] }
    foreignKeys:
      - { columns: [parent_id], referencedTable: parent, referencedColumns: [id] }
`;

async function withDb(setup: string, f: (db: TestDb) => Promise<void>): Promise<void> {
  const db = await serverDb();
  try {
    await db.exec(setup);
    await f(db);
  } finally {
    await db.drop();
  }
}

/** `plan` to a desired file: the CLI result and the migration it wrote. */
async function plan(db: TestDb, desired: string, name = "schema.yaml") {
  const to = await tempFile(name, desired);
  const file = to.replace(/[^/]+$/, "m.sql");
  const r = await cli(["plan", "--from", db.url, "--to", to, "-o", file, "--allow-destructive"]);
  equal(r.code, 0, r.stderr);
  const json = await cli(["plan", "--from", db.url, "--to", to, "--allow-destructive", "--format", "json"]);
  return { ...r, file, migration: await Deno.readTextFile(file), steps: JSON.parse(json.stdout).steps, to };
}

Deno.test("[server] a new foreign key on an existing table: the plan counts the orphan rows, in its output and the data section", async () => {
  await withDb(LIVE, async (db) => {
    const p = await plan(db, WITH_FK);
    const sentence =
      /2 rows of public\.child reference no row of public\.parent \(they break the new foreign key FK_child_parent_id\)\./;
    match(p.stderr, new RegExp(`^warning: ${sentence.source} Fix them in the migration's data section`, "m"));
    match(p.migration, new RegExp(`^-- preflight: ${sentence.source}$`, "m"));
    const fk = p.steps.find((s: { op: string }) => s.op === "add_constraint");
    equal(fk.preflight.rows, 2, "rows 2 (parent 3) and 4 (parent 4); NULL keys pass");

    // Applying as planned fails and leaves the database as it was; a data fix makes it converge.
    const before = await schemaDump(db);
    const failed = await cli(["apply", p.file, "--db", db.url]);
    equal(failed.code, 1, failed.stderr);
    equal(await schemaDump(db), before);
    await Deno.writeTextFile(
      p.file,
      fillDataSection(p.migration, ["DELETE FROM public.child WHERE parent_id NOT IN (SELECT id FROM public.parent);"]),
    );
    const applied = await cli(["apply", p.file, "--db", db.url]);
    equal(applied.code, 0, applied.stderr);
    assert.deepEqual(await rowCounts(db, ["public.parent", "public.child"]), [2, 2]);
    equal((await cli(["drift", "--schema", p.to, "--db", db.url])).code, 0);
  });
});

Deno.test("[server] one orphan row is counted as '1 row … references'", async () => {
  await withDb(LIVE + "DELETE FROM public.child WHERE id = 4;", async (db) => {
    const p = await plan(db, WITH_FK);
    match(p.stderr, /^warning: 1 row of public\.child references no row of public\.parent \(it breaks /m);
    assert(!/\b1 rows\b/.test(p.stderr), p.stderr);
  });
});

Deno.test("[server] a MATCH FULL foreign key also counts rows whose key is partly NULL", async () => {
  await withDb(
    `CREATE TABLE public.p (a int, b int, UNIQUE (a, b));
     CREATE TABLE public.c (a int, b int);
     INSERT INTO public.p VALUES (1, 1);
     INSERT INTO public.c VALUES (1, 1), (1, NULL), (NULL, NULL), (9, 9);`,
    async (db) => {
      const p = await plan(
        db,
        `CREATE TABLE public.p (a int, b int, UNIQUE (a, b));
         CREATE TABLE public.c (a int, b int, CONSTRAINT c_ab_fk FOREIGN KEY (a, b) REFERENCES public.p (a, b) MATCH FULL);`,
        "desired.sql",
      );
      match(
        p.stderr,
        /warning: 2 rows of public\.c reference no row of public\.p \(they break the new foreign key c_ab_fk\)/,
      );
    },
  );
});

Deno.test("[server] no count over a column the plan adds: no 'could not count' warning for a new CHECK or foreign key on it", async () => {
  await withDb(LIVE, async (db) => {
    const desired = WITH_FK.replace(
      "      - { name: parent_id, type: Int }\n",
      "      - { name: parent_id, type: Int }\n      - { name: owner_id, type: Int }\n" +
        '      - { name: score, type: Int, checkConstraint: "score > 0" }\n',
    ).replace(
      "      - { columns: [parent_id], referencedTable: parent, referencedColumns: [id] }\n",
      "      - { columns: [owner_id], referencedTable: parent, referencedColumns: [id] }\n",
    );
    const p = await plan(db, desired);
    assert(!/could not count/.test(p.stderr + p.migration), p.stderr);
    const added = p.steps.filter((s: { op: string }) => s.op === "add_constraint");
    equal(added.length, 2, JSON.stringify(p.steps, null, 1));
    for (const s of added) equal(s.preflight, undefined, `${s.sql} is not counted: its column is new`);
  });
});

Deno.test("[server] a new unique constraint counts colliding rows, not rows whose key is NULL", async () => {
  await withDb(
    "CREATE TABLE public.u (x int); INSERT INTO public.u VALUES (NULL), (NULL), (1), (1), (2);",
    async (db) => {
      const p = await plan(db, "CREATE TABLE public.u (x int, CONSTRAINT u_x_key UNIQUE (x));", "desired.sql");
      match(p.stderr, /warning: 2 rows of public\.u collide \(or are NULL\) under the new unique constraint u_x_key\./);
    },
  );
});

Deno.test("[server] the plan summary's sign follows the operation: + create/add, ~ alter/rename, - drop", async () => {
  await withDb(
    "CREATE TABLE public.t (id int PRIMARY KEY, a int, c int, CONSTRAINT t_a_check CHECK (a > 0));",
    async (db) => {
      const p = await plan(
        db,
        `CREATE TABLE public.t (id int CONSTRAINT t_key PRIMARY KEY, a bigint, d int);
         CREATE TABLE public.u (id int);`,
        "desired.sql",
      );
      const lines = p.stderr.split("\n").filter((l) => /^ {2}[-+~] /.test(l));
      const sign = (what: RegExp) => {
        const line = lines.find((l) => what.test(l));
        assert(line, `a line for ${what}:\n${p.stderr}`);
        return line.slice(2, 3);
      };
      equal(sign(/ create table public\.u\b/), "+");
      equal(sign(/ add column public\.t\.d\b/), "+");
      equal(sign(/ alter column public\.t\.a\b/), "~");
      equal(sign(/ rename constraint public\.t\.t_key\b/), "~");
      equal(sign(/ drop column public\.t\.c\b/), "-");
      equal(sign(/ drop constraint public\.t\.t_a_check\b/), "-");
    },
  );
});
