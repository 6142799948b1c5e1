/**
 * The CLI cannot be talked into a lie by hostile input: a --schemas name nobody has, a database
 * URL that does not parse, a duration PostgreSQL would reject, an option the command ignores, or
 * `-o` onto a file holding someone's work. Each is refused with the documented exit code and one
 * plain sentence, before any work, and leaves the database as it was.
 */
import assert, { equal, match } from "node:assert/strict";
import { cli, type CliResult, fillDataSection, tempFile } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";
import { schemaDump } from "./support/dump.ts";

const V1 = new URL("./fixtures/outage/v1.yaml", import.meta.url).pathname;
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/x";

/** One `error:` sentence first, a hint, no stack trace, nothing on stdout. */
function assertRefusal(r: CliResult, code: number, message: RegExp): void {
  equal(r.code, code, r.stderr);
  const lines = r.stderr.split("\n");
  match(lines[0], message, r.stderr);
  assert(lines.some((l) => /^hint: \S/.test(l)), `a hint:\n${r.stderr}`);
  assert(!/^\s+at\s|\b(TypeError|URIError|RangeError|Uncaught)\b/m.test(r.stderr), `no stack trace:\n${r.stderr}`);
}

Deno.test("[server] --schemas naming a schema neither side has: exit 2 in plan, drift, migrate, dump and pull; the database is untouched", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY)");
    const before = await schemaDump(db);
    const out = await tempFile("m.sql", "");
    await Deno.remove(out);
    const runs: Array<[string, string[]]> = [
      ["plan", ["plan", "--schema", V1, "--db", db.url, "--schemas", "nosuch", "-o", out]],
      ["drift", ["drift", "--schema", V1, "--db", db.url, "--schemas", "public,nosuch"]],
      ["migrate", ["migrate", "--schema", V1, "--db", db.url, "--schemas", "nosuch", "--allow-destructive"]],
      ["dump", ["dump", "--db", db.url, "--schemas", "nosuch"]],
      ["pull", ["pull", "--db", db.url, "--schemas", "app,nosuch"]],
    ];
    for (const [name, args] of runs) {
      const r = await cli(args);
      assertRefusal(r, 2, /^error: --schemas names a schema that .*: "nosuch"\.$/);
      equal(r.stdout, "", name);
      match(r.stderr, /^hint: Schemas there: .*\bapp\b.*\bpublic\b/m, name);
    }
    match((await cli(runs[1][1])).stderr, /neither the database nor .*v1\.yaml has/);
    match((await cli(runs[3][1])).stderr, /that the database does not have/);
    assert(!(await Deno.stat(out).then(() => true, () => false)), "plan wrote no file");
    equal(await schemaDump(db), before, "the database is as it was");

    // Two databases: named as --from and --to.
    const other = await serverDb();
    try {
      const r = await cli(["plan", "--from", db.url, "--to", other.url, "--schemas", "nosuch"]);
      assertRefusal(r, 2, /neither the --from database nor the --to database has: "nosuch"/);
    } finally {
      await other.drop();
    }
  } finally {
    await db.drop();
  }
});

Deno.test("[server] --schemas naming a schema only the file has is planned (it is created); one only the database has is compared", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE SCHEMA old");
    const yaml = await tempFile(
      "s.yaml",
      "tables:\n  - name: t\n    schema: fresh\n    columns:\n      - { name: id, type: Int, isNullable: false }\n",
    );
    const r = await cli(["plan", "--schema", yaml, "--db", db.url, "--schemas", "fresh", "--format", "json"]);
    equal(r.code, 0, r.stderr);
    assert(JSON.parse(r.stdout).steps.some((s: { sql: string }) => /CREATE SCHEMA fresh/.test(s.sql)));
    const drift = await cli(["drift", "--schema", yaml, "--db", db.url, "--schemas", "old"]);
    equal(drift.code, 4, drift.stderr);
    match(drift.stdout, /drop schema old/, "the file does not have it: drift says it would go");
  } finally {
    await db.drop();
  }
});

/** URLs that cannot be read, what the message must say, and a secret that must never be printed. */
const BAD_URLS: Array<[string, RegExp]> = [
  ["postgres://u:pa%zzSECRETPW@127.0.0.1:5432/x", /the password holds a "%" that is not followed by two hexadecimal/],
  ["postgres://u%zz:SECRETPW@127.0.0.1/x", /the user name holds a "%"/],
  ["postgres://u:SECRETPW@127.0.0.1/da%zzb", /the database name holds a "%"/],
  ["postgres://u:SECRETPW@127.0.0.1:99999/x", /the port is not a whole number from 1 to 65535/],
  ["postgres://u:SECRETPW@127.0.0.1:abc/x", /the port is not a whole number/],
  ["postgres://u:SECRET/PW@127.0.0.1/x", /the port is not a whole number/],
  ["postgres://u:SECRETPW@[::1/x", /IPv6 address opens a \[ that is never closed/],
  ["postgres://u:SECRETPW@h1,h2/x", /several hosts/],
  ["postgres://u:SECRETPW@127.0.0.1/x/y", /the path names more than a database/],
  ["postgres://u:SECRETPW@127.0.0.1/x?sslmode=sometimes", /sslmode "sometimes" is not an SSL mode/],
  ["postgres://u:SECRETPW@127.0.0.1/x?target_session_attrs=any", /target_session_attrs "any" is not supported/],
  ["postgres://u:SECRETPW@127.0.0.1/x?connect_timeout=soon", /connect_timeout "soon" is not a number of seconds/],
  ["postgres:u:SECRETPW@127.0.0.1/x", /"\/\/" must follow "postgres:"/],
  ["mysql://u:SECRETPW@127.0.0.1/x", /the scheme "mysql:\/\/" is not PostgreSQL's/],
  ["garbage", /Not a database URL: it starts with none of/],
  ["Host=127.0.0.1;Port=abc;Password=SECRETPW", /connection string: Port is not a whole number/],
  ["Host=;Database=x;Password=SECRETPW", /connection string: Host is empty/],
  ["Host=127.0.0.1;Password=SECRET;PWTAIL;Database=x", /part 3 .* is not a key=value pair/],
  ['Host=127.0.0.1;Password="SECRETPW', /the value of password opens a " quote that is never closed/],
  ["pglite:", /pglite: needs a place/],
];

Deno.test("a database URL that cannot be read: exit 2 naming what is wrong, for every command and form, never the password", async () => {
  const migration = await tempFile("m.sql", "-- pgconverge migration\n");
  for (const [url, why] of BAD_URLS) {
    const runs = [
      ["dump", "--db", url],
      ["pull", "--db", url],
      ["plan", "--schema", V1, "--db", url],
      ["drift", "--schema", V1, "--db", url],
      ["migrate", "--schema", V1, "--db", url],
      ["migrate", "--schema", V1, "--output", url],
      ["apply", migration, "--db", url],
      ["plan", "--schema", V1, "--db", UNREACHABLE, "--shadow-url", url],
      // A SOURCE that is no file: read as a database value when it looks like one.
      ["plan", "--from", url, "--to", V1],
    ];
    for (const args of runs) {
      const r = await cli(args);
      assertRefusal(r, 2, url === "garbage" && args[1] === "--from" ? /Cannot tell what "garbage" is/ : why);
      for (const secret of ["SECRET", "PWTAIL", "zzSECRETPW"]) {
        assert(!r.stderr.includes(secret) && !r.stdout.includes(secret), `${url}: the password leaked:\n${r.stderr}`);
      }
    }
    const env = await cli(["dump"], { DATABASE_URL: url });
    assertRefusal(env, 2, why);
  }
});

Deno.test("[server] the URL forms the CLI accepts reach the same database: encoded parts, quoted key=value values, a Unix socket", async () => {
  const db = await serverDb();
  const name = new URL(db.url).pathname.slice(1);
  try {
    await db.exec("CREATE TABLE marker (id int)");
    const forms = [
      db.url,
      `postgresql://postgres:p%40ss%25word@127.0.0.1:5432/${name}?sslmode=disable&application_name=x`,
      `Host=127.0.0.1;Port=5432;Database=${name};Username=postgres;Password="a;b""c"`,
      `Server=127.0.0.1;Database='${name}';User ID=postgres;Pooling=true`,
      `postgres:///${name}?host=/var/run/postgresql&user=postgres`,
      `postgres://postgres@%2Fvar%2Frun%2Fpostgresql/${name}`,
    ];
    for (const url of forms) {
      const r = await cli(["dump", "--db", url]);
      equal(r.code, 0, `${url}: ${r.stderr}`);
      match(r.stdout, /CREATE TABLE public\.marker/, url);
    }
  } finally {
    await db.drop();
  }
});

Deno.test("--lock-timeout is checked before connecting: exit 2 with the accepted forms; accepted ones reach the connection", async () => {
  const migration = await tempFile("m.sql", "-- pgconverge migration\n");
  for (const bad of ["10 seconds", "abc", "-1s", "10S", "99999999s", "500us", ""]) {
    for (const args of [["apply", migration, "--db", UNREACHABLE], ["migrate", "--schema", V1, "--db", UNREACHABLE]]) {
      const r = await cli([...args, `--lock-timeout=${bad}`]);
      assertRefusal(r, 2, /^error: --lock-timeout ".*" is not a duration PostgreSQL accepts\.$/);
      match(r.stderr, /500ms, 10s, 2min, 1h/);
    }
  }
  for (const good of ["500ms", "10s", "2min", "1h", "0", "250", "1.5s"]) {
    const r = await cli(["migrate", "--schema", V1, "--db", UNREACHABLE, "--lock-timeout", good]);
    equal(r.code, 1, `${good} passes the check and fails only at the connection: ${r.stderr}`);
    match(r.stderr, /127\.0\.0\.1:1/);
  }
});

Deno.test("an option the command does not read is refused, not ignored; so are an empty --schemas name and a bad cache size", async () => {
  const migration = await tempFile("m.sql", "-- pgconverge migration\n");
  const cases: Array<[string[], RegExp]> = [
    [["apply", migration, "--db", UNREACHABLE, "--schemas", "app"], /^error: apply does not take --schemas\.$/],
    [["render", V1, "--db", UNREACHABLE], /^error: render does not take --db\.$/],
    [
      ["dump", "--db", UNREACHABLE, "--format", "json", "--exit-code"],
      /^error: dump does not take --format, --exit-code\.$/,
    ],
    [["apply", migration, "--allow-destructive"], /^error: apply does not take --allow-destructive\.$/],
    [["drift", "--schema", V1, "--db", UNREACHABLE, "-o", "x.sql"], /^error: drift does not take --output\.$/],
    [["plan", "--schema", V1, "--db", UNREACHABLE, "--schemas", "a,,b"], /--schemas "a,,b" holds an empty schema name/],
    [["render", V1, "--check", "a.sql", "-o", "b.sql"], /render takes --check FILE or -o FILE, not both/],
  ];
  for (const [args, message] of cases) assertRefusal(await cli(args), 2, message);
  const shadowIsDb = await cli(["dump", "--shadow-url", "postgres://other@127.0.0.1:5432/x"], {
    DATABASE_URL: UNREACHABLE.replace(":1/", ":1/"),
  });
  equal(shadowIsDb.code, 1, "another database (port 1 vs 5432): allowed, fails at the connection");
  for (
    const args of [["dump", "--db", "postgres://a@localhost/app"], [
      "plan",
      "--from",
      "postgres://a@localhost:5432/app",
      "--to",
      V1,
    ]]
  ) {
    const r = await cli([...args, "--shadow-url", "postgres://b:pw@localhost:5432/app"]);
    assertRefusal(r, 2, /^error: --shadow-url names the database this command works on\.$/);
  }
  const cap = await cli(["dump", "--db", UNREACHABLE], { PGCONVERGE_CACHE_MAX_MB: "lots" });
  assertRefusal(cap, 2, /PGCONVERGE_CACHE_MAX_MB="lots" is not a number of megabytes/);
});

Deno.test("[server] plan -o onto a migration whose data section holds a fix: exit 3, the file kept byte for byte; --force replaces it", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE TABLE usage_events (id uuid PRIMARY KEY, kind text NOT NULL)");
    const before = await schemaDump(db);
    const file = await tempFile("m.sql", "");
    await Deno.remove(file);
    const plan = (extra: string[] = []) =>
      cli(["plan", "--schema", V1, "--db", db.url, "-o", file, "--allow-destructive", ...extra]);
    equal((await plan()).code, 0);
    // Planning again over an untouched migration is the usual loop: replaced.
    const untouched = await Deno.readTextFile(file);
    equal((await plan()).code, 0);
    match(await Deno.readTextFile(file), /^-- pgconverge migration/);

    const fixed = fillDataSection(untouched, ["UPDATE usage_events SET kind = 'request' WHERE kind = 'req';"]);
    await Deno.writeTextFile(file, fixed);
    const refused = await plan();
    assertRefusal(refused, 3, /^error: Refused to overwrite .*m\.sql: its data section holds 1 line of SQL/);
    match(refused.stderr, /^hint: .*--force/m);
    equal(await Deno.readTextFile(file), fixed, "the data fix is still there");
    const json = await plan(["--format", "json"]);
    equal(json.code, 3, "--format json writes the same file");
    equal(await Deno.readTextFile(file), fixed);

    const forced = await plan(["--force"]);
    equal(forced.code, 0, forced.stderr);
    assert(!(await Deno.readTextFile(file)).includes("UPDATE usage_events"), "--force replaced it");

    // A file that is not a migration (the schema itself, say) is never replaced without --force.
    const yamlText = await Deno.readTextFile(V1);
    const yaml = await tempFile("schema.yaml", yamlText);
    const onto = await cli(["plan", "--schema", V1, "--db", db.url, "-o", yaml]);
    assertRefusal(onto, 3, /^error: Refused to overwrite .*schema\.yaml: it is not a migration as pgconverge wrote it/);
    equal(await Deno.readTextFile(yaml), yamlText);
    // An edited generated statement is work too.
    await Deno.writeTextFile(file, untouched.replace(/^ALTER TABLE /m, "ALTER TABLE ONLY "));
    assertRefusal(await plan(), 3, /it is not a migration as pgconverge wrote it/);
    equal(await schemaDump(db), before, "plan never touched the database");
  } finally {
    await db.drop();
  }
});

Deno.test("[server] pull -o replaces the file pull wrote, keeps one that was edited or hand-written (exit 3) unless --force", async () => {
  const db = await serverDb();
  try {
    await db.exec("CREATE TABLE t (id int PRIMARY KEY, name text)");
    const file = await tempFile("schema.yaml", "");
    await Deno.remove(file);
    const pull = (extra: string[] = []) => cli(["pull", "--db", db.url, "-o", file, ...extra]);
    equal((await pull()).code, 0);
    const pulled = await Deno.readTextFile(file);
    match(pulled, /^# schema\.yaml pulled by pgconverge .*\n# checksum: sha256:[0-9a-f]{64} /);
    const printed = await cli(["pull", "--db", db.url]);
    equal(printed.stdout + "\n", pulled, "pull > file writes the same bytes, checksum included");

    await db.exec("ALTER TABLE t ADD COLUMN note text");
    equal((await pull()).code, 0, "an unedited pulled file is replaced");
    match(await Deno.readTextFile(file), /name: note/);

    const edited = (await Deno.readTextFile(file)).replace("name: note", "name: remark");
    await Deno.writeTextFile(file, edited);
    const refused = await pull();
    assertRefusal(refused, 3, /^error: Refused to overwrite .*schema\.yaml: it was edited since pull wrote it\.$/);
    match(refused.stderr, /--force/);
    equal(await Deno.readTextFile(file), edited);

    const hand = await tempFile("schema.yaml", await Deno.readTextFile(V1));
    assertRefusal(await cli(["pull", "--db", db.url, "-o", hand]), 3, /pull did not write it/);
    equal(await Deno.readTextFile(hand), await Deno.readTextFile(V1));

    const forced = await pull(["--force"]);
    equal(forced.code, 0, forced.stderr);
    match(await Deno.readTextFile(file), /name: note/);
    // The file pull writes plans to zero statements against the database it came from.
    equal((await cli(["plan", "--schema", file, "--db", db.url, "--exit-code"])).code, 0);
  } finally {
    await db.drop();
  }
});

Deno.test("render -o and dump -o replace a canonical snapshot, never another file (render onto its own input: exit 3)", async () => {
  const yamlText = await Deno.readTextFile(V1);
  const input = await tempFile("schema.yaml", yamlText);
  const onInput = await cli(["render", input, "-o", input]);
  assertRefusal(onInput, 3, /Refused to overwrite .*schema\.yaml: it is not a canonical snapshot pgconverge wrote/);
  equal(await Deno.readTextFile(input), yamlText, "the schema survives");
  const snap = input.replace(/schema\.yaml$/, "schema.sql");
  equal((await cli(["render", input, "-o", snap])).code, 0);
  equal((await cli(["render", input, "-o", snap])).code, 0, "a snapshot is replaced");
  assertRefusal(await cli(["dump", "--db", UNREACHABLE, "-o", input]), 3, /not a canonical snapshot/);
  equal((await cli(["dump", "--db", UNREACHABLE, "-o", snap])).code, 1, "a snapshot passes; the connection fails");
});

Deno.test("hostile paths: a directory as a schema, pglite: onto a file or a directory of other files, -o onto a device", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgc_paths_" });
  try {
    await Deno.mkdir(`${dir}/schema.yaml`);
    assertRefusal(
      await cli(["render", `${dir}/schema.yaml`]),
      1,
      /^error: Cannot read .*schema\.yaml: it is a directory\.$/,
    );
    await Deno.writeTextFile(`${dir}/notes.txt`, "mine");
    assertRefusal(await cli(["dump", "--db", `pglite:${dir}/notes.txt`]), 2, /names a file, not a database directory/);
    assertRefusal(await cli(["dump", "--db", `pglite:${dir}`]), 2, /is a directory holding other files/);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      ["notes.txt", "schema.yaml"],
      "nothing written",
    );
    // A device is written, never read (reading /dev/zero would not end).
    const r = await cli(["render", V1, "-o", "/dev/null"]);
    equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[server] a URL parameter the server rejects is a usage error; a host that never answers gives up after connect_timeout", async () => {
  const db = await serverDb();
  try {
    for (
      const [param, what] of [["bogus_param=1", /unrecognized configuration parameter "bogus_param"/], [
        "options=-c%20lock_timeout%3Dxyz",
        /invalid value for parameter "lock_timeout"/,
      ]] as const
    ) {
      assertRefusal(await cli(["dump", "--db", `${db.url}?${param}`]), 2, what);
    }
    const started = performance.now();
    // 10.255.255.1 is not routed here: the attempt neither succeeds nor fails (elsewhere it may be refused).
    const r = await cli(["dump", "--db", "postgres://postgres@10.255.255.1/x?connect_timeout=1"]);
    assertRefusal(r, 1, /^error: Cannot connect to postgres:\/\/postgres@10\.255\.255\.1\/x\b/);
    assert(performance.now() - started < 8000, "it gave up");
  } finally {
    await db.drop();
  }
});
