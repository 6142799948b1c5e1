/**
 * schema.yaml functions → DDL for the shadow. A function is created before the tables, with
 * body checks off, so column defaults can call it; one whose result or argument types name a
 * table of the file comes after the tables (the catalog records nothing else a string body
 * needs). Once everything exists, each function is created again with body checks on: that is
 * where PostgreSQL validates the body, and its errors point at the `body` line. EXECUTE grants
 * come last; their roles are made (NOLOGIN) in the shadow when it lacks them.
 * @module
 */
import type { DdlStatement, SourceSpan } from "../model/ddl.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { FunctionDef, Schema } from "../yaml/types.ts";

/** The shadow statements of a schema's functions, by where they load. */
export interface FunctionDdl {
  /** Before the tables. */
  early: DdlStatement[];
  /** After the tables. */
  late: DdlStatement[];
  /** At the very end: validation of every body, then roles and grants. */
  final: DdlStatement[];
}

/** `CREATE OR REPLACE FUNCTION …` of one YAML function, with the body located. */
function createFunction(f: FunctionDef): DdlStatement {
  const args = f.arguments.map((a) => `${quoteIdent(a.name)} ${a.pgType}`).join(", ");
  const head = `CREATE OR REPLACE FUNCTION ${qualify(f.schema, f.name)}(${args}) RETURNS ${f.returns} ` +
    `LANGUAGE ${quoteIdent(f.language)} ${f.volatility.toUpperCase()}` +
    (f.securityDefiner ? " SECURITY DEFINER" : "") + " AS ";
  const spans: SourceSpan[] = [{ start: 0, source: f.valueAt.name ?? f.at }];
  for (const a of f.arguments) {
    const start = head.indexOf(`${quoteIdent(a.name)} ${a.pgType}`);
    if (start >= 0) spans.push({ start, source: a.valueAt.type ?? a.at });
  }
  const returnsAt = head.indexOf(" RETURNS ");
  if (f.valueAt.returns) spans.push({ start: returnsAt + 1, source: f.valueAt.returns });
  spans.push({ start: head.length, source: f.valueAt.body ?? f.at });
  spans.sort((a, b) => a.start - b.start);
  return { sql: head + quoteLiteral(f.body ?? ""), source: f.at, spans };
}

/** The bare type name a result or argument type names (`SETOF public.users[]` → `public.users`). */
function typeName(type: string): string {
  return type.replace(/^setof\s+/i, "").replace(/(\[\d*\])+$/, "").replaceAll('"', "").trim().toLowerCase();
}

/** The functions of a schema.yaml as shadow DDL. */
export function functionDdl(schema: Schema): FunctionDdl {
  const tables = new Set(
    schema.tables.flatMap((
      t,
    ) => [`${t.schema}.${t.name}`.toLowerCase(), ...(t.schema === "public" ? [t.name.toLowerCase()] : [])]),
  );
  const fns = schema.functions.filter((f) => f.body !== undefined);
  const needsTable = (f: FunctionDef) =>
    [f.returns, ...f.arguments.map((a) => a.pgType)].some((t) => tables.has(typeName(t)));
  const off: DdlStatement = { sql: "SET check_function_bodies = off" };
  const wrap = (list: FunctionDef[]) =>
    list.length === 0 ? [] : [off, ...list.map(createFunction), { sql: "RESET check_function_bodies" }];
  const final: DdlStatement[] = fns.length === 0
    ? []
    : [{ sql: "SET check_function_bodies = on" }, ...fns.map(createFunction), {
      sql: "RESET check_function_bodies",
    }];
  for (const f of fns) final.push(...grants(f));
  return { early: wrap(fns.filter((f) => !needsTable(f))), late: wrap(fns.filter(needsTable)), final };
}

/** REVOKE from PUBLIC and GRANT to each role (made first when the shadow does not have it). */
function grants(f: FunctionDef): DdlStatement[] {
  const sig = `${qualify(f.schema, f.name)}(${f.arguments.map((a) => a.pgType).join(", ")})`;
  const at = f.valueAt.executeRoles ?? f.at;
  const out: DdlStatement[] = [];
  if (f.revokePublicExecute) {
    out.push({ sql: `REVOKE EXECUTE ON FUNCTION ${sig} FROM PUBLIC`, source: f.valueAt.revokePublicExecute ?? f.at });
  }
  for (const role of [...new Set(f.executeRoles)].sort()) {
    out.push({
      sql: `DO $pgc$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) ` +
        `THEN CREATE ROLE ${quoteIdent(role)} NOLOGIN; END IF; END $pgc$`,
      source: at,
    });
    out.push({ sql: `GRANT EXECUTE ON FUNCTION ${sig} TO ${quoteIdent(role)}`, source: at });
  }
  return out;
}
