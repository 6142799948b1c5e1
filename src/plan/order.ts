/**
 * The order of a plan's statements: phases first (new enum labels, drops, what data migrations
 * may need, the data slot, what validates data), then one dependency graph over object ids
 * (model/dependencies.ts): a statement that creates an object comes after the statements that
 * create what it needs (in the desired schema), and a statement that drops an object comes
 * before the statements that drop what it rests on (in the live schema). Within those
 * constraints the order is by phase, rank and id, so it is deterministic; a statement that must
 * wait for one in a later phase moves into that phase (after the data slot when that is `post`).
 * @module
 */
import { type DependencyGraph, dependencyGraph } from "../model/dependencies.ts";
import { tableId } from "../model/ids.ts";
import { compareIds, type DbObject, type Snapshot } from "../model/snapshot.ts";
import type { Phase, Step } from "./step.ts";

/** Execution order of the phases. */
export const PHASE_ORDER: Record<Phase, number> = { early: -1, drop: 0, pre: 1, post: 2 };

/** What a statement does to its object, as far as order goes: create it, drop it, or neither. */
export type StepRole = "create" | "drop" | undefined;

/** The role of a statement, read from its SQL (settings such as `SET LOCAL …;` before it are skipped). */
export function stepRole(sql: string): StepRole {
  const s = sql.replace(/^(\s*(--[^\n]*|SET LOCAL [^;]*;))*\s*/, "");
  if (/^DROP\s/.test(s) || /^ALTER TABLE\s[\s\S]*?\sDROP (CONSTRAINT|COLUMN)\s/.test(s)) return "drop";
  if (
    /^(CREATE|COMMENT ON|GRANT)\s/.test(s) ||
    /^ALTER TABLE\s[\s\S]*?\s(ADD (CONSTRAINT|COLUMN)|ATTACH PARTITION)\s/.test(s)
  ) {
    return "create";
  }
  return undefined;
}

/**
 * The objects with steps of one role that `id` needs, directly or through objects that have no
 * such step (those are already there, or come and go with something else).
 */
function neededWithSteps(id: string, graph: DependencyGraph, has: (id: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  const stack = [...(graph.get(id) ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (has(n)) out.push(n);
    else stack.push(...(graph.get(n) ?? []));
  }
  return out;
}

/** A binary min-heap of numbers (step positions in the phase/rank/id order). */
class MinHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** The snapshots whose graphs order a plan: drops by the live one, creations by the desired one. */
export interface OrderGraphs {
  /** The live (from) snapshot. */
  from: Snapshot;
  /** The desired (to) snapshot. */
  to: Snapshot;
}

/**
 * Order steps: by phase, rank and id, then moved as little as the dependency graphs require.
 * Without graphs (or when they add nothing) the order is exactly phase, rank, id. Should the
 * graph have a cycle, the steps on it keep the phase/rank/id order.
 */
export function orderSteps(steps: Step[], graphs?: OrderGraphs): Step[] {
  const base = steps.map((s, i) => ({ s, i })).sort((a, b) =>
    PHASE_ORDER[a.s.phase] - PHASE_ORDER[b.s.phase] || a.s.rank - b.s.rank || compareIds(a.s.id, b.s.id) || a.i - b.i
  ).map((x) => x.s);
  if (!graphs || base.length < 2) return base;
  const after = edges(base, graphs);
  const indegree = new Array<number>(base.length).fill(0);
  for (const list of after) for (const j of list) indegree[j]++;
  const heap = new MinHeap();
  for (let i = 0; i < base.length; i++) if (indegree[i] === 0) heap.push(i);
  const done = new Array<boolean>(base.length).fill(false);
  const out: Step[] = [];
  let next = 0; // the first position not yet emitted, for breaking a cycle
  while (out.length < base.length) {
    let i: number;
    if (heap.size > 0) i = heap.pop();
    else {
      while (done[next]) next++;
      i = next;
    }
    if (done[i]) continue;
    done[i] = true;
    out.push(base[i]);
    for (const j of after[i]) if (--indegree[j] === 0 && !done[j]) heap.push(j);
  }
  return monotonePhases(out);
}

/** For each position, the positions that must come after it. */
function edges(base: Step[], graphs: OrderGraphs): number[][] {
  const roles = base.map((s) => stepRole(s.sql));
  const byRole = (role: StepRole) => {
    const m = new Map<string, number[]>();
    base.forEach((s, i) => {
      if (roles[i] === role) m.set(s.id, [...(m.get(s.id) ?? []), i]);
    });
    return m;
  };
  const creates = byRole("create");
  const drops = byRole("drop");
  const after: number[][] = base.map(() => []);
  const link = (
    stepsOf: Map<string, number[]>,
    graph: DependencyGraph,
    edge: (mine: number, theirs: number) => void,
  ) => {
    for (const [id, mine] of stepsOf) {
      for (const other of neededWithSteps(id, graph, (n) => stepsOf.has(n))) {
        for (const m of mine) for (const t of stepsOf.get(other)!) edge(m, t);
      }
    }
  };
  if (creates.size > 0) link(creates, dependencyGraph(graphs.to), (mine, theirs) => after[theirs].push(mine));
  if (drops.size > 0) {
    link(drops, dropGraph(graphs.from, (id) => drops.has(id)), (mine, theirs) => after[mine].push(theirs));
  }
  return after;
}

/** The table an object goes with when that table is dropped: the table it is on, a partition's parent. */
function ownerTable(o: DbObject): string | undefined {
  if (o.kind === "table") return o.partitionOf ? tableId(o.partitionOf.schema, o.partitionOf.table) : undefined;
  if (o.kind === "grant") return o.on === "table" ? tableId(o.schema, o.table!) : undefined;
  return "table" in o && typeof o.table === "string" && "schema" in o ? tableId(o.schema, o.table) : undefined;
}

/**
 * The live graph as drops see it: a `DROP TABLE` also drops what is on the table (constraints,
 * indexes, triggers, policies, …) and its partitions, so it rests on everything those rest on —
 * a foreign key's referenced table and key, a trigger's function — unless the object has a drop
 * statement of its own. Then that statement goes first (and the table no longer waits for it).
 */
function dropGraph(snap: Snapshot, hasDrop: (id: string) => boolean): DependencyGraph {
  const graph = dependencyGraph(snap);
  const extra = new Map<string, Set<string>>();
  for (const o of snap.objects.values()) {
    if (hasDrop(o.id)) continue;
    // The nearest table up the chain (object → its table → that table's parent) that has a drop.
    let owner = ownerTable(o);
    while (owner !== undefined && !hasDrop(owner)) {
      const t = snap.objects.get(owner);
      owner = t ? ownerTable(t) : undefined;
    }
    if (owner === undefined) continue;
    for (const need of graph.get(o.id) ?? []) {
      if (need === owner) continue;
      let set = extra.get(owner);
      if (!set) extra.set(owner, set = new Set());
      set.add(need);
    }
  }
  if (extra.size === 0) return graph;
  const out: DependencyGraph = new Map(graph);
  for (const [id, set] of extra) out.set(id, [...new Set([...(graph.get(id) ?? []), ...set])].sort(compareIds));
  return out;
}

/** A step placed after one of a later phase runs in that phase (after the data slot, for `post`). */
function monotonePhases(steps: Step[]): Step[] {
  let phase: Phase = "early";
  return steps.map((s) => {
    if (PHASE_ORDER[s.phase] >= PHASE_ORDER[phase]) {
      phase = s.phase;
      return s;
    }
    return { ...s, phase };
  });
}
