-- Part of 0.1.0 -> 0.2.0 for sql/570_management_review.sql (issue 18): every object in it is new in 0.2.0,
-- so the part is that file as it is (keep the two the same).

-- Management review (ISO/IEC 27001:2022 9.3): the review per scope, its
-- 9.3.2 inputs taken from the database at the time of the review as a
-- frozen jsonb snapshot, and its 9.3.3 results (decisions; actions with
-- owner and due date).  Once signed off, the review, its snapshot and its
-- decisions and actions cannot change: triggers refuse it (55000), and a
-- correction is an addendum (append-only, 42501 on UPDATE or DELETE).
-- Only the progress of an action (status, completed_on, progress_note) moves
-- on after sign-off: it is what the next review reports as input 9.3.2 a.

CREATE FUNCTION isms.is_name_list(list text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT pg_catalog.cardinality(list) OPERATOR(pg_catalog.>=) 1
     AND pg_catalog.cardinality(list) OPERATOR(pg_catalog.<=) 200
     AND pg_catalog.array_ndims(list) OPERATOR(pg_catalog.=) 1
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(list) AS v
                      WHERE v IS NULL OR pg_catalog.btrim(v) OPERATOR(pg_catalog.=) '')
$$;
COMMENT ON FUNCTION isms.is_name_list(text[]) IS
  'true when a text array is a list of 1 to 200 names: one dimension, no NULL and no blank element (CHECK of isms.management_review.attendees)';

CREATE TABLE isms.management_review (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  held_on         date NOT NULL CONSTRAINT management_review_held_on_finite CHECK (isfinite(held_on)),
  chair           text NOT NULL CONSTRAINT management_review_chair_not_blank CHECK (btrim(chair) <> ''),
  attendees       text[] NOT NULL CONSTRAINT management_review_attendees_list CHECK (isms.is_name_list(attendees)),
  period_start    date CONSTRAINT management_review_period_start_finite CHECK (isfinite(period_start)),
  notes           text,
  inputs          jsonb,
  inputs_taken_at timestamptz,
  signed_by       text CONSTRAINT management_review_signed_by_not_blank CHECK (btrim(signed_by) <> ''),
  signed_at       timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT management_review_period_order CHECK (period_start <= held_on),
  CONSTRAINT management_review_inputs_taken CHECK ((inputs IS NULL) = (inputs_taken_at IS NULL)),
  CONSTRAINT management_review_sign_off_complete CHECK ((signed_by IS NULL) = (signed_at IS NULL)),
  CONSTRAINT management_review_signed_has_inputs CHECK (signed_at IS NULL OR inputs IS NOT NULL)
);
CREATE INDEX management_review_scope_idx ON isms.management_review (scope, held_on);
COMMENT ON TABLE isms.management_review IS
  'Management reviews (ISO/IEC 27001:2022 9.3) per scope: when, who chaired and attended, the 9.3.2 inputs as a snapshot the database took, and the sign-off after which nothing of the review changes';
COMMENT ON COLUMN isms.management_review.id IS 'Review id';
COMMENT ON COLUMN isms.management_review.scope IS 'Reviewed scope (isms.scope.id)';
COMMENT ON COLUMN isms.management_review.held_on IS 'Day the review took place';
COMMENT ON COLUMN isms.management_review.chair IS 'Who chaired it (top management, 9.3.1)';
COMMENT ON COLUMN isms.management_review.attendees IS 'Who attended (1 to 200 names)';
COMMENT ON COLUMN isms.management_review.period_start IS
  'First day of the period the inputs cover (set when NULL: the day after the previous signed review of the scope, else 12 months before held_on)';
COMMENT ON COLUMN isms.management_review.notes IS 'Minutes, feedback from interested parties (9.3.2 e) and anything else discussed';
COMMENT ON COLUMN isms.management_review.inputs IS
  'The 9.3.2 inputs as jsonb, taken by the database (isms.management_review_inputs) when inputs_taken_at is written or at sign-off; never written directly';
COMMENT ON COLUMN isms.management_review.inputs_taken_at IS 'When the inputs were taken (the transaction time); writing the column takes them again, until sign-off';
COMMENT ON COLUMN isms.management_review.signed_by IS 'Who signed the review off; setting it signs it (isms.management_review_sign)';
COMMENT ON COLUMN isms.management_review.signed_at IS 'When it was signed off (the transaction time, set by the database); from then on the review is read-only';
COMMENT ON COLUMN isms.management_review.created_at IS 'When the review was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.management_review', '');
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_id_seq', '');
COMMENT ON SEQUENCE isms.management_review_id_seq IS 'Identity of isms.management_review.id';

CREATE TABLE isms.management_review_decision (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review     bigint NOT NULL REFERENCES isms.management_review (id) ON DELETE CASCADE,
  kind       text NOT NULL DEFAULT 'improvement'
             CONSTRAINT management_review_decision_kind CHECK (kind IN ('improvement', 'change', 'resources', 'other')),
  decision   text NOT NULL CONSTRAINT management_review_decision_not_blank CHECK (btrim(decision) <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT management_review_decision_review_id_key UNIQUE (review, id)
);
COMMENT ON TABLE isms.management_review_decision IS
  'Results of a management review (ISO/IEC 27001:2022 9.3.3): decisions on continual improvement and on changes to the ISMS; read-only once the review is signed off';
COMMENT ON COLUMN isms.management_review_decision.id IS 'Decision id';
COMMENT ON COLUMN isms.management_review_decision.review IS 'The review (isms.management_review.id)';
COMMENT ON COLUMN isms.management_review_decision.kind IS 'improvement (continual improvement opportunity), change (need for change to the ISMS), resources, or other';
COMMENT ON COLUMN isms.management_review_decision.decision IS 'What was decided';
COMMENT ON COLUMN isms.management_review_decision.created_at IS 'When the decision was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_decision', '');
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_decision_id_seq', '');
COMMENT ON SEQUENCE isms.management_review_decision_id_seq IS 'Identity of isms.management_review_decision.id';

CREATE TABLE isms.management_review_action (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review        bigint NOT NULL REFERENCES isms.management_review (id) ON DELETE CASCADE,
  decision      bigint,
  action        text NOT NULL CONSTRAINT management_review_action_not_blank CHECK (btrim(action) <> ''),
  owner         text NOT NULL CONSTRAINT management_review_action_owner_not_blank CHECK (btrim(owner) <> ''),
  due           date NOT NULL CONSTRAINT management_review_action_due_finite CHECK (isfinite(due)),
  status        text NOT NULL DEFAULT 'open'
                CONSTRAINT management_review_action_status CHECK (status IN ('open', 'done', 'cancelled')),
  completed_on  date CONSTRAINT management_review_action_completed_on_finite CHECK (isfinite(completed_on)),
  progress_note text CONSTRAINT management_review_action_progress_note_not_blank CHECK (btrim(progress_note) <> ''),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT management_review_action_decision_fkey FOREIGN KEY (review, decision)
    REFERENCES isms.management_review_decision (review, id),
  CONSTRAINT management_review_action_completed_iff_done CHECK ((status = 'done') = (completed_on IS NOT NULL))
);
CREATE INDEX management_review_action_review_idx ON isms.management_review_action (review);
COMMENT ON TABLE isms.management_review_action IS
  'Actions decided by a management review (9.3.3), with owner and due date; once the review is signed off only their progress (status, completed_on, progress_note) changes';
COMMENT ON COLUMN isms.management_review_action.id IS 'Action id';
COMMENT ON COLUMN isms.management_review_action.review IS 'The review that decided it (isms.management_review.id)';
COMMENT ON COLUMN isms.management_review_action.decision IS 'The decision it carries out (a decision of the same review), or NULL';
COMMENT ON COLUMN isms.management_review_action.action IS 'What is to be done';
COMMENT ON COLUMN isms.management_review_action.owner IS 'Who must do it';
COMMENT ON COLUMN isms.management_review_action.due IS 'By when';
COMMENT ON COLUMN isms.management_review_action.status IS 'open, done or cancelled (progress: may change after sign-off)';
COMMENT ON COLUMN isms.management_review_action.completed_on IS 'Day it was done; required when status is done';
COMMENT ON COLUMN isms.management_review_action.progress_note IS 'How it went (progress: may change after sign-off)';
COMMENT ON COLUMN isms.management_review_action.created_at IS 'When the action was recorded';
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_action', '');
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_action_id_seq', '');
COMMENT ON SEQUENCE isms.management_review_action_id_seq IS 'Identity of isms.management_review_action.id';

CREATE TABLE isms.management_review_addendum (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review     bigint NOT NULL REFERENCES isms.management_review (id),
  concerns   text NOT NULL CONSTRAINT management_review_addendum_concerns_not_blank CHECK (btrim(concerns) <> ''),
  body       text NOT NULL CONSTRAINT management_review_addendum_body_not_blank CHECK (btrim(body) <> ''),
  added_by   text NOT NULL DEFAULT current_user CONSTRAINT management_review_addendum_added_by_not_blank CHECK (btrim(added_by) <> ''),
  added_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX management_review_addendum_review_idx ON isms.management_review_addendum (review);
COMMENT ON TABLE isms.management_review_addendum IS
  'Corrections and additions to a signed-off management review: append-only (never updated or deleted), only for signed reviews';
COMMENT ON COLUMN isms.management_review_addendum.id IS 'Addendum id';
COMMENT ON COLUMN isms.management_review_addendum.review IS 'The signed review it amends (isms.management_review.id)';
COMMENT ON COLUMN isms.management_review_addendum.concerns IS 'What it corrects or adds to, e.g. "attendees", "inputs.monitoring", "action 12"';
COMMENT ON COLUMN isms.management_review_addendum.body IS 'The correction or addition';
COMMENT ON COLUMN isms.management_review_addendum.added_by IS 'Who added it (default current_user)';
COMMENT ON COLUMN isms.management_review_addendum.added_at IS 'When it was added (the transaction time, set by the database)';
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_addendum', '');
SELECT pg_catalog.pg_extension_config_dump('isms.management_review_addendum_id_seq', '');
COMMENT ON SEQUENCE isms.management_review_addendum_id_seq IS 'Identity of isms.management_review_addendum.id';

-- The 9.3.2 inputs of a scope for a period, from what the database holds
-- now.  "Previous reviews" are the signed reviews of the scope held before
-- until (or on it with a lower id than review).  External and internal
-- issues (4.1) have no register in pg_isms: input b lists what does change
-- the context here (the scope, clause 4 documents, and the volume of
-- logged changes per table), documented in docs/reference/management_review.md.
CREATE FUNCTION isms.management_review_inputs(scope text, since date, until date, review bigint DEFAULT NULL)
  RETURNS jsonb
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  sid text := management_review_inputs.scope;
  p_from date := management_review_inputs.since;
  p_to date := management_review_inputs.until;
  self bigint := management_review_inputs.review;
  result jsonb;
BEGIN
  IF sid IS NULL OR p_from IS NULL OR p_to IS NULL THEN
    RAISE EXCEPTION 'scope, since and until must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id = sid) THEN
    RAISE EXCEPTION 'scope "%" does not exist', sid
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Scopes are rows of isms.scope.';
  END IF;
  IF NOT isfinite(p_from) OR NOT isfinite(p_to) OR p_from > p_to THEN
    RAISE EXCEPTION 'invalid review period % to %', p_from, p_to
      USING ERRCODE = 'invalid_parameter_value', HINT = 'since and until are finite dates, since not after until.';
  END IF;

  SELECT jsonb_build_object(
    'scope', sid,
    'period', jsonb_build_object('from', p_from, 'to', p_to),
    'taken_at', now(),
    -- a) status of actions from previous management reviews
    'previous_actions', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'review', r.id, 'held_on', r.held_on, 'action_id', a.id, 'action', a.action,
               'owner', a.owner, 'due', a.due, 'status', a.status, 'completed_on', a.completed_on,
               'overdue', a.status = 'open' AND a.due < p_to, 'progress_note', a.progress_note)
               ORDER BY r.held_on, a.id)
        FROM isms.management_review_action a
        JOIN isms.management_review r ON r.id = a.review
       WHERE r.scope = sid AND r.signed_at IS NOT NULL
         AND (r.held_on < p_to OR (r.held_on = p_to AND r.id < coalesce(self, 0)))
         AND r.id IS DISTINCT FROM self
         AND (a.status = 'open' OR a.completed_on >= p_from
              OR (a.status = 'cancelled' AND r.held_on >= p_from))), '[]'),
    -- b) changes in external and internal issues
    'issues', jsonb_build_object(
      'scope', (SELECT jsonb_build_object('name', s.name, 'description', s.description) FROM isms.scope s WHERE s.id = sid),
      'clause_4_documents', coalesce((
        SELECT jsonb_agg(DISTINCT jsonb_build_object('ref', d.ref, 'title', d.title, 'version', d.version,
                                                     'approved_on', d.approved_on, 'retired_on', d.retired_on))
          FROM isms.document d
          JOIN isms.document_serves v ON v.document = d.id
         WHERE d.scope = sid AND v.framework = 'iso27001-2022-clauses' AND v.control_ref LIKE '4%'
           AND (d.approved_on BETWEEN p_from AND p_to OR d.retired_on BETWEEN p_from AND p_to
                OR d.created_at::date BETWEEN p_from AND p_to)), '[]'),
      'logged_changes', coalesce((
        SELECT jsonb_object_agg(t.table_name, t.n ORDER BY t.table_name)
          FROM (SELECT l.table_name, count(*) AS n
                  FROM isms.change_log l
                 WHERE l.logged_at::date BETWEEN p_from AND p_to
                   AND coalesce(l.new_row, l.old_row) ->> 'scope' = sid
                 GROUP BY l.table_name) t), '{}')),
    -- c) changes in needs and expectations of interested parties
    'interested_parties', jsonb_build_object(
      'requirements_in_force', (SELECT count(*) FROM isms.requirement q
                                 WHERE q.scope = sid AND (q.retired_on IS NULL OR q.retired_on > p_to)),
      'new_requirements', coalesce((
        SELECT jsonb_agg(jsonb_build_object('ref', q.ref, 'kind', q.kind, 'source', q.source,
                                            'reference', q.reference, 'description', q.description) ORDER BY q.ref)
          FROM isms.requirement q
         WHERE q.scope = sid AND (q.created_at::date BETWEEN p_from AND p_to OR q.applies_from BETWEEN p_from AND p_to)), '[]'),
      'retired_requirements', coalesce((
        SELECT jsonb_agg(jsonb_build_object('ref', q.ref, 'kind', q.kind, 'source', q.source, 'retired_on', q.retired_on)
                         ORDER BY q.ref)
          FROM isms.requirement q
         WHERE q.scope = sid AND q.retired_on BETWEEN p_from AND p_to), '[]')),
    -- d 1) nonconformities and corrective actions
    'nonconformities', jsonb_build_object(
      'raised_in_period', coalesce((
        SELECT jsonb_object_agg(k.kind, k.n ORDER BY k.kind)
          FROM (SELECT f.kind::text AS kind, count(*) AS n FROM isms.finding f JOIN isms.audit a ON a.id = f.audit
                 WHERE a.scope = sid AND f.raised_on BETWEEN p_from AND p_to GROUP BY f.kind) k), '{}'),
      'closed_in_period', (SELECT count(*) FROM isms.finding f JOIN isms.audit a ON a.id = f.audit
                            WHERE a.scope = sid AND isms.is_nonconformity(f.kind) AND f.closed_on BETWEEN p_from AND p_to),
      'open', coalesce((
        SELECT jsonb_agg(jsonb_build_object('ref', o.ref, 'kind', o.kind, 'control_ref', o.control_ref,
                                            'statement', o.statement, 'raised_on', o.raised_on, 'due', o.due,
                                            'overdue', o.overdue, 'open_actions', o.open_actions)
                         ORDER BY o.raised_on, o.finding_id)
          FROM isms.open_findings o WHERE o.scope = sid AND o.nonconformity), '[]')),
    'corrective_actions', jsonb_build_object(
      'by_state', coalesce((
        SELECT jsonb_object_agg(c.state, c.n ORDER BY c.state)
          FROM (SELECT x.state, count(*) AS n FROM isms.corrective_action_register x WHERE x.scope = sid GROUP BY x.state) c), '{}'),
      'overdue', (SELECT count(*) FROM isms.corrective_action_register x WHERE x.scope = sid AND x.overdue),
      'verified_effective_in_period', (SELECT count(*) FROM isms.corrective_action_register x
                                        WHERE x.scope = sid AND x.effective AND x.verified_on BETWEEN p_from AND p_to)),
    -- d 2) monitoring and measurement results
    'monitoring', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'metric', m.metric_ref, 'name', m.name, 'objective', m.objective_ref, 'control', m.control_ref,
               'unit', m.unit, 'direction', m.direction, 'target', m.target, 'threshold', m.threshold,
               'latest_value', m.latest_value, 'latest_taken_at', m.latest_taken_at, 'status', m.status,
               'overdue', m.overdue,
               'values_in_period', (SELECT count(*) FROM isms.metric_value v
                                     WHERE v.metric_id = m.metric_id AND v.taken_at::date BETWEEN p_from AND p_to),
               'breaches_in_period', (SELECT count(*) FROM isms.metric_value v
                                       WHERE v.metric_id = m.metric_id AND v.status = 'breached'
                                         AND v.taken_at::date BETWEEN p_from AND p_to))
             ORDER BY m.metric_ref)
        FROM isms.metric_status m WHERE m.scope = sid AND NOT m.retired), '[]'),
    -- d 3) audit results
    'audits', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'audit', a.id, 'kind', a.kind, 'title', a.title, 'completed_on', a.completed_on, 'auditor', a.auditor,
               'findings', coalesce((SELECT jsonb_object_agg(k.kind, k.n ORDER BY k.kind)
                                       FROM (SELECT f.kind::text AS kind, count(*) AS n FROM isms.finding f
                                              WHERE f.audit = a.id GROUP BY f.kind) k), '{}'))
             ORDER BY a.completed_on, a.id)
        FROM isms.audit a
       WHERE a.scope = sid AND a.status = 'completed' AND a.kind <> 'management_review'
         AND a.completed_on BETWEEN p_from AND p_to), '[]'),
    -- d 4) fulfilment of information security objectives
    'objectives', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'objective', o.ref, 'title', o.title, 'owner', o.owner, 'target_date', o.target_date,
               'status', o.status, 'past_target_date', o.status = 'active' AND o.target_date < p_to,
               'metrics', (SELECT coalesce(jsonb_object_agg(s.status, s.n ORDER BY s.status), '{}')
                             FROM (SELECT m.status, count(*) AS n FROM isms.metric_status m
                                    WHERE m.scope = sid AND m.objective_ref = o.ref AND NOT m.retired
                                    GROUP BY m.status) s))
             ORDER BY o.ref)
        FROM isms.objective o
       WHERE o.scope = sid AND (o.status = 'active' OR o.target_date >= p_from)), '[]'),
    -- f) results of risk assessment and status of risk treatment
    'risks', jsonb_build_object(
      'open', (SELECT count(*) FROM isms.risk_register k WHERE k.scope = sid AND k.status <> 'closed'),
      'by_residual_level', coalesce((
        SELECT jsonb_object_agg(l.level, l.n ORDER BY l.level)
          FROM (SELECT coalesce(k.residual_level, k.inherent_level, 'not assessed') AS level, count(*) AS n
                  FROM isms.risk_register k WHERE k.scope = sid AND k.status <> 'closed' GROUP BY 1) l), '{}'),
      'above_appetite', coalesce((
        SELECT jsonb_agg(jsonb_build_object('ref', t.ref, 'title', t.title, 'owner', t.owner,
                                            'residual', t.residual::text, 'level', t.residual_level) ORDER BY t.residual DESC, t.ref)
          FROM (SELECT k.* FROM isms.risk_register k
                 WHERE k.scope = sid AND k.status <> 'closed' AND NOT k.within_appetite
                 ORDER BY k.residual DESC, k.ref LIMIT 20) t), '[]'),
      'identified_in_period', (SELECT count(*) FROM isms.risk k WHERE k.scope = sid AND k.identified_on BETWEEN p_from AND p_to),
      'reviews_overdue', (SELECT count(*) FROM isms.risk_register k WHERE k.scope = sid AND k.status <> 'closed' AND k.overdue),
      'acceptances_expired', (SELECT count(*) FROM isms.risk_register k WHERE k.scope = sid AND k.status <> 'closed' AND k.acceptance_expired),
      'treatments', coalesce((
        SELECT jsonb_object_agg(t.status, t.n ORDER BY t.status)
          FROM (SELECT x.status, count(*) AS n FROM isms.treatment_status x WHERE x.scope = sid GROUP BY x.status) t), '{}'),
      'treatments_overdue', (SELECT count(*) FROM isms.treatment_status x WHERE x.scope = sid AND x.overdue)),
    -- g) opportunities for continual improvement
    'opportunities', coalesce((
      SELECT jsonb_agg(jsonb_build_object('ref', o.ref, 'kind', o.kind, 'control_ref', o.control_ref,
                                          'statement', o.statement, 'raised_on', o.raised_on)
                       ORDER BY o.raised_on, o.finding_id)
        FROM isms.open_findings o WHERE o.scope = sid AND NOT o.nonconformity), '[]'),
    -- e) feedback from interested parties: not held in the database
    'feedback', 'not recorded in pg_isms: see the review notes')
  INTO result;
  RETURN result;
END
$fn$;
COMMENT ON FUNCTION isms.management_review_inputs(text, date, date, bigint) IS
  'The ISO/IEC 27001:2022 9.3.2 inputs of a scope for a period, as jsonb, from what the database holds now: previous review actions, issues, interested parties'' requirements, nonconformities and corrective actions, monitoring results, audits, objectives, risks and treatment, opportunities; unknown scope or bad period 22023, NULL 22004';

-- BEFORE INSERT OR UPDATE: the inputs are written only here; the sign-off
-- time is the database's; a signed review does not change.
CREATE FUNCTION isms.management_review_before_write() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  take boolean := false;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.signed_at IS NOT NULL THEN
    RAISE EXCEPTION 'management review % was signed off by %; it cannot change', OLD.id, OLD.signed_by
      USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = format('Signed off at %s.', OLD.signed_at),
            HINT = 'Record a correction as an addendum: INSERT INTO isms.management_review_addendum.';
  END IF;
  IF (TG_OP = 'INSERT' AND NEW.inputs IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND NEW.inputs IS DISTINCT FROM OLD.inputs) THEN
    RAISE EXCEPTION 'the inputs of a management review are taken by the database, not written'
      USING ERRCODE = 'generated_always',
            HINT = 'Call isms.management_review_snapshot(review) (or write inputs_taken_at) to take them now.';
  END IF;
  IF NEW.period_start IS NULL THEN
    SELECT r.held_on + 1 INTO NEW.period_start
      FROM isms.management_review r
     WHERE r.scope = NEW.scope AND r.signed_at IS NOT NULL AND r.id <> NEW.id AND r.held_on < NEW.held_on
     ORDER BY r.held_on DESC, r.id DESC LIMIT 1;
    NEW.period_start := coalesce(NEW.period_start, (NEW.held_on - interval '12 months')::date);
  END IF;
  IF TG_OP = 'INSERT' THEN
    take := NEW.inputs_taken_at IS NOT NULL;
  ELSIF NEW.inputs_taken_at IS DISTINCT FROM OLD.inputs_taken_at THEN
    IF NEW.inputs_taken_at IS NULL THEN
      NEW.inputs := NULL;
    ELSE
      take := true;
    END IF;
  END IF;
  IF NEW.signed_by IS NOT NULL THEN
    -- Signing now (an unsigned row getting signed_by).
    IF NEW.held_on > CURRENT_DATE THEN
      RAISE EXCEPTION 'management review % is held on %: it cannot be signed off before it took place', NEW.id, NEW.held_on
        USING ERRCODE = 'check_violation', CONSTRAINT = 'management_review_signed_after_held';
    END IF;
    NEW.signed_at := statement_timestamp();
    take := take OR NEW.inputs IS NULL;
  ELSIF NEW.signed_at IS NOT NULL THEN
    RAISE EXCEPTION 'signed_at is set by signing off (signed_by), not written'
      USING ERRCODE = 'generated_always', HINT = 'Call isms.management_review_sign(review, signed_by).';
  END IF;
  IF take THEN
    NEW.inputs := isms.management_review_inputs(NEW.scope, NEW.period_start, NEW.held_on, NEW.id);
    NEW.inputs_taken_at := statement_timestamp();
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.management_review_before_write() IS
  'Trigger: refuses any change to a signed review (55000) and any direct write of inputs or signed_at (428C9); sets period_start; takes the inputs when inputs_taken_at is written or at sign-off; signed_at is the transaction time; no sign-off before held_on (23514)';
CREATE TRIGGER management_review_before_write BEFORE INSERT OR UPDATE ON isms.management_review
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.management_review_before_write();

-- The lock on everything that belongs to a signed review.
CREATE FUNCTION isms.management_review_lock() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  rid bigint;
  signed timestamptz;
  progress CONSTANT text[] := '{status,completed_on,progress_note}';
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    IF (TG_TABLE_NAME = 'management_review' AND EXISTS (SELECT 1 FROM isms.management_review r WHERE r.signed_at IS NOT NULL))
       OR (TG_TABLE_NAME = 'management_review_decision' AND EXISTS (
             SELECT 1 FROM isms.management_review_decision d JOIN isms.management_review r ON r.id = d.review
              WHERE r.signed_at IS NOT NULL))
       OR (TG_TABLE_NAME = 'management_review_action' AND EXISTS (
             SELECT 1 FROM isms.management_review_action a JOIN isms.management_review r ON r.id = a.review
              WHERE r.signed_at IS NOT NULL)) THEN
      RAISE EXCEPTION 'isms.% holds rows of signed management reviews: TRUNCATE is not allowed', TG_TABLE_NAME
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'management_review' THEN
    -- DELETE only (UPDATE is refused by isms.management_review_before_write).
    IF OLD.signed_at IS NOT NULL THEN
      RAISE EXCEPTION 'management review % was signed off by %; it cannot be deleted', OLD.id, OLD.signed_by
        USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = format('Signed off at %s.', OLD.signed_at);
    END IF;
    RETURN OLD;
  END IF;
  -- Decisions and actions: the review before (UPDATE, DELETE) and after
  -- (INSERT, UPDATE) must both be unsigned; an action of a signed review
  -- may still record its progress.
  FOREACH rid IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.review]
                                  WHEN 'DELETE' THEN ARRAY[OLD.review]
                                  ELSE ARRAY[OLD.review, NEW.review] END LOOP
    -- FOR SHARE: a sign-off running at the same time waits for this
    -- change, or this change waits for the sign-off and then sees it.
    SELECT r.signed_at INTO signed FROM isms.management_review r WHERE r.id = rid FOR SHARE;
    IF signed IS NOT NULL THEN
      -- jsonb, not NEW.field: the function serves two tables.
      IF TG_TABLE_NAME = 'management_review_action' AND TG_OP = 'UPDATE'
         AND pg_catalog.to_jsonb(NEW) - progress = pg_catalog.to_jsonb(OLD) - progress THEN
        CONTINUE;
      END IF;
      RAISE EXCEPTION '% of the signed management review % cannot be %',
                      CASE TG_TABLE_NAME WHEN 'management_review_action' THEN 'an action' ELSE 'a decision' END,
                      rid,
                      CASE TG_OP WHEN 'INSERT' THEN 'added' WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
        USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = format('Signed off at %s.', signed),
              HINT = CASE WHEN TG_TABLE_NAME = 'management_review_action' AND TG_OP = 'UPDATE'
                          THEN 'Only status, completed_on and progress_note of its actions move on; record corrections as an addendum.'
                          ELSE 'Record a correction as an addendum: INSERT INTO isms.management_review_addendum.' END;
    END IF;
  END LOOP;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION isms.management_review_lock() IS
  'Trigger: refuses deleting a signed review, adding, changing or deleting decisions and actions of a signed review (progress of an action excepted), and TRUNCATE over signed reviews (55000)';
CREATE TRIGGER management_review_lock BEFORE DELETE ON isms.management_review
  FOR EACH ROW EXECUTE FUNCTION isms.management_review_lock();
CREATE TRIGGER management_review_lock_truncate BEFORE TRUNCATE ON isms.management_review
  FOR EACH STATEMENT EXECUTE FUNCTION isms.management_review_lock();
CREATE TRIGGER management_review_decision_lock BEFORE INSERT OR UPDATE OR DELETE ON isms.management_review_decision
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.management_review_lock();
CREATE TRIGGER management_review_decision_lock_truncate BEFORE TRUNCATE ON isms.management_review_decision
  FOR EACH STATEMENT EXECUTE FUNCTION isms.management_review_lock();
CREATE TRIGGER management_review_action_lock BEFORE INSERT OR UPDATE OR DELETE ON isms.management_review_action
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.management_review_lock();
CREATE TRIGGER management_review_action_lock_truncate BEFORE TRUNCATE ON isms.management_review_action
  FOR EACH STATEMENT EXECUTE FUNCTION isms.management_review_lock();

CREATE FUNCTION isms.management_review_addendum_before_insert() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM isms.management_review r WHERE r.id = NEW.review AND r.signed_at IS NOT NULL) THEN
    IF EXISTS (SELECT 1 FROM isms.management_review r WHERE r.id = NEW.review) THEN
      RAISE EXCEPTION 'management review % is not signed off: change it instead of adding an addendum', NEW.review
        USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;                          -- the foreign key reports an unknown review
  END IF;
  NEW.added_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.management_review_addendum_before_insert() IS
  'Trigger: an addendum is only for a signed review (55000 otherwise); added_at is the transaction time';
CREATE TRIGGER management_review_addendum_before_insert BEFORE INSERT ON isms.management_review_addendum
  FOR EACH ROW WHEN (NOT isms.restore_in_progress())
  EXECUTE FUNCTION isms.management_review_addendum_before_insert();
CREATE TRIGGER management_review_addendum_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON isms.management_review_addendum
  FOR EACH STATEMENT EXECUTE FUNCTION isms.append_only_refuse();

SELECT isms.attach_change_log('isms.management_review');
SELECT isms.attach_change_log('isms.management_review_action');
SELECT isms.attach_change_log('isms.management_review_decision');
SELECT isms.attach_change_log('isms.management_review_addendum');

-- Convenience functions over the same triggers.
CREATE FUNCTION isms.management_review_snapshot(review bigint) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  result jsonb;
BEGIN
  UPDATE isms.management_review r SET inputs_taken_at = statement_timestamp()
   WHERE r.id = management_review_snapshot.review
  RETURNING r.inputs INTO result;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'management review % does not exist', coalesce(management_review_snapshot.review::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  RETURN result;
END
$$;
COMMENT ON FUNCTION isms.management_review_snapshot(bigint) IS
  'Takes the 9.3.2 inputs of an unsigned review now (isms.management_review_inputs over its period) and returns them; signed review 55000, unknown review P0002';

CREATE FUNCTION isms.management_review_sign(review bigint, signed_by text) RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $$
DECLARE
  result timestamptz;
BEGIN
  IF signed_by IS NULL OR btrim(signed_by) = '' THEN
    RAISE EXCEPTION 'signing off a management review needs the name of who signs'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE isms.management_review r SET signed_by = management_review_sign.signed_by
   WHERE r.id = management_review_sign.review
  RETURNING r.signed_at INTO result;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'management review % does not exist', coalesce(management_review_sign.review::text, 'NULL')
      USING ERRCODE = 'no_data_found';
  END IF;
  RETURN result;
END
$$;
COMMENT ON FUNCTION isms.management_review_sign(bigint, text) IS
  'Signs a review off (taking its inputs first when none were taken) and returns the sign-off time; from then on it is read-only; already signed 55000, held in the future 23514, unknown P0002, no name 22004';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.is_name_list', 'read', NULL),
  ('isms.management_review_inputs', 'read', 'reads what the caller may see (scope security applies), writes nothing'),
  ('isms.management_review_before_write', 'internal', NULL),
  ('isms.management_review_lock', 'internal', NULL),
  ('isms.management_review_addendum_before_insert', 'internal', NULL),
  ('isms.management_review_snapshot', 'write', NULL),
  ('isms.management_review_sign', 'write', NULL);
