/**
 * `pull` over every managed kind: views, functions, triggers, row-level security, sequences,
 * domains, roles, grants and extensions are written (structured keys where they say the object
 * exactly, `sql:` in its load slot otherwise) and the pulled file plans to zero statements.
 */
import assert, { equal, match } from "node:assert/strict";
import { PgcError } from "../mod.ts";
import { sqlItems } from "../src/pull/sql_items.ts";
import { snapshotOf } from "../src/model/snapshot.ts";
import { pullAndReplan } from "./support/pull.ts";
import { ENGINES, serverDb } from "./support/db.ts";

type Item = Record<string, unknown>;

const sqlOf = (doc: Item): Array<string | { sql: string; load: string }> =>
  (doc.sql ?? []) as Array<string | { sql: string; load: string }>;
const sqlTexts = (doc: Item, load?: "beforeTables"): string[] =>
  sqlOf(doc).flatMap((i) =>
    typeof i === "string" ? (load ? [] : [i]) : (load === undefined || i.load === load ? [i.sql] : [])
  );
const tableOf = (doc: Item, name: string): Item => (doc.tables as Item[]).find((t) => t.name === name)!;

/** A role name no other test uses (roles are cluster-wide on the server). */
function roleName(): string {
  return `pgc_pull_${crypto.randomUUID().slice(0, 8)}`;
}

/** Drop test roles from the server cluster (once the databases that use them are gone). */
async function dropServerRoles(roles: string[]): Promise<void> {
  const admin = await serverDb();
  try {
    await admin.exec(roles.map((r) => `DROP ROLE IF EXISTS ${r};`).join("\n"));
  } finally {
    await admin.drop();
  }
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] pull writes views and materialized views under views:, in dependency order`, async () => {
    const db = await make();
    try {
      await db.exec(`
        CREATE TABLE t (id int PRIMARY KEY, n int);
        CREATE VIEW z_base AS SELECT id, n FROM t WHERE n > 0;
        CREATE VIEW a_top AS SELECT id FROM z_base;
        CREATE VIEW guarded WITH (security_barrier) AS SELECT id FROM t;
        CREATE MATERIALIZED VIEW mv AS SELECT n, count(*) AS c FROM t GROUP BY n;
        CREATE UNIQUE INDEX mv_n ON mv (n);
      `);
      const { doc } = await pullAndReplan(db);
      const views = doc.views as Item[];
      assert.deepEqual(views.map((v) => v.name), ["mv", "z_base", "a_top"], "a view after the view it reads");
      equal(views[0].materialized, true);
      equal(views[2].sql, "SELECT id\n   FROM public.z_base");
      assert.deepEqual(sqlTexts(doc), [
        "CREATE UNIQUE INDEX mv_n ON public.mv USING btree (n);",
        "CREATE VIEW public.guarded WITH (security_barrier=true) AS\nSELECT id\n   FROM public.t;",
      ], "a view with options and a materialized view's index are sql: (after the structured views)");
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] pull writes a function as functions: when its keys say it exactly, else its pg_get_functiondef as sql:`, async () => {
    const db = await make();
    try {
      await db.exec(`
        CREATE TABLE t (id int PRIMARY KEY, n int);
        CREATE FUNCTION plus_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
        CREATE FUNCTION strict_one(x integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT x + 1';
        CREATE FUNCTION with_default(x integer DEFAULT 1) RETURNS integer LANGUAGE sql AS 'SELECT x';
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.n := coalesce(NEW.n, 0);
          RETURN NEW;
        END
        $$;
        CREATE TRIGGER t_touch BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE t ADD CONSTRAINT n_positive CHECK (plus_one(n) > 0);
        REVOKE EXECUTE ON FUNCTION plus_one(integer) FROM PUBLIC;
      `);
      const { doc } = await pullAndReplan(db);
      const fns = doc.functions as Item[];
      assert.deepEqual(fns.map((f) => f.name), ["plus_one", "touch"]);
      assert.deepEqual(fns[0], {
        name: "plus_one",
        arguments: [{ name: "x", type: "Int" }],
        returns: "Int",
        language: "sql",
        volatility: "Immutable",
        body: "SELECT x + 1",
      }, "EXECUTE revoked from PUBLIC is the key's default");
      equal(fns[1].returns, "trigger");
      equal(fns[1].revokePublicExecute, false, "EXECUTE left to PUBLIC");
      match(String(fns[1].body), /NEW\.n := coalesce\(NEW\.n, 0\);/);
      const before = sqlTexts(doc, "beforeTables");
      equal(before.length, 1, before.join("\n"));
      match(before[0], /^SET check_function_bodies = off;\nCREATE OR REPLACE FUNCTION public\.strict_one\(x integer\)/);
      match(before[0], /IMMUTABLE STRICT/);
      match(before[0], /CREATE OR REPLACE FUNCTION public\.with_default\(x integer DEFAULT 1\)/);
      match(before[0], /RESET check_function_bodies;$/);
      assert.deepEqual(
        sqlOf(doc).filter((i) => typeof i === "string"),
        ["CREATE TRIGGER t_touch BEFORE INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.touch();"],
        "a trigger is sql: after the tables",
      );
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] pull writes row-level security and policies under the table's rowLevelSecurity`, async () => {
    const db = await make();
    const role = roleName();
    try {
      await db.exec(`
        CREATE ROLE ${role} NOLOGIN;
        CREATE TABLE docs (id int PRIMARY KEY, owner text NOT NULL, shared boolean NOT NULL DEFAULT false);
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        ALTER TABLE docs FORCE ROW LEVEL SECURITY;
        CREATE POLICY mine ON docs FOR SELECT TO ${role} USING (owner = current_user OR shared);
        CREATE POLICY only_own ON docs AS RESTRICTIVE FOR INSERT WITH CHECK (owner = current_user);
        CREATE POLICY edit ON docs FOR UPDATE USING (owner = current_user) WITH CHECK (owner = current_user);
        CREATE TABLE drafts (id int PRIMARY KEY);
        CREATE POLICY readable ON drafts USING (true);
      `);
      const { doc } = await pullAndReplan(db);
      assert.deepEqual(tableOf(doc, "docs").rowLevelSecurity, {
        forced: true,
        policies: [
          {
            name: "edit",
            operations: ["Update"],
            usingSql: "(owner = CURRENT_USER)",
            withCheckSql: "(owner = CURRENT_USER)",
          },
          { name: "mine", operations: ["Select"], roles: [role], usingSql: "((owner = CURRENT_USER) OR shared)" },
          { name: "only_own", permissive: false, operations: ["Insert"], withCheckSql: "(owner = CURRENT_USER)" },
        ],
      });
      assert.deepEqual(
        tableOf(doc, "drafts").rowLevelSecurity,
        { enabled: false, policies: [{ name: "readable", usingSql: "true" }] },
        "policies on a table whose row-level security is off",
      );
      assert.deepEqual(doc.roles, [{ name: role }], "the role a policy names is written");
      equal(doc.sql, undefined);
    } finally {
      await db.drop();
      if (engine === "server") await dropServerRoles([role]);
    }
  });

  Deno.test(`[${engine}] pull writes domains and sequences as sql: loaded before the tables, OWNED BY after`, async () => {
    const db = await make();
    try {
      await db.exec(`
        CREATE DOMAIN positive AS integer DEFAULT 1 NOT NULL CHECK (VALUE > 0);
        CREATE SEQUENCE order_no AS integer START 100 INCREMENT 5;
        CREATE TABLE orders (id int PRIMARY KEY, qty positive, no integer DEFAULT nextval('order_no'), legacy integer);
        CREATE SEQUENCE legacy_no OWNED BY orders.legacy;
      `);
      const { doc } = await pullAndReplan(db);
      assert.deepEqual(sqlTexts(doc, "beforeTables"), [
        "CREATE DOMAIN public.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK ((VALUE > 0));",
        "CREATE SEQUENCE public.legacy_no AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE;",
        "CREATE SEQUENCE public.order_no AS integer INCREMENT BY 5 MINVALUE 1 MAXVALUE 2147483647 START WITH 100 CACHE 1 NO CYCLE;",
      ]);
      assert.deepEqual(sqlOf(doc).filter((i) => typeof i === "string"), [
        "ALTER SEQUENCE public.legacy_no OWNED BY public.orders.legacy;",
      ]);
      const cols = tableOf(doc, "orders").columns as Item[];
      assert.deepEqual(cols.map((c) => c.type), ["Int", "public.positive", "Int", "Int"]);
      equal(cols[2].defaultValue, "nextval('public.order_no'::regclass)");
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] pull writes views, policies and functions as sql: when their structured form would not load`, async () => {
    const db = await make();
    try {
      // A SQL-standard body reads the table, so the function loads after the tables, after the
      // structured policies: the file is written again with them under sql:, in the snapshot's order.
      await db.exec(`
        CREATE TABLE t (id int PRIMARY KEY);
        CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.t; END;
        ALTER TABLE t ENABLE ROW LEVEL SECURITY;
        CREATE POLICY few ON t USING (public.t_count() < 100);
      `);
      const { doc } = await pullAndReplan(db);
      equal(tableOf(doc, "t").rowLevelSecurity, undefined);
      const after = sqlOf(doc).filter((i) => typeof i === "string") as string[];
      assert.deepEqual(after.map((s) => s.split(/[ \n(]/).slice(0, 3).join(" ")), [
        "SET check_function_bodies =",
        "CREATE POLICY few",
        "ALTER TABLE public.t",
      ]);
    } finally {
      await db.drop();
    }
  });
}

Deno.test("[server] pull writes the privileges in the pulled schemas as grants:, the roles they name, and extensions", async () => {
  const db = await serverDb();
  const reader = roleName();
  const writer = roleName();
  try {
    await db.exec(`
      CREATE ROLE ${reader} NOLOGIN;
      CREATE ROLE ${writer} LOGIN;
      GRANT ${reader} TO ${writer};
      CREATE EXTENSION citext;
      CREATE SCHEMA app;
      CREATE TABLE app.users (id int PRIMARY KEY, email public.citext NOT NULL);
      GRANT USAGE ON SCHEMA app TO ${reader}, ${writer};
      GRANT SELECT ON app.users TO ${reader};
      GRANT SELECT, INSERT, UPDATE ON app.users TO ${writer};
      GRANT SELECT ON app.users TO PUBLIC;
    `);
    const { doc } = await pullAndReplan(db);
    assert.deepEqual(doc.extensions, [{ name: "citext", schema: "public" }]);
    const [first, second] = [reader, writer].sort();
    assert.deepEqual(
      doc.roles,
      [reader, writer].sort().map((name) => name === writer ? { name, login: true } : { name, grantTo: [writer] }),
    );
    assert.deepEqual(doc.grants, [
      { schema: "app", target: "Schema", privileges: ["USAGE"], roles: [first, second] },
      { schema: "app", target: "Table", objectName: "users", privileges: ["SELECT"], roles: [reader, "public"].sort() },
      {
        schema: "app",
        target: "Table",
        objectName: "users",
        privileges: ["SELECT", "INSERT", "UPDATE"],
        roles: [writer],
      },
    ]);
  } finally {
    await db.drop();
    await dropServerRoles([writer, reader]);
  }
});

Deno.test("[server] pull leaves privileges unmanaged when one is WITH GRANT OPTION, and says why", async () => {
  const db = await serverDb();
  const role = roleName();
  try {
    await db.exec(`
      CREATE ROLE ${role} NOLOGIN;
      CREATE TABLE t (id int PRIMARY KEY);
      GRANT SELECT ON t TO ${role} WITH GRANT OPTION;
    `);
    const { doc, stderr } = await pullAndReplan(db);
    equal(doc.grants, undefined);
    equal(doc.roles, undefined, "no role is named by what the file writes");
    match(stderr, /^warning: not managed by pgconverge yet, not pulled: privileges public\.t$/m);
    match(stderr, /^warning: Privileges are not pulled \(they stay unmanaged\): .*WITH GRANT OPTION/m);
  } finally {
    await db.drop();
    await dropServerRoles([role]);
  }
});

Deno.test("pull refuses to write an object that has no sql: form rather than leave it out", () => {
  const role = { kind: "role" as const, id: "role:x", name: "x", login: false, bypassRls: false, members: [] };
  assert.throws(
    () => sqlItems([role], snapshotOf([role], ["public"])),
    (e: unknown) => e instanceof PgcError && e.code === "unsupported" && e.details.includes("role:x"),
  );
});
