/**
 * Names PostgreSQL would refuse as taken, found before the shadow runs: two constraints of one
 * table with one name (written, or made by default and cut to 63 bytes), and a primary key or
 * unique constraint whose index would take the name of a table, view or index of its schema
 * ("relation … already exists"), or an enum named like a table (whose row type has its name).
 * Each clash is reported at both lines, since either may be the one to rename.
 * @module
 */
import type { SourceRef } from "../model/errors.ts";
import { constraintNames } from "./default_names.ts";
import type { Reader } from "./reader.ts";
import type { Schema, Table } from "./types.ts";

/** One name in a namespace. */
interface Holder {
  name: string;
  /** How messages name it: `the primary key of table "t"`. */
  what: string;
  at: SourceRef;
  /** Made by default (no `name` written). */
  generated: boolean;
  /** Clashes between two holders of one group are reported by checkNames already. */
  group: "table" | "index" | "enum" | "constraint";
  /** A constraint's table (`schema.table`): two of one table clash as constraints already. */
  table?: string;
}

/** Report every name two objects of `schema` would share in a PostgreSQL namespace. */
export function checkNameClashes(r: Reader, schema: Schema): void {
  const relations = new Map<string, Holder[]>();
  const types = new Map<string, Holder[]>();
  const put = (space: Map<string, Holder[]>, key: string, h: Holder) => {
    const list = space.get(key) ?? [];
    list.push(h);
    space.set(key, list);
  };
  for (const t of schema.tables) {
    const table: Holder = {
      name: t.name,
      what: `table "${t.name}"`,
      at: t.valueAt.name ?? t.at,
      generated: false,
      group: "table",
    };
    put(relations, `${t.schema}.${t.name}`, table);
    put(types, `${t.schema}.${t.name}`, table);
    for (const ix of t.indexes) {
      const h: Holder = {
        name: ix.name,
        what: `index "${ix.name}"`,
        at: ix.valueAt.name ?? ix.at,
        generated: false,
        group: "index",
      };
      put(relations, `${t.schema}.${ix.name}`, h);
    }
    const constraints = tableConstraints(t);
    // A primary key or unique constraint is backed by an index of the same name.
    for (const c of constraints.filter((c) => c.indexBacked)) put(relations, `${t.schema}.${c.name}`, c);
    report(r, group(constraints), () => false);
  }
  for (const v of schema.views) {
    const h: Holder = {
      name: v.name,
      what: `view "${v.name}"`,
      at: v.valueAt.name ?? v.at,
      generated: false,
      group: "table",
    };
    put(relations, `${v.schema}.${v.name}`, h);
    put(types, `${v.schema}.${v.name}`, h);
  }
  for (const en of schema.enums) {
    put(types, `${en.schema}.${en.name}`, {
      name: en.name,
      what: `enum "${en.name}"`,
      at: en.valueAt.name ?? en.at,
      generated: false,
      group: "enum",
    });
  }
  report(r, relations, sameKind);
  report(r, types, sameKind);
}

/** The constraints of a table with the names the DDL gives them. */
function tableConstraints(t: Table): Array<Holder & { indexBacked: boolean }> {
  const names = constraintNames(t);
  const of = `of table "${t.name}"`;
  const out: Array<Holder & { indexBacked: boolean }> = [];
  const add = (name: string, what: string, at: SourceRef, generated: boolean, indexBacked = false) =>
    out.push({ name, what, at, generated, group: "constraint", indexBacked, table: `${t.schema}.${t.name}` });
  const pk = t.primaryKey;
  if (pk !== undefined) {
    add(names.primaryKey!, `the primary key ${of}`, pk.valueAt.name ?? pk.at, pk.name === undefined, true);
  }
  t.uniqueConstraints.forEach((u, i) => {
    const what = `the unique constraint on (${u.columns.join(", ")}) ${of}`;
    add(names.unique[i], what, u.valueAt.name ?? u.at, u.name === undefined, true);
  });
  for (const [c, name] of names.columnChecks) {
    const at = c.valueAt.checkConstraintName ?? c.valueAt.checkConstraint ?? c.at;
    add(name, `the CHECK of column "${c.name}" ${of}`, at, c.checkConstraintName === undefined);
  }
  for (const k of t.checkConstraints) add(k.name, `check constraint "${k.name}" ${of}`, k.valueAt.name ?? k.at, false);
  t.foreignKeys.forEach((fk, i) => {
    const what = `the foreign key on (${fk.columns.join(", ")}) ${of}`;
    add(names.foreignKeys[i], what, fk.valueAt.name ?? fk.at, fk.name === undefined);
  });
  return out;
}

/** Two holders whose clash another check reports (two tables, two indexes, or two constraints of one table in the relation namespace). */
function sameKind(a: Holder, b: Holder): boolean {
  if (a.group !== b.group) return false;
  return a.group !== "constraint" || a.table === b.table;
}

function group(holders: Holder[]): Map<string, Holder[]> {
  const out = new Map<string, Holder[]>();
  for (const h of holders) out.set(h.name, [...out.get(h.name) ?? [], h]);
  return out;
}

/** Each holder of a shared name is told which other holder it clashes with. */
function report(r: Reader, space: Map<string, Holder[]>, reported: (a: Holder, b: Holder) => boolean): void {
  for (const holders of space.values()) {
    if (holders.length < 2) continue;
    for (const h of holders) {
      const others = holders.filter((o) => o !== h && !reported(o, h));
      if (others.length === 0) continue;
      const o = others[0];
      const how = h.generated ? "gets the default name" : "is named";
      r.problem(
        h.at,
        `${h.what} ${how} "${h.name}", and so does ${o.what} (line ${o.at.line}); PostgreSQL needs them apart`,
        'Give one of them a name of its own ("name:"); a default name longer than 63 bytes is cut, ' +
          "so names that differ only after byte 63 are the same name.",
      );
    }
  }
}
