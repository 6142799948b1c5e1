/**
 * What rendered shadow DDL creates, read back with PostgreSQL's parser: an oracle for the fuzz
 * test, independent of the renderer. Each statement made from structured keys must be exactly one
 * statement, of a kind the renderer makes, creating only ids the file declares.
 * @module
 */
import type { DdlStatement } from "../../src/model/ddl.ts";
import { parseSql } from "../../src/model/sql_parser.ts";
import { type Declared, isDeclared } from "../../src/render/declared_ids.ts";

type Node = Record<string, unknown>;

/** Statement kinds the renderer makes that create nothing a key could smuggle in. */
const INERT = new Set([
  "CommentStmt",
  "DoStmt",
  "GrantStmt",
  "VariableSetStmt",
  "CreateExtensionStmt",
  "CreateSchemaStmt",
  "CreateEnumStmt",
  "CreateFunctionStmt",
  "ViewStmt",
]);

/** ALTER TABLE subcommands the renderer uses besides ADD COLUMN / ADD CONSTRAINT. */
const INERT_ALTERS = new Set(["AT_EnableRowSecurity", "AT_ForceRowSecurity"]);

function rel(r: unknown): { schema: string; name: string } {
  const n = (r ?? {}) as Node;
  return { schema: (n.schemaname as string | undefined) ?? "public", name: n.relname as string };
}

/** Ids (or `?…` descriptions of something unexpected) one parsed statement creates. */
function created(stmt: Node): string[] {
  const [type, body] = Object.entries(stmt)[0] as [string, Node];
  if (INERT.has(type)) return [];
  const out: string[] = [];
  if (type === "CreateStmt") {
    const t = rel(body.relation);
    out.push(`table:${t.schema}.${t.name}`);
    for (const el of (body.tableElts as Node[] | undefined) ?? []) {
      const col = el.ColumnDef as Node | undefined;
      if (col) out.push(`column:${t.schema}.${t.name}.${col.colname}`);
      else out.push(`?table element ${Object.keys(el)[0]}`);
      for (const c of (col?.constraints as Node[] | undefined) ?? []) {
        const con = c.Constraint as Node;
        if (
          !["CONSTR_DEFAULT", "CONSTR_NOTNULL", "CONSTR_GENERATED", "CONSTR_IDENTITY"].includes(con.contype as string)
        ) {
          out.push(`?column constraint ${con.contype}`);
        }
      }
    }
    return out;
  }
  if (type === "AlterTableStmt") {
    const t = rel(body.relation);
    for (const c of (body.cmds as Node[] | undefined) ?? []) {
      const cmd = c.AlterTableCmd as Node;
      const def = (cmd.def ?? {}) as Node;
      if (cmd.subtype === "AT_AddColumn") out.push(`column:${t.schema}.${t.name}.${(def.ColumnDef as Node).colname}`);
      else if (cmd.subtype === "AT_AddConstraint") {
        const name = (def.Constraint as Node).conname;
        out.push(name === undefined ? `?unnamed constraint on ${t.name}` : `constraint:${t.schema}.${t.name}.${name}`);
      } else if (!INERT_ALTERS.has(cmd.subtype as string)) out.push(`?ALTER TABLE ${cmd.subtype}`);
    }
    return out;
  }
  if (type === "IndexStmt") {
    const t = rel(body.relation);
    return [body.idxname === undefined ? `?unnamed index on ${t.name}` : `index:${t.schema}.${body.idxname}`];
  }
  if (type === "CreatePolicyStmt" || type === "AlterPolicyStmt") {
    const t = rel(body.table);
    return [`policy:${t.schema}.${t.name}.${body.policy_name}`];
  }
  return [`?statement ${type}`];
}

/**
 * What the statements made from structured keys create that `declared` does not hold, plus any
 * such statement that is not exactly one statement. `sql:` items (`fromSql`) are skipped.
 */
export function undeclaredInDdl(
  statements: readonly DdlStatement[],
  declared: Declared,
  fromSql: (st: DdlStatement) => boolean,
): string[] {
  const out: string[] = [];
  for (const st of statements) {
    if (fromSql(st)) continue;
    let stmts: Node[];
    try {
      stmts = (parseSql(st.sql).stmts ?? []).map((s) => s.stmt as unknown as Node);
    } catch {
      // PostgreSQL's own parser refuses it, so the shadow refuses it too: it creates nothing.
      continue;
    }
    if (stmts.length !== 1) out.push(`${stmts.length} statements in: ${st.sql}`);
    for (const s of stmts) {
      for (const id of created(s)) {
        if (id.startsWith("?") || !isDeclared(declared, id)) out.push(`${id} in: ${st.sql}`);
      }
    }
  }
  return out;
}
