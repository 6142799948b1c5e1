/**
 * The post-load check: after the shadow has executed a schema.yaml, every object it holds must be
 * one the file declared, by a structured key (see render/declared_ids.ts) or by a `sql:` item
 * that names it (render/sql_names.ts). Anything else means a value said more than its key, and is
 * refused with the location of the DDL that mentions it. It reads only the snapshot and the file,
 * so a snapshot answered from the cache is checked exactly like a fresh one, without a shadow.
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import { formatRef, PgcError, type Problem, type SourceRef } from "../model/errors.ts";
import { scanSql } from "../model/sql_parser.ts";
import { type DbObject, schemaOf, type Snapshot } from "../model/snapshot.ts";
import { declaredIds, isDeclared } from "../render/declared_ids.ts";
import { sqlNames } from "../render/sql_names.ts";
import { charIndex } from "../yaml/sql_values.ts";
import type { Schema } from "../yaml/types.ts";

/** Kinds the shadow never reads as objects of the file (they come from `roles`, `grants`, `extensions`). */
const ACCESS_KINDS: ReadonlySet<string> = new Set(["role", "grant", "extension"]);

/**
 * Throw `yaml_invalid` naming every object of `snap` that neither a structured key of `schema`
 * declares nor a `sql:` item names; `statements` (the shadow DDL) locate the value behind each.
 */
export function checkDeclared(schema: Schema, statements: readonly DdlStatement[], snap: Snapshot): void {
  const declared = declaredIds(schema);
  const objects = [...snap.objects.values()].filter((o) => !ACCESS_KINDS.has(o.kind) && !isDeclared(declared, o.id));
  const others = (snap.unmanaged ?? []).filter((u) => !u.startsWith("privileges "));
  if (objects.length === 0 && others.length === 0) return;
  const named = new Set(schema.sql.flatMap((b) => [...sqlNames(b.sql)]));
  const schemas = new Set(snap.schemas);
  const problems: Problem[] = [];
  for (const o of objects) {
    const [name, table] = namesOf(o);
    if (named.has(name) || (table !== undefined && named.has(table))) continue;
    const owner = schema.tables.find((t) => t.schema === schemaOf(o) && t.name === table);
    problems.push(problem(o.id.replace(":", " "), name, statements, owner?.at ?? schema.at, schema));
  }
  for (const u of others) {
    // `trigger t on public.x`, `procedure public.p(integer)`: attributed when a sql: item names a part.
    const words = u.split(/[\s.(),"]+/).slice(1).filter((w) => w !== "" && w !== "on" && !schemas.has(w));
    if (words.some((w) => named.has(w))) continue;
    problems.push(problem(u, words[0] ?? u, statements, schema.at, schema));
  }
  if (problems.length === 0) return;
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  throw new PgcError("yaml_invalid", `${formatRef(first.at!)}: ${first.message}${more}`, {
    hint: first.hint,
    problems,
  });
}

/** The object's own name and, for what lives on a table, the table's. */
function namesOf(o: DbObject): [string, string | undefined] {
  switch (o.kind) {
    case "comment":
      return [o.column ?? o.table, o.table];
    case "rls":
      return [o.table, o.table];
    case "column":
    case "constraint":
    case "index":
    case "policy":
    case "trigger":
      return [o.name, o.table];
    case "schema":
    case "enum":
    case "table":
    case "function":
    case "view":
    case "sequence":
    case "domain":
      return [o.name, undefined];
    default:
      return [o.id, undefined];
  }
}

function problem(
  what: string,
  name: string,
  statements: readonly DdlStatement[],
  fallback: SourceRef,
  schema: Schema,
): Problem {
  const mention = mentionOf(name, statements);
  const at = mention ?? fallback;
  const key = mention === undefined ? undefined : keyAt(schema, mention);
  return {
    at,
    message: `after loading the file, the shadow database holds ${what}, which no key declares` +
      (key === undefined ? "" : ` (it comes from the value of "${key}")`),
    hint: "Every object must come from the key that declares it, or from a `sql:` item that names it; " +
      "a value that creates one says more than its key.",
  };
}

/** Where the first statement that mentions `name` as an identifier got it from, if any does. */
function mentionOf(name: string, statements: readonly DdlStatement[]): SourceRef | undefined {
  for (const st of statements) {
    let tokens;
    try {
      tokens = scanSql(st.sql).tokens;
    } catch {
      continue;
    }
    const token = tokens.find((t) =>
      (t.tokenName === "IDENT" || t.keywordKind !== 0) &&
      (t.text.startsWith('"') ? t.text.slice(1, -1).replaceAll('""', '"') : t.text.toLowerCase()) === name
    );
    if (token === undefined) continue;
    const index = charIndex(st.sql, token.start);
    const span = st.spans?.findLast((s) => s.start <= index);
    if (span?.exact) return { ...span.source, column: span.source.column + index - span.start };
    return span?.source ?? st.source;
  }
  return undefined;
}

/** The key whose value was written where `at` points (inside the value: same line, at or after its start). */
function keyAt(schema: Schema, at: SourceRef): string | undefined {
  let best: { key: string; column: number } | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const valueAt = (node as { valueAt?: Record<string, SourceRef | undefined> }).valueAt;
    for (const [key, ref] of Object.entries(valueAt ?? {})) {
      if (ref?.line === at.line && ref.column <= at.column && (best === undefined || ref.column > best.column)) {
        best = { key, column: ref.column };
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== "valueAt" && k !== "at") visit(v);
  };
  visit(schema);
  return best?.key;
}
