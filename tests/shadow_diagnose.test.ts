/**
 * When PostgreSQL rejects a CREATE TABLE it names one cause, often without a position. Every
 * cause is still reported in one run, each at its own YAML value: every unknown type (with a
 * "did you mean" when a portable or native type is close), and every default PostgreSQL rejects.
 */
import assert, { deepEqual, equal } from "node:assert/strict";
import { cli, tempFile } from "./support/cli.ts";

/** `line:column message` of each located problem the CLI printed for `file`. */
function located(stderr: string, file: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith(`  ${file}:`)).map((l) => l.slice(file.length + 3));
}

Deno.test("[pglite] every unknown type of a table is reported in one run, each with a did-you-mean", async () => {
  const file = await tempFile(
    "schema.yaml",
    `tables:
  - name: t
    columns:
      - { name: a, type: Integr }
      - { name: b, type: "varchr(20)" }
      - { name: c, type: timestamptx }
      - { name: d, type: nosuchthing }
      - { name: e, type: Text }
  - name: u
    columns:
      - { name: f, type: uuidd }
`,
  );
  const r = await cli(["render", file]);
  equal(r.code, 2, r.stderr);
  deepEqual(located(r.stderr, file), [
    '4:26: PostgreSQL rejected this: type "integr" does not exist (did you mean "Integer"?)',
    '5:26: PostgreSQL rejected this: type "varchr" does not exist (did you mean "VarChar"?)',
    '6:26: PostgreSQL rejected this: type "timestamptx" does not exist (did you mean "timestamptz"?)',
    '7:26: PostgreSQL rejected this: type "nosuchthing" does not exist',
    '11:26: PostgreSQL rejected this: type "uuidd" does not exist (did you mean "Uuid"?)',
  ]);
  assert(!r.stderr.includes("pgc_probe"), `the probes stay ours:\n${r.stderr}`);
});

Deno.test("[pglite] each default PostgreSQL rejects is reported at its own defaultValue line", async () => {
  const file = await tempFile(
    "schema.yaml",
    `tables:
  - name: t
    columns:
      - { name: id, type: Int }
      - { name: a, type: Int, defaultValue: "now()" }
      - { name: b, type: Int, defaultValue: "'abc'" }
      - { name: c, type: Int, defaultValue: "no_such_function()" }
      - { name: d, type: Text, defaultValue: "'fine'" }
  - name: u
    columns:
      - { name: id, type: Int, defaultValue: "now()" }
`,
  );
  const r = await cli(["render", file]);
  equal(r.code, 2, r.stderr);
  const problems = located(r.stderr, file);
  deepEqual(problems.map((p) => p.split(": ")[0]), ["5:45", "6:45", "7:45", "11:46"]);
  assert(
    problems[0].includes('column "a" is of type integer but default expression is of type timestamp'),
    problems[0],
  );
  assert(problems[1].includes('invalid input syntax for type integer: "abc"'), problems[1]);
  assert(problems[2].includes("function no_such_function() does not exist"), problems[2]);
  assert(problems[3].includes('column "id" is of type integer but default expression'), problems[3]);
});
