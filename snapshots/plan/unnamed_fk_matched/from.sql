-- Foreign key created by hand under PostgreSQL's default name, not FK_<table>_<col>.
CREATE TABLE public.customers (id integer PRIMARY KEY);
CREATE TABLE public.orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES public.customers (id));
