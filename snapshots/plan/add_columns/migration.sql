-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:d8c5edbe2d68aee3b8ba88d9f12c979941373131531a64196eb2492dc632e811
-- to: sha256:edef8c1c51e700a6ad1037febb75660745721e4f043b543c312bf3bd145bc21c
-- schemas: public
-- allow-destructive: no
-- statements: 7
--
-- Summary
--   hazard: [validation_scan] scans public.accounts to check for NULLs
--   hazard: [validation_scan] scans public.accounts to validate, holding a lock that blocks writes
--   hazard: [blocks_writes] builds the index while blocking writes to public.accounts

-- [1/7] pre: add_column column:public.accounts.plan
-- reason: column is new
-- now: text NOT NULL
ALTER TABLE public.accounts ADD COLUMN plan text;

-- [2/7] pre: add_column column:public.accounts.seats
-- reason: column is new
-- now: integer DEFAULT 1 NOT NULL
ALTER TABLE public.accounts ADD COLUMN seats integer DEFAULT 1 NOT NULL;

-- [3/7] pre: add_column column:public.accounts.region
-- reason: column is new
-- now: character varying(8)
ALTER TABLE public.accounts ADD COLUMN region character varying(8);

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [4/7] post: add_column column:public.accounts.plan
-- reason: new NOT NULL column without a default: added nullable, filled by the data section, then made NOT NULL
-- hazard [validation_scan]: scans public.accounts to check for NULLs
-- count: rows of public.accounts need a value in the new NOT NULL column plan
-- count-sql: SELECT count(*)::bigint AS n FROM public.accounts
ALTER TABLE public.accounts ALTER COLUMN plan SET NOT NULL;

-- [5/7] post: add_constraint constraint:public.accounts.accounts_plan_check
-- reason: CHECK is new
-- now: CHECK ((plan = ANY (ARRAY['free'::text, 'pro'::text])))
-- hazard [validation_scan]: scans public.accounts to validate, holding a lock that blocks writes
ALTER TABLE public.accounts ADD CONSTRAINT accounts_plan_check CHECK ((plan = ANY (ARRAY['free'::text, 'pro'::text])));

-- [6/7] post: create_index index:public.ix_accounts_plan
-- reason: index is new
-- now: CREATE INDEX ix_accounts_plan ON public.accounts USING btree (plan) WHERE (plan <> 'free'::text)
-- hazard [blocks_writes]: builds the index while blocking writes to public.accounts
CREATE INDEX ix_accounts_plan ON public.accounts USING btree (plan) WHERE (plan <> 'free'::text);

-- [7/7] post: set_comment comment:column:public.accounts.region
-- reason: comment is new
-- now: 'ISO region code'
COMMENT ON COLUMN public.accounts.region IS 'ISO region code';

-- expect: column:public.accounts.plan 5a09fdd48f11277d
-- expect: column:public.accounts.region bd4e7e44d6e50850
-- expect: column:public.accounts.seats d2d39572b6d1d8c9
-- expect: comment:column:public.accounts.region 054d1e9eaa1b2b09
-- expect: constraint:public.accounts.accounts_plan_check a4920753739d39ee
-- expect: index:public.ix_accounts_plan bbcc1b9d1b652716
-- checksum: sha256:1004a91e36420324ecf60ad0949065b0d19acaf43654dccf2b165d01731a2511
-- end of migration
