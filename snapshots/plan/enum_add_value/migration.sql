-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:a9653498a9e22d13d021b70e0c853a7938ba36ba7416e2078c5a7b75569b45d7
-- to: sha256:b7235efb2d03f9cb2375ad0a9c8bb633fa24865646e3346a0fa4ac075ae64ae2
-- schemas: public
-- allow-destructive: no
-- statements: 3

-- [1/3] early: alter_enum type:public.mood
-- reason: enum label 'angry' is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'angry' BEFORE 'sad';

-- [2/3] early: alter_enum type:public.mood
-- reason: enum label 'content' is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'content' BEFORE 'happy';

-- [3/3] early: alter_enum type:public.mood
-- reason: enum label 'ecstatic' is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';

-- [commit] sha256:b7235efb2d03f9cb2375ad0a9c8bb633fa24865646e3346a0fa4ac075ae64ae2
-- Statements 1-3 are committed here, once the schema is verified to have the fingerprint
-- above: PostgreSQL refuses a new enum label in the transaction that adds it. What follows runs in
-- its own transaction. If it fails, this part stays committed: apply this file again to go on from
-- here, or plan again from the database as it then is.

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- expect: type:public.mood 9fda5c8cf30c628f
-- checksum: sha256:26756fcc9fc7c0860be064d94a40af8e70b092386f80623e30de2ea79495f525
-- end of migration
