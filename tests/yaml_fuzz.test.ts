/**
 * Fuzzing the loader with mutants of every valid schema.yaml in the repository: whatever the
 * mutation, a file is either accepted or refused with exit 2 and every problem located at
 * file:line:column, never a stack trace or a hang; an accepted file's DDL creates only what it
 * declares; and a sample carried through the real shadow holds only declared objects.
 * Seeded (`PGCONVERGE_FUZZ_SEED`, `PGCONVERGE_FUZZ_RUNS`); a failure prints the seed and the mutant.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { PgcError } from "../mod.ts";
import type { DdlStatement } from "../src/model/ddl.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";
import { declaredIds, isDeclared } from "../src/render/declared_ids.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { sqlNames } from "../src/render/sql_names.ts";
import { canonicalizeYamlText } from "../src/source/source.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";
import type { Schema } from "../src/yaml/types.ts";
import { undeclaredInDdl } from "./support/ddl_objects.ts";
import { withPool } from "./support/property_harness.ts";
import { conjoinArb, mutate, type Mutation, mutationArb } from "./support/yaml_mutants.ts";

await ensureSqlParser();

const SEED = Number(Deno.env.get("PGCONVERGE_FUZZ_SEED") ?? "20250612");
const RUNS = Deno.env.get("PGCONVERGE_FUZZ_RUNS");
/** A single load that takes this long counts as a hang. */
const HANG_MS = 2000;

/** Every valid schema.yaml of the repository (examples, fixtures, golden inputs). */
async function seeds(): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = async (dir: URL): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
      if (e.isDirectory && e.name !== "invalid") await walk(url);
      else if (/\.ya?ml$/.test(e.name)) out.push({ path: url.pathname, text: await Deno.readTextFile(url) });
    }
  };
  for (const dir of ["../examples/", "./fixtures/", "../snapshots/"]) await walk(new URL(dir, import.meta.url));
  return out.sort((a, b) => a.path < b.path ? -1 : 1);
}

const SEEDS = await seeds();

const caseArb = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  mutations: fc.array(mutationArb(), { minLength: 1, maxLength: 3 }),
});

/** Run a property with the fixed seed; a failure names the seed and shows the mutant. */
async function holds(
  numRuns: number,
  body: (c: { seed: number; mutations: Mutation[] }) => Promise<void> | void,
): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(caseArb, async (c) => await body(c)), {
      seed: SEED,
      numRuns: RUNS ? Number(RUNS) : numRuns,
      includeErrorInReport: true,
    });
  } catch (e) {
    throw new Error(`Fuzz case failed (rerun with PGCONVERGE_FUZZ_SEED=${SEED}).\n${(e as Error).message}`);
  }
}

/** The mutant's text, for failure messages. */
function show(text: string): string {
  return `--- mutant\n${text}\n---`;
}

/** Load a mutant; a refusal must be exit 2 with every problem located. Returns the schema if accepted. */
function loadOrRefuse(text: string, file: string): Schema | undefined {
  const started = performance.now();
  try {
    return loadSchemaYaml(text, file);
  } catch (e) {
    if (!(e instanceof PgcError)) throw new Error(`not a PgcError: ${(e as Error).stack}\n${show(text)}`);
    assert.equal(e.exitCode, 2, `${e.code}: ${e.message}\n${show(text)}`);
    assert(e.code === "yaml_invalid" || e.code === "unsupported", e.code);
    assert(e.problems.length > 0, `no located problem: ${e.message}\n${show(text)}`);
    for (const p of e.problems) {
      assert(p.at !== undefined && p.at.file === file && p.at.line >= 1 && p.at.column >= 1, `unlocated: ${p.message}`);
    }
    return undefined;
  } finally {
    const ms = performance.now() - started;
    assert(ms < HANG_MS, `loading took ${ms.toFixed(0)} ms\n${show(text)}`);
  }
}

/** Statements that came from `sql:` items (raw SQL, allowed to create anything it names). */
function fromSqlItems(schema: Schema): (st: DdlStatement) => boolean {
  const sources = new Set(schema.sql.map((b) => b.at));
  return (st) => st.source !== undefined && sources.has(st.source);
}

Deno.test("fuzz: 10,000 mutants of valid schema.yaml files are accepted or refused at file:line:column, never worse", async () => {
  let accepted = 0;
  let withFragment = 0;
  const started = performance.now();
  await holds(10_000, ({ seed, mutations }) => {
    const { text, fragment } = mutate(SEEDS[seed].text, mutations);
    const schema = loadOrRefuse(text, "schema.yaml");
    if (schema === undefined) return;
    accepted++;
    const ddl = renderSchemaDdl(schema);
    if (!fragment) return;
    withFragment++;
    const extra = undeclaredInDdl(ddl.statements, declaredIds(schema), fromSqlItems(schema));
    assert.deepEqual(extra, [], show(text));
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${accepted} accepted (${withFragment} with SQL fragments in expression keys) in ${seconds.toFixed(1)} s`,
  );
  assert(accepted > 0 && withFragment > 0, "the mutants exercise the accepted path too");
});

Deno.test("[pglite] fuzz: mutants with tricky single expressions carried through the shadow hold only declared objects", async () => {
  const fragments = fc.record({
    seed: fc.nat({ max: SEEDS.length - 1 }),
    mutations: fc.array(conjoinArb(), { minLength: 1, maxLength: 3 }),
  });
  let shadowed = 0;
  await withPool(async (pool) => {
    const shadow = pool.view("fuzz");
    try {
      await fc.assert(
        fc.asyncProperty(fragments, async ({ seed, mutations }) => {
          const { text } = mutate(SEEDS[seed].text, mutations);
          const schema = loadOrRefuse(text, "schema.yaml");
          if (schema === undefined) return;
          let snapshot;
          try {
            snapshot = (await canonicalizeYamlText(text, "schema.yaml", shadow)).snapshot;
          } catch (e) {
            if (e instanceof PgcError && e.exitCode === 2 && e.problems.every((p) => p.at !== undefined)) return;
            throw new Error(`${(e as Error).stack}\n${show(text)}`);
          }
          shadowed++;
          const declared = declaredIds(schema);
          const named = new Set(schema.sql.flatMap((b) => [...sqlNames(b.sql)]));
          for (const o of snapshot.objects.values()) {
            if (["role", "grant", "extension"].includes(o.kind) || isDeclared(declared, o.id)) continue;
            const name = (o as { name?: string }).name ?? "";
            const table = (o as { table?: string }).table ?? "";
            assert(named.has(name) || named.has(table), `${o.id} is undeclared\n${show(text)}`);
          }
        }),
        { seed: SEED, numRuns: RUNS ? Math.min(40, Number(RUNS)) : 40, includeErrorInReport: true },
      );
    } catch (e) {
      throw new Error(`Fuzz case failed (rerun with PGCONVERGE_FUZZ_SEED=${SEED}).\n${(e as Error).message}`);
    }
  });
  console.log(`fuzz: ${shadowed} mutants went through the shadow`);
  assert(shadowed > 0, "some mutants reached the shadow");
});
