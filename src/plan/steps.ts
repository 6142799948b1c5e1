/**
 * Change → statements. One exhaustive switch over the closed set of change kinds: a new kind
 * does not compile until it is handled here.
 * @module
 */
import type { Change } from "../diff/change.ts";
import { constraintKindWord } from "../diff/constraints.ts";
import { columnDefinition, commentTarget, definitionOf } from "../model/definition.ts";
import { qualify, quoteIdent, quoteLiteral } from "../model/quote.ts";
import type { ConstraintObject } from "../model/snapshot.ts";
import { addConstraintSql, createEnumSql, createTableSql } from "../render/snapshot_sql.ts";
import { checkPreflight, foreignKeyPreflight, uniquePreflight } from "./preflight_sql.ts";
import type { Hazard, Step } from "./step.ts";
import { renameId, renameSql } from "../diff/renames.ts";
import { addColumn, alterColumn } from "./column_steps.ts";
import { alterEnum, recreateEnum } from "./enum_steps.ts";
import { alterExtension, alterRole, createExtension, createRole, grant, revoke } from "./access_steps.ts";
import { policySteps } from "./policy_steps.ts";
import { alterTable, step } from "./step_helpers.ts";
import { functionSteps } from "./function_steps.ts";
import {
  alterPartitionBound,
  attachPartition,
  createPartitionedTable,
  dropPartitionedTable,
} from "./partition_steps.ts";
import { createIndexSql } from "../render/partition_sql.ts";
import { rebuildColumn } from "./generated_steps.ts";
import {
  alterDomain,
  alterSequence,
  alterViewOptions,
  createDomain,
  createSequence,
  createView,
  dropDomain,
  dropSequence,
  dropView,
  replaceView,
} from "./view_steps.ts";

const CONSTRAINT_RANK: Record<ConstraintObject["type"], number> = { p: 210, u: 220, x: 230, c: 240, f: 260 };
const DROP_CONSTRAINT_RANK: Record<ConstraintObject["type"], number> = { f: 10, c: 30, x: 30, u: 31, p: 32 };

/**
 * The statements that carry out one change. Types and schemas are dropped last of all, after the
 * columns that used them were converted and the tables in them dropped.
 */
export function stepsFor(ch: Change): Step[] {
  switch (ch.op) {
    case "rename": {
      const r = ch.rename;
      // Renames run before everything: tables first, since a column rename names the new table.
      const rank = r.kind === "table" ? 1 : 2;
      const why = r.kind === "enum_value"
        ? `label ${quoteLiteral(r.from)} renamed to ${quoteLiteral(r.to)} (renamedValues in the schema)`
        : `renamed from ${r.from} (renamedFrom in the schema)`;
      return [step(renameId(r), ch.op, "drop", rank, renameSql(r), why)];
    }
    case "create_schema":
      return [step(ch.to.id, ch.op, "pre", 100, `CREATE SCHEMA ${quoteIdent(ch.to.name)};`, "schema is new")];
    case "drop_schema":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "post",
          290,
          `DROP SCHEMA ${quoteIdent(ch.from.name)};`,
          "schema is not in the desired schema",
        ),
        destructive: true,
        hazards: [{ kind: "data_loss", message: `drops schema ${ch.from.name}` }],
      }];
    case "create_enum":
      return [{
        ...step(ch.to.id, ch.op, "pre", 105, createEnumSql(ch.to), "enum type is new"),
        now: definitionOf(ch.to),
      }];
    case "drop_enum":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "post",
          280,
          `DROP TYPE ${qualify(ch.from.schema, ch.from.name)};`,
          "enum type is not in the desired schema",
        ),
        was: definitionOf(ch.from),
      }];
    case "alter_enum":
      return alterEnum(ch.from, ch.to, ch.original);
    case "recreate_enum":
      return recreateEnum(ch);
    case "create_table":
      if (ch.to.partitionBy || ch.to.partitionOf) return createPartitionedTable(ch);
      return [step(ch.to.id, ch.op, "pre", 120, createTableSql(ch.to.schema, ch.to.name, ch.columns), "table is new")];
    case "drop_table":
      if (ch.from.partitionBy || ch.from.partitionOf) return dropPartitionedTable(ch);
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          60,
          `DROP TABLE ${qualify(ch.from.schema, ch.from.name)};`,
          "table is not in the desired schema",
        ),
        destructive: true,
        hazards: [{
          kind: "data_loss",
          message: `drops table ${qualify(ch.from.schema, ch.from.name)} and all its rows`,
        }],
      }];
    case "alter_partition_bound":
      return alterPartitionBound(ch);
    case "attach_partition":
      return attachPartition(ch);
    case "add_column":
      return addColumn(ch.to, ch.deferNotNull);
    case "drop_column":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          50,
          `${alterTable(ch.from)} DROP COLUMN ${quoteIdent(ch.from.name)};`,
          "column is not in the desired schema",
        ),
        was: columnDefinition(ch.from),
        destructive: true,
        hazards: [{
          kind: "data_loss",
          message: `drops column ${qualify(ch.from.schema, ch.from.table)}.${quoteIdent(ch.from.name)} and its values`,
        }],
      }];
    case "alter_column":
      return alterColumn(ch.from, ch.to, ch.viaText);
    case "rebuild_column":
      return rebuildColumn(ch);
    case "add_constraint": {
      const c = ch.to;
      const word = constraintKindWord(c);
      const reason = ch.why ? `re-added: ${ch.why}` : ch.replaces ? `${word} changed` : `${word} is new`;
      const hazards: Hazard[] = ch.tableIsNew ? [] : [{
        kind: "validation_scan",
        message: `scans ${qualify(c.schema, c.table)} to validate, holding a lock that blocks writes`,
      }];
      const rank = ch.onPartition ? 250.5 : CONSTRAINT_RANK[c.type];
      const s = step(c.id, ch.op, "post", rank, addConstraintSql(c), reason);
      s.hazards = hazards;
      if (ch.replaces) {
        s.was = ch.replaces.definition;
        s.now = c.definition;
      } else s.now = c.definition;
      if (!ch.tableIsNew) {
        const pf = c.type === "c"
          ? checkPreflight(c)
          : c.type === "p" || c.type === "u"
          ? uniquePreflight(c)
          : c.type === "f"
          ? foreignKeyPreflight(c)
          : undefined;
        if (pf) s.preflight = pf;
      }
      return [s];
    }
    case "drop_constraint": {
      const c = ch.from;
      const word = constraintKindWord(c);
      const reason = ch.betweenDropped
        ? `the table it is on and the table it references are both dropped: it goes first, so they can go in any order`
        : ch.why
        ? `dropped for now: ${ch.why}`
        : ch.replacedBy
        ? `${word} changed: the old one goes before the data section, the new one is added after it`
        : `${word} is not in the desired schema`;
      const s = step(
        c.id,
        ch.op,
        "drop",
        DROP_CONSTRAINT_RANK[c.type],
        `${alterTable(c)} DROP CONSTRAINT ${quoteIdent(c.name)};`,
        reason,
      );
      s.was = c.definition;
      if (ch.replacedBy) s.now = ch.replacedBy.definition;
      return [s];
    }
    case "rename_constraint":
      return [{
        ...step(
          ch.to.id,
          ch.op,
          "pre",
          110,
          `${alterTable(ch.from)} RENAME CONSTRAINT ${quoteIdent(ch.from.name)} TO ${quoteIdent(ch.to.name)};`,
          `same ${constraintKindWord(ch.to)} under another name (was ${ch.from.name})`,
        ),
        now: ch.to.definition,
      }];
    case "create_index": {
      const s = step(
        ch.to.id,
        ch.op,
        "post",
        ch.onPartition ? 251 : 250,
        `${createIndexSql(ch.to)};`,
        ch.why ? `created again: ${ch.why}` : ch.replaces ? "index changed" : "index is new",
      );
      if (ch.replaces) s.was = ch.replaces.definition;
      s.now = ch.to.definition;
      if (!ch.tableIsNew) {
        s.hazards = [{
          kind: "blocks_writes",
          message: `builds the index while blocking writes to ${qualify(ch.to.schema, ch.to.table)}`,
        }];
      }
      return [s];
    }
    case "drop_index": {
      const s = step(
        ch.from.id,
        ch.op,
        "drop",
        20,
        `DROP INDEX ${qualify(ch.from.schema, ch.from.name)};`,
        ch.why ? `dropped for now: ${ch.why}` : ch.replacedBy ? "index changed" : "index is not in the desired schema",
      );
      s.was = ch.from.definition;
      return [s];
    }
    case "rename_index":
      return [step(
        ch.to.id,
        ch.op,
        "pre",
        111,
        `ALTER INDEX ${qualify(ch.from.schema, ch.from.name)} RENAME TO ${quoteIdent(ch.to.name)};`,
        `same index under another name (was ${ch.from.name})`,
      )];
    case "set_comment": {
      const s = step(
        ch.to.id,
        ch.op,
        "post",
        270,
        `COMMENT ON ${commentTarget(ch.to)} IS ${quoteLiteral(ch.to.text)};`,
        ch.from ? "comment changed" : "comment is new",
      );
      if (ch.from) s.was = quoteLiteral(ch.from.text);
      s.now = quoteLiteral(ch.to.text);
      return [s];
    }
    case "drop_comment":
      return [{
        ...step(
          ch.from.id,
          ch.op,
          "drop",
          40,
          `COMMENT ON ${commentTarget(ch.from)} IS NULL;`,
          "comment is not in the desired schema",
        ),
        was: quoteLiteral(ch.from.text),
      }];
    case "create_function":
    case "replace_function":
    case "alter_function_execute":
    case "drop_function":
    case "create_trigger":
    case "drop_trigger":
      return functionSteps(ch);
    case "create_role":
      return createRole(ch.to);
    case "alter_role":
      return alterRole(ch.from, ch.to);
    case "create_extension":
      return createExtension(ch.to);
    case "alter_extension":
      return alterExtension(ch.from, ch.to);
    case "grant":
      return grant(ch.to, ch.from);
    case "revoke":
      return revoke(ch.from, ch.to);
    case "create_view":
      return createView(ch);
    case "drop_view":
      return dropView(ch);
    case "replace_view":
      return replaceView(ch);
    case "alter_view_options":
      return alterViewOptions(ch);
    case "create_sequence":
      return createSequence(ch.to);
    case "drop_sequence":
      return dropSequence(ch.from);
    case "alter_sequence":
      return alterSequence(ch);
    case "create_domain":
      return createDomain(ch.to);
    case "drop_domain":
      return dropDomain(ch.from);
    case "alter_domain":
      return alterDomain(ch.from, ch.to);
    case "alter_rls":
    case "create_policy":
    case "drop_policy":
    case "alter_policy":
    case "rename_policy":
      return policySteps(ch);
  }
}
