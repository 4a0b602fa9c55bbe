-- Records of processing activities (what a PII controller keeps: GDPR
-- Article 30(1), ISO/IEC 27701 A.7.2.8): per scope, the purpose, the lawful
-- basis from a fixed vocabulary, the categories of data subjects and of
-- personal data, recipients, transfers out of the origin jurisdiction,
-- retention (required), owner, reviews, and the security measures as links
-- to controls of any framework.  A trigger keeps the next review on the
-- calendar through its reminder source, isms.processing_activity_reminder.

CREATE TYPE isms.lawful_basis AS ENUM (
  'consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests');
COMMENT ON TYPE isms.lawful_basis IS
  'Lawful basis of processing, GDPR Article 6(1) (a) to (f): consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests';

CREATE FUNCTION isms.is_text_list(list text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT pg_catalog.cardinality(list) OPERATOR(pg_catalog.=) 0
      OR (pg_catalog.array_ndims(list) OPERATOR(pg_catalog.=) 1
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(list) AS v
                           WHERE v IS NULL OR pg_catalog.btrim(v) OPERATOR(pg_catalog.=) ''))
$$;
COMMENT ON FUNCTION isms.is_text_list(text[]) IS
  'true when a text array is a plain list: one dimension, no NULL and no blank element (used by CHECK constraints)';

CREATE TABLE isms.processing_activity (
  id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope                    text NOT NULL REFERENCES isms.scope (id),
  name                     text NOT NULL
                           CONSTRAINT processing_activity_name_not_blank CHECK (btrim(name) <> ''),
  purpose                  text NOT NULL
                           CONSTRAINT processing_activity_purpose_not_blank CHECK (btrim(purpose) <> ''),
  lawful_basis             isms.lawful_basis NOT NULL,
  lawful_basis_detail      text CONSTRAINT processing_activity_lawful_basis_detail_not_blank
                           CHECK (btrim(lawful_basis_detail) <> ''),
  data_subject_categories  text[] NOT NULL
                           CONSTRAINT processing_activity_data_subjects_listed
                           CHECK (cardinality(data_subject_categories) > 0 AND isms.is_text_list(data_subject_categories)),
  personal_data_categories text[] NOT NULL
                           CONSTRAINT processing_activity_personal_data_listed
                           CHECK (cardinality(personal_data_categories) > 0 AND isms.is_text_list(personal_data_categories)),
  recipients               text[] NOT NULL DEFAULT '{}'
                           CONSTRAINT processing_activity_recipients_list CHECK (isms.is_text_list(recipients)),
  transfer_destinations    text[] NOT NULL DEFAULT '{}'
                           CONSTRAINT processing_activity_transfer_destinations_list
                           CHECK (isms.is_text_list(transfer_destinations)),
  transfer_safeguards      text CONSTRAINT processing_activity_transfer_safeguards_not_blank
                           CHECK (btrim(transfer_safeguards) <> ''),
  retention                text NOT NULL
                           CONSTRAINT processing_activity_retention_not_blank CHECK (btrim(retention) <> ''),
  owner                    text NOT NULL
                           CONSTRAINT processing_activity_owner_not_blank CHECK (btrim(owner) <> ''),
  last_reviewed            date CONSTRAINT processing_activity_last_reviewed_finite CHECK (isfinite(last_reviewed)),
  next_review              date CONSTRAINT processing_activity_next_review_finite CHECK (isfinite(next_review)),
  created_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT processing_activity_name_unique UNIQUE (scope, name),
  -- GDPR Article 30(1)(e): a transfer is documented with its safeguards.
  CONSTRAINT processing_activity_transfer_safeguards_required
    CHECK (cardinality(transfer_destinations) = 0 OR transfer_safeguards IS NOT NULL),
  CONSTRAINT processing_activity_review_order CHECK (next_review >= last_reviewed)
);
COMMENT ON TABLE isms.processing_activity IS
  'Records of processing activities (GDPR Art. 30(1), ISO/IEC 27701 A.7.2.8) per scope; the next review is kept on the calendar (reminder kind processing_review)';
COMMENT ON COLUMN isms.processing_activity.id IS 'Activity id';
COMMENT ON COLUMN isms.processing_activity.scope IS 'ISMS scope the activity belongs to (isms.scope.id)';
COMMENT ON COLUMN isms.processing_activity.name IS 'Name of the processing activity, unique in its scope (e.g. Payroll)';
COMMENT ON COLUMN isms.processing_activity.purpose IS 'Purpose(s) of the processing';
COMMENT ON COLUMN isms.processing_activity.lawful_basis IS
  'Lawful basis (isms.lawful_basis): consent, contract, legal_obligation, vital_interests, public_task or legitimate_interests';
COMMENT ON COLUMN isms.processing_activity.lawful_basis_detail IS
  'What the basis rests on: the legal obligation, the legitimate interest pursued, the consent record, ...';
COMMENT ON COLUMN isms.processing_activity.data_subject_categories IS
  'Categories of data subjects (PII principals), e.g. {employees,applicants}; at least one';
COMMENT ON COLUMN isms.processing_activity.personal_data_categories IS
  'Categories of personal data, e.g. {contact details,bank account}; at least one';
COMMENT ON COLUMN isms.processing_activity.recipients IS 'Categories of recipients the data is disclosed to (may be empty)';
COMMENT ON COLUMN isms.processing_activity.transfer_destinations IS
  'Countries or international organisations outside the origin jurisdiction the data is transferred to; empty when none';
COMMENT ON COLUMN isms.processing_activity.transfer_safeguards IS
  'Safeguards of those transfers (adequacy decision, standard contractual clauses, ...); required when there are transfers';
COMMENT ON COLUMN isms.processing_activity.retention IS
  'Retention: how long the data is kept or the rule that decides it (required, e.g. "10 years after the end of employment")';
COMMENT ON COLUMN isms.processing_activity.owner IS 'Person or role responsible for the activity and its reviews';
COMMENT ON COLUMN isms.processing_activity.last_reviewed IS 'When the record was last reviewed';
COMMENT ON COLUMN isms.processing_activity.next_review IS
  'When the record is next due for review (not before last_reviewed); on the calendar while set';
COMMENT ON COLUMN isms.processing_activity.created_at IS 'When the record was created';
COMMENT ON SEQUENCE isms.processing_activity_id_seq IS 'Identity of isms.processing_activity.id';

SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity', '');
SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity_id_seq', '');

CREATE TABLE isms.processing_activity_control (
  activity    bigint NOT NULL REFERENCES isms.processing_activity (id) ON DELETE CASCADE,
  framework   text NOT NULL,
  control_ref text NOT NULL,
  note        text CONSTRAINT processing_activity_control_note_not_blank CHECK (btrim(note) <> ''),
  PRIMARY KEY (activity, framework, control_ref),
  FOREIGN KEY (framework, control_ref) REFERENCES isms.control (framework, ref)
);
CREATE INDEX processing_activity_control_control ON isms.processing_activity_control (framework, control_ref);
COMMENT ON TABLE isms.processing_activity_control IS
  'Security measures of a processing activity (GDPR Art. 30(1)(g)) as links to controls of any framework (e.g. iso27001-2022 8.24)';
COMMENT ON COLUMN isms.processing_activity_control.activity IS 'Processing activity (isms.processing_activity.id)';
COMMENT ON COLUMN isms.processing_activity_control.framework IS 'Framework of the control (isms.control.framework)';
COMMENT ON COLUMN isms.processing_activity_control.control_ref IS 'Reference of the control (isms.control.ref)';
COMMENT ON COLUMN isms.processing_activity_control.note IS 'How the control protects this activity';

SELECT pg_catalog.pg_extension_config_dump('isms.processing_activity_control', '');

SELECT isms.attach_change_log('isms.processing_activity');
SELECT isms.attach_change_log('isms.processing_activity_control');

-- The review reminder: one per activity (kind processing_review), due on
-- next_review; no next review, or a deleted activity, cancels it.
INSERT INTO isms.reminder_kind (kind, subject, component, alarms, description) VALUES
  ('processing_review', 'isms.processing_activity', 'VTODO', '{14 days}', 'Review of a record of processing activity (ISO/IEC 27701)');
CREATE VIEW isms.processing_activity_reminder AS
SELECT a.id, 'processing_review'::text AS kind, a.scope, a.owner,
       format('Review record of processing: %s', a.name) AS summary,
       concat_ws(E'\n',
         'Purpose: ' || a.purpose,
         'Lawful basis: ' || replace(a.lawful_basis::text, '_', ' '),
         'Last reviewed: ' || coalesce(to_char(a.last_reviewed, 'YYYY-MM-DD'), 'never')) AS description,
       a.next_review AS due
  FROM isms.processing_activity a;
COMMENT ON VIEW isms.processing_activity_reminder IS
  'Reminder source of isms.processing_activity (isms.attach_reminders): the processing_review reminder of each activity on its next review';
COMMENT ON COLUMN isms.processing_activity_reminder.id IS 'Activity id (isms.processing_activity.id): the subject key';
COMMENT ON COLUMN isms.processing_activity_reminder.kind IS 'processing_review';
COMMENT ON COLUMN isms.processing_activity_reminder.scope IS 'Scope of the activity';
COMMENT ON COLUMN isms.processing_activity_reminder.owner IS 'Owner of the activity';
COMMENT ON COLUMN isms.processing_activity_reminder.summary IS 'Calendar title';
COMMENT ON COLUMN isms.processing_activity_reminder.description IS 'Purpose, lawful basis and last review';
COMMENT ON COLUMN isms.processing_activity_reminder.due IS 'Next review (NULL: no reminder)';
SELECT isms.attach_reminders('isms.processing_activity', 'isms.processing_activity_reminder');

-- Record a review: last_reviewed = on, next_review = on + every.
CREATE FUNCTION isms.processing_activity_reviewed(activity bigint, reviewed_on date DEFAULT CURRENT_DATE,
    next_in interval DEFAULT '1 year')
  RETURNS isms.processing_activity
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  result isms.processing_activity;
BEGIN
  IF NOT isfinite(reviewed_on) THEN
    RAISE EXCEPTION 'review date must be finite, not %', reviewed_on USING ERRCODE = 'datetime_field_overflow';
  END IF;
  IF reviewed_on OPERATOR(pg_catalog.>) CURRENT_DATE THEN
    RAISE EXCEPTION 'review date % is in the future', reviewed_on
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Record a review once it has taken place.';
  END IF;
  IF next_in OPERATOR(pg_catalog.<) interval '1 day' OR next_in OPERATOR(pg_catalog.>) interval '5 years' THEN
    RAISE EXCEPTION 'next review interval is out of range'
      USING ERRCODE = 'interval_field_overflow', DETAIL = 'The next review must be 1 day to 5 years after the review.';
  END IF;
  UPDATE isms.processing_activity p
     SET last_reviewed = reviewed_on, next_review = (reviewed_on OPERATOR(pg_catalog.+) next_in)::date
   WHERE p.id OPERATOR(pg_catalog.=) processing_activity_reviewed.activity
  RETURNING p.* INTO result;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'processing activity % does not exist', activity
      USING ERRCODE = 'no_data_found', HINT = 'Activities are rows of isms.processing_activity.';
  END IF;
  RETURN result;
END
$$;
COMMENT ON FUNCTION isms.processing_activity_reviewed(bigint, date, interval) IS
  'Records a review of a processing activity: last_reviewed = reviewed_on, next_review = reviewed_on + next_in (1 day to 5 years); the reminder moves with it';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.is_text_list', 'read', NULL),
  ('isms.processing_activity_reviewed', 'write', NULL);
