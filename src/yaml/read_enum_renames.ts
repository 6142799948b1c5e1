/**
 * `renamedValues` of an enum (ext): `{old: new}` pairs declaring that a label was renamed, so plan
 * writes `ALTER TYPE … RENAME VALUE` instead of removing one label and adding another (which
 * would recreate the type and ask the rows holding the old label to be fixed by hand).
 * @module
 */
import { isMap, isScalar } from "yaml";
import type { SourceRef } from "../model/errors.ts";
import type { Entry, Reader } from "./reader.ts";

/** One declared label rename. */
export interface LabelRename {
  /** The label as the live type has it. */
  from: string;
  /** The label it becomes (listed under `values`). */
  to: string;
  /** Where the pair was written. */
  at: SourceRef;
}

/** Read and check `renamedValues` against the enum's `values`; every problem is reported. */
export function readRenamedValues(
  r: Reader,
  e: Entry | undefined,
  enumName: string,
  values: string[],
): LabelRename[] | undefined {
  if (e === undefined) return undefined;
  if (!isMap(e.node)) {
    r.problem(e.at, `"renamedValues" must be a map of old label: new label`);
    return undefined;
  }
  const out: LabelRename[] = [];
  for (const pair of e.node.items) {
    const key = r.resolve(pair.key);
    const value = r.resolve(pair.value);
    const at = r.at(key, e.at);
    if (!isScalar(key) || typeof key.value !== "string" || !isScalar(value) || typeof value.value !== "string") {
      r.problem(at, `enum "${enumName}": renamedValues entries must be "old label": "new label" strings`);
      continue;
    }
    const from = key.value;
    const to = value.value;
    if (!values.includes(to)) {
      r.problem(r.at(value, at), `enum "${enumName}" renames "${from}" to "${to}", which is not one of its values`);
    } else if (values.includes(from)) {
      r.problem(at, `enum "${enumName}" renames "${from}", which is still one of its values`);
    } else if (out.some((o) => o.to === to)) {
      r.problem(r.at(value, at), `enum "${enumName}" renames two labels to "${to}"`);
    } else out.push({ from, to, at });
  }
  return out;
}
