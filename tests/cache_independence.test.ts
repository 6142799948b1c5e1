/**
 * Same inputs, same answer: `plan`, `drift`, `dump` and `render` print the same and exit the same
 * with the cache off, empty, warm, and warmed by other commands first (a `dump` before a `plan`
 * of the same database once turned an exit 2 into "No changes"). The cases are built here, not
 * read from the conformance directory, so the test runs in a clone with nothing beside it.
 */
import assert from "node:assert/strict";
import type { CliResult } from "./support/cli.ts";
import { serverDb, type TestDb } from "./support/db.ts";

const RUNNER = new URL("./support/run_cli.ts", import.meta.url).pathname;

/** A case: the database's schema and the schema it is planned to, as SQL. */
interface Case {
  name: string;
  current: string;
  desired: string;
}

/** A user-defined aggregate a view calls, and a generated column (the second printing reloads). */
const AGGREGATE = `
CREATE FUNCTION public.group_concat_step(acc text, v text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN acc IS NULL THEN v ELSE acc || ',' || v END $$;
CREATE AGGREGATE public.group_concat(text) (SFUNC = public.group_concat_step, STYPE = text);
CREATE TABLE public.item (
    id integer NOT NULL,
    name text,
    twice integer GENERATED ALWAYS AS ((id * 2)) STORED
);
CREATE VIEW public.names AS
 SELECT public.group_concat(i.name) AS all_names
   FROM (public.item i JOIN public.item j ON ((i.id = j.id)));
ALTER TABLE ONLY public.item ADD CONSTRAINT item_pkey PRIMARY KEY (id);
`;

const CASES: Case[] = [
  // The reproduction: the database planned to its own dump.
  { name: "aggregate", current: AGGREGATE, desired: AGGREGATE },
  {
    name: "view",
    current: "CREATE TABLE t (a int PRIMARY KEY);",
    desired: "CREATE TABLE t (a int PRIMARY KEY, b text); CREATE VIEW v AS SELECT a, upper(b) AS b FROM t WHERE a > 0;",
  },
  {
    name: "enum",
    current: "CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE t (m mood DEFAULT 'ok');",
    desired: "CREATE TYPE mood AS ENUM ('ok', 'meh', 'sad'); CREATE TABLE t (m mood DEFAULT 'meh', n mood[]);",
  },
  {
    name: "function",
    current: "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';",
    desired: `CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
              CREATE TABLE t (a int CHECK (f(a) > 0));`,
  },
];

const YAML = `enums:
  - { name: mood, values: [ok, meh, sad] }
tables:
  - name: t
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: m, type: mood, defaultValue: "'ok'" }
      - { name: code, type: VarChar(8), checkConstraint: "code IN ('a','b')" }
    primaryKey: { columns: [id] }
views:
  - { name: v, sql: "SELECT id, m FROM t WHERE code = 'a'" }
`;

/** Run the command lines in one fresh process whose cache directory is `cache` (or `off`). */
async function runAll(commands: string[][], cache: string): Promise<CliResult[]> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(commands));
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", RUNNER, file],
    env: { PGCONVERGE_CACHE_DIR: cache },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(file);
  const err = new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 0, err);
  return (JSON.parse(new TextDecoder().decode(r.stdout)) as CliResult[]).map((c) => ({
    ...c,
    // The one thing a migration may differ in: when it was planned.
    stdout: c.stdout.replace(/^-- planned: .*$/m, "-- planned: (time)"),
  }));
}

Deno.test("[server] plan, drift, dump and render answer the same with the cache off, empty, warm and warmed by another command", async () => {
  const dbs: TestDb[] = [];
  const dir = await Deno.makeTempDir({ prefix: "pgc_cache_cases_" });
  try {
    const shadow = await serverDb();
    dbs.push(shadow);
    const commands: string[][] = [];
    for (const c of CASES) {
      const db = await serverDb();
      dbs.push(db);
      await db.exec(c.current);
      const desired = `${dir}/${c.name}.sql`;
      await Deno.writeTextFile(desired, c.desired);
      const server = ["--shadow-url", shadow.url];
      commands.push(
        ["plan", "--from", db.url, "--to", desired, "--exit-code", ...server],
        ["drift", "--from", db.url, "--to", desired, ...server],
        ["dump", "--db", db.url, ...server],
      );
      // The embedded shadow too, where the reproduction was seen.
      if (c.name === "aggregate") commands.push(["plan", "--from", db.url, "--to", desired, "--exit-code"]);
    }
    await Deno.writeTextFile(`${dir}/schema.yaml`, YAML);
    commands.push(["render", `${dir}/schema.yaml`, "--shadow-url", shadow.url]);

    const off = await runAll(commands, "off");
    const cold = `${dir}/cache`;
    const empty = await runAll(commands, cold);
    const warm = await runAll(commands, cold);
    // Every command after the others have filled the cache: a dump before the plan of its database.
    const reversed = `${dir}/cache_reversed`;
    await Deno.mkdir(reversed);
    for (const e of Deno.readDirSync(cold)) {
      // The PGlite template is an instance to boot from, not an answer: kept, so only answers are cold.
      if (e.name.endsWith("-template.tar.gz")) await Deno.copyFile(`${cold}/${e.name}`, `${reversed}/${e.name}`);
    }
    const later = (await runAll([...commands].reverse(), reversed)).reverse();

    commands.forEach((args, i) => {
      const what = `${args[0]}${args.includes("--shadow-url") ? "" : " (PGlite shadow)"} #${i}`;
      for (const [state, r] of [["empty", empty[i]], ["warm", warm[i]], ["warmed by the others", later[i]]] as const) {
        assert.deepEqual(r, off[i], `${what} with the cache ${state} differs from the cache off`);
      }
      assert.ok(off[i].code === 0 || off[i].code === 4, `${what} failed: ${off[i].stderr}`);
    });
    // The reproduction: the database planned to its own dump has no changes, and says what it left alone.
    const aggregatePlan = off[0];
    assert.equal(aggregatePlan.code, 0, aggregatePlan.stderr);
    assert.match(aggregatePlan.stderr, /^No changes: /);
    assert.match(aggregatePlan.stderr, /aggregate public\.group_concat\(text\)/);
    // The cases do plan changes: the comparison is not of empty answers.
    assert.ok(off.filter((r) => r.code === 4).length >= 3);
  } finally {
    for (const db of dbs) await db.drop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
