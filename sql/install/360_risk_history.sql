-- History of the register: the generic change-log trigger of the catalogue
-- (isms.log_change(), 220) is attached to every register table at
-- statement level (one INSERT ... SELECT per statement), and
-- isms.risk_as_of() rebuilds isms.risk_register at a past moment from that
-- log.  There is deliberately no second log.

CREATE TRIGGER asset_log_insert AFTER INSERT ON isms.asset
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_update AFTER UPDATE ON isms.asset
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER asset_log_delete AFTER DELETE ON isms.asset
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_insert AFTER INSERT ON isms.risk
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_update AFTER UPDATE ON isms.risk
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_log_delete AFTER DELETE ON isms.risk
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_insert AFTER INSERT ON isms.risk_asset
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_update AFTER UPDATE ON isms.risk_asset
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_log_delete AFTER DELETE ON isms.risk_asset
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_insert AFTER INSERT ON isms.risk_control
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_update AFTER UPDATE ON isms.risk_control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_log_delete AFTER DELETE ON isms.risk_control
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_insert AFTER INSERT ON isms.treatment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_update AFTER UPDATE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_log_delete AFTER DELETE ON isms.treatment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_insert AFTER INSERT ON isms.acceptance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_update AFTER UPDATE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_log_delete AFTER DELETE ON isms.acceptance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change();

-- Each log entry says "this key now holds this row" (new_row) and, when the
-- row went or its key changed, "the old key holds nothing" (old_row); the
-- latest statement about each key at or before as_of is its state then.
CREATE FUNCTION isms.rows_as_of(table_name text, key_columns text[], as_of timestamptz)
RETURNS SETOF jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
  SELECT x.state
    FROM (SELECT DISTINCT ON (k.key) v.state
            FROM isms.change_log l
           CROSS JOIN LATERAL (VALUES (l.old_row, NULL::jsonb, 0), (l.new_row, l.new_row, 1))
                              AS v(keyrow, state, ord)
           CROSS JOIN LATERAL (SELECT ARRAY[v.keyrow ->> key_columns[1], v.keyrow ->> key_columns[2],
                                            v.keyrow ->> key_columns[3]] AS key) AS k
           WHERE l.table_name = rows_as_of.table_name
             AND l.logged_at <= rows_as_of.as_of
             AND v.keyrow IS NOT NULL
           ORDER BY k.key, l.id DESC, v.ord DESC) AS x
   WHERE x.state IS NOT NULL
$fn$;
COMMENT ON FUNCTION isms.rows_as_of(text, text[], timestamptz) IS
  'The rows a logged table (e.g. ''isms.risk'') held at as_of, as jsonb, rebuilt from isms.change_log; key_columns names its key (at most three columns)';

-- The same query as isms.risk_register, over the rows each table held at
-- as_of (the last logged version of each key at or before as_of, unless
-- that was a DELETE), with as_of's date in place of current_date.
CREATE FUNCTION isms.risk_as_of(as_of timestamptz) RETURNS SETOF isms.risk_register
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
WITH risk_then AS (
  SELECT r.* FROM isms.rows_as_of('isms.risk', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk, j) AS r
), control_then AS (
  SELECT c.* FROM isms.rows_as_of('isms.risk_control', '{risk_id,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.risk_control, j) AS c
), soa_then AS (
  SELECT e.* FROM isms.rows_as_of('isms.soa_entry', '{scope,framework,control_ref}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.soa_entry, j) AS e
), acceptance_then AS (
  SELECT a.* FROM isms.rows_as_of('isms.acceptance', '{id}', as_of) AS j
   CROSS JOIN LATERAL jsonb_populate_record(NULL::isms.acceptance, j) AS a
)
SELECT r.id AS risk_id,
       r.scope,
       r.ref,
       r.title,
       r.owner,
       r.status,
       r.matrix,
       r.inherent,
       li.name AS inherent_level,
       li.colour AS inherent_colour,
       r.residual,
       lr.name AS residual_level,
       lr.colour AS residual_colour,
       r.residual_override IS NOT NULL AS residual_overridden,
       r.residual_computed,
       r.residual_override_rationale,
       -- The C function reads the appetite once per query; it is only
       -- asked about mapped cells, so an unmapped one gives NULL, not an error.
       CASE WHEN lr.rank IS NOT NULL THEN isms.within_appetite(r.residual, r.matrix) END AS within_appetite,
       r.target,
       lt.name AS target_level,
       r.residual OPERATOR(isms.<=) r.target AS target_met,
       r.treatment,
       r.next_review,
       (r.status <> 'closed' AND r.next_review < as_of::date) AS overdue,
       a.approver AS accepted_by,
       a.accepted_on,
       a.valid_until AS acceptance_valid_until,
       (a.valid_until < as_of::date) AS acceptance_expired,
       (r.residual OPERATOR(isms.>) a.residual) AS acceptance_stale,
       coalesce(c.controls, '{}') AS linked_controls,
       coalesce(c.linked, 0) AS linked_control_count,
       coalesce(c.implemented, 0) AS implemented_control_count,
       r.identified_on,
       r.closed_at
  FROM risk_then r
  LEFT JOIN isms.risk_matrix_cell ci
         ON ci.matrix = r.matrix AND ci.likelihood = isms.likelihood(r.inherent)
        AND ci.impact = isms.impact(r.inherent)
  LEFT JOIN isms.risk_level li ON li.matrix = ci.matrix AND li.name = ci.level
  LEFT JOIN isms.risk_matrix_cell cr
         ON cr.matrix = r.matrix AND cr.likelihood = isms.likelihood(r.residual)
        AND cr.impact = isms.impact(r.residual)
  LEFT JOIN isms.risk_level lr ON lr.matrix = cr.matrix AND lr.name = cr.level
  LEFT JOIN isms.risk_matrix_cell ct
         ON ct.matrix = r.matrix AND ct.likelihood = isms.likelihood(r.target)
        AND ct.impact = isms.impact(r.target)
  LEFT JOIN isms.risk_level lt ON lt.matrix = ct.matrix AND lt.name = ct.level
  LEFT JOIN acceptance_then a ON a.risk_id = r.id AND a.superseded_at IS NULL
  LEFT JOIN (SELECT rc.risk_id,
                    array_agg(rc.framework || ':' || rc.control_ref
                              ORDER BY rc.framework, rc.control_ref) AS controls,
                    count(*)::int AS linked,
                    (count(*) FILTER (WHERE se.applicable AND se.status = 'implemented'))::int AS implemented
               FROM control_then rc
               JOIN risk_then rr ON rr.id = rc.risk_id
               LEFT JOIN soa_then se
                      ON se.scope = rr.scope AND se.framework = rc.framework
                     AND se.control_ref = rc.control_ref
              GROUP BY rc.risk_id) c ON c.risk_id = r.id
$fn$;
COMMENT ON FUNCTION isms.risk_as_of(timestamptz) IS
  'The risk register (rows of isms.risk_register) as it stood at as_of, rebuilt from isms.change_log: risks, their links, acceptances and SoA statuses as they were then; overdue and expired are judged on as_of''s date; level names and colours come from the current matrices';
