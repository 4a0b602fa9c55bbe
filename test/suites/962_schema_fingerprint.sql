-- test/suites/962_schema_fingerprint.sql: one line per fact about every
-- member object of pg_isms (definition, columns, constraints, indexes,
-- triggers, policies, privileges, comments, enum labels, dump registration,
-- stated access classes),
-- sorted, without OIDs.  Two databases whose output is equal have the same
-- extension schema; 962_upgrade.sh compares an upgraded database with a fresh
-- install this way.
WITH ext AS (SELECT oid, extconfig, extcondition FROM pg_extension WHERE extname = 'pg_isms'),
m AS (
  SELECT d.classid, d.objid FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
facts AS (
  SELECT pg_describe_object(m.classid, m.objid, 0) AS obj, 'member' AS what, '' AS val FROM m
  UNION ALL
  SELECT pg_describe_object(m.classid, m.objid, 0), 'comment', obj_description(m.objid, c.relname)
    FROM m JOIN pg_class c ON c.oid = m.classid WHERE obj_description(m.objid, c.relname) IS NOT NULL
  UNION ALL
  SELECT p.oid::regprocedure::text, 'definition',
         CASE WHEN p.prokind = 'a' THEN pg_get_function_arguments(p.oid) || ' ' || a.aggtransfn::text || ' ' || a.aggsortop::regoperator::text
              ELSE pg_get_functiondef(p.oid) END
    FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
  UNION ALL
  SELECT p.oid::regprocedure::text, 'acl', coalesce(p.proacl::text, 'default')
    FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
  UNION ALL
  SELECT c.oid::regclass::text, 'relation', c.relkind::text || ' ' || coalesce(c.relacl::text, 'default') || ' '
         || coalesce(c.reloptions::text, '') || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
    FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  UNION ALL
  SELECT c.oid::regclass::text, 'column ' || a.attnum, a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
         || coalesce(' identity ' || nullif(a.attidentity::text, ''), '')
         || coalesce(' generated ' || nullif(a.attgenerated::text, ''), '')
         || coalesce(' comment ' || col_description(c.oid, a.attnum), '')
         || coalesce(' acl ' || a.attacl::text, '')
    FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  UNION ALL
  SELECT k.conrelid::regclass::text, 'constraint ' || k.conname, pg_get_constraintdef(k.oid)
    FROM m JOIN pg_constraint k ON m.classid = 'pg_class'::regclass AND k.conrelid = m.objid
  UNION ALL
  SELECT i.indrelid::regclass::text, 'index', pg_get_indexdef(i.indexrelid)
    FROM m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
  UNION ALL
  SELECT t.tgrelid::regclass::text, 'trigger ' || t.tgname, pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text
    FROM m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid AND NOT t.tgisinternal
  UNION ALL
  SELECT p.polrelid::regclass::text, 'policy ' || p.polname,
         p.polcmd::text || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' / ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
    FROM m JOIN pg_policy p ON m.classid = 'pg_class'::regclass AND p.polrelid = m.objid
  UNION ALL
  SELECT c.oid::regclass::text, 'view', pg_get_viewdef(c.oid)
    FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid AND c.relkind IN ('v', 'm')
  UNION ALL
  SELECT e.enumtypid::regtype::text, 'enum label ' || row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder), e.enumlabel
    FROM m JOIN pg_enum e ON m.classid = 'pg_type'::regclass AND e.enumtypid = m.objid
  UNION ALL
  SELECT n.nspname, 'schema', coalesce(n.nspacl::text, 'default') FROM pg_namespace n WHERE n.nspname = 'isms'
  UNION ALL
  -- The stated access classes are shipped data the grants are made from.
  SELECT 'isms.function_class ' || c.function_name, 'access class', c.class || coalesce(' (' || c.reason || ')', '')
    FROM isms.function_class c
  UNION ALL
  SELECT 'isms.table_class ' || c.table_name, 'access class', c.class || ' (' || c.reason || ')'
    FROM isms.table_class c
  UNION ALL
  SELECT u.rel::regclass::text, 'dumped', u.cond
    FROM ext, ROWS FROM (unnest(ext.extconfig), unnest(ext.extcondition)) AS u(rel, cond)
)
SELECT obj || ' | ' || what || ' | ' || replace(coalesce(val, '<null>'), E'\n', ' ')
  FROM facts ORDER BY 1;
