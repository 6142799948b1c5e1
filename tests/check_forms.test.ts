/**
 * No CHECK form may churn: after apply, planning again is empty; changing any of them gives
 * exactly one drop and one add. Runs on the real server and on PGlite.
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { cli, tempFile } from "./support/cli.ts";
import { ENGINES } from "./support/db.ts";

/** Column name, type, the CHECK as written in v1, and the changed CHECK of v2. */
const FORMS: Array<[string, string, string, string]> = [
  ["opt_kind", "Text", "opt_kind IS NULL OR opt_kind IN ('a','b')", "opt_kind IS NULL OR opt_kind IN ('a','b','c')"],
  ["score", "Int", "score BETWEEN 1 AND 10", "score BETWEEN 1 AND 20"],
  ["slug", "Text", "slug ~ '^[a-z]+$'", "slug ~ '^[a-z0-9]+$'"],
  ["one", "Text", "one IN ('only')", "one IN ('just')"],
  ["title", "Text", "length(title) > 0", "length(title) > 1"],
  ["flag", "Boolean", "flag = false", "flag = true"],
  ["amount", "Decimal(12,2)", "amount >= 0 AND amount <= 1000.50", "amount >= 0 AND amount <= 2000"],
  ["code", "VarChar(10)", "code IN ('x','y')", "code IN ('x','y','z')"],
  ["Kind", "Text", "Kind IN ('request','input_tokens')", "Kind IN ('llm_request','llm_input_tokens')"],
];

function schemaYaml(version: 2 | 3): string {
  return stringify({
    tables: [{
      name: "forms",
      columns: [
        { name: "id", type: "BigInt", isNullable: false },
        ...FORMS.map(([name, type, v1, v2]) => ({ name, type, checkConstraint: version === 2 ? v1 : v2 })),
      ],
      primaryKey: { columns: ["id"] },
    }],
  });
}

for (const [engine, make] of ENGINES) {
  Deno.test(`[${engine}] no CHECK form churns, and changing each gives exactly one drop and one add`, async () => {
    const db = await make();
    try {
      const v1 = await tempFile("v1.yaml", schemaYaml(2));
      const v2 = await tempFile("v2.yaml", schemaYaml(3));
      const migrated = await cli(["migrate", "--schema", v1, "--db", db.url]);
      assert.equal(migrated.code, 0, migrated.stderr);
      const again = await cli(["plan", "--schema", v1, "--db", db.url, "--format", "json", "--exit-code"]);
      assert.equal(again.code, 0, again.stdout);
      assert.equal(JSON.parse(again.stdout).changes, 0);

      const changed = await cli(["plan", "--schema", v2, "--db", db.url, "--format", "json"]);
      assert.equal(changed.code, 0, changed.stderr);
      const steps = JSON.parse(changed.stdout).steps as Array<{ op: string; id: string }>;
      const expected = FORMS.map(([col]) => `constraint:public.forms.forms_${col}_check`).sort();
      assert.deepEqual(steps.filter((s) => s.op === "drop_constraint").map((s) => s.id).sort(), expected);
      assert.deepEqual(steps.filter((s) => s.op === "add_constraint").map((s) => s.id).sort(), expected);
      assert.equal(steps.length, 2 * FORMS.length);
    } finally {
      await db.drop();
    }
  });
}
