/** The PGlite template: made by the first run on an empty cache, which prints exactly what later runs print. */
import assert from "node:assert/strict";
import { tempFile } from "./support/cli.ts";

const SCHEMA = `tables:
  - name: usage_events
    columns:
      - { name: id, type: Uuid, isNullable: false, defaultLqlExpression: gen_uuid() }
      - { name: at, type: DateTimeOffset, defaultValue: "'2024-01-01 00:00:00+00'" }
      - name: kind
        type: VarChar(32)
        isNullable: false
        checkConstraint: "kind IN ('request','input_tokens')"
    primaryKey: { columns: [id] }
`;

const MOD = new URL("../mod.ts", import.meta.url).pathname;

/** `render` in a fresh process (the cache directory is read from its environment). */
async function render(schema: string, cache: string): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "render", schema],
    env: { PGCONVERGE_CACHE_DIR: cache },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout), err: text(r.stderr) };
}

Deno.test("the first run on an empty cache saves the PGlite template and prints what a run booted from it prints", async () => {
  const cache = await Deno.makeTempDir({ prefix: "pgc_cache_" });
  const schema = await tempFile("schema.yaml", SCHEMA);
  try {
    const first = await render(schema, cache);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /CHECK \(\(\(kind\)::text = ANY/);
    const names = [...Deno.readDirSync(cache)].map((e) => e.name);
    assert.ok(names.includes("pglite-0.5.16-template.tar.gz"), names.join(", "));
    // Only the template left: the second run canonicalises again, in an instance booted from it.
    for (const n of names) if (!n.startsWith("pglite-")) await Deno.remove(`${cache}/${n}`);
    const second = await render(schema, cache);
    assert.equal(second.code, 0, second.err);
    assert.equal(second.out, first.out);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
