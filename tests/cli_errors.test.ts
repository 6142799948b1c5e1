/**
 * How the CLI fails: the documented exit code, one plain message with a hint, locations in the
 * user's file, no stack traces, and never a password from a connection URL.
 */
import assert, { deepEqual, equal, match } from "node:assert/strict";
import postgres from "postgres";
import { cli, type CliResult, tempFile } from "./support/cli.ts";
import { SERVER_URL, serverDb } from "./support/db.ts";

const V1 = new URL("./fixtures/outage/v1.yaml", import.meta.url).pathname;
const INVALID = new URL("./fixtures/invalid/", import.meta.url).pathname;
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/x";

/** A failure as users should see it: `error: <one sentence>` first, a hint, no stack trace. */
function assertPlainFailure(r: CliResult): void {
  const lines = r.stderr.split("\n");
  match(lines[0], /^error: \S.*\S$/, r.stderr);
  assert(lines.some((l) => /^hint: \S/.test(l)), `a hint:\n${r.stderr}`);
  assert(!lines.some((l) => /^\s+at\s/.test(l)), `no stack trace:\n${r.stderr}`);
  assert(!/\b(TypeError|ReferenceError|Uncaught)\b/.test(r.stderr), r.stderr);
}

Deno.test("an unreachable database: exit 1 with one plain sentence and a hint", async () => {
  for (const args of [["dump", "--db", UNREACHABLE], ["plan", "--schema", V1, "--db", UNREACHABLE]]) {
    const r = await cli(args);
    equal(r.code, 1, `${args[0]}: ${r.stderr}`);
    equal(r.stdout, "");
    assertPlainFailure(r);
    match(r.stderr, /127\.0\.0\.1:1\b/, "names where it tried to connect");
    assert(r.stderr.split("\n").length <= 3, `short:\n${r.stderr}`);
  }
});

Deno.test("[server] a password in the database URL never appears in any output", async () => {
  const password = "Wr0ng_pgc_secret";
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const db = await serverDb();
  const dir = await Deno.makeTempDir({ prefix: "pgc_pw_" });
  try {
    await admin.unsafe("DROP ROLE IF EXISTS pgc_pw_user");
    await admin.unsafe("CREATE ROLE pgc_pw_user WITH LOGIN PASSWORD 'right'");
    const url = new URL(db.url);
    url.username = "pgc_pw_user";
    url.password = password;
    const file = `${dir}/m.sql`;
    const outputs: string[] = [];

    // Wrong password: refused where the server checks passwords; the test server trusts 127.0.0.1.
    const planned = await cli(["plan", "--schema", V1, "--db", url.toString(), "-o", file]);
    outputs.push(planned.stdout, planned.stderr);
    if (planned.code === 0) {
      const text = await Deno.readTextFile(file);
      match(text, /^-- source: .*pgc_pw_user/m, "the file says where it was planned from");
      outputs.push(text);
    } else {
      equal(planned.code, 1, planned.stderr);
      match(planned.stderr, /log in/i);
      assertPlainFailure(planned);
    }

    // A command that fails after parsing the URL, and one that prints the URL on success.
    url.pathname = "/pgc_no_such_database";
    const missing = await cli(["dump", "--db", url.toString()]);
    equal(missing.code, 1, missing.stderr);
    match(missing.stderr, /pgc_no_such_database/);
    assertPlainFailure(missing);
    outputs.push(missing.stdout, missing.stderr);
    const unreachable = await cli(["plan", "--schema", V1, "--db", `postgres://pgc_pw_user:${password}@127.0.0.1:1/x`]);
    equal(unreachable.code, 1, unreachable.stderr);
    outputs.push(unreachable.stdout, unreachable.stderr);

    for (const o of outputs) assert(!o.includes(password), `the password leaked:\n${o}`);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await db.drop();
    await admin.unsafe("DROP ROLE IF EXISTS pgc_pw_user");
    await admin.end();
  }
});

Deno.test("a missing schema file: exit 1 naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgc_missing_" });
  try {
    const path = `${dir}/no_such_schema.yaml`;
    // The file is read before any database is opened, so the unreachable URL never matters.
    for (const args of [["render", path], ["plan", "--schema", path, "--db", UNREACHABLE]]) {
      const r = await cli(args);
      equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert(r.stderr.split("\n")[0].includes(path), r.stderr);
      assertPlainFailure(r);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("schema.yaml structure problems: exit 2, every one at file:line:column in one run", async () => {
  const file = `${INVALID}structure.yaml`;
  const r = await cli(["render", file]);
  equal(r.code, 2, r.stderr);
  equal(r.stdout, "");
  match(r.stderr, /\b4 problems\b/);
  // Positions counted by hand in the fixture: the offending key, or the offending value.
  const located = r.stderr.split("\n").filter((l) => l.startsWith(`  ${file}:`)).map((l) => l.trim());
  deepEqual(located.map((l) => l.slice(file.length + 1, l.indexOf(": "))), ["6:9", "9:21", "11:16", "12:5"]);
  match(located[0], /unknown key "isNulable" \(did you mean "isNullable"\?\)/);
  match(located[1], /true or false/);
  match(located[2], /"columns" must be a list/);
  match(located[3], /unknown key "comments" \(did you mean "comment"\?\)/);
});

Deno.test("[pglite] an unknown type name and invalid CHECK SQL: exit 2 at the YAML line and column", async () => {
  const cases = [
    { file: `${INVALID}unknown_type.yaml`, at: "5:15", says: /type "nosuchtype" does not exist/ },
    { file: `${INVALID}bad_check.yaml`, at: "8:26", says: /syntax error/ },
  ];
  for (const c of cases) {
    const r = await cli(["render", c.file]);
    equal(r.code, 2, r.stderr);
    equal(r.stdout, "");
    assert(r.stderr.split("\n")[0].startsWith(`error: ${c.file}:${c.at}: `), r.stderr);
    match(r.stderr, c.says);
    assert(!r.stderr.split("\n").some((l) => /^\s+at\s/.test(l)), r.stderr);
  }
});

Deno.test("an unknown command or option: exit 2 pointing at --help", async () => {
  for (const args of [["frobnicate"], ["plan", "--frobnicate"], ["apply", "m.sql", "--db"]]) {
    const r = await cli(args);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assertPlainFailure(r);
    match(r.stderr, /--help/);
  }
});

Deno.test("--help lists the exit codes", async () => {
  const r = await cli(["--help"]);
  equal(r.code, 0);
  match(r.stdout, /exit codes/i);
  match(r.stdout, /^\s*0\s+ok\b/m);
  match(r.stdout, /^\s*1\s+error\b/m);
  match(r.stdout, /^\s*2\s+usage\b/m);
  match(r.stdout, /^\s*3\s+refused\b/m);
  match(r.stdout, /^\s*4\s+changes\b/m);
});

Deno.test("plan without --db and without DATABASE_URL: exit 2 with a hint; DATABASE_URL is used when set", async () => {
  const none = await cli(["plan", "--schema", V1]);
  equal(none.code, 2, none.stderr);
  assertPlainFailure(none);
  match(none.stderr, /^hint: .*--db.*DATABASE_URL/m);

  const fromEnv = await cli(["plan", "--schema", V1], { DATABASE_URL: UNREACHABLE });
  equal(fromEnv.code, 1, fromEnv.stderr);
  match(fromEnv.stderr, /127\.0\.0\.1:1\b/);
});

Deno.test("[pglite] every statement PostgreSQL rejects is reported in one run, at its YAML line", async () => {
  const file = await tempFile(
    "schema.yaml",
    `tables:
  - name: a
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: kind, type: Text, checkConstraint: "no_such_fn(kind)" }
      - { name: n, type: Int, checkConstraint: "n >>> 0" }
  - name: b
    columns:
      - { name: x, type: notatype }
`,
  );
  const r = await cli(["render", file]);
  assert.equal(r.code, 2, r.stderr);
  // (A syntax error never gets this far: the loader's parser reports it at its line.)
  assert.match(r.stderr, /schema\.yaml:5:\d+: PostgreSQL rejected this: function no_such_fn\(text\) does not exist/);
  assert.match(r.stderr, /schema\.yaml:6:\d+: PostgreSQL rejected this: .*operator does not exist/);
  assert.match(r.stderr, /schema\.yaml:9:\d+: PostgreSQL rejected this: type "notatype" does not exist/);
});
