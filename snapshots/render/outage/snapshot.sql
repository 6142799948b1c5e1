-- pgconverge canonical schema snapshot; schemas: public

CREATE TABLE public.usage_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL
);

ALTER TABLE public.usage_events ADD CONSTRAINT "PK_usage_events" PRIMARY KEY (id);

ALTER TABLE public.usage_events ADD CONSTRAINT usage_events_kind_check CHECK ((kind = ANY (ARRAY['request'::text, 'input_tokens'::text, 'output_tokens'::text, 'sandbox_seconds'::text])));
