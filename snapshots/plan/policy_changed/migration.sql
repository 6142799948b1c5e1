-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:5835329b46ce8ed1418eae73fd893cd23487c977e66e404fa7bea23eb001a876
-- to: sha256:80f499d5cc4390e2a106d6fd2882313368da2c217e094c0ab17d2e8750070f34
-- schemas: public
-- allow-destructive: yes
-- statements: 8
--
-- Summary
--   hazard: [security] changes which rows of public.notes PUBLIC can see or write: review was/now
--   hazard: [data_loss] drops column public.notes.legacy_tenant and its values
--   hazard: [security] the owner of public.notes becomes subject to its policies too

-- [1/8] drop: drop_policy policy:public.notes.notes_owner
-- reason: policy changed: the old one goes first, the new one is created after the tables and columns it uses
-- was: AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner = current_setting('rls.current_user_id'::text, true)))
-- now: AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner = current_setting('rls.current_user_id'::text, true)))
-- hazard [security]: changes which rows of public.notes PUBLIC can see or write: review was/now
DROP POLICY notes_owner ON public.notes;

-- [2/8] drop: drop_policy policy:public.notes.notes_tenant
-- reason: policy changed: the old one goes first, the new one is created after the tables and columns it uses
-- was: AS RESTRICTIVE FOR ALL TO PUBLIC USING ((legacy_tenant = (current_setting('app.tenant'::text, true))::integer)) WITH CHECK ((legacy_tenant = (current_setting('app.tenant'::text, true))::integer))
-- now: AS RESTRICTIVE FOR ALL TO PUBLIC USING ((tenant = (current_setting('app.tenant'::text, true))::integer)) WITH CHECK ((tenant = (current_setting('app.tenant'::text, true))::integer))
-- hazard [security]: changes which rows of public.notes PUBLIC can see or write: review was/now
DROP POLICY notes_tenant ON public.notes;

-- [3/8] drop: drop_column column:public.notes.legacy_tenant (destructive)
-- reason: column is not in the desired schema
-- was: integer
-- hazard [data_loss]: drops column public.notes.legacy_tenant and its values
ALTER TABLE public.notes DROP COLUMN legacy_tenant;

-- [4/8] pre: rename_policy policy:public.notes.notes_unowned
-- reason: same policy under another name (was notes_public)
-- now: AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner IS NULL))
ALTER POLICY notes_public ON public.notes RENAME TO notes_unowned;

-- [5/8] pre: add_column column:public.notes.tenant
-- reason: column is new
-- now: integer
ALTER TABLE public.notes ADD COLUMN tenant integer;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [6/8] post: create_policy policy:public.notes.notes_owner
-- reason: policy changed: dropped before everything else, created again here
-- was: AS PERMISSIVE FOR ALL TO PUBLIC USING ((owner = current_setting('rls.current_user_id'::text, true)))
-- now: AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner = current_setting('rls.current_user_id'::text, true)))
CREATE POLICY notes_owner ON public.notes AS PERMISSIVE FOR SELECT TO PUBLIC USING ((owner = current_setting('rls.current_user_id'::text, true)));

-- [7/8] post: create_policy policy:public.notes.notes_tenant
-- reason: policy changed: dropped before everything else, created again here
-- was: AS RESTRICTIVE FOR ALL TO PUBLIC USING ((legacy_tenant = (current_setting('app.tenant'::text, true))::integer)) WITH CHECK ((legacy_tenant = (current_setting('app.tenant'::text, true))::integer))
-- now: AS RESTRICTIVE FOR ALL TO PUBLIC USING ((tenant = (current_setting('app.tenant'::text, true))::integer)) WITH CHECK ((tenant = (current_setting('app.tenant'::text, true))::integer))
CREATE POLICY notes_tenant ON public.notes AS RESTRICTIVE FOR ALL TO PUBLIC USING ((tenant = (current_setting('app.tenant'::text, true))::integer)) WITH CHECK ((tenant = (current_setting('app.tenant'::text, true))::integer));

-- [8/8] post: alter_rls rls:public.notes
-- reason: row-level security is forced in the desired schema
-- was: ENABLE ROW LEVEL SECURITY
-- now: ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY
-- hazard [security]: the owner of public.notes becomes subject to its policies too
ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;

-- expect: column:public.notes.legacy_tenant absent
-- expect: column:public.notes.tenant 1c02a3eddc6307bd
-- expect: policy:public.notes.notes_owner 1e40281b3e814103
-- expect: policy:public.notes.notes_tenant 1b50ec2b6b190bc3
-- expect: policy:public.notes.notes_unowned 87b4f66ecac4a0bb
-- expect: rls:public.notes f34516b9d2af2a15
-- checksum: sha256:5fe045413c3320a4b983ac5d753ccbb0cf502d4ede1cd7d6f80dee8001f1806b
-- end of migration
