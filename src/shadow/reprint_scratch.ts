/**
 * The second printing of column defaults, CHECKs and expression indexes, once per distinct
 * definition, in scratch tables beside the schema instead of in place.
 *
 * How PostgreSQL prints such a definition depends on its text and on the columns it names
 * (their names, types and collations), never on the rest of the table: a default names no
 * column and depends only on the type and collation it is coerced to. So a scratch table holding
 * just those columns prints what re-executing the definition on its own table would, and
 * definitions that agree on all of that are printed once. At 1,000 generated tables: 10 scratch
 * columns print 7,407 defaults, and the CHECKs and expression indexes that took 1,000 ALTER
 * TABLE and 4,000 DROP/CREATE INDEX statements in place take a handful of scratch tables.
 *
 * Left in place (reprint.ts): definitions on partitioned tables and partitions (they recurse),
 * CHECKs that are NOT VALID, NO INHERIT or not enforced, exclusion constraints, and anything
 * whose text names its own table (a whole-row reference needs the real row type).
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import type { DdlStatement } from "../model/ddl.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import {
  type ColumnObject,
  type ConstraintObject,
  type IndexObject,
  objectsOfKind,
  type Snapshot,
} from "../model/snapshot.ts";
import { tableId } from "../model/ids.ts";
import { loadStatements } from "./load.ts";
import { withCatalogPath } from "../introspect/search_path.ts";

/** Columns per scratch table, well under PostgreSQL's 1,600. */
const WIDTH = 1000;

/** Where the definitions of a snapshot are printed again, and where each one lands. */
export interface ScratchProbe {
  /** Scratch schema (absent from the snapshot; dropped again before the schema is read). */
  schema: string;
  /** Statements creating the scratch schema, tables (defaults and CHECKs inline) and indexes. */
  create: DdlStatement[];
  /** Column id → scratch `table\u0000column` holding its default. */
  defaults: Map<string, string>;
  /** CHECK constraint id → scratch `table\u0000constraint`. */
  checks: Map<string, string>;
  /** Index id → scratch index name, and the head of the index's own definition (up to `USING `). */
  indexes: Map<string, { at: string; head: string }>;
}

/** One scratch table: its columns by name (type and collation), definitions and constraints. */
interface Scratch {
  name: string;
  types: Map<string, string>;
  columns: string[];
  checks: string[];
}

/** Every name a printed definition may refer to, outside string literals (functions and types count too). */
function namesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/'(?:[^']|'')*'|"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    if (m[1] !== undefined) out.add(m[1].replaceAll('""', '"'));
    else if (m[2] !== undefined) out.add(m[2]);
  }
  return out;
}

const typeOf = (c: ColumnObject) => `${c.type}${c.collation === undefined ? "" : ` COLLATE ${c.collation}`}`;

/** The columns of each table, by name. */
function columnsByTable(first: Snapshot): Map<string, Map<string, ColumnObject>> {
  const out = new Map<string, Map<string, ColumnObject>>();
  for (const c of objectsOfKind(first, "column")) {
    const id = tableId(c.schema, c.table);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(c.name, c);
  }
  return out;
}

/** The head pgconverge expects of an index definition it can print elsewhere (plain table, no ONLY). */
function indexHead(i: IndexObject): string | undefined {
  for (const unique of ["", "UNIQUE "]) {
    const head = `CREATE ${unique}INDEX ${quoteIdent(i.name)} ON ${qualify(i.schema, i.table)} USING `;
    if (i.definition.startsWith(head)) return head;
  }
  return undefined;
}

/** Indexes whose text holds an expression or a predicate (the only parts that can reprint differently). */
export function hasExpression(definition: string): boolean {
  const cols = definition.slice(definition.indexOf(" USING "));
  return / WHERE /.test(definition) || /\(.*\(/.test(cols.replace(/ INCLUDE \(.*$/, ""));
}

/** Builds scratch tables: places each distinct definition in the first table its columns fit. */
class Placer {
  readonly tables: Scratch[] = [];
  readonly indexSql: string[] = [];
  private readonly seen = new Map<string, string>();

  constructor(readonly schema: string) {}

  /** The scratch table (created when needed) that can hold these columns as they are. */
  private tableFor(needs: Array<[string, string]>): Scratch {
    const fits = (t: Scratch) =>
      t.columns.length + needs.length <= WIDTH && needs.every(([n, ty]) => (t.types.get(n) ?? ty) === ty);
    let t = this.tables.find(fits);
    if (!t) {
      t = { name: `t${this.tables.length}`, types: new Map(), columns: [], checks: [] };
      this.tables.push(t);
    }
    for (const [n, ty] of needs) {
      if (!t.types.has(n)) {
        t.types.set(n, ty);
        t.columns.push(`${quoteIdent(n)} ${ty}`);
      }
    }
    return t;
  }

  /** A scratch CHECK printing `definition` over `needs`; its `table\u0000name`. */
  check(definition: string, needs: Array<[string, string]>): string {
    const key = ["check", definition, ...needs.flat()].join("\u0000");
    let at = this.seen.get(key);
    if (at === undefined) {
      const t = this.tableFor(needs);
      const name = `k${this.seen.size}`;
      t.checks.push(`CONSTRAINT ${name} ${definition}`);
      at = `${t.name}\u0000${name}`;
      this.seen.set(key, at);
    }
    return at;
  }

  /** A scratch index with this head keyword and tail over `needs`; its name. */
  index(unique: boolean, tail: string, needs: Array<[string, string]>): string {
    const key = ["index", String(unique), tail, ...needs.flat()].join("\u0000");
    let at = this.seen.get(key);
    if (at === undefined) {
      const t = this.tableFor(needs);
      at = `x${this.seen.size}`;
      this.indexSql.push(
        `CREATE ${unique ? "UNIQUE " : ""}INDEX ${at} ON ${qualify(this.schema, t.name)} USING ${tail}`,
      );
      this.seen.set(key, at);
    }
    return at;
  }
}

/** The probe for the defaults, CHECKs and expression indexes of `first` that can be printed elsewhere. */
export function scratchProbe(first: Snapshot): ScratchProbe {
  let schema = "pgconverge_reprint";
  while (first.schemas.includes(schema)) schema += "_";
  const tables = new Map(objectsOfKind(first, "table").map((t) => [t.id, t]));
  const plain = (schemaName: string, table: string) => {
    const t = tables.get(tableId(schemaName, table));
    return t !== undefined && t.partitionBy === undefined && t.partitionOf === undefined;
  };
  const columns = columnsByTable(first);
  /** The columns a definition on `table` names, or undefined when it names the table itself. */
  const needsOf = (s: string, table: string, text: string): Array<[string, string]> | undefined => {
    const names = namesIn(text);
    if (names.has(table)) return undefined;
    const cols = columns.get(tableId(s, table)) ?? new Map<string, ColumnObject>();
    return [...names].filter((n) => cols.has(n)).sort().map((n) => [n, typeOf(cols.get(n)!)]);
  };

  // Defaults: one scratch column per distinct (type, collation, text).
  const defaultTables: string[][] = [];
  const defaults = new Map<string, string>();
  const slots = new Map<string, string>();
  for (const c of objectsOfKind(first, "column")) {
    if (c.default === undefined) continue;
    const key = `${typeOf(c)}\u0000${c.default}`;
    let at = slots.get(key);
    if (at === undefined) {
      if (slots.size % WIDTH === 0) defaultTables.push([]);
      const name = `c${slots.size}`;
      defaultTables[defaultTables.length - 1].push(`${name} ${typeOf(c)} DEFAULT ${c.default}`);
      at = `d${defaultTables.length - 1}\u0000${name}`;
      slots.set(key, at);
    }
    defaults.set(c.id, at);
  }

  const placer = new Placer(schema);
  const checks = new Map<string, string>();
  for (const k of objectsOfKind(first, "constraint")) {
    if (!isPlainCheck(k) || !plain(k.schema, k.table)) continue;
    const needs = needsOf(k.schema, k.table, k.definition);
    if (needs) checks.set(k.id, placer.check(k.definition, needs));
  }
  const indexes = new Map<string, { at: string; head: string }>();
  for (const i of objectsOfKind(first, "index")) {
    if (!hasExpression(i.definition) || !plain(i.schema, i.table)) continue;
    const head = indexHead(i);
    if (head === undefined) continue;
    const tail = i.definition.slice(head.length);
    const needs = needsOf(i.schema, i.table, tail);
    if (needs) indexes.set(i.id, { at: placer.index(head.startsWith("CREATE UNIQUE "), tail, needs), head });
  }

  const create: DdlStatement[] = [{ sql: `CREATE SCHEMA ${quoteIdent(schema)}` }];
  defaultTables.forEach((cols, n) =>
    create.push({ sql: `CREATE TABLE ${qualify(schema, `d${n}`)} (${cols.join(", ")})` })
  );
  for (const t of placer.tables) {
    create.push({ sql: `CREATE TABLE ${qualify(schema, t.name)} (${[...t.columns, ...t.checks].join(", ")})` });
  }
  for (const sql of placer.indexSql) create.push({ sql });
  return { schema, create, defaults, checks, indexes };
}

/** A CHECK that can be created inline elsewhere: validated, inheritable, enforced. */
function isPlainCheck(k: ConstraintObject): boolean {
  return k.type === "c" && /^CHECK \([\s\S]*\)$/.test(k.definition);
}

const Q_SCRATCH_DEFAULTS = `
SELECT c.relname AS table, a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS text
FROM pg_attrdef d
JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
JOIN pg_class c ON c.oid = d.adrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1`;

// The printers introspect uses (queries.ts): pg_get_expr, pg_get_constraintdef, pg_get_indexdef.
const Q_SCRATCH_CHECKS = `
SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS text
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND k.contype = 'c'`;

const Q_SCRATCH_INDEXES = `
SELECT i.relname AS name, t.relname AS table, pg_get_indexdef(i.oid) AS text
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE n.nspname = $1`;

/** What the scratch printing gives each object: a column's default, a constraint's or an index's definition. */
export type Reprinted = Map<string, string>;

/**
 * Print the probe's definitions a second time in the shadow `db` (which holds the schema they
 * come from: their types, functions and sequences): object id → its second printing. The
 * scratch schema is gone again when this returns.
 */
export async function printInScratch(db: Queryable, probe: ScratchProbe): Promise<Reprinted> {
  const out: Reprinted = new Map();
  if (probe.defaults.size + probe.checks.size + probe.indexes.size === 0) return out;
  await loadStatements(db, probe.create);
  type Row = { table: string; name: string; text: string };
  const read = async (q: string, key: (r: Row) => string) =>
    new Map((await db.query<Row>(q, [probe.schema])).map((r) => [key(r), r]));
  const at = (r: Row) => `${r.table}\u0000${r.name}`;
  // Printed as introspect prints the schema's own definitions: under search_path = pg_catalog.
  const [defaults, checks, indexes] = await withCatalogPath(db, async () => [
    await read(Q_SCRATCH_DEFAULTS, at),
    await read(Q_SCRATCH_CHECKS, at),
    await read(Q_SCRATCH_INDEXES, (r) => r.name),
  ]);
  await db.exec(`DROP SCHEMA ${quoteIdent(probe.schema)} CASCADE;`);
  const take = (rows: Map<string, Row>, key: string, id: string): Row => {
    const row = rows.get(key);
    if (!row) throw new Error(`the shadow did not print the scratch copy of ${id}`);
    return row;
  };
  for (const [id, key] of probe.defaults) out.set(id, take(defaults, key, id).text);
  for (const [id, key] of probe.checks) out.set(id, take(checks, key, id).text);
  for (const [id, { at: name, head }] of probe.indexes) {
    const row = take(indexes, name, id);
    // Only the part after the scratch table's name is the index's own: columns, expressions, predicate.
    const marker = ` ON ${qualify(probe.schema, row.table)} USING `;
    const from = row.text.indexOf(marker);
    if (from < 0) throw new Error(`unexpected scratch index definition for ${id}: ${row.text}`);
    out.set(id, head + row.text.slice(from + marker.length));
  }
  return out;
}
