/**
 * One `functions:` entry → {@link FunctionDef}: types mapped like column types, every problem
 * located at its key or value. `bodyLql` is DataProviderMigrate's LQL: pgconverge cannot yet
 * translate a function body from it faithfully, so it is refused at its line (never guessed).
 * @module
 */
import type { Node } from "yaml";
import type { Problem, SourceRef } from "../model/errors.ts";
import { resolveType } from "./portable_types.ts";
import { compact, type Entry, type Reader } from "./reader.ts";
import { eachItem } from "./read_table.ts";
import { resultTypeProblem, typeNameProblem } from "./sql_values.ts";
import type { FunctionArgument, FunctionDef, Volatility } from "./types.ts";

const VOLATILITY: Readonly<Record<string, Volatility>> = {
  Volatile: "volatile",
  Stable: "stable",
  Immutable: "immutable",
};

/** The problem a `bodyLql` is: located, with the remedy. */
export function bodyLqlProblem(f: FunctionDef): Problem {
  return {
    at: f.valueAt.bodyLql ?? f.at,
    message: `function "${f.name}" has a bodyLql, which pgconverge cannot translate to SQL faithfully yet`,
    hint: "Write the function body in SQL (or its language) under body instead of bodyLql.",
  };
}

/** A type written in YAML, mapped; a problem (and undefined) when it cannot be right. */
function mapType(
  r: Reader,
  written: string,
  at: SourceRef | undefined,
  fallback: SourceRef,
  result = false,
  entry?: Entry,
): string | undefined {
  const setof = /^setof\s+/i.exec(written);
  const rest = setof ? written.slice(setof[0].length) : written;
  const resolved = resolveType(rest);
  if ("error" in resolved) {
    r.problem(at ?? fallback, resolved.error);
    return undefined;
  }
  if (resolved.enum !== undefined) {
    r.problem(at ?? fallback, `Enum(…) types cannot be declared in a function; declare the enum under enums`);
    return undefined;
  }
  if (resolved.warning !== undefined) r.warnings.push({ at: at ?? fallback, message: resolved.warning });
  const sql = (setof ? "SETOF " : "") + resolved.sql;
  // What is not a portable name goes into the DDL as written: it must be one type.
  const shape = (result ? resultTypeProblem : typeNameProblem)(sql);
  if (shape !== undefined) {
    const key = `"${result ? "returns" : "type"}"`;
    if (entry !== undefined && sql === written) r.valueProblem(entry, shape, key);
    else r.problem(at ?? fallback, `${key}: ${shape.message}`, shape.hint);
    return undefined;
  }
  return sql;
}

function readArgument(r: Reader, node: Node, what: string): FunctionArgument | undefined {
  const m = r.map(node, "functionArgument", what, ["name", "type"]);
  if (m === undefined) return undefined;
  const name = r.name(m.entries.get("name"));
  const type = r.text(m.entries.get("type"));
  if (name === undefined || type === undefined) return undefined;
  const pgType = mapType(r, type, m.valueAt.type, m.at, false, m.entries.get("type"));
  return pgType === undefined ? undefined : { name, type, pgType, at: m.at, valueAt: m.valueAt };
}

/** Read a function; undefined when it is unusable (the problems are recorded). */
export function readFunction(r: Reader, node: Node, i: number): FunctionDef | undefined {
  const m = r.map(node, "function", `function #${i + 1}`, ["name"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const what = name === undefined ? `function #${i + 1}` : `function "${name}"`;
  const args = eachItem(r, e("arguments"), (n, j) => readArgument(r, n, `argument #${j + 1} of ${what}`));
  const seen = new Set<string>();
  for (const a of args) {
    if (seen.has(a.name)) r.problem(a.valueAt.name ?? a.at, `${what} has two arguments named "${a.name}"`);
    seen.add(a.name);
  }
  const returnsText = r.text(e("returns"));
  const returns = returnsText === undefined
    ? "void"
    : mapType(r, returnsText, m.valueAt.returns, m.at, true, e("returns"));
  const body = r.sql(e("body"));
  const bodyLql = r.sql(e("bodyLql"));
  if (body === undefined && bodyLql === undefined) r.problem(m.at, `${what} needs a body (or bodyLql)`);
  if (body !== undefined && bodyLql !== undefined) {
    r.problem(m.valueAt.bodyLql!, `${what} has both body and bodyLql; keep one`);
  }
  const language = r.text(e("language"));
  if (language !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(language)) {
    r.problem(m.valueAt.language!, `language "${language}" is not a language name`);
  }
  const f = compact<FunctionDef>({
    schema: r.name(e("schema")) ?? "public",
    name: name ?? "",
    arguments: args,
    returns: returns ?? "void",
    language: (language ?? "sql").toLowerCase(),
    volatility: r.oneOf(e("volatility"), VOLATILITY) ?? "stable",
    securityDefiner: r.bool(e("securityDefiner")) ?? false,
    body,
    bodyLql,
    executeRoles: r.textList(e("executeRoles")) ?? [],
    revokePublicExecute: r.bool(e("revokePublicExecute")) ?? true,
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : f;
}

/** Two functions with the same schema, name and argument types are one function written twice. */
export function checkFunctionNames(r: Reader, functions: FunctionDef[]): void {
  const seen = new Map<string, SourceRef>();
  for (const f of functions) {
    const key = `${f.schema}.${f.name}(${f.arguments.map((a) => a.pgType.toLowerCase()).join(", ")})`;
    const first = seen.get(key);
    const at = f.valueAt.name ?? f.at;
    if (first !== undefined) r.problem(at, `duplicate function "${key}" (first at line ${first.line})`);
    else seen.set(key, at);
  }
}
