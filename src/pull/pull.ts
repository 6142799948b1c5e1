/**
 * `pull`: read a live database and write the schema.yaml that describes it, then prove it: the
 * file is loaded through the shadow and diffed against the live schema, exactly as `plan` would.
 * An object whose structured form does not come back identical is written as `sql:` instead (its
 * canonical DDL), and the file is checked again; a file that still differs is refused, never
 * written.
 * @module
 */
import type { Queryable } from "../db/queryable.ts";
import type { Change } from "../diff/change.ts";
import { diff } from "../diff/diff.ts";
import { introspect } from "../introspect/introspect.ts";
import { readPullDetails } from "../introspect/pull_details.ts";
import { tableId } from "../model/ids.ts";
import { PgcError } from "../model/errors.ts";
import { restrictToSchemas, type Snapshot } from "../model/snapshot.ts";
import { VERSION } from "../model/version.ts";
import { canonicalizeLive } from "../shadow/canonicalize.ts";
import type { Shadow } from "../shadow/shadow.ts";
import { canonicalizeYamlText } from "../source/source.ts";
import { buildPulledSchema } from "./build.ts";
import { pulledYamlText } from "./emit.ts";

/** Options of {@link pullSchema}. */
export interface PullOptions {
  /** Schemas to pull; every user schema when omitted. */
  schemas?: string[];
  /** The file name used in messages about the pulled text (`schema.yaml`). */
  file: string;
}

/** A pulled, verified schema.yaml. */
export interface PullResult {
  /** The schema.yaml text. */
  text: string;
  /** Objects in the pulled schemas that pgconverge does not manage, so the file does not hold them. */
  unmanaged: string[];
  /** Ids of the objects written under `sql:`. */
  asSql: string[];
  /** Tables written with structured keys. */
  tables: number;
}

/** Rounds of "write the objects that did not come back identical as `sql:`" before giving up. */
const ROUNDS = 3;

/** The ids a change is about. */
function idsOf(c: Change): string[] {
  switch (c.op) {
    case "rename":
      return [];
    case "create_table":
      return [c.to.id];
    default:
      return [..."from" in c && c.from ? [c.from.id] : [], ..."to" in c && c.to ? [c.to.id] : []];
  }
}

/** What to write as `sql:` so that object `id` comes back identical: a key itself, else its table. */
function sqlUnitOf(live: Snapshot, id: string): string | undefined {
  const o = live.objects.get(id);
  if (o === undefined) return undefined;
  switch (o.kind) {
    case "constraint":
    case "index":
      return o.id;
    case "table":
      return o.id;
    case "column":
    case "comment":
      return tableId(o.schema, o.table);
    default:
      return undefined;
  }
}

/** Read `db` and return a schema.yaml that plans to zero statements against it. */
export async function pullSchema(db: Queryable, shadow: Shadow, opts: PullOptions): Promise<PullResult> {
  const raw = await introspect(db, opts.schemas ? { schemas: opts.schemas } : {});
  const missing = raw.schemas.filter((s) => s !== "public" && !raw.objects.has(`schema:${s}`));
  if (missing.length > 0) {
    throw new PgcError("usage", `Schema(s) not found in ${db.label}: ${missing.join(", ")}.`, {
      hint: "Name existing schemas with --schemas, or leave it out to pull every user schema.",
    });
  }
  const outside = [...raw.objects.values()].flatMap((o) =>
    o.kind === "constraint" && o.references !== undefined && !raw.objects.has(o.references) ? [o] : []
  );
  if (outside.length > 0) {
    throw new PgcError("unsupported", `Foreign keys reference tables outside the pulled schemas.`, {
      hint: "Pull the referenced schemas too (--schemas a,b), or leave --schemas out. Nothing was written.",
      details: outside.map((o) => `${o.id} references ${o.references}`),
    });
  }
  const live = await canonicalizeLive(shadow, raw);
  const details = await readPullDetails(db, live.schemas);
  const unmanaged = live.unmanaged ?? [];
  const header = [
    `schema.yaml pulled by pgconverge ${VERSION}; schemas: ${live.schemas.join(", ") || "(none)"}.`,
    "Planning this file against the database it was pulled from gives zero statements.",
    "Objects with no structured key are under sql: as PostgreSQL prints them.",
    ...(unmanaged.length === 0 ? [] : [
      `Not managed by pgconverge yet, so not (fully) described here (${unmanaged.length}):`,
      ...unmanaged.map((u) => `  ${u}`),
    ]),
  ];
  const force = new Set<string>();
  let lastChanges: Change[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const built = buildPulledSchema(live, details, { forceSql: force });
    const text = pulledYamlText(built.document, header);
    const desired = (await verifyLoad(text, opts.file, shadow, unmanaged)).snapshot;
    const uncovered = live.schemas.filter((s) => !desired.schemas.includes(s));
    const { changes } = diff(restrictToSchemas(live, desired.schemas), desired);
    if (changes.length === 0 && uncovered.length === 0) {
      const tables = (built.document.tables as unknown[] | undefined)?.length ?? 0;
      return { text, unmanaged, asSql: built.asSql, tables };
    }
    lastChanges = changes;
    const units = changes.flatMap(idsOf).map((id) => sqlUnitOf(live, id)).filter((u): u is string => u !== undefined);
    const fresh = units.filter((u) => !force.has(u));
    if (fresh.length === 0) break;
    for (const u of fresh) force.add(u);
  }
  throw new PgcError(
    "unsupported",
    `pull cannot write a schema.yaml that plans to zero statements against ${db.label}: ${lastChanges.length} difference(s) remain.`,
    {
      hint: "This is a bug in pull: please report it with the objects listed. Nothing was written.",
      details: lastChanges.flatMap(idsOf).map((id) => `differs: ${id}`),
    },
  );
}

/** Load the pulled text through the shadow; a statement it rejects is explained in pull's terms. */
async function verifyLoad(text: string, file: string, shadow: Shadow, unmanaged: string[]) {
  try {
    return await canonicalizeYamlText(text, file, shadow);
  } catch (e) {
    if (!(e instanceof PgcError) || e.code !== "sql_invalid") throw e;
    throw new PgcError("unsupported", `The pulled schema does not load on its own: ${e.message}`, {
      hint: "Nothing was written. The schema rests on objects the file cannot hold: objects pgconverge does " +
        "not manage yet (listed below; their DDL belongs under sql: with load: beforeTables) or objects " +
        "in schemas that were not pulled (add them to --schemas).",
      problems: e.problems,
      details: unmanaged.map((u) => `not managed: ${u}`),
    });
  }
}
