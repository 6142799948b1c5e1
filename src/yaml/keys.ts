/**
 * The keys each kind of schema.yaml node accepts, and the "did you mean" suggestion for a key
 * or value that is not one of them.
 * @module
 */

/** A kind of schema.yaml node that has a key list. */
export type NodeKind =
  | "top"
  | "table"
  | "column"
  | "primaryKey"
  | "foreignKey"
  | "uniqueConstraint"
  | "checkConstraint"
  | "index"
  | "rowLevelSecurity"
  | "policy"
  | "enum"
  | "function"
  | "functionArgument"
  | "sqlItem"
  | "role"
  | "grant"
  | "extension"
  | "view";

/** Accepted keys per node kind (camelCase, case-sensitive). */
export const KEYS: Readonly<Record<NodeKind, readonly string[]>> = {
  top: [
    "name",
    "tables",
    "roles",
    "functions",
    "grants",
    "schemas",
    "extensions",
    "enums",
    "views",
    "sql",
  ],
  table: [
    "name",
    "schema",
    "columns",
    "primaryKey",
    "foreignKeys",
    "uniqueConstraints",
    "checkConstraints",
    "indexes",
    "rowLevelSecurity",
    "comment",
    "renamedFrom",
  ],
  column: [
    "name",
    "type",
    "isNullable",
    "defaultValue",
    "defaultLqlExpression",
    "isIdentity",
    "identity",
    "checkConstraint",
    "checkConstraintName",
    "comment",
    "collation",
    "computedExpression",
    "renamedFrom",
  ],
  primaryKey: ["name", "columns"],
  foreignKey: [
    "name",
    "columns",
    "referencedTable",
    "referencedSchema",
    "referencedColumns",
    "onDelete",
    "onUpdate",
  ],
  uniqueConstraint: ["name", "columns"],
  checkConstraint: ["name", "expression"],
  index: ["name", "columns", "expressions", "isUnique", "filter", "method", "include"],
  rowLevelSecurity: ["enabled", "forced", "policies"],
  policy: [
    "name",
    "permissive",
    "operations",
    "roles",
    "using",
    "withCheck",
    "usingSql",
    "withCheckSql",
  ],
  enum: ["schema", "name", "values", "renamedValues"],
  function: [
    "schema",
    "name",
    "arguments",
    "returns",
    "language",
    "volatility",
    "securityDefiner",
    "body",
    "bodyLql",
    "executeRoles",
    "revokePublicExecute",
  ],
  functionArgument: ["name", "type"],
  sqlItem: ["sql", "load"],
  role: ["name", "login", "bypassRls", "grantTo"],
  grant: ["schema", "target", "objectName", "privileges", "roles", "runAs"],
  extension: ["name", "schema", "version"],
  view: ["schema", "name", "sql", "materialized"],
};

/** Levenshtein distance; inputs are short keys, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `word`, or undefined when none is close enough to be a likely typo.
 * A case-only difference always wins, since keys are case-sensitive and that is the usual slip.
 *
 * @example
 * ```ts
 * suggest("isNulable", KEYS.column); // "isNullable"
 * ```
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  // Allow about one typo per three characters, but at least two, so short keys still match.
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)` when a suggestion exists, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? "" : ` (did you mean "${s}"?)`;
}
