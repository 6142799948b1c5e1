/**
 * The census: every object PostgreSQL holds in a managed schema (and every database-level object
 * of theirs) is either modelled or reported by name as not managed. Proved two ways: one object
 * of every kind is created and each is found where it belongs, and a sweep of every catalog of
 * the database finds no user object the census did not count.
 */
import assert from "node:assert/strict";
import { openDatabase } from "../src/db/open.ts";
import type { Queryable } from "../src/db/queryable.ts";
import { introspect } from "../src/introspect/introspect.ts";
import { accountedIds, type CensusEntry, readCensus } from "../src/introspect/census.ts";
import { withCatalogPath } from "../src/introspect/search_path.ts";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES, serverDb } from "./support/db.ts";

/** The reproduction: kinds that vanished from pull, dump and plan without a word. */
const VANISHING = `
CREATE SCHEMA app; COMMENT ON SCHEMA app IS 'application tables';
CREATE TABLE app.item (id integer PRIMARY KEY, name text); ALTER TABLE app.item CLUSTER ON item_pkey;
CREATE FUNCTION app.touch() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NOTIFY ddl; END $$;
COMMENT ON FUNCTION app.touch() IS 'notifies on DDL';
CREATE EVENT TRIGGER app_ddl_watch ON ddl_command_end EXECUTE FUNCTION app.touch();
CREATE PUBLICATION app_pub FOR TABLE app.item;
`;

/** One object of every kind PostgreSQL 15 has that can live in (or belong to) a schema. */
const EVERY_KIND = `${VANISHING}
CREATE FUNCTION app.add(acc int, v int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT acc + v';
CREATE AGGREGATE app.total(int) (SFUNC = app.add, STYPE = int);
CREATE FUNCTION app.nth(int) RETURNS int LANGUAGE internal WINDOW IMMUTABLE AS 'window_ntile';
CREATE PROCEDURE app.bump() LANGUAGE sql AS 'SELECT 1';
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE CONVERSION app.conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE FUNCTION app.int_eq(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.int_eq);
CREATE OPERATOR FAMILY app.fam USING btree;
CREATE OPERATOR CLASS app.cls FOR TYPE int USING hash AS OPERATOR 1 =;
CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = pg_catalog.english);
CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = pg_catalog.simple);
CREATE TEXT SEARCH PARSER app.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH TEMPLATE app.tmpl (LEXIZE = dsimple_lexize);
CREATE TABLE app.pairs (a int, b int);
CREATE STATISTICS app.st (dependencies) ON a, b FROM app.pairs;
CREATE TYPE app.pair AS (x int, y int);
CREATE TYPE app.span AS RANGE (subtype = int);
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
CREATE TYPE app.base;
CREATE CAST (app.pair AS text) WITH INOUT;
CREATE RULE noop AS ON UPDATE TO app.pairs DO INSTEAD NOTHING;
CREATE TABLE app.child (c int) INHERITS (app.pairs);
CREATE TABLE app.typed OF app.pair;
CREATE UNLOGGED TABLE app.scratch (x int);
CREATE SEQUENCE app.counter;
CREATE TABLE app.serials (id serial PRIMARY KEY, at int GENERATED ALWAYS AS IDENTITY, m app.mood DEFAULT 'ok');
CREATE TABLE app.parted (k int, v text DEFAULT 'x') PARTITION BY LIST (k);
CREATE TABLE app.parted_1 PARTITION OF app.parted FOR VALUES IN (1);
CREATE INDEX ON app.parted (v);
ALTER TABLE app.item REPLICA IDENTITY FULL;
ALTER TABLE app.pairs SET (fillfactor = 70);
ALTER TABLE app.item ALTER COLUMN name SET STATISTICS 500;
ALTER TABLE app.item ALTER COLUMN name SET STORAGE EXTERNAL;
GRANT SELECT (name) ON app.item TO PUBLIC;
CREATE FOREIGN DATA WRAPPER fdw0;
CREATE SERVER srv0 FOREIGN DATA WRAPPER fdw0;
CREATE USER MAPPING FOR CURRENT_USER SERVER srv0;
CREATE FOREIGN TABLE app.ft (a int) SERVER srv0;
CREATE VIEW app.v AS SELECT id, name FROM app.item;
ALTER VIEW app.v ALTER COLUMN name SET DEFAULT 'x';
CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.item;
CREATE INDEX mv_id ON app.mv (id);
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER vt INSTEAD OF INSERT ON app.v FOR EACH ROW EXECUTE FUNCTION app.trg();
CREATE TRIGGER it AFTER INSERT ON app.item FOR EACH ROW EXECUTE FUNCTION app.trg();
CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON app.item DEFERRABLE FOR EACH ROW EXECUTE FUNCTION app.trg();
ALTER TABLE app.item ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON app.item USING (id > 0);
CREATE TABLE app.ref (id int REFERENCES app.item, CHECK (id > 0));
COMMENT ON INDEX app.item_pkey IS 'pk';
COMMENT ON TABLE app.item IS 'items';
COMMENT ON COLUMN app.item.name IS 'its name';
COMMENT ON VIEW app.v IS 'a view';
COMMENT ON TYPE app.mood IS 'how it went';
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
CREATE PUBLICATION all_pub FOR ALL TABLES;
CREATE PUBLICATION schema_pub FOR TABLES IN SCHEMA app;
`;

/** What the model holds of EVERY_KIND: each id is in the snapshot. */
const MODELLED = [
  "schema:app",
  "table:app.item",
  "column:app.item.name",
  "constraint:app.item.item_pkey",
  "constraint:app.ref.ref_id_fkey",
  "constraint:app.ref.ref_id_check",
  "comment:table:app.item",
  "comment:column:app.item.name",
  "function:app.touch()",
  "function:app.add(integer, integer)",
  "function:app.trg()",
  "type:app.mood",
  "domain:app.positive",
  "sequence:app.counter",
  "table:app.parted",
  "table:app.parted_1",
  "index:app.parted_v_idx",
  "view:app.v",
  "matview:app.mv",
  "index:app.mv_id",
  "trigger:app.item.it",
  "trigger:app.item.ct",
  "rls:app.item",
  "policy:app.item.mine",
];

/** What the model does not hold of EVERY_KIND: each is reported by these words. */
const REPORTED = [
  "comment on schema app",
  "comment on function app.touch()",
  "cluster on app.item USING item_pkey",
  "event trigger app_ddl_watch",
  "publication app_pub",
  "publication table app.item in publication app_pub",
  "aggregate app.total(integer)",
  "window function app.nth(integer)",
  "procedure app.bump()",
  "collation app.ci",
  "conversion app.conv",
  "operator app.===(integer,integer)",
  "operator family app.fam using btree",
  "operator class app.cls using hash",
  "text search configuration app.cfg",
  "text search dictionary app.dict",
  "text search parser app.prs",
  "text search template app.tmpl",
  "statistics object app.st",
  "composite type app.pair",
  "range type app.span",
  "shell type app.base",
  "cast (app.pair AS text)",
  "rule noop on app.pairs",
  "table inheritance app.child inherits app.pairs",
  "typed table app.typed OF app.pair",
  "unlogged table app.scratch",
  "replica identity app.item FULL",
  "storage options app.pairs (fillfactor=70)",
  "column statistics app.item.name (500)",
  "column storage app.item.name (EXTERNAL)",
  "foreign-data wrapper fdw0",
  "foreign server srv0",
  "foreign table app.ft",
  "column default app.v.name",
  "trigger vt on app.v",
  "comment on index app.item_pkey",
  "comment on view app.v",
  "comment on enum app.mood",
  "publication all_pub (FOR ALL TABLES)",
  "publication schema_pub",
  "publication schema app in publication schema_pub",
];

/**
 * Every user object of the database (oid past initdb's, in every catalog of it that has oids),
 * with the object it is part of (`pg_depend` 'i' or 'P', an enum label's type, an operator
 * family's member's family), as `catalog:oid` keys.
 */
async function everyUserObject(db: Queryable): Promise<Map<string, { name: string; owner: string | null }>> {
  const catalogs = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'oid'
     WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared ORDER BY 1`,
  );
  const union = catalogs.filter((c) => c.name !== "pg_enum").map((c) =>
    `SELECT '${c.name}' AS catalog, oid FROM pg_catalog.${c.name} WHERE oid >= 16384`
  ).join("\nUNION ALL ");
  const rows = await db.query<{ key: string; name: string; schema: string | null; owner: string | null }>(`
    SELECT x.catalog || ':' || x.oid AS key, i.type || ' ' || i.identity AS name, i.schema,
           (SELECT d.refclassid::regclass::text || ':' || d.refobjid FROM pg_catalog.pg_depend d
            WHERE d.classid = x.catalog::regclass AND d.objid = x.oid AND d.refobjid <> x.oid
              AND (d.deptype IN ('i', 'P') OR (x.catalog IN ('pg_amop', 'pg_amproc') AND d.deptype = 'a'))
            ORDER BY d.deptype LIMIT 1) AS owner
    FROM (${union}) x
    CROSS JOIN LATERAL pg_catalog.pg_identify_object(x.catalog::regclass, x.oid, 0) i
    UNION ALL
    -- An enum label (pg_identify_object knows none) is part of its type.
    SELECT 'pg_enum:' || e.oid, 'enum label ' || e.enumlabel, NULL, 'pg_type:' || e.enumtypid
    FROM pg_catalog.pg_enum e WHERE e.oid >= 16384`);
  return new Map(
    rows.filter((r) => r.schema !== "pg_toast").map((r) => [r.key, { name: r.name, owner: r.owner }]),
  );
}

/** The `catalog:oid` keys of the census's objects (comments are on objects, not objects). */
function censusKeys(entries: CensusEntry[]): Set<string> {
  return new Set(entries.filter((e) => e.catalog !== "pg_description").map((e) => `${e.catalog}:${e.objid}`));
}

for (const [engine, makeDb] of ENGINES) {
  Deno.test(`[${engine}] every kind of object in a managed schema is modelled or reported by name as not managed`, async () => {
    const t = await makeDb();
    try {
      await t.exec(EVERY_KIND);
      const db = await openDatabase(t.url);
      try {
        const snap = await introspect(db, { schemas: ["app"] });
        const unmanaged = snap.unmanaged ?? [];
        for (const id of MODELLED) assert.ok(snap.objects.has(id), `${id} is not in the snapshot`);
        for (const line of REPORTED) {
          assert.ok(unmanaged.includes(line), `"${line}" is not reported; reported:\n${unmanaged.join("\n")}`);
        }

        const census = await withCatalogPath(db, () => readCensus(db, ["app"]));
        const ids = accountedIds(snap.objects.values(), snap.installedExtensions);
        for (const e of census.objects) {
          const reported = unmanaged.includes(`${e.kind} ${e.name}`);
          const modelled = e.modelId !== null && ids.has(e.modelId);
          assert.ok(reported || modelled, `${e.kind} ${e.name} (${e.modelId}) is neither modelled nor reported`);
        }
        // The sweep: every user object the catalogs hold is counted, or is part of one that is.
        const counted = censusKeys(census.objects);
        const all = await everyUserObject(db);
        const accounted = (key: string, depth = 0): boolean =>
          counted.has(key) || (depth < 5 && all.get(key)?.owner != null && accounted(all.get(key)!.owner!, depth + 1));
        const missing = [...all].filter(([key]) => !accounted(key)).map(([key, o]) => `${key} ${o.name}`);
        assert.deepEqual(missing, [], "objects the census did not count");
        assert.ok(all.size > 100, `the sweep found only ${all.size} objects`);
      } finally {
        await db.close();
      }
    } finally {
      await t.drop();
    }
  });
}

Deno.test("[server] an extension installed in a managed schema is counted; its members are its own", async () => {
  const t = await serverDb();
  try {
    await t.exec("CREATE SCHEMA app; CREATE EXTENSION citext SCHEMA app; CREATE TABLE app.t (c app.citext)");
    const db = await openDatabase(t.url);
    try {
      const snap = await introspect(db, { schemas: ["app"] });
      assert.deepEqual(snap.unmanaged, []);
      assert.deepEqual(snap.installedExtensions, [{ name: "citext", schema: "app" }]);
      const census = await withCatalogPath(db, () => readCensus(db, ["app"]));
      assert.ok(census.objects.some((e) => e.kind === "extension" && e.name === "citext"));
      assert.ok(!census.objects.some((e) => e.kind === "function"), "an extension's functions are counted as its own");
    } finally {
      await db.close();
    }
  } finally {
    await t.drop();
  }
});

Deno.test("[server] drift, plan, dump and pull name the kinds that used to vanish; --strict exits 4", async () => {
  const live = await serverDb();
  const empty = await serverDb();
  try {
    await live.exec(VANISHING);
    const lines = [
      "cluster on app.item USING item_pkey",
      "comment on function app.touch()",
      "comment on schema app",
      "event trigger app_ddl_watch",
      "publication app_pub",
      "publication table app.item in publication app_pub",
    ];
    const desired = await tempFile(
      "desired.sql",
      `CREATE SCHEMA app; CREATE TABLE app.item (id integer PRIMARY KEY, name text);
       CREATE FUNCTION app.touch() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NOTIFY ddl; END $$;`,
    );
    const drift = await cli(["drift", "--from", live.url, "--to", desired]);
    assert.equal(drift.code, 0, drift.stderr);
    assert.match(drift.stdout, /^Converged: /);
    assert.ok(
      drift.stdout.includes(`Not managed by pgconverge, left alone and not compared (6):\n  ${lines.join("\n  ")}`),
    );
    assert.equal((await cli(["drift", "--from", live.url, "--to", desired, "--strict"])).code, 4);

    // A plan from an empty database to the reproduction (as a .sql file) says what it leaves out.
    const repro = await tempFile("repro.sql", VANISHING);
    const plan = await cli(["plan", "--from", empty.url, "--to", repro, "--format", "json"]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.deepEqual(JSON.parse(plan.stdout).unmanaged, lines);
    assert.equal((await cli(["plan", "--from", empty.url, "--to", repro, "--strict"])).code, 4);

    const dump = await cli(["dump", "--db", live.url]);
    assert.equal(dump.code, 0, dump.stderr);
    assert.deepEqual(
      dump.stderr.split("\n"),
      lines.map((l) => `warning: not managed by pgconverge yet, not dumped: ${l}`),
    );
    assert.equal((await cli(["dump", "--db", live.url, "--strict"])).code, 4);

    const pull = await cli(["pull", "--db", live.url, "--strict"]);
    assert.equal(pull.code, 4, pull.stderr);
    for (const l of lines) assert.ok(pull.stderr.includes(`warning: not managed by pgconverge yet, not pulled: ${l}`));
  } finally {
    await live.drop();
    await empty.drop();
  }
});

Deno.test("[server] a plan between two .sql files that both create a publication and an event trigger loads each into an empty shadow", async () => {
  const shadow = await serverDb();
  try {
    const a = await tempFile("a.sql", VANISHING);
    const b = await tempFile("b.sql", `${VANISHING}\nALTER TABLE app.item ADD COLUMN at date;`);
    for (const extra of [[], ["--shadow-url", shadow.url]]) {
      const r = await cli(["plan", "--from", a, "--to", b, "--format", "json", ...extra]);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout);
      assert.deepEqual(plan.steps.map((s: { sql: string }) => s.sql), ["ALTER TABLE app.item ADD COLUMN at date;"]);
      assert.ok(plan.unmanaged.includes("publication app_pub"), plan.unmanaged.join("\n"));
      assert.ok(plan.unmanaged.includes("event trigger app_ddl_watch"), plan.unmanaged.join("\n"));
    }
    // The server shadow is left empty of them too.
    assert.deepEqual(
      await shadow.query("SELECT pubname FROM pg_publication UNION ALL SELECT evtname FROM pg_event_trigger"),
      [],
    );
  } finally {
    await shadow.drop();
  }
});
