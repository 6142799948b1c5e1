/** The on-disk cache stays under its cap, oldest entries first, and keeps the PGlite template. */
import assert from "node:assert/strict";
import { pruneCache } from "../src/db/cache_dir.ts";

async function entry(dir: string, name: string, bytes: number, minutesAgo: number): Promise<void> {
  await Deno.writeFile(`${dir}/${name}`, new Uint8Array(bytes));
  const at = new Date(Date.now() - minutesAgo * 60_000);
  await Deno.utime(`${dir}/${name}`, at, at);
}

Deno.test("pruneCache() deletes the least recently used entries until the rest fits, keeping the template", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgc_cache_" });
  try {
    await entry(dir, "pglite-0.5.16-template.tar.gz", 4000, 90);
    await entry(dir, "canon-old.json", 1000, 60);
    await entry(dir, "canon-older.json", 1000, 70);
    await entry(dir, "file-recent.json", 1000, 5);
    await entry(dir, "canon-new.json", 1000, 1);
    assert.equal(await pruneCache(dir, 2500), 2);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left.sort(), ["canon-new.json", "file-recent.json", "pglite-0.5.16-template.tar.gz"]);
    assert.equal(await pruneCache(dir, 2500), 0, "nothing more to delete once it fits");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pruneCache() of a missing directory deletes nothing and does not throw", async () => {
  assert.equal(await pruneCache("/nonexistent/pgconverge-cache", 0), 0);
});
