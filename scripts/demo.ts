/**
 * `deno task demo`: the CHECK-constraint outage that started this project, replayed on an
 * embedded PGlite database. Prints the generated migration, the refusal to apply it while rows
 * break the new CHECK, and the converged result once a data fix is written into it.
 */
import { main } from "../src/cli/main.ts";
import { openDatabase } from "../src/db/open.ts";

const here = new URL("../examples/outage/", import.meta.url);
const v1 = new URL("v1.yaml", here).pathname;
const v2 = new URL("v2.yaml", here).pathname;
const dir = await Deno.makeTempDir({ prefix: "pgconverge_demo_" });
const db = `pglite:${dir}/db`;
const migration = `${dir}/migration.sql`;

function title(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

async function run(args: string[]): Promise<number> {
  console.log(`$ pgconverge ${args.join(" ")}`);
  const code = await main(args);
  console.log(`(exit ${code})`);
  return code;
}

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const conn = await openDatabase(db);
  try {
    return await conn.query(text);
  } finally {
    await conn.close();
  }
}

try {
  title("1. A database made from v1 (examples/outage/v1.yaml), with rows");
  await run(["migrate", "--schema", v1, "--db", db]);
  await sql(
    "INSERT INTO usage_events (kind) VALUES ('request'), ('input_tokens'), ('output_tokens'), ('sandbox_seconds')",
  );
  console.log("inserted 4 rows with the old kinds");

  title("2. v2 renames the kinds: plan the migration");
  await run(["plan", "--schema", v2, "--db", db, "-o", migration]);
  console.log(await Deno.readTextFile(migration));

  title("3. Apply it unchanged: the new CHECK would reject every row, so nothing is applied");
  await run(["apply", migration, "--db", db]);
  console.log(
    "live CHECK is still:",
    (await sql(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'usage_events_kind_check'",
    ))[0].def,
  );

  title("4. Write the data fix into the data section and apply again");
  const fix = [
    "UPDATE usage_events SET kind = 'llm_' || kind WHERE kind IN ('request', 'input_tokens', 'output_tokens');",
    "UPDATE usage_events SET kind = 'machine_seconds' WHERE kind = 'sandbox_seconds';",
  ].join("\n");
  const text = await Deno.readTextFile(migration);
  await Deno.writeTextFile(migration, text.replace("\n-- [/data]", `\n${fix}\n-- [/data]`));
  console.log(fix);
  await run(["apply", migration, "--db", db]);

  title("5. Converged: drift is clean and the live CHECK is the new one");
  await run(["drift", "--schema", v2, "--db", db]);
  console.log(
    "live CHECK:",
    (await sql(
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'usage_events_kind_check'",
    ))[0].def,
  );
  console.log("rows:", (await sql("SELECT kind FROM usage_events ORDER BY kind")).map((r) => r.kind).join(", "));
} finally {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
