/**
 * The post-load check: whatever the shadow holds after executing a schema.yaml must have been
 * declared by a key or named by a `sql:` item, whether the snapshot is fresh or from the cache.
 * The loader already refuses hostile values, so these tests bypass it to plant one.
 */
import assert, { equal, match } from "node:assert/strict";
import { PgcError } from "../mod.ts";
import { ensureSqlParser } from "../src/model/sql_parser.ts";
import type { Snapshot } from "../src/model/snapshot.ts";
import { renderSchemaDdl } from "../src/render/schema_ddl.ts";
import { canonicalizeStatements } from "../src/shadow/canonicalize.ts";
import { openShadow, type Shadow } from "../src/shadow/shadow.ts";
import { checkDeclared } from "../src/shadow/undeclared.ts";
import { canonicalizeYamlText } from "../src/source/source.ts";
import { loadSchemaYaml } from "../src/yaml/load.ts";

await ensureSqlParser();

const YAML = `tables:
  - name: t
    columns:
      - { name: id, type: Int, isNullable: false }
      - { name: n, type: Int, checkConstraint: "n > 0" }
    primaryKey: { columns: [id] }
    indexes:
      - { name: ix_t_n, columns: [n], filter: "n > 1" }
`;

/** A shadow that counts how often it really loads something. */
function counting(inner: Shadow): Shadow & { loads: number } {
  const s = {
    loads: 0,
    identity: () => inner.identity(),
    canonicalize(load: Parameters<Shadow["canonicalize"]>[0], schemas?: string[]) {
      s.loads++;
      return inner.canonicalize(load, schemas);
    },
    close: () => inner.close(),
  };
  return s;
}

function refusal(f: () => void): PgcError {
  try {
    f();
  } catch (e) {
    if (e instanceof PgcError) return e;
    throw e;
  }
  assert.fail("expected the check to refuse");
}

Deno.test("a snapshot holding a column no key declares is refused, located at its table", () => {
  const schema = loadSchemaYaml(YAML, "schema.yaml");
  const ddl = renderSchemaDdl(schema);
  const snap: Snapshot = {
    schemas: ["public"],
    objects: new Map([["column:public.t.injected", {
      kind: "column",
      id: "column:public.t.injected",
      schema: "public",
      table: "t",
      name: "injected",
      position: 3,
      type: "integer",
      notNull: false,
    }]]),
  };
  const e = refusal(() => checkDeclared(schema, ddl.statements, snap));
  equal(e.code, "yaml_invalid");
  equal(e.exitCode, 2);
  match(
    e.message,
    /^schema\.yaml:2:5: after loading the file, the shadow database holds column public\.t\.injected, which no key declares$/,
  );
});

Deno.test("[pglite] a value that slipped past the loader is caught after the shadow, fresh and from the cache", async () => {
  const shadow = counting(openShadow());
  try {
    // A unique table name keeps this run's cache entries apart from earlier runs'.
    const name = `t_${crypto.randomUUID().slice(0, 8)}`;
    const yaml = YAML.replace("name: t\n", `name: ${name}\n`);
    const schema = loadSchemaYaml(yaml, "schema.yaml");
    schema.tables[0].columns[1].checkConstraint = "n > 0), ADD COLUMN evil int, ADD CHECK (true";
    const ddl = renderSchemaDdl(schema);
    for (const round of ["fresh", "cached"]) {
      const snap = await canonicalizeStatements(shadow, ddl.statements, ddl.schemas);
      assert(snap.objects.has(`column:public.${name}.evil`), `${round}: the shadow really holds it`);
      const e = refusal(() => checkDeclared(schema, ddl.statements, snap));
      // Located at the checkConstraint value, the DDL that mentions "evil".
      match(
        e.message,
        new RegExp(
          `^schema\\.yaml:5:48: .*holds column public\\.${name}\\.evil, which no key declares \\(it comes from the value of "checkConstraint"\\)`,
        ),
      );
    }
    equal(shadow.loads, 1, "the second round was answered from the cache, and still checked");
  } finally {
    await shadow.close();
  }
});

Deno.test("[pglite] objects made by sql: items pass when the items name them; a name built at run time does not", async () => {
  const shadow = openShadow();
  try {
    const tag = crypto.randomUUID().slice(0, 8);
    const made = `${YAML}sql:
  - |
    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TRIGGER trg_t BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch();
    CREATE SEQUENCE counter_${tag};
    CREATE INDEX ix_by_hand ON t (id, n);
    ALTER TABLE t ADD CONSTRAINT t_n_small CHECK (n < 100);
    DO $$ BEGIN EXECUTE 'CREATE TABLE audit_${tag} (x int)'; END $$;
`;
    const ok = await canonicalizeYamlText(made, "schema.yaml", shadow);
    for (const id of [`sequence:public.counter_${tag}`, "trigger:public.t.trg_t", `table:public.audit_${tag}`]) {
      assert(ok.snapshot.objects.has(id), `${id} is there`);
    }
    const built =
      `${YAML}sql:\n  - "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (x int)', 'built_' || '${tag}'); END $$"\n`;
    const e = await canonicalizeYamlText(built, "schema.yaml", shadow).then(() => undefined, (e) => e);
    assert(e instanceof PgcError, String(e));
    equal(e.code, "yaml_invalid");
    match(e.message, new RegExp(`holds table public\\.built_${tag}, which no key declares`));
  } finally {
    await shadow.close();
  }
});
