/**
 * Deterministic schema.yaml generator for benchmarks. Each table is drawn from its own seeded
 * random stream, so the schema of N tables is a prefix of the schema of M > N tables and the same
 * (N, seed) always gives the same bytes.
 *
 * Run as main: `deno run scripts/bench/generate.ts 1000 > schema.yaml`.
 * @module
 */
import { mulberry32 } from "../../tests/support/prng.ts";

/** What the generated file holds, to print next to the timings. */
export interface GeneratedSchema {
  /** schema.yaml text. */
  yaml: string;
  /** Number of tables. */
  tables: number;
  /** Number of columns over all tables. */
  columns: number;
  /** Constraints the file declares: primary keys, uniques, column CHECKs and foreign keys. */
  constraints: number;
  /** Indexes the file declares (plain, partial and expression). */
  indexes: number;
}

const rng = mulberry32;

const NOUNS = [
  "accounts",
  "invoices",
  "orders",
  "payments",
  "customers",
  "products",
  "shipments",
  "events",
  "sessions",
  "tickets",
  "projects",
  "documents",
  "messages",
  "devices",
  "readings",
  "contracts",
];

const STATUSES = ["active", "pending", "archived", "deleted", "suspended", "draft", "closed"];

/** Extra columns a table may get, to vary width and types. */
const EXTRA: Array<(r: () => number, k: number) => string> = [
  (_r, k) => `{ name: score_${k}, type: Int, defaultValue: "0", checkConstraint: "score_${k} BETWEEN -100 AND 100" }`,
  (_r, k) => `{ name: total_${k}, type: BigInt, isNullable: false, defaultValue: "0" }`,
  (r, k) => `{ name: label_${k}, type: VarChar(${[20, 40, 80][Math.floor(r() * 3)]}) }`,
  (_r, k) => `{ name: note_${k}, type: Text }`,
  (_r, k) => `{ name: due_${k}, type: DateTimeOffset }`,
  (_r, k) => `{ name: ratio_${k}, type: "Decimal(5,4)", defaultValue: "0.5" }`,
  (_r, k) => `{ name: enabled_${k}, type: Boolean, isNullable: false, defaultLqlExpression: "false" }`,
  (_r, k) => `{ name: meta_${k}, type: Jsonb, defaultValue: "'[]'::jsonb" }`,
  (_r, k) => `{ name: token_${k}, type: Uuid, defaultLqlExpression: uuid() }`,
];

const ACTIONS = ["NoAction", "Cascade", "SetNull", "Restrict"];

/** Table name `t00042_orders`: sortable by index, unique, well under 63 bytes with suffixes. */
export function tableName(i: number): string {
  return `t${String(i).padStart(5, "0")}_${NOUNS[i % NOUNS.length]}`;
}

interface TableText {
  lines: string[];
  columns: number;
  constraints: number;
  indexes: number;
}

function table(i: number, seed: number): TableText {
  const r = rng(seed * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const t = tableName(i);
  const statuses = STATUSES.slice(0, 2 + Math.floor(r() * (STATUSES.length - 1)));
  const inList = statuses.map((s) => `'${s}'`).join(",");
  const cols = [
    `{ name: id, type: Uuid, isNullable: false, defaultLqlExpression: gen_uuid() }`,
    `{ name: code, type: VarChar(${pick([16, 32, 64, 128])}), isNullable: false, checkConstraint: "length(code) > 0" }`,
    `{ name: status, type: Text, isNullable: false, defaultValue: "'${statuses[0]}'", checkConstraint: ${
      JSON.stringify(`status IN (${inList})`)
    } }`,
    `{ name: qty, type: Int, isNullable: false, defaultValue: "0", checkConstraint: "qty BETWEEN 0 AND ${
      pick([100, 1000, 100000])
    }" }`,
    `{ name: amount, type: "Decimal(${pick([10, 12, 18])},${pick([2, 4])})" }`,
    `{ name: created_at, type: DateTimeOffset, isNullable: false, defaultLqlExpression: now() }`,
    `{ name: is_active, type: Boolean, isNullable: false, defaultValue: "true" }`,
    `{ name: payload, type: Jsonb, defaultValue: "'{}'::jsonb" }`,
  ];
  let checks = 3;
  const extras = Math.floor(r() * 5);
  for (let k = 0; k < extras; k++) {
    const col = pick(EXTRA)(r, k);
    if (col.includes("checkConstraint")) checks++;
    cols.push(col);
  }
  const fks: string[] = [];
  const fkCount = i === 0 ? 0 : Math.floor(r() * 3);
  for (let k = 0; k < fkCount; k++) {
    const target = tableName(Math.floor(r() * i));
    const action = pick(ACTIONS);
    cols.push(`{ name: ref${k}_id, type: Uuid }`);
    fks.push(
      `{ columns: [ref${k}_id], referencedTable: ${target}, referencedColumns: [id]${
        action === "NoAction" ? "" : `, onDelete: ${action}`
      } }`,
    );
  }
  const uniques = [`{ columns: [code] }`];
  if (r() < 0.3) uniques.push(`{ name: uq_${t}_status_code, columns: [status, code] }`);
  const indexes = [
    `{ name: ix_${t}_created_at, columns: [created_at] }`,
    pick([
      `{ name: ix_${t}_live, columns: [status, created_at], filter: "status <> 'deleted'" }`,
      `{ name: ix_${t}_live, columns: [created_at], filter: "is_active = true" }`,
    ]),
    `{ name: ix_${t}_lower_code, expressions: ["lower(code)"] }`,
    ...fks.map((_, k) => `{ name: ix_${t}_ref${k}, columns: [ref${k}_id] }`),
  ];
  const lines = [
    `  - name: ${t}`,
    `    columns:`,
    ...cols.map((c) => `      - ${c}`),
    `    primaryKey: { columns: [id] }`,
    `    uniqueConstraints:`,
    ...uniques.map((u) => `      - ${u}`),
  ];
  if (fks.length > 0) lines.push(`    foreignKeys:`, ...fks.map((f) => `      - ${f}`));
  lines.push(`    indexes:`, ...indexes.map((x) => `      - ${x}`));
  return {
    lines,
    columns: cols.length,
    constraints: 1 + uniques.length + checks + fks.length,
    indexes: indexes.length,
  };
}

/**
 * A schema.yaml with `tables` tables of mixed column types, defaults, column CHECKs, unique
 * constraints, foreign keys to earlier tables and plain, partial and expression indexes.
 *
 * @example
 * ```ts
 * const g = generateSchema(100);
 * await Deno.writeTextFile("schema.yaml", g.yaml);
 * ```
 */
export function generateSchema(tables: number, seed = 1): GeneratedSchema {
  const out = [`name: bench_${tables}`, `tables:`];
  let columns = 0, constraints = 0, indexes = 0;
  for (let i = 0; i < tables; i++) {
    const t = table(i, seed);
    out.push(...t.lines);
    columns += t.columns;
    constraints += t.constraints;
    indexes += t.indexes;
  }
  return { yaml: out.join("\n") + "\n", tables, columns, constraints, indexes };
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? "100");
  const seed = Number(Deno.args[1] ?? "1");
  if (!Number.isInteger(n) || n < 1) {
    console.error("usage: generate.ts TABLES [SEED]");
    Deno.exit(2);
  }
  await Deno.stdout.write(new TextEncoder().encode(generateSchema(n, seed).yaml));
}
