/**
 * Names that must be unique across the file: tables, enum types, index names within a schema,
 * and enums implied by `Enum(name:a|b)` types, which must agree with each other and with a
 * declared `enums` entry of the same name.
 * @module
 */
import type { SourceRef } from "../model/errors.ts";
import type { Reader } from "./reader.ts";
import type { EnumType, Schema } from "./types.ts";

/** Report every duplicate or conflicting name of `schema`. */
export function checkNames(r: Reader, schema: Schema): void {
  const tables = new Map<string, SourceRef>();
  const indexes = new Map<string, SourceRef>();
  for (const t of schema.tables) {
    firstOnly(r, tables, `${t.schema}.${t.name}`, t.valueAt.name ?? t.at, "table");
    for (const ix of t.indexes) {
      firstOnly(r, indexes, `${t.schema}.${ix.name}`, ix.valueAt.name ?? ix.at, "index");
    }
  }
  // Views share the relation namespace with tables.
  for (const v of schema.views) firstOnly(r, tables, `${v.schema}.${v.name}`, v.valueAt.name ?? v.at, "table or view");
  const declared = new Map<string, EnumType>();
  const enumsSeen = new Map<string, SourceRef>();
  for (const en of schema.enums) {
    const key = `${en.schema}.${en.name}`;
    if (firstOnly(r, enumsSeen, key, en.valueAt.name ?? en.at, "enum")) {
      declared.set(key, en);
    }
  }
  const implied = new Map<string, EnumType>();
  for (const t of schema.tables) {
    for (const c of t.columns) {
      const en = c.impliedEnum;
      if (en === undefined) continue;
      const key = `${en.schema}.${en.name}`;
      const other = declared.get(key) ?? implied.get(key);
      if (other === undefined) {
        implied.set(key, en);
      } else if (other.values.join("|") !== en.values.join("|")) {
        r.problem(
          en.at,
          `type Enum(${en.name}:…) lists ${en.values.join("|")} but enum "${key}" at line ` +
            `${other.at.line} has ${other.values.join("|")}`,
        );
      }
    }
  }
}

/** Record `key` at `at`; report and return false when it was already seen. */
function firstOnly(
  r: Reader,
  seen: Map<string, SourceRef>,
  key: string,
  at: SourceRef,
  kind: string,
): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    r.problem(at, `duplicate ${kind} "${key}" (first at line ${first.line})`);
    return false;
  }
  seen.set(key, at);
  return true;
}
