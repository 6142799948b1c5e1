-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:442502b9a1abc19bf36488bf343971d9a1e6e69fd98f3ce76461383d7273cceb
-- to: sha256:e29fb186e6e761d50c12b4c5ed28af74b59c4065410264cd0d2afa337f19a3a0
-- schemas: public
-- allow-destructive: no
-- statements: 5
--
-- Summary
--   hazard: [validation_scan] scans public.regions to validate, holding a lock that blocks writes
--   hazard: [validation_scan] scans public.stores to validate, holding a lock that blocks writes

-- [1/5] drop: drop_constraint constraint:public.stores.FK_stores_region_code
-- reason: dropped for now: the key it references on public.regions is rebuilt
-- was: FOREIGN KEY (region_code) REFERENCES public.regions(code)
ALTER TABLE public.stores DROP CONSTRAINT "FK_stores_region_code";

-- [2/5] drop: drop_constraint constraint:public.regions.PK_regions
-- reason: primary key changed: the old one goes before the data section, the new one is added after it
-- was: PRIMARY KEY (code)
-- now: PRIMARY KEY (country, code)
ALTER TABLE public.regions DROP CONSTRAINT "PK_regions";

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- [3/5] post: add_constraint constraint:public.regions.PK_regions
-- reason: primary key changed
-- was: PRIMARY KEY (code)
-- now: PRIMARY KEY (country, code)
-- hazard [validation_scan]: scans public.regions to validate, holding a lock that blocks writes
-- count: rows of public.regions collide (or are NULL) under the new primary key PK_regions
-- count-sql: SELECT (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM public.regions WHERE country IS NOT NULL AND code IS NOT NULL GROUP BY country, code HAVING count(*) > 1) d) + (SELECT count(*) FROM public.regions WHERE false OR country IS NULL OR code IS NULL)::bigint AS n
ALTER TABLE public.regions ADD CONSTRAINT "PK_regions" PRIMARY KEY (country, code);

-- [4/5] post: add_constraint constraint:public.regions.UQ_regions_code
-- reason: unique constraint is new
-- now: UNIQUE (code)
-- hazard [validation_scan]: scans public.regions to validate, holding a lock that blocks writes
-- count: rows of public.regions collide (or are NULL) under the new unique constraint UQ_regions_code
-- count-sql: SELECT (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM public.regions WHERE code IS NOT NULL GROUP BY code HAVING count(*) > 1) d)::bigint AS n
ALTER TABLE public.regions ADD CONSTRAINT "UQ_regions_code" UNIQUE (code);

-- [5/5] post: add_constraint constraint:public.stores.FK_stores_region_code
-- reason: re-added: the key it references on public.regions is rebuilt
-- now: FOREIGN KEY (region_code) REFERENCES public.regions(code)
-- hazard [validation_scan]: scans public.stores to validate, holding a lock that blocks writes
-- count: rows of public.stores reference no row of public.regions (they break the new foreign key FK_stores_region_code)
-- count-sql: SELECT count(*)::bigint AS n FROM public.stores c WHERE (c.region_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.regions p WHERE p.code = c.region_code))
ALTER TABLE public.stores ADD CONSTRAINT "FK_stores_region_code" FOREIGN KEY (region_code) REFERENCES public.regions(code);

-- expect: constraint:public.regions.PK_regions 16b6526251f5dc6b
-- expect: constraint:public.regions.UQ_regions_code 6dceaa940ea6f468
-- expect: constraint:public.stores.FK_stores_region_code 984dcb7b1cf903c2
-- checksum: sha256:aa9d7d0e7ebb18bbeffa3add3b2978e960df2e4cedf25172a76df00acba13ea8
-- end of migration
