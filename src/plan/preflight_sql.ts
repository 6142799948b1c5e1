/**
 * Row-count checks run against the live database at plan time: how many rows would the new
 * rule reject? They are read-only `SELECT count(*)` queries built from canonical definitions.
 * Each names the tables and columns it reads, so a plan drops the count when one of them exists
 * only once the plan has run (a column it adds): counting it now could only fail.
 * CHECK expressions and foreign keys are read with PostgreSQL's own parser (loaded by buildPlan).
 * @module
 */
import { columnId, tableId } from "../model/ids.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import type { ColumnObject, ConstraintObject } from "../model/snapshot.ts";
import { parseSql } from "../model/sql_parser.ts";
import type { Preflight } from "./step.ts";

/** "N rows of t break …" / "1 row of t breaks …": the count with the right number. */
export function countSentence(n: number, p: Preflight): string {
  return n === 1 ? `1 ${p.one}` : `${n} ${p.what}`;
}

/** The boolean expression of a `CHECK (…)` definition, without NOT VALID / NO INHERIT. */
export function checkExpression(definition: string): string {
  return definition.replace(/^CHECK /, "").replace(/( NO INHERIT| NOT VALID)+$/, "");
}

/** Every `ColumnRef` name in a parse tree (its last field: `t.x` → `x`). */
function columnRefs(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) { for (const n of node) columnRefs(n, out); }
  else if (node && typeof node === "object") {
    const ref = (node as { ColumnRef?: { fields?: Array<{ String?: { sval: string } }> } }).ColumnRef;
    const last = ref?.fields?.[ref.fields.length - 1]?.String?.sval;
    if (last !== undefined) out.add(last);
    for (const v of Object.values(node)) columnRefs(v, out);
  }
  return out;
}

/** The ids a count over `columns` of one table reads. */
function readsOf(schema: string, table: string, columns: Iterable<string>): string[] {
  return [tableId(schema, table), ...[...columns].map((c) => columnId(schema, table, c))];
}

/**
 * Rows that break a CHECK: a NULL result passes a CHECK, so only `NOT expr` true counts. Undefined
 * when the parser cannot say which columns the expression reads.
 */
export function checkPreflight(c: ConstraintObject): Preflight | undefined {
  const table = qualify(c.schema, c.table);
  const expr = checkExpression(c.definition);
  const tree = tryParse(`SELECT ${expr}`);
  if (!tree) return undefined;
  return {
    what: `rows of ${table} break the new CHECK ${c.name}`,
    one: `row of ${table} breaks the new CHECK ${c.name}`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE NOT ${expr}`,
    table,
    reads: readsOf(c.schema, c.table, columnRefs(tree, new Set())),
  };
}

/** The parts of a key or foreign key definition, read by PostgreSQL's parser. */
interface KeyParts {
  contype: string;
  keys: string[];
  fkAttrs: string[];
  pkAttrs: string[];
  pkTable?: { schema?: string; name: string };
  matchFull: boolean;
}

function names(list: unknown): string[] {
  return ((list ?? []) as Array<{ String: { sval: string } }>).map((n) => n.String.sval);
}

/** Parse, or undefined when the parser does not take the text (then no count is made of it). */
function tryParse(sql: string): ReturnType<typeof parseSql> | undefined {
  try {
    return parseSql(sql);
  } catch {
    return undefined;
  }
}

function keyParts(c: ConstraintObject): KeyParts | undefined {
  const tree = tryParse(`ALTER TABLE t ADD ${c.definition}`) as unknown as undefined | {
    stmts: Array<{ stmt: { AlterTableStmt?: { cmds: Array<{ AlterTableCmd: { def?: { Constraint?: unknown } } }> } } }>;
  };
  const k = tree?.stmts[0]?.stmt.AlterTableStmt?.cmds[0]?.AlterTableCmd.def?.Constraint as
    | {
      contype: string;
      keys?: unknown;
      fk_attrs?: unknown;
      pk_attrs?: unknown;
      pktable?: { schemaname?: string; relname: string };
      fk_matchtype?: string;
    }
    | undefined;
  if (!k) return undefined;
  return {
    contype: k.contype,
    keys: names(k.keys),
    fkAttrs: names(k.fk_attrs),
    pkAttrs: names(k.pk_attrs),
    ...(k.pktable ? { pkTable: { schema: k.pktable.schemaname, name: k.pktable.relname } } : {}),
    matchFull: k.fk_matchtype === "f",
  };
}

/** Groups of rows that would collide under a new primary key or unique constraint. */
export function uniquePreflight(c: ConstraintObject): Preflight | undefined {
  const m = c.definition.match(/^(PRIMARY KEY|UNIQUE) \((.+)\)$/);
  const parts = m ? keyParts(c) : undefined;
  if (!m || !parts || parts.keys.length === 0) return undefined;
  const table = qualify(c.schema, c.table);
  const cols = parts.keys.map(quoteIdent).join(", ");
  const nulls = m[1] === "PRIMARY KEY" ? ` OR ${parts.keys.map((k) => `${quoteIdent(k)} IS NULL`).join(" OR ")}` : "";
  // Rows with a NULL in the key never collide (a primary key counts them as NULL instead).
  const complete = parts.keys.map((k) => `${quoteIdent(k)} IS NOT NULL`).join(" AND ");
  const rule = `under the new ${m[1] === "UNIQUE" ? "unique constraint" : "primary key"} ${c.name}`;
  return {
    what: `rows of ${table} collide (or are NULL) ${rule}`,
    one: `row of ${table} collides (or is NULL) ${rule}`,
    sql:
      `SELECT (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM ${table} WHERE ${complete} GROUP BY ${cols} ` +
      `HAVING count(*) > 1) d)` +
      (nulls ? ` + (SELECT count(*) FROM ${table} WHERE false${nulls})` : "") + `::bigint AS n`,
    table,
    reads: readsOf(c.schema, c.table, parts.keys),
  };
}

/**
 * Rows a new foreign key rejects: child rows whose key is complete (no NULL in it) and matches no
 * parent row; under MATCH FULL also rows whose key is partly NULL.
 */
export function foreignKeyPreflight(c: ConstraintObject): Preflight | undefined {
  const parts = keyParts(c);
  if (!parts?.pkTable || parts.fkAttrs.length === 0 || parts.fkAttrs.length !== parts.pkAttrs.length) return undefined;
  const table = qualify(c.schema, c.table);
  const pkSchema = parts.pkTable.schema ?? c.schema;
  const parent = qualify(pkSchema, parts.pkTable.name);
  const child = (a: string) => `c.${quoteIdent(a)}`;
  const complete = parts.fkAttrs.map((a) => `${child(a)} IS NOT NULL`).join(" AND ");
  const match = parts.fkAttrs.map((a, i) => `p.${quoteIdent(parts.pkAttrs[i])} = ${child(a)}`).join(" AND ");
  const orphans = `(${complete} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${match}))`;
  const partial = parts.matchFull && parts.fkAttrs.length > 1
    ? ` OR (num_nulls(${parts.fkAttrs.map(child).join(", ")}) BETWEEN 1 AND ${parts.fkAttrs.length - 1})`
    : "";
  const rule = `the new foreign key ${c.name}`;
  return {
    what: `rows of ${table} reference no row of ${parent} (they break ${rule})`,
    one: `row of ${table} references no row of ${parent} (it breaks ${rule})`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} c WHERE ${orphans}${partial}`,
    table,
    reads: [
      ...readsOf(c.schema, c.table, parts.fkAttrs),
      ...readsOf(pkSchema, parts.pkTable.name, parts.pkAttrs),
    ],
  };
}

/** Rows with NULL in a column that becomes NOT NULL. */
export function notNullPreflight(c: ColumnObject): Preflight {
  const table = qualify(c.schema, c.table);
  const col = quoteIdent(c.name);
  return {
    what: `rows of ${table} have NULL in ${col}, which becomes NOT NULL`,
    one: `row of ${table} has NULL in ${col}, which becomes NOT NULL`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE ${col} IS NULL`,
    table,
    reads: readsOf(c.schema, c.table, [c.name]),
  };
}

/** Rows that need a value in a new NOT NULL column without a default. */
export function rowCountPreflight(c: ColumnObject): Preflight {
  const table = qualify(c.schema, c.table);
  return {
    what: `rows of ${table} need a value in the new NOT NULL column ${quoteIdent(c.name)}`,
    one: `row of ${table} needs a value in the new NOT NULL column ${quoteIdent(c.name)}`,
    sql: `SELECT count(*)::bigint AS n FROM ${table}`,
    table,
    reads: readsOf(c.schema, c.table, []),
  };
}

/** Rows whose value is longer than a narrowed character type allows (the change would fail). */
export function tooLongPreflight(c: ColumnObject, limit: number): Preflight {
  const table = qualify(c.schema, c.table);
  const col = quoteIdent(c.name);
  return {
    what: `rows of ${table} have a ${col} longer than ${limit} characters`,
    one: `row of ${table} has a ${col} longer than ${limit} characters`,
    sql: `SELECT count(*)::bigint AS n FROM ${table} WHERE length(${col}) > ${limit}`,
    table,
    reads: readsOf(c.schema, c.table, [c.name]),
  };
}
