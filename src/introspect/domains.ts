/** Domains: base type, collation, default, NOT NULL and CHECK constraints. @module */
import type { Queryable } from "../db/queryable.ts";
import { domainId } from "../model/ids.ts";
import type { DomainObject } from "../model/snapshot.ts";
import { Q_DOMAINS } from "./view_queries.ts";

interface DomainRow {
  schema: string;
  name: string;
  base_type: string;
  collation: string | null;
  default_expr: string | null;
  not_null: boolean | string;
  checks: string;
  functions: string;
}

/** Read the domains of the given schemas. */
export async function readDomains(db: Queryable, schemas: string[]): Promise<DomainObject[]> {
  return (await db.query<DomainRow>(Q_DOMAINS, [schemas])).map((r) => {
    const d: DomainObject = {
      kind: "domain",
      id: domainId(r.schema, r.name),
      schema: r.schema,
      name: r.name,
      baseType: r.base_type,
      notNull: r.not_null === true || r.not_null === "t",
      checks: (JSON.parse(r.checks) as Array<[string, string]>).map(([name, definition]) => ({ name, definition })),
    };
    if (r.collation) d.collation = r.collation;
    if (r.default_expr !== null) d.default = r.default_expr;
    const functions = (JSON.parse(r.functions) as string[]).sort();
    if (functions.length > 0) d.dependsOn = functions;
    return d;
  });
}
