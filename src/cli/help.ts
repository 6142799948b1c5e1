/** The `--help` text: commands, options and exit codes. @module */

import { VERSION } from "../model/version.ts";

export { VERSION };

/** Full usage text. */
export const HELP = `pgconverge ${VERSION} — declarative PostgreSQL migrations that cannot lie

Usage:
  pgconverge render <schema.yaml> [-o FILE [--force] | --check FILE]
  pgconverge dump   [--db URL] [-o FILE [--force]] [--schemas a,b] [--strict]
  pgconverge plan   --schema schema.yaml [--db URL] [-o FILE [--force]] [--allow-destructive] [--exit-code] [--format text|json]
  pgconverge plan   --from SOURCE --to SOURCE [same options]
  pgconverge apply  FILE [--db URL] [--lock-timeout 10s]
  pgconverge drift  --schema schema.yaml [--db URL] [--format text|json] [--strict]
  pgconverge migrate --schema schema.yaml [--db URL] [--allow-destructive] [--lock-timeout 10s]
  pgconverge pull   [--db URL] [-o schema.yaml [--force]] [--schemas a,b] [--strict]

A SOURCE is a database URL, a .yaml schema or a .sql file (e.g. a canonical snapshot).
--db defaults to $DATABASE_URL. Database URLs: postgres://user:pass@host:5432/db (percent-encode
special characters: % as %25, @ as %40), Host=…;Port=…;Database=…;Username=…;Password=…,
pglite:memory (throw-away embedded database) or pglite:PATH (embedded, kept in PATH).
A command refuses an option it does not read.

Options:
  -o, --output FILE       write the result to FILE instead of standard output; a FILE holding
                          work is kept (exit 3): a migration whose data section has SQL, a
                          schema.yaml pull did not write or that was edited since, any file
                          render/dump/plan/pull did not write
  --force                 with -o: replace FILE even then
  --check FILE            render: exit 4 when FILE differs from the rendered snapshot
  --schemas a,b           only these schemas (default: the ones the schema file names;
                          dump and pull: every user schema); a name neither the file nor
                          the database has is an error (exit 2)
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
  --lock-timeout DUR      apply, migrate: lock_timeout for every statement (default 10s):
                          a number with us, ms, s, min, h or d (a bare number is ms; 0 waits
                          forever)
  --provider postgres     migrate: accepted for DataProviderMigrate compatibility
  -h, --help              this text
  --version               print the version

Exit codes:
  0  ok / converged / no changes
  1  error (database unreachable, a statement failed, not converged: rolled back)
  2  usage or invalid input (schema.yaml problems, invalid SQL)
  3  refused (destructive change not allowed, live schema changed since plan, edited migration,
     -o onto a file holding work without --force)
  4  changes exist (plan --exit-code, drift, render --check when stale, --strict with
     objects pgconverge does not manage)
  130/143  apply or migrate interrupted by SIGINT/SIGTERM: the statement cancelled, rolled back
`;
