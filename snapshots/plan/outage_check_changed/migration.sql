-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:d94ba3863fdc48944db5998475cf7c5a3bad09c06fcda161e56192750e87c82d
-- to: sha256:740ed6bbaf0193f2245cf1733f4342c1e8a83bb6fd7783c365cb53b247a12c4c
-- schemas: public
-- allow-destructive: no
-- statements: 2
--
-- Summary
--   hazard: [validation_scan] scans public.usage_events to validate, holding a lock that blocks writes

-- [1/2] drop: drop_constraint constraint:public.usage_events.usage_events_kind_check
-- reason: CHECK changed: the old one goes before the data section, the new one is added after it
-- was: CHECK ((kind = ANY (ARRAY['request'::text, 'input_tokens'::text, 'output_tokens'::text, 'sandbox_seconds'::text])))
-- now: CHECK ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text, 'llm_output_tokens'::text, 'machine_seconds'::text])))
ALTER TABLE public.usage_events DROP CONSTRAINT usage_events_kind_check;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [2/2] post: add_constraint constraint:public.usage_events.usage_events_kind_check
-- reason: CHECK changed
-- was: CHECK ((kind = ANY (ARRAY['request'::text, 'input_tokens'::text, 'output_tokens'::text, 'sandbox_seconds'::text])))
-- now: CHECK ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text, 'llm_output_tokens'::text, 'machine_seconds'::text])))
-- hazard [validation_scan]: scans public.usage_events to validate, holding a lock that blocks writes
-- count: rows of public.usage_events break the new CHECK usage_events_kind_check
-- count-sql: SELECT count(*)::bigint AS n FROM public.usage_events WHERE NOT ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text, 'llm_output_tokens'::text, 'machine_seconds'::text])))
ALTER TABLE public.usage_events ADD CONSTRAINT usage_events_kind_check CHECK ((kind = ANY (ARRAY['llm_request'::text, 'llm_input_tokens'::text, 'llm_output_tokens'::text, 'machine_seconds'::text])));

-- expect: constraint:public.usage_events.usage_events_kind_check 739fde3cdb261a5c
-- checksum: sha256:1bed74bbf73015b554f6f464c380531d05aec6c6b811f344aefc95377cd14727
-- end of migration
