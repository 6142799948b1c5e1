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
