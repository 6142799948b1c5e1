/**
 * The second printing, done in place: re-execute, in the shadow that already holds the schema,
 * only the definitions whose text PostgreSQL may print differently the second time (CHECKs,
 * exclusion constraints, expression and partial indexes, domains, views, policy expressions),
 * instead of emptying the shadow and loading everything again. The result is the same as a full
 * reload: each definition is parsed again in the same table. Column defaults, and the CHECKs and
 * expression indexes of plain tables, are printed again once per distinct definition, beside the
 * schema (reprint_scratch.ts).
 * @module
 */
import type { DdlStatement } from "../model/ddl.ts";
import { qualify, quoteIdent } from "../model/quote.ts";
import { objectsOfKind, type Snapshot } from "../model/snapshot.ts";
import { tableId } from "../model/ids.ts";
import { reprintFunctionStatements } from "./reprint_functions.ts";
import { createViewSql, viewsInOrder } from "../render/view_sql.ts";
import { reprintPolicySql } from "../render/policy_sql.ts";
import { createIndexSql } from "../render/partition_sql.ts";
import { hasExpression } from "./reprint_scratch.ts";

/**
 * Statements that re-execute the expression-bearing definitions of a once-printed snapshot, but
 * those printed elsewhere (`elsewhere`: ids of CHECKs and indexes; defaults never come here), or
 * undefined when it has generated columns (their expression cannot be replaced in place on every
 * server version): then the caller reloads everything.
 */
export function reprintStatements(
  first: Snapshot,
  elsewhere: ReadonlySet<string> = new Set(),
): DdlStatement[] | undefined {
  const columns = objectsOfKind(first, "column");
  if (columns.some((c) => c.generated !== undefined)) return undefined;
  // A materialized view cannot be replaced in place (it would take its indexes and dependents along).
  if (objectsOfKind(first, "matview").length > 0) return undefined;
  const byTable = new Map<string, string[]>();
  const push = (schema: string, table: string, clause: string) => {
    const key = tableId(schema, table);
    byTable.set(key, [...(byTable.get(key) ?? []), clause]);
  };
  const checks = objectsOfKind(first, "constraint")
    .filter((c) => (c.type === "c" || c.type === "x") && !elsewhere.has(c.id));
  for (const c of checks) push(c.schema, c.table, `DROP CONSTRAINT ${quoteIdent(c.name)}`);
  for (const c of checks) push(c.schema, c.table, `ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  const out: DdlStatement[] = [];
  for (const t of objectsOfKind(first, "table")) {
    const clauses = byTable.get(t.id);
    if (clauses) out.push({ sql: `ALTER TABLE ${qualify(t.schema, t.name)} ${clauses.join(", ")}` });
  }
  for (const i of objectsOfKind(first, "index")) {
    if (!hasExpression(i.definition) || elsewhere.has(i.id)) continue;
    out.push({ sql: `DROP INDEX ${qualify(i.schema, i.name)}` }, { sql: createIndexSql(i) });
  }
  out.push(...reprintFunctionStatements(first));
  for (const d of objectsOfKind(first, "domain")) {
    const domain = `ALTER DOMAIN ${qualify(d.schema, d.name)}`;
    if (d.default !== undefined) out.push({ sql: `${domain} SET DEFAULT ${d.default}` });
    for (const c of d.checks) {
      out.push({ sql: `${domain} DROP CONSTRAINT ${quoteIdent(c.name)}` });
      out.push({ sql: `${domain} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}` });
    }
  }
  for (const v of viewsInOrder(objectsOfKind(first, "view"))) {
    out.push({ sql: createViewSql(v, true).replace(/;$/, "") });
  }
  for (const sql of reprintPolicySql(first)) out.push({ sql });
  return out;
}
