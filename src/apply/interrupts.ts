/**
 * Stopping apply on SIGINT/SIGTERM without leaving the server working: the statement running in
 * apply's session is cancelled from a second session (`pg_cancel_backend`), so its locks go with
 * the rollback that follows, instead of staying held until the statement ends on its own.
 * The CLI turns the signal into an AbortSignal; apply checks it between statements and, while a
 * statement runs, cancels it on the server.
 * @module
 */
import type { Queryable, Row } from "../db/queryable.ts";

/** The signals apply stops on. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Thrown inside apply once a stop was asked for; apply rolls back and reports it. */
export class Stopped extends Error {
  /** Create for a signal. */
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal}`);
    this.name = "Stopped";
  }
}

/** Apply's session, counting the statements in flight so an interrupt knows whether to cancel one. */
export class TrackedSession implements Queryable {
  /** Statements sent and not yet answered. */
  busy = 0;
  /** `server` or `pglite`. */
  readonly engine: "server" | "pglite";
  /** Printable name. */
  readonly label: string;

  /** Wrap a session. */
  constructor(private readonly inner: Queryable) {
    this.engine = inner.engine;
    this.label = inner.label;
  }

  /** Run one statement and return its rows. */
  async query<T = Row>(sql: string, params?: unknown[]): Promise<T[]> {
    this.busy++;
    try {
      return await this.inner.query<T>(sql, params);
    } finally {
      this.busy--;
    }
  }

  /** Run statements without parameters. */
  async exec(sql: string): Promise<void> {
    this.busy++;
    try {
      await this.inner.exec(sql);
    } finally {
      this.busy--;
    }
  }

  /** Close the wrapped session. */
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The reason an AbortSignal carries, as a stop signal (SIGINT unless it says SIGTERM). */
function signalOf(reason: unknown): StopSignal {
  return reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** Watches the stop signal for one apply run. */
export class Interrupts {
  /** True once a running statement was cancelled on the server because of the stop. */
  cancelled = false;
  private readonly onAbort = () => void this.cancelWhileRunning();
  private cancel: (() => Promise<boolean>) | undefined;
  private cancelling = true;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `signal`: the CLI's stop signal (none: apply cannot be stopped). */
  constructor(private readonly signal: AbortSignal | undefined, private readonly session: TrackedSession) {
    signal?.addEventListener("abort", this.onAbort);
  }

  /** Set how a running statement is cancelled (a second session's `pg_cancel_backend`). */
  canCancelWith(cancel: () => Promise<boolean>): void {
    this.cancel = cancel;
    if (this.signal?.aborted) void this.cancelWhileRunning();
  }

  /** The signal that stopped apply, if one did. */
  get stopped(): StopSignal | undefined {
    return this.signal?.aborted ? signalOf(this.signal.reason) : undefined;
  }

  /** Throw {@link Stopped} when a stop was asked for (call between statements). */
  check(): void {
    const s = this.stopped;
    if (s) throw new Stopped(s);
  }

  /**
   * Stop cancelling: from here on apply's own statements run (ROLLBACK TO SAVEPOINT, the checks
   * after it, ROLLBACK), and they must not be cancelled.
   */
  standDown(): void {
    this.cancelling = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Cancel whatever runs in apply's session, and again every 250 ms while something does: a
   * cancel that reaches the server just before the statement it meant is ignored there.
   */
  private async cancelWhileRunning(): Promise<void> {
    if (!this.cancelling || !this.cancel || !this.signal?.aborted || this.timer !== undefined) return;
    if (this.session.busy > 0) {
      try {
        if (await this.cancel()) this.cancelled = true;
      } catch {
        // The statement then ends on its own; apply stops before the next one.
      }
    }
    if (!this.cancelling) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.cancelWhileRunning();
    }, 250);
  }

  /** Stop listening. */
  dispose(): void {
    this.standDown();
    this.signal?.removeEventListener("abort", this.onAbort);
  }
}
