-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:9e037aec3599d2856d8ac4d97af8645b2a2857b5134b373bd76e9b8c5b7ce0e0
-- to: sha256:bf48156a8e9201820419557cd62fef2e88d2e275008831de1285d7809346c411
-- schemas: public
-- allow-destructive: yes
-- statements: 3
--
-- Summary
--   hazard: [data_loss] drops column public.keep.legacy and its values
--   hazard: [data_loss] drops table public.old_stuff and all its rows
--   hazard: [data_loss] values may not fit character varying(10): the change can fail or lose precision

-- [1/3] drop: drop_column column:public.keep.legacy (destructive)
-- reason: column is not in the desired schema
-- was: text
-- hazard [data_loss]: drops column public.keep.legacy and its values
ALTER TABLE public.keep DROP COLUMN legacy;

-- [2/3] drop: drop_table table:public.old_stuff (destructive)
-- reason: table is not in the desired schema
-- hazard [data_loss]: drops table public.old_stuff and all its rows
DROP TABLE public.old_stuff;

-- [3/3] pre: alter_column column:public.keep.code (destructive)
-- reason: type changed
-- was: character varying(50)
-- now: character varying(10)
-- hazard [data_loss]: values may not fit character varying(10): the change can fail or lose precision
-- count: rows of public.keep have a code longer than 10 characters
-- count-sql: SELECT count(*)::bigint AS n FROM public.keep WHERE length(code) > 10
ALTER TABLE public.keep ALTER COLUMN code TYPE character varying(10);

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- expect: column:public.keep.code 05dca957dd84d542
-- expect: column:public.keep.legacy absent
-- expect: table:public.old_stuff absent
-- checksum: sha256:72c0e5785a797552ff28517a622a3634cae5bfc21eb6caadd30577f6ab07b94b
-- end of migration
