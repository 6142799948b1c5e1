/**
 * A column turning serial or plain. Serial means: a sequence the column owns, and a
 * `nextval(…)` default. Plain → serial creates the sequence (`OWNED BY` the column), sets the
 * default and moves the sequence past the largest value already in the column. Serial → plain
 * drops the default and then the sequence, whose position is lost (destructive). Serial →
 * identity (and back) combines these with the identity statements of column_steps.ts; the new
 * identity sequence is also moved past the largest value.
 * @module
 */
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { ColumnObject } from "../model/snapshot.ts";
import type { Step } from "./step.ts";
import { unsupported } from "./step_helpers.ts";

/** Base type of each serial pseudo-type. */
export const SERIAL_BASE: Readonly<Record<string, string>> = {
  serial: "integer",
  bigserial: "bigint",
  smallserial: "smallint",
};

/** Makes one step of the alter_column change (phase, rank, statement, reason). */
export type MakeStep = (phase: Step["phase"], rank: number, sql: string, reason: string) => Step;

/** `SELECT setval(…)` putting a sequence past the column's largest value (`sequence`: SQL text of its regclass). */
function setvalSql(c: ColumnObject, sequence: string): string {
  const col = quoteIdent(c.name);
  return `SELECT setval(${sequence}, greatest(coalesce(max(${col})::bigint, 0) + 1, 1), false) FROM ${
    qualify(c.schema, c.table)
  };`;
}

/** The statements turning a column serial or plain (none when it stays as it is). */
export function serialChangeSteps(from: ColumnObject, to: ColumnObject, mk: MakeStep): Step[] {
  const fromSerial = from.type in SERIAL_BASE;
  const toSerial = to.type in SERIAL_BASE;
  const at = `ALTER TABLE ${qualify(to.schema, to.table)} ALTER COLUMN ${quoteIdent(to.name)}`;
  const out: Step[] = [];
  if (fromSerial && !toSerial) {
    const seq = from.serialSequence;
    if (!seq) unsupported(`Column ${to.id.slice(7)} stops being serial, but its sequence was not read.`);
    const name = qualify(seq.schema, seq.name);
    out.push(mk("pre", 140, `${at} DROP DEFAULT;`, "no longer serial: its nextval default goes, then its sequence"));
    const drop = mk("pre", 140.5, `DROP SEQUENCE ${name};`, "no longer serial: the sequence it owned goes");
    drop.destructive = true;
    drop.hazards.push({ kind: "data_loss", message: `drops sequence ${name} and its current value` });
    out.push(drop);
    if (to.identity) {
      const s = mk(
        "post",
        201.5,
        setvalSql(
          to,
          `pg_get_serial_sequence(${quoteLiteral(qualify(to.schema, to.table))}, ${quoteLiteral(to.name)})`,
        ),
        "serial became identity: the identity sequence continues after the largest value",
      );
      s.hazards.push({
        kind: "validation_scan",
        message: `reads the largest ${to.name} of ${qualify(to.schema, to.table)}`,
      });
      out.push(s);
    }
  }
  if (!fromSerial && toSerial) {
    const seq = to.serialSequence;
    if (!seq) unsupported(`Column ${to.id.slice(7)} becomes serial, but the name of its sequence is not known.`);
    const name = qualify(seq.schema, seq.name);
    const owner = `${qualify(to.schema, to.table)}.${quoteIdent(to.name)}`;
    out.push(
      mk("pre", 143.5, `CREATE SEQUENCE ${name} AS ${SERIAL_BASE[to.type]} OWNED BY ${owner};`, "column became serial"),
      mk("pre", 144.5, `${at} SET DEFAULT nextval(${quoteLiteral(name)}::regclass);`, "column became serial"),
    );
    const s = mk(
      "pre",
      144.6,
      setvalSql(to, quoteLiteral(name)),
      "column became serial: the sequence continues after the largest value",
    );
    s.hazards.push({
      kind: "validation_scan",
      message: `reads the largest ${to.name} of ${qualify(to.schema, to.table)}`,
    });
    out.push(s);
  }
  return out;
}
