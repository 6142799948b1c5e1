/**
 * Where the characters of a YAML string value were written, for the scalar forms whose text is
 * copied verbatim from the file: a literal block (`|`, one span per line) or a single-line plain or
 * quoted scalar without escapes. Lets a problem found at character `i` of a value (a `sql:` item
 * PostgreSQL rejects, a `;` inside a CHECK) point at its own line and column.
 * @module
 */
import { type LineCounter, Scalar } from "yaml";
import type { SourceSpan } from "../model/ddl.ts";
import type { SourceRef } from "../model/errors.ts";

/** Exact spans of `node`'s value in `text` (the whole file), or undefined for other forms. */
export function valueSpans(
  node: Scalar,
  text: string,
  lines: LineCounter,
  file: string,
): SourceSpan[] | undefined {
  const range = node.range;
  const value = node.value;
  if (range === undefined || range === null || typeof value !== "string") return undefined;
  const at = (offset: number): SourceRef => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  if (node.type === Scalar.BLOCK_LITERAL) {
    const headerEnd = text.indexOf("\n", range[0]);
    if (headerEnd < 0) return undefined;
    const raw = text.slice(headerEnd + 1, range[1]).split("\n");
    const indent = Math.min(
      ...raw.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length),
    );
    const spans: SourceSpan[] = [];
    let start = 0;
    let offset = headerEnd + 1;
    for (const [i, line] of value.split("\n").entries()) {
      if (raw[i] === undefined || raw[i].slice(indent) !== line) return undefined;
      spans.push({ start, source: at(offset + indent), exact: true });
      start += line.length + 1;
      offset += raw[i].length + 1;
    }
    return spans;
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  const from = range[0] + (quoted ? 1 : 0);
  if (!value.includes("\n") && text.slice(from, from + value.length) === value) {
    return [{ start: 0, source: at(from), exact: true }];
  }
  return undefined;
}

/** The location of character `index` of a value with these spans, or undefined when not exact. */
export function atIndex(spans: readonly SourceSpan[] | undefined, index: number): SourceRef | undefined {
  const span = spans?.findLast((s) => s.start <= index);
  if (span === undefined || !span.exact) return undefined;
  return { ...span.source, column: span.source.column + index - span.start };
}
