/**
 * A pulled schema.yaml document → text, with the `yaml` package (so quoting is always right):
 * short columns and name lists on one line, the way schema.yaml files are usually written, long
 * or multi-line values in block style. Pure and deterministic.
 * @module
 */
import { Document, isMap, isScalar, isSeq, type Node, visit } from "yaml";
import type { YamlDoc } from "./build.ts";

/** Widest one-line (flow) map or list, in characters. */
const FLOW_WIDTH = 110;

/** Whether every value under `node` is a one-line scalar (or a list of them). */
function allShortScalars(node: Node): boolean {
  if (isScalar(node)) return !String(node.value).includes("\n");
  if (isSeq(node)) return node.items.every((i) => isScalar(i) && !String(i.value).includes("\n"));
  if (isMap(node)) return node.items.every((p) => allShortScalars(p.value as Node));
  return false;
}

/**
 * The YAML text of a document, after `header` (comment lines, without `#`).
 *
 * @example
 * ```ts
 * pulledYamlText({ tables: [{ name: "t", columns: [{ name: "id", type: "Int" }] }] }, ["pulled"]);
 * // "# pulled\n\ntables:\n  - name: t\n    columns:\n      - { name: id, type: Int }\n"
 * ```
 */
export function pulledYamlText(doc: YamlDoc, header: string[]): string {
  const d = new Document(doc, { aliasDuplicateObjects: false });
  d.commentBefore = header.map((l) => ` ${l}`.trimEnd()).join("\n");
  visit(d, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i) && !String(i.value).includes("\n"))) node.flow = true;
    },
    Map(_, node) {
      if (allShortScalars(node)) node.flow = true;
    },
  });
  // Measure each flow node as printed; one that is too wide goes back to block style.
  visit(d, {
    Map(_, node) {
      if (node.flow && oneLine(node).length > FLOW_WIDTH) node.flow = false;
    },
    Seq(_, node) {
      if (node.flow && oneLine(node).length > FLOW_WIDTH) node.flow = false;
    },
  });
  // The document itself is never one line.
  if (isMap(d.contents)) d.contents.flow = false;
  return d.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function oneLine(node: Node): string {
  return new Document(node, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 }).trim();
}
