-- 90_bad_inputs: at least 100 bad inputs across the whole SQL surface (types,
-- tables, functions of every capability), each refused with its SQLSTATE,
-- and after each one every row of every isms table is as it was (a checksum
-- of all of them, so a half-written row anywhere fails the test).  Extend
-- the VALUES list as capabilities land.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pg_isms;
SET LOCAL client_min_messages = warning;
SET LOCAL timezone = 'UTC';

-- Rows for the bad inputs to collide with.
INSERT INTO isms.scope (id, name) VALUES ('badin', 'Bad inputs');
SELECT isms.soa_init('badin', 'iso27001-2022');
INSERT INTO isms.framework (id, name) VALUES ('badin-fw', 'A user framework');
INSERT INTO isms.control (framework, ref, title) VALUES ('badin-fw', 'c1', 'A user control');
INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('badin', 'badin-fw', 'c1');
SELECT isms.risk_matrix_copy('default', 'badin-matrix', 'Bad inputs matrix');
INSERT INTO isms.asset (scope, name, owner) VALUES ('badin', 'Badin server', 'IT');
INSERT INTO isms.risk (scope, ref, title, owner, inherent, status) VALUES ('badin', 'R-1', 'Ransomware', 'CISO', '3x4', 'assessed');
-- readiness (issue 10): an internal audit and a management review, an open
-- major nonconformity with a corrective action, a document.
INSERT INTO isms.audit (scope, kind, due_by) VALUES ('badin', 'internal', '2026-06-01'), ('badin', 'management_review', '2026-07-01');
INSERT INTO isms.finding (audit, ref, kind, framework, control_ref, statement, raised_on)
  VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'NC-1', 'major_nonconformity',
          'iso27001-2022', '5.1', 'No approved policy', '2026-01-10');
INSERT INTO isms.corrective_action (finding, action, owner, due)
  VALUES ((SELECT id FROM isms.finding WHERE ref = 'NC-1'), 'Write and approve the policy', 'CISO', '2026-02-01');
INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('badin', 'POL-1', 'Security policy', 'policy', 'CISO');
-- privacy (issue 11): the scope acts as controller and has one activity.
INSERT INTO isms.privacy_scope (scope, role) VALUES ('badin', 'controller');
INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner)
  VALUES ('badin', 'Payroll', 'Pay staff', 'contract', '{staff}', '{name,bank account}', '7 years', 'HR');

-- Every row of every table of isms, as one checksum.
CREATE FUNCTION pg_temp.isms_rows() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  acc text := '';
  h text;
BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c
            WHERE c.relnamespace = 'isms'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname
  LOOP
    EXECUTE format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %s x', r.t) INTO h;
    acc := acc || r.t || ':' || h || ' ';
  END LOOP;
  RETURN md5(acc);
END
$$;

CREATE TEMP TABLE bad_case (n serial, sql text NOT NULL, state text NOT NULL, what text NOT NULL);
-- (sql, expected SQLSTATE, what)
INSERT INTO bad_case (sql, state, what) VALUES
-- risk_score and matrices (issue 3)
($$SELECT 'x'::isms.risk_score$$, '22P02', 'risk_score: not LxI'),
($$SELECT ''::isms.risk_score$$, '22P02', 'risk_score: empty'),
($$SELECT '3x'::isms.risk_score$$, '22P02', 'risk_score: missing impact'),
($$SELECT '3x3x3'::isms.risk_score$$, '22P02', 'risk_score: three axes'),
($$SELECT '-1x3'::isms.risk_score$$, '22P02', 'risk_score: negative'),
($$SELECT '0x3'::isms.risk_score$$, '22003', 'risk_score: likelihood 0'),
($$SELECT '3x0'::isms.risk_score$$, '22003', 'risk_score: impact 0'),
($$SELECT '256x1'::isms.risk_score$$, '22003', 'risk_score: axis above 255'),
($$SELECT '99999999999999999999x1'::isms.risk_score$$, '22003', 'risk_score: integer overflow'),
($$SELECT '4x4'::isms.risk_score(3)$$, '22003', 'risk_score(3): outside the typmod'),
($$SELECT '1x1'::isms.risk_score(0)$$, '22023', 'risk_score(0): typmod zero'),
($$SELECT '1x1'::isms.risk_score(256)$$, '22023', 'risk_score(256): typmod too large'),
($$SELECT isms.risk_score(0, 1)$$, '22003', 'risk_score(): likelihood 0'),
($$SELECT isms.risk_score(1, 300)$$, '22003', 'risk_score(): impact 300'),
($$SELECT isms.risk_level('6x6', 'default')$$, '22003', 'risk_level: score outside the 5x5 matrix'),
($$SELECT isms.risk_level('3x3', 'no-such-matrix')$$, '22023', 'risk_level: unknown matrix'),
($$SELECT isms.within_appetite('3x3', 'no-such-matrix')$$, '22023', 'within_appetite: unknown matrix'),
($$INSERT INTO isms.risk_matrix (id, name, size, appetite) VALUES ('m0', 'zero', 0, 1)$$, '23514', 'risk_matrix: size 0'),
($$UPDATE isms.risk_matrix SET appetite = 4 WHERE id = 'default'$$, '42501', 'risk_matrix: built-in default is read-only'),
($$DELETE FROM isms.risk_level WHERE matrix = 'default'$$, '42501', 'risk_level: built-in levels are read-only'),
($$SELECT isms.risk_matrix_fill('default', '{"low": 1}')$$, '42501', 'risk_matrix_fill: built-in matrix'),
($$SELECT isms.risk_matrix_fill('no-such-matrix', '{"low": 1}')$$, '22023', 'risk_matrix_fill: unknown matrix'),
($$SELECT isms.risk_matrix_fill('badin-matrix', '{"nosuchlevel": 1}')$$, '23503', 'risk_matrix_fill: unknown level'),
($$SELECT isms.risk_matrix_fill('badin-matrix', '[1, 2]')$$, '22023', 'risk_matrix_fill: thresholds not an object'),
($$SELECT isms.risk_matrix_copy('no-such-matrix', 'x', 'x')$$, '22023', 'risk_matrix_copy: unknown source'),
($$SELECT isms.risk_matrix_copy('default', 'badin-matrix', 'again')$$, '23505', 'risk_matrix_copy: target exists'),
($$SELECT isms.risk_matrix_copy('default', 'default', 'again')$$, '42501', 'risk_matrix_copy: onto the built-in default'),
-- CVSS (issue 7)
($$SELECT 'garbage'::isms.cvss$$, '22P02', 'cvss: not a vector'),
($$SELECT 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss$$, '22P02', 'cvss: bad metric value'),
($$SELECT 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'::isms.cvss$$, '22P02', 'cvss: base metric missing'),
($$SELECT 'CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss$$, '22P02', 'cvss: unknown version'),
($$SELECT 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'::isms.cvss$$, '22P02', 'cvss: metric twice'),
($$SELECT ''::isms.cvss$$, '22P02', 'cvss: empty'),
($$SELECT isms.cvss_metric('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'ZZ')$$, '22023', 'cvss_metric: unknown metric'),
($$SELECT isms.cvss_risk_score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'no-such-matrix')$$, '22023', 'cvss_risk_score: unknown matrix'),
-- scopes
($$INSERT INTO isms.scope (id, name) VALUES ('Bad Id', 'x')$$, '23514', 'scope: id with capitals and space'),
($$INSERT INTO isms.scope (id, name) VALUES ('ok-id', '   ')$$, '23514', 'scope: blank name'),
($$INSERT INTO isms.scope (id, name) VALUES (NULL, 'x')$$, '23502', 'scope: NULL id'),
($$INSERT INTO isms.scope (id, name) VALUES ('badin', 'again')$$, '23505', 'scope: duplicate id'),
($$UPDATE isms.scope SET name = 'mine' WHERE id = 'default'$$, '55000', 'scope: built-in default is read-only'),
($$DELETE FROM isms.scope WHERE id = 'default'$$, '55000', 'scope: built-in default cannot be deleted'),
($$DELETE FROM isms.scope WHERE id = 'badin'$$, '23503', 'scope: still referenced'),
-- catalogue, SoA, change log, OSCAL (issue 4)
($$INSERT INTO isms.framework (id, name) VALUES ('iso27001-2022', 'again')$$, '23505', 'framework: duplicate id'),
($$UPDATE isms.control SET title = 'mine' WHERE framework = 'iso27001-2022' AND ref = '5.1'$$, '55000', 'control: built-in is read-only'),
($$DELETE FROM isms.framework WHERE id = 'iso27001-2022'$$, '55000', 'framework: built-in cannot be deleted'),
($$INSERT INTO isms.control (framework, ref, title) VALUES ('no-such-framework', '1', 'x')$$, '23503', 'control: unknown framework'),
($$INSERT INTO isms.control (framework, ref, title, control_type) VALUES ('badin-fw', '1', 'x', '{Bogus}')$$, '22P02', 'control: unknown control type'),
($$INSERT INTO isms.control (framework, ref, title) VALUES ('badin-fw', 'c1', 'again')$$, '23505', 'control: duplicate ref'),
($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('badin', 'iso27001-2022', '99.99')$$, '23503', 'soa_entry: unknown control'),
($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('no-such-scope', 'iso27001-2022', '5.1')$$, '23503', 'soa_entry: unknown scope'),
($$INSERT INTO isms.soa_entry (scope, framework, control_ref) VALUES ('badin', 'iso27001-2022', '5.1')$$, '23505', 'soa_entry: duplicate'),
($$UPDATE isms.soa_entry SET applicable = true WHERE scope = 'badin' AND control_ref = '5.2'$$, '23514', 'soa_entry: decision without justification'),
($$UPDATE isms.soa_entry SET status = 'done' WHERE scope = 'badin' AND control_ref = '5.2'$$, '22P02', 'soa_entry: unknown status'),
($$UPDATE isms.soa_entry SET last_reviewed = '2026-05-01', next_review = '2026-01-01' WHERE scope = 'badin' AND control_ref = '5.2'$$, '23514', 'soa_entry: next review before last'),
($$UPDATE isms.soa_entry SET owner = '  ' WHERE scope = 'badin' AND control_ref = '5.2'$$, '23514', 'soa_entry: blank owner'),
($$UPDATE isms.soa_entry SET evidence = '{NULL}' WHERE scope = 'badin' AND control_ref = '5.2'$$, '23514', 'soa_entry: NULL evidence item'),
($$UPDATE isms.soa_entry SET evidence = NULL WHERE scope = 'badin' AND control_ref = '5.2'$$, '23502', 'soa_entry: NULL evidence'),
($$SELECT isms.soa_init('no-such-scope', 'iso27001-2022')$$, '23503', 'soa_init: unknown scope'),
($$SELECT isms.soa_init('badin', 'no-such-framework')$$, '23503', 'soa_init: unknown framework'),
($$SELECT * FROM isms.soa_as_of('badin', 'yesterday-ish')$$, '22007', 'soa_as_of: not a timestamp'),
($$DELETE FROM isms.control WHERE framework = 'badin-fw' AND ref = 'c1'$$, '23503', 'control: in an SoA'),
($$UPDATE isms.change_log SET actor = 'nobody'$$, '42501', 'change_log: no UPDATE'),
($$DELETE FROM isms.change_log$$, '42501', 'change_log: no DELETE'),
($$TRUNCATE isms.change_log$$, '42501', 'change_log: no TRUNCATE'),
($$INSERT INTO isms.change_log (actor, table_name, op, new_row, prev_hash, entry_hash) VALUES ('x', 'x', 'MERGE', '{}', '\x00', '\x00')$$, '23514', 'change_log: unknown op'),
($$INSERT INTO isms.change_log (actor, table_name, op, prev_hash, entry_hash) VALUES ('x', 'x', 'INSERT', '\x00', '\x00')$$, '23514', 'change_log: INSERT without new row'),
($$INSERT INTO isms.change_log (actor, table_name, op, new_row) VALUES ('x', 'x', 'INSERT', '{}')$$, '23502', 'change_log: entry without its hashes'),
($$SELECT isms.oscal_import_catalog('{}')$$, '22023', 'oscal_import_catalog: no catalog'),
($$SELECT isms.oscal_import_catalog('[1, 2, 3]')$$, '22023', 'oscal_import_catalog: not an object'),
($$SELECT isms.oscal_import_catalog('{"catalog": {"uuid": "x"}}')$$, '22P02', 'oscal_import_catalog: catalog uuid not a UUID'),
($$SELECT isms.oscal_catalog('no-such-framework')$$, '23503', 'oscal_catalog: unknown framework'),
-- register (issue 5)
($$INSERT INTO isms.asset (scope, name, owner) VALUES ('badin', '  ', 'o')$$, '23514', 'asset: blank name'),
($$INSERT INTO isms.asset (scope, name, owner, kind) VALUES ('badin', 'a2', 'o', 'spaceship')$$, '23514', 'asset: unknown kind'),
($$INSERT INTO isms.asset (scope, name, owner, confidentiality) VALUES ('badin', 'a3', 'o', 9)$$, '23514', 'asset: confidentiality 9'),
($$INSERT INTO isms.asset (scope, name, owner) VALUES ('badin', 'Badin server', 'o')$$, '23505', 'asset: duplicate name in scope'),
($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('badin', ' R-9', 't', 'o')$$, '23514', 'risk: ref with leading space'),
($$INSERT INTO isms.risk (scope, ref, title, owner, status) VALUES ('badin', 'R-9', 't', 'o', 'assessed')$$, '23514', 'risk: assessed without inherent score'),
($$INSERT INTO isms.risk (scope, ref, title, owner, matrix) VALUES ('badin', 'R-9', 't', 'o', 'no-such-matrix')$$, '23503', 'risk: unknown matrix'),
($$INSERT INTO isms.risk (scope, ref, title, owner) VALUES ('badin', 'R-1', 't', 'o')$$, '23505', 'risk: duplicate ref'),
($$INSERT INTO isms.risk (scope, ref, title, owner, inherent) VALUES ('badin', 'R-9', 't', 'o', '9x9')$$, '22003', 'risk: score outside its matrix'),
($$UPDATE isms.risk SET residual = '1x1' WHERE ref = 'R-1'$$, '428C9', 'risk: residual is generated'),
($$UPDATE isms.risk SET status = 'closed' WHERE ref = 'R-1'$$, '23514', 'risk: closed without reason'),
($$UPDATE isms.risk SET treatment = 'ignore' WHERE ref = 'R-1'$$, '22P02', 'risk: unknown treatment option'),
($$SELECT isms.close_risk((SELECT id FROM isms.risk WHERE ref = 'R-1'), '')$$, '22004', 'close_risk: blank reason'),
($$SELECT isms.close_risk(-1, 'gone')$$, 'P0002', 'close_risk: unknown risk'),
($$SELECT isms.link_control((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'iso27001-2022', '99.99', 0.5)$$, '23503', 'link_control: unknown control'),
($$SELECT isms.link_control((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'iso27001-2022', '8.8', 7)$$, '23514', 'link_control: effectiveness 7'),
($$SELECT isms.override_residual((SELECT id FROM isms.risk WHERE ref = 'R-1'), '2x2', '')$$, '22004', 'override_residual: no rationale'),
($$SELECT isms.treat((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'modify', '', 'o', current_date)$$, '23514', 'treat: blank plan'),
($$SELECT isms.treat((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'modify', 'patch', 'o', NULL)$$, '23514', 'treat: modify without due date'),
($$SELECT isms.treat((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'explode', 'x', 'o', current_date)$$, '22P02', 'treat: unknown option'),
($$SELECT isms.accept_risk((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'ciso', 'ok', current_date - 1)$$, '23514', 'accept_risk: validity in the past'),
($$SELECT isms.accept_risk(-1, 'ciso', 'ok', current_date + 30)$$, 'P0002', 'accept_risk: unknown risk'),
($$INSERT INTO isms.treatment (risk_id, option, plan, owner, due, status) VALUES ((SELECT id FROM isms.risk WHERE ref = 'R-1'), 'modify', 'p', 'o', current_date, 'bogus')$$, '23514', 'treatment: unknown status'),
($$SELECT * FROM isms.risk_as_of('not a time')$$, '22007', 'risk_as_of: not a timestamp'),
($$SELECT isms.link_asset((SELECT id FROM isms.risk WHERE ref = 'R-1'), -1)$$, '23503', 'link_asset: unknown asset'),
-- certification, audits, RRULE, iCalendar (issue 6)
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on) VALUES ('badin', 'CB', '2026-01-10', '2026-01-10', '2025-01-01')$$, '23514', 'certification: expires before decision'),
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on) VALUES ('badin', 'CB', '2026-01-10', '2026-01-10', '2031-01-10')$$, '23514', 'certification: cycle longer than 3 years'),
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on) VALUES ('badin', ' ', '2026-01-10', '2026-01-10', '2029-01-09')$$, '23514', 'certification: blank body'),
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on, status) VALUES ('badin', 'CB', '2026-01-10', '2026-01-10', '2029-01-09', 'lost')$$, '23514', 'certification: unknown status'),
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on, recertification_lead) VALUES ('badin', 'CB', '2026-01-10', '2026-01-10', '2029-01-09', '2 years')$$, '23514', 'certification: lead longer than a year'),
($$INSERT INTO isms.certification (scope, certification_body, decided_on, cycle_start, expires_on) VALUES ('badin', 'CB', 'infinity', '2026-01-10', 'infinity')$$, '23514', 'certification: infinite dates'),
($$INSERT INTO isms.audit (scope, kind, due_by) VALUES ('badin', 'bogus', '2026-06-01')$$, '22P02', 'audit: unknown kind'),
($$INSERT INTO isms.audit (scope, kind, due_by, status) VALUES ('badin', 'internal', '2026-06-01', 'completed')$$, '23514', 'audit: completed without date'),
($$INSERT INTO isms.audit (scope, kind, due_by, repeat_every) VALUES ('badin', 'surveillance', '2026-06-01', '1 year')$$, '23514', 'audit: repeat on an external audit'),
($$INSERT INTO isms.audit (scope, kind, due_by, repeat_every) VALUES ('badin', 'internal', '2026-06-01', '1 day')$$, '23514', 'audit: repeat every day'),
($$INSERT INTO isms.audit (scope, kind, due_by, planned_start, planned_end) VALUES ('badin', 'internal', '2026-06-01', '2026-05-10', '2026-05-01')$$, '23514', 'audit: ends before it starts'),
($$INSERT INTO isms.audit (scope, kind, due_by) VALUES ('no-such-scope', 'internal', '2026-06-01')$$, '23503', 'audit: unknown scope'),
($$SELECT * FROM isms.rrule_occurrences('FREQ=NEVER', '2026-01-01')$$, '22P02', 'rrule_occurrences: unknown FREQ'),
($$SELECT * FROM isms.rrule_occurrences('', '2026-01-01')$$, '22P02', 'rrule_occurrences: empty rule'),
($$SELECT * FROM isms.rrule_occurrences('FREQ=DAILY;COUNT=x', '2026-01-01')$$, '22P02', 'rrule_occurrences: COUNT not a number'),
($$SELECT * FROM isms.rrule_occurrences('FREQ=DAILY;BYDAY=XX', '2026-01-01')$$, '22P02', 'rrule_occurrences: bad BYDAY'),
($$SELECT * FROM isms.rrule_occurrences('FREQ=DAILY', '2026-01-01', max_count => -1)$$, '22023', 'rrule_occurrences: negative max_count'),
($$SELECT isms.rrule_next('garbage', '2026-01-01', '2026-02-01')$$, '22P02', 'rrule_next: garbage rule'),
($$SELECT isms.ical_import('not a calendar')$$, '22P02', 'ical_import: not iCalendar'),
($$SELECT isms.ical_import(E'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x@y\r\nDTSTART;VALUE=DATE:20260601\r\nSUMMARY:Surveillance audit\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'no-such-scope')$$, '23503', 'ical_import: unknown scope'),
($$SELECT * FROM isms.ical_events('BEGIN:VCALENDAR')$$, '22P02', 'ical_events: truncated calendar'),
($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due) VALUES ('Bad Kind', 'isms.scope', 'k', 'badin', 's', '2026-01-01')$$, '23514', 'reminder: kind format'),
($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due) VALUES ('k', 'isms.scope', 'k', 'badin', 's', 'infinity')$$, '23514', 'reminder: infinite due date'),
($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due, rrule) VALUES ('k', 'isms.scope', 'k', 'badin', 's', '2026-01-01', 'FREQ=NEVER')$$, '23514', 'reminder: invalid RRULE'),
($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due, alarms) VALUES ('k', 'isms.scope', 'k', 'badin', 's', '2026-01-01', '{-1 day}')$$, '23514', 'reminder: alarm after the start'),
($$INSERT INTO isms.reminder (kind, subject, subject_key, scope, summary, due) VALUES ('k', 'isms.no_such_table', 'k', 'badin', 's', '2026-01-01')$$, '42P01', 'reminder: unknown subject table'),
($$INSERT INTO isms.reminder (uid, kind, subject, subject_key, scope, summary, due) VALUES ('no at sign', 'k', 'isms.scope', 'k', 'badin', 's', '2026-01-01')$$, '23514', 'reminder: UID format'),
-- readiness: findings, corrective actions, audit coverage, documents, clauses (issue 10)
($$INSERT INTO isms.finding (audit, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'management_review'), 'observation', 'x')$$, '23514', 'finding: raised by a management review'),
($$INSERT INTO isms.finding (audit, kind, statement) VALUES (-1, 'observation', 'x')$$, '23503', 'finding: unknown audit'),
($$INSERT INTO isms.finding (audit, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'disaster', 'x')$$, '22P02', 'finding: unknown kind'),
($$INSERT INTO isms.finding (audit, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'minor_nonconformity', 'x')$$, '23514', 'finding: nonconformity without a requirement'),
($$INSERT INTO isms.finding (audit, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'observation', '  ')$$, '23514', 'finding: blank statement'),
($$INSERT INTO isms.finding (audit, kind, statement, framework) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'observation', 'x', 'iso27001-2022')$$, '23514', 'finding: framework without control'),
($$INSERT INTO isms.finding (audit, kind, statement, framework, control_ref) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'observation', 'x', 'iso27001-2022', '99.9')$$, '23503', 'finding: unknown control'),
($$INSERT INTO isms.finding (audit, ref, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'NC-1', 'observation', 'x')$$, '23505', 'finding: duplicate ref in the audit'),
($$INSERT INTO isms.finding (audit, ref, kind, statement) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), ' NC-2', 'observation', 'x')$$, '23514', 'finding: ref with leading space'),
($$INSERT INTO isms.finding (audit, kind, statement, raised_on, due) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'observation', 'x', '2026-03-01', '2026-02-01')$$, '23514', 'finding: due before raised'),
($$INSERT INTO isms.finding (audit, kind, statement, framework, control_ref, raised_on, due) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'major_nonconformity', 'x', 'iso27001-2022', '5.2', '2026-01-01', '2027-01-01')$$, '23514', 'finding: major nonconformity due beyond the limit'),
($$INSERT INTO isms.finding (audit, kind, statement, raised_on) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'observation', 'x', 'infinity')$$, '23514', 'finding: infinite raised date'),
($$UPDATE isms.finding SET status = 'closed' WHERE ref = 'NC-1'$$, '23514', 'finding: nonconformity closed without an effective action'),
($$UPDATE isms.finding SET status = 'done' WHERE ref = 'NC-1'$$, '22P02', 'finding: unknown status'),
($$UPDATE isms.finding SET owner = ' ' WHERE ref = 'NC-1'$$, '23514', 'finding: blank owner'),
($$DELETE FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'$$, '23503', 'audit: still has findings'),
($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES (-1, 'a', 'o', '2026-02-01')$$, '23503', 'corrective_action: unknown finding'),
($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES ((SELECT id FROM isms.finding WHERE ref = 'NC-1'), ' ', 'o', '2026-02-01')$$, '23514', 'corrective_action: blank action'),
($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES ((SELECT id FROM isms.finding WHERE ref = 'NC-1'), 'a', 'o', '2027-12-01')$$, '23514', 'corrective_action: due after its finding'),
($$INSERT INTO isms.corrective_action (finding, action, owner, due) VALUES ((SELECT id FROM isms.finding WHERE ref = 'NC-1'), 'a', 'o', NULL)$$, '23502', 'corrective_action: no due date'),
($$UPDATE isms.corrective_action SET verified_by = 'auditor' WHERE owner = 'CISO'$$, '23514', 'corrective_action: verifier without date and verdict'),
($$UPDATE isms.corrective_action SET verified_by = 'auditor', verified_on = '2026-01-20', effective = true WHERE owner = 'CISO'$$, '23514', 'corrective_action: verified before completion'),
($$UPDATE isms.corrective_action SET completed_on = '2026-01-25', verified_by = 'auditor', verified_on = '2026-01-20', effective = true WHERE owner = 'CISO'$$, '23514', 'corrective_action: verified before it was completed'),
($$UPDATE isms.corrective_action SET completed_on = 'infinity' WHERE owner = 'CISO'$$, '23514', 'corrective_action: infinite completion date'),
($$UPDATE isms.corrective_action SET root_cause = '' WHERE owner = 'CISO'$$, '23514', 'corrective_action: blank root cause'),
($$INSERT INTO isms.audit_coverage (audit, framework, control_ref) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'iso27001-2022', '99.9')$$, '23503', 'audit_coverage: unknown control'),
($$INSERT INTO isms.audit_coverage (audit, framework, control_ref) VALUES (-1, 'iso27001-2022', '5.1')$$, '23503', 'audit_coverage: unknown audit'),
($$INSERT INTO isms.audit_coverage (audit, framework, control_ref) VALUES ((SELECT id FROM isms.audit WHERE scope = 'badin' AND kind = 'internal'), 'iso27001-2022-clauses', NULL)$$, '23502', 'audit_coverage: NULL clause'),
($$SELECT isms.audit_cover_scope(-1)$$, '23503', 'audit_cover_scope: unknown audit'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('badin', 'POL-1', 'again', 'policy', 'CISO')$$, '23505', 'document: duplicate ref in the scope'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('badin', 'POL-2', 'x', 'memo', 'CISO')$$, '22P02', 'document: unknown kind'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('badin', 'POL-2', ' ', 'policy', 'CISO')$$, '23514', 'document: blank title'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('no-such-scope', 'POL-2', 'x', 'policy', 'CISO')$$, '23503', 'document: unknown scope'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner, review_interval) VALUES ('badin', 'POL-2', 'x', 'policy', 'CISO', '1 day')$$, '23514', 'document: review every day'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner, approved_by) VALUES ('badin', 'POL-2', 'x', 'policy', 'CISO', 'board')$$, '23514', 'document: approver without date'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner, last_reviewed, next_review) VALUES ('badin', 'POL-2', 'x', 'policy', 'CISO', '2026-05-01', '2026-01-01')$$, '23514', 'document: next review before last'),
($$INSERT INTO isms.document (scope, ref, title, kind, owner) VALUES ('badin', E'POL\t2', 'x', 'policy', 'CISO')$$, '23514', 'document: ref with a control character'),
($$INSERT INTO isms.document_serves (document, framework, control_ref) VALUES ((SELECT id FROM isms.document WHERE ref = 'POL-1'), 'iso27001-2022', '99.9')$$, '23503', 'document_serves: unknown control'),
($$INSERT INTO isms.document_fulfils (document, requirement) VALUES ((SELECT id FROM isms.document WHERE ref = 'POL-1'), 'no-such-requirement')$$, '23503', 'document_fulfils: unknown requirement'),
($$INSERT INTO isms.document_fulfils (document, requirement) VALUES (-1, (SELECT min(id) FROM isms.document_requirement))$$, '23503', 'document_fulfils: unknown document'),
($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('Bad Id', '4.3', 'x')$$, '23514', 'document_requirement: id format'),
($$INSERT INTO isms.document_requirement (id, clause_ref, title) VALUES ('newreq', '99.9', 'x')$$, '23503', 'document_requirement: unknown clause'),
($$UPDATE isms.document_requirement SET title = 'mine' WHERE builtin$$, '55000', 'document_requirement: built-in is read-only'),
($$DELETE FROM isms.document_requirement WHERE builtin$$, '55000', 'document_requirement: built-in cannot be deleted'),
($$SELECT * FROM isms.readiness_checks('no-such-scope')$$, '22023', 'readiness_checks: unknown scope'),
($$SELECT * FROM isms.readiness_checks('badin', 'infinity')$$, '22023', 'readiness_checks: infinite date'),
($$SELECT * FROM isms.readiness(NULL)$$, '22004', 'readiness: NULL scope'),
($$SELECT * FROM isms.readiness_blockers('no-such-scope')$$, '22023', 'readiness_blockers: unknown scope'),
-- privacy (issue 11): scope roles, activities, their controls, reviews
($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('badin', 'processor')$$, '23505', 'privacy_scope: second role for the scope'),
($$UPDATE isms.privacy_scope SET contact = ' ' WHERE scope = 'badin'$$, '23514', 'privacy_scope: blank contact'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'Payroll', 'x', 'contract', '{staff}', '{name}', '1y', 'o')$$, '23505', 'processing_activity: duplicate name in the scope'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', 'x', 'contract', '{staff}', '{}', '1y', 'o')$$, '23514', 'processing_activity: no personal data'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', ' ', 'contract', '{staff}', '{name}', '1y', 'o')$$, '23514', 'processing_activity: blank purpose'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', 'x', 'contract', '{staff}', '{name}', ' ', 'o')$$, '23514', 'processing_activity: blank retention'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, recipients) VALUES ('badin', 'p', 'x', 'contract', '{staff}', '{name}', '1y', 'o', '{NULL}')$$, '23514', 'processing_activity: NULL recipient'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('no-such-scope', 'p', 'x', 'contract', '{staff}', '{name}', '1y', 'o')$$, '23503', 'processing_activity: unknown scope'),
($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES ((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), 'iso27001-2022', '99.9')$$, '23503', 'processing_activity_control: unknown control'),
($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref) VALUES (-1, 'iso27001-2022', '5.1')$$, '23503', 'processing_activity_control: unknown activity'),
($$INSERT INTO isms.processing_activity_control (activity, framework, control_ref, note) VALUES ((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), 'iso27001-2022', '5.1', ' ')$$, '23514', 'processing_activity_control: blank note'),
($$SELECT isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), 'infinity')$$, '22008', 'processing_activity_reviewed: infinite date'),
($$SELECT isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), current_date + 10)$$, '22023', 'processing_activity_reviewed: review in the future'),
($$SELECT isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), current_date, '10 years')$$, '22015', 'processing_activity_reviewed: next review in 10 years'),
($$SELECT isms.processing_activity_reviewed((SELECT id FROM isms.processing_activity WHERE name = 'Payroll'), current_date, '0 days')$$, '22015', 'processing_activity_reviewed: next review the same day'),
-- privacy (issue 11)
($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('badin', 'bystander')$$, '22P02', 'privacy_scope: unknown role'),
($$INSERT INTO isms.privacy_scope (scope, role) VALUES ('no-such-scope', 'controller')$$, '23503', 'privacy_scope: unknown scope'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', 'x', 'vibes', '{staff}', '{name}', '1y', 'o')$$, '22P02', 'processing_activity: unknown lawful basis'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', 'x', 'contract', '{}', '{name}', '1y', 'o')$$, '23514', 'processing_activity: no data subjects'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner) VALUES ('badin', 'p', 'x', 'contract', '{""}', '{name}', '1y', 'o')$$, '23514', 'processing_activity: blank data subject'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, transfer_destinations) VALUES ('badin', 'p', 'x', 'contract', '{staff}', '{name}', '1y', 'o', '{US}')$$, '23514', 'processing_activity: transfer without safeguards'),
($$INSERT INTO isms.processing_activity (scope, name, purpose, lawful_basis, data_subject_categories, personal_data_categories, retention, owner, last_reviewed, next_review) VALUES ('badin', 'p', 'x', 'contract', '{staff}', '{name}', '1y', 'o', '2026-05-01', '2026-01-01')$$, '23514', 'processing_activity: next review before last'),
($$SELECT isms.processing_activity_reviewed(-1)$$, 'P0002', 'processing_activity_reviewed: unknown activity'),
-- privileges and scope security (issue 8)
($$SELECT isms.grant_reader(NULL)$$, '22004', 'grant_reader: NULL role'),
($$SELECT isms.grant_editor('isms_no_such_role')$$, '42704', 'grant_editor: unknown role'),
($$SELECT isms.grant_admin('pg_monitor')$$, '42939', 'grant_admin: predefined role'),
($$INSERT INTO isms.scope_member (scope, role_name) VALUES ('no-such-scope', 'x')$$, '23503', 'scope_member: unknown scope'),
($$INSERT INTO isms.scope_member (scope, role_name) VALUES ('badin', '')$$, '23514', 'scope_member: empty role name'),
($$INSERT INTO isms.scope_security_state (singleton, enabled) VALUES (false, true)$$, '23514', 'scope_security_state: a second row'),
($$INSERT INTO isms.table_class (table_name, class, reason) VALUES ('isms.x', 'bogus', 'r')$$, '23514', 'table_class: unknown class'),
($$INSERT INTO isms.function_class (function_name, class) VALUES ('isms.x', 'execute')$$, '23514', 'function_class: unknown class'),
($$INSERT INTO isms.function_class (function_name, class) VALUES ('public.x', 'read')$$, '23514', 'function_class: not in isms'),
($$INSERT INTO isms.function_class (function_name, class) VALUES ('isms.version', 'read')$$, '23505', 'function_class: classified twice'),
($$INSERT INTO isms.role_access (role_name, level) VALUES ('x', 'superuser')$$, '23514', 'role_access: unknown level');

-- One bad input: its SQLSTATE, then nothing written anywhere.
CREATE FUNCTION pg_temp.refused(c bad_case) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  before text := pg_temp.isms_rows();
BEGIN
  RETURN NEXT throws_ok(c.sql, c.state, NULL, c.what || ' (' || c.state || ')');
  RETURN NEXT is(pg_temp.isms_rows(), before, c.what || ': no row changed');
END
$$;

SELECT plan((SELECT count(*)::int * 2 + 2 FROM bad_case));
SELECT cmp_ok((SELECT count(*)::int FROM bad_case), '>=', 100, 'at least 100 bad inputs');
SELECT is((SELECT count(*)::int FROM bad_case WHERE state = 'XX000'), 0, 'no bad input is an internal error');
SELECT pg_temp.refused(c) FROM bad_case c ORDER BY c.n;
SELECT * FROM finish();
ROLLBACK;
