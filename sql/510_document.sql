-- isms.document: the register of documented information per scope
-- (ISO/IEC 27001:2022 7.5): what it is, which clauses and controls it
-- serves, which required item it fulfils, who owns and approved it, where it
-- lives and when it is next reviewed.  Reviews go on the calendar through
-- isms.reminder (kind document_review) like every other deadline.

CREATE TYPE isms.document_kind AS ENUM
  ('policy', 'procedure', 'standard', 'guideline', 'plan', 'register', 'record', 'report', 'other');
COMMENT ON TYPE isms.document_kind IS
  'Kind of documented information: policy, procedure, standard, guideline, plan, register, record, report, other';

CREATE TABLE isms.document (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope           text NOT NULL REFERENCES isms.scope (id) ON UPDATE CASCADE,
  ref             text NOT NULL
                  CONSTRAINT document_ref_format CHECK (ref ~ '^[^[:space:][:cntrl:]]([^[:cntrl:]]{0,62}[^[:space:][:cntrl:]])?$'),
  title           text NOT NULL CONSTRAINT document_title_not_blank CHECK (btrim(title) <> ''),
  kind            isms.document_kind NOT NULL,
  owner           text NOT NULL CONSTRAINT document_owner_not_blank CHECK (btrim(owner) <> ''),
  version         text CONSTRAINT document_version_not_blank CHECK (btrim(version) <> ''),
  approved_by     text CONSTRAINT document_approved_by_not_blank CHECK (btrim(approved_by) <> ''),
  approved_on     date CONSTRAINT document_approved_on_finite CHECK (isfinite(approved_on)),
  location        text CONSTRAINT document_location_not_blank CHECK (btrim(location) <> ''),
  review_interval interval NOT NULL DEFAULT '1 year'
                  CONSTRAINT document_review_interval_range
                  CHECK (review_interval >= interval '1 month' AND review_interval <= interval '5 years'),
  last_reviewed   date CONSTRAINT document_last_reviewed_finite CHECK (isfinite(last_reviewed)),
  next_review     date NOT NULL CONSTRAINT document_next_review_finite CHECK (isfinite(next_review)),
  retired_on      date CONSTRAINT document_retired_on_finite CHECK (isfinite(retired_on)),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT document_scope_ref_key UNIQUE (scope, ref),
  CONSTRAINT document_approval_complete CHECK ((approved_by IS NULL) = (approved_on IS NULL)),
  CONSTRAINT document_review_order CHECK (next_review > last_reviewed)
);
COMMENT ON TABLE isms.document IS
  'Register of documented information per scope (ISO/IEC 27001:2022 7.5): policies, procedures, records ...; each review is a calendar reminder (kind document_review)';
COMMENT ON COLUMN isms.document.id IS 'Document id (generated)';
COMMENT ON COLUMN isms.document.scope IS 'Scope (isms.scope.id) the document belongs to';
COMMENT ON COLUMN isms.document.ref IS 'Document reference people use (e.g. POL-001), unique in its scope; 1 to 64 characters, no leading or trailing space';
COMMENT ON COLUMN isms.document.title IS 'Title of the document';
COMMENT ON COLUMN isms.document.kind IS 'policy, procedure, standard, guideline, plan, register, record, report or other';
COMMENT ON COLUMN isms.document.owner IS 'Person or role responsible for the document and its reviews';
COMMENT ON COLUMN isms.document.version IS 'Version in force (free text, e.g. 2.1)';
COMMENT ON COLUMN isms.document.approved_by IS 'Who approved the version in force; NULL while the document is a draft';
COMMENT ON COLUMN isms.document.approved_on IS 'When the version in force was approved; given together with approved_by';
COMMENT ON COLUMN isms.document.location IS 'Where the document lives: URL or path';
COMMENT ON COLUMN isms.document.review_interval IS 'How often the document is reviewed (1 month to 5 years, default 1 year)';
COMMENT ON COLUMN isms.document.last_reviewed IS 'Date of the last review; setting it moves next_review on by review_interval';
COMMENT ON COLUMN isms.document.next_review IS
  'When the next review is due: defaults to last_reviewed, else approved_on, else today, plus review_interval; overdue when in the past';
COMMENT ON COLUMN isms.document.retired_on IS 'When the document was withdrawn; a retired document counts for nothing and its reminder is cancelled';
COMMENT ON COLUMN isms.document.created_at IS 'When the row was created';

SELECT pg_catalog.pg_extension_config_dump('isms.document', '');
SELECT pg_catalog.pg_extension_config_dump('isms.document_id_seq', '');
COMMENT ON SEQUENCE isms.document_id_seq IS 'Identity of isms.document.id';

CREATE TABLE isms.document_serves (
  document    bigint NOT NULL REFERENCES isms.document (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  PRIMARY KEY (document, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX document_serves_control ON isms.document_serves (framework, control_ref);
COMMENT ON TABLE isms.document_serves IS
  'Clauses (framework iso27001-2022-clauses) and controls (e.g. iso27001-2022) a document serves; one row per pair';
COMMENT ON COLUMN isms.document_serves.document IS 'The document (isms.document.id)';
COMMENT ON COLUMN isms.document_serves.framework IS 'Framework of the clause or control';
COMMENT ON COLUMN isms.document_serves.control_ref IS 'Clause or control reference, e.g. 6.1.3 or 5.1';
SELECT pg_catalog.pg_extension_config_dump('isms.document_serves', '');

CREATE TABLE isms.document_fulfils (
  document    bigint NOT NULL REFERENCES isms.document (id) ON DELETE CASCADE,
  requirement text NOT NULL REFERENCES isms.document_requirement (id),
  PRIMARY KEY (document, requirement)
);
CREATE INDEX document_fulfils_requirement ON isms.document_fulfils (requirement);
COMMENT ON TABLE isms.document_fulfils IS
  'Which required documented information (isms.document_requirement) a document is; the readiness view looks here';
COMMENT ON COLUMN isms.document_fulfils.document IS 'The document (isms.document.id)';
COMMENT ON COLUMN isms.document_fulfils.requirement IS 'The required item it fulfils (isms.document_requirement.id), e.g. statement-of-applicability';
SELECT pg_catalog.pg_extension_config_dump('isms.document_fulfils', '');

-- Every change to the register is history an auditor may ask for (7.5.3).
SELECT isms.attach_change_log('isms.document');

-- BEFORE: the next review follows the last review (or approval) by the
-- interval unless the writer sets next_review itself.
CREATE FUNCTION isms.document_defaults() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, isms, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.next_review IS NULL THEN
      NEW.next_review := (coalesce(NEW.last_reviewed, NEW.approved_on, current_date) + NEW.review_interval)::date;
    END IF;
  ELSIF NEW.next_review IS NOT DISTINCT FROM OLD.next_review
        AND (NEW.last_reviewed, NEW.approved_on, NEW.review_interval)
            IS DISTINCT FROM (OLD.last_reviewed, OLD.approved_on, OLD.review_interval)
        AND coalesce(NEW.last_reviewed, NEW.approved_on) IS NOT NULL THEN
    NEW.next_review := (greatest(NEW.last_reviewed, NEW.approved_on) + NEW.review_interval)::date;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION isms.document_defaults() IS
  'Trigger: next_review defaults to (last review, else approval, else today) + review_interval, and moves on when a review or approval is recorded';

-- Stands aside while pg_restore loads data (isms.restore_in_progress()):
-- the dump already holds the dates and the reminders they made.
CREATE TRIGGER document_defaults BEFORE INSERT OR UPDATE ON isms.document
  FOR EACH ROW WHEN (NOT isms.restore_in_progress()) EXECUTE FUNCTION isms.document_defaults();

REVOKE ALL ON FUNCTION isms.document_defaults() FROM PUBLIC;

-- The review reminder of each document, on its next review; retiring it
-- cancels the reminder.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('document_review', 'isms.document', 'VTODO', '{14 days}', 'Review of a document of the ISMS (ISO/IEC 27001 7.5)');
CREATE VIEW isms.document_reminder AS
SELECT d.id, 'document_review'::text AS kind, d.scope, d.owner,
       format('Review %s %s: %s', d.kind, d.ref, d.title) AS summary,
       concat_ws(E'\n',
         'Version: ' || coalesce(d.version, 'none'),
         CASE WHEN d.approved_on IS NULL THEN 'Not approved yet (draft).'
              ELSE format('Approved by %s on %s.', d.approved_by, to_char(d.approved_on, 'YYYY-MM-DD')) END,
         'Location: ' || d.location,
         'Review every ' || d.review_interval::text || '.') AS description,
       d.next_review AS due,
       CASE WHEN d.retired_on IS NULL THEN 'scheduled' ELSE 'cancelled' END AS status
  FROM isms.document d;
COMMENT ON VIEW isms.document_reminder IS
  'Reminder source of isms.document (isms.attach_reminders): the document_review reminder of each document on its next review; retired: cancelled';
COMMENT ON COLUMN isms.document_reminder.id IS 'Document id (isms.document.id): the subject key';
COMMENT ON COLUMN isms.document_reminder.kind IS 'document_review';
COMMENT ON COLUMN isms.document_reminder.scope IS 'Scope of the document';
COMMENT ON COLUMN isms.document_reminder.owner IS 'Owner of the document';
COMMENT ON COLUMN isms.document_reminder.summary IS 'Calendar title: kind, reference and title';
COMMENT ON COLUMN isms.document_reminder.description IS 'Version, approval, location and review interval';
COMMENT ON COLUMN isms.document_reminder.due IS 'Next review';
COMMENT ON COLUMN isms.document_reminder.status IS 'scheduled, or cancelled once retired';
SELECT isms.attach_reminders('isms.document', 'isms.document_reminder');

CREATE VIEW isms.document_register AS
SELECT d.scope,
       d.id AS document_id,
       d.ref,
       d.title,
       d.kind,
       d.owner,
       d.version,
       d.approved_by,
       d.approved_on,
       d.location,
       d.review_interval,
       d.last_reviewed,
       d.next_review,
       d.retired_on,
       CASE WHEN d.retired_on IS NOT NULL THEN 'retired'
            WHEN d.approved_on IS NULL THEN 'draft'
            WHEN d.next_review < CURRENT_DATE THEN 'review_overdue'
            ELSE 'current' END AS state,
       d.retired_on IS NULL AND d.next_review < CURRENT_DATE AS review_overdue,
       d.next_review - CURRENT_DATE AS days_to_review,
       ARRAY(SELECT s.control_ref FROM isms.document_serves s
               JOIN isms.control c ON c.framework = s.framework AND c.ref = s.control_ref
              WHERE s.document = d.id AND s.framework = 'iso27001-2022-clauses'
              ORDER BY c.position) AS clauses,
       ARRAY(SELECT CASE s.framework WHEN 'iso27001-2022' THEN s.control_ref
                                     ELSE s.framework || ':' || s.control_ref END
               FROM isms.document_serves s
               JOIN isms.control c ON c.framework = s.framework AND c.ref = s.control_ref
              WHERE s.document = d.id AND s.framework <> 'iso27001-2022-clauses'
              ORDER BY s.framework <> 'iso27001-2022', s.framework, c.position) AS controls,
       ARRAY(SELECT r.title FROM isms.document_fulfils f
               JOIN isms.document_requirement r ON r.id = f.requirement
              WHERE f.document = d.id ORDER BY r.position) AS fulfils,
       (SELECT m.uid FROM isms.reminder m
         WHERE m.kind = 'document_review' AND m.subject = 'isms.document'::regclass
           AND m.subject_key = d.id::text) AS reminder_uid
  FROM isms.document d;
COMMENT ON VIEW isms.document_register IS
  'Register of documented information for dashboards: one row per document with its approval, review state, the clauses and controls it serves and the required items it fulfils';
COMMENT ON COLUMN isms.document_register.scope IS 'Scope (isms.scope.id)';
COMMENT ON COLUMN isms.document_register.document_id IS 'Document id (isms.document.id)';
COMMENT ON COLUMN isms.document_register.ref IS 'Document reference, e.g. POL-001';
COMMENT ON COLUMN isms.document_register.title IS 'Title';
COMMENT ON COLUMN isms.document_register.kind IS 'policy, procedure, standard, guideline, plan, register, record, report or other';
COMMENT ON COLUMN isms.document_register.owner IS 'Person or role responsible';
COMMENT ON COLUMN isms.document_register.version IS 'Version in force';
COMMENT ON COLUMN isms.document_register.approved_by IS 'Who approved the version in force (NULL: draft)';
COMMENT ON COLUMN isms.document_register.approved_on IS 'When it was approved (NULL: draft)';
COMMENT ON COLUMN isms.document_register.location IS 'URL or path of the document';
COMMENT ON COLUMN isms.document_register.review_interval IS 'How often it is reviewed';
COMMENT ON COLUMN isms.document_register.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.document_register.next_review IS 'When the next review is due';
COMMENT ON COLUMN isms.document_register.retired_on IS 'When it was withdrawn (NULL: in force)';
COMMENT ON COLUMN isms.document_register.state IS
  'retired, draft (not approved), review_overdue (next review before today) or current';
COMMENT ON COLUMN isms.document_register.review_overdue IS 'true when a document in force is past its next review';
COMMENT ON COLUMN isms.document_register.days_to_review IS 'Days from today to the next review (negative: overdue by that many days)';
COMMENT ON COLUMN isms.document_register.clauses IS 'ISO/IEC 27001:2022 clauses it serves (refs of iso27001-2022-clauses), in clause order';
COMMENT ON COLUMN isms.document_register.controls IS
  'Controls it serves: Annex A refs (iso27001-2022) as is, other frameworks as framework:ref';
COMMENT ON COLUMN isms.document_register.fulfils IS 'Titles of the required documented information it fulfils (isms.document_requirement)';
COMMENT ON COLUMN isms.document_register.reminder_uid IS 'Calendar UID of its review reminder (isms.reminder.uid)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.document_defaults', 'internal', NULL);
