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

-- [1/3] pre: alter_enum type:public.mood
-- reason: enum label 'angry' is new
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE 'angry' BEFORE 'sad';

-- [2/3] pre: alter_enum type:public.mood
-- reason: enum label 'content' is new
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE 'content' BEFORE 'happy';

-- [3/3] pre: alter_enum type:public.mood
-- reason: enum label 'ecstatic' is new
-- was: ENUM ('sad', 'ok', 'happy')
-- now: ENUM ('angry', 'sad', 'ok', 'content', 'happy', 'ecstatic')
ALTER TYPE public.mood ADD VALUE 'ecstatic' AFTER 'happy';

-- [data] Data migration: statements written between this line and -- [/data] run after the
-- old constraints are dropped and before the new ones are added, in the same transaction.

-- [/data]

-- expect: type:public.mood 9fda5c8cf30c628f
-- checksum: sha256:f88f10db5dc04ad5eb3ce55adae5dc7685a09fde7c42d202a8f61c310e66b8bf
-- end of migration
