-- pgconverge canonical schema snapshot; schemas: public

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE public.tier AS ENUM ('free', 'pro');

CREATE TABLE public.people (
    id integer NOT NULL,
    mood public.mood DEFAULT 'ok'::public.mood,
    tier public.tier NOT NULL
);

ALTER TABLE public.people ADD CONSTRAINT "PK_people" PRIMARY KEY (id);
