/**
 * Proof that a YAML value holds exactly what its key says: one SQL expression, one type name, one
 * query. The renderer pastes these values into DDL, so a value that closes its expression and goes
 * on (`'x', injected int`, `id > 0), ADD COLUMN evil int, ADD CHECK (true`, `…; CREATE TABLE evil`)
 * would declare objects nobody wrote a key for. PostgreSQL's own lexer and grammar decide (see
 * model/sql_parser.ts): the value's tokens must keep their brackets balanced, never close one they
 * did not open, hold no `;` and no top-level `,`; and the value put where the renderer puts it must
 * parse as exactly one statement of the expected shape.
 * @module
 */
import { parseSql, scanSql } from "../model/sql_parser.ts";

/** What is wrong with a value: a sentence, a remedy, and where in the value (a JS string index). */
export interface ValueProblem {
  /** Plain sentence, naming what was found. */
  message: string;
  /** What to do. */
  hint: string;
  /** Index in the value where the problem starts; undefined when the whole value is wrong. */
  index?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The JS string index of a UTF-8 byte offset of `text` (scan offsets are bytes). */
export function charIndex(text: string, byteOffset: number): number {
  return decoder.decode(encoder.encode(text).slice(0, byteOffset)).length;
}

/** A short quote of what follows `index`, for messages. */
function excerpt(value: string, index: number): string {
  const rest = value.slice(index).replaceAll(/\s+/g, " ").trim();
  return JSON.stringify(rest.length > 60 ? `${rest.slice(0, 57)}...` : rest);
}

/**
 * The first token that breaks out of a single item: a `)`/`]` closing what the value did not open,
 * a `;`, or a `,` outside any bracket. Undefined when none does (or the value does not scan: the
 * parser then says why).
 */
function escapeToken(value: string, what: string): ValueProblem | undefined {
  let tokens;
  try {
    tokens = scanSql(value).tokens;
  } catch {
    return undefined;
  }
  let depth = 0;
  for (const t of tokens) {
    const index = charIndex(value, t.start);
    if (t.text === "(" || t.text === "[") depth++;
    else if (t.text === ")" || t.text === "]") {
      if (--depth < 0) {
        return {
          index,
          message: `"${t.text}" closes a bracket the value did not open, so ${
            excerpt(value, index + 1)
          } after it is outside the ${what}`,
          hint: HINT,
        };
      }
    } else if (t.text === ";") {
      return {
        index,
        message: `";" ends the statement, so ${excerpt(value, index + 1)} after it would run as SQL of its own`,
        hint: HINT,
      };
    } else if (t.text === "," && depth === 0) {
      return {
        index,
        message: `"," outside brackets starts a second item: ${excerpt(value, index)} is not part of one ${what}`,
        hint: HINT,
      };
    }
  }
  return undefined;
}

const HINT = "A key holds one SQL expression (or one name); declare anything else with its own key, " +
  "or as a `sql:` item.";

/** PostgreSQL's parse of `sql`, or its syntax error as a problem. */
function parsed(sql: string, value: string, what: string): { stmts: unknown[] } | ValueProblem {
  try {
    return { stmts: (parseSql(sql).stmts ?? []).map((s) => s.stmt) };
  } catch (e) {
    return {
      message: `${JSON.stringify(value)} is not one valid ${what}: ${(e as Error).message}`,
      hint: `Write one ${what} (PostgreSQL's parser checked it).`,
    };
  }
}

/** The single node of `stmts` of type `type`, or undefined. */
function only(stmts: unknown[], type: string): Record<string, unknown> | undefined {
  if (stmts.length !== 1) return undefined;
  const node = (stmts[0] as Record<string, unknown> | undefined)?.[type];
  return node as Record<string, unknown> | undefined;
}

/**
 * The alias after a value that is not wrapped in parentheses: a trailing `--` comment in the
 * value would swallow it (as it would swallow `NOT NULL` after a column type), so the parse shows.
 */
const SENTINEL = "pgc_value_end";

/** The one target's value of a `SELECT <x> [AS alias]` with nothing else, or undefined. */
function soleTarget(stmts: unknown[], alias?: string): Record<string, unknown> | undefined {
  const select = only(stmts, "SelectStmt");
  if (select === undefined) return undefined;
  const extra = Object.keys(select).filter((k) => !["targetList", "limitOption", "op"].includes(k));
  const targets = select.targetList as Array<{ ResTarget?: Record<string, unknown> }> | undefined;
  if (extra.length > 0 || select.op !== "SETOP_NONE" || targets?.length !== 1) return undefined;
  const target = targets[0].ResTarget;
  if (target === undefined || target.name !== alias || target.indirection !== undefined) return undefined;
  return target.val as Record<string, unknown> | undefined;
}

function notOne(value: string, what: string): ValueProblem {
  return { message: `${JSON.stringify(value)} is not just one ${what}: PostgreSQL reads more into it`, hint: HINT };
}

/**
 * Characters and pairs that a value must hold to leave the parentheses it is put in, end the
 * statement, start a second item, open a comment, or hide any of these in a literal or quoted
 * name. A value with none of them cannot be more than what is inside the parentheses (an unclosed
 * `(` in it only unbalances the statement, which PostgreSQL then rejects in the shadow at the
 * value's line), so it needs no parse here: the parser costs ~0.2 ms a value, and a file of
 * thousands of tables holds tens of thousands of them.
 */
const MAY_ESCAPE = /[;,)\]'"$\\]|--|\/\*/;

/** Results by value: files repeat their defaults, checks and types many times. */
const memo = new Map<string, ValueProblem | undefined>();
const MEMO_LIMIT = 50_000;

function remembered(kind: string, value: string, check: () => ValueProblem | undefined): ValueProblem | undefined {
  const key = `${kind}\u0000${value}`;
  if (memo.has(key)) return memo.get(key);
  const result = check();
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

/**
 * Whether `value` is exactly one SQL expression, as the renderer puts it: inside parentheses.
 *
 * @example
 * ```ts
 * await ensureSqlParser();
 * expressionProblem("now()"); // undefined
 * expressionProblem("'x', injected int")?.message; // '"," outside brackets starts a second item: …'
 * ```
 */
export function expressionProblem(value: string): ValueProblem | undefined {
  // A NUL would end the text PostgreSQL's parser (and the server) reads: always parsed, and refused.
  if (!MAY_ESCAPE.test(value) && !value.includes("\u0000")) return undefined;
  return remembered("expression", value, () => parsedExpressionProblem(value));
}

function parsedExpressionProblem(value: string): ValueProblem | undefined {
  const what = "SQL expression";
  const escape = escapeToken(value, what);
  if (escape !== undefined) return escape;
  // A newline before the closing parenthesis would let a trailing `--` comment pass here and
  // swallow the parenthesis in the DDL; the renderer writes none either.
  const tree = parsed(`SELECT (${value})`, value, what);
  if (!("stmts" in tree)) return tree;
  return soleTarget(tree.stmts) === undefined ? notOne(value, what) : undefined;
}

/**
 * Whether `value` is exactly one type name (`integer`, `numeric(12,2)`, `public.my_enum[]`,
 * `timestamp(3) with time zone`), as a column or argument type.
 */
export function typeNameProblem(value: string): ValueProblem | undefined {
  return remembered("type", value, () => parsedTypeNameProblem(value));
}

function parsedTypeNameProblem(value: string): ValueProblem | undefined {
  const what = "type name";
  const escape = escapeToken(value, what);
  if (escape !== undefined) return escape;
  const tree = parsed(`SELECT NULL::${value} AS ${SENTINEL}`, value, what);
  if (!("stmts" in tree)) return tree;
  const cast = soleTarget(tree.stmts, SENTINEL)?.TypeCast as Record<string, unknown> | undefined;
  const arg = (cast?.arg as Record<string, { isnull?: boolean }> | undefined)?.A_Const;
  return arg?.isnull === true ? undefined : notOne(value, what);
}

/**
 * Whether `value` is exactly a function's result type (`integer`, `SETOF public.users`,
 * `TABLE (id int, name text)`), as it follows `RETURNS`.
 */
export function resultTypeProblem(value: string): ValueProblem | undefined {
  const what = "result type";
  const escape = escapeToken(value, what);
  if (escape !== undefined) return escape;
  const tree = parsed(`CREATE FUNCTION pgc_probe() RETURNS ${value} LANGUAGE sql AS ''`, value, what);
  if (!("stmts" in tree)) return tree;
  const fn = only(tree.stmts, "CreateFunctionStmt");
  const options = (fn?.options as Array<{ DefElem?: { defname?: string } }> | undefined) ?? [];
  const names = options.map((o) => o.DefElem?.defname).sort().join(",");
  return fn !== undefined && names === "as,language" ? undefined : notOne(value, what);
}

/** Whether `value` is exactly one query, as a view's body (`CREATE VIEW … AS <value>`). */
export function queryProblem(value: string): ValueProblem | undefined {
  const what = "query";
  let semicolon: number | undefined;
  try {
    semicolon = scanSql(value).tokens.find((t) => t.text === ";")?.start;
  } catch {
    // The parser says why below.
  }
  if (semicolon !== undefined) {
    const index = charIndex(value, semicolon);
    return {
      index,
      message: `";" ends the query, so ${excerpt(value, index + 1)} after it would run as SQL of its own`,
      hint: "A view's sql is one query; put other statements in a `sql:` item.",
    };
  }
  const tree = parsed(`CREATE VIEW pgc_probe AS ${value}`, value, what);
  if (!("stmts" in tree)) return tree;
  const view = only(tree.stmts, "ViewStmt");
  const query = (view?.query as Record<string, Record<string, unknown>> | undefined)?.SelectStmt;
  const plain = view !== undefined && view.options === undefined && view.withCheckOption === "NO_CHECK_OPTION";
  return plain && query !== undefined && query.intoClause === undefined ? undefined : notOne(value, what);
}

/**
 * Whether `value` is one collation name (`"C"`, `"en-US-x-icu"`, `pg_catalog."default"`), as it
 * follows `COLLATE`.
 */
export function collationProblem(value: string): ValueProblem | undefined {
  const what = "collation name";
  const escape = escapeToken(value, what);
  if (escape !== undefined) return escape;
  const tree = parsed(`SELECT NULL COLLATE ${value} AS ${SENTINEL}`, value, what);
  if (!("stmts" in tree)) return tree;
  const collate = soleTarget(tree.stmts, SENTINEL)?.CollateClause as Record<string, unknown> | undefined;
  const arg = (collate?.arg as Record<string, { isnull?: boolean }> | undefined)?.A_Const;
  return arg?.isnull === true ? undefined : notOne(value, what);
}
