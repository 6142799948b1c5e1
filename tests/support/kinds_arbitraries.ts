/**
 * fast-check arbitraries of schema.yaml documents that hold every object kind pgconverge manages,
 * on top of the tables of arbitraries.ts: an enum, a domain and a sequence (`sql:` before the
 * tables), functions called from a CHECK and a default, a trigger (`sql:` after the tables),
 * views over the first table (sometimes a view over that view, sometimes materialized),
 * row-level security with policies, roles and grants, and extensions PGlite bundles.
 *
 * Everything extra hangs off the first table, which always lives in `public`; its extra columns
 * are kept apart from the generated ones so that the table mutations of arbitraries.ts never
 * touch them. The one test row (`INSERT … DEFAULT VALUES`) stays legal under a and b: defaults
 * satisfy the CHECK and domain they pass through, and mutations keep them satisfied.
 *
 * Role names start with {@link ROLE_TOKEN}; server tests replace it per run with a unique prefix
 * and drop the roles afterwards (roles are cluster-wide there).
 * @module
 */
import fc from "fast-check";
import { stringify } from "yaml";
import {
  mutate,
  type MutationSeed,
  mutationSeedArb,
  type SchemaModel,
  schemaModelArb,
  schemaObject,
} from "./arbitraries.ts";

/** Prefix of every generated role name (`pgcrole_reader`, `pgcrole_writer`). */
export const ROLE_TOKEN = "pgcrole_";

/** The two roles policies and grants use. */
export type RoleKey = "reader" | "writer";

/** A view over the first table (and the second one, over the first view). */
export interface ViewModel {
  /** Extra columns of the first table it selects (`fn_score`, …), in order; never empty. */
  columns: string[];
  /** Select the pinned generated column too. */
  withBase: boolean;
  /** `WHERE fn_score < <n>`, when set. */
  below?: number;
  /** A materialized view (the second view only). */
  materialized: boolean;
}

/** One policy on the first table. */
export interface PolicyModel {
  /** Policy name. */
  name: string;
  /** PERMISSIVE or RESTRICTIVE. */
  permissive: boolean;
  /** YAML operation. */
  operation: "All" | "Select" | "Insert" | "Update" | "Delete";
  /** Roles (empty: PUBLIC). */
  roles: RoleKey[];
  /**
   * The predicate: the pinned column is not null (plain form), `fn_score < n` or
   * `pgc_small(fn_score)` (`usingSql`: the policy rests on the function).
   */
  using: { form: "baseNotNull" } | { form: "scoreBelow"; n: number } | { form: "small" };
}

/** The objects of every other kind, hanging off the first table. */
export interface KindsModel {
  /** Enum `public.pgc_mood` and the column `mood` (default: the first label). */
  enumValues?: string[];
  /** Domain `public.pgc_pos` (`CHECK (VALUE >= min)`, default 10) and the column `dom`. */
  domainMin?: number;
  /** Sequence `public.pgc_seq`; `used`: the column `seqno` takes `nextval` of it. */
  sequence?: { start: number; increment: number; used: boolean };
  /**
   * `pgc_small(x <argType>)` = `x < limit` (the CHECK of `fn_score`, maybe a policy) and
   * `pgc_start()` = start (its default). A new argument type is another function: the old one
   * is dropped with the CHECK and policies resting on it rebuilt.
   */
  functions: { limit: number; start: number; argType: "integer" | "bigint" };
  /** A trigger on the first table, BEFORE INSERT (or INSERT OR UPDATE), and its function. */
  trigger?: { update: boolean; bump: number };
  /** The column `email` of type citext (the extension is then declared). */
  citext: boolean;
  /** Other bundled extensions declared (not used). */
  extensions: string[];
  /** `public.pgc_v1` over the first table, and `public.pgc_v2` over pgc_v1. */
  views: ViewModel[];
  /** Row-level security of the first table. */
  rls?: { forced: boolean; policies: PolicyModel[] };
  /** Grants on the first table (with a `grants:` key; empty: the key with no entries). */
  grants?: Array<{ privilege: "SELECT" | "INSERT" | "UPDATE"; role: RoleKey }>;
}

/** Tables (arbitraries.ts) and every other kind. */
export interface KindsSchema {
  /** The tables; the first one's first generated column is pinned when views or policies use it. */
  base: SchemaModel;
  /** Everything else. */
  kinds: KindsModel;
}

const MOOD_LABELS = ["ok", "meh", "great", "sad", "angry"];
const OTHER_EXTENSIONS = ["pg_trgm", "hstore"];
const SCORE_COLUMNS = ["fn_score"];

function roleName(r: RoleKey): string {
  return `${ROLE_TOKEN}${r}`;
}

/** Raw choices for the kinds. */
interface KindsSeed {
  enumCount: number | null;
  domainMin: number | null;
  sequence: { start: number; increment: number; used: boolean } | null;
  limit: number;
  start: number;
  bigArg: boolean;
  trigger: { update: boolean; bump: number } | null;
  citext: boolean;
  extensions: number[];
  views: number;
  viewBase: boolean;
  viewBelow: number | null;
  materialized: boolean;
  rls: { forced: boolean; policies: Array<{ permissive: boolean; op: number; roles: number; using: number }> } | null;
  grants: Array<{ privilege: number; role: boolean }> | null;
}

const kindsSeedArb: fc.Arbitrary<KindsSeed> = fc.record({
  enumCount: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 3 }),
  domainMin: fc.option(fc.nat(5), { freq: 3 }),
  sequence: fc.option(
    fc.record({
      start: fc.integer({ min: 1, max: 500 }),
      increment: fc.integer({ min: 1, max: 9 }),
      used: fc.boolean(),
    }),
    { freq: 3 },
  ),
  limit: fc.integer({ min: 20, max: 90 }),
  start: fc.integer({ min: 0, max: 19 }),
  bigArg: fc.boolean(),
  trigger: fc.option(fc.record({ update: fc.boolean(), bump: fc.nat(9) }), { freq: 3 }),
  citext: fc.boolean(),
  extensions: fc.array(fc.nat(OTHER_EXTENSIONS.length - 1), { maxLength: 2 }),
  views: fc.nat(2),
  viewBase: fc.boolean(),
  viewBelow: fc.option(fc.integer({ min: 1, max: 99 })),
  materialized: fc.boolean(),
  rls: fc.option(
    fc.record({
      forced: fc.boolean(),
      policies: fc.array(
        fc.record({ permissive: fc.boolean(), op: fc.nat(4), roles: fc.nat(3), using: fc.nat(99) }),
        { maxLength: 2 },
      ),
    }),
    { freq: 3 },
  ),
  grants: fc.option(fc.array(fc.record({ privilege: fc.nat(2), role: fc.boolean() }), { maxLength: 3 }), { freq: 3 }),
});

const OPERATIONS: PolicyModel["operation"][] = ["All", "Select", "Insert", "Update", "Delete"];
const PRIVILEGES = ["SELECT", "INSERT", "UPDATE"] as const;

function rolesOf(n: number): RoleKey[] {
  return [[], ["reader"], ["writer"], ["reader", "writer"]][n % 4] as RoleKey[];
}

function usingOf(n: number): PolicyModel["using"] {
  return n % 3 === 0 ? { form: "baseNotNull" } : n % 3 === 1 ? { form: "scoreBelow", n } : { form: "small" };
}

function buildKinds(s: KindsSeed): KindsModel {
  const k: KindsModel = {
    functions: { limit: s.limit, start: s.start, argType: s.bigArg ? "bigint" : "integer" },
    citext: s.citext,
    extensions: [...new Set(s.extensions.map((n) => OTHER_EXTENSIONS[n]))].sort(),
    views: [],
  };
  if (s.enumCount !== null) k.enumValues = MOOD_LABELS.slice(0, s.enumCount);
  if (s.domainMin !== null) k.domainMin = s.domainMin;
  if (s.sequence !== null) k.sequence = { ...s.sequence };
  if (s.trigger !== null) k.trigger = { ...s.trigger };
  for (let i = 0; i < s.views; i++) {
    const v: ViewModel = { columns: [...SCORE_COLUMNS], withBase: s.viewBase, materialized: i === 1 && s.materialized };
    if (s.viewBelow !== null && i === 0) v.below = s.viewBelow;
    k.views.push(v);
  }
  if (s.rls !== null) {
    k.rls = {
      forced: s.rls.forced,
      policies: s.rls.policies.map((p, i) => ({
        name: `p_${i + 1}`,
        permissive: p.permissive,
        operation: OPERATIONS[p.op],
        roles: rolesOf(p.roles),
        using: usingOf(p.using),
      })),
    };
  }
  if (s.grants !== null) {
    const seen = new Set<string>();
    k.grants = [];
    for (const g of s.grants) {
      const grant = { privilege: PRIVILEGES[g.privilege], role: (g.role ? "writer" : "reader") as RoleKey };
      const key = `${grant.privilege}:${grant.role}`;
      if (!seen.has(key)) k.grants.push(grant), seen.add(key);
    }
  }
  return k;
}

/** The generated column of the first table that views and policies use (pinned), if any. */
export function baseColumn(m: KindsSchema): string | undefined {
  return m.base.tables[0].columns.find((c) => c.pinned)?.name;
}

/** Pin the first table's first non-key generated column when views or policies use it. */
function pinBase(base: SchemaModel, kinds: KindsModel): void {
  const t = base.tables[0];
  const pk = new Set(t.pk?.columns ?? []);
  const uses = kinds.views.some((v) => v.withBase) ||
    (kinds.rls?.policies ?? []).some((p) => p.using.form === "baseNotNull");
  const col = t.columns.find((c) => !pk.has(c.name) && !c.identity);
  if (uses && col !== undefined) col.pinned = true;
}

/** Arbitrary schemas holding every kind. */
export const kindsSchemaArb: fc.Arbitrary<KindsSchema> = fc.tuple(schemaModelArb, kindsSeedArb).map(([base, s]) => {
  const kinds = buildKinds(s);
  pinBase(base, kinds);
  return { base, kinds };
});

// ---------------------------------------------------------------------------------------------
// Model → YAML

function viewSql(m: KindsSchema, i: number): string {
  const v = m.kinds.views[i];
  const base = baseColumn(m);
  const cols = [...v.columns, ...(v.withBase && base !== undefined ? [`"${base}"`] : [])];
  if (i === 0) {
    const t = m.base.tables[0];
    const where = v.below === undefined ? "" : ` WHERE fn_score < ${v.below}`;
    return `SELECT ${cols.join(", ")} FROM public."${t.name}"${where}`;
  }
  return `SELECT ${cols.join(", ")} FROM public.pgc_v1`;
}

function policyYaml(m: KindsSchema, p: PolicyModel): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  if (!p.permissive) out.permissive = false;
  out.operations = [p.operation];
  if (p.roles.length > 0) out.roles = p.roles.map(roleName);
  const base = baseColumn(m);
  if (p.using.form === "baseNotNull" && base !== undefined) out.using = `${base} IS NOT NULL`;
  else if (p.using.form === "small") out.usingSql = "pgc_small(fn_score)";
  else out.usingSql = `fn_score < ${p.using.form === "scoreBelow" ? p.using.n : 50}`;
  // INSERT policies have no USING: give them the same expression as WITH CHECK.
  if (p.operation === "Insert") {
    if (out.using !== undefined) out.withCheck = out.using, delete out.using;
    else out.withCheckSql = out.usingSql, delete out.usingSql;
  }
  return out;
}

/** The roles a schema names (in policies and grants), sorted. */
export function rolesUsed(k: KindsModel): RoleKey[] {
  const used = new Set<RoleKey>();
  for (const p of k.rls?.policies ?? []) for (const r of p.roles) used.add(r);
  for (const g of k.grants ?? []) used.add(g.role);
  return [...used].sort();
}

/** The schema.yaml object of a schema with every kind. */
export function kindsObject(m: KindsSchema): Record<string, unknown> {
  const k = m.kinds;
  const base = schemaObject(m.base);
  const tables = base.tables as Array<Record<string, unknown>>;
  const t0 = { ...tables[0] };
  const columns = [...(t0.columns as unknown[])];
  const pre: string[] = [];
  const out: Record<string, unknown> = {};
  if (base.name !== undefined) out.name = base.name;
  const roles = rolesUsed(k);
  if (roles.length > 0) out.roles = roles.map((r) => ({ name: roleName(r) }));
  const extensions = [...(k.citext ? ["citext"] : []), ...k.extensions].sort();
  if (extensions.length > 0) out.extensions = extensions.map((name) => ({ name }));
  if (k.enumValues !== undefined) {
    out.enums = [{ name: "pgc_mood", values: [...k.enumValues] }];
    columns.push({ name: "mood", type: "pgc_mood", defaultValue: `'${k.enumValues[0]}'` });
  }
  out.functions = [
    {
      name: "pgc_small",
      arguments: [{ name: "x", type: k.functions.argType }],
      returns: "boolean",
      volatility: "immutable",
      body: `SELECT x < ${k.functions.limit}`,
    },
    { name: "pgc_start", returns: "integer", volatility: "immutable", body: `SELECT ${k.functions.start}` },
  ];
  columns.push({ name: "fn_score", type: "Int", defaultValue: "pgc_start()", checkConstraint: "pgc_small(fn_score)" });
  if (k.domainMin !== undefined) {
    pre.push(
      `CREATE DOMAIN public.pgc_pos AS integer DEFAULT 10 CONSTRAINT pgc_pos_min CHECK (VALUE >= ${k.domainMin});`,
    );
    columns.push({ name: "dom", type: "pgc_pos" });
  }
  if (k.sequence !== undefined) {
    const q = k.sequence;
    pre.push(`CREATE SEQUENCE public.pgc_seq START ${q.start} INCREMENT ${q.increment};`);
    if (q.used) columns.push({ name: "seqno", type: "BigInt", defaultValue: "nextval('pgc_seq')" });
  }
  if (k.citext) columns.push({ name: "email", type: "citext" });
  t0.columns = columns;
  if (k.rls !== undefined) {
    const rls: Record<string, unknown> = {};
    if (k.rls.forced) rls.forced = true;
    rls.policies = k.rls.policies.map((p) => policyYaml(m, p));
    t0.rowLevelSecurity = rls;
  }
  out.tables = [t0, ...tables.slice(1)];
  const sql: unknown[] = [];
  if (pre.length > 0) sql.push({ sql: pre.join("\n"), load: "beforeTables" });
  if (k.trigger !== undefined) {
    const tg = k.trigger;
    const events = tg.update ? "INSERT OR UPDATE" : "INSERT";
    sql.push(
      `CREATE FUNCTION public.pgc_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${tg.bump} > 0 THEN RETURN NEW; END IF; RETURN NEW; END $$;\n` +
        `CREATE TRIGGER pgc_touch_trg BEFORE ${events} ON public."${
          m.base.tables[0].name
        }" FOR EACH ROW EXECUTE FUNCTION public.pgc_touch();`,
    );
  }
  if (sql.length > 0) out.sql = sql;
  if (k.views.length > 0) {
    out.views = k.views.map((v, i) => ({
      name: `pgc_v${i + 1}`,
      ...(v.materialized ? { materialized: true } : {}),
      sql: viewSql(m, i),
    }));
  }
  if (k.grants !== undefined) {
    out.grants = k.grants.map((g) => ({
      target: "Table",
      objectName: m.base.tables[0].name,
      privileges: [g.privilege],
      roles: [roleName(g.role)],
    }));
  }
  return out;
}

/** The schema.yaml text of a schema with every kind. */
export function kindsYaml(m: KindsSchema): string {
  return stringify(kindsObject(m));
}

// ---------------------------------------------------------------------------------------------
// Mutations of the kinds: b from a

/** Mutation kinds of the other kinds (no renames). */
export const KIND_MUTATIONS = [
  "addEnumLabel",
  "toggleEnum",
  "changeDomainMin",
  "toggleDomain",
  "changeSequence",
  "toggleSequenceUse",
  "changeFunctionLimit",
  "changeFunctionStart",
  "changeFunctionArgType",
  "toggleTrigger",
  "changeTriggerEvents",
  "changeTriggerBody",
  "toggleCitext",
  "changeViewWhere",
  "changeViewColumns",
  "addView",
  "dropView",
  "toggleMaterialized",
  "toggleRls",
  "toggleForced",
  "changePolicyUsing",
  "changePolicyRoles",
  "addPolicy",
  "dropPolicy",
  "addGrant",
  "dropGrant",
] as const;

/** One kind mutation. */
export type KindMutation = typeof KIND_MUTATIONS[number];

/** Raw choices for one kind mutation. */
export interface KindMutationSeed {
  kind: KindMutation;
  n: number;
  flag: boolean;
}

const kindMutationSeedArb: fc.Arbitrary<KindMutationSeed> = fc.record({
  kind: fc.constantFrom(...KIND_MUTATIONS),
  n: fc.nat(400),
  flag: fc.boolean(),
});

/** The value the test row (inserted under a) holds in `fn_score`. */
function rowScore(a: KindsSchema): number {
  return a.kinds.functions.start;
}

/** Whether the first table's pinned column is still used after the change (else it is unpinned). */
function repin(b: KindsSchema): void {
  for (const c of b.base.tables[0].columns) delete c.pinned;
  pinBase(b.base, b.kinds);
}

/** Apply one kind mutation to b; a description, or undefined for a no-op. */
function mutateKinds(a: KindsSchema, b: KindsSchema, s: KindMutationSeed): string | undefined {
  const k = b.kinds;
  const pick = <T>(xs: T[]): T | undefined => xs.length === 0 ? undefined : xs[s.n % xs.length];
  switch (s.kind) {
    case "addEnumLabel": {
      if (k.enumValues === undefined || k.enumValues.length >= MOOD_LABELS.length) return undefined;
      k.enumValues.push(MOOD_LABELS[k.enumValues.length]);
      return `add enum label ${k.enumValues.at(-1)}`;
    }
    case "toggleEnum":
      if (k.enumValues === undefined) k.enumValues = MOOD_LABELS.slice(0, 1 + s.n % 3);
      else delete k.enumValues;
      return k.enumValues ? "add enum pgc_mood and column mood" : "drop enum pgc_mood and column mood";
    case "changeDomainMin": {
      if (k.domainMin === undefined) return undefined;
      // The row holds the domain's default (10) or NULL: any min up to 10 keeps it valid.
      const min = s.n % 11;
      if (min === k.domainMin) return undefined;
      k.domainMin = min;
      return `domain CHECK VALUE >= ${min}`;
    }
    case "toggleDomain":
      if (k.domainMin === undefined) k.domainMin = s.n % 6;
      else delete k.domainMin;
      return k.domainMin === undefined ? "drop domain and column dom" : "add domain and column dom";
    case "changeSequence": {
      if (k.sequence === undefined) return undefined;
      if (s.flag) k.sequence.increment = 1 + (k.sequence.increment + s.n) % 9;
      else k.sequence.start = 1 + s.n;
      return `sequence START ${k.sequence.start} INCREMENT ${k.sequence.increment}`;
    }
    case "toggleSequenceUse": {
      if (k.sequence === undefined) k.sequence = { start: 1 + s.n, increment: 1, used: s.flag };
      else if (s.flag) delete k.sequence;
      else k.sequence.used = !k.sequence.used;
      return k.sequence === undefined ? "drop sequence" : `sequence (used: ${k.sequence.used})`;
    }
    case "changeFunctionLimit": {
      // The CHECK must keep passing for the row (a's start) and b's own default.
      const limit = Math.max(rowScore(a), k.functions.start) + 1 + s.n % 80;
      if (limit === k.functions.limit) return undefined;
      k.functions.limit = limit;
      return `pgc_small: x < ${limit}`;
    }
    case "changeFunctionStart": {
      const start = s.n % k.functions.limit;
      if (start === k.functions.start) return undefined;
      k.functions.start = start;
      return `pgc_start: ${start}`;
    }
    case "changeFunctionArgType":
      k.functions.argType = k.functions.argType === "integer" ? "bigint" : "integer";
      return `pgc_small(x ${k.functions.argType})`;
    case "toggleTrigger":
      if (k.trigger === undefined) k.trigger = { update: s.flag, bump: s.n % 10 };
      else delete k.trigger;
      return k.trigger ? "add trigger" : "drop trigger and its function";
    case "changeTriggerEvents":
      if (k.trigger === undefined) return undefined;
      k.trigger.update = !k.trigger.update;
      return `trigger events: ${k.trigger.update ? "INSERT OR UPDATE" : "INSERT"}`;
    case "changeTriggerBody": {
      if (k.trigger === undefined || k.trigger.bump === s.n % 10) return undefined;
      k.trigger.bump = s.n % 10;
      return `trigger function body: ${k.trigger.bump}`;
    }
    case "toggleCitext":
      // The extension is never dropped; only the column goes.
      k.citext = !k.citext;
      return k.citext ? "add citext column" : "drop citext column";
    case "changeViewWhere": {
      const v = k.views[0];
      if (v === undefined) return undefined;
      if (s.flag) delete v.below;
      else v.below = 1 + s.n % 99;
      return `view pgc_v1 WHERE: ${v.below ?? "none"}`;
    }
    case "changeViewColumns": {
      const v = pick(k.views);
      if (v === undefined || b.base.tables[0].columns.every((c) => c.identity)) return undefined;
      v.withBase = !v.withBase;
      repin(b);
      if (baseColumn(b) === undefined) v.withBase = false;
      return `view columns: base ${v.withBase}`;
    }
    case "addView": {
      if (k.views.length >= 2) return undefined;
      k.views.push({ columns: [...SCORE_COLUMNS], withBase: false, materialized: k.views.length === 1 && s.flag });
      return `add view pgc_v${k.views.length}`;
    }
    case "dropView":
      if (k.views.length === 0) return undefined;
      k.views.pop();
      repin(b);
      return `drop view pgc_v${k.views.length + 1}`;
    case "toggleMaterialized":
      if (k.views.length < 2) return undefined;
      k.views[1].materialized = !k.views[1].materialized;
      return `pgc_v2 materialized: ${k.views[1].materialized}`;
    case "toggleRls":
      if (k.rls === undefined) k.rls = { forced: s.flag, policies: [] };
      else delete k.rls;
      repin(b);
      return k.rls ? "enable RLS" : "no RLS";
    case "toggleForced":
      if (k.rls === undefined) return undefined;
      k.rls.forced = !k.rls.forced;
      return `RLS forced: ${k.rls.forced}`;
    case "changePolicyUsing": {
      const p = pick(k.rls?.policies ?? []);
      if (p === undefined) return undefined;
      p.using = s.flag ? { form: "baseNotNull" } : usingOf(1 + s.n % 99);
      repin(b);
      return `policy ${p.name} USING ${JSON.stringify(p.using)}`;
    }
    case "changePolicyRoles": {
      const p = pick(k.rls?.policies ?? []);
      if (p === undefined) return undefined;
      p.roles = rolesOf(s.n);
      return `policy ${p.name} roles ${p.roles.join(", ") || "PUBLIC"}`;
    }
    case "addPolicy": {
      if (k.rls === undefined || k.rls.policies.length >= 3) return undefined;
      const names = new Set(k.rls.policies.map((p) => p.name));
      let i = 1;
      while (names.has(`p_${i}`)) i++;
      k.rls.policies.push({
        name: `p_${i}`,
        permissive: s.flag,
        operation: OPERATIONS[s.n % OPERATIONS.length],
        roles: rolesOf(s.n),
        using: usingOf(s.n),
      });
      repin(b);
      return `add policy p_${i}`;
    }
    case "dropPolicy": {
      const p = pick(k.rls?.policies ?? []);
      if (p === undefined) return undefined;
      k.rls!.policies = k.rls!.policies.filter((x) => x !== p);
      repin(b);
      return `drop policy ${p.name}`;
    }
    case "addGrant": {
      const g = { privilege: PRIVILEGES[s.n % 3], role: (s.flag ? "writer" : "reader") as RoleKey };
      k.grants ??= [];
      if (k.grants.some((x) => x.privilege === g.privilege && x.role === g.role)) return undefined;
      k.grants.push(g);
      return `grant ${g.privilege} to ${g.role}`;
    }
    case "dropGrant": {
      const g = pick(k.grants ?? []);
      if (g === undefined) return undefined;
      k.grants = k.grants!.filter((x) => x !== g);
      return `revoke ${g.privilege} from ${g.role}`;
    }
  }
}

/** A schema with every kind and a mutation of it. */
export interface KindsPair {
  /** The schema a database starts at. */
  a: KindsSchema;
  /** The schema it must converge to. */
  b: KindsSchema;
  /** What was changed, for messages. */
  changes: string[];
}

/**
 * Arbitrary pairs (a, b): b is a with 1–3 mutations, mostly of the other kinds, sometimes of the
 * tables (a column type change under a view or policy, a dropped index, …).
 */
export const kindsPairArb: fc.Arbitrary<KindsPair> = fc.tuple(
  kindsSchemaArb,
  fc.array(
    fc.oneof(
      { arbitrary: kindMutationSeedArb.map((k) => ({ kinds: k })), weight: 3 },
      { arbitrary: mutationSeedArb.map((t) => ({ table: t })), weight: 1 },
    ),
    { minLength: 1, maxLength: 3 },
  ),
).map(([a, seeds]) => {
  const b = structuredClone(a);
  const changes: string[] = [];
  for (const seed of seeds) {
    const c = "kinds" in seed
      ? mutateKinds(a, b, seed.kinds)
      : mutate(a.base, b.base, (seed as { table: MutationSeed }).table);
    if (c !== undefined) changes.push(c);
  }
  return { a, b, changes };
}).filter((p) => p.changes.length > 0);
