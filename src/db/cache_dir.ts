/**
 * The on-disk cache (PGlite template data directory, canonicalised snapshots). Every entry is
 * keyed by a content hash, so a stale entry is never read; an unwritable cache only costs time.
 * It is kept under a size cap by deleting the least recently used entries.
 * @module
 */

/** The cache directory: `PGCONVERGE_CACHE_DIR`, else `$XDG_CACHE_HOME/pgconverge`, else `~/.cache/pgconverge`. */
export function cacheDir(): string | undefined {
  const env = (k: string) => {
    try {
      return Deno.env.get(k);
    } catch {
      return undefined;
    }
  };
  const explicit = env("PGCONVERGE_CACHE_DIR");
  if (explicit === "off") return undefined;
  if (explicit) return explicit;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/pgconverge`;
  const home = env("HOME");
  return home ? `${home}/.cache/pgconverge` : undefined;
}

/** Read a cache entry, or undefined when absent or unreadable. A hit counts as a use (for pruning). */
export async function readCache(name: string): Promise<Uint8Array | undefined> {
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    const data = await Deno.readFile(`${dir}/${name}`);
    const now = new Date();
    await Deno.utime(`${dir}/${name}`, now, now).catch(() => {});
    return data;
  } catch {
    return undefined;
  }
}

/** The PGlite template: the one entry that is slow to make again (initdb), never pruned. */
const KEEP = /-template\.tar\.gz$/;

/**
 * The cache's size cap in bytes: `PGCONVERGE_CACHE_MAX_MB` (default 1,024). A 1,000-table
 * schema writes ~15 MB per changed input, and nothing else ever deletes an entry.
 */
export function cacheCap(): number {
  let mb = 1024;
  try {
    const v = Number(Deno.env.get("PGCONVERGE_CACHE_MAX_MB"));
    if (Number.isFinite(v) && v > 0) mb = v;
  } catch {
    // No env permission: the default.
  }
  return mb * 1024 * 1024;
}

/**
 * Delete the least recently used entries of `dir` (by modification time, which a hit refreshes)
 * until the rest fits in `maxBytes`; the PGlite template is kept. Returns how many were deleted.
 */
export async function pruneCache(dir: string, maxBytes: number): Promise<number> {
  const entries: Array<{ path: string; size: number; at: number }> = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || KEEP.test(e.name)) continue;
      const st = await Deno.stat(`${dir}/${e.name}`).catch(() => undefined);
      if (st) entries.push({ path: `${dir}/${e.name}`, size: st.size, at: st.mtime?.getTime() ?? 0 });
    }
  } catch {
    return 0;
  }
  let total = entries.reduce((n, e) => n + e.size, 0);
  let deleted = 0;
  for (const e of entries.sort((a, b) => a.at - b.at)) {
    if (total <= maxBytes) break;
    try {
      await Deno.remove(e.path);
      total -= e.size;
      deleted++;
    } catch {
      // Gone already (another process pruned it): nothing to do.
    }
  }
  return deleted;
}

let pruned = false;

/** Write a cache entry atomically (temp file + rename); failures are ignored on purpose. */
export async function writeCache(name: string, data: Uint8Array): Promise<void> {
  const dir = cacheDir();
  if (!dir) return;
  try {
    await Deno.mkdir(dir, { recursive: true });
    const tmp = `${dir}/${name}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, `${dir}/${name}`);
    // Once per process, after its first write (only a cache miss writes, and a miss costs far more).
    if (!pruned) {
      pruned = true;
      await pruneCache(dir, cacheCap());
    }
  } catch {
    // A read-only home or full disk must not break planning; the next run just boots slower.
  }
}
