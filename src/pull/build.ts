/**
 * A canonical live snapshot → the schema.yaml that describes it: structured keys wherever a key
 * says exactly what the database holds, `sql:` items (the canonical DDL of the snapshot) for the
 * rest. Pure: the caller reads the database, and verifies the result through the shadow.
 *
 * Each structured form is only used when the definition it renders is the live one (a primary
 * key is `PRIMARY KEY (a, b)`, nothing more); anything else (DEFERRABLE, MATCH FULL, NOT VALID,
 * an exclusion constraint, a DESC or operator-class index key, partitioning) becomes `sql:`.
 * @module
 */
import type { ActionCode, ConstraintDetail, IndexDetail, PullDetails } from "../introspect/pull_details.ts";
import { tableId } from "../model/ids.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import {
  type ColumnObject,
  type CommentObject,
  compareIds,
  type ConstraintObject,
  type DbObject,
  type IndexObject,
  objectsOfKind,
  type Snapshot,
  type TableObject,
} from "../model/snapshot.ts";
import { viewsInOrder } from "../render/view_sql.ts";
import { extensionsYaml, grantsProblem, grantsYaml, rolesYaml } from "./access.ts";
import { functionYaml, rowLevelSecurityYaml, viewYaml } from "./objects.ts";
import { type SqlItem, sqlItems } from "./sql_items.ts";
import {
  defaultColumnCheckName,
  defaultForeignKeyName,
  defaultPrimaryKeyName,
  defaultUniqueName,
} from "../yaml/default_names.ts";
import { pullType } from "./types.ts";

/** A schema.yaml document as plain data, keys in the order they are written. */
export type YamlDoc = Record<string, unknown>;

/** What {@link buildPulledSchema} produced. */
export interface PulledSchema {
  /** The schema.yaml content. */
  document: YamlDoc;
  /** Ids of the objects written as `sql:` items instead of structured keys, sorted. */
  asSql: string[];
  /** Why the privileges cannot be written as `grants:`, when the snapshot holds some that cannot. */
  grantsProblem?: string;
}

/** Options of {@link buildPulledSchema}. */
export interface BuildOptions {
  /** Ids to write as `sql:` whatever their form (a table id: the whole table). */
  forceSql?: ReadonlySet<string>;
  /**
   * Write views, functions and row-level security as `sql:` (in the canonical snapshot's order,
   * which loads): for a schema whose structured form does not load, e.g. a policy calling a
   * function that needs a table.
   */
  conservative?: boolean;
}

const ACTIONS: Readonly<Record<ActionCode, { yaml: string; sql: string }>> = {
  a: { yaml: "NoAction", sql: "" },
  r: { yaml: "Restrict", sql: "RESTRICT" },
  c: { yaml: "Cascade", sql: "CASCADE" },
  n: { yaml: "SetNull", sql: "SET NULL" },
  d: { yaml: "SetDefault", sql: "SET DEFAULT" },
};

const INDEX_METHODS: ReadonlySet<string> = new Set(["btree", "gin", "gist", "brin", "hash"]);

function idents(names: readonly string[]): string {
  return names.map(quoteIdent).join(", ");
}

/** Group objects by their table id. */
function byTable<T extends { schema: string; table: string }>(xs: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const key = tableId(x.schema, x.table);
    out.set(key, [...(out.get(key) ?? []), x]);
  }
  return out;
}

/**
 * Build the schema.yaml of a canonical snapshot. `details` gives the column lists and index keys
 * the canonical definitions only hold as text.
 */
export function buildPulledSchema(snap: Snapshot, details: PullDetails, opts: BuildOptions = {}): PulledSchema {
  const force = opts.forceSql ?? new Set<string>();
  const columns = byTable(objectsOfKind(snap, "column"));
  const constraints = byTable(objectsOfKind(snap, "constraint"));
  const indexes = byTable(objectsOfKind(snap, "index"));
  const comments = new Map(objectsOfKind(snap, "comment").map((c) => [c.target, c]));
  const tables = objectsOfKind(snap, "table");

  const sqlTables = new Set<string>();
  const tableColumns = new Map<string, Array<Record<string, unknown>>>();
  for (const t of tables) {
    const cols = [...(columns.get(t.id) ?? [])].sort((a, b) => a.position - b.position);
    const yaml = cols.map((c) => columnYaml(c, comments.get(c.id)));
    if (t.partitionBy || t.partitionOf || force.has(t.id) || yaml.some((y) => y === undefined)) sqlTables.add(t.id);
    else tableColumns.set(t.id, yaml as Array<Record<string, unknown>>);
  }

  // First every key that is not a foreign key: a foreign key can only be structured when the key
  // it rests on is (structured DDL loads before `sql:` items).
  const sqlObjects: DbObject[] = [];
  const keyInSql = new Set<string>(sqlTables);
  const structured = new Map<string, TableParts>();
  for (const t of tables) {
    if (sqlTables.has(t.id)) continue;
    const parts = emptyParts();
    structured.set(t.id, parts);
    const colChecks = new Set<string>();
    for (const c of constraints.get(t.id) ?? []) {
      if (c.type === "f") continue;
      const d = details.constraints.get(c.id);
      const done = !force.has(c.id) && d !== undefined && addKey(parts, t, c, d, colChecks);
      if (!done) {
        sqlObjects.push(c);
        if (c.type === "p" || c.type === "u") keyInSql.add(t.id);
      }
    }
    for (const ix of indexes.get(t.id) ?? []) {
      const d = details.indexes.get(ix.id);
      const yaml = force.has(ix.id) || d === undefined ? undefined : indexYaml(ix, d);
      if (yaml) parts.indexes.push(yaml);
      else {
        sqlObjects.push(ix);
        if (d?.unique) keyInSql.add(t.id);
      }
    }
  }
  for (const t of tables) {
    const parts = structured.get(t.id);
    if (!parts) continue;
    for (const c of constraints.get(t.id) ?? []) {
      if (c.type !== "f") continue;
      const d = details.constraints.get(c.id);
      const yaml = force.has(c.id) || d === undefined || (c.references && keyInSql.has(c.references))
        ? undefined
        : foreignKeyYaml(t, c, d);
      if (yaml) parts.foreignKeys.push(yaml);
      else sqlObjects.push(c);
    }
  }

  for (const t of tables) {
    if (!sqlTables.has(t.id)) continue;
    sqlObjects.push(t, ...(columns.get(t.id) ?? []), ...(constraints.get(t.id) ?? []), ...(indexes.get(t.id) ?? []));
    for (const c of comments.values()) if (tableId(c.schema, c.table) === t.id) sqlObjects.push(c);
  }

  // Everything of a structured table that is not under sql: is in its keys.
  const covered = new Set<string>();
  for (const o of snap.objects.values()) {
    if (o.kind === "schema" || o.kind === "enum") covered.add(o.id);
    const owner = "table" in o && typeof o.table === "string" ? tableId(o.schema, o.table) : undefined;
    const tableish = o.kind === "column" || o.kind === "constraint" || o.kind === "index" || o.kind === "comment";
    if ((o.kind === "table" && structured.has(o.id)) || (tableish && owner && structured.has(owner))) {
      covered.add(o.id);
    }
  }
  for (const o of sqlObjects) covered.delete(o.id);
  const conservative = opts.conservative === true;
  // What loads after all structured DDL: a view or policy resting on it must follow it there.
  const late = new Set<string>(sqlObjects.map((o) => o.id));
  for (const t of sqlTables) for (const c of columns.get(t) ?? []) late.add(c.id);

  const policies = byTable(objectsOfKind(snap, "policy"));
  const rlsDocs = new Map<string, Record<string, unknown>>();
  for (const t of tables) {
    if (!structured.has(t.id) || conservative) continue;
    const rls = snap.objects.get(`rls:${t.schema}.${t.name}`);
    const rlsHere = rls?.kind === "rls" && !force.has(rls.id) ? rls : undefined;
    const list = (policies.get(t.id) ?? []).filter((p) => !force.has(p.id) && !(p.uses ?? []).some((u) => late.has(u)));
    const yaml = rowLevelSecurityYaml(rlsHere, list);
    if (yaml === undefined) continue;
    rlsDocs.set(t.id, yaml);
    if (rlsHere) covered.add(rlsHere.id);
    for (const p of list) covered.add(p.id);
  }

  const viewDocs: Array<Record<string, unknown>> = [];
  for (const v of viewsInOrder([...objectsOfKind(snap, "view"), ...objectsOfKind(snap, "matview")])) {
    const yaml = conservative || force.has(v.id) || v.dependsOn.some((d) => late.has(d)) ? undefined : viewYaml(v);
    if (yaml) {
      viewDocs.push(yaml);
      covered.add(v.id);
    } else late.add(v.id);
  }

  const functionDocs: Array<Record<string, unknown>> = [];
  for (const f of objectsOfKind(snap, "function")) {
    const d = details.functions.get(f.id);
    const yaml = conservative || force.has(f.id) || d === undefined ? undefined : functionYaml(f, d);
    if (yaml) {
      functionDocs.push(yaml);
      covered.add(f.id);
    }
  }

  const grants = objectsOfKind(snap, "grant");
  const problem = grants.length === 0 ? undefined : grantsProblem(grants, new Set(structured.keys()));
  for (const o of snap.objects.values()) {
    if (o.kind === "role" || o.kind === "extension" || (o.kind === "grant" && problem === undefined)) covered.add(o.id);
  }
  // The generic fallback: whatever no key says is written as PostgreSQL prints it.
  const rest = [...snap.objects.values()].filter((o) => !covered.has(o.id) && !(o.kind === "grant" && problem));
  const sqlIds = new Set(sqlObjects.map((o) => o.id));
  for (const o of rest) if (!sqlIds.has(o.id)) sqlObjects.push(o);

  const document: YamlDoc = {};
  const schemas = schemaList(snap);
  if (schemas.length > 0) document.schemas = schemas;
  const extensions = extensionsYaml(snap);
  if (extensions.length > 0) document.extensions = extensions;
  const roles = rolesYaml(snap);
  if (roles.length > 0) document.roles = roles;
  const enums = objectsOfKind(snap, "enum").map((e) => ({
    ...(e.schema === "public" ? {} : { schema: e.schema }),
    name: e.name,
    values: [...e.values],
  }));
  if (enums.length > 0) document.enums = enums;
  if (functionDocs.length > 0) document.functions = functionDocs;
  const tableDocs = tables.filter((t) => structured.has(t.id)).map((t) => {
    const yaml = tableYaml(t, tableColumns.get(t.id)!, structured.get(t.id)!, comments.get(t.id));
    const rls = rlsDocs.get(t.id);
    return rls === undefined ? yaml : withRowLevelSecurity(yaml, rls);
  });
  if (tableDocs.length > 0) document.tables = tableDocs;
  if (viewDocs.length > 0) document.views = viewDocs;
  if (grants.length > 0 && problem === undefined) document.grants = grantsYaml(grants);
  const sql: SqlItem[] = sqlItems(sqlObjects, snap);
  if (sql.length > 0) document.sql = sql;
  return {
    document,
    asSql: sqlObjects.map((o) => o.id).sort(),
    ...(problem === undefined ? {} : { grantsProblem: problem }),
  };
}

/** A table entry with `rowLevelSecurity` before its comment, where a person would write it. */
function withRowLevelSecurity(t: Record<string, unknown>, rls: Record<string, unknown>): Record<string, unknown> {
  const { comment, ...rest } = t;
  return { ...rest, rowLevelSecurity: rls, ...(comment === undefined ? {} : { comment }) };
}

/** The structured keys of one table, filled while its constraints and indexes are read. */
interface TableParts {
  primaryKey?: Record<string, unknown>;
  uniqueConstraints: Array<Record<string, unknown>>;
  foreignKeys: Array<Record<string, unknown>>;
  checkConstraints: Array<Record<string, unknown>>;
  indexes: Array<Record<string, unknown>>;
  /** Column CHECKs by column name. */
  columnChecks: Map<string, string>;
}

function emptyParts(): TableParts {
  return { uniqueConstraints: [], foreignKeys: [], checkConstraints: [], indexes: [], columnChecks: new Map() };
}

/**
 * Schemas the file must name: every managed schema but `public` (listed so an empty one is still
 * created), and `public` when it holds nothing the file describes (so it stays in the scope).
 */
function schemaList(snap: Snapshot): string[] {
  const out = snap.schemas.filter((s) => s !== "public" && snap.objects.has(`schema:${s}`));
  const publicUsed = [...snap.objects.values()].some((o) =>
    (o.kind === "table" || o.kind === "enum") && o.schema === "public"
  );
  if (snap.schemas.includes("public") && !publicUsed && out.length > 0) out.unshift("public");
  return out;
}

/** One column, or undefined when no column keys can say what it is. */
function columnYaml(c: ColumnObject, comment: CommentObject | undefined): Record<string, unknown> | undefined {
  const serial = { serial: "Int", bigserial: "BigInt", smallserial: "SmallInt" }[c.type];
  // A serial column is NOT NULL by construction: one that is not cannot be written as isIdentity.
  if (serial !== undefined && !c.notNull) return undefined;
  const out: Record<string, unknown> = { name: c.name, type: serial ?? pullType(c.type) };
  if (c.notNull) out.isNullable = false;
  if (serial !== undefined) out.isIdentity = true;
  if (c.identity) out.identity = c.identity === "always" ? "always" : "byDefault";
  if (c.default !== undefined) out.defaultValue = c.default;
  if (c.generated !== undefined) out.computedExpression = c.generated;
  if (c.collation !== undefined) {
    // The reader quotes an unquoted name part by part; a quoted part after a schema it cannot take.
    if (!c.collation.startsWith('"') && c.collation.includes('"')) return undefined;
    out.collation = c.collation;
  }
  if (comment) out.comment = comment.text;
  return out;
}

/** The expression inside `CHECK (…)`, when the definition is nothing more than that. */
function checkExpression(definition: string): string | undefined {
  if (!definition.startsWith("CHECK (") || !definition.endsWith(")")) return undefined;
  const inner = definition.slice("CHECK (".length, -1);
  // NO INHERIT / NOT VALID follow the parenthesis; a balanced inner text proves there is no suffix.
  let depth = 0;
  for (const ch of inner) {
    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    if (depth < 0) return undefined;
  }
  return depth === 0 ? inner : undefined;
}

/** Put a primary key, unique or CHECK into `parts`; false when no key says it exactly. */
function addKey(
  parts: TableParts,
  t: TableObject,
  c: ConstraintObject,
  d: ConstraintDetail,
  colChecks: Set<string>,
): boolean {
  switch (c.type) {
    case "p":
      if (c.definition !== `PRIMARY KEY (${idents(d.columns)})`) return false;
      parts.primaryKey = {
        ...(c.name === defaultPrimaryKeyName(t.name) ? {} : { name: c.name }),
        columns: [...d.columns],
      };
      return true;
    case "u":
      if (c.definition !== `UNIQUE (${idents(d.columns)})`) return false;
      parts.uniqueConstraints.push({
        ...(c.name === defaultUniqueName(t.name, d.columns) ? {} : { name: c.name }),
        columns: [...d.columns],
      });
      return true;
    case "c": {
      const expression = checkExpression(c.definition);
      if (expression === undefined) return false;
      const [only] = d.columns;
      if (
        d.columns.length === 1 && !colChecks.has(only) && c.name === defaultColumnCheckName(t.name, only)
      ) {
        colChecks.add(only);
        parts.columnChecks.set(only, expression);
      } else parts.checkConstraints.push({ name: c.name, expression });
      return true;
    }
    default:
      return false;
  }
}

/** One foreign key, or undefined when its definition says more than the keys can. */
function foreignKeyYaml(
  t: TableObject,
  c: ConstraintObject,
  d: ConstraintDetail,
): Record<string, unknown> | undefined {
  if (d.references === undefined || d.onUpdate === undefined || d.onDelete === undefined) return undefined;
  const { schema: refSchema, table: refTable } = d.references;
  const onUpdate = ACTIONS[d.onUpdate];
  const onDelete = ACTIONS[d.onDelete];
  const expected =
    `FOREIGN KEY (${idents(d.columns)}) REFERENCES ${qualify(refSchema, refTable)}(${idents(d.refColumns)})` +
    (onUpdate.sql ? ` ON UPDATE ${onUpdate.sql}` : "") + (onDelete.sql ? ` ON DELETE ${onDelete.sql}` : "");
  if (c.definition !== expected) return undefined;
  const out: Record<string, unknown> = {};
  if (c.name !== defaultForeignKeyName(t.name, d.columns)) out.name = c.name;
  out.columns = [...d.columns];
  if (refSchema !== "public") out.referencedSchema = refSchema;
  out.referencedTable = refTable;
  out.referencedColumns = [...d.refColumns];
  if (onDelete.sql) out.onDelete = onDelete.yaml;
  if (onUpdate.sql) out.onUpdate = onUpdate.yaml;
  return out;
}

/** One index, or undefined when the index keys cannot say it. */
function indexYaml(ix: IndexObject, d: IndexDetail): Record<string, unknown> | undefined {
  if (d.hasOptions || !INDEX_METHODS.has(d.method) || d.include.some((k) => k.column === undefined)) return undefined;
  const out: Record<string, unknown> = { name: ix.name };
  if (d.keys.every((k) => k.column !== undefined)) out.columns = d.keys.map((k) => k.column);
  else out.expressions = d.keys.map((k) => k.column !== undefined ? quoteIdent(k.column) : k.text);
  if (d.unique) out.isUnique = true;
  if (d.predicate !== undefined) out.filter = d.predicate;
  if (d.method !== "btree") out.method = d.method;
  if (d.include.length > 0) out.include = d.include.map((k) => k.column);
  return out;
}

function tableYaml(
  t: TableObject,
  columns: Array<Record<string, unknown>>,
  parts: TableParts,
  comment: CommentObject | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { name: t.name };
  if (t.schema !== "public") out.schema = t.schema;
  out.columns = columns.map((c) => {
    const check = parts.columnChecks.get(c.name as string);
    if (check === undefined) return c;
    // The CHECK goes before the comment, where a person would write it.
    const { comment: text, ...rest } = c;
    return { ...rest, checkConstraint: check, ...(text === undefined ? {} : { comment: text }) };
  });
  if (parts.primaryKey) out.primaryKey = parts.primaryKey;
  // Unnamed keys sort by their columns, after nothing in particular: only determinism matters.
  const key = (x: Record<string, unknown>) => String(x.name ?? (x.columns as string[]).join("\u0000"));
  const byName = (a: Record<string, unknown>, b: Record<string, unknown>) => compareIds(key(a), key(b));
  if (parts.uniqueConstraints.length > 0) out.uniqueConstraints = parts.uniqueConstraints.sort(byName);
  if (parts.foreignKeys.length > 0) out.foreignKeys = parts.foreignKeys.sort(byName);
  if (parts.checkConstraints.length > 0) out.checkConstraints = parts.checkConstraints.sort(byName);
  if (parts.indexes.length > 0) out.indexes = parts.indexes.sort(byName);
  if (comment) out.comment = comment.text;
  return out;
}
