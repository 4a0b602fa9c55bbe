-- Part of 0.1.0 -> 0.2.0 for sql/580_readiness.sql (issue 18): the
-- readiness rules read the traceable SoA (an untraced applicable control is
-- a blocker, stale evidence a gap), the signed management review of
-- isms.management_review instead of a completed audit of kind
-- management_review, and the metrics of clause 9.1.  Same signature, so
-- isms.readiness and isms.readiness_blockers (SQL bodies) need no change;
-- its isms.function_class row stays.
DROP FUNCTION isms.readiness_checks(text, date);
CREATE FUNCTION isms.readiness_checks(scope text, as_of date DEFAULT CURRENT_DATE)
  RETURNS TABLE (area text, ref text, rule text, status isms.readiness_status, what text,
                 object text, owner text, since date, evidence text)
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  sid text := readiness_checks.scope;
  day date := readiness_checks.as_of;
  year_ago date := (readiness_checks.as_of - interval '12 months')::date;
BEGIN
  IF sid IS NULL OR day IS NULL THEN
    RAISE EXCEPTION 'scope and as_of must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM isms.scope s WHERE s.id OPERATOR(pg_catalog.=) sid) THEN
    RAISE EXCEPTION 'scope "%" does not exist', sid
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Scopes are rows of isms.scope.';
  END IF;
  IF NOT isfinite(day) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', day
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  RETURN QUERY
  WITH RECURSIVE clause AS (
    SELECT c.ref, c.ref AS top, ARRAY[c.ref] AS path
      FROM isms.control c
     WHERE c.framework = 'iso27001-2022-clauses' AND c.parent_ref IS NULL
    UNION ALL
    SELECT c.ref, t.top, t.path || c.ref
      FROM isms.control c JOIN clause t ON c.parent_ref = t.ref
     WHERE c.framework = 'iso27001-2022-clauses'
  ),
  leaf AS (
    SELECT t.* FROM clause t
     WHERE NOT EXISTS (SELECT 1 FROM isms.control c
                        WHERE c.framework = 'iso27001-2022-clauses' AND c.parent_ref = t.ref)
  ),
  doc AS (
    SELECT d.* FROM isms.document d
     WHERE d.scope = sid AND (d.retired_on IS NULL OR d.retired_on > day)
  ),
  soa AS (
    -- What each control counts as is isms.soa_entry_counts, the one SoA
    -- counting rule (issue 17); a control without an entry is undecided
    -- (6.1.3 d asks for every Annex A control) and counts nowhere else.
    SELECT c.ref, c.group_id, c.position, e.scope IS NOT NULL AS has_entry,
           coalesce(n.undecided, 1) = 1 AS undecided,
           coalesce(n.applicable, 0) = 1 AS applicable,
           coalesce(n.not_applicable, 0) = 1 AS not_applicable,
           coalesce(n.implemented, 0) = 1 AS implemented,
           e.status AS impl, e.next_review,
           -- 6.1.3: a reason for the control (a risk it treats, a
           -- requirement in force it meets, a business need); issue 18
           (e.business_need IS NOT NULL
            OR EXISTS (SELECT 1 FROM isms.risk_control l JOIN isms.risk k ON k.id = l.risk_id
                        WHERE l.framework = c.framework AND l.control_ref = c.ref
                          AND k.scope = sid AND k.status <> 'closed')
            OR EXISTS (SELECT 1 FROM isms.soa_requirement x JOIN isms.requirement q ON q.scope = x.scope AND q.id = x.requirement
                        WHERE x.scope = sid AND x.framework = c.framework AND x.control_ref = c.ref
                          AND (q.retired_on IS NULL OR q.retired_on > day))) AS traced,
           isms.evidence_state(e.evidence, e.evidence_date, e.evidence_validity, day) AS evidence_state
      FROM isms.control c
      LEFT JOIN isms.soa_entry e
        ON e.framework = c.framework AND e.control_ref = c.ref AND e.scope = sid
      LEFT JOIN isms.soa_entry_counts n
        ON n.framework = c.framework AND n.control_ref = c.ref AND n.scope = sid
     WHERE c.framework = 'iso27001-2022'
  ),
  review AS (
    SELECT r.* FROM isms.management_review r
     WHERE r.scope = sid AND r.held_on <= day AND r.held_on > year_ago
  ),
  metric AS (
    SELECT m.*, isms.metric_next_due(m.frequency, m.frequency_start,
                  (SELECT max(v.taken_at) FROM isms.metric_value v
                    WHERE v.metric_id = m.id AND v.taken_at::date <= day)) AS next_due
      FROM isms.metric m
     WHERE m.scope = sid AND (m.retired_on IS NULL OR m.retired_on > day)
  ),
  internal_audit AS (
    SELECT a.* FROM isms.audit a
     WHERE a.scope = sid AND a.kind = 'internal' AND a.status = 'completed'
       AND a.completed_on <= day AND a.completed_on >= year_ago
  ),
  covered AS (
    SELECT DISTINCT v.framework, v.control_ref, v.audit
      FROM isms.audit_coverage v JOIN internal_audit a ON a.id = v.audit
  ),
  nc AS (
    SELECT f.*, coalesce(cl.top, ac.group_id, '10') AS at_ref,
           CASE WHEN ac.group_id IS NOT NULL THEN 'annex_a_theme' ELSE 'clause' END AS at_area,
           coalesce(f.ref, '#' || f.id) AS label
      FROM isms.finding f
      JOIN isms.audit a ON a.id = f.audit AND a.scope = sid
      LEFT JOIN clause cl ON f.framework = 'iso27001-2022-clauses' AND cl.ref = f.control_ref
      LEFT JOIN isms.control ac ON f.framework = 'iso27001-2022' AND ac.framework = f.framework AND ac.ref = f.control_ref
     WHERE isms.is_nonconformity(f.kind) AND f.raised_on <= day
  )
  -- Required documented information: present, approved, in review.
  SELECT 'clause', cl.top, 'required_document',
         CASE WHEN d.id IS NULL THEN 'blocker'
              WHEN d.approved_on IS NULL OR d.next_review < day THEN 'gap'
              ELSE 'ready' END::isms.readiness_status,
         CASE WHEN d.id IS NULL THEN format('Required documented information missing: %s (clause %s)', r.title, r.clause_ref)
              WHEN d.approved_on IS NULL THEN format('%s %s (%s, clause %s) is not approved', initcap(d.kind::text), d.ref, r.title, r.clause_ref)
              WHEN d.next_review < day THEN format('Review of %s %s (%s, clause %s) overdue since %s', d.kind, d.ref, r.title, r.clause_ref, d.next_review)
         END,
         CASE WHEN d.id IS NULL THEN 'document_requirement ' || r.id ELSE 'document ' || d.ref END,
         d.owner,
         CASE WHEN d.id IS NOT NULL AND d.approved_on IS NULL THEN d.created_at::date
              WHEN d.next_review < day THEN d.next_review END,
         CASE WHEN d.id IS NULL THEN format('%s (clause %s): no document in force fulfils it', r.title, r.clause_ref)
              ELSE format('%s (clause %s): %s %s "%s"%s, %s, next review %s', r.title, r.clause_ref, d.kind, d.ref, d.title,
                          coalesce(' v' || d.version, ''),
                          coalesce(format('approved by %s on %s', d.approved_by, d.approved_on), 'not approved'),
                          d.next_review) END
    FROM isms.document_requirement r
    JOIN clause cl ON r.framework = 'iso27001-2022-clauses' AND cl.ref = r.clause_ref
    LEFT JOIN LATERAL (
      SELECT d.* FROM doc d JOIN isms.document_fulfils x ON x.document = d.id
       WHERE x.requirement = r.id
       ORDER BY d.approved_on IS NOT NULL DESC, d.next_review >= day DESC, d.approved_on DESC, d.id
       LIMIT 1) d ON true

  -- Control of documented information (7.5.3): the other documents in review.
  UNION ALL
  SELECT 'clause', '7', 'document_review', 'gap',
         format('Review of %s %s "%s" overdue since %s', d.kind, d.ref, d.title, d.next_review),
         'document ' || d.ref, d.owner, d.next_review, NULL
    FROM doc d
   WHERE d.next_review < day AND NOT EXISTS (SELECT 1 FROM isms.document_fulfils x WHERE x.document = d.id)
  UNION ALL
  SELECT 'clause', '7', 'document_review', 'ready', NULL, NULL, NULL, NULL,
         format('Document register: %s documents in force, %s approved, %s past their review date',
                count(*), count(*) FILTER (WHERE d.approved_on IS NOT NULL), count(*) FILTER (WHERE d.next_review < day))
    FROM doc d

  -- Statement of Applicability (6.1.3 d): every Annex A control decided.
  UNION ALL
  SELECT 'clause', '6', 'soa_complete',
         CASE WHEN NOT bool_or(s.has_entry) THEN 'blocker'
              WHEN bool_or(s.undecided) THEN 'gap'
              ELSE 'ready' END::isms.readiness_status,
         CASE WHEN NOT bool_or(s.has_entry) THEN 'No Statement of Applicability: no Annex A control has an SoA entry in this scope'
              WHEN bool_or(s.undecided) THEN
                format('%s of %s Annex A controls not decided in the Statement of Applicability: %s',
                       count(*) FILTER (WHERE s.undecided), count(*),
                       isms.readiness_list(array_agg(s.ref ORDER BY s.position) FILTER (WHERE s.undecided))) END,
         'statement of applicability', NULL, NULL,
         format('Statement of Applicability: %s of %s Annex A controls decided (%s applicable, %s excluded), each with a justification',
                count(*) FILTER (WHERE NOT s.undecided), count(*),
                count(*) FILTER (WHERE s.applicable), count(*) FILTER (WHERE s.not_applicable))
    FROM soa s

  -- Annex A themes: decided, implemented, reviewed.
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_complete', 'gap',
         format('%s controls not decided in the Statement of Applicability: %s',
                count(*), isms.readiness_list(array_agg(s.ref ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.undecided GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_implementation', 'gap',
         format('%s applicable controls not fully implemented: %s',
                count(*), isms.readiness_list(array_agg(s.ref || ' (' || s.impl || ')' ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.applicable AND NOT s.implemented GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_review', 'gap',
         format('%s SoA entries past their review date: %s',
                count(*), isms.readiness_list(array_agg(s.ref || ' (' || s.next_review || ')' ORDER BY s.position))),
         'statement of applicability', NULL, min(s.next_review), NULL
    FROM soa s WHERE NOT s.undecided AND s.next_review < day GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_traceability', 'blocker',
         format('%s applicable controls without a reason (no treated risk, requirement or business need): %s',
                count(*), isms.readiness_list(array_agg(s.ref ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.applicable AND NOT s.traced GROUP BY s.group_id
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_evidence', 'gap',
         format('%s applicable controls with stale evidence: %s',
                count(*), isms.readiness_list(array_agg(s.ref || ' (' || s.evidence_state || ')' ORDER BY s.position))),
         'statement of applicability', NULL, NULL, NULL
    FROM soa s WHERE s.applicable AND s.evidence_state <> 'current' GROUP BY s.group_id
  UNION ALL
  SELECT 'clause', '6', 'soa_traceability', 'ready', NULL, NULL, NULL, NULL,
         format('Statement of Applicability: %s of %s applicable controls traced to a risk, a requirement or a business need; evidence current for %s',
                count(*) FILTER (WHERE s.traced), count(*), count(*) FILTER (WHERE s.evidence_state = 'current'))
    FROM soa s WHERE s.applicable
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'soa_complete', 'ready', NULL, NULL, NULL, NULL,
         format('Statement of Applicability: %s controls, %s decided, %s applicable, %s of them implemented',
                count(*), count(*) FILTER (WHERE NOT s.undecided),
                count(*) FILTER (WHERE s.applicable), count(*) FILTER (WHERE s.implemented))
    FROM soa s GROUP BY s.group_id

  -- Risk assessment (6.1.2, 8.2) and treatment (6.1.3, 8.3).
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'blocker',
         'No risk assessment: the scope has no open risk in the risk register',
         'risk register', NULL, NULL, NULL
   WHERE NOT EXISTS (SELECT 1 FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed')
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'gap',
         format('Risk %s "%s" is identified but not assessed', k.ref, k.title),
         'risk ' || k.ref, k.owner, k.identified_on, NULL
    FROM isms.risk k WHERE k.scope = sid AND k.status = 'identified'
  UNION ALL
  SELECT 'clause', '6', 'risk_assessed', 'ready', NULL, NULL, NULL, NULL,
         format('Risk register: %s open risks, %s assessed', count(*), count(*) FILTER (WHERE k.status <> 'identified'))
    FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed'
  UNION ALL
  SELECT 'clause', '8', 'risk_review', 'gap',
         CASE WHEN k.next_review IS NULL THEN format('Risk %s "%s" has no review date', k.ref, k.title)
              ELSE format('Review of risk %s "%s" overdue since %s', k.ref, k.title, k.next_review) END,
         'risk ' || k.ref, k.owner, k.next_review, NULL
    FROM isms.risk k
   WHERE k.scope = sid AND k.status <> 'closed' AND (k.next_review IS NULL OR k.next_review < day)
  UNION ALL
  SELECT 'clause', '8', 'risk_review', 'ready', NULL, NULL, NULL, NULL,
         format('Risk reviews: %s of %s open risks reviewed on time',
                count(*) FILTER (WHERE k.next_review >= day), count(*))
    FROM isms.risk k WHERE k.scope = sid AND k.status <> 'closed'
  UNION ALL
  SELECT 'clause', '8', 'treatment_on_time', 'gap',
         format('Treatment plan %s of risk %s overdue since %s: %s', t.id, k.ref, t.due, t.plan),
         'treatment ' || t.id, t.owner, t.due, NULL
    FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id
   WHERE k.scope = sid AND t.status IN ('planned', 'in_progress') AND t.due < day
  UNION ALL
  SELECT 'clause', '8', 'treatment_on_time', 'ready', NULL, NULL, NULL, NULL,
         format('Risk treatment: %s plans open (%s overdue), %s done',
                count(*) FILTER (WHERE t.status IN ('planned', 'in_progress')),
                count(*) FILTER (WHERE t.status IN ('planned', 'in_progress') AND t.due < day),
                count(*) FILTER (WHERE t.status = 'done'))
    FROM isms.treatment t JOIN isms.risk k ON k.id = t.risk_id AND k.scope = sid

  -- Internal audit (9.2) within the last 12 months, and what it covered.
  UNION ALL
  SELECT 'clause', '9', 'internal_audit', 'blocker',
         'No internal audit completed in the last 12 months',
         'audit programme', nxt.auditor, (last.completed_on + interval '12 months')::date,
         concat_ws('; ',
           CASE WHEN last.id IS NULL THEN 'No internal audit was ever completed'
                ELSE format('Last internal audit: #%s completed on %s', last.id, last.completed_on) END,
           'next one due by ' || nxt.due_by)
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'internal' AND a.status = 'completed' AND a.completed_on <= day
                        ORDER BY a.completed_on DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'internal' AND a.status IN ('planned', 'confirmed')
                        ORDER BY a.due_by LIMIT 1) nxt ON true
   WHERE NOT EXISTS (SELECT 1 FROM internal_audit)
  UNION ALL
  SELECT 'clause', '9', 'internal_audit', 'ready', NULL, NULL, NULL, NULL,
         format('Internal audit #%s%s completed on %s%s, covering %s clauses and controls',
                a.id, coalesce(' "' || a.title || '"', ''), a.completed_on, coalesce(' by ' || a.auditor, ''),
                (SELECT count(*) FROM isms.audit_coverage v WHERE v.audit = a.id))
    FROM internal_audit a
  UNION ALL
  SELECT 'clause', l.top, 'audit_coverage', 'gap',
         format('Not covered by an internal audit in the last 12 months: clauses %s',
                isms.readiness_list(array_agg(l.ref ORDER BY l.path))),
         'audit programme', NULL, NULL, NULL
    FROM leaf l
   WHERE EXISTS (SELECT 1 FROM internal_audit)
     AND NOT EXISTS (SELECT 1 FROM covered v
                      WHERE v.framework = 'iso27001-2022-clauses' AND v.control_ref = ANY (l.path))
   GROUP BY l.top
  UNION ALL
  SELECT 'annex_a_theme', s.group_id, 'audit_coverage', 'gap',
         format('Applicable controls not covered by an internal audit in the last 12 months: %s',
                isms.readiness_list(array_agg(s.ref ORDER BY s.position))),
         'audit programme', NULL, NULL, NULL
    FROM soa s
   WHERE s.applicable AND EXISTS (SELECT 1 FROM internal_audit)
     AND NOT EXISTS (SELECT 1 FROM covered v WHERE v.framework = 'iso27001-2022' AND v.control_ref = s.ref)
   GROUP BY s.group_id

  -- Management review (9.3): one signed off, held in the 12 months before
  -- the day (the yearly cycle of surveillance audits; issue 18).
  UNION ALL
  SELECT 'clause', '9', 'management_review',
         CASE WHEN mr.id IS NULL THEN 'blocker' ELSE 'ready' END::isms.readiness_status,
         CASE WHEN mr.id IS NOT NULL THEN NULL
              WHEN un.id IS NOT NULL THEN format('Management review #%s held on %s is not signed off', un.id, un.held_on)
              ELSE 'No signed management review in the last 12 months' END,
         CASE WHEN mr.id IS NOT NULL THEN NULL
              WHEN un.id IS NOT NULL THEN 'management review #' || un.id
              ELSE 'audit programme' END,
         CASE WHEN mr.id IS NOT NULL THEN NULL ELSE coalesce(un.chair, nxt.auditor) END,
         CASE WHEN mr.id IS NOT NULL THEN NULL
              WHEN un.id IS NOT NULL THEN un.held_on
              ELSE (last.held_on + interval '12 months')::date END,
         CASE WHEN mr.id IS NOT NULL THEN format('Management review #%s held on %s, chaired by %s, signed off by %s',
                                                 mr.id, mr.held_on, mr.chair, mr.signed_by)
              WHEN last.id IS NOT NULL THEN format('Last signed management review: #%s held on %s', last.id, last.held_on)
              ELSE 'No management review was ever signed off' END
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT r.* FROM review r WHERE r.signed_at IS NOT NULL
                        ORDER BY r.held_on DESC, r.id DESC LIMIT 1) mr ON true
    LEFT JOIN LATERAL (SELECT r.* FROM review r WHERE r.signed_at IS NULL
                        ORDER BY r.held_on DESC, r.id DESC LIMIT 1) un ON true
    LEFT JOIN LATERAL (SELECT r.* FROM isms.management_review r
                        WHERE r.scope = sid AND r.held_on <= day AND r.signed_at IS NOT NULL
                        ORDER BY r.held_on DESC, r.id DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT a.* FROM isms.audit a
                        WHERE a.scope = sid AND a.kind = 'management_review' AND a.status IN ('planned', 'confirmed')
                        ORDER BY a.due_by LIMIT 1) nxt ON true

  -- Information security objectives (6.2): recorded, and none left active
  -- past its target date.
  UNION ALL
  SELECT 'clause', '6', 'objectives', 'gap',
         'No information security objective recorded (clause 6.2)',
         'objectives', NULL, NULL, NULL
   WHERE NOT EXISTS (SELECT 1 FROM isms.objective o WHERE o.scope = sid AND o.status <> 'abandoned')
  UNION ALL
  SELECT 'clause', '6', 'objectives', 'gap',
         format('Objective %s "%s" is still active past its target date %s', o.ref, o.title, o.target_date),
         'objective ' || o.ref, o.owner, o.target_date, NULL
    FROM isms.objective o WHERE o.scope = sid AND o.status = 'active' AND o.target_date < day
  UNION ALL
  SELECT 'clause', '6', 'objectives', 'ready', NULL, NULL, NULL, NULL,
         format('Objectives: %s active, %s achieved', count(*) FILTER (WHERE o.status = 'active'),
                count(*) FILTER (WHERE o.status = 'achieved'))
    FROM isms.objective o WHERE o.scope = sid AND o.status <> 'abandoned' HAVING count(*) > 0

  -- Monitoring and measurement (9.1): metrics exist and are measured on time.
  UNION ALL
  SELECT 'clause', '9', 'monitoring', 'gap',
         'No metric: nothing is monitored or measured in this scope (clause 9.1)',
         'metrics', NULL, NULL, NULL
   WHERE NOT EXISTS (SELECT 1 FROM metric)
  UNION ALL
  SELECT 'clause', '9', 'monitoring', 'gap',
         format('Measurement of metric %s "%s" overdue since %s', m.ref, m.name, m.next_due::date),
         'metric ' || m.ref, m.owner, m.next_due::date, NULL
    FROM metric m WHERE m.next_due::date < day
  UNION ALL
  SELECT 'clause', '9', 'monitoring', 'ready', NULL, NULL, NULL, NULL,
         format('Monitoring: %s metrics, %s measured on time', count(*), count(*) FILTER (WHERE m.next_due IS NULL OR m.next_due::date >= day))
    FROM metric m HAVING count(*) > 0

  -- Nonconformities (10.2), on the row of the clause or theme they are against.
  UNION ALL
  SELECT f.at_area, f.at_ref, 'nonconformity',
         CASE WHEN f.kind = 'major_nonconformity' THEN 'blocker' ELSE 'gap' END::isms.readiness_status,
         CASE WHEN f.kind = 'major_nonconformity'
                THEN format('Open major nonconformity %s against %s: %s', f.label, f.control_ref, f.statement)
              WHEN f.due < day
                THEN format('Minor nonconformity %s against %s overdue since %s: %s', f.label, f.control_ref, f.due, f.statement)
              ELSE format('Minor nonconformity %s against %s has no corrective action: %s', f.label, f.control_ref, f.statement) END,
         'finding ' || f.label, f.owner,
         CASE WHEN f.kind = 'minor_nonconformity' AND f.due < day THEN f.due ELSE f.raised_on END,
         NULL
    FROM nc f
   WHERE (f.status = 'open' OR f.closed_on > day)
     AND (f.kind = 'major_nonconformity' OR f.due < day
          OR NOT EXISTS (SELECT 1 FROM isms.corrective_action x WHERE x.finding = f.id))
  UNION ALL
  SELECT 'clause', '10', 'nonconformity', 'ready', NULL, NULL, NULL, NULL,
         format('Nonconformities: %s raised, %s closed with a corrective action verified effective, %s open (%s major)',
                count(*), count(*) FILTER (WHERE f.status = 'closed' AND f.closed_on <= day),
                count(*) FILTER (WHERE f.status = 'open' OR f.closed_on > day),
                count(*) FILTER (WHERE (f.status = 'open' OR f.closed_on > day) AND f.kind = 'major_nonconformity'))
    FROM nc f

  -- Corrective actions on time (10.2).
  UNION ALL
  SELECT 'clause', '10', 'corrective_action', 'gap',
         format('Corrective action #%s for %s overdue since %s: %s', x.id, coalesce(f.ref, 'finding #' || f.id), x.due, x.action),
         'corrective action #' || x.id, x.owner, x.due, NULL
    FROM isms.corrective_action x
    JOIN isms.finding f ON f.id = x.finding
    JOIN isms.audit a ON a.id = f.audit AND a.scope = sid
   WHERE (x.completed_on IS NULL OR x.completed_on > day) AND x.due < day
  UNION ALL
  SELECT 'clause', '10', 'corrective_action', 'ready', NULL, NULL, NULL, NULL,
         format('Corrective actions: %s recorded, %s completed, %s verified effective, %s overdue',
                count(*), count(*) FILTER (WHERE x.completed_on <= day), count(*) FILTER (WHERE x.effective AND x.verified_on <= day),
                count(*) FILTER (WHERE (x.completed_on IS NULL OR x.completed_on > day) AND x.due < day))
    FROM isms.corrective_action x
    JOIN isms.finding f ON f.id = x.finding
    JOIN isms.audit a ON a.id = f.audit AND a.scope = sid;
END
$fn$;
COMMENT ON FUNCTION isms.readiness_checks(text, date) IS
  'Every readiness rule applied to one scope on a day (default today): one row per problem found (gap or blocker, with what, which object, owner, since when) and per piece of evidence looked at (ready); unknown scope or infinite day 22023, NULL 22004';
