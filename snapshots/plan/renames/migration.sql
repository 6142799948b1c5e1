-- pgconverge migration
-- Review this file. Write data fixes under the [data] line; edit nothing else.
-- Apply it with: pgconverge apply <this file> --db URL
--
-- format: pgconverge/1
-- from: sha256:387b745f8df8322c36158a62447fd1474e7734af6a2a04619edff50ea2fa87f9
-- to: sha256:66e7fdd9c86cae6d7d903770682f38ca8fa549192e70405e57c857605d156ef8
-- schemas: public
-- allow-destructive: no
-- statements: 2

-- [1/2] drop: rename table:public.customers
-- reason: renamed from clients (renamedFrom in the schema)
ALTER TABLE public.clients RENAME TO customers;

-- [2/2] drop: rename column:public.customers.email
-- reason: renamed from mail (renamedFrom in the schema)
ALTER TABLE public.customers RENAME COLUMN mail TO email;

-- [data] Data migration: statements written below, up to the closing marker line, run after the
-- old constraints are dropped and before the new ones are added, in the same transaction. They may
-- change rows (UPDATE, INSERT, DELETE); transaction control (COMMIT, ROLLBACK, SAVEPOINT, …) is refused.

-- [/data]

-- expect: column:public.customers.email 0fc2cb9af6eed9fb
-- expect: table:public.customers 68da384f8d1bd8a5
-- checksum: sha256:ae4590a42b01ee4ed5af7b2c152e93fd2babc2decffcf6311540a4e0dea7c0dc
-- end of migration
