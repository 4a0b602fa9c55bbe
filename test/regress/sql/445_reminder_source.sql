-- 445_reminder_source: a DBA's own table outside schema isms on the ISMS
-- calendar by one view and one isms.attach_reminders call: existing rows
-- come in at once, inserts, updates and deletes follow, the kind's
-- component and default alarms come from isms.reminder_kind, a multi-column
-- key, detaching; and every way to get it wrong, with its SQLSTATE and
-- nothing written.
\i test/regress/setup.sql
SET isms.uid_domain = 'isms.example.org';
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.contract, public.vendor_review CASCADE;
DROP ROLE IF EXISTS isms_t_other;
RESET client_min_messages;
CREATE TABLE public.contract (
  id bigint PRIMARY KEY, name text NOT NULL, owner text, renew_by date, terminated boolean NOT NULL DEFAULT false);
INSERT INTO public.contract VALUES (1, 'Hosting', 'ops', '2026-09-30', false), (2, 'Printers', NULL, NULL, false);
-- The one view: the table's key, the reminder columns, and how a closed
-- contract ends (terminated: cancelled).
CREATE VIEW public.contract_reminder AS
SELECT c.id, 'contract_renewal' AS kind, 'default' AS scope, c.owner,
       'Renew contract ' || c.name AS summary, c.renew_by AS due,
       CASE WHEN c.terminated THEN 'cancelled' ELSE 'scheduled' END AS status
  FROM public.contract c;
-- The one call: declares the kind (a task, two alarms) and brings the
-- existing rows in: one reminder (the other contract has no date).
SELECT isms.attach_reminders('public.contract', 'public.contract_reminder',
  kind => 'contract_renewal', component => 'VTODO', alarms => '{30 days,7 days}',
  description => 'Renewal of a supplier contract') AS scheduled;
SELECT kind, subject, component, alarms, description FROM isms.reminder_kind WHERE kind = 'contract_renewal';
SELECT * FROM isms.reminder_source WHERE subject = 'public.contract'::regclass;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.contract'::regclass ORDER BY 1;
SELECT kind, subject, subject_key, scope, owner, summary, due, alarms, sequence, status FROM isms.reminder;
-- Writes follow, set-based: a date for contract 2 and a new contract in
-- one statement each; a change adds one to SEQUENCE; termination cancels;
-- a delete cancels; the UID never changes.
CREATE TEMP TABLE uid1 AS SELECT uid FROM isms.reminder WHERE subject_key = '1';
UPDATE public.contract SET renew_by = '2027-01-31' WHERE id = 2;
INSERT INTO public.contract VALUES (3, 'Office lease', 'facilities', '2028-06-30', false);
UPDATE public.contract SET renew_by = '2026-10-31' WHERE id = 1;
UPDATE public.contract SET owner = owner;          -- no visible change: nothing written
UPDATE public.contract SET terminated = true WHERE id = 2;
DELETE FROM public.contract WHERE id = 3;
SELECT r.subject_key, r.due, r.sequence, r.status, r.uid = (SELECT uid FROM uid1) AS same_uid_as_1
  FROM isms.reminder r ORDER BY r.subject_key;
-- The calendar shows it as a task when tasks are asked for, with the
-- kind's alarms.
SELECT line FROM regexp_split_to_table(isms.ical_export(kinds => '{contract_renewal}', review_component => 'vtodo'), E'\r\n') line
 WHERE line ~ '^(BEGIN:VTODO|SUMMARY|DUE|TRIGGER|STATUS|X-PG-ISMS-KIND)' ;
-- A key of several columns is joined by "|"; a source may give rrule,
-- times and its own alarms.
CREATE TABLE public.vendor_review (vendor text, year int, due date, PRIMARY KEY (vendor, year));
CREATE VIEW public.vendor_review_reminder AS
SELECT v.vendor, v.year, 'vendor_review' AS kind, 'default' AS scope, 'Review ' || v.vendor || ' ' || v.year AS summary,
       v.due, 'FREQ=YEARLY' AS rrule, '{1 day}'::interval[] AS alarms
  FROM public.vendor_review v;
SELECT isms.attach_reminders('public.vendor_review', 'public.vendor_review_reminder', kind => 'vendor_review');
INSERT INTO public.vendor_review VALUES ('ACME', 2026, '2026-04-01');
SELECT subject_key, rrule, alarms, status FROM isms.reminder WHERE kind = 'vendor_review';
-- Detaching takes the triggers off; the reminders stay as they are.
SELECT isms.detach_reminders('public.vendor_review') AS triggers_dropped;
DELETE FROM public.vendor_review;
SELECT subject_key, status FROM isms.reminder WHERE kind = 'vendor_review';
-- During a restore (COPY by a superuser with an empty search_path, what
-- pg_dump scripts do) the trigger does nothing: the dump holds the reminders.
SET search_path = '';
COPY public.contract FROM stdin;
9	Restored	x	2030-01-01	f
\.
RESET search_path;
SELECT count(*) AS reminders_for_restored FROM isms.reminder WHERE subject_key = '9';
-- Wrong declarations: the SQLSTATE each, and nothing written (no kind, no
-- trigger, no reminder).
CREATE VIEW public.contract_no_due AS SELECT c.id, 'contract_renewal' AS kind, 'default' AS scope, c.name AS summary FROM public.contract c;
CREATE VIEW public.contract_no_key AS SELECT 'contract_renewal' AS kind, 'default' AS scope, c.name AS summary, c.renew_by AS due FROM public.contract c;
CREATE VIEW public.contract_other_kind AS SELECT c.id, 'risk_review' AS kind, 'default' AS scope, c.name AS summary, c.renew_by AS due FROM public.contract c;
CREATE VIEW public.contract_bad_status AS SELECT c.id, 'contract_renewal' AS kind, 'default' AS scope, c.name AS summary, c.renew_by AS due, 'later' AS status FROM public.contract c;
CREATE TABLE public.no_key (id int, due date);
CREATE ROLE isms_t_other;
CREATE VIEW public.contract_theirs AS SELECT * FROM public.contract_reminder;
ALTER VIEW public.contract_theirs OWNER TO isms_t_other;
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM isms.reminder_kind) AS kinds,
  (SELECT count(*) FROM pg_trigger WHERE tgfoid = 'isms.reminder_trigger()'::regprocedure) AS triggers,
  (SELECT string_agg(uid || sequence || status, ',' ORDER BY uid) FROM isms.reminder) AS reminders;
SELECT s AS statement, pg_temp.try(s) AS result FROM (VALUES
  ($$SELECT isms.attach_reminders(NULL, 'public.contract_reminder')$$),
  ($$SELECT isms.attach_reminders('public.contract_reminder', 'public.contract_reminder')$$),
  ($$SELECT isms.attach_reminders('public.no_key', 'public.contract_reminder', kind => 'no_key_review')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_no_due')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_no_key')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_theirs')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_other_kind')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_bad_status')$$),
  ($$SELECT isms.attach_reminders('public.vendor_review', 'public.vendor_review_reminder', kind => 'risk_review')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_reminder', kind => 'Contract Renewal')$$),
  ($$SELECT isms.attach_reminders('public.contract', 'public.contract_reminder', kind => 'contract_renewal', component => 'VJOURNAL')$$)
) AS t(s);
-- The trigger function by hand, as a row trigger: refused when it fires.
SELECT pg_temp.try($$CREATE TRIGGER wrong AFTER INSERT ON public.no_key FOR EACH ROW EXECUTE FUNCTION isms.reminder_trigger('public.contract_reminder')$$) AS create_row_trigger,
       pg_temp.try($$INSERT INTO public.no_key VALUES (1, '2026-01-01')$$) AS row_trigger_fires;
DROP TRIGGER IF EXISTS wrong ON public.no_key;
SELECT (SELECT count(*) FROM isms.reminder_kind) = b.kinds AS no_kind_added,
       (SELECT count(*) FROM pg_trigger WHERE tgfoid = 'isms.reminder_trigger()'::regprocedure) = b.triggers AS no_trigger_added,
       (SELECT string_agg(uid || sequence || status, ',' ORDER BY uid) FROM isms.reminder) = b.reminders AS no_reminder_changed
  FROM before b;
-- The attached source still decides after the failed attempts.
INSERT INTO public.contract VALUES (4, 'Cleaning', NULL, '2026-12-31', false);
SELECT subject_key, summary, status FROM isms.reminder WHERE subject_key = '4';
SET client_min_messages = warning;
DROP TABLE public.contract, public.vendor_review, public.no_key CASCADE;
RESET client_min_messages;
DROP ROLE isms_t_other;
