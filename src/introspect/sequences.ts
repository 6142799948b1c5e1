/**
 * Sequences: standalone ones become `sequence` objects; an identity column's sequence gives the
 * column its `identityOptions`; a serial column's sequence stays part of its column.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import { columnId, sequenceId } from "../model/ids.ts";
import type { ColumnObject, DbObject, SequenceObject, SequenceOptions } from "../model/snapshot.ts";
import { Q_SEQUENCES } from "./view_queries.ts";

interface SequenceRow {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean | string;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
  deptype: string | null;
}

const SERIAL_TYPES = new Set(["serial", "bigserial", "smallserial"]);

/**
 * Read the sequences of the given schemas. Identity options are set on the columns in `objects`
 * (in place); sequences owned by a column read as serial are left out (they are that column).
 */
export async function readSequences(db: Queryable, schemas: string[], objects: DbObject[]): Promise<SequenceObject[]> {
  const columns = new Map<string, ColumnObject>();
  for (const o of objects) if (o.kind === "column") columns.set(o.id, o);
  const out: SequenceObject[] = [];
  for (const r of await db.query<SequenceRow>(Q_SEQUENCES, [schemas])) {
    const options: SequenceOptions = {
      type: r.type,
      start: String(r.start),
      increment: String(r.increment),
      min: String(r.min),
      max: String(r.max),
      cache: String(r.cache),
      cycle: r.cycle === true || r.cycle === "t",
    };
    const owner = r.owner_schema !== null && r.owner_table !== null && r.owner_column !== null
      ? { schema: r.owner_schema, table: r.owner_table, column: r.owner_column }
      : undefined;
    const col = owner ? columns.get(columnId(owner.schema, owner.table, owner.column)) : undefined;
    if (r.deptype === "i") {
      if (col?.identity) col.identityOptions = options;
      continue;
    }
    if (col && SERIAL_TYPES.has(col.type)) continue;
    const seq: SequenceObject = {
      kind: "sequence",
      id: sequenceId(r.schema, r.name),
      schema: r.schema,
      name: r.name,
      options,
    };
    if (owner) seq.ownedBy = owner;
    out.push(seq);
  }
  return out;
}
