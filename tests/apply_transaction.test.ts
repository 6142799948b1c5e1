/**
 * Apply's claims about the database are checked from the server, not assumed. The data section
 * guard should make a transaction escape impossible; these tests take the guard away (the
 * statements are put in after the file was read, as a bug in the guard would let them through)
 * and require apply to notice that the transaction it opened is gone, and to say so instead of
 * "the database is exactly as before" or "converged".
 */
import assert, { equal, match } from "node:assert/strict";
import { applyMigration } from "../src/apply/apply.ts";
import { commitVerified, markTransaction, notOurs, rollbackVerified } from "../src/apply/transaction.ts";
import { openDatabase } from "../src/db/open.ts";
import { readMigration } from "../src/migration/read.ts";
import { PgcError } from "../src/model/errors.ts";
import { openShadow } from "../src/shadow/shadow.ts";
import { cli, fillDataSection } from "./support/cli.ts";
import { ENGINES, type TestDb } from "./support/db.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;

const ROWS = `INSERT INTO public.usage_events (id, kind) VALUES (1, 'request'), (2, 'sandbox_seconds')`;

async function prepared(db: TestDb): Promise<string> {
  equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
  await db.exec(ROWS);
  const file = `${await Deno.makeTempDir({ prefix: "pgc_tx_" })}/m.sql`;
  equal((await cli(["plan", "--schema", V2, "--db", db.url, "-o", file])).code, 0);
  return file;
}

/** Apply `file` with data statements the guard never saw; returns the error. */
async function applyUnguarded(db: TestDb, file: string, data: string[]): Promise<PgcError> {
  const m = await readMigration(await Deno.readTextFile(file), file);
  m.dataStatements = data.map((sql, i) => ({ sql, line: 100 + i }));
  const session = await openDatabase(db.url);
  const shadow = openShadow();
  try {
    await applyMigration(session, m, { shadow, lockTimeout: "10s", file });
  } catch (e) {
    assert.ok(e instanceof PgcError, String(e));
    return e;
  } finally {
    await session.close();
    await shadow.close();
  }
  assert.fail("apply succeeded");
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a COMMIT that slips through: apply cannot confirm the rollback and does not claim it`, async () => {
    const db = await make();
    try {
      const file = await prepared(db);
      // The DELETE commits with the COMMIT; the CHECK then fails on the 'sandbox_seconds' row.
      const e = await applyUnguarded(db, file, ["DELETE FROM public.usage_events WHERE id = 1", "COMMIT"]);
      equal(e.code, "db_error");
      match(e.message, /could not confirm the rollback/);
      match(e.message, /cannot say what state the database is in/);
      assert.doesNotMatch(e.message, /exactly as before|Rolled back:/);
      // And rightly so: the DELETE, the dropped CHECK and the new column stayed.
      equal((await db.query("SELECT id FROM public.usage_events")).length, 1);
      equal((await db.query("SELECT 1 FROM pg_attribute WHERE attname = 'note' AND attnum > 0")).length, 1);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] COMMIT; BEGIN; that slips through: apply sees another transaction and does not report converged`, async () => {
    const db = await make();
    try {
      const file = await prepared(db);
      const e = await applyUnguarded(db, file, [
        "UPDATE public.usage_events SET kind = 'llm_request' WHERE kind = 'request'",
        "UPDATE public.usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds'",
        "COMMIT",
        "BEGIN",
      ]);
      equal(e.code, "not_converged");
      match(e.message, /was not committed as planned/);
      match(e.message, /was ended by a statement of the migration/);
      assert.doesNotMatch(e.message, /Converged|exactly as before/);
    } finally {
      await db.drop();
    }
  });

  Deno.test(`[${engine}] the transaction check: the same transaction passes, a committed one is noticed`, async () => {
    const db = await make();
    const session = await openDatabase(db.url);
    try {
      await session.exec("BEGIN");
      const t = await markTransaction(session);
      equal(await notOurs(session, t), undefined);
      await session.exec("CREATE TABLE inside (x int)");
      assert.deepEqual(await rollbackVerified(session, t), { verified: true });
      equal((await session.query("SELECT to_regclass('inside') AS r"))[0].r, null);

      await session.exec("BEGIN");
      const t2 = await markTransaction(session);
      await session.exec("COMMIT");
      await session.exec("BEGIN");
      match(String(await notOurs(session, t2)), /was ended by a statement of the migration/);
      const c = await commitVerified(session, t2);
      equal(c.committed, "unknown");
      const r = await rollbackVerified(session, t2);
      equal(r.verified, false);
      // A savepoint the data section could not know: gone with the transaction that set it.
      assert.ok(!r.verified && /savepoint is gone/.test(r.reason), JSON.stringify(r));
    } finally {
      await session.close();
      await db.drop();
    }
  });
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] a rollback after the data section drew sequence values names the sequences that moved`, async () => {
    const db = await make();
    try {
      const file = await prepared(db);
      await db.exec("CREATE SCHEMA audit; CREATE SEQUENCE audit.ids");
      const text = await Deno.readTextFile(file);
      // The CHECK then fails on the 'sandbox_seconds' row: rolled back, but nextval stays drawn.
      await Deno.writeTextFile(
        file,
        fillDataSection(text, ["SELECT nextval('audit.ids');", "SELECT nextval('audit.ids');"]),
      );
      const r = await cli(["apply", file, "--db", db.url]);
      equal(r.code, 1, r.stdout + r.stderr);
      match(
        r.stderr,
        /Rolled back: the database is exactly as before, sequence positions aside\. Sequence positions moved while apply ran and stay moved \(PostgreSQL never rolls back nextval\): audit\.ids unused → 2\./,
      );
      equal((await db.query<{ v: string }>("SELECT last_value::text AS v FROM audit.ids"))[0].v, "2");
      // Without a sequence drawn, the sentence has no caveat.
      await Deno.writeTextFile(file, fillDataSection(text, ["SELECT 1;"]));
      const plain = await cli(["apply", file, "--db", db.url]);
      equal(plain.code, 1, plain.stdout + plain.stderr);
      match(plain.stderr, /Rolled back: the database is exactly as before\.$/m);
    } finally {
      await db.drop();
    }
  });
}
