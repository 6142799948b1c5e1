/**
 * When the live schema is not the one a migration was planned from, apply refuses (exit 3) and
 * says which of two things happened, as far as the file's header and the server can tell: the
 * file was planned for another database, or this database's schema changed since planning.
 * A file planned on a copy applies to the original when their schemas agree: identity only
 * words the refusal, it never refuses on its own.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { cli, fillDataSection } from "./support/cli.ts";
import { serverDb } from "./support/db.ts";
import { dbState } from "./support/db_state.ts";

const V1 = new URL("./fixtures/hostile/v1.yaml", import.meta.url).pathname;
const V2 = new URL("./fixtures/hostile/v2.yaml", import.meta.url).pathname;

const FIX = [
  "UPDATE public.usage_events SET kind = 'llm_' || kind WHERE kind IN ('request', 'input_tokens', 'output_tokens');",
  "UPDATE public.usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds';",
];

Deno.test("[server] apply tells 'planned for another database' from 'the schema changed since planning'", async () => {
  const staging = await serverDb();
  const production = await serverDb();
  const dir = await Deno.makeTempDir({ prefix: "pgc_identity_" });
  try {
    for (const db of [staging, production]) {
      equal((await cli(["migrate", "--schema", V1, "--db", db.url])).code, 0);
      await db.exec(`INSERT INTO public.usage_events (id, kind) VALUES (1, 'request')`);
    }
    const file = `${dir}/m.sql`;
    equal((await cli(["plan", "--schema", V2, "--db", staging.url, "-o", file])).code, 0);
    const text = fillDataSection(await Deno.readTextFile(file), FIX);
    await Deno.writeTextFile(file, text);

    // Production's schema drifted; the file names staging in its header.
    await production.exec("ALTER TABLE public.usage_events ADD COLUMN legacy text");
    const before = await dbState(production);
    const other = await cli(["apply", file, "--db", production.url]);
    equal(other.code, 3, other.stdout + other.stderr);
    match(
      other.stderr,
      new RegExp(
        `error: ${file.replaceAll(".", "\\.")} was planned for another database \\(it was planned on ` +
          `${staging.url.replaceAll(".", "\\.")}; this is ${production.url.replaceAll(".", "\\.")}\\), and this ` +
          "database's schema is not the one it was planned from; nothing was applied\\.",
      ),
    );
    match(other.stderr, /hint: Check --db\./);
    deepEqual(await dbState(production), before);

    // The header's database line, when present, is what counts: name and cluster.
    const [{ system }] = await staging.query<{ system: string }>(
      "SELECT system_identifier::text AS system FROM pg_control_system()",
    );
    const named = text.replace(/^(-- from: .*)$/m, `-- database: "somewhere_else" (cluster ${system})\n$1`);
    await Deno.writeTextFile(`${dir}/named.sql`, named);
    const byName = await cli(["apply", `${dir}/named.sql`, "--db", production.url]);
    equal(byName.code, 3, byName.stdout + byName.stderr);
    match(
      byName.stderr,
      new RegExp(
        `planned for another database \\(it was planned on database "somewhere_else" of cluster ${system}; this is ` +
          `database "${new URL(production.url).pathname.slice(1)}" of cluster ${system}\\)`,
      ),
    );

    // Staging itself drifts: the same file now says the schema changed since planning.
    await staging.exec("ALTER TABLE public.usage_events ADD COLUMN legacy text");
    const changed = await cli(["apply", file, "--db", staging.url]);
    equal(changed.code, 3, changed.stdout + changed.stderr);
    match(changed.stderr, /error: The live schema changed since .*m\.sql was planned; nothing was applied\./);

    // A copy with the planned schema takes the file planned on staging: identity never refuses alone.
    await production.exec("ALTER TABLE public.usage_events DROP COLUMN legacy");
    const applied = await cli(["apply", file, "--db", production.url]);
    equal(applied.code, 0, applied.stdout + applied.stderr);
    match(applied.stdout, /^Converged: /);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await staging.drop();
    await production.drop();
  }
});
