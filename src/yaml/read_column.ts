/**
 * One `columns:` entry → {@link Column}: the type mapped, the default translated, and the
 * combinations PostgreSQL would refuse reported here, at the line that causes them.
 * @module
 */
import type { Node } from "yaml";
import { translateLql } from "./lql.ts";
import { resolveType, serialTypeFor } from "./portable_types.ts";
import { compact, type Reader } from "./reader.ts";
import { collationProblem, expressionProblem, typeNameProblem } from "./sql_values.ts";
import { nameProblem } from "./names.ts";
import type { Column, IdentityKind } from "./types.ts";

const IDENTITY: Readonly<Record<string, IdentityKind>> = {
  always: "always",
  byDefault: "byDefault",
};

const LQL_HINT = "defaultLqlExpression understands now(), current_timestamp(), gen_uuid(), " +
  "uuid(), current_date(), current_time() and literals; write any other default as SQL " +
  "under defaultValue";

/** Read a column; undefined when its name or type is unusable (the problem is recorded). */
export function readColumn(r: Reader, raw: Node, what: string): Column | undefined {
  const m = r.map(raw, "column", what, ["name", "type"]);
  if (m === undefined) return undefined;
  const e = (key: string) => m.entries.get(key);
  const name = r.name(e("name"));
  const type = r.text(e("type"));
  const defaultValue = r.checked(e("defaultValue"), expressionProblem);
  const defaultLqlExpression = r.sql(e("defaultLqlExpression"));
  const isIdentity = r.bool(e("isIdentity")) ?? false;
  const identity = r.oneOf(e("identity"), IDENTITY);
  const checkConstraint = r.checked(e("checkConstraint"), expressionProblem);
  const checkConstraintName = r.name(e("checkConstraintName"));
  const computedExpression = r.checked(e("computedExpression"), expressionProblem);
  const collation = r.text(e("collation"));
  // A collation written in double quotes goes into the DDL as written; any other is quoted.
  if (collation?.startsWith('"')) r.checked(e("collation"), collationProblem);
  const column = compact<Column>({
    name: name ?? "",
    type: type ?? "",
    pgType: type ?? "",
    isNullable: r.bool(e("isNullable")) ?? true,
    defaultValue,
    defaultLqlExpression,
    defaultSql: defaultValue,
    isIdentity,
    identity,
    checkConstraint,
    checkConstraintName,
    comment: r.sql(e("comment")),
    collation,
    computedExpression,
    renamedFrom: r.name(e("renamedFrom")),
    at: m.at,
    valueAt: m.valueAt,
  });
  if (type !== undefined) {
    const resolved = resolveType(type);
    const typeAt = m.valueAt.type;
    if ("error" in resolved) {
      r.problem(typeAt, resolved.error);
    } else {
      column.pgType = resolved.sql;
      // A type that is not a portable name goes into the DDL as written: it must be one type name.
      const shape = resolved.enum === undefined && resolved.sql === type.trim()
        ? typeNameProblem(resolved.sql)
        : undefined;
      if (shape !== undefined) {
        r.valueProblem(e("type")!, resolved.sql === type ? shape : { ...shape, index: undefined });
      }
      const enumName = resolved.enum === undefined ? undefined : nameProblem(resolved.enum.name);
      if (enumName !== undefined) r.problem(typeAt!, `the enum's name ${enumName.message}`, enumName.hint);
      if (resolved.warning !== undefined) {
        r.warnings.push({ at: typeAt, message: resolved.warning });
      }
      if (resolved.enum !== undefined) {
        column.impliedEnum = { ...resolved.enum, at: typeAt, valueAt: {} };
      }
    }
  }
  if (defaultLqlExpression !== undefined) {
    column.defaultSql = translateLql(defaultLqlExpression);
    const shape = column.defaultSql === undefined ? undefined : expressionProblem(column.defaultSql);
    if (shape !== undefined) r.valueProblem(e("defaultLqlExpression")!, { ...shape, index: undefined });
    if (column.defaultSql === undefined) {
      r.problem(
        m.valueAt.defaultLqlExpression,
        `cannot translate defaultLqlExpression "${defaultLqlExpression}" to SQL ` +
          `(use defaultValue with a SQL expression instead)`,
        LQL_HINT,
      );
    }
  }
  checkCombinations(r, column);
  return name === undefined || type === undefined ? undefined : column;
}

/** Combinations PostgreSQL refuses, reported at the key that makes them wrong. */
function checkCombinations(r: Reader, c: Column): void {
  const identityKey = c.identity !== undefined ? "identity" : c.isIdentity ? "isIdentity" : "";
  const hasDefault = c.defaultValue !== undefined ||
    c.defaultLqlExpression !== undefined;
  const defaultKey = c.defaultLqlExpression !== undefined ? "defaultLqlExpression" : "defaultValue";
  if (identityKey !== "" && c.type !== "" && serialTypeFor(c.pgType) === undefined) {
    r.problem(
      c.valueAt[identityKey]!,
      `${identityKey} needs an integer type (SmallInt, Int or BigInt), got "${c.type}"`,
    );
  }
  if (identityKey !== "" && hasDefault) {
    r.problem(
      c.valueAt[defaultKey]!,
      `column "${c.name}" has ${identityKey}, so it cannot also have ${defaultKey}`,
    );
  }
  if (c.computedExpression !== undefined && (hasDefault || identityKey !== "")) {
    r.problem(
      c.valueAt.computedExpression!,
      `column "${c.name}" has computedExpression, so it cannot also have a default or identity`,
    );
  }
  if (c.checkConstraintName !== undefined && c.checkConstraint === undefined) {
    r.problem(
      c.valueAt.checkConstraintName!,
      `checkConstraintName is set but checkConstraint is missing`,
    );
  }
}
