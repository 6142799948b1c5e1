/**
 * "Cannot lie" under hostile values: a YAML value holds exactly what its key says. Values that
 * close their expression and go on are refused at their file:line:column with exit 2 before any
 * database is touched, whichever key holds them; the forms DataProviderMigrate files use still load.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import { PgcError } from "../mod.ts";
import { ensureSqlParser, parseSql, scanSql } from "../src/model/sql_parser.ts";
import { expressionProblem } from "../src/yaml/sql_values.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { cli, tempFile } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";

await ensureSqlParser();

/** 1-based line:column of the first `needle` in `text` (offset `plus` characters into it). */
function posOf(text: string, needle: string, plus = 0): string {
  const at = text.indexOf(needle);
  assert(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + plus).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** The problems of a file the loader refuses, as `line:column message`. */
function problems(text: string): string[] {
  try {
    loadSchemaYaml(text, "schema.yaml");
  } catch (e) {
    if (!(e instanceof PgcError)) throw e;
    equal(e.code, "yaml_invalid", e.message);
    equal(e.exitCode, 2);
    return e.problems.map((p) => `${p.at!.line}:${p.at!.column} ${p.message}`);
  }
  assert.fail(`expected problems, but the file loaded:\n${text}`);
}

const table = (column: string, extra = "") =>
  `tables:
  - name: t
    columns:
      - { name: id, type: Int }
${column}${extra}`;

/** The three hostile values users found, each with what it tried to smuggle in. */
const HOSTILE = [
  {
    key: "defaultValue",
    yaml: table(`      - { name: k, type: Text, defaultValue: "'x', injected int" }\n`),
    at: (y: string) => posOf(y, ", injected"),
    says: /"defaultValue": "," outside brackets starts a second item: ", injected int"/,
  },
  {
    key: "checkConstraint",
    yaml: table(`      - { name: n, type: Int, checkConstraint: "id > 0), ADD COLUMN evil int, ADD CHECK (true" }\n`),
    at: (y: string) => posOf(y, "), ADD COLUMN"),
    says: /"checkConstraint": "\)" closes a bracket the value did not open, so ", ADD COLUMN evil int/,
  },
  {
    key: "index filter",
    yaml: table(
      "",
      `    indexes:\n      - { name: ix_t, columns: [id], filter: "id > 0; CREATE TABLE evil (x int)" }\n`,
    ),
    at: (y: string) => posOf(y, "; CREATE TABLE"),
    says: /"filter": ";" ends the statement, so "CREATE TABLE evil \(x int\)" after it would run as SQL/,
  },
];

for (const h of HOSTILE) {
  Deno.test(`[server] plan refuses a ${h.key} that goes on after its expression: exit 2 at its column, database untouched`, async () => {
    const db = await serverDb();
    try {
      const file = await tempFile("schema.yaml", h.yaml);
      const out = file.replace(/schema\.yaml$/, "m.sql");
      const r = await cli(["plan", "--schema", file, "--db", db.url, "-o", out]);
      equal(r.code, 2, r.stderr);
      equal(r.stderr.split("\n")[0].startsWith(`error: ${file}:${h.at(h.yaml)}: `), true, r.stderr);
      match(r.stderr, h.says);
      match(r.stderr, /^hint: .*one SQL expression/m);
      assert(!/^\s+at\s/m.test(r.stderr), `no stack trace:\n${r.stderr}`);
      const relations = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public'",
      );
      equal(relations[0].n, 0, "nothing was created in the database");
      await assert.rejects(Deno.stat(out), Deno.errors.NotFound, "no migration file was written");
    } finally {
      await db.drop();
    }
  });
}

Deno.test("[server] plan refuses a 70-byte table name at its line, showing the name PostgreSQL would keep", async () => {
  const db = await serverDb();
  try {
    const name = `t${"_long".repeat(13)}x`; // 67 characters
    const long = `${name}abc`;
    equal(new TextEncoder().encode(long).length, 70);
    const yaml = `tables:\n  - name: ${long}\n    columns:\n      - { name: id, type: Int }\n`;
    const file = await tempFile("schema.yaml", yaml);
    const r = await cli(["plan", "--schema", file, "--db", db.url]);
    equal(r.code, 2, r.stderr);
    const first = r.stderr.split("\n")[0];
    assert(first.startsWith(`error: ${file}:2:11: `), r.stderr);
    assert(first.includes(`is 70 bytes, but PostgreSQL keeps 63: it would be "${long.slice(0, 63)}"`), first);
    const relations = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
    );
    equal(relations[0].n, 0);
  } finally {
    await db.drop();
  }
});

Deno.test("[server] plan refuses two default constraint names that collide once cut to 63 bytes, at both lines", async () => {
  const db = await serverDb();
  try {
    const col = (n: number) => `c${"_column".repeat(7)}_${n}`; // differ after byte 60
    const yaml = `tables:
  - name: accounts
    columns:
      - { name: ${col(1)}, type: Int }
      - { name: ${col(2)}, type: Int }
    uniqueConstraints:
      - columns: [${col(1)}]
      - columns: [${col(2)}]
`;
    const file = await tempFile("schema.yaml", yaml);
    const r = await cli(["plan", "--schema", file, "--db", db.url]);
    equal(r.code, 2, r.stderr);
    const cut = `UQ_accounts_${col(1)}`.slice(0, 63);
    const located = r.stderr.split("\n").filter((l) => l.startsWith(`  ${file}:`));
    deepEqual(located.map((l) => l.slice(file.length + 3).split(": ")[0]), ["7:9", "8:9"]);
    for (const l of located) assert(l.includes(`gets the default name "${cut}"`), l);
    match(located[0], /\(line 8\)/);
    match(located[1], /\(line 7\)/);
    match(r.stderr, /^\s+hint: Give one of them a name of its own/m);
  } finally {
    await db.drop();
  }
});

Deno.test("every expression-valued key is one expression, located at the character that breaks out", () => {
  const cases: Array<[string, string, string]> = [
    [
      "computedExpression",
      `      - { name: g, type: Int, computedExpression: "id * 2), evil int GENERATED ALWAYS AS (1" }\n`,
      "), evil",
    ],
    ["checkConstraint", `      - { name: n, type: Int, checkConstraint: "n > 0; DROP TABLE t" }\n`, "; DROP"],
    ["defaultValue", `      - { name: d, type: Int, defaultValue: "1 ) , x int" }\n`, ") , x"],
  ];
  for (const [key, column, needle] of cases) {
    const yaml = table(column);
    const [p, ...rest] = problems(yaml);
    deepEqual(rest, [], key);
    assert(p.startsWith(`${posOf(yaml, needle)} "${key}": `), `${key}: ${p}`);
  }
  const extra = (text: string) => table("", text);
  const keyed: Array<[string, string, RegExp]> = [
    [
      '    checkConstraints:\n      - { name: c1, expression: "id > 0), CONSTRAINT c2 CHECK (true" }\n',
      "), CONSTRAINT",
      /"expression": "\)" closes/,
    ],
    [
      '    indexes:\n      - { name: ix_e, expressions: ["lower(x)), (y"] }\n',
      "), (y",
      /"expressions\[0\]": "\)" closes/,
    ],
    [
      '    rowLevelSecurity:\n      policies:\n        - { name: p, usingSql: "true) WITH CHECK (false" }\n',
      ") WITH",
      /"usingSql": "\)" closes/,
    ],
    [
      '    rowLevelSecurity:\n      policies:\n        - { name: p, withCheckSql: "1 = 1; CREATE ROLE evil" }\n',
      "; CREATE ROLE",
      /"withCheckSql": ";" ends the statement/,
    ],
  ];
  for (const [text, needle, says] of keyed) {
    const yaml = extra(text);
    const [p, ...rest] = problems(yaml);
    deepEqual(rest, [], text);
    assert(p.startsWith(posOf(yaml, needle)), `${p} at ${posOf(yaml, needle)}`);
    match(p, says);
  }
});

Deno.test("simple RLS predicates, views, types, collations and function types hold one thing each", () => {
  const at = (yaml: string, needle: string) => posOf(yaml, needle);
  const policy = table("", '    rowLevelSecurity:\n      policies:\n        - { name: p, using: "id = 1, 2" }\n');
  match(problems(policy)[0], new RegExp(`^${at(policy, '"id = 1')} "using": "," outside brackets`));
  const view = `views:\n  - { name: v, sql: "SELECT 1; CREATE TABLE evil (x int)" }\n`;
  match(problems(view)[0], new RegExp(`^${at(view, "; CREATE")} "sql": ";" ends the query`));
  const check = `views:\n  - { name: v, sql: "SELECT 1 WITH CHECK OPTION" }\n`;
  match(problems(check)[0], /"sql": "SELECT 1 WITH CHECK OPTION" is not just one query: PostgreSQL reads more into it/);
  const type = table(`      - { name: x, type: "int, evil int" }\n`);
  match(problems(type)[0], new RegExp(`^${at(type, ", evil")} "type": "," outside brackets`));
  const typeTail = table(`      - { name: x, type: "int DEFAULT 1" }\n`);
  match(problems(typeTail)[0], /"type": "int DEFAULT 1" is not one valid type name: syntax error/);
  const collation = table(`      - { name: x, type: Text, collation: '"C" DEFAULT (1)' }\n`);
  match(problems(collation)[0], /"collation": .* is not one valid collation name/);
  const fn = (returns: string, argType = "Int") =>
    `functions:\n  - name: f\n    arguments: [{ name: a, type: "${argType}" }]\n    returns: "${returns}"\n    body: "SELECT 1"\n`;
  match(problems(fn("int LANGUAGE plpgsql"))[0], /^4:14 "returns": "int LANGUAGE plpgsql" is not just one result type/);
  match(problems(fn("int", "int, b text"))[0], /^3:38 "type": "," outside brackets/);
});

Deno.test("the forms DataProviderMigrate files use still load", () => {
  const yaml = `tables:
  - name: orders
    columns:
      - { name: id, type: Uuid, isNullable: false, defaultLqlExpression: gen_uuid() }
      - { name: created, type: DateTime, defaultLqlExpression: now() }
      - { name: note, type: Text, defaultLqlExpression: '"hello, world"' }
      - { name: status, type: VarChar(20), defaultValue: "'new'", checkConstraint: "status IN ('new', 'ERROR')" }
      - { name: total, type: "Decimal(12,2)", defaultValue: 0, checkConstraint: "total >= 0 -- never negative\\n" }
      - { name: at, type: timestamptz, defaultValue: "now()" }
      - { name: tags, type: "text[]", defaultValue: "ARRAY['a', 'b']::text[]" }
      - { name: doubled, type: "numeric(12,2)", computedExpression: "total * 2" }
      - { name: price, type: "timestamp(3) with time zone", defaultValue: "CURRENT_TIMESTAMP" }
    primaryKey: { columns: [id] }
    indexes:
      - { name: ix_orders_status, columns: [status], filter: "status <> 'done' AND (total > 0 OR tags @> ARRAY['x'])" }
      - { name: ix_orders_lower, expressions: ["lower(note)", "(total + 1)"] }
    rowLevelSecurity:
      policies:
        - { name: p, usingSql: "EXISTS (SELECT 1 FROM orders o WHERE o.id = id)", using: "status = 'x'" }
views:
  - { name: v_orders, sql: "WITH x AS (SELECT 1 AS a) SELECT a FROM x;" }
functions:
  - { name: f, arguments: [{ name: a, type: "numeric(10,2)" }], returns: "TABLE (id int, note text)", body: "SELECT 1, 'x'" }
  - { name: g, returns: "SETOF orders", body: "SELECT * FROM orders" }
`;
  const schema = loadSchemaYaml(yaml, "schema.yaml");
  const orders = schema.tables[0];
  equal(orders.columns[0].defaultSql, "gen_random_uuid()");
  equal(orders.columns[2].defaultSql, "'hello, world'");
  equal(orders.columns[4].checkConstraint, "total >= 0 -- never negative\n");
  equal(orders.indexes[1].expressions.length, 2);
  equal(schema.functions[0].returns, "TABLE (id int, note text)");
});

Deno.test("the parser accepts SQL that merely holds the word ERROR, and names a lexer error", () => {
  // @pgsql/parser 17.5.0 throws a good parse whose JSON contains "ERROR", and turns a lexer error into a JSON error.
  equal(parseSql("SELECT 'ERROR' AS \"ERROR\"").stmts?.length, 1);
  equal(scanSql("SELECT 'ERROR'").tokens.length, 2);
  assert.throws(() => parseSql("SELECT 'unterminated"), /unterminated quoted string at or near/);
  const p = expressionProblem("status IN ('ERROR', 'OK')");
  equal(p, undefined);
});

Deno.test("names are cut on a character boundary, and a NUL is refused", () => {
  const name = `${"é".repeat(31)}ab`; // 64 bytes: the last "b" does not fit, and no "é" is split
  const [p] = problems(`tables:\n  - name: ${name}\n    columns:\n      - { name: id, type: Int }\n`);
  assert(
    p.startsWith(`2:11 "name": "${name}" is 64 bytes, but PostgreSQL keeps 63: it would be "${"é".repeat(31)}a"`),
    p,
  );
  const [nul] = problems(`tables:\n  - name: "a\\0b"\n    columns:\n      - { name: id, type: Int }\n`);
  match(nul, /cannot hold the character U\+0000/);
});
