import assert from "node:assert/strict";
import { parseDatabaseUrl } from "../src/db/open.ts";
import { redactUrl } from "../src/db/server.ts";
import { qualify, quoteIdent, quoteLiteral } from "../src/model/quote.ts";
import { classifyTypeChange } from "../src/plan/type_change.ts";

Deno.test("quoteIdent() quotes like PostgreSQL's quote_ident()", () => {
  assert.equal(quoteIdent("kind"), "kind");
  assert.equal(quoteIdent("Kind"), '"Kind"');
  assert.equal(quoteIdent("user"), '"user"');
  assert.equal(quoteIdent("order_items"), "order_items");
  assert.equal(quoteIdent("2fa"), '"2fa"');
  assert.equal(quoteIdent('we"ird'), '"we""ird"');
  assert.equal(quoteIdent("name"), "name"); // unreserved keyword: bare
  assert.equal(qualify("public", "PK_x"), 'public."PK_x"');
  assert.equal(quoteLiteral("it's"), "'it''s'");
});

Deno.test("classifyTypeChange() tells widening from narrowing and rewrites", () => {
  assert.deepEqual(classifyTypeChange("character varying(20)", "character varying(64)"), {
    narrowing: false,
    rewrite: false,
  });
  assert.deepEqual(classifyTypeChange("character varying(50)", "character varying(10)"), {
    narrowing: true,
    rewrite: false,
  });
  assert.deepEqual(classifyTypeChange("character varying(50)", "text"), { narrowing: false, rewrite: false });
  assert.deepEqual(classifyTypeChange("integer", "bigint"), { narrowing: false, rewrite: true });
  assert.deepEqual(classifyTypeChange("bigint", "integer"), { narrowing: true, rewrite: true });
  assert.deepEqual(classifyTypeChange("numeric(8,2)", "numeric(12,2)"), { narrowing: false, rewrite: false });
  assert.deepEqual(classifyTypeChange("numeric(12,2)", "numeric(8,2)").narrowing, true);
  assert.deepEqual(classifyTypeChange("text", "integer").narrowing, true);
});

Deno.test("key=value connection strings name the same server as a URL, and printed URLs never show a password", () => {
  const { label: _, ...kv } = parseDatabaseUrl("Host=db.local;Port=6432;Database=app;Username=svc;Password=s3cr3t") as
    & ReturnType<typeof parseDatabaseUrl>
    & { label: string };
  const { label: __, ...url } = parseDatabaseUrl("postgres://svc:s3cr3t@db.local:6432/app") as
    & ReturnType<typeof parseDatabaseUrl>
    & { label: string };
  assert.deepEqual(kv, url);
  assert.deepEqual(kv, {
    kind: "server",
    host: "db.local",
    port: 6432,
    user: "svc",
    password: "s3cr3t",
    database: "app",
    params: {},
  });
  assert.ok(!redactUrl("postgres://svc:s3cr3t@db.local:6432/app").includes("s3cr3t"));
});
