/**
 * The data section may not control the transaction: what PostgreSQL's parser finds in it is
 * refused with its file:line before anything runs; what only looks like transaction control
 * (in a string, a dollar quote, a comment, an identifier) is not.
 */
import assert from "node:assert/strict";
import { guardDataSection } from "../src/migration/data_guard.ts";
import { PgcError } from "../src/model/errors.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";

await ensureSqlParser();

/** The refusal for `text` placed at file line 20, as "code file:line". */
function refusal(text: string): { code: string; at: string; message: string; hint: string } {
  try {
    guardDataSection(text, 20, "m.sql");
  } catch (e) {
    assert.ok(e instanceof PgcError, String(e));
    const at = e.message.match(/^m\.sql:(\d+):/);
    assert.ok(at, e.message);
    return { code: e.code, at: at[1], message: e.message, hint: e.hint ?? "" };
  }
  assert.fail(`accepted:\n${text}`);
}

const TRANSACTION_CONTROL = [
  "COMMIT;",
  "COMMIT AND CHAIN;",
  "END;",
  "ROLLBACK;",
  "ABORT;",
  "BEGIN;",
  "START TRANSACTION;",
  "SAVEPOINT s1;",
  "RELEASE SAVEPOINT s1;",
  "RELEASE s1;",
  "ROLLBACK TO SAVEPOINT s1;",
  "PREPARE TRANSACTION 'x';",
  "COMMIT PREPARED 'x';",
  "ROLLBACK PREPARED 'x';",
  "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
  "SET TRANSACTION READ ONLY;",
  "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;",
  "CALL archive_rows();",
  "CALL public.archive_rows(1, 'a');",
];

Deno.test("the data section refuses every form of transaction control, at the line it is on", () => {
  for (const stmt of TRANSACTION_CONTROL) {
    const text = `-- fix the rows\nUPDATE t SET k = 'b' WHERE k = 'a';\n\n  ${stmt}\nUPDATE t SET k = 'c';\n`;
    const r = refusal(text);
    assert.equal(r.code, "data_section_refused", stmt);
    assert.equal(r.at, "23", `${stmt}: ${r.message}`);
    assert.match(r.message, /nothing was run/, stmt);
    assert.ok(r.message.includes(JSON.stringify(stmt.replace(/;$/, ""))), `${stmt} is quoted: ${r.message}`);
    assert.notEqual(r.hint, "", stmt);
  }
});

Deno.test("the data section refuses CALL with a hint, since a procedure cannot be proven not to commit", () => {
  const r = refusal("CALL archive_rows();");
  assert.match(r.message, /calls a procedure, which may COMMIT or ROLLBACK/);
  assert.match(r.hint, /procedure's UPDATE\/INSERT\/DELETE statements in the data section itself/);
});

Deno.test("the data section refuses statements PostgreSQL cannot run in a transaction block", () => {
  for (
    const stmt of [
      "VACUUM t;",
      "VACUUM (ANALYZE) t;",
      "CREATE INDEX CONCURRENTLY ix ON t (k);",
      "DROP INDEX CONCURRENTLY ix;",
      "REINDEX TABLE CONCURRENTLY t;",
      "REINDEX DATABASE app;",
      "CREATE DATABASE other;",
      "DROP DATABASE other;",
      "ALTER SYSTEM SET work_mem = '1GB';",
      "CLUSTER;",
      "DISCARD ALL;",
      "CREATE TABLESPACE ts LOCATION '/tmp/ts';",
    ]
  ) {
    const r = refusal(`UPDATE t SET k = 1;\n${stmt}\n`);
    assert.equal(r.code, "data_section_refused", stmt);
    assert.equal(r.at, "21", stmt);
    assert.match(r.message, /cannot run inside a transaction block/, stmt);
  }
});

Deno.test("the data section refuses a DO block that commits, rolls back or calls a procedure, at the line inside the block", () => {
  const commits = `UPDATE t SET k = 1;
DO $$
BEGIN
  UPDATE t SET k = 2;
  IF true THEN
    COMMIT;
  END IF;
END
$$;`;
  const r = refusal(commits);
  assert.equal(r.code, "data_section_refused");
  assert.equal(r.at, "25", r.message);
  assert.match(r.message, /DO block commits the transaction/);
  const rollsBack = refusal("DO LANGUAGE plpgsql $body$ BEGIN ROLLBACK; END $body$;");
  assert.match(rollsBack.message, /DO block rolls back the transaction/);
  assert.equal(rollsBack.at, "20");
  const calls = refusal("DO $$ BEGIN\n CALL p();\nEND $$;");
  assert.match(calls.message, /calls a procedure/);
  assert.equal(calls.at, "21");
});

Deno.test("the data section refuses a DO block in a language pgconverge cannot look inside", () => {
  const r = refusal("DO LANGUAGE plpython3u $$ plpy.commit() $$;");
  assert.equal(r.code, "data_section_refused");
  assert.match(r.message, /DO block in plpython3u/);
});

Deno.test("the data section refuses psql meta-commands and COPY … FROM STDIN", () => {
  const meta = refusal("UPDATE t SET k = 1;\n\\set ON_ERROR_STOP on\n");
  assert.equal(meta.code, "data_section_refused");
  assert.equal(meta.at, "21");
  assert.match(meta.message, /psql meta-command "\\\\set ON_ERROR_STOP on"/);
  const gexec = refusal("SELECT 'VACUUM ' || relname FROM pg_class \\gexec\n");
  assert.match(gexec.message, /psql meta-command/);
  const copy = refusal("COPY t FROM STDIN;\n1\n\\.\n");
  assert.equal(copy.code, "data_section_refused");
  const stdin = refusal("COPY t (k) FROM STDIN;");
  assert.match(stdin.message, /FROM STDIN needs a client such as psql/);
});

Deno.test("what only looks like transaction control is accepted: strings, dollar quotes, comments, identifiers", () => {
  const text = `-- COMMIT; this comment is not a statement
/* ROLLBACK; nor is this
   one */
UPDATE t SET note = 'COMMIT; BEGIN;' WHERE k = 'a';
UPDATE t SET note = $x$ ROLLBACK; $x$ WHERE k = E'b\\'; COMMIT; --';
INSERT INTO "commit" ("savepoint") VALUES ('ERROR');
DO $$ BEGIN RAISE NOTICE 'COMMIT'; PERFORM 1; END $$;
SELECT 'end';
`;
  const statements = guardDataSection(text, 10, "m.sql");
  assert.deepEqual(statements.map((s) => s.line), [13, 14, 15, 16, 17]);
  assert.deepEqual(statements.map((s) => s.sql.split(" ")[0]), ["UPDATE", "UPDATE", "INSERT", "DO", "SELECT"]);
  assert.equal(statements[1].sql, "UPDATE t SET note = $x$ ROLLBACK; $x$ WHERE k = E'b\\'; COMMIT; --'");
});

Deno.test("a statement holding the word ERROR in a string is read, not taken for a parse failure", () => {
  const statements = guardDataSection("UPDATE jobs SET status = 'ERROR' WHERE id = 1;\n", 5, "m.sql");
  assert.deepEqual(statements, [{ sql: "UPDATE jobs SET status = 'ERROR' WHERE id = 1", line: 5 }]);
  const r = refusal("UPDATE jobs SET status = 'ERROR';\nCOMMIT;");
  assert.equal(r.at, "21");
});

Deno.test("line numbers count lines, not bytes, after multi-byte text", () => {
  const statements = guardDataSection(
    "UPDATE t SET k = 'é€😀';\n\nUPDATE t SET k = 'ü'; UPDATE t SET k = 'x';\n",
    1,
    "m.sql",
  );
  assert.deepEqual(statements, [
    { sql: "UPDATE t SET k = 'é€😀'", line: 1 },
    { sql: "UPDATE t SET k = 'ü'", line: 3 },
    { sql: "UPDATE t SET k = 'x'", line: 3 },
  ]);
  assert.equal(refusal("UPDATE t SET k = 'é€😀';\n\nUPDATE t SET k = 'ü'; COMMIT;").at, "22");
});

Deno.test("an empty or comment-only data section has no statements", () => {
  assert.deepEqual(guardDataSection("", 3, "m.sql"), []);
  assert.deepEqual(guardDataSection("\n-- nothing to fix\n\n", 3, "m.sql"), []);
});

Deno.test("a data section that does not parse is refused at the statement's line", () => {
  const grammar = refusal("UPDATE t SET k = 1;\nUPDATE t SET k = 2;\n\nUPDAT t SET k = 3;\nUPDATE t SET k = 4;\n");
  assert.equal(grammar.code, "migration_invalid");
  assert.equal(grammar.at, "23");
  assert.match(grammar.message, /does not parse: PostgreSQL cannot parse it: syntax error at or near "UPDAT"/);
  // A statement with `;` inside (BEGIN ATOMIC … END) is one statement, not a broken one.
  const atomic = refusal(`CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
UPDATE t SET k = 1
UPDATE t SET k = 2;`);
  assert.equal(atomic.at, "21");
  const lexer = refusal("UPDATE t SET k = 1;\nUPDATE t SET k = 'unterminated;\nUPDATE t SET k = 3;\n");
  assert.equal(lexer.code, "migration_invalid");
  assert.equal(lexer.at, "21");
  assert.match(lexer.message, /unterminated quoted string at or near/);
});
