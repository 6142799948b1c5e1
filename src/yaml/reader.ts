/**
 * Reading YAML nodes while collecting problems instead of stopping at the first one: every
 * reader reports what is wrong at the offending key or value and returns `undefined`, so the
 * caller carries on and the user sees every problem of the file in one run.
 * @module
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar } from "yaml";
import type { SourceSpan } from "../model/ddl.ts";
import type { Problem, SourceRef } from "../model/errors.ts";
import { didYouMean, KEYS, type NodeKind } from "./keys.ts";
import { nameProblem } from "./names.ts";
import type { ValueProblem } from "./sql_values.ts";
import { atIndex, valueSpans } from "./value_spans.ts";

/** One key of a map: its name, where key and value were written, and the value node. */
export interface Entry {
  /** The key. */
  key: string;
  /** Where the key was written (unknown-key problems point here). */
  keyAt: SourceRef;
  /** Where the value was written (wrong-value problems point here). */
  at: SourceRef;
  /** The value node (aliases resolved); never null, null values count as absent. */
  node: Node;
}

/** A validated map: its known, non-null keys. */
export interface MapView {
  /** Where the map starts. */
  at: SourceRef;
  /** Known keys with a value. */
  entries: Map<string, Entry>;
  /** Where each key's value was written. */
  valueAt: Record<string, SourceRef>;
}

/** How list items are read: as names (the default), free text, SQL, or SQL passing a check. */
export type ItemReader = "name" | "text" | "sql" | ((value: string) => ValueProblem | undefined);

/** Problem collector and node reader for one file. */
export class Reader {
  /** Every problem found so far. */
  readonly problems: Problem[] = [];
  /** Non-fatal remarks found so far. */
  readonly warnings: Array<{ at: SourceRef; message: string }> = [];

  /** Read nodes of `doc`, locating them in `file` through `lines`; `text` is the file's text. */
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
    private readonly source: string = "",
  ) {}

  /** Where each character of a string scalar was written, when it was copied verbatim. */
  spans(node: Scalar): SourceSpan[] | undefined {
    return valueSpans(node, this.source, this.lines, this.file);
  }

  /**
   * Record a problem found in the value of `e` by `check`: at the character it names when the
   * value was written verbatim, else at the value.
   */
  valueProblem(e: Entry, p: ValueProblem, what: string = `"${e.key}"`): void {
    const exact = p.index === undefined || !isScalar(e.node) ? undefined : atIndex(this.spans(e.node), p.index);
    this.problem(exact ?? e.at, `${what}: ${p.message}`, p.hint);
  }

  /** SQL that must pass `check` (one expression, one type…): read as {@link sql}, checked, kept. */
  checked(e: Entry | undefined, check: (value: string) => ValueProblem | undefined): string | undefined {
    const value = this.sql(e);
    if (value === undefined) return undefined;
    const p = check(value);
    if (p !== undefined) this.valueProblem(e!, p);
    return value;
  }

  /** A name (of a table, column, constraint…): a non-empty string PostgreSQL keeps whole. */
  name(e: Entry | undefined): string | undefined {
    const value = this.text(e);
    const p = value === undefined ? undefined : nameProblem(value);
    if (p !== undefined) this.valueProblem(e!, p);
    return value;
  }

  /** The location of a node, or of `fallback` when the node has none. */
  at(node: unknown, fallback?: SourceRef): SourceRef {
    const offset = (node as { range?: [number, number, number] } | null)?.range
      ?.[0];
    if (offset === undefined) {
      return fallback ?? { file: this.file, line: 1, column: 1 };
    }
    return this.atOffset(offset);
  }

  /** The location of a character offset. */
  atOffset(offset: number): SourceRef {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** Record a problem. */
  problem(at: SourceRef, message: string, hint?: string): void {
    this.problems.push(hint === undefined ? { at, message } : { at, message, hint });
  }

  /** Follow aliases (`*x`) to the node they name; null stays null. */
  resolve(node: unknown): Node | null {
    if (isAlias(node)) return node.resolve(this.doc) ?? null;
    return (node as Node | null) ?? null;
  }

  /**
   * Read a map of the given kind: unknown keys are problems (with a suggestion), duplicates
   * are left to the YAML parser (which reports them), missing required keys are problems.
   */
  map(
    raw: unknown,
    kind: NodeKind,
    what: string,
    required: readonly string[],
    fallback?: SourceRef,
  ): MapView | undefined {
    const node = this.resolve(raw);
    const at = this.at(node, fallback);
    if (!isMap(node)) {
      this.problem(at, `${what} must be a map, got ${describe(node)}`);
      return undefined;
    }
    const allowed: readonly string[] = KEYS[kind];
    const view: MapView = { at, entries: new Map(), valueAt: {} };
    for (const pair of node.items) {
      const keyNode = this.resolve(pair.key);
      const keyAt = this.at(keyNode, at);
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof key !== "string") {
        this.problem(keyAt, `${what} has a key that is not a name: ${describe(keyNode)}`);
        continue;
      }
      if (!allowed.includes(key)) {
        const hint = `valid keys of ${what}: ${allowed.join(", ")}`;
        this.problem(keyAt, `unknown key "${key}"${didYouMean(key, allowed)}`, hint);
        continue;
      }
      const value = this.resolve(pair.value);
      if (view.entries.has(key) || value === null || isNullScalar(value)) {
        continue;
      }
      const entry = { key, keyAt, at: this.at(value, keyAt), node: value };
      view.entries.set(key, entry);
      view.valueAt[key] = entry.at;
    }
    for (const key of required) {
      if (!view.entries.has(key)) {
        this.problem(at, `${what} is missing required key "${key}"`);
      }
    }
    return view;
  }

  /** A non-empty string (names, types): other scalars are a wrong type. */
  text(e: Entry | undefined): string | undefined {
    if (e === undefined) return undefined;
    if (!isScalar(e.node) || typeof e.node.value !== "string") {
      this.problem(e.at, `"${e.key}" must be a string, got ${describe(e.node)}`);
      return undefined;
    }
    if (e.node.value.trim() === "") {
      this.problem(e.at, `"${e.key}" must not be empty`);
      return undefined;
    }
    return e.node.value;
  }

  /** SQL or free text: any scalar, as written (`defaultValue: 1.50` stays `1.50`). */
  sql(e: Entry | undefined): string | undefined {
    if (e === undefined) return undefined;
    if (!isScalar(e.node)) {
      this.problem(e.at, `"${e.key}" must be a string, got ${describe(e.node)}`);
      return undefined;
    }
    const v = e.node.value;
    const s = typeof v === "string" ? v : String(e.node.source ?? v);
    if (s.trim() === "") {
      this.problem(e.at, `"${e.key}" must not be empty`);
      return undefined;
    }
    return s;
  }

  /** true or false. */
  bool(e: Entry | undefined): boolean | undefined {
    if (e === undefined) return undefined;
    if (!isScalar(e.node) || typeof e.node.value !== "boolean") {
      this.problem(e.at, `"${e.key}" must be true or false, got ${describe(e.node)}`);
      return undefined;
    }
    return e.node.value;
  }

  /** The items of a list, aliases resolved. */
  list(e: Entry | undefined): Node[] | undefined {
    if (e === undefined) return undefined;
    if (!isSeq(e.node)) {
      this.problem(e.at, `"${e.key}" must be a list, got ${describe(e.node)}`);
      return undefined;
    }
    return e.node.items.map((item) => this.resolve(item) as Node);
  }

  /** A list of non-empty strings (column names, role names); bad items are problems. */
  textList(e: Entry | undefined, read: ItemReader = "name"): string[] | undefined {
    return this.locatedList(e, read)?.map((item) => item.value);
  }

  /** Like {@link textList}, keeping where each item was written. */
  locatedList(
    e: Entry | undefined,
    read: ItemReader = "name",
  ): Array<{ value: string; at: SourceRef }> | undefined {
    const items = this.list(e);
    if (e === undefined || items === undefined) return undefined;
    const out: Array<{ value: string; at: SourceRef }> = [];
    items.forEach((node, i) => {
      const item = { key: `${e.key}[${i}]`, keyAt: e.keyAt, at: this.at(node, e.at), node };
      const value = read === "text"
        ? this.text(item)
        : read === "name"
        ? this.name(item)
        : read === "sql"
        ? this.sql(item)
        : this.checked(item, read);
      if (value !== undefined) out.push({ value, at: item.at });
    });
    return out;
  }

  /** A case-insensitive enum-like value, mapped through `values` (spelled as documented). */
  oneOf<T>(e: Entry | undefined, values: Readonly<Record<string, T>>): T | undefined {
    if (e === undefined) return undefined;
    const written = isScalar(e.node) ? e.node.value : undefined;
    if (typeof written !== "string") {
      this.problem(e.at, `"${e.key}" must be a string, got ${describe(e.node)}`);
      return undefined;
    }
    const names = Object.keys(values);
    const match = names.find((n) => n.toLowerCase() === written.toLowerCase());
    if (match !== undefined) return values[match];
    this.problem(
      e.at,
      `unknown ${e.key} "${written}"${didYouMean(written, names)}`,
      `valid values: ${names.join(", ")}`,
    );
    return undefined;
  }
}

function isNullScalar(node: Node): boolean {
  return isScalar(node) && node.value === null;
}

/** A short description of a node for "got …" messages. */
export function describe(node: unknown): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a map";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "null";
    if (typeof v === "string") return `"${v}"`;
    return `${typeof v} ${String(node.source ?? v)}`;
  }
  return "an unexpected node";
}

/** A copy of `o` without undefined properties, so nodes compare and print cleanly. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
