/** `plan`, `drift` and `migrate`. @module */
import { applyMigration } from "../apply/apply.ts";
import { runPreflight } from "../apply/preflight.ts";
import { redactUrl } from "../db/server.ts";
import { EXIT, type ExitCode, PgcError } from "../model/errors.ts";
import { readMigration } from "../migration/read.ts";
import { writeMigration } from "../migration/write.ts";
import { buildPlan, type Plan } from "../plan/plan.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { outsideDependents } from "../source/outside_dependents.ts";
import { parseSource, type ResolvedPair, resolvePair, type SourceSpec } from "../source/source.ts";
import type { Queryable } from "../db/queryable.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { type Context, dbUrl, emit, formatOption, schemasOption, shadowFor } from "./context.ts";
import { guardOutput } from "./overwrite.ts";
import { planJson, planText, unmanagedText } from "./plan_output.ts";

function describe(spec: SourceSpec): string {
  if (spec.kind !== "db") return spec.path;
  return /^pglite:/i.test(spec.url) ? spec.url : redactUrl(spec.url);
}

/** The two sides: `--from/--to`, or `--db` (from) and `--schema` (to). */
function sides(ctx: Context): { from: SourceSpec; to: SourceSpec } {
  const v = ctx.args.values;
  if (v.from || v.to) {
    if (!v.from || !v.to) {
      throw new PgcError("usage", "--from and --to go together.", { hint: "plan --from SOURCE --to SOURCE" });
    }
    return { from: parseSource(v.from), to: parseSource(v.to) };
  }
  const schema = v.schema ?? ctx.args.positionals[0];
  if (!schema) {
    throw new PgcError("usage", "No desired schema given.", { hint: "Pass --schema schema.yaml (or --from/--to)." });
  }
  return { from: { kind: "db", url: dbUrl(ctx) }, to: parseSource(schema) };
}

interface Planned {
  plan: Plan;
  pair: ResolvedPair;
  label: string;
  shadow: Shadow;
}

/**
 * Resolve both sides and plan. `toApply`: the plan is to be applied (plan, migrate), so a drop that
 * an object outside the managed schemas rests on is refused now rather than failing at apply.
 */
async function makePlan(ctx: Context, from: SourceSpec, to: SourceSpec, toApply: boolean): Promise<Planned> {
  const shadow = shadowFor(ctx);
  let pair: ResolvedPair | undefined;
  try {
    pair = await resolvePair(from, to, shadow, schemasOption(ctx));
    for (const w of pair.warnings) ctx.io.err(`warning: ${w}`);
    const plan = await buildPlan(pair.from, pair.to, pair.renames);
    if (pair.fromDb) {
      if (toApply) await refuseOutsideDependents(pair.fromDb, pair.from, plan);
      await runPreflight(pair.fromDb, plan.steps);
    }
    return { plan, pair, shadow, label: `${describe(from)} to ${describe(to)}` };
  } catch (e) {
    for (const db of pair?.opened ?? []) await db.close().catch(() => {});
    await shadow.close();
    throw e;
  }
}

async function refuseOutsideDependents(db: Queryable, from: Snapshot, plan: Plan): Promise<void> {
  const found = await outsideDependents(db, from, plan.steps, plan.schemas);
  if (found.length === 0) return;
  throw new PgcError(
    "unsupported",
    `Cannot plan: ${found.length} object(s) outside the managed schemas (${
      plan.schemas.join(", ")
    }) rest on what the plan drops, so the DROP would fail.`,
    {
      hint: "Manage their schemas too (--schemas, or name them in the schema file), or remove those objects first. " +
        "pgconverge never drops with CASCADE.",
      details: found,
    },
  );
}

async function release(p: Planned): Promise<void> {
  for (const db of p.pair.opened) await db.close().catch(() => {});
  await p.shadow.close();
}

function refuseDestructive(ctx: Context, plan: Plan): void {
  const destructive = plan.steps.filter((s) => s.destructive);
  if (destructive.length === 0 || ctx.args.values["allow-destructive"]) return;
  throw new PgcError("destructive_refused", `Refused: the plan has ${destructive.length} destructive statement(s).`, {
    hint: "Review them; if they are intended, plan again with --allow-destructive (recorded in the migration file).",
    details: destructive.map((s) => `${s.sql}  -- ${s.hazards.map((h) => h.message).join("; ")}`),
  });
}

/** `plan`: write the reviewed-before-applied migration. */
export async function planCommand(ctx: Context): Promise<ExitCode> {
  const { from, to } = sides(ctx);
  const format = formatOption(ctx);
  // Before planning: -o must not replace a data fix or anything else a person wrote.
  await guardOutput(ctx.args.values.output, "migration", ctx.args.values.force === true);
  const p = await makePlan(ctx, from, to, true);
  try {
    if (format === "text") ctx.io.err(planText(p.plan, p.label));
    refuseDestructive(ctx, p.plan);
    const text = await writeMigration(p.plan, {
      allowDestructive: ctx.args.values["allow-destructive"] === true,
      plannedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      source: p.label,
    });
    if (format === "json") {
      if (ctx.args.values.output) await emit(ctx, text);
      ctx.io.out(planJson(p.plan));
    } else {
      await emit(ctx, text);
      if (ctx.args.values.output) ctx.io.err(`Wrote ${ctx.args.values.output}.`);
    }
    if (ctx.args.values.strict && p.plan.unmanaged.length > 0) return EXIT.changes;
    return p.plan.steps.length > 0 && ctx.args.values["exit-code"] ? EXIT.changes : EXIT.ok;
  } finally {
    await release(p);
  }
}

/** `drift`: exit 0 when the database matches the schema, 4 with the differences listed. */
export async function driftCommand(ctx: Context): Promise<ExitCode> {
  const { from, to } = sides(ctx);
  const format = formatOption(ctx);
  const p = await makePlan(ctx, from, to, false);
  try {
    if (format === "json") ctx.io.out(planJson(p.plan));
    else if (p.plan.steps.length === 0) {
      ctx.io.out([`Converged: ${p.label} (fingerprint ${p.plan.to}).`, ...unmanagedText(p.plan)].join("\n"));
    } else {
      const text = planText(p.plan, p.label);
      ctx.io.out(text.replace(/^(\d+) statement\(s\) to converge/, "Drift: $1 statement(s) needed to converge"));
    }
    const strictFail = ctx.args.values.strict === true && p.plan.unmanaged.length > 0;
    return p.plan.steps.length === 0 && !strictFail ? EXIT.ok : EXIT.changes;
  } finally {
    await release(p);
  }
}

/** `migrate`: plan and apply in one step (DataProviderMigrate's workflow); prints what it ran. */
export async function migrateCommand(ctx: Context): Promise<ExitCode> {
  const v = ctx.args.values;
  if (v.provider && v.provider.toLowerCase() !== "postgres") {
    throw new PgcError("usage", `Unsupported --provider ${JSON.stringify(v.provider)}.`, {
      hint: "pgconverge migrates PostgreSQL only: --provider postgres.",
    });
  }
  // DataProviderMigrate passes the connection as --output.
  const url = v.db ?? v.output ?? ctx.env("DATABASE_URL");
  if (!url) throw new PgcError("usage", "No database given.", { hint: "Pass --db URL (or --output CONN)." });
  const schema = v.schema ?? ctx.args.positionals[0];
  if (!schema) throw new PgcError("usage", "No desired schema given.", { hint: "Pass --schema schema.yaml." });
  const p = await makePlan(ctx, { kind: "db", url }, parseSource(schema), true);
  try {
    ctx.io.err(planText(p.plan, p.label));
    refuseDestructive(ctx, p.plan);
    if (p.plan.steps.length === 0) return EXIT.ok;
    const text = await writeMigration(p.plan, { allowDestructive: v["allow-destructive"] === true });
    const m = await readMigration(text, "(migrate)");
    const result = await applyMigration(p.pair.fromDb!, m, {
      shadow: p.shadow,
      lockTimeout: v["lock-timeout"] ?? "10s",
      file: "the migration",
    });
    for (const sql of result.ran) ctx.io.out(sql);
    ctx.io.out(`Converged: ${result.ran.length} statement(s) applied; fingerprint ${result.fingerprint}.`);
    return EXIT.ok;
  } finally {
    await release(p);
  }
}
