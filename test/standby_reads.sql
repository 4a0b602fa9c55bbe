-- test/standby_reads.sql: read functions with arguments and exports, run by
-- test/suites/961_hot_standby.sh on a streaming replica (must not write).
-- One statement per line starting with SELECT; add yours as capabilities land.
SELECT isms.version();
SELECT isms.risk_level('4x5'), isms.within_appetite('2x5'), isms.risk_level('3x3', 'ops-3x3'), isms.within_appetite('1x1', 'ops-3x3');
SELECT isms.score('4x5'), isms.likelihood('4x5'), isms.impact('4x5'), isms.risk_score(2, 3), isms.max(s) FROM unnest('{1x1,4x5}'::isms.risk_score[]) s;
SELECT isms.privacy_role_covers('controller', '{"role": "processor"}'), isms.control_privacy_roles('{"role": ["controller", "processor"]}');
SELECT isms.is_text_list('{customers,staff}');
SELECT count(*) FROM isms.privacy_summary, isms.record_of_processing;
SELECT count(*) FROM isms.readiness('default'), isms.readiness_blockers('default', CURRENT_DATE + 30);
SELECT count(*) FROM isms.readiness_checks('default'), isms.certification_readiness;
SELECT isms.is_nonconformity('minor_nonconformity'), isms.major_nonconformity_limit(), isms.readiness_list('{8.8,5.15}');
SELECT count(*) FROM isms.open_findings, isms.corrective_action_register, isms.document_register;
