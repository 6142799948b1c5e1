/**
 * Quoting of identifiers and literals: the one place SQL text is built from names.
 *
 * The rule mirrors PostgreSQL's own `quote_ident()` so that names we print look exactly like
 * the names PostgreSQL prints in `pg_get_constraintdef` and friends.
 * @module
 */

/** Keywords that `quote_ident()` quotes (every category except unreserved), PostgreSQL 15. */
const QUOTED_KEYWORDS: ReadonlySet<string> = new Set([
  "all",
  "analyse",
  "analyze",
  "and",
  "any",
  "array",
  "as",
  "asc",
  "asymmetric",
  "authorization",
  "between",
  "bigint",
  "binary",
  "bit",
  "boolean",
  "both",
  "case",
  "cast",
  "char",
  "character",
  "check",
  "coalesce",
  "collate",
  "collation",
  "column",
  "concurrently",
  "constraint",
  "create",
  "cross",
  "current_catalog",
  "current_date",
  "current_role",
  "current_schema",
  "current_time",
  "current_timestamp",
  "current_user",
  "dec",
  "decimal",
  "default",
  "deferrable",
  "desc",
  "distinct",
  "do",
  "else",
  "end",
  "except",
  "exists",
  "extract",
  "false",
  "fetch",
  "float",
  "for",
  "foreign",
  "freeze",
  "from",
  "full",
  "grant",
  "greatest",
  "group",
  "grouping",
  "having",
  "ilike",
  "in",
  "initially",
  "inner",
  "inout",
  "int",
  "integer",
  "intersect",
  "interval",
  "into",
  "is",
  "isnull",
  "join",
  "lateral",
  "leading",
  "least",
  "left",
  "like",
  "limit",
  "localtime",
  "localtimestamp",
  "national",
  "natural",
  "nchar",
  "none",
  "normalize",
  "not",
  "notnull",
  "null",
  "nullif",
  "numeric",
  "offset",
  "on",
  "only",
  "or",
  "order",
  "out",
  "outer",
  "overlaps",
  "overlay",
  "placing",
  "position",
  "precision",
  "primary",
  "real",
  "references",
  "returning",
  "right",
  "row",
  "select",
  "session_user",
  "setof",
  "similar",
  "smallint",
  "some",
  "substring",
  "symmetric",
  "table",
  "tablesample",
  "then",
  "time",
  "timestamp",
  "to",
  "trailing",
  "treat",
  "trim",
  "true",
  "union",
  "unique",
  "user",
  "using",
  "values",
  "varchar",
  "variadic",
  "verbose",
  "when",
  "where",
  "window",
  "with",
  "xmlattributes",
  "xmlconcat",
  "xmlelement",
  "xmlexists",
  "xmlforest",
  "xmlnamespaces",
  "xmlparse",
  "xmlpi",
  "xmlroot",
  "xmlserialize",
  "xmltable",
]);

/**
 * Quote an identifier the way PostgreSQL's `quote_ident()` does: bare when it is a lowercase
 * word that is not a keyword, double-quoted (with inner quotes doubled) otherwise.
 *
 * @example
 * ```ts
 * quoteIdent("kind"); // kind
 * quoteIdent("Kind"); // "Kind"
 * quoteIdent("user"); // "user"
 * ```
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !QUOTED_KEYWORDS.has(name)) return name;
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quote a schema-qualified name: `schema.name`, each part through {@link quoteIdent}. */
export function qualify(schema: string, name: string): string {
  return quoteIdent(schema) + "." + quoteIdent(name);
}

/** Quote a string literal in standard SQL form (`standard_conforming_strings` on): `'it''s'`. */
export function quoteLiteral(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}
