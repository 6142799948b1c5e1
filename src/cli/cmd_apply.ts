/**
 * `apply FILE --db URL`: converge or roll back, and stop cleanly on Ctrl-C / SIGTERM (the running
 * statement is cancelled on the server, the transaction rolled back, exit 130 / 143).
 * @module
 */
import { applyMigration, type ApplyResult } from "../apply/apply.ts";
import { openDatabase } from "../db/open.ts";
import { EXIT, type ExitCode, PgcError } from "../model/errors.ts";
import type { Migration } from "../migration/read.ts";
import { readMigration } from "../migration/read.ts";
import { readText } from "../source/source.ts";
import { type Context, dbUrl, shadowFor } from "./context.ts";
import type { Io } from "./io.ts";

/** `n thing` / `n things`. */
function count(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? "" : "s"}`;
}

/** Listens for SIGINT/SIGTERM while apply runs: the first stops apply, a second quits at once. */
function listenForStops(stop: AbortController, io: Io): { dispose(): void } {
  const listeners: Array<[Deno.Signal, () => void]> = [];
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const listener = () => {
      if (!stop.signal.aborted) {
        io.err(`${signal}: stopping: cancelling the running statement and rolling back (again to quit at once).`);
        stop.abort(signal);
        return;
      }
      io.err(
        `${signal} again: quitting without waiting; pgconverge did not see the rollback finish. Check the ` +
          "database before going on (apply the file again: it refuses, finishes it, or has nothing to do).",
      );
      Deno.exit(signal === "SIGINT" ? EXIT.interrupted : EXIT.terminated);
    };
    try {
      Deno.addSignalListener(signal, listener);
      listeners.push([signal, listener]);
    } catch {
      // a platform without this signal (SIGTERM on Windows)
    }
  }
  return {
    dispose() {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}

/** The line printed for a converged (or already converged) database. */
function outcomeText(r: ApplyResult, m: Migration, file: string): string {
  if (r.outcome === "already") {
    return `Nothing to do: the database already has the planned schema (${r.fingerprint}).`;
  }
  const data = r.ran.length - r.generated;
  const what = [count(r.generated, "statement"), ...(data > 0 ? [count(data, "data section statement")] : [])]
    .join(" and ");
  const from = r.resumedAt ? ` (went on from part ${r.resumedAt} of ${r.parts}: the parts before were committed)` : "";
  const all = r.resumedAt || r.generated === m.units.length ? "" : ` of ${m.units.length}`;
  return `Converged: ${what}${all} applied from ${file}${from}; fingerprint ${r.fingerprint}.`;
}

/** `apply FILE --db URL`: converge-or-rollback. */
export async function applyCommand(ctx: Context): Promise<ExitCode> {
  const file = ctx.args.positionals[0];
  if (!file) {
    throw new PgcError("usage", "apply needs a migration file.", { hint: "pgconverge apply migration.sql --db URL" });
  }
  const m = await readMigration(await readText(file), file);
  const url = dbUrl(ctx);
  const stop = new AbortController();
  const signals = listenForStops(stop, ctx.io);
  const shadow = shadowFor(ctx);
  try {
    const db = await openDatabase(url, { extensions: m.header.manages?.extensions.map((e) => e.name) ?? [] });
    try {
      const r = await applyMigration(db, m, {
        shadow,
        lockTimeout: ctx.args.values["lock-timeout"] ?? "10s",
        file,
        monitor: () => openDatabase(url),
        signal: stop.signal,
        notice: (s) => ctx.io.err(s),
      });
      ctx.io.out(outcomeText(r, m, file));
      if (stop.signal.aborted && r.outcome === "applied") {
        ctx.io.err(`The ${String(stop.signal.reason)} came after COMMIT was sent: the migration is committed.`);
      }
      return EXIT.ok;
    } finally {
      await db.close();
    }
  } finally {
    signals.dispose();
    await shadow.close();
  }
}
