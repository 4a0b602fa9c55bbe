-- Part of 0.1.0 -> 0.2.0 for sql/360_risk_history.sql (issue 17):
-- isms.risk_as_of, dropped in 350_risk_views.sql with the view it is built
-- from, made again as the install file makes it (keep the two the same);
-- its isms.function_class row stays.

-- isms.risk_as_of() is isms.risk_register over the rows each table held at
-- as_of (the last logged version of each key at or before as_of, unless
-- that was a DELETE), with as_of's date in place of current_date.  Its body
-- is not written a second time: it is the view's own definition
-- (pg_get_viewdef) with the four tables replaced by those row sets and
-- current_date by as_of's date, so the two cannot drift apart.  The view
-- reads the SoA through isms.soa_entry_counts (the one counting rule,
-- sql/240_soa_views.sql); that view's definition is taken the same way,
-- over the SoA rows of as_of.  Every replacement must happen exactly as
-- often as expected, or the install fails here.
DO $do$
DECLARE
  body text := pg_catalog.pg_get_viewdef('isms.risk_register'::pg_catalog.regclass);
  counts text := pg_catalog.pg_get_viewdef('isms.soa_entry_counts'::pg_catalog.regclass);
  -- pattern, replacement, occurrences expected in the view
  subst CONSTANT text[] := ARRAY[
    ['isms\.risk\M', 'risk_then', '2'],
    ['isms\.risk_control\M', 'control_then', '1'],
    ['isms\.soa_entry_counts\M', 'soa_counts_then', '1'],
    ['isms\.acceptance\M', 'acceptance_then', '1'],
    ['\mCURRENT_DATE\M', '(as_of)::date', '2']];
  found int;
BEGIN
  FOR i IN 1 .. pg_catalog.array_length(subst, 1) LOOP
    found := (SELECT pg_catalog.count(*) FROM pg_catalog.regexp_matches(body, subst[i][1], 'g'));
    IF found OPERATOR(pg_catalog.<>) subst[i][3]::int THEN
      RAISE EXCEPTION 'isms.risk_register: % occurs % times, expected %', subst[i][1], found, subst[i][3];
    END IF;
    body := pg_catalog.regexp_replace(body, subst[i][1], subst[i][2], 'g');
  END LOOP;
  body := pg_catalog.rtrim(body, E'; \n');
  found := (SELECT pg_catalog.count(*) FROM pg_catalog.regexp_matches(counts, 'isms\.soa_entry\M', 'g'));
  IF found OPERATOR(pg_catalog.<>) 1 THEN
    RAISE EXCEPTION 'isms.soa_entry_counts: isms.soa_entry occurs % times, expected 1', found;
  END IF;
  counts := pg_catalog.rtrim(pg_catalog.regexp_replace(counts, 'isms\.soa_entry\M', 'soa_then', 'g'), E'; \n');
  EXECUTE pg_catalog.format($f$
CREATE FUNCTION isms.risk_as_of(as_of timestamptz) RETURNS SETOF isms.risk_register
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS %L$f$, $b$
WITH risk_then AS (
  SELECT r.* FROM isms.rows_as_of('isms.risk', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk, j) AS r
), control_then AS (
  SELECT c.* FROM isms.rows_as_of('isms.risk_control', '{risk_id,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk_control, j) AS c
), soa_then AS (
  SELECT e.* FROM isms.rows_as_of('isms.soa_entry', '{scope,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.soa_entry, j) AS e
), soa_counts_then AS (
$b$ || counts || $b$
), acceptance_then AS (
  SELECT a.* FROM isms.rows_as_of('isms.acceptance', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.acceptance, j) AS a
)$b$ || body);
END
$do$;
COMMENT ON FUNCTION isms.risk_as_of(timestamptz) IS
  'The risk register (rows of isms.risk_register) as it stood at as_of, rebuilt from isms.change_log: risks, their links, acceptances and SoA statuses as they were then; overdue and expired are judged on as_of''s date; level names and colours come from the current matrices';
