/** The conformance judge's reading of pg_dump output: pure, no server, no cases directory. */
import { deepEqual as assertEquals } from "node:assert/strict";
import { ensureSqlParser } from "../src/model/sql_parser.ts";
import { compareDumps, dumpStatements } from "../scripts/conformance/dump.ts";

await ensureSqlParser();

/** A small dump as pg_dump 15.14+ prints it: header, \restrict, session settings, comments. */
const DUMP = `--
-- PostgreSQL database dump
--

\\restrict Ab12Cd34

-- Dumped from database version 15.20
-- Dumped by pg_dump version 15.20

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.f() RETURNS integer
    LANGUAGE plpgsql
    AS $_$
begin
  -- one; two

  return 1; /* done; */
end
$_$;


ALTER FUNCTION public.f() OWNER TO postgres;

SET default_table_access_method = heap;

--
-- Name: t; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.t (
    id integer NOT NULL,
    note text DEFAULT 'a; -- b'::text
);

COMMENT ON TABLE public.t IS 'x;
-- y';

--
-- PostgreSQL database dump complete
--

\\unrestrict Ab12Cd34
`;

Deno.test("the judge reads a dump as its statements, without comments, blank lines, settings or \\restrict", () => {
  assertEquals(dumpStatements(DUMP), [
    "CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE plpgsql\n    AS $_$\nbegin\n  -- one; two\n\n" +
    "  return 1; /* done; */\nend\n$_$",
    "ALTER FUNCTION public.f() OWNER TO postgres",
    "CREATE TABLE public.t (\n    id integer NOT NULL,\n    note text DEFAULT 'a; -- b'::text\n)",
    "COMMENT ON TABLE public.t IS 'x;\n-- y'",
  ]);
});

Deno.test("the judge reads an empty dump and a dump of settings only as no statements", () => {
  assertEquals(dumpStatements(""), []);
  assertEquals(dumpStatements("-- nothing\n\nSET lock_timeout = 0;\n\\unrestrict x1\n"), []);
});

Deno.test("the judge reads statements holding ERROR, tabs and non-ASCII text (parser library quirks)", () => {
  const dump = "COMMENT ON TABLE public.t IS 'ERROR:\there';\nCOMMENT ON COLUMN public.t.a IS 'été';\n";
  assertEquals(dumpStatements(dump), [
    "COMMENT ON TABLE public.t IS 'ERROR:\there'",
    "COMMENT ON COLUMN public.t.a IS 'été'",
  ]);
  assertEquals(compareDumps(["COMMENT ON TABLE public.t IS 'ERROR'"], [])?.causes, [
    "COMMENT ON TABLE … IS: left over",
  ]);
});

Deno.test("two dumps with the same statements in another order are equal to the judge", () => {
  const a = dumpStatements("CREATE TABLE public.a (x integer);\nCREATE TABLE public.b (y integer);\n");
  const b = dumpStatements(
    "-- other order\nCREATE TABLE public.b (y integer);\n\nCREATE TABLE public.a (x integer);\n",
  );
  assertEquals(compareDumps(a, b), undefined);
});

Deno.test("a statement of B missing from A is named by its kind and shown by its first line", () => {
  const a = ["CREATE TABLE public.t (\n    id integer\n)"];
  const b = [...a, "ALTER TABLE ONLY public.t REPLICA IDENTITY FULL"];
  assertEquals(compareDumps(a, b), {
    causes: ["ALTER TABLE ONLY … REPLICA IDENTITY FULL: missing"],
    lines: ["missing: ALTER TABLE ONLY public.t REPLICA IDENTITY FULL"],
  });
});

Deno.test("a table whose columns differ only in order is one object in another column order", () => {
  const a = ["CREATE TABLE public.t (\n    id integer,\n    b text\n)"];
  const b = ["CREATE TABLE public.t (\n    b text,\n    id integer\n)"];
  assertEquals(compareDumps(a, b)?.causes, ["CREATE TABLE: column order"]);
});

Deno.test("an object printed differently on both sides is shown by the lines that differ", () => {
  const a = ["ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES public.p(id)"];
  const b = [
    "ALTER TABLE ONLY public.t\n    ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES public.p(id) ON DELETE CASCADE",
  ];
  assertEquals(compareDumps(a, b), {
    causes: ["ALTER TABLE ONLY … ADD CONSTRAINT … FOREIGN KEY: differs"],
    lines: [
      "differs: ALTER TABLE ONLY public.t ADD CONSTRAINT t_fk FOREIGN KEY",
      "  A: ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES public.p(id)",
      "  B: ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES public.p(id) ON DELETE CASCADE",
    ],
  });
});

Deno.test("a statement of A that B does not have is named as left over", () => {
  const a = ["CREATE PROCEDURE public.p()\n    LANGUAGE sql\n    AS $$ select 1; $$"];
  assertEquals(compareDumps(a, [])?.causes, ["CREATE PROCEDURE: left over"]);
});
