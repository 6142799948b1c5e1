import assert from "node:assert/strict";
import { openDatabase } from "../src/db/open.ts";
import { loadStatements } from "../src/shadow/load.ts";

const SEGMENT = 16 * 1024 * 1024;

Deno.test("loadStatements() keeps an embedded shadow's WAL to a few segments however much it writes", async () => {
  const db = await openDatabase("pglite:memory");
  try {
    // ~25 kB of WAL per statement: 4,500 statements write well over 64 MB (four segments).
    const statements = [
      { sql: "CREATE TABLE filler (n int, pad text)" },
      ...Array.from({ length: 4500 }, () => ({
        sql: "INSERT INTO filler SELECT g, repeat('x', 40) FROM generate_series(1, 300) g",
      })),
    ];
    await loadStatements(db, statements);
    const [wal] = await db.query<{ written: string; segments: number }>(
      `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS written,
              (SELECT count(*)::int FROM pg_ls_waldir()) AS segments`,
    );
    assert.ok(Number(wal.written) > 4 * SEGMENT, `only ${wal.written} bytes of WAL written: the test proves nothing`);
    assert.ok(wal.segments <= 3, `${wal.segments} WAL segments held in memory after the load`);
  } finally {
    await db.close();
  }
});
