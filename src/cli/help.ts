/** The `--help` text: commands, options and exit codes. @module */

import { VERSION } from "../model/version.ts";

export { VERSION };

/** Full usage text. */
export const HELP = `pgconverge ${VERSION} — declarative PostgreSQL migrations that cannot lie

Usage:
  pgconverge render <schema.yaml> [-o FILE] [--check FILE]
  pgconverge dump   [--db URL] [-o FILE] [--schemas a,b] [--strict]
  pgconverge plan   --schema schema.yaml [--db URL] [-o FILE] [--allow-destructive] [--exit-code] [--format text|json]
  pgconverge plan   --from SOURCE --to SOURCE [same options]
  pgconverge apply  FILE [--db URL] [--lock-timeout 10s]
  pgconverge drift  --schema schema.yaml [--db URL] [--format text|json] [--strict]
  pgconverge migrate --schema schema.yaml [--db URL] [--allow-destructive]
  pgconverge pull   [--db URL] [-o schema.yaml] [--schemas a,b] [--strict]

A SOURCE is a database URL, a .yaml schema or a .sql file (e.g. a canonical snapshot).
--db defaults to $DATABASE_URL. Database URLs: postgres://user:pass@host:5432/db,
pglite:memory (throw-away embedded database) or pglite:PATH (embedded, kept in PATH).

Options:
  -o, --output FILE       write the result to FILE instead of standard output
  --check FILE            render: exit 4 when FILE differs from the rendered snapshot
  --schemas a,b           only these schemas (default: the ones the schema file names;
                          dump and pull: every user schema)
  --shadow-url URL        canonicalise in this (empty, scratch) server database instead of
                          the embedded PGlite shadow; pgconverge drops everything in it
  --allow-destructive     allow drops of tables/columns/schemas, narrowing type changes and
                          what opens rows up (DISABLE / NO FORCE row-level security,
                          dropping a RESTRICTIVE policy)
                          (recorded in the migration file; apply needs no flag then)
  --exit-code             plan: exit 4 when there are changes (drift always does)
  --strict                plan/drift/dump/pull: also exit 4 when the schemas hold objects
                          pgconverge does not manage yet (aggregates, event triggers,
                          publications, comments on functions, …; they are always listed)
  --format text|json      output format of plan and drift (default text)
  --lock-timeout DUR      apply: lock_timeout for every statement (default 10s)
  --provider postgres     migrate: accepted for DataProviderMigrate compatibility
  -h, --help              this text
  --version               print the version

Exit codes:
  0  ok / converged / no changes
  1  error (database unreachable, a statement failed, not converged: rolled back)
  2  usage or invalid input (schema.yaml problems, invalid SQL)
  3  refused (destructive change not allowed, live schema changed since plan, edited migration)
  4  changes exist (plan/drift with --exit-code; render --check when stale)
`;
