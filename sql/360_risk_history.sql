-- History of the register: the generic change-log trigger
-- (isms.log_change(), 220) is attached to every register table by
-- isms.attach_change_log() (222), and
-- isms.risk_as_of() rebuilds isms.risk_register at a past moment from that
-- log.  There is deliberately no second log.

SELECT isms.attach_change_log('isms.asset');
SELECT isms.attach_change_log('isms.risk');
SELECT isms.attach_change_log('isms.risk_asset');
SELECT isms.attach_change_log('isms.risk_control');
SELECT isms.attach_change_log('isms.treatment');
SELECT isms.attach_change_log('isms.acceptance');

-- Each log entry says "this key now holds this row" (new_row) and, when the
-- row went or its key changed, "the old key holds nothing" (old_row); the
-- latest statement about each key at or before as_of is its state then.
CREATE FUNCTION isms.rows_as_of(table_name text, key_columns text[], as_of timestamptz)
RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
BEGIN
  -- Planned per call for the table asked about (EXECUTE): the history of a
  -- table with few entries in the log is a range of the log's key
  -- (table_name, id); that of the table filling most of it, a scan.
  RETURN QUERY EXECUTE $q$
  SELECT x.state
    FROM (SELECT DISTINCT ON (k.key) v.state
            FROM isms.change_log l
           CROSS JOIN LATERAL (VALUES (l.old_row, NULL::jsonb, 0), (l.new_row, l.new_row, 1))
                              AS v(keyrow, state, ord)
           CROSS JOIN LATERAL (SELECT ARRAY[v.keyrow ->> $2[1], v.keyrow ->> $2[2],
                                            v.keyrow ->> $2[3]] AS key) AS k
           WHERE l.table_name = $1
             AND l.logged_at <= $3
             AND v.keyrow IS NOT NULL
           ORDER BY k.key, l.id DESC, v.ord DESC) AS x
   WHERE x.state IS NOT NULL$q$
  USING table_name, key_columns, as_of;
END
$fn$;
COMMENT ON FUNCTION isms.rows_as_of(text, text[], timestamptz) IS
  'The rows a logged table (e.g. ''isms.risk'') held at as_of, as jsonb, rebuilt from isms.change_log; key_columns names its key (at most three columns)';

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

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.rows_as_of', 'read', NULL),
  ('isms.risk_as_of', 'read', NULL);
