-- Privacy dashboards: the record of processing activities as one flat row
-- per activity, and isms.privacy_summary per scope (activities by lawful
-- basis, reviews, transfers, and the ISO/IEC 27701 SoA per annex).  "Privacy
-- controls" are those with a controller/processor role attribute, in any
-- framework, so a later edition of ISO/IEC 27701 shows up without change.

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

CREATE VIEW isms.privacy_summary AS
WITH act AS (
  SELECT a.scope,
         count(*) AS activities,
         count(*) FILTER (WHERE a.lawful_basis = 'consent') AS basis_consent,
         count(*) FILTER (WHERE a.lawful_basis = 'contract') AS basis_contract,
         count(*) FILTER (WHERE a.lawful_basis = 'legal_obligation') AS basis_legal_obligation,
         count(*) FILTER (WHERE a.lawful_basis = 'vital_interests') AS basis_vital_interests,
         count(*) FILTER (WHERE a.lawful_basis = 'public_task') AS basis_public_task,
         count(*) FILTER (WHERE a.lawful_basis = 'legitimate_interests') AS basis_legitimate_interests,
         count(*) FILTER (WHERE a.last_reviewed IS NULL OR a.last_reviewed < CURRENT_DATE - 365) AS not_reviewed_last_year,
         count(*) FILTER (WHERE a.next_review < CURRENT_DATE) AS review_overdue,
         count(*) FILTER (WHERE a.next_review IS NULL) AS no_review_scheduled,
         count(*) FILTER (WHERE cardinality(a.transfer_destinations) > 0) AS with_transfers,
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM isms.processing_activity_control l
                                             WHERE l.activity = a.id)) AS without_security_measures
    FROM isms.processing_activity a
   GROUP BY a.scope
), dest AS (
  SELECT a.scope, array_agg(DISTINCT d ORDER BY d) AS transfer_destinations
    FROM isms.processing_activity a
   CROSS JOIN LATERAL unnest(a.transfer_destinations) AS d
   GROUP BY a.scope
), annex AS (
  SELECT e.scope, e.framework,
         coalesce(c.attributes ->> 'annex', c.theme) AS annex,
         isms.control_privacy_roles(c.attributes) AS roles,
         min(c.position) AS first_position,
         count(*) AS controls,
         sum(e.undecided) AS undecided,
         sum(e.applicable) AS applicable,
         sum(e.not_applicable) AS not_applicable,
         sum(e.implemented) AS implemented,
         isms.percent_implemented(sum(e.implemented), sum(e.applicable)) AS percent_implemented
    FROM isms.soa_entry_counts e
    JOIN isms.control c ON c.framework = e.framework AND c.ref = e.control_ref
   WHERE cardinality(isms.control_privacy_roles(c.attributes)) > 0
   GROUP BY e.scope, e.framework, 3, 4
), soa AS (
  SELECT scope,
         jsonb_agg(jsonb_build_object(
           'framework', framework, 'annex', annex, 'roles', to_jsonb(roles), 'controls', controls,
           'undecided', undecided, 'applicable', applicable, 'not_applicable', not_applicable,
           'implemented', implemented, 'percent_implemented', percent_implemented)
           ORDER BY framework, first_position) AS soa_by_annex
    FROM annex
   GROUP BY scope
)
SELECT s.id AS scope,
       p.role AS privacy_role,
       coalesce(act.activities, 0) AS activities,
       coalesce(act.basis_consent, 0) AS basis_consent,
       coalesce(act.basis_contract, 0) AS basis_contract,
       coalesce(act.basis_legal_obligation, 0) AS basis_legal_obligation,
       coalesce(act.basis_vital_interests, 0) AS basis_vital_interests,
       coalesce(act.basis_public_task, 0) AS basis_public_task,
       coalesce(act.basis_legitimate_interests, 0) AS basis_legitimate_interests,
       coalesce(act.not_reviewed_last_year, 0) AS not_reviewed_last_year,
       coalesce(act.review_overdue, 0) AS review_overdue,
       coalesce(act.no_review_scheduled, 0) AS no_review_scheduled,
       coalesce(act.with_transfers, 0) AS with_transfers,
       coalesce(dest.transfer_destinations, '{}') AS transfer_destinations,
       coalesce(act.without_security_measures, 0) AS without_security_measures,
       coalesce(soa.soa_by_annex, '[]') AS soa_by_annex
  FROM isms.scope s
  LEFT JOIN isms.privacy_scope p ON p.scope = s.id
  LEFT JOIN act ON act.scope = s.id
  LEFT JOIN dest ON dest.scope = s.id
  LEFT JOIN soa ON soa.scope = s.id
 WHERE p.scope IS NOT NULL OR act.scope IS NOT NULL OR soa.scope IS NOT NULL;
COMMENT ON VIEW isms.privacy_summary IS
  'Privacy per scope (scopes with a privacy role, processing activities or privacy controls in their SoA): activities by lawful basis, reviews, transfers, and the privacy SoA per annex';
COMMENT ON COLUMN isms.privacy_summary.scope IS 'ISMS scope';
COMMENT ON COLUMN isms.privacy_summary.privacy_role IS 'controller, processor or both (isms.privacy_scope.role); NULL when not declared';
COMMENT ON COLUMN isms.privacy_summary.activities IS 'Processing activities recorded for the scope';
COMMENT ON COLUMN isms.privacy_summary.basis_consent IS 'Activities whose lawful basis is consent';
COMMENT ON COLUMN isms.privacy_summary.basis_contract IS 'Activities whose lawful basis is contract';
COMMENT ON COLUMN isms.privacy_summary.basis_legal_obligation IS 'Activities whose lawful basis is legal_obligation';
COMMENT ON COLUMN isms.privacy_summary.basis_vital_interests IS 'Activities whose lawful basis is vital_interests';
COMMENT ON COLUMN isms.privacy_summary.basis_public_task IS 'Activities whose lawful basis is public_task';
COMMENT ON COLUMN isms.privacy_summary.basis_legitimate_interests IS 'Activities whose lawful basis is legitimate_interests';
COMMENT ON COLUMN isms.privacy_summary.not_reviewed_last_year IS
  'Activities never reviewed or not reviewed in the last 365 days';
COMMENT ON COLUMN isms.privacy_summary.review_overdue IS 'Activities whose next review is before today';
COMMENT ON COLUMN isms.privacy_summary.no_review_scheduled IS 'Activities without a next review date';
COMMENT ON COLUMN isms.privacy_summary.with_transfers IS 'Activities transferring data outside the origin jurisdiction';
COMMENT ON COLUMN isms.privacy_summary.transfer_destinations IS 'All transfer destinations of the scope, distinct and sorted';
COMMENT ON COLUMN isms.privacy_summary.without_security_measures IS 'Activities with no linked control';
COMMENT ON COLUMN isms.privacy_summary.soa_by_annex IS
  'Privacy SoA per framework and annex: JSON array of {framework, annex, roles, controls, undecided, applicable, not_applicable, implemented, percent_implemented} in framework order (flat per annex: isms.compliance_summary, whose theme is the annex)';
