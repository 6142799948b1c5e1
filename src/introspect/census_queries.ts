/**
 * The census: every catalog row in the managed schemas (`$1`), and the database-level objects
 * that belong to them, read straight from the catalogs rather than from a list of kinds the
 * model knows. Each row carries the model id it is accounted for by (`model_id`, NULL when the
 * model has no such kind); introspect/census.ts reports by name every row whose id the snapshot
 * does not hold. Objects an extension owns (`pg_depend` deptype 'e'), and objects that are an
 * internal part of another one ('i': an array type, a table's row type, the index of a primary
 * key, a view's `_RETURN` rule) or a partition's clone of its parent's ('P') are counted with
 * their owner, not on their own. Run with `search_path = pg_catalog`, so names print qualified.
 * @module
 */

/**
 * SQL: the model id of column `a` of table `c`; a partition's column is its partition tree
 * root's (the model gives a partition its parent's columns).
 */
const COLUMN_ID = (c: string, a: string): string =>
  `CASE WHEN ${c}.relispartition
     THEN (SELECT 'column:' || rn.nspname || '.' || r.relname || '.' || ${a}.attname
           FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE r.oid = pg_partition_root(${c}.oid))
     ELSE 'column:' || (SELECT nspname FROM pg_namespace WHERE oid = ${c}.relnamespace) || '.' || ${c}.relname
          || '.' || ${a}.attname END`;

/** SQL: `schema.name`, each part quoted where it needs to be. */
const QNAME = (nsp: string, name: string): string => `quote_ident(${nsp}) || '.' || quote_ident(${name})`;

/** Catalogs of schema-qualified named objects the model has no kind for: catalog, kind, name and namespace columns. */
const NAMED: ReadonlyArray<[string, string, string, string]> = [
  ["pg_collation", "collation", "collname", "collnamespace"],
  ["pg_conversion", "conversion", "conname", "connamespace"],
  ["pg_ts_config", "text search configuration", "cfgname", "cfgnamespace"],
  ["pg_ts_dict", "text search dictionary", "dictname", "dictnamespace"],
  ["pg_ts_parser", "text search parser", "prsname", "prsnamespace"],
  ["pg_ts_template", "text search template", "tmplname", "tmplnamespace"],
  ["pg_statistic_ext", "statistics object", "stxname", "stxnamespace"],
];

/** SQL: one UNION ALL branch of {@link OBJECTS} for a {@link NAMED} catalog. */
function namedBranch([catalog, kind, name, namespace]: readonly [string, string, string, string]): string {
  return `
  UNION ALL
  SELECT '${catalog}'::regclass, o.oid, '${kind}', ${QNAME("n.nspname", `o.${name}`)}, NULL
  FROM ${catalog} o JOIN pg_namespace n ON n.oid = o.${namespace}
  WHERE n.nspname = ANY($1::text[])`;
}

/**
 * Objects in the managed schemas, one row each: `classid`/`objid` (what a comment attaches to),
 * `kind` and `name` (how it is reported), `model_id`. A partition's default or NOT NULL is
 * accounted for by the partition tree's root column (introspect/partitions.ts reports one that
 * differs).
 */
const OBJECTS = `
  SELECT 'pg_namespace'::regclass::oid AS classid, n.oid AS objid, 'schema' AS kind,
         quote_ident(n.nspname) AS name, 'schema:' || n.nspname AS model_id
  FROM pg_namespace n WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_class'::regclass, c.oid,
         CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
           WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
           WHEN 'c' THEN 'composite type' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
           ELSE 'relation (relkind ' || c.relkind::text || ')' END,
         ${QNAME("n.nspname", "c.relname")},
         CASE WHEN c.relkind IN ('r', 'p') THEN 'table:' WHEN c.relkind = 'v' THEN 'view:'
           WHEN c.relkind = 'm' THEN 'matview:' WHEN c.relkind = 'S' THEN 'sequence:'
           WHEN c.relkind IN ('i', 'I') THEN 'index:' END || n.nspname || '.' || c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND NOT (c.relkind IN ('i', 'I') AND c.relispartition)
  UNION ALL
  SELECT 'pg_proc'::regclass, p.oid,
         CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
           ELSE 'window function' END,
         p.oid::regprocedure::text,
         CASE WHEN p.prokind = 'f'
           THEN 'function:' || n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' END
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_type'::regclass, t.oid,
         CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite type'
           WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type' WHEN 'p' THEN 'shell type'
           ELSE 'base type' END,
         ${QNAME("n.nspname", "t.typname")},
         CASE t.typtype WHEN 'e' THEN 'type:' WHEN 'd' THEN 'domain:' END || n.nspname || '.' || t.typname
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  -- Constraints of tables and domains. NOT NULL (PostgreSQL 18 has rows for it) belongs to its
  -- column; an inherited copy follows its parent's constraint.
  SELECT 'pg_constraint'::regclass, con.oid,
         CASE WHEN con.contypid <> 0 THEN 'domain constraint' ELSE 'constraint' END,
         quote_ident(con.conname) || ' on ' ||
           CASE WHEN con.contypid <> 0 THEN con.contypid::regtype::text ELSE con.conrelid::regclass::text END,
         CASE WHEN con.contypid <> 0 THEN 'domain:' || n.nspname || '.' || ty.typname
              WHEN con.contype = 'n' THEN (SELECT ${COLUMN_ID("c", "a")} FROM pg_attribute a
                                           WHERE a.attrelid = c.oid AND a.attnum = con.conkey[1])
              WHEN c.relkind IN ('r', 'p') THEN 'constraint:' || n.nspname || '.' || c.relname || '.' || con.conname
         END
  FROM pg_constraint con
  JOIN pg_namespace n ON n.oid = con.connamespace
  LEFT JOIN pg_type ty ON ty.oid = con.contypid
  LEFT JOIN pg_class c ON c.oid = con.conrelid
  WHERE n.nspname = ANY($1::text[]) AND con.conparentid = 0 AND con.coninhcount = 0
  UNION ALL
  -- A column default: a table's belongs to its column (a partition's to its root's column; see
  -- partitions.ts for one that differs), any other relation's (a view's) has no model.
  SELECT 'pg_attrdef'::regclass, ad.oid, 'column default', c.oid::regclass::text || '.' || quote_ident(a.attname),
         CASE WHEN c.relkind IN ('r', 'p') THEN ${COLUMN_ID("c", "a")} END
  FROM pg_attrdef ad
  JOIN pg_class c ON c.oid = ad.adrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_trigger'::regclass, tg.oid, 'trigger', quote_ident(tg.tgname) || ' on ' || c.oid::regclass::text,
         'trigger:' || n.nspname || '.' || c.relname || '.' || tg.tgname
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND NOT tg.tgisinternal AND tg.tgparentid = 0
  UNION ALL
  SELECT 'pg_rewrite'::regclass, rw.oid, 'rule', quote_ident(rw.rulename) || ' on ' || c.oid::regclass::text, NULL
  FROM pg_rewrite rw JOIN pg_class c ON c.oid = rw.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_policy'::regclass, pol.oid, 'policy', quote_ident(pol.polname) || ' on ' || c.oid::regclass::text,
         'policy:' || n.nspname || '.' || c.relname || '.' || pol.polname
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_operator'::regclass, o.oid, 'operator', o.oid::regoperator::text, NULL
  FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_opclass'::regclass, o.oid, 'operator class',
         ${QNAME("n.nspname", "o.opcname")} || ' using ' || quote_ident(am.amname), NULL
  FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace JOIN pg_am am ON am.oid = o.opcmethod
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_opfamily'::regclass, o.oid, 'operator family',
         ${QNAME("n.nspname", "o.opfname")} || ' using ' || quote_ident(am.amname), NULL
  FROM pg_opfamily o JOIN pg_namespace n ON n.oid = o.opfnamespace JOIN pg_am am ON am.oid = o.opfmethod
  WHERE n.nspname = ANY($1::text[])
  ${NAMED.map(namedBranch).join("")}
  UNION ALL
  SELECT 'pg_inherits'::regclass, i.inhrelid, 'table inheritance',
         i.inhrelid::regclass::text || ' inherits ' || i.inhparent::regclass::text, NULL
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND NOT c.relispartition AND c.relkind IN ('r', 'p', 'f')`;

/**
 * Database-level objects that belong to the managed schemas: event triggers whose function is
 * in them; publications of their tables or of the schemas themselves, with each published table
 * and schema, and every FOR ALL TABLES publication (it publishes their tables too); the foreign
 * servers, wrappers and user mappings their foreign tables use; access methods of their tables and
 * operator families; extensions installed in them (accounted for by the snapshot's list of
 * installed extensions); default privileges for objects created in them (or anywhere:
 * `defaclnamespace` 0); casts from, to or through their types and functions.
 */
const DATABASE_OBJECTS = `
  SELECT 'pg_event_trigger'::regclass::oid AS classid, e.oid AS objid, 'event trigger' AS kind,
         quote_ident(e.evtname) AS name, NULL AS model_id
  FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_publication'::regclass, pub.oid, 'publication',
         quote_ident(pub.pubname) || CASE WHEN pub.puballtables THEN ' (FOR ALL TABLES)' ELSE '' END, NULL
  FROM pg_publication pub
  WHERE pub.puballtables
     OR EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_class c ON c.oid = pr.prrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE pr.prpubid = pub.oid AND n.nspname = ANY($1::text[]))
     OR EXISTS (SELECT 1 FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid
                WHERE pn.pnpubid = pub.oid AND n.nspname = ANY($1::text[]))
  UNION ALL
  SELECT 'pg_publication_rel'::regclass, pr.oid, 'publication table',
         pr.prrelid::regclass::text || ' in publication ' || quote_ident(pub.pubname), NULL
  FROM pg_publication_rel pr JOIN pg_publication pub ON pub.oid = pr.prpubid
  JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_publication_namespace'::regclass, pn.oid, 'publication schema',
         quote_ident(n.nspname) || ' in publication ' || quote_ident(pub.pubname), NULL
  FROM pg_publication_namespace pn JOIN pg_publication pub ON pub.oid = pn.pnpubid
  JOIN pg_namespace n ON n.oid = pn.pnnspid
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT DISTINCT 'pg_foreign_server'::regclass, s.oid, 'foreign server', quote_ident(s.srvname), NULL
  FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_foreign_server s ON s.oid = ft.ftserver
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT DISTINCT 'pg_foreign_data_wrapper'::regclass, w.oid, 'foreign-data wrapper', quote_ident(w.fdwname), NULL
  FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_foreign_server s ON s.oid = ft.ftserver JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT DISTINCT 'pg_user_mapping'::regclass, um.umid, 'user mapping',
         'for ' || quote_ident(um.usename) || ' server ' || quote_ident(um.srvname), NULL
  FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_user_mappings um ON um.srvid = ft.ftserver
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT DISTINCT 'pg_am'::regclass, am.oid, 'access method', quote_ident(am.amname), NULL
  FROM pg_am am
  WHERE am.oid >= 16384
    AND (EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relam = am.oid AND n.nspname = ANY($1::text[]))
      OR EXISTS (SELECT 1 FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace
                 WHERE f.opfmethod = am.oid AND n.nspname = ANY($1::text[])))
  UNION ALL
  SELECT 'pg_extension'::regclass, e.oid, 'extension', quote_ident(e.extname), 'extension:' || e.extname
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_default_acl'::regclass, da.oid, 'default privileges',
         'for role ' || quote_ident(pg_get_userbyid(da.defaclrole))
           || coalesce(' in schema ' || quote_ident(n.nspname), '')
           || ' on ' || CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas'
                ELSE 'objects of type ' || da.defaclobjtype::text END, NULL
  FROM pg_default_acl da LEFT JOIN pg_namespace n ON n.oid = da.defaclnamespace
  WHERE da.defaclnamespace = 0 OR n.nspname = ANY($1::text[])
  UNION ALL
  SELECT 'pg_cast'::regclass, ca.oid, 'cast',
         '(' || format_type(ca.castsource, NULL) || ' AS ' || format_type(ca.casttarget, NULL) || ')', NULL
  FROM pg_cast ca
  WHERE ca.oid >= 16384
    AND (EXISTS (SELECT 1 FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
                 WHERE ty.oid IN (ca.castsource, ca.casttarget) AND n.nspname = ANY($1::text[]))
      OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE p.oid = ca.castfunc AND n.nspname = ANY($1::text[])))`;

/**
 * The census of objects: {@link OBJECTS} and {@link DATABASE_OBJECTS}, then the comments and
 * security labels on any of them (or on a column of one of their relations). A comment on a
 * table or its column is modelled (`comment:` ids); on anything else it is reported.
 */
export const Q_CENSUS = `
WITH obj AS MATERIALIZED (
  SELECT r.classid, r.objid, r.kind, r.name, r.model_id,
         -- A partitioned table depends internally on its own key columns: that is no owner.
         EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = r.classid AND d.objid = r.objid
                 AND d.deptype IN ('i', 'P') AND NOT (d.refclassid = d.classid AND d.refobjid = d.objid)) AS part
  FROM (${OBJECTS}
    UNION ALL ${DATABASE_OBJECTS}
  ) r
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = r.classid AND d.objid = r.objid AND d.deptype = 'e')
)
SELECT classid::regclass::text AS catalog, objid::text AS objid, kind, name, model_id FROM obj WHERE NOT part
UNION ALL
SELECT 'pg_description', ds.objoid::text, 'comment on ' || CASE WHEN ds.objsubid = 0 THEN o.kind ELSE 'column' END,
       o.name || CASE WHEN ds.objsubid = 0 THEN '' ELSE '.' || quote_ident(a.attname) END,
       CASE WHEN o.model_id LIKE 'table:%'
         THEN 'comment:' || CASE WHEN ds.objsubid = 0 THEN o.model_id
                                 ELSE 'column:' || substr(o.model_id, 7) || '.' || a.attname END END
FROM pg_description ds
JOIN obj o ON o.classid = ds.classoid AND o.objid = ds.objoid AND o.classid <> 'pg_inherits'::regclass
LEFT JOIN pg_attribute a ON ds.classoid = 'pg_class'::regclass AND a.attrelid = ds.objoid AND a.attnum = ds.objsubid
WHERE (ds.objsubid = 0 OR a.attnum IS NOT NULL)
  -- What initdb says of the schema public is no one's comment, nor is an extension's (its control file's).
  AND NOT (ds.classoid = 'pg_namespace'::regclass AND ds.objoid < 16384 AND ds.description = 'standard public schema')
  AND ds.classoid <> 'pg_extension'::regclass
UNION ALL
SELECT 'pg_seclabel', sl.objoid::text, 'security label (' || sl.provider || ') on ' || o.kind, o.name, NULL
FROM pg_seclabel sl JOIN obj o ON o.classid = sl.classoid AND o.objid = sl.objoid
ORDER BY 3, 4, 1, 2`;

/**
 * Settings of the managed tables, indexes and types the model does not hold (each one reported):
 * storage options (`reloptions`, also the TOAST table's), REPLICA IDENTITY, CLUSTER ON, UNLOGGED,
 * a tablespace, a table access method, OF type; per column SET STATISTICS, SET STORAGE, SET
 * COMPRESSION, attribute options and column privileges; privileges on types.
 */
export const Q_CENSUS_SETTINGS = `
SELECT kind, name FROM (
  SELECT 'storage options' AS kind,
         c.oid::regclass::text || ' (' || array_to_string(coalesce(c.reloptions, '{}')
           || coalesce((SELECT array_agg('toast.' || o) FROM pg_class t, unnest(t.reloptions) o
                        WHERE t.oid = c.reltoastrelid), '{}'), ', ') || ')' AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p')
    AND (c.reloptions IS NOT NULL
         OR EXISTS (SELECT 1 FROM pg_class t WHERE t.oid = c.reltoastrelid AND t.reloptions IS NOT NULL))
  UNION ALL
  SELECT 'replica identity', c.oid::regclass::text || ' ' || CASE c.relreplident WHEN 'f' THEN 'FULL'
           WHEN 'n' THEN 'NOTHING' ELSE 'USING INDEX ' || coalesce((SELECT quote_ident(i.relname)
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid = c.oid AND x.indisreplident), '?') END
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND c.relreplident <> 'd'
  UNION ALL
  SELECT 'cluster on', t.oid::regclass::text || ' USING ' || quote_ident(i.relname)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND x.indisclustered
  UNION ALL
  SELECT 'unlogged ' || CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.oid::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relpersistence = 'u' AND c.relkind IN ('r', 'p', 'S')
  UNION ALL
  SELECT 'tablespace', c.oid::regclass::text || ' in ' || quote_ident(ts.spcname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_tablespace ts ON ts.oid = c.reltablespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm', 'i', 'I')
  UNION ALL
  SELECT 'table access method', c.oid::regclass::text || ' USING ' || quote_ident(am.amname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'm') AND am.amname <> 'heap'
  UNION ALL
  SELECT 'typed table', c.oid::regclass::text || ' OF ' || c.reloftype::regtype::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND c.reloftype <> 0
  UNION ALL
  SELECT 'column ' || s.what, c.oid::regclass::text || '.' || quote_ident(a.attname) || ' (' || s.value || ')'
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  CROSS JOIN LATERAL (
    SELECT 'statistics' AS what, coalesce(a.attstattarget::int, -1)::text AS value
    WHERE coalesce(a.attstattarget::int, -1) <> -1
    UNION ALL
    SELECT 'storage', CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                        ELSE 'EXTENDED' END
    -- An index's column may store its opclass's key type: only a relation's own columns are compared.
    WHERE a.attstorage <> t.typstorage AND c.relkind IN ('r', 'p', 'm')
    UNION ALL
    SELECT 'compression', CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4'
                            ELSE a.attcompression::text END
    WHERE a.attcompression::text <> '' AND c.relkind IN ('r', 'p', 'm')
    UNION ALL
    -- n_distinct and n_distinct_inherited; a server's own bookkeeping entries (pg_…) are not settings.
    SELECT 'options', string_agg(o, ', ') FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\\_%' HAVING count(*) > 0
    UNION ALL
    SELECT 'privileges', array_to_string(a.attacl::text[], ', ') WHERE a.attacl IS NOT NULL
  ) s
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm', 'i', 'I')
    AND a.attnum > 0 AND NOT a.attisdropped
    -- Only the columns with something to say go through the LATERAL above.
    AND (coalesce(a.attstattarget::int, -1) <> -1 OR a.attstorage <> t.typstorage OR a.attcompression::text <> ''
         OR a.attoptions IS NOT NULL OR a.attacl IS NOT NULL)
  UNION ALL
  SELECT 'privileges ' || CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, ${QNAME("n.nspname", "t.typname")}
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = ANY($1::text[]) AND t.typacl IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                    AND d.deptype IN ('e', 'i'))
) s
ORDER BY 1, 2`;
