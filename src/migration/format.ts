/**
 * The migration file's fixed markers and its checksum. The checksum covers everything
 * pgconverge generated that apply relies on (fingerprints, statements, expectations), not the
 * comments and not the data section a person is meant to edit.
 * @module
 */
import { sha256 } from "../model/hash.ts";
import type { CommitPoint, Expectation } from "../plan/plan.ts";
import { scopeIsEmpty, scopeToText } from "../model/access.ts";
import type { ManagedScope } from "../model/snapshot.ts";

/** First line of every migration file. */
export const MAGIC = "-- pgconverge migration";
/** Format version written in the header. */
export const FORMAT = "pgconverge/1";
/** The data section's opening marker (a line starting with it). */
export const DATA_OPEN = "-- [data]";
/** The data section's closing marker. */
export const DATA_CLOSE = "-- [/data]";
/** A commit boundary between units (a line starting with it, then the fingerprint reached there). */
export const COMMIT = "-- [commit]";
/** Last line of a complete file; its absence means the file was truncated. */
export const END = "-- end of migration";

/** The header fields apply reads. */
export interface MigrationHeader {
  /** Fingerprint before. */
  from: string;
  /** Fingerprint after. */
  to: string;
  /** Managed schemas. */
  schemas: string[];
  /** Destructive statements were allowed when planning. */
  allowDestructive: boolean;
  /** Roles, extensions and grants the plan manages (the `manages:` line; absent when none). */
  manages?: ManagedScope;
}

/** A generated statement as stored in the file. */
export interface MigrationUnit {
  /** 1-based number. */
  n: number;
  /** Phase (`drop`, `pre`, `post`). */
  phase: string;
  /** Object id. */
  id: string;
  /** The SQL, exactly as written. */
  sql: string;
  /** True for a statement that may lose data. */
  destructive: boolean;
  /** The plan's row count for this statement's rule, re-run by apply when the statement fails. */
  count?: UnitCount;
}

/** A read-only count of the rows a statement's rule rejects. */
export interface UnitCount {
  /** What the count means ("rows of public.t break the new CHECK t_k_check"). */
  what: string;
  /** `SELECT count(*)::bigint AS n …`, one line. */
  sql: string;
}

/** The checksum over a migration's generated content (commit boundaries included). */
export function migrationChecksum(
  h: MigrationHeader,
  units: MigrationUnit[],
  expects: Expectation[],
  commits: CommitPoint[] = [],
): Promise<string> {
  const parts = [
    FORMAT,
    h.from,
    h.to,
    h.schemas.join(","),
    String(h.allowDestructive),
    // Only files that manage roles, extensions or grants carry the line, so older files keep their checksum.
    ...(scopeIsEmpty(h.manages) ? [] : [`manages\t${scopeToText(h.manages!)}`]),
    ...units.map((u) => `${u.n}\t${u.phase}\t${u.id}\t${u.destructive}\t${u.sql.trim()}\t${u.count?.sql ?? ""}`),
    // Only files with boundaries carry these parts, so older files keep their checksum.
    ...commits.map((c) => `commit\t${c.after}\t${c.fingerprint}`),
    ...expects.map((e) => `${e.id}\t${e.hash}`),
  ];
  return sha256(parts.join("\n")).then((h) => "sha256:" + h);
}

/**
 * The database a migration was planned on: its name and its cluster's system identifier. Written
 * as the `database:` header line and not covered by the checksum: apply uses it only to word a
 * refusal ("planned for another database" rather than "the schema changed since planning").
 */
export interface DatabaseIdentity {
  /** `current_database()`. */
  name: string;
  /** `pg_control_system().system_identifier`, when it could be read. */
  system?: string;
}

/** The `database:` header line's value: `app (cluster 7716038744554174586)`. */
export function databaseLine(d: DatabaseIdentity): string {
  return d.system ? `${JSON.stringify(d.name)} (cluster ${d.system})` : JSON.stringify(d.name);
}

/** Read a `database:` header line's value; undefined when it is not one {@link databaseLine} writes. */
export function readDatabaseLine(text: string): DatabaseIdentity | undefined {
  const m = text.match(/^("(?:[^"\\]|\\.)*")(?: \(cluster (\d+)\))?$/);
  if (!m) return undefined;
  try {
    const name = JSON.parse(m[1]);
    return typeof name === "string" ? { name, ...(m[2] ? { system: m[2] } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

const SINGULAR: Record<string, string> = {
  break: "breaks",
  collide: "collides",
  have: "has",
  need: "needs",
  hold: "holds",
  "(or are NULL)": "(or is NULL)",
};

/**
 * A row count with its meaning, in agreement: `2 rows of public.t break …`, `1 row of public.t
 * breaks …`. `what` is a preflight's plural phrase ("rows of T break the new CHECK c").
 *
 * @example
 * ```ts
 * countedRows(1, "rows of public.t have NULL in a"); // "1 row of public.t has NULL in a"
 * ```
 */
export function countedRows(n: number, what: string): string {
  if (n !== 1 || !what.startsWith("rows of ")) return `${n} ${what}`;
  const words = what.slice("rows of ".length).split(" ");
  // The verb is the first word after the table name that a preflight phrase uses as one.
  const verb = words.findIndex((w, i) => i > 0 && w in SINGULAR && w !== "(or are NULL)");
  if (verb < 0) return `1 ${what}`;
  words[verb] = SINGULAR[words[verb]];
  const rest = words.join(" ").replace("(or are NULL)", SINGULAR["(or are NULL)"]);
  return `1 row of ${rest}`;
}
