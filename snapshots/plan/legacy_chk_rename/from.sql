-- A table as DataProviderMigrate 0.9.11+ made it: the column CHECK is named <table>_<column>_chk.
CREATE TABLE public.jobs (
    id uuid NOT NULL,
    state text NOT NULL,
    CONSTRAINT "PK_jobs" PRIMARY KEY (id),
    CONSTRAINT jobs_state_chk CHECK (state IN ('queued', 'running', 'done'))
);
