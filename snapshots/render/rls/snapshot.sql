-- pgconverge canonical schema snapshot; schemas: app

CREATE SCHEMA app;

CREATE TABLE app.members (
    project_id uuid NOT NULL,
    user_id text NOT NULL
);

CREATE TABLE app.projects (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    "OwnerId" text NOT NULL,
    tenant_id integer NOT NULL,
    status character varying(20)
);

ALTER TABLE app.members ADD CONSTRAINT "PK_members" PRIMARY KEY (project_id, user_id);
ALTER TABLE app.projects ADD CONSTRAINT "PK_projects" PRIMARY KEY (id);

ALTER TABLE app.members ADD CONSTRAINT "FK_members_project_id" FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

CREATE POLICY members_self ON app.members AS PERMISSIVE FOR ALL TO PUBLIC USING ((user_id = current_setting('rls.current_user_id'::text, true)));
CREATE POLICY projects_insert_members ON app.projects AS PERMISSIVE FOR INSERT TO PUBLIC WITH CHECK ((EXISTS ( SELECT 1
   FROM app.members m
  WHERE ((m.project_id = projects.id) AND (m.user_id = current_setting('rls.current_user_id'::text, true))))));
CREATE POLICY projects_owner_reads ON app.projects AS PERMISSIVE FOR SELECT TO app_reader USING ((("OwnerId" = current_setting('rls.current_user_id'::text, true)) AND ((status)::text = ANY (ARRAY[('open'::character varying)::text, ('closed'::character varying)::text]))));
CREATE POLICY projects_tenant ON app.projects AS RESTRICTIVE FOR ALL TO app_reader, app_writer USING ((tenant_id = (current_setting('app.tenant_id'::text, true))::integer)) WITH CHECK ((tenant_id = (current_setting('app.tenant_id'::text, true))::integer));

ALTER TABLE app.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
