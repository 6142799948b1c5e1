/**
 * CREATE statements for views, materialized views, sequences and domains, and the dependency
 * order views are created in (a view after every view it reads).
 * @module
 */
import { tableId } from "../model/ids.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { sequenceClauses } from "../model/sequence_options.ts";
import { ownedByTarget, withOptions } from "../model/view_definitions.ts";
import {
  compareIds,
  type DomainObject,
  type IndexObject,
  type SequenceObject,
  type Snapshot,
  type ViewObject,
} from "../model/snapshot.ts";

/** `CREATE VIEW` / `CREATE MATERIALIZED VIEW` of a view (`orReplace` for a compatible change). */
export function createViewSql(v: ViewObject, orReplace = false): string {
  const name = qualify(v.schema, v.name);
  if (v.kind === "matview") return `CREATE MATERIALIZED VIEW ${name} ${withOptions(v.options)}AS\n${v.definition};`;
  return `CREATE ${orReplace ? "OR REPLACE " : ""}VIEW ${name} ${withOptions(v.options)}AS\n${v.definition};`;
}

/** `DROP VIEW` / `DROP MATERIALIZED VIEW`. */
export function dropViewSql(v: ViewObject): string {
  return `DROP ${v.kind === "matview" ? "MATERIALIZED VIEW" : "VIEW"} ${qualify(v.schema, v.name)};`;
}

/** `CREATE SEQUENCE` with every parameter (ownership is set apart, once the column exists). */
export function createSequenceSql(s: SequenceObject): string {
  return `CREATE SEQUENCE ${qualify(s.schema, s.name)} ${sequenceClauses(s.options)};`;
}

/** `ALTER SEQUENCE … OWNED BY …;`. */
export function sequenceOwnedBySql(s: SequenceObject): string {
  return `ALTER SEQUENCE ${qualify(s.schema, s.name)} OWNED BY ${ownedByTarget(s.ownedBy)};`;
}

/** `CREATE DOMAIN` with its collation, default, NOT NULL and CHECKs. */
export function createDomainSql(d: DomainObject): string {
  const parts = [`CREATE DOMAIN ${qualify(d.schema, d.name)} AS ${d.baseType}`];
  if (d.collation) parts.push(`COLLATE ${d.collation}`);
  if (d.default !== undefined) parts.push(`DEFAULT ${d.default}`);
  if (d.notNull) parts.push("NOT NULL");
  for (const c of d.checks) parts.push(`CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  return parts.join(" ") + ";";
}

/**
 * Views in creation order: each after the views it depends on, ties by id. Dependencies come
 * from `pg_depend`, so no query text is parsed.
 */
export function viewsInOrder(views: ViewObject[]): ViewObject[] {
  const byId = new Map(views.map((v) => [v.id, v]));
  const depth = viewDepths(views);
  return [...byId.values()].sort((a, b) => depth.get(a.id)! - depth.get(b.id)! || compareIds(a.id, b.id));
}

/** The length of the longest chain of views below each view (0 for a view over tables only). */
export function viewDepths(views: ViewObject[]): Map<string, number> {
  const byId = new Map(views.map((v) => [v.id, v]));
  const depth = new Map<string, number>();
  const visit = (v: ViewObject, path: Set<string>): number => {
    const known = depth.get(v.id);
    if (known !== undefined) return known;
    path.add(v.id);
    let d = 0;
    for (const dep of v.dependsOn) {
      const w = byId.get(dep);
      if (w && !path.has(w.id)) d = Math.max(d, visit(w, path) + 1);
    }
    path.delete(v.id);
    depth.set(v.id, d);
    return d;
  };
  for (const v of views) visit(v, new Set());
  return depth;
}

/** Is this index on a materialized view of the snapshot (created with it, not with the tables)? */
export function isMatviewIndex(snap: Snapshot, i: IndexObject): boolean {
  return snap.objects.get(`matview:${i.schema}.${i.table}`)?.kind === "matview" &&
    !snap.objects.has(tableId(i.schema, i.table));
}
