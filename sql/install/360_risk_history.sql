-- History of the register: the generic change-log trigger of the catalogue
-- (isms.log_change(), 2xx) is attached to every register table, and
-- isms.risk_as_of() rebuilds isms.risk_register at a past moment from that
-- log.  There is deliberately no second log.

CREATE TRIGGER asset_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.asset
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.risk
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_asset_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.risk_asset
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER risk_control_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.risk_control
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER treatment_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.treatment
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();
CREATE TRIGGER acceptance_change_log AFTER INSERT OR UPDATE OR DELETE ON isms.acceptance
  FOR EACH ROW EXECUTE FUNCTION isms.log_change();

-- The same query as isms.risk_register, over the rows each table held at
-- as_of (the last logged version of each key at or before as_of, unless
-- that was a DELETE), with as_of's date in place of current_date.
CREATE FUNCTION isms.risk_as_of(as_of timestamptz) RETURNS SETOF isms.risk_register
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, isms, pg_temp
AS $fn$
WITH risk_then AS (
  SELECT (jsonb_populate_record(NULL::isms.risk, x.new_row)).*
    FROM (SELECT DISTINCT ON (coalesce(l.new_row, l.old_row) -> 'id') l.new_row
            FROM isms.change_log l
           WHERE l.table_name = 'isms.risk'::regclass AND l.logged_at <= as_of
           ORDER BY coalesce(l.new_row, l.old_row) -> 'id', l.id DESC) x
   WHERE x.new_row IS NOT NULL
), control_then AS (
  SELECT (jsonb_populate_record(NULL::isms.risk_control, x.new_row)).*
    FROM (SELECT DISTINCT ON (coalesce(l.new_row, l.old_row) -> 'risk_id',
                              coalesce(l.new_row, l.old_row) -> 'framework',
                              coalesce(l.new_row, l.old_row) -> 'control_ref') l.new_row
            FROM isms.change_log l
           WHERE l.table_name = 'isms.risk_control'::regclass AND l.logged_at <= as_of
           ORDER BY coalesce(l.new_row, l.old_row) -> 'risk_id',
                    coalesce(l.new_row, l.old_row) -> 'framework',
                    coalesce(l.new_row, l.old_row) -> 'control_ref', l.id DESC) x
   WHERE x.new_row IS NOT NULL
), soa_then AS (
  SELECT (jsonb_populate_record(NULL::isms.soa_entry, x.new_row)).*
    FROM (SELECT DISTINCT ON (coalesce(l.new_row, l.old_row) -> 'scope',
                              coalesce(l.new_row, l.old_row) -> 'framework',
                              coalesce(l.new_row, l.old_row) -> 'control_ref') l.new_row
            FROM isms.change_log l
           WHERE l.table_name = 'isms.soa_entry'::regclass AND l.logged_at <= as_of
           ORDER BY coalesce(l.new_row, l.old_row) -> 'scope',
                    coalesce(l.new_row, l.old_row) -> 'framework',
                    coalesce(l.new_row, l.old_row) -> 'control_ref', l.id DESC) x
   WHERE x.new_row IS NOT NULL
), acceptance_then AS (
  SELECT (jsonb_populate_record(NULL::isms.acceptance, x.new_row)).*
    FROM (SELECT DISTINCT ON (coalesce(l.new_row, l.old_row) -> 'id') l.new_row
            FROM isms.change_log l
           WHERE l.table_name = 'isms.acceptance'::regclass AND l.logged_at <= as_of
           ORDER BY coalesce(l.new_row, l.old_row) -> 'id', l.id DESC) x
   WHERE x.new_row IS NOT NULL
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
       isms.within_appetite(r.residual, r.matrix) AS within_appetite,
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
