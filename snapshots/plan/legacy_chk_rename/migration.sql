-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:5b7e7760533ecc4654e66b74dd27fe44d362fd0c154f94d8014cced6ec1ca280
-- to: sha256:65ccd7b6e30dbbf0274c4b4b522e5234eae3d3f740b7fbfa7fdadeee9b06fa9b
-- schemas: public
-- allow-destructive: no
-- statements: 1

-- [1/1] pre: rename_constraint constraint:public.jobs.jobs_state_check
-- reason: same CHECK under another name (was jobs_state_chk)
-- now: CHECK ((state = ANY (ARRAY['queued'::text, 'running'::text, 'done'::text])))
ALTER TABLE public.jobs RENAME CONSTRAINT jobs_state_chk TO jobs_state_check;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- expect: constraint:public.jobs.jobs_state_check 799cb5b38f46c671
-- checksum: sha256:654960f2ba9a8e68bd544e7cf3490891ae463931a385f152b42bd14b48c53bbb
-- end of migration
