-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:789bf9a38268b8e904ba3d3daeee41129a8ca786eced46b02e41f60d52e04e2b
-- to: sha256:6c951eadde31eb1503976be29729c109218b50ec2c8bf135c375b14a512bec25
-- schemas: public
-- allow-destructive: no
-- statements: 14
--
-- Summary
--   hazard: [table_rewrite] rewrites public.posts under an ACCESS EXCLUSIVE lock
--   hazard: [validation_scan] scans public.posts to validate, holding a lock that blocks writes
--   hazard: [blocks_writes] builds the index while blocking writes to public.posts

-- [1/14] drop: drop_view view:public.live_posts
-- reason: dropped for now, created again below: it depends on column:public.posts.status, which this plan drops or changes
-- was: VIEW (id integer, status public.status) AS SELECT id,
-- was:     status
-- was:    FROM public.posts
-- was:   WHERE status = 'live'::public.status
DROP VIEW public.live_posts;

-- [2/14] drop: drop_index index:public.ix_posts_status
-- reason: dropped for now: it rests on enum public.status, which is recreated
-- was: CREATE INDEX ix_posts_status ON public.posts USING btree (status)
DROP INDEX public.ix_posts_status;

-- [3/14] drop: drop_constraint constraint:public.posts.posts_not_archived
-- reason: dropped for now: it rests on enum public.status, which is recreated
-- was: CHECK ((status <> 'archived'::public.status))
ALTER TABLE public.posts DROP CONSTRAINT posts_not_archived;

-- [4/14] pre: recreate_enum column:public.posts.status
-- reason: default dropped while enum public.status loses 'review'
ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;

-- [5/14] pre: recreate_enum column:public.posts.history
-- reason: held as text[] while enum public.status loses 'review' (the data section sees text)
-- hazard [table_rewrite]: rewrites public.posts under an ACCESS EXCLUSIVE lock
ALTER TABLE public.posts ALTER COLUMN history TYPE text[] USING history::text[];

-- [6/14] pre: recreate_enum column:public.posts.status
-- reason: held as text while enum public.status loses 'review' (the data section sees text)
-- hazard [table_rewrite]: rewrites public.posts under an ACCESS EXCLUSIVE lock
ALTER TABLE public.posts ALTER COLUMN status TYPE text USING status::text;

-- [7/14] pre: recreate_enum type:public.status
-- reason: enum public.status loses 'review': dropped, created again below
-- was: ENUM ('draft', 'review', 'live', 'archived')
-- now: ENUM ('archived', 'draft', 'live')
DROP TYPE public.status;

-- [8/14] pre: recreate_enum type:public.status
-- reason: enum public.status loses 'review': created again with the new labels
-- was: ENUM ('draft', 'review', 'live', 'archived')
-- now: ENUM ('archived', 'draft', 'live')
CREATE TYPE public.status AS ENUM ('archived', 'draft', 'live');

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [9/14] post: recreate_enum column:public.posts.history
-- reason: back to the recreated type (fails while a row holds a removed label)
-- hazard [table_rewrite]: rewrites public.posts under an ACCESS EXCLUSIVE lock
-- count: rows of public.posts hold a label removed from public.status ('review') in history
-- count-sql: SELECT count(*)::bigint AS n FROM public.posts WHERE EXISTS (SELECT 1 FROM unnest(history) AS v WHERE v::text <> ALL (ARRAY['archived', 'draft', 'live']::text[]))
ALTER TABLE public.posts ALTER COLUMN history TYPE public.status[] USING history::public.status[];

-- [10/14] post: recreate_enum column:public.posts.status
-- reason: back to the recreated type (fails while a row holds a removed label)
-- hazard [table_rewrite]: rewrites public.posts under an ACCESS EXCLUSIVE lock
-- count: rows of public.posts hold a label removed from public.status ('review') in status
-- count-sql: SELECT count(*)::bigint AS n FROM public.posts WHERE status::text <> ALL (ARRAY['archived', 'draft', 'live']::text[])
ALTER TABLE public.posts ALTER COLUMN status TYPE public.status USING status::public.status;

-- [11/14] post: recreate_enum column:public.posts.status
-- reason: default set again: enum public.status loses 'review'
ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::public.status;

-- [12/14] post: add_constraint constraint:public.posts.posts_not_archived
-- reason: re-added: it rests on enum public.status, which is recreated
-- now: CHECK ((status <> 'archived'::public.status))
-- hazard [validation_scan]: scans public.posts to validate, holding a lock that blocks writes
-- count: rows of public.posts break the new CHECK posts_not_archived
-- count-sql: SELECT count(*)::bigint AS n FROM public.posts WHERE NOT ((status <> 'archived'::public.status))
ALTER TABLE public.posts ADD CONSTRAINT posts_not_archived CHECK ((status <> 'archived'::public.status));

-- [13/14] post: create_index index:public.ix_posts_status
-- reason: created again: it rests on enum public.status, which is recreated
-- was: CREATE INDEX ix_posts_status ON public.posts USING btree (status)
-- now: CREATE INDEX ix_posts_status ON public.posts USING btree (status)
-- hazard [blocks_writes]: builds the index while blocking writes to public.posts
CREATE INDEX ix_posts_status ON public.posts USING btree (status);

-- [14/14] post: create_view view:public.live_posts
-- reason: recreated: it depends on column:public.posts.status, which this plan drops or changes
-- was: VIEW (id integer, status public.status) AS SELECT id,
-- was:     status
-- was:    FROM public.posts
-- was:   WHERE status = 'live'::public.status
-- now: VIEW (id integer, status public.status) AS SELECT id,
-- now:     status
-- now:    FROM public.posts
-- now:   WHERE status = 'live'::public.status
CREATE VIEW public.live_posts AS
SELECT id,
    status
   FROM public.posts
  WHERE status = 'live'::public.status;

-- expect: column:public.posts.history b3fd9bcce766369c
-- expect: column:public.posts.status baa7fb0340f77c57
-- expect: constraint:public.posts.posts_not_archived e96c189a41fe0ddc
-- expect: index:public.ix_posts_status 93c3a0b37e176dcb
-- expect: type:public.status f19639f1336af6c4
-- expect: view:public.live_posts 16acd8f669f328f2
-- checksum: sha256:c402137cafc28878b5e67ff7cb2cedb57eaf0a075d36670502b75bbd9d0298cc
-- end of migration
