-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:233d99a2d43d1d68c41a3cdb6df183c39f9446714617cb6c3e5e0adea736310f
-- to: sha256:e0cf3ba7f7cb103557573af2e9a7017cbc65270759232a9820311347648e5e1a
-- schemas: public
-- allow-destructive: no
-- statements: 2

-- [1/2] early: alter_enum type:public.tier
-- reason: enum label 'team' is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)
-- was: ENUM ('free', 'pro')
-- now: ENUM ('basic', 'pro', 'team')
ALTER TYPE public.tier ADD VALUE IF NOT EXISTS 'team' AFTER 'pro';

-- [commit] sha256:766235a4d69d1e07372376fb2f8963b69fde4d0da8a7458b76895612bc2a23e2
-- Statement 1 is committed here, once the schema is verified to have the fingerprint
-- above: PostgreSQL refuses a new enum label in the transaction that adds it. What follows runs in
-- its own transaction. If it fails, this part stays committed: apply this file again to go on from
-- here, or plan again from the database as it then is.

-- [2/2] drop: rename type:public.tier
-- reason: label 'free' renamed to 'basic' (renamedValues in the schema)
ALTER TYPE public.tier RENAME VALUE 'free' TO 'basic';

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- expect: type:public.tier 1beb893668ff2c8b
-- checksum: sha256:4fe063521f75ef24b6a070249019d5c77f04d0a50be56004e09cd62df2329b2b
-- end of migration
