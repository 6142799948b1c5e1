-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:8240a20d65d581da274352bec72e426298514955670354cb86ecbdd82422ce92
-- to: sha256:a599173e1d7c7d782e6bece8a9a915e7ac2e61dd81fd95c4203b8842b0668e91
-- schemas: public
-- allow-destructive: no
-- statements: 7
--
-- Summary
--   hazard: [table_rewrite] rewrites public.items under an ACCESS EXCLUSIVE lock
--   hazard: [validation_scan] scans public.items to check for NULLs

-- [1/7] pre: alter_column column:public.items.note
-- reason: default removed
-- was: text DEFAULT ''::text NOT NULL
-- now: text
ALTER TABLE public.items ALTER COLUMN note DROP DEFAULT;

-- [2/7] pre: alter_column column:public.items.id
-- reason: type changed
-- was: integer NOT NULL
-- now: bigint NOT NULL
-- hazard [table_rewrite]: rewrites public.items under an ACCESS EXCLUSIVE lock
ALTER TABLE public.items ALTER COLUMN id TYPE bigint;

-- [3/7] pre: alter_column column:public.items.price
-- reason: type changed
-- was: numeric(8,2)
-- now: numeric(12,2)
ALTER TABLE public.items ALTER COLUMN price TYPE numeric(12,2);

-- [4/7] pre: alter_column column:public.items.sku
-- reason: type changed
-- was: character varying(20) NOT NULL
-- now: character varying(64) NOT NULL
ALTER TABLE public.items ALTER COLUMN sku TYPE character varying(64);

-- [5/7] pre: alter_column column:public.items.note
-- reason: column became nullable
-- was: text DEFAULT ''::text NOT NULL
-- now: text
ALTER TABLE public.items ALTER COLUMN note DROP NOT NULL;

-- [6/7] pre: alter_column column:public.items.status
-- reason: default changed
-- was: text DEFAULT 'new'::text
-- now: text DEFAULT 'open'::text
ALTER TABLE public.items ALTER COLUMN status SET DEFAULT 'open'::text;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [7/7] post: alter_column column:public.items.qty
-- reason: column became NOT NULL
-- was: integer
-- now: integer NOT NULL
-- hazard [validation_scan]: scans public.items to check for NULLs
-- count: rows of public.items have NULL in qty, which becomes NOT NULL
-- count-sql: SELECT count(*)::bigint AS n FROM public.items WHERE qty IS NULL
ALTER TABLE public.items ALTER COLUMN qty SET NOT NULL;

-- expect: column:public.items.id d84f785acd5808eb
-- expect: column:public.items.note 4b3ca5a6d8f90b9d
-- expect: column:public.items.price afd9348db16231c3
-- expect: column:public.items.qty 89740e768299ec4e
-- expect: column:public.items.sku f78c2cefa2b20a15
-- expect: column:public.items.status ff1fca6c100cd0cc
-- checksum: sha256:e4e990491c9387906ae96aaea27037ed9b02500b63b050b70a8974086d41a838
-- end of migration
