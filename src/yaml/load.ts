/**
 * schema.yaml text → {@link Schema}, with every problem of the file reported at once, each at
 * its line and column.
 * @module
 */
import { readRenamedValues } from "./read_enum_renames.ts";
import { isSeq, LineCounter, type Node, parseDocument, type YAMLError } from "yaml";
import { formatRef, PgcError, type Problem, type SourceRef } from "../model/errors.ts";
import { bodyLqlProblem, checkFunctionNames, readFunction } from "./read_function.ts";
import { checkAccess, readExtension, readGrant, readRole } from "./read_access.ts";
import { eachItem, readTable } from "./read_table.ts";
import { compact, type Entry, Reader } from "./reader.ts";
import { readSqlBlocks } from "./read_sql.ts";
import { assertSqlParser } from "../model/sql_parser.ts";
import type { EnumType, Schema } from "./types.ts";
import { checkNames } from "./unique_names.ts";
import { checkNameClashes } from "./name_clashes.ts";
import { readView } from "./read_view.ts";

/**
 * Parse and validate a schema.yaml. Throws one `PgcError("yaml_invalid")` listing every problem
 * (YAML syntax, unknown keys with a suggestion, wrong value types, missing keys, unknown enum-like
 * values, duplicate names), each located at the offending key or value.
 *
 * A function written in `bodyLql` is refused (`unsupported`, located) when it is the only problem.
 * Expression-valued keys are checked with PostgreSQL's parser: `await ensureSqlParser()` first.
 *
 * @example
 * ```ts
 * await ensureSqlParser();
 * const schema = loadSchemaYaml("tables:\n  - name: t\n    columns: [{name: id, type: Int}]\n", "schema.yaml");
 * schema.tables[0].columns[0].pgType; // "integer"
 * ```
 */
export function loadSchemaYaml(text: string, file: string): Schema {
  assertSqlParser();
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
  });
  const r = new Reader(file, lines, doc, text);
  for (const w of doc.warnings) {
    r.warnings.push({ at: yamlErrorAt(r, w), message: plain(w) });
  }
  const schema = readTop(r, doc.contents as Node | null);
  checkNames(r, schema);
  checkNameClashes(r, schema);
  checkFunctionNames(r, schema.functions);
  const lql = schema.functions.filter((f) => f.bodyLql !== undefined).map(bodyLqlProblem);
  if (r.problems.length === 0 && doc.errors.length === 0 && lql.length > 0) {
    const where = lql[0].at ? `${formatRef(lql[0].at)}: ` : "";
    throw new PgcError(
      "unsupported",
      `${where}${lql[0].message}${lql.length > 1 ? ` (and ${lql.length - 1} more)` : ""}`,
      {
        hint: lql[0].hint,
        problems: lql,
      },
    );
  }
  r.problems.push(...lql);
  checkAccess(r, schema);
  const problems = withSyntaxErrors(r, doc.errors);
  if (problems.length === 1 && problems[0].at !== undefined) {
    const [p] = problems;
    throw new PgcError("yaml_invalid", `${formatRef(p.at!)}: ${p.message}`, { problems, hint: p.hint });
  }
  if (problems.length > 0) {
    throw new PgcError("yaml_invalid", `${file} has ${problems.length} problems`, { problems });
  }
  schema.warnings = r.warnings;
  return schema;
}

/**
 * Syntax errors plus the other problems, in file order. After a real syntax error the parser's
 * best-effort tree is unreliable, so only problems before it are kept (duplicate keys are
 * harmless: the first one is used).
 */
function withSyntaxErrors(r: Reader, errors: readonly YAMLError[]): Problem[] {
  const syntax = errors.map((e) => ({ at: yamlErrorAt(r, e), message: plain(e), code: e.code }));
  const breaking = syntax.filter((e) => e.code !== "DUPLICATE_KEY").map((e) => e.at.line);
  const cut = breaking.length > 0 ? Math.min(...breaking) : Infinity;
  const all: Problem[] = [
    ...syntax.map(({ at, message }) => ({ at, message })),
    ...r.problems.filter((p) => (p.at?.line ?? 0) < cut),
  ];
  return all.sort((a, b) => (a.at!.line - b.at!.line) || (a.at!.column - b.at!.column));
}

function yamlErrorAt(r: Reader, e: YAMLError): SourceRef {
  const pos = e.linePos?.[0];
  return pos === undefined ? r.atOffset(e.pos[0]) : { file: r.file, line: pos.line, column: pos.col };
}

/** The YAML library's message without its own location and source excerpt. */
function plain(e: YAMLError): string {
  const msg = e.message.split(/ at line \d+, column \d+/)[0].trim();
  return `YAML syntax: ${msg.charAt(0).toLowerCase()}${msg.slice(1)}`;
}

function readTop(r: Reader, contents: Node | null): Schema {
  const at: SourceRef = { file: r.file, line: 1, column: 1 };
  const schema: Schema = {
    file: r.file,
    tables: [],
    schemas: [],
    enums: [],
    functions: [],
    sql: [],
    roles: [],
    extensions: [],
    views: [],
    warnings: [],
    at,
    valueAt: {},
  };
  if (contents === null) {
    r.problem(at, `${r.file} is empty (expected a map with a "tables" list)`);
    return schema;
  }
  const m = r.map(contents, "top", "the top level", []);
  if (m === undefined) return schema;
  const e = (key: string) => m.entries.get(key);
  const name = r.text(e("name"));
  if (name !== undefined) schema.name = name;
  schema.valueAt = m.valueAt;
  schema.tables = eachItem(r, e("tables"), (node, i) => readTable(r, node, i));
  schema.schemas = (r.locatedList(e("schemas")) ?? []).map(({ value, at }) => ({
    name: value,
    at,
  }));
  schema.enums = eachItem(r, e("enums"), (node, i) => readEnum(r, node, i));
  schema.functions = eachItem(r, e("functions"), (node, i) => readFunction(r, node, i));
  schema.sql = readSqlBlocks(r, e("sql"));
  schema.roles = eachItem(r, e("roles"), (node, i) => readRole(r, node, i));
  schema.extensions = eachItem(r, e("extensions"), (node, i) => readExtension(r, node, i));
  // A `grants` key, even an empty list, puts every privilege of the managed schemas under management.
  if (e("grants") !== undefined) schema.grants = eachItem(r, e("grants"), (node, i) => readGrant(r, node, i));
  schema.views = eachItem(r, e("views"), (node, i) => readView(r, node, i));
  return schema;
}

function readEnum(r: Reader, node: Node, i: number): EnumType | undefined {
  const m = r.map(node, "enum", `enum #${i + 1}`, ["name", "values"]);
  if (m === undefined) return undefined;
  const e = (key: string): Entry | undefined => m.entries.get(key);
  const name = r.name(e("name"));
  const values = r.locatedList(e("values"), "text");
  const written = e("values")?.node;
  if (isSeq(written) && written.items.length === 0) {
    r.problem(m.valueAt.values, `enum "${name}" has no values`);
  }
  const seen = new Set<string>();
  for (const v of values ?? []) {
    if (seen.has(v.value)) {
      r.problem(v.at, `enum "${name}" lists "${v.value}" twice`);
    }
    seen.add(v.value);
  }
  const renamedValues = readRenamedValues(r, e("renamedValues"), name ?? "", [...seen]);
  const result = compact<EnumType>({
    schema: r.name(e("schema")) ?? "public",
    name: name ?? "",
    values: [...seen],
    renamedValues,
    at: m.at,
    valueAt: m.valueAt,
  });
  return name === undefined ? undefined : result;
}
