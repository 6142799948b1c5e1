import assert from "node:assert/strict";
import { PgcError } from "../src/model/errors.ts";
import { readMigration } from "../src/migration/read.ts";
import { writeMigration } from "../src/migration/write.ts";
import { buildPlan } from "../src/plan/plan.ts";
import { column, constraint, snap, table } from "./support/snap.ts";

async function outageMigration(): Promise<string> {
  const from = snap(
    table("t"),
    column("t", "kind", "text"),
    constraint("t", "t_kind_check", "c", "CHECK ((kind = 'a'::text))"),
  );
  const to = snap(
    table("t"),
    column("t", "kind", "text"),
    column("t", "My Col", "text"),
    constraint("t", "t_kind_check", "c", "CHECK ((kind = 'b'::text))"),
  );
  return await writeMigration(await buildPlan(from, to), { allowDestructive: false });
}

function code(e: unknown): string {
  assert.ok(e instanceof PgcError, String(e));
  return e.code;
}

Deno.test("readMigration() reads back what writeMigration() wrote, data section slot included", async () => {
  const text = await outageMigration();
  const withData = text.replace("\n-- [/data]", "\nUPDATE t SET kind = 'b';\n-- [/data]");
  const m = await readMigration(withData, "m.sql");
  assert.deepEqual(m.units.map((u) => [u.phase, u.sql]), [
    ["drop", "ALTER TABLE public.t DROP CONSTRAINT t_kind_check;"],
    ["pre", 'ALTER TABLE public.t ADD COLUMN "My Col" text;'],
    ["post", "ALTER TABLE public.t ADD CONSTRAINT t_kind_check CHECK ((kind = 'b'::text));"],
  ]);
  assert.equal(m.dataBefore, 2);
  assert.match(m.data!, /UPDATE t SET kind = 'b';/);
  assert.equal(m.header.allowDestructive, false);
});

Deno.test("readMigration() refuses an edited statement, a truncated file and a file that is not a migration", async () => {
  const text = await outageMigration();
  const edited = text.replace("CHECK ((kind = 'b'::text));", "CHECK ((kind = 'c'::text));");
  await assert.rejects(() => readMigration(edited, "m.sql"), (e) => code(e) === "migration_tampered");
  const truncated = text.slice(0, Math.floor(text.length * 0.7));
  await assert.rejects(() => readMigration(truncated, "m.sql"), (e) => code(e) === "migration_invalid");
  await assert.rejects(() => readMigration("SELECT 1;\n", "m.sql"), (e) => code(e) === "migration_invalid");
  const forged = text.replace("-- allow-destructive: no", "-- allow-destructive: yes");
  await assert.rejects(() => readMigration(forged, "m.sql"), (e) => code(e) === "migration_tampered");
});
