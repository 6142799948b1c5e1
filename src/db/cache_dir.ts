/**
 * The on-disk cache (PGlite template data directory, canonicalised snapshots). Every entry is
 * keyed by a content hash, so a stale entry is never read; an unwritable cache only costs time.
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

/** Read a cache entry, or undefined when absent or unreadable. */
export async function readCache(name: string): Promise<Uint8Array | undefined> {
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    return await Deno.readFile(`${dir}/${name}`);
  } catch {
    return undefined;
  }
}

/** Write a cache entry atomically (temp file + rename); failures are ignored on purpose. */
export async function writeCache(name: string, data: Uint8Array): Promise<void> {
  const dir = cacheDir();
  if (!dir) return;
  try {
    await Deno.mkdir(dir, { recursive: true });
    const tmp = `${dir}/${name}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, `${dir}/${name}`);
  } catch {
    // A read-only home or full disk must not break planning; the next run just boots slower.
  }
}
