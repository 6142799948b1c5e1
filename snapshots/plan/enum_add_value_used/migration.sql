-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:d206243df07c7786d30d382112050a281f6f7f4bca49224d597ca57af2cdd904
-- to: sha256:b14df34dbfcf83edc3c800df6f0042527345ed25c6a4e349df081f89753a08ba
-- schemas: public
-- allow-destructive: no
-- statements: 4
--
-- Summary
--   hazard: [validation_scan] scans public.people to validate, holding a lock that blocks writes

-- [1/4] early: alter_enum type:public.mood
-- reason: enum label 'ok' is new (committed before the rest: PostgreSQL refuses a label in the transaction that adds it)
-- was: ENUM ('sad', 'happy')
-- now: ENUM ('sad', 'ok', 'happy')
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ok' BEFORE 'happy';

-- [commit] sha256:9d4ed1dddedae98a7c0f7cdc0ab9b61436097da05e34fa8a29dc6d4e17ed73c3
-- Statement 1 is committed here, once the schema is verified to have the fingerprint
-- above: PostgreSQL refuses a new enum label in the transaction that adds it. What follows runs in
-- its own transaction. If it fails, this part stays committed: apply this file again to go on from
-- here, or plan again from the database as it then is.

-- [2/4] pre: add_column column:public.people.usual_mood
-- reason: column is new
-- now: public.mood DEFAULT 'ok'::public.mood NOT NULL
ALTER TABLE public.people ADD COLUMN usual_mood public.mood DEFAULT 'ok'::public.mood NOT NULL;

-- [3/4] pre: alter_column column:public.people.mood
-- reason: default changed
-- was: public.mood
-- now: public.mood DEFAULT 'ok'::public.mood
ALTER TABLE public.people ALTER COLUMN mood SET DEFAULT 'ok'::public.mood;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [4/4] post: add_constraint constraint:public.people.people_not_sad
-- reason: CHECK is new
-- now: CHECK ((usual_mood = ANY (ARRAY['ok'::public.mood, 'happy'::public.mood])))
-- hazard [validation_scan]: scans public.people to validate, holding a lock that blocks writes
ALTER TABLE public.people ADD CONSTRAINT people_not_sad CHECK ((usual_mood = ANY (ARRAY['ok'::public.mood, 'happy'::public.mood])));

-- expect: column:public.people.mood 533b661fc6278e76
-- expect: column:public.people.usual_mood 6028171f5d4f1ef4
-- expect: constraint:public.people.people_not_sad 54774bd35e39469b
-- expect: type:public.mood 29fc8ff0522894dc
-- checksum: sha256:0241b7c5a4d55b7771f0238deb3799b9a5510b6c7b548f2b2e47ae3bd3446070
-- end of migration
