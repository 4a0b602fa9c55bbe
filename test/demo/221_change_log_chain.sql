-- Demo: the tamper-evident change log.  A table of the DBA's own gets a
-- change log with one call; every change is chained by SHA-256; an auditor
-- notes the anchor, and a superuser's edit around the append-only guard
-- (rolled back here) is caught by verification.
\echo '=== Change log: a table of your own, logged with isms.attach_change_log()'
CREATE TABLE public.demo_vendor (id int PRIMARY KEY, name text NOT NULL, tier int NOT NULL);
SELECT isms.attach_change_log('public.demo_vendor');
INSERT INTO public.demo_vendor VALUES (1, 'Hosting Ltd', 1), (2, 'Payroll GmbH', 2);
UPDATE public.demo_vendor SET tier = 1 WHERE id = 2;
SELECT op, actor, coalesce(new_row, old_row) ->> 'name' AS vendor, old_row ->> 'tier' AS tier_was, new_row ->> 'tier' AS tier_now,
       left(encode(entry_hash, 'hex'), 16) || '...' AS entry_hash
  FROM isms.change_log WHERE table_name = 'public.demo_vendor' ORDER BY id;

\echo '=== Change log: the chain verifies; the anchor an auditor notes'
SELECT status, entries, problem FROM isms.verify_change_log();
SELECT entries, left(encode(entry_hash, 'hex'), 16) || '...' AS anchor FROM isms.change_log_anchor();

\echo '=== Change log: a superuser edits an entry around the guard (rolled back): caught'
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE isms.change_log SET new_row = jsonb_set(new_row, '{tier}', '3')
 WHERE table_name = 'public.demo_vendor' AND op = 'UPDATE';
SELECT status, problem, entry_id = (SELECT id FROM isms.change_log WHERE table_name = 'public.demo_vendor' AND op = 'UPDATE') AS at_the_edited_entry
  FROM isms.verify_change_log();
ROLLBACK;
