-- Part of 0.1.0 -> 0.2.0 for sql/630_privacy_views.sql (issue 17): the
-- implemented security measures of isms.record_of_processing are summed
-- from isms.soa_entry_counts (created in 240_soa_views.sql), the one SoA
-- counting rule, instead of spelling it out.  Nothing depends on the view;
-- it is made again as the install file makes it (keep the two the same).

DROP VIEW isms.record_of_processing;

CREATE VIEW isms.record_of_processing AS
SELECT a.id,
       a.scope,
       s.name AS scope_name,
       p.role AS privacy_role,
       p.contact,
       a.name,
       a.purpose,
       a.lawful_basis,
       a.lawful_basis_detail,
       a.data_subject_categories,
       a.personal_data_categories,
       a.recipients,
       a.transfer_destinations,
       a.transfer_safeguards,
       a.retention,
       coalesce(m.measures, '{}') AS security_measures,
       coalesce(m.measures_count, 0) AS measures_count,
       coalesce(m.measures_implemented, 0) AS measures_implemented,
       a.owner,
       a.last_reviewed,
       a.next_review,
       coalesce(a.next_review < CURRENT_DATE, false) AS review_overdue,
       (a.last_reviewed IS NULL OR a.last_reviewed < CURRENT_DATE - 365) AS not_reviewed_last_year
  FROM isms.processing_activity a
  JOIN isms.scope s ON s.id = a.scope
  LEFT JOIN isms.privacy_scope p ON p.scope = a.scope
  LEFT JOIN LATERAL (
         SELECT array_agg(l.framework || ' ' || l.control_ref || ' ' || c.title
                          ORDER BY l.framework, c.position, l.control_ref) AS measures,
                count(*) AS measures_count,
                sum(e.implemented) AS measures_implemented
           FROM isms.processing_activity_control l
           JOIN isms.control c ON c.framework = l.framework AND c.ref = l.control_ref
           LEFT JOIN isms.soa_entry_counts e ON e.scope = a.scope AND e.framework = l.framework
                                     AND e.control_ref = l.control_ref
          WHERE l.activity = a.id
       ) AS m ON true;
COMMENT ON VIEW isms.record_of_processing IS
  'The record of processing activities (GDPR Art. 30(1)): one flat row per activity with its scope''s privacy role and contact, its security measures and review state';
COMMENT ON COLUMN isms.record_of_processing.id IS 'Activity id (isms.processing_activity.id)';
COMMENT ON COLUMN isms.record_of_processing.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.record_of_processing.scope_name IS 'Display name of the scope (the controller)';
COMMENT ON COLUMN isms.record_of_processing.privacy_role IS 'Privacy role of the scope (isms.privacy_scope.role); NULL when not declared';
COMMENT ON COLUMN isms.record_of_processing.contact IS 'Privacy contact of the scope (isms.privacy_scope.contact)';
COMMENT ON COLUMN isms.record_of_processing.name IS 'Name of the processing activity';
COMMENT ON COLUMN isms.record_of_processing.purpose IS 'Purpose(s) of the processing';
COMMENT ON COLUMN isms.record_of_processing.lawful_basis IS 'Lawful basis (GDPR Art. 6(1))';
COMMENT ON COLUMN isms.record_of_processing.lawful_basis_detail IS 'What the lawful basis rests on';
COMMENT ON COLUMN isms.record_of_processing.data_subject_categories IS 'Categories of data subjects';
COMMENT ON COLUMN isms.record_of_processing.personal_data_categories IS 'Categories of personal data';
COMMENT ON COLUMN isms.record_of_processing.recipients IS 'Categories of recipients';
COMMENT ON COLUMN isms.record_of_processing.transfer_destinations IS 'Destinations outside the origin jurisdiction; empty when none';
COMMENT ON COLUMN isms.record_of_processing.transfer_safeguards IS 'Safeguards of the transfers';
COMMENT ON COLUMN isms.record_of_processing.retention IS 'Retention period or rule';
COMMENT ON COLUMN isms.record_of_processing.security_measures IS
  'Linked controls as "framework ref title", in framework order (isms.processing_activity_control)';
COMMENT ON COLUMN isms.record_of_processing.measures_count IS 'Number of linked controls';
COMMENT ON COLUMN isms.record_of_processing.measures_implemented IS
  'Linked controls that the scope''s SoA marks applicable and implemented';
COMMENT ON COLUMN isms.record_of_processing.owner IS 'Person or role responsible';
COMMENT ON COLUMN isms.record_of_processing.last_reviewed IS 'Date of the last review';
COMMENT ON COLUMN isms.record_of_processing.next_review IS 'Date the next review is due';
COMMENT ON COLUMN isms.record_of_processing.review_overdue IS 'true when next_review is before today';
COMMENT ON COLUMN isms.record_of_processing.not_reviewed_last_year IS
  'true when the record was never reviewed or not in the last 365 days';
