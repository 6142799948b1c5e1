/**
 * View, materialized view, sequence and domain changes → statements. Views are dropped first of
 * all, dependents before what they read (deeper views earlier), and created last, after every
 * table, column, constraint and index they may read (deeper views later).
 * @module
 */
import type { Change } from "../diff/change.ts";
import { definitionOf } from "../model/definition.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { changedSequenceClauses } from "../model/sequence_options.ts";
import type { DomainObject, SequenceObject, ViewObject } from "../model/snapshot.ts";
import {
  createDomainSql,
  createSequenceSql,
  createViewSql,
  dropViewSql,
  sequenceOwnedBySql,
} from "../render/view_sql.ts";
import type { Step } from "./step.ts";
import { step, unsupported } from "./step_helpers.ts";

/** Depth → a fraction of a rank, so a chain of up to 999 views keeps its order inside one rank. */
function depthRank(depth: number): number {
  return Math.min(depth, 999) / 1000;
}

/** Rank of a view's creation (post phase, after comments on tables, before enum and schema drops). */
export function createViewRank(depth: number): number {
  return 271 + depthRank(depth);
}

/** Rank of a view's drop (drop phase, before every other drop but renames). */
export function dropViewRank(depth: number): number {
  return 5 - depthRank(depth);
}

function word(v: ViewObject): string {
  return v.kind === "matview" ? "materialized view" : "view";
}

/** Create a view (and a materialized view's indexes right after it). */
export function createView(ch: Extract<Change, { op: "create_view" }>): Step[] {
  const v = ch.to;
  const rank = createViewRank(ch.depth);
  const reason = ch.why ? `recreated: ${ch.why}` : ch.replaces ? `${word(v)} changed` : `${word(v)} is new`;
  const s = step(v.id, ch.op, "post", rank, createViewSql(v), reason);
  if (ch.replaces) s.was = definitionOf(ch.replaces);
  s.now = definitionOf(v);
  if (v.kind === "matview") {
    s.hazards.push({ kind: "validation_scan", message: `runs the query of ${qualify(v.schema, v.name)} to fill it` });
  }
  const indexes = ch.indexes.map((i) => {
    const ix = step(i.id, "create_index", "post", rank + 0.0001, `${i.definition};`, `index of ${word(v)} ${v.name}`);
    ix.now = i.definition;
    return ix;
  });
  return [s, ...indexes];
}

/** Drop a view (its materialized view's indexes go with it). */
export function dropView(ch: Extract<Change, { op: "drop_view" }>): Step[] {
  const v = ch.from;
  const reason = ch.why
    ? `dropped for now, created again below: ${ch.why}`
    : ch.replacedBy
    ? `${word(v)} changed: dropped, created again below`
    : `${word(v)} is not in the desired schema`;
  const s = step(v.id, ch.op, "drop", dropViewRank(ch.depth), dropViewSql(v), reason);
  s.was = definitionOf(v);
  if (!ch.why && !ch.replacedBy) {
    // Like a function, a view's definition may exist nowhere else (made by hand on the server),
    // and whatever queries it breaks: dropping it for good needs --allow-destructive.
    s.destructive = true;
    s.hazards.push({ kind: "data_loss", message: `drops ${word(v)} ${qualify(v.schema, v.name)}; queries on it fail` });
  }
  return [s];
}

/** `CREATE OR REPLACE VIEW`: the existing columns keep names and types. */
export function replaceView(ch: Extract<Change, { op: "replace_view" }>): Step[] {
  const s = step(
    ch.to.id,
    ch.op,
    "post",
    createViewRank(ch.depth),
    createViewSql(ch.to, true),
    "view query changed (same leading columns: replaced in place)",
  );
  s.was = definitionOf(ch.from);
  s.now = definitionOf(ch.to);
  return [s];
}

/** Only the options (`security_barrier`, `check_option`, storage parameters) changed. */
export function alterViewOptions(ch: Extract<Change, { op: "alter_view_options" }>): Step[] {
  const { from, to } = ch;
  const what = `ALTER ${to.kind === "matview" ? "MATERIALIZED VIEW" : "VIEW"} ${qualify(to.schema, to.name)}`;
  const key = (o: string) => o.slice(0, o.indexOf("="));
  const out: Step[] = [];
  const reset = from.options.filter((o) => !to.options.some((n) => key(n) === key(o))).map(key);
  const set = to.options.filter((o) => !from.options.includes(o));
  const mk = (sql: string) => ({
    ...step(to.id, ch.op, "pre", 150, sql, `${word(to)} options changed`),
    was: definitionOf(from),
    now: definitionOf(to),
  });
  if (reset.length > 0) out.push(mk(`${what} RESET (${reset.join(", ")});`));
  if (set.length > 0) out.push(mk(`${what} SET (${set.join(", ")});`));
  return out;
}

/** Create a sequence; its owner is set once the owning column exists. */
export function createSequence(s: SequenceObject): Step[] {
  const out = [{ ...step(s.id, "create_sequence", "pre", 109, createSequenceSql(s), "sequence is new") }];
  out[0].now = definitionOf(s);
  if (s.ownedBy) {
    out.push(step(s.id, "create_sequence", "post", 275, sequenceOwnedBySql(s), "sequence is owned by a column"));
  }
  return out;
}

/** Drop a sequence: its current value is lost. */
export function dropSequence(s: SequenceObject): Step[] {
  return [{
    ...step(
      s.id,
      "drop_sequence",
      "post",
      282,
      `DROP SEQUENCE ${qualify(s.schema, s.name)};`,
      "sequence is not in the desired schema",
    ),
    was: definitionOf(s),
    destructive: true,
    hazards: [{ kind: "data_loss", message: `drops sequence ${qualify(s.schema, s.name)} and its current value` }],
  }];
}

/**
 * Alter a sequence in place: changed parameters in one `ALTER SEQUENCE` (the type first, so new
 * limits are checked against it), ownership apart. An owner that goes in this plan is released
 * before it is dropped, or the sequence would be dropped with it.
 */
export function alterSequence(ch: Extract<Change, { op: "alter_sequence" }>): Step[] {
  const { from, to } = ch;
  const name = qualify(to.schema, to.name);
  const mk = (phase: Step["phase"], rank: number, sql: string, reason: string): Step => ({
    ...step(to.id, ch.op, phase, rank, sql, reason),
    was: definitionOf(from),
    now: definitionOf(to),
  });
  const out: Step[] = [];
  const clauses = changedSequenceClauses(from.options, to.options);
  if (from.options.type !== to.options.type) clauses.unshift(`AS ${to.options.type}`);
  if (clauses.length > 0) {
    out.push(mk("pre", 109.5, `ALTER SEQUENCE ${name} ${clauses.join(" ")};`, "sequence changed"));
  }
  const owner = (s: SequenceObject) => JSON.stringify(s.ownedBy ?? null);
  if (owner(from) !== owner(to)) {
    if (ch.ownerDropped) {
      out.push(
        mk("drop", 45, `ALTER SEQUENCE ${name} OWNED BY NONE;`, "its owning column is dropped; the sequence stays"),
      );
    }
    if (to.ownedBy || !ch.ownerDropped) out.push(mk("post", 275, sequenceOwnedBySql(to), "sequence owner changed"));
  }
  return out;
}

/** Create a domain (before the tables that use it). */
export function createDomain(d: DomainObject): Step[] {
  return [{ ...step(d.id, "create_domain", "pre", 107, createDomainSql(d), "domain is new"), now: definitionOf(d) }];
}

/** Drop a domain, after the columns that used it were changed or dropped. */
export function dropDomain(d: DomainObject): Step[] {
  return [{
    ...step(
      d.id,
      "drop_domain",
      "post",
      281,
      `DROP DOMAIN ${qualify(d.schema, d.name)};`,
      "domain is not in the desired schema",
    ),
    was: definitionOf(d),
  }];
}

/**
 * Alter a domain in place: default and nullability, CHECKs dropped before the data section and
 * added after it (each validated against every column using the domain). A new base type or
 * collation is refused.
 */
export function alterDomain(from: DomainObject, to: DomainObject): Step[] {
  const name = qualify(to.schema, to.name);
  if (from.baseType !== to.baseType || from.collation !== to.collation) {
    unsupported(
      `Domain ${name} changes its base type or collation (${from.baseType} → ${to.baseType}); ` +
        "PostgreSQL cannot alter that in place and pgconverge does not yet recreate a domain with its columns.",
    );
  }
  const at = `ALTER DOMAIN ${name}`;
  const was = definitionOf(from);
  const now = definitionOf(to);
  const mk = (phase: Step["phase"], rank: number, sql: string, reason: string): Step => ({
    ...step(to.id, "alter_domain", phase, rank, sql, reason),
    was,
    now,
  });
  const out: Step[] = [];
  const scan = { kind: "validation_scan" as const, message: `checks every column of type ${name}` };
  const toChecks = new Map(to.checks.map((c) => [c.name, c.definition]));
  const fromChecks = new Map(from.checks.map((c) => [c.name, c.definition]));
  for (const c of from.checks) {
    if (toChecks.get(c.name) === c.definition) continue;
    const why = toChecks.has(c.name)
      ? "domain CHECK changed: the new one is added after the data section"
      : "domain CHECK removed";
    out.push(mk("drop", 35, `${at} DROP CONSTRAINT ${quoteIdent(c.name)};`, why));
  }
  if (from.default !== to.default) {
    out.push(
      to.default === undefined
        ? mk("pre", 107.5, `${at} DROP DEFAULT;`, "domain default removed")
        : mk("pre", 107.5, `${at} SET DEFAULT ${to.default};`, "domain default changed"),
    );
  }
  if (from.notNull && !to.notNull) out.push(mk("pre", 107.5, `${at} DROP NOT NULL;`, "domain became nullable"));
  if (!from.notNull && to.notNull) {
    const s = mk("post", 246, `${at} SET NOT NULL;`, "domain became NOT NULL");
    s.hazards.push(scan);
    out.push(s);
  }
  for (const c of to.checks) {
    if (fromChecks.get(c.name) === c.definition) continue;
    const s = mk(
      "post",
      246,
      `${at} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`,
      "domain CHECK is new or changed",
    );
    s.hazards.push(scan);
    out.push(s);
  }
  return out;
}
