import assert from "node:assert/strict";
import { PgcError } from "../src/model/errors.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import { resolveType } from "../src/yaml/portable_types.ts";
import { translateLql } from "../src/yaml/lql.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

/** Every problem of `text` as `line:column message`, or a failure when it loads. */
function load(text: string) {
  return loadSchemaYaml(text, "schema.yaml");
}

/** The error loading `text` throws, or a failure when it loads. */
function loadError(text: string, file = "schema.yaml"): PgcError {
  try {
    loadSchemaYaml(text, file);
  } catch (e) {
    if (!(e instanceof PgcError)) throw e;
    assert.equal(e.code, "yaml_invalid");
    return e;
  }
  assert.fail("expected problems, but the file loaded");
}

/** Every problem of `text` as `line:column message`. */
function problems(text: string): string[] {
  return loadError(text).problems.map((p) => `${p.at?.line}:${p.at?.column} ${p.message}`);
}

const OUTAGE = `tables:
  - name: usage_events
    columns:
      - { name: id, type: Uuid, isNullable: false, defaultLqlExpression: gen_uuid() }
      - name: kind
        type: Text
        isNullable: false
        checkConstraint: "kind IN ('llm_request','llm_input_tokens','llm_output_tokens','machine_seconds')"
    primaryKey: { columns: [id] }
`;

Deno.test("loadSchemaYaml() reads the outage example with mapped types and defaults", () => {
  const [t] = load(OUTAGE).tables;
  assert.equal(`${t.schema}.${t.name}`, "public.usage_events");
  assert.deepEqual(t.columns.map((c) => [c.name, c.type, c.pgType, c.isNullable]), [
    ["id", "Uuid", "uuid", false],
    ["kind", "Text", "text", false],
  ]);
  assert.deepEqual([t.columns[0].defaultSql, t.primaryKey?.columns], ["gen_random_uuid()", ["id"]]);
  const at = t.columns[1].valueAt.checkConstraint;
  assert.equal(`${at?.file}:${at?.line}:${at?.column}`, "schema.yaml:8:26");
});

Deno.test("loadSchemaYaml() reports every unknown key with a suggestion", () => {
  assert.deepEqual(
    problems(`tabels: []
tables:
  - name: t
    colums: []
    columns:
      - { name: id, type: Int, isNulable: false, IsIdentity: true, zzz: 1 }
`),
    [
      '1:1 unknown key "tabels" (did you mean "tables"?)',
      '4:5 unknown key "colums" (did you mean "columns"?)',
      '6:32 unknown key "isNulable" (did you mean "isNullable"?)',
      '6:50 unknown key "IsIdentity" (did you mean "isIdentity"?)',
      '6:68 unknown key "zzz"',
    ],
  );
});

Deno.test("loadSchemaYaml() reports wrong value types at the value", () => {
  assert.deepEqual(
    problems(`tables:
  - name: t
    columns:
      - { name: a, type: Int, isNullable: "no" }
      - { name: [b], type: Int }
    primaryKey: [a]
    indexes: { name: x }
`),
    [
      '4:43 "isNullable" must be true or false, got "no"',
      '5:17 "name" must be a string, got a list',
      '6:17 primaryKey of table "t" must be a map, got a list',
      '7:14 "indexes" must be a list, got a map',
    ],
  );
});

Deno.test("loadSchemaYaml() reports missing required keys at the map", () => {
  assert.deepEqual(
    problems(`tables:
  - columns:
      - { type: Int }
    foreignKeys:
      - { columns: [a] }
`),
    [
      '2:5 table #1 is missing required key "name"',
      '3:9 column #1 of table #1 is missing required key "name"',
      '5:9 foreign key #1 of table #1 is missing required key "referencedTable"',
      '5:9 foreign key #1 of table #1 is missing required key "referencedColumns"',
      '5:21 foreignKey names column "a" that table #1 does not have',
    ],
  );
});

Deno.test("loadSchemaYaml() matches enum-like values case-insensitively and reports unknown ones", () => {
  const ok = load(`tables:
  - name: t
    columns: [{ name: id, type: int, identity: ALWAYS }, { name: p, type: int }]
    foreignKeys:
      - { columns: [p], referencedTable: t, referencedColumns: [id], onDelete: setnull }
`);
  const [t] = ok.tables;
  assert.deepEqual([t.columns[0].identity, t.foreignKeys[0].onDelete], ["always", "setNull"]);
  assert.deepEqual(
    problems(`tables:
  - name: t
    columns: [{ name: id, type: int, identity: sometimes }]
    foreignKeys:
      - { columns: [id], referencedTable: t, referencedColumns: [id], onDelete: Cascad }
    indexes:
      - { name: ix, columns: [id], method: gim }
`),
    [
      '3:48 unknown identity "sometimes"',
      '5:81 unknown onDelete "Cascad" (did you mean "Cascade"?)',
      '7:44 unknown method "gim" (did you mean "gin"?)',
    ],
  );
});

Deno.test("loadSchemaYaml() reports duplicate tables, columns and index names", () => {
  assert.deepEqual(
    problems(`tables:
  - name: t
    columns: [{ name: a, type: Int }, { name: a, type: Text }]
    indexes: [{ name: ix, columns: [a] }]
  - name: t
    indexes: [{ name: ix, expressions: ["lower(a)"] }]
  - { name: t, schema: other }
`),
    [
      '3:47 duplicate column "a" in table "t" (first at line 3)',
      '5:11 duplicate table "public.t" (first at line 2)',
      '6:23 duplicate index "public.ix" (first at line 4)',
    ],
  );
});

Deno.test("loadSchemaYaml() reports YAML syntax errors with line and column", () => {
  const found = problems(`tables:
  - name: t
    name: u
  - name: "unclosed
`);
  assert.deepEqual(found, [
    "3:5 YAML syntax: map keys must be unique",
    '5:1 YAML syntax: missing closing "quote',
  ]);
  assert.match(problems("")[0], /^1:1 schema.yaml is empty/);
});

Deno.test("loadSchemaYaml() collects problems from the whole file in one error", () => {
  const error = loadError(
    `tables:
  - name: a
    columns: [{ name: id, type: Int, isNulable: false }]
  - name: b
    columns: [{ name: id, type: "VarChar(x)", defaultLqlExpression: "sum(x)" }]
    primaryKey: { columns: [idd] }
`,
    "db/schema.yaml",
  );
  assert.equal(error.message, "db/schema.yaml has 4 problems");
  assert.equal(error.exitCode, 2);
  const at = error.problems.map((p) => `${p.at?.file}:${p.at?.line}:${p.at?.column}`);
  assert.equal(at.join(" ").replaceAll("db/schema.yaml:", ""), "3:38 5:33 5:69 6:29");
  assert.match(error.problems[2].message, /defaultLqlExpression "sum\(x\)".*defaultValue/);
  assert.match(error.problems[3].message, /did you mean "id"\?/);
});

Deno.test("loadSchemaYaml() treats null values as absent and keeps SQL scalars as written", () => {
  const s = load(`tables:
  - name: t
    comment:
    columns:
      - { name: price, type: "Decimal(12,2)", defaultValue: 1.50 }
      - { name: active, type: Bool, defaultValue: true }
`);
  assert.equal(s.tables[0].comment, undefined);
  assert.deepEqual(s.tables[0].columns.map((c) => c.defaultSql), ["1.50", "true"]);
});

Deno.test("loadSchemaYaml() says where a top-level section is not a list", () => {
  assert.deepEqual(problems("grants: { x: 1 }\n"), ['1:9 "grants" must be a list, got a map']);
});

Deno.test("loadSchemaYaml() reports identity on non-integer types and identity with a default", () => {
  assert.deepEqual(
    problems(`tables:
  - name: t
    columns:
      - { name: a, type: Text, isIdentity: true }
      - { name: b, type: Int, identity: always, defaultValue: "1" }
      - { name: c, type: Int, checkConstraintName: c_ok }
`),
    [
      '4:44 isIdentity needs an integer type (SmallInt, Int or BigInt), got "Text"',
      '5:63 column "b" has identity, so it cannot also have defaultValue',
      "6:52 checkConstraintName is set but checkConstraint is missing",
    ],
  );
});

Deno.test("loadSchemaYaml() reports implied enums that disagree with a declared one", () => {
  assert.deepEqual(
    problems(`enums:
  - { name: status, values: [a, b] }
  - { name: empty, values: [] }
tables:
  - name: t
    columns: [{ name: s, type: "Enum(status:a|c)" }]
`),
    [
      '3:28 enum "empty" has no values',
      '6:32 type Enum(status:…) lists a|c but enum "public.status" at line 2 has a|b',
    ],
  );
});

Deno.test("loadSchemaYaml() warns about surprising portable mappings without failing", () => {
  const s = load(`tables:
  - name: t
    columns: [{ name: f, type: Float }, { name: v, type: Timestamp }, { name: r, type: real }]
`);
  assert.deepEqual(s.warnings.map((w) => `${w.at.line}:${w.at.column}`), ["3:32", "3:58"]);
  assert.match(s.warnings[1].message, /bytea/);
});

/** `written => sql` pairs, `;`-separated, so a whole mapping table reads at a glance. */
function pairs(table: string): Array<[string, string]> {
  return table.split(/[;\n]/).map((p) => p.trim()).filter((p) => p !== "")
    .map((p) => p.split(" => ").map((x) => x.trim()) as [string, string]);
}

Deno.test("resolveType() maps the portable types table case-insensitively", () => {
  const table = `
    TinyInt => smallint; SmallInt => smallint; Int => integer; integer => integer
    BigInt => bigint; Bool => boolean; Boolean => boolean; Money => numeric(19,4)
    Decimal(12,2) => numeric(12,2); decimal(10) => numeric(10,0); SmallMoney => numeric(10,4)
    Float => real; Real => real; Double => double precision; Char(3) => character(3)
    NChar(2) => character(2); VarChar(255) => character varying(255); Text => text
    NVarChar(40) => character varying(40); VarChar(max) => text; NVarChar(MAX) => text
    Binary(16) => bytea; VarBinary(max) => bytea; Blob => bytea; RowVersion => bytea
    Timestamp => bytea; Date => date; Time => time; Time(3) => time(3); Time(9) => time(6)
    DateTime => timestamp; DateTime(3) => timestamp; DateTimeOffset => timestamp with time zone
    UUID => uuid; Guid => uuid; Json => jsonb; Jsonb => jsonb; Xml => xml; Uuid[] => uuid[]
    Vector(1536) => vector(1536); Enum(status:active|closed) => public.status
    Enum(app.Mood:ok) => app."Mood"; timestamptz => timestamptz; numeric(12,2) => numeric(12,2)
    text[] => text[]; my_enum => my_enum; character varying(5) => character varying(5)`;
  for (const [written, sql] of pairs(table)) {
    const r = resolveType(written);
    assert.ok("sql" in r, `${written}: ${JSON.stringify(r)}`);
    assert.equal(r.sql, sql, written);
  }
  assert.deepEqual(resolveType("Enum(status:active|closed)"), {
    sql: "public.status",
    enum: { schema: "public", name: "status", values: ["active", "closed"] },
  });
});

Deno.test("resolveType() rejects malformed types but passes unknown names to PostgreSQL", () => {
  const bad = ["", "  ", "int;drop", "numeric(12", "Decimal(a,b)", "VarChar(0)", "Enum(x)"];
  for (const type of [...bad, "Enum(x:a|a)", "Int(4)", "Timestamp(3)"]) {
    assert.ok("error" in resolveType(type), type);
  }
  assert.deepEqual(resolveType("strng"), { sql: "strng" });
});

Deno.test("translateLql() translates portable functions and literals only", () => {
  const table = `
    now() => CURRENT_TIMESTAMP; NOW( ) => CURRENT_TIMESTAMP; uuid() => gen_random_uuid()
    current_timestamp() => CURRENT_TIMESTAMP; gen_uuid() => gen_random_uuid()
    current_date() => CURRENT_DATE; current_time() => CURRENT_TIME; 42 => 42; -1.5 => -1.5
    'pending' => 'pending'; 'it''s' => 'it''s'; "pending" => 'pending'; true => true
    FALSE => FALSE`;
  for (const [lql, sql] of pairs(table)) assert.equal(translateLql(lql), sql, lql);
  for (const lql of ["sum(x)", "now() + 1", "'open", "status"]) {
    assert.equal(translateLql(lql), undefined, lql);
  }
});
