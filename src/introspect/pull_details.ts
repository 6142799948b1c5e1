/**
 * What `pull` needs beyond the canonical model to write structured schema.yaml keys: the column
 * lists and referential actions of constraints, and the keys of indexes. Read
 * set-based (one query per kind), with `search_path = pg_catalog` like {@link introspect}, so
 * every user object in a printed expression is schema-qualified.
 * @module
 */
import { withCatalogPath } from "./search_path.ts";
import type { Queryable } from "../db/queryable.ts";
import { constraintId, functionId, indexId } from "../model/ids.ts";

/** Constraint columns and actions (arrays as JSON text: both adapters return it as is). */
export const Q_PULL_CONSTRAINTS = `
SELECT n.nspname AS schema, c.relname AS table, con.conname AS name,
       (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(num, i)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num)::text AS columns,
       (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(num, i)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num)::text AS ref_columns,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,
       rn.nspname AS ref_schema, rc.relname AS ref_table
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE con.contype IN ('p', 'u', 'f', 'c') AND c.relkind IN ('r', 'p')
  AND n.nspname = ANY($1::text[]) AND con.conparentid = 0
ORDER BY 1, 2, 3`;

/**
 * Index keys (a column name, or the expression PostgreSQL prints for that key), the predicate,
 * and whether anything a schema.yaml index cannot say is set (sort order, operator class,
 * storage options, tablespace, NULLS NOT DISTINCT).
 */
export const Q_PULL_INDEXES = `
SELECT n.nspname AS schema, i.relname AS name, am.amname AS method, x.indisunique AS is_unique,
       x.indnkeyatts::int AS key_count,
       (SELECT json_agg(json_build_object('column', a.attname, 'text', pg_get_indexdef(x.indexrelid, k.i::int, false))
                        ORDER BY k.i)
          FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, i)
          LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num AND k.num > 0)::text AS keys,
       pg_get_expr(x.indpred, x.indrelid) AS predicate,
       (EXISTS (SELECT 1 FROM unnest(x.indoption::int2[]) o WHERE o <> 0)
        OR EXISTS (SELECT 1 FROM unnest(x.indclass::oid[]) oc JOIN pg_opclass op ON op.oid = oc WHERE NOT op.opcdefault)
        OR i.reloptions IS NOT NULL OR i.reltablespace <> 0
        OR coalesce((to_jsonb(x) ->> 'indnullsnotdistinct')::boolean, false)) AS has_options
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
ORDER BY 1, 2`;

/**
 * Functions with what a schema.yaml `functions:` entry can say about them, and whether they say
 * anything more (`extra`): argument modes or defaults, STRICT, LEAKPROOF, PARALLEL, a non-default
 * COST or ROWS, SET options, a support function, a SQL-standard body, a C or internal language,
 * an unnamed argument, or a type that is not built in, an enum or a plain table's row type (a
 * domain, say, which loads after structured functions).
 */
export const Q_PULL_FUNCTIONS = `
WITH f AS (
  SELECT p.*, n.nspname AS schema, l.lanname AS language
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
  WHERE p.prokind = 'f' AND n.nspname = ANY($1::text[])
), plain AS (
  SELECT t.oid,
         (bn.nspname = 'pg_catalog' OR b.typtype = 'e' OR (b.typtype = 'c' AND bc.relkind = 'r')) AS ok
  FROM pg_type t
  JOIN pg_type b ON b.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
  JOIN pg_namespace bn ON bn.oid = b.typnamespace
  LEFT JOIN pg_class bc ON bc.oid = b.typrelid
)
SELECT f.schema, f.proname AS name, oidvectortypes(f.proargtypes) AS args,
       coalesce(array_to_json(f.proargnames)::text, '[]') AS arg_names,
       (SELECT coalesce(json_agg(format_type(a.t, NULL) ORDER BY a.i), '[]')
          FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY a(t, i))::text AS arg_types,
       f.proretset AS retset, format_type(f.prorettype, NULL) AS returns, f.prosrc AS body,
       f.language, f.provolatile::text AS volatility, f.prosecdef AS security_definer,
       (f.proargmodes IS NOT NULL OR f.pronargdefaults <> 0 OR f.proisstrict OR f.proleakproof
        OR f.proparallel <> 'u' OR f.proconfig IS NOT NULL OR f.prosupport <> 0 OR f.prosqlbody IS NOT NULL
        OR f.language IN ('c', 'internal') OR f.procost <> 100 OR f.prorows <> CASE WHEN f.proretset THEN 1000 ELSE 0 END
        OR coalesce(array_length(f.proargnames, 1), 0) <> f.pronargs OR '' = ANY (coalesce(f.proargnames, '{}'))
        OR EXISTS (SELECT 1 FROM unnest(f.proargtypes::oid[] || f.prorettype) u(t)
                   LEFT JOIN plain ON plain.oid = u.t WHERE plain.ok IS NOT TRUE)) AS extra
FROM f
ORDER BY 1, 2, 3`;

/** A function as a `functions:` entry could describe it (see {@link Q_PULL_FUNCTIONS}). */
export interface FunctionDetail {
  /** Argument names, in order. */
  argNames: string[];
  /** Argument types (`format_type`, no modifiers), in order. */
  argTypes: string[];
  /** `RETURNS SETOF`. */
  retset: boolean;
  /** The result type (`format_type`). */
  returns: string;
  /** `prosrc`: the body as written between the dollar quotes. */
  body: string;
  /** Language name. */
  language: string;
  /** `i`mmutable, `s`table or `v`olatile. */
  volatility: "i" | "s" | "v";
  /** SECURITY DEFINER. */
  securityDefiner: boolean;
  /** Something a `functions:` entry cannot say is set. */
  extra: boolean;
}

/** Referential action codes of `pg_constraint.confupdtype/confdeltype`. */
export type ActionCode = "a" | "r" | "c" | "n" | "d";

/** Structure of one constraint. */
export interface ConstraintDetail {
  /** Constrained columns, in key order. */
  columns: string[];
  /** Referenced columns of a foreign key. */
  refColumns: string[];
  /** Referenced table of a foreign key: schema and name. */
  references?: { schema: string; table: string };
  /** ON UPDATE action of a foreign key. */
  onUpdate?: ActionCode;
  /** ON DELETE action of a foreign key. */
  onDelete?: ActionCode;
}

/** One index key: a column, or an expression as PostgreSQL prints it. */
export interface IndexKeyDetail {
  /** The column, for a plain column key. */
  column?: string;
  /** PostgreSQL's text for the key. */
  text: string;
}

/** Structure of one index. */
export interface IndexDetail {
  /** Access method (`btree`, `gin`, …). */
  method: string;
  /** UNIQUE. */
  unique: boolean;
  /** Key columns or expressions. */
  keys: IndexKeyDetail[];
  /** INCLUDE columns. */
  include: IndexKeyDetail[];
  /** Partial-index predicate. */
  predicate?: string;
  /** Something schema.yaml cannot say is set (DESC, opclass, WITH, tablespace, NULLS NOT DISTINCT). */
  hasOptions: boolean;
}

/** Everything {@link readPullDetails} returns, by object id. */
export interface PullDetails {
  /** By constraint id. */
  constraints: Map<string, ConstraintDetail>;
  /** By index id. */
  indexes: Map<string, IndexDetail>;
  /** By function id. */
  functions: Map<string, FunctionDetail>;
}

interface FunctionRow {
  schema: string;
  name: string;
  args: string;
  arg_names: string;
  arg_types: string;
  retset: boolean;
  returns: string;
  body: string;
  language: string;
  volatility: "i" | "s" | "v";
  security_definer: boolean;
  extra: boolean;
}

const truthy = (v: unknown): boolean => v === true || v === "t";

/** Read the details of the given schemas (four round trips). */
export function readPullDetails(db: Queryable, schemas: string[]): Promise<PullDetails> {
  return withCatalogPath(db, async () => {
    const constraints = new Map<string, ConstraintDetail>();
    for (
      const r of await db.query<
        {
          schema: string;
          table: string;
          name: string;
          columns: string | null;
          ref_columns: string | null;
          on_update: string;
          on_delete: string;
          ref_schema: string | null;
          ref_table: string | null;
        }
      >(Q_PULL_CONSTRAINTS, [schemas])
    ) {
      constraints.set(constraintId(r.schema, r.table, r.name), {
        columns: JSON.parse(r.columns ?? "[]"),
        refColumns: JSON.parse(r.ref_columns ?? "[]"),
        ...(r.ref_schema && r.ref_table ? { references: { schema: r.ref_schema, table: r.ref_table } } : {}),
        ...(r.on_update.trim() ? { onUpdate: r.on_update as ActionCode } : {}),
        ...(r.on_delete.trim() ? { onDelete: r.on_delete as ActionCode } : {}),
      });
    }
    const indexes = new Map<string, IndexDetail>();
    for (
      const r of await db.query<
        {
          schema: string;
          name: string;
          method: string;
          is_unique: boolean;
          key_count: number;
          keys: string;
          predicate: string | null;
          has_options: boolean;
        }
      >(Q_PULL_INDEXES, [schemas])
    ) {
      const all = (JSON.parse(r.keys) as Array<{ column: string | null; text: string }>)
        .map((k) => k.column === null ? { text: k.text } : { column: k.column, text: k.text });
      const count = Number(r.key_count);
      indexes.set(indexId(r.schema, r.name), {
        method: r.method,
        unique: truthy(r.is_unique),
        keys: all.slice(0, count),
        include: all.slice(count),
        ...(r.predicate === null ? {} : { predicate: r.predicate }),
        hasOptions: truthy(r.has_options),
      });
    }
    const functions = new Map<string, FunctionDetail>();
    for (const r of await db.query<FunctionRow>(Q_PULL_FUNCTIONS, [schemas])) {
      functions.set(functionId(r.schema, r.name, r.args), {
        argNames: JSON.parse(r.arg_names),
        argTypes: JSON.parse(r.arg_types),
        retset: truthy(r.retset),
        returns: r.returns,
        body: r.body,
        language: r.language,
        volatility: r.volatility,
        securityDefiner: truthy(r.security_definer),
        extra: truthy(r.extra),
      });
    }
    return { constraints, indexes, functions };
  });
}

/** Installed extensions but plpgsql (which every database has), with their schema. */
export const Q_PULL_EXTENSIONS = `
SELECT e.extname AS name, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
ORDER BY 1`;

/** The extensions {@link Q_PULL_EXTENSIONS} lists. */
export async function readPullExtensions(db: Queryable): Promise<Array<{ name: string; schema: string }>> {
  return (await db.query<{ name: string; schema: string }>(Q_PULL_EXTENSIONS)).map((r) => ({
    name: r.name,
    schema: r.schema,
  }));
}
