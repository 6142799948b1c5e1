-- pgconverge canonical schema snapshot; schemas: billing, public

CREATE SCHEMA billing;

CREATE TABLE billing.invoices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    customer_id integer NOT NULL,
    number bigint NOT NULL,
    status character varying(20) DEFAULT 'draft'::character varying NOT NULL,
    total numeric(12,2) NOT NULL,
    due date,
    note text
);

CREATE TABLE public.customers (
    id serial NOT NULL,
    "Email" character varying(320) NOT NULL,
    display_name text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    balance numeric(19,4) DEFAULT 0,
    is_active boolean DEFAULT true NOT NULL,
    settings jsonb,
    tags text[]
);

ALTER TABLE billing.invoices ADD CONSTRAINT "PK_invoices" PRIMARY KEY (id);
ALTER TABLE public.customers ADD CONSTRAINT "PK_customers" PRIMARY KEY (id);

ALTER TABLE billing.invoices ADD CONSTRAINT uq_invoice_number UNIQUE (customer_id, number);
ALTER TABLE public.customers ADD CONSTRAINT "UQ_customers_Email" UNIQUE ("Email");

ALTER TABLE billing.invoices ADD CONSTRAINT invoices_due_after_2000 CHECK (((due IS NULL) OR (due >= '2000-01-01'::date)));
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_status_check CHECK (((status)::text = ANY (ARRAY[('draft'::character varying)::text, ('sent'::character varying)::text, ('paid'::character varying)::text])));
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_total_nonneg CHECK ((total >= (0)::numeric));
ALTER TABLE public.customers ADD CONSTRAINT "customers_Email_check" CHECK ((("Email")::text ~ '^[^@]+@[^@]+$'::text));

CREATE INDEX ix_invoices_customer ON billing.invoices USING btree (customer_id) INCLUDE (total);
CREATE INDEX ix_customers_active ON public.customers USING btree (created_at) WHERE (is_active = true);
CREATE UNIQUE INDEX ix_customers_lower_email ON public.customers USING btree (lower(("Email")::text));
CREATE INDEX ix_customers_settings ON public.customers USING gin (settings);

ALTER TABLE billing.invoices ADD CONSTRAINT "FK_invoices_customer_id" FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;

COMMENT ON COLUMN billing.invoices.note IS 'Free text shown on the PDF';
COMMENT ON TABLE public.customers IS 'People who buy things';
