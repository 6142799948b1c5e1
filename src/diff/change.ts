/**
 * The closed set of changes a diff can produce. `plan/` turns each into SQL through one
 * exhaustive switch, so adding a kind here fails to compile until it is handled there.
 * @module
 */
import type { Rename } from "../model/ddl.ts";
import type {
  ColumnObject,
  CommentObject,
  ConstraintObject,
  EnumObject,
  IndexObject,
  PolicyObject,
  RlsObject,
  SchemaObject,
  TableObject,
} from "../model/snapshot.ts";

/** One difference between the live (from) and desired (to) snapshots. */
export type Change =
  | { op: "rename"; rename: Rename }
  | { op: "create_schema"; to: SchemaObject }
  | { op: "drop_schema"; from: SchemaObject }
  | { op: "create_enum"; to: EnumObject }
  | { op: "drop_enum"; from: EnumObject }
  | { op: "alter_enum"; from: EnumObject; to: EnumObject }
  | { op: "create_table"; to: TableObject; columns: ColumnObject[] }
  | { op: "drop_table"; from: TableObject }
  | { op: "add_column"; to: ColumnObject; deferNotNull: boolean }
  | { op: "drop_column"; from: ColumnObject }
  | { op: "alter_column"; from: ColumnObject; to: ColumnObject }
  | { op: "add_constraint"; to: ConstraintObject; replaces?: ConstraintObject; tableIsNew: boolean; why?: string }
  | { op: "drop_constraint"; from: ConstraintObject; replacedBy?: ConstraintObject; why?: string }
  | { op: "rename_constraint"; from: ConstraintObject; to: ConstraintObject }
  | { op: "create_index"; to: IndexObject; replaces?: IndexObject; tableIsNew: boolean }
  | { op: "drop_index"; from: IndexObject; replacedBy?: IndexObject }
  | { op: "rename_index"; from: IndexObject; to: IndexObject }
  | { op: "set_comment"; to: CommentObject; from?: CommentObject }
  | { op: "drop_comment"; from: CommentObject }
  | {
    op: "alter_rls";
    id: string;
    schema: string;
    table: string;
    from?: RlsObject;
    to?: RlsObject;
    tableIsNew: boolean;
  }
  | { op: "create_policy"; to: PolicyObject; replaces?: PolicyObject; why?: string }
  | { op: "drop_policy"; from: PolicyObject; replacedBy?: PolicyObject; why?: string }
  | { op: "alter_policy"; from: PolicyObject; to: PolicyObject }
  | { op: "rename_policy"; from: PolicyObject; to: PolicyObject };

/** The operation names of {@link Change}. */
export type ChangeOp = Change["op"];
