/** Enum changes → statements. @module */
import { definitionOf } from "../model/definition.ts";
import { qualify, quoteLiteral } from "../model/quote.ts";
import type { EnumObject } from "../model/snapshot.ts";
import type { Step } from "./step.ts";
import { step, unsupported } from "./step_helpers.ts";

/**
 * New enum labels are added in place (`ADD VALUE … BEFORE/AFTER`). Removing or reordering labels
 * needs the type recreated with every dependent column carried across: not written yet.
 */
export function alterEnum(from: EnumObject, to: EnumObject): Step[] {
  const kept = to.values.filter((v) => from.values.includes(v));
  if (from.values.some((v) => !to.values.includes(v)) || kept.join("\u0000") !== from.values.join("\u0000")) {
    unsupported(`Enum ${qualify(to.schema, to.name)} loses or reorders labels; only adding labels is planned today.`);
  }
  const out: Step[] = [];
  to.values.forEach((v, i) => {
    if (from.values.includes(v)) return;
    const next = to.values.slice(i + 1).find((n) => from.values.includes(n));
    const where = next !== undefined
      ? ` BEFORE ${quoteLiteral(next)}`
      : i > 0
      ? ` AFTER ${quoteLiteral(to.values[i - 1])}`
      : "";
    const sql = `ALTER TYPE ${qualify(to.schema, to.name)} ADD VALUE ${quoteLiteral(v)}${where};`;
    out.push({
      ...step(to.id, "alter_enum", "pre", 106 + i / 1000, sql, `enum label ${quoteLiteral(v)} is new`),
      was: definitionOf(from),
      now: definitionOf(to),
    });
  });
  return out;
}
