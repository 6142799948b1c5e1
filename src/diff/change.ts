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
  DomainObject,
  EnumObject,
  ExtensionObject,
  FunctionObject,
  GrantObject,
  IndexObject,
  PolicyObject,
  RlsObject,
  RoleObject,
  SchemaObject,
  SequenceObject,
  TableObject,
  TriggerObject,
  ViewObject,
} from "../model/snapshot.ts";
import type { FunctionPlace } from "../model/functions.ts";

/** One difference between the live (from) and desired (to) snapshots. */
export type Change =
  | { op: "rename"; rename: Rename }
  | { op: "create_schema"; to: SchemaObject }
  | { op: "drop_schema"; from: SchemaObject }
  | { op: "create_enum"; to: EnumObject }
  | { op: "drop_enum"; from: EnumObject }
  // Enums (diff/enums.ts): labels added in place; `original` is the live type before this plan's
  // label renames (the additions run first, so they name its labels).
  | { op: "alter_enum"; from: EnumObject; to: EnumObject; original?: EnumObject }
  | {
    op: "recreate_enum";
    from: EnumObject;
    to: EnumObject;
    /** Live columns of the type or its array: text before the data section, back after (unless `back` is false). */
    columns: Array<{ column: ColumnObject; back: boolean }>;
    /** Live columns whose default is dropped first and, when `restore` is set, set again after the columns. */
    defaults: Array<{ column: ColumnObject; restore?: string }>;
  }
  // `depth`: how deep the table sits in a partition tree (partitions after / dropped before their parent).
  | { op: "create_table"; to: TableObject; columns: ColumnObject[]; depth?: number; parentIsNew?: boolean }
  | { op: "drop_table"; from: TableObject; depth?: number }
  // A partition whose bound changed (diff/partitions.ts): detached, then attached with the new bound.
  | { op: "alter_partition_bound"; from: TableObject; to: TableObject }
  // A table of its own becoming a partition (its columns match the parent's): ATTACH PARTITION,
  // after copying the parent's CHECKs onto it (ATTACH requires them; they then merge into the parent's).
  | { op: "attach_partition"; from: TableObject; to: TableObject; checks: ConstraintObject[] }
  | { op: "add_column"; to: ColumnObject; deferNotNull: boolean }
  | { op: "drop_column"; from: ColumnObject }
  | { op: "alter_column"; from: ColumnObject; to: ColumnObject; viaText?: boolean }
  // A column taking a new generation expression: dropped and added again (diff/generated.ts).
  | { op: "rebuild_column"; from: ColumnObject; to: ColumnObject }
  | {
    op: "add_constraint";
    to: ConstraintObject;
    replaces?: ConstraintObject;
    tableIsNew: boolean;
    why?: string;
    /** A key of a partition: added after the partitioned tables' keys and indexes (diff/partitions.ts). */
    onPartition?: boolean;
  }
  // `betweenDropped`: a foreign key between two dropped tables, dropped before either (not re-added).
  | {
    op: "drop_constraint";
    from: ConstraintObject;
    replacedBy?: ConstraintObject;
    why?: string;
    betweenDropped?: boolean;
  }
  | { op: "rename_constraint"; from: ConstraintObject; to: ConstraintObject }
  // `onPartition`: created after the partitioned tables' indexes (diff/partitions.ts).
  | {
    op: "create_index";
    to: IndexObject;
    replaces?: IndexObject;
    tableIsNew: boolean;
    why?: string;
    onPartition?: boolean;
  }
  | { op: "drop_index"; from: IndexObject; replacedBy?: IndexObject; why?: string }
  | { op: "rename_index"; from: IndexObject; to: IndexObject }
  | { op: "set_comment"; to: CommentObject; from?: CommentObject }
  | { op: "drop_comment"; from: CommentObject }
  | { op: "create_function"; to: FunctionObject; place: FunctionPlace; replaces?: FunctionObject; why?: string }
  | { op: "replace_function"; from: FunctionObject; to: FunctionObject; place: FunctionPlace }
  | { op: "alter_function_execute"; from: FunctionObject; to: FunctionObject; place: FunctionPlace }
  | {
    op: "drop_function";
    from: FunctionObject;
    place: FunctionPlace;
    replacedBy?: FunctionObject;
    why?: string;
    /** Dropped before the tables (it rests on one, or on a function that is dropped and created again). */
    early?: boolean;
  }
  | { op: "create_trigger"; to: TriggerObject; replaces?: TriggerObject; why?: string }
  | { op: "drop_trigger"; from: TriggerObject; replacedBy?: TriggerObject; why?: string }
  | { op: "create_role"; to: RoleObject }
  | { op: "alter_role"; from: RoleObject; to: RoleObject }
  | { op: "create_extension"; to: ExtensionObject }
  | { op: "alter_extension"; from: ExtensionObject; to: ExtensionObject }
  | { op: "grant"; to: GrantObject; from?: GrantObject }
  | { op: "revoke"; from: GrantObject; to?: GrantObject }
  // Views (diff/views.ts): `depth` is the longest chain of views below, for dependency order.
  | { op: "create_view"; to: ViewObject; depth: number; indexes: IndexObject[]; replaces?: ViewObject; why?: string }
  | { op: "drop_view"; from: ViewObject; depth: number; replacedBy?: ViewObject; why?: string }
  | { op: "replace_view"; from: ViewObject; to: ViewObject; depth: number }
  | { op: "alter_view_options"; from: ViewObject; to: ViewObject }
  // Sequences (diff/sequences.ts); `ownerDropped`: the live owning column goes in this plan.
  | { op: "create_sequence"; to: SequenceObject }
  | { op: "drop_sequence"; from: SequenceObject }
  | { op: "alter_sequence"; from: SequenceObject; to: SequenceObject; ownerDropped: boolean }
  // Domains (diff/domains.ts).
  | { op: "create_domain"; to: DomainObject }
  | { op: "drop_domain"; from: DomainObject }
  | { op: "alter_domain"; from: DomainObject; to: DomainObject }
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
