/**
 * Mutants of valid schema.yaml files for the fuzz test: keys deleted, swapped and retyped, values
 * truncated or replaced with random unicode, SQL fragments put into expression keys, and the text
 * itself cut or spliced. A mutant is a pure function of the arbitrary's value, so a failing case
 * replays from its seed.
 * @module
 */
import fc from "fast-check";
import { isMap, isScalar, isSeq, type Node, parseDocument, type Scalar } from "yaml";

/** Keys whose values are SQL expressions (or queries) the renderer pastes into DDL. */
export const EXPRESSION_KEYS: readonly string[] = [
  "defaultValue",
  "checkConstraint",
  "computedExpression",
  "expression",
  "filter",
  "expressions",
  "usingSql",
  "withCheckSql",
  "using",
  "withCheck",
  "sql",
  "type",
  "returns",
  "collation",
];

/** Fragments that try to close an expression and go on, and tricky ones that do not. */
export const SQL_FRAGMENTS: readonly string[] = [
  "'x', injected int",
  "id > 0), ADD COLUMN evil int, ADD CHECK (true",
  "id > 0; CREATE TABLE evil (x int)",
  "1) , evil int --",
  "true) WITH CHECK (false",
  '1 COLLATE "C"',
  "$$x$$; DROP TABLE t",
  "1 ) ; --",
  "1 /* ) , evil int */",
  "'a'', evil int'",
  "$q$), evil int$q$",
  "E'\\'), evil int'",
  '"x"), evil int --',
  "1 -- , evil int\n",
  "(SELECT 1)",
  "ARRAY[1, 2]",
  "1]) , evil int",
  "lower(x)) INCLUDE (y",
  "x) WHERE (true",
  "int, evil int",
  "int DEFAULT 1",
  "SELECT 1; CREATE TABLE evil (x int)",
  "1 /* unterminated",
  "'unterminated",
  "\u0000",
  "é ü 𝔘 , evil int",
];

/** Keys whose values are boolean SQL expressions. */
export const BOOLEAN_KEYS: readonly string[] = [
  "checkConstraint",
  "expression",
  "filter",
  "usingSql",
  "withCheckSql",
  "using",
  "withCheck",
];

/** Boolean fragments that look like they break out but are one expression: the shadow runs them. */
export const BOOLEAN_FRAGMENTS: readonly string[] = [
  "true /* ) , evil int */",
  "'a'', evil int' IS NOT NULL",
  "$q$), evil int$q$ IS NOT NULL",
  "E'\\'), evil int' <> ''",
  "1 -- ), evil int\n = 1",
  "ARRAY[1, 2] @> ARRAY[1]",
  "'é, 𝔘; evil' = 'x'",
  "(1) = (1)",
];

/** One edit of a file. */
export type Mutation =
  | { kind: "delete"; pick: number }
  | { kind: "swap"; pick: number; other: number }
  | { kind: "retype"; pick: number; value: unknown }
  | { kind: "truncate"; pick: number; keep: number }
  | { kind: "unicode"; pick: number; text: string }
  | { kind: "fragment"; pick: number; fragment: string; mode: "replace" | "append" }
  | { kind: "conjoin"; pick: number; fragment: string }
  | { kind: "cut"; at: number }
  | { kind: "splice"; at: number; text: string };

/** A random mutation. */
export function mutationArb(): fc.Arbitrary<Mutation> {
  const pick = fc.nat();
  return fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), pick }),
    fc.record({ kind: fc.constant("swap" as const), pick, other: fc.nat() }),
    fc.record({
      kind: fc.constant("retype" as const),
      pick,
      value: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.double()),
    }),
    fc.record({ kind: fc.constant("truncate" as const), pick, keep: fc.nat({ max: 20 }) }),
    fc.record({ kind: fc.constant("unicode" as const), pick, text: fc.string({ unit: "binary", maxLength: 12 }) }),
    {
      // Weighted: the fragments are what the test is about.
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("fragment" as const),
        pick,
        fragment: fc.constantFrom(...SQL_FRAGMENTS),
        mode: fc.constantFrom("replace" as const, "append" as const),
      }),
    },
    { weight: 2, arbitrary: conjoinArb() },
    fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant("splice" as const),
      at: fc.nat(),
      text: fc.string({ unit: "binary", maxLength: 6 }),
    }),
  );
}

/** A mutation that ANDs a tricky but single boolean expression onto a boolean key. */
export function conjoinArb(): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constant("conjoin" as const),
    pick: fc.nat(),
    fragment: fc.constantFrom(...BOOLEAN_FRAGMENTS),
  });
}

/** Every map entry of the tree, as [map, index], in document order. */
function pairs(node: Node | null, out: Array<{ items: unknown[]; i: number }> = []) {
  if (isMap(node)) {
    node.items.forEach((p, i) => {
      out.push({ items: node.items, i });
      pairs(p.value as Node, out);
    });
  } else if (isSeq(node)) { for (const item of node.items) pairs(item as Node, out); }
  return out;
}

/** The mutant of `text` after `mutations`, and whether a SQL fragment went into an expression key. */
export function mutate(text: string, mutations: readonly Mutation[]): { text: string; fragment: boolean } {
  let fragment = false;
  for (const m of mutations) {
    if (m.kind === "cut") {
      text = text.slice(0, m.at % (text.length + 1));
      continue;
    }
    if (m.kind === "splice") {
      const at = m.at % (text.length + 1);
      text = text.slice(0, at) + m.text + text.slice(at);
      continue;
    }
    const doc = parseDocument(text);
    if (doc.errors.length > 0) continue;
    const all = pairs(doc.contents as Node | null);
    const keyed = (keys: readonly string[]) =>
      all.filter(({ items, i }) => keys.includes(String((items[i] as { key: Scalar }).key?.value)));
    const list = m.kind === "fragment" ? keyed(EXPRESSION_KEYS) : m.kind === "conjoin" ? keyed(BOOLEAN_KEYS) : all;
    if (list.length === 0) continue;
    const { items, i } = list[m.pick % list.length];
    const pair = items[i] as { key: Scalar; value: Node | null };
    switch (m.kind) {
      case "delete":
        items.splice(i, 1);
        break;
      case "swap": {
        const other = all[m.other % all.length];
        const o = other.items[other.i] as { key: Scalar; value: Node | null };
        [pair.value, o.value] = [o.value, pair.value];
        break;
      }
      case "retype":
        pair.value = doc.createNode(m.value) as Node;
        break;
      case "truncate":
        if (isScalar(pair.value) && typeof pair.value.value === "string") {
          pair.value.value = pair.value.value.slice(0, m.keep);
        }
        break;
      case "unicode":
        pair.value = doc.createNode(m.text) as Node;
        break;
      case "conjoin":
        if (isScalar(pair.value)) {
          pair.value.value = `(${String(pair.value.value)}) AND (${m.fragment})`;
          fragment = true;
        }
        break;
      case "fragment": {
        const put = (s: Scalar) => {
          s.value = m.mode === "replace" ? m.fragment : `${String(s.value)}${m.fragment}`;
        };
        if (isScalar(pair.value)) put(pair.value);
        else if (isSeq(pair.value) && isScalar(pair.value.items[0])) put(pair.value.items[0] as Scalar);
        else pair.value = doc.createNode(m.fragment) as Node;
        fragment = true;
        break;
      }
    }
    text = doc.toString();
  }
  return { text, fragment };
}
