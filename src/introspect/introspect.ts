/**
 * Live catalog → Snapshot. The same code reads the shadow (desired side) and the live database,
 * so both sides are the same model by construction.
 * @module
 */
import { withCatalogPath } from "./search_path.ts";
import type { Queryable } from "../db/queryable.ts";
import { columnId, commentId, constraintId, indexId, schemaId, tableId, typeId } from "../model/ids.ts";
import { qualify } from "../model/quote.ts";
import type { ColumnObject, ConstraintType, DbObject, ManagedScope, Snapshot, TableObject } from "../model/snapshot.ts";
import { readAccess } from "./access.ts";
import { snapshotOf } from "../model/snapshot.ts";
import {
  Q_COLUMNS,
  Q_COMMENTS,
  Q_CONSTRAINTS,
  Q_ENUMS,
  Q_INDEXES,
  Q_INSTALLED_EXTENSIONS,
  Q_OWNED_SEQUENCES,
  Q_SCHEMAS,
  Q_TABLES,
  Q_USER_SCHEMAS,
} from "./queries.ts";
import { readEnumUsers } from "./enums.ts";
import { introspectFunctions } from "./functions.ts";
import { readDomains } from "./domains.ts";
import { readSequences } from "./sequences.ts";
import { readViews } from "./views.ts";
import { readRowLevelSecurity } from "./policies.ts";
import { readPartitionColumnAttributes } from "./partitions.ts";
import { unmanagedObjects } from "./census.ts";

/** Options for {@link introspect}. */
export interface IntrospectOptions {
  /** Schemas to read; all user schemas when omitted. */
  schemas?: string[];
  /** Roles, extensions and grants to read (see access.ts); none when omitted. */
  manages?: ManagedScope;
}

interface ColumnRow {
  schema: string;
  table: string;
  name: string;
  position: number;
  type: string;
  not_null: boolean;
  collation: string | null;
  default_expr: string | null;
  identity: string;
  generated: string;
}

interface TableRow {
  schema: string;
  name: string;
  partkey: string | null;
  parent_schema: string | null;
  parent_name: string | null;
  bound: string | null;
}

/** One table row → TableObject, with its partition key, or its parent and bound. */
function tableOf(r: TableRow): TableObject {
  const t: TableObject = { kind: "table", id: tableId(r.schema, r.name), schema: r.schema, name: r.name };
  if (r.partkey !== null) t.partitionBy = r.partkey;
  if (r.parent_schema !== null && r.parent_name !== null && r.bound !== null) {
    t.partitionOf = { schema: r.parent_schema, table: r.parent_name };
    t.bound = r.bound;
  }
  return t;
}

const SERIAL_TYPES: Record<string, string> = { integer: "serial", bigint: "bigserial", smallint: "smallserial" };

/**
 * Read the managed schemas of a database into a Snapshot. Runs with `search_path = pg_catalog`
 * (restored afterwards) so PostgreSQL prints user objects schema-qualified.
 */
export function introspect(db: Queryable, opts: IntrospectOptions = {}): Promise<Snapshot> {
  return withCatalogPath(db, async () => {
    const wanted = opts.schemas ?? (await db.query<{ name: string }>(Q_USER_SCHEMAS)).map((r) => r.name);
    const present = (await db.query<{ name: string }>(Q_SCHEMAS, [wanted])).map((r) => r.name);
    const objects: DbObject[] = present.filter((s) => s !== "public").map((name) => ({
      kind: "schema" as const,
      id: schemaId(name),
      name,
    }));
    for (const r of await db.query<{ schema: string; name: string; labels: string }>(Q_ENUMS, [present])) {
      const values = JSON.parse(r.labels) as string[];
      objects.push({ kind: "enum", id: typeId(r.schema, r.name), schema: r.schema, name: r.name, values });
    }
    for (const r of await db.query<TableRow>(Q_TABLES, [present])) objects.push(tableOf(r));
    const tables = new Set(objects.filter((o) => o.kind === "table").map((o) => o.id));
    const owned = new Map(
      (await db.query<{ schema: string; table: string; column: string; seq_schema: string; seq_name: string }>(
        Q_OWNED_SEQUENCES,
        [present],
      )).map((r) => [
        `${columnId(r.schema, r.table, r.column)}\t${qualify(r.seq_schema, r.seq_name)}`,
        { schema: r.seq_schema, name: r.seq_name },
      ]),
    );
    for (const r of await db.query<ColumnRow>(Q_COLUMNS, [present])) {
      if (!tables.has(tableId(r.schema, r.table))) continue;
      objects.push(columnOf(r, owned));
    }
    for (
      const r of await db.query<
        {
          schema: string;
          table: string;
          name: string;
          type: string;
          definition: string;
          ref_schema: string | null;
          ref_table: string | null;
        }
      >(Q_CONSTRAINTS, [present])
    ) {
      if (!tables.has(tableId(r.schema, r.table))) continue;
      objects.push({
        kind: "constraint",
        id: constraintId(r.schema, r.table, r.name),
        schema: r.schema,
        table: r.table,
        name: r.name,
        type: r.type as ConstraintType,
        definition: r.definition,
        ...(r.ref_schema && r.ref_table ? { references: tableId(r.ref_schema, r.ref_table) } : {}),
      });
    }
    objects.push(...await readDomains(db, present));
    const views = await readViews(db, present);
    objects.push(...views);
    // A materialized view's indexes are read like a table's.
    for (const v of views) if (v.kind === "matview") tables.add(tableId(v.schema, v.name));
    for (
      const r of await db.query<{ schema: string; table: string; name: string; definition: string }>(Q_INDEXES, [
        present,
      ])
    ) {
      if (!tables.has(tableId(r.schema, r.table))) continue;
      objects.push({
        kind: "index",
        id: indexId(r.schema, r.name),
        schema: r.schema,
        table: r.table,
        name: r.name,
        definition: r.definition,
      });
    }
    for (
      const r of await db.query<{ schema: string; table: string; column: string | null; text: string }>(Q_COMMENTS, [
        present,
      ])
    ) {
      if (!tables.has(tableId(r.schema, r.table))) continue;
      const target = r.column === null ? tableId(r.schema, r.table) : columnId(r.schema, r.table, r.column);
      objects.push({
        kind: "comment",
        id: commentId(target),
        target,
        schema: r.schema,
        table: r.table,
        ...(r.column === null ? {} : { column: r.column }),
        text: r.text,
      });
    }
    objects.push(...await introspectFunctions(db, present, tables));
    const access = await readAccess(db, present, opts.manages);
    objects.push(...access.objects);
    objects.push(...await readSequences(db, present, objects));
    objects.push(...await readRowLevelSecurity(db, present, tables));
    await readEnumUsers(db, present, objects);
    const snap = snapshotOf(objects, wanted);
    const installed = await db.query<{ name: string; schema: string }>(Q_INSTALLED_EXTENSIONS);
    snap.unmanaged = [
      ...new Set([
        ...await unmanagedObjects(db, present, objects, installed),
        ...access.unmanaged,
        ...await readPartitionColumnAttributes(db, present),
      ]),
    ].sort();
    if (opts.manages) snap.manages = opts.manages;
    if (access.owners) snap.owners = access.owners;
    if (installed.length > 0) snap.installedExtensions = installed.map((r) => ({ name: r.name, schema: r.schema }));
    return snap;
  });
}

/** One column row → ColumnObject; a serial-style owned sequence default becomes `serial`. */
function columnOf(r: ColumnRow, owned: Map<string, { schema: string; name: string }>): ColumnObject {
  const id = columnId(r.schema, r.table, r.name);
  const col: ColumnObject = {
    kind: "column",
    id,
    schema: r.schema,
    table: r.table,
    name: r.name,
    position: Number(r.position),
    type: r.type,
    notNull: r.not_null === true || (r.not_null as unknown) === "t",
  };
  if (r.collation) col.collation = r.collation;
  if (r.identity === "a") col.identity = "always";
  if (r.identity === "d") col.identity = "by default";
  if (r.generated === "s" && r.default_expr !== null) col.generated = r.default_expr;
  else if (r.default_expr !== null) {
    // The sequence is matched by ownership, not by name: PostgreSQL cuts `<table>_<column>_seq`
    // to 63 bytes (and adds a digit on a clash), so long names would otherwise not read as serial.
    const seq = /^nextval\('((?:[^']|'')*)'::regclass\)$/.exec(r.default_expr)?.[1].replaceAll("''", "'");
    const serial = SERIAL_TYPES[r.type];
    const sequence = seq === undefined ? undefined : owned.get(`${id}\t${seq}`);
    if (serial && sequence) {
      col.type = serial;
      col.serialSequence = sequence;
    } else {
      col.default = r.default_expr;
    }
  }
  return col;
}
