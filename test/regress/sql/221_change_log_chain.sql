-- 221_change_log_chain: the hash chain of isms.change_log.  Every entry's
-- entry_hash is the SHA-256 of its content and prev_hash; verification
-- walks the chain and names the first broken link; tampering as superuser
-- around the append-only guard (session_replication_role = replica) is
-- caught: a changed entry, a removed one, a moved one, a forged one, a cut
-- tail, a rewritten chain (by an anchor) and a removed head.
\i test/regress/setup.sql

-- Before any entry: no head, and an empty chain verifies.
SELECT * FROM isms.change_log_anchor();
SELECT status, entry_id, problem, entries FROM isms.verify_change_log();

INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
SELECT isms.soa_init('emea', 'iso27001-2022');
UPDATE isms.soa_entry SET applicable = true, justification = 'Baseline', owner = 'CISO' WHERE control_ref LIKE '5.%';
DELETE FROM isms.soa_entry WHERE control_ref = '8.34';

-- Every entry links to the one before it (the first to 32 zero bytes), its
-- hash is the SHA-256 of its content, and it stays the same hash after the
-- rows went through text (as pg_dump and pg_restore carry them).
SELECT count(*) AS entries,
       count(*) FILTER (WHERE prev_hash = coalesce(before, ('\x' || repeat('00', 32))::bytea)) AS linked,
       count(*) FILTER (WHERE entry_hash = isms.change_log_entry_hash(prev_hash, id, logged_at, txid, actor,
                                                                     table_name, op, old_row, new_row)) AS hashed,
       count(*) FILTER (WHERE entry_hash = isms.change_log_entry_hash(prev_hash, id, logged_at::text::timestamptz,
                                                                     txid::text::xid8, actor, table_name, op,
                                                                     old_row::text::jsonb, new_row::text::jsonb)) AS same_after_text,
       count(DISTINCT entry_hash) AS distinct_hashes,
       bool_and(length(entry_hash) = 32) AS sha256
  FROM (SELECT l.*, lag(entry_hash) OVER (ORDER BY id) AS before FROM isms.change_log l) AS t;
SELECT status, problem, entries, entry_id = (SELECT max(id) FROM isms.change_log) AS at_last_entry,
       actual = (SELECT entry_hash FROM isms.change_log ORDER BY id DESC LIMIT 1) AS last_hash
  FROM isms.verify_change_log();
-- The anchor is the head: the last entry, its hash, the number of entries.
SELECT a.entry_id = l.id AS last_id, a.entry_hash = l.entry_hash AS last_hash, a.entries
  FROM isms.change_log_anchor() a, (SELECT * FROM isms.change_log ORDER BY id DESC LIMIT 1) l;
-- The hash covers every field: changing any one changes it.
SELECT count(DISTINCT isms.change_log_entry_hash(p::bytea, i::bigint, t::timestamptz, x::xid8, a, n, o, r0::jsonb, r1::jsonb))
         AS distinct_hashes_of_9_variants FROM (VALUES
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '1', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 31) || '01', 1, '2026-01-01 00:00:00+00', '1', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 2, '2026-01-01 00:00:00+00', '1', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00.000001+00', '1', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '2', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '1', 'b', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '1', 'a', 'isms.u', 'UPDATE', '{"k": 1}', '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '1', 'a', 'isms.t', 'UPDATE', NULL, '{"k": 2}'),
    ('\x' || repeat('00', 32), 1, '2026-01-01 00:00:00+00', '1', 'a', 'isms.t', 'UPDATE', '{"k": 1}', '{"k": 3}')
  ) AS v(p, i, t, x, a, n, o, r0, r1);
-- Fixed layout, fixed result: SHA-256 of the bytes docs/reference/change_log.md describes.
SELECT isms.change_log_entry_hash(('\x' || repeat('00', 32))::bytea, 1, '2000-01-01 00:00:00+00', '0', 'a', 't', 'INSERT', NULL, NULL)
       = sha256(('\x01' || repeat('00', 32) || '0000000000000001' || '0000000000000000' || '0000000000000000'
                 || '0000000161' || '0000000174' || '00000006' || encode(convert_to('INSERT', 'UTF8'), 'hex') || 'ffffffff' || 'ffffffff')::bytea)
         AS layout_is_documented;

-- Bad input: 22004 for a null field (rows may be null), 22023 for a hash of the wrong size.
SELECT s, pg_temp.try(s) FROM (VALUES
  ($$SELECT isms.change_log_entry_hash(NULL, 1, now(), '1', 'a', 't', 'INSERT', NULL, '{}')$$),
  ($$SELECT isms.change_log_entry_hash('\x00', 1, now(), '1', 'a', 't', 'INSERT', NULL, '{}')$$),
  ($$SELECT isms.change_log_entry_hash(('\x' || repeat('00', 32))::bytea, 1, now(), '1', NULL, 't', 'INSERT', NULL, '{}')$$),
  ($$SELECT isms.verify_change_log('\x0102')$$)
) AS t(s);

-- An auditor notes the anchor; the chain then grows.
CREATE TEMP TABLE noted AS SELECT * FROM isms.change_log_anchor();
UPDATE isms.soa_entry SET status = 'implemented' WHERE control_ref IN ('5.1', '5.2');
SELECT status, problem, entries - (SELECT entries FROM noted) AS new_entries,
       anchor_id = (SELECT entry_id FROM noted) AS anchor_found
  FROM isms.verify_change_log((SELECT entry_hash FROM noted));

-- Tampering as superuser, each in a transaction rolled back afterwards.
-- The entries used: the 10th and 11th of the chain.
CREATE TEMP TABLE victim AS
  SELECT (SELECT id FROM isms.change_log ORDER BY id OFFSET 9 LIMIT 1) AS id,
         (SELECT id FROM isms.change_log ORDER BY id OFFSET 10 LIMIT 1) AS next_id,
         (SELECT id FROM isms.change_log ORDER BY id DESC LIMIT 1) AS last_id;
CREATE FUNCTION pg_temp.verdict() RETURNS TABLE (status text, at text, problem text, hashes text) LANGUAGE sql AS $$
  SELECT v.status,
         CASE v.entry_id WHEN x.id THEN 'the changed entry' WHEN x.next_id THEN 'the entry after it'
                         WHEN x.last_id THEN 'the last entry' ELSE coalesce(v.entry_id::text, 'none') END,
         v.problem,
         CASE WHEN v.expected IS NULL THEN 'none' WHEN v.expected = v.actual THEN 'equal' ELSE 'differ' END
    FROM isms.verify_change_log() v, victim x
$$;
-- 1. The content of an entry changed (its old hash kept).
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE isms.change_log SET new_row = jsonb_set(new_row, '{owner}', '"Mallory"') WHERE id = (SELECT id FROM victim);
SELECT * FROM pg_temp.verdict();
ROLLBACK;
-- 2. The same, with its hash recomputed: the next entry's link breaks.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE isms.change_log SET actor = 'mallory' WHERE id = (SELECT id FROM victim);
UPDATE isms.change_log SET entry_hash = isms.change_log_entry_hash(prev_hash, id, logged_at, txid, actor, table_name, op, old_row, new_row)
 WHERE id = (SELECT id FROM victim);
SELECT * FROM pg_temp.verdict();
ROLLBACK;
-- 3. An entry removed.
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM isms.change_log WHERE id = (SELECT id FROM victim);
SELECT * FROM pg_temp.verdict();
ROLLBACK;
-- 4. Two entries swapped (their ids exchanged).
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE isms.change_log SET id = -id WHERE id IN ((SELECT id FROM victim), (SELECT next_id FROM victim));
UPDATE isms.change_log SET id = CASE -id WHEN (SELECT id FROM victim) THEN (SELECT next_id FROM victim) ELSE (SELECT id FROM victim) END
 WHERE -id IN ((SELECT id FROM victim), (SELECT next_id FROM victim));
SELECT * FROM pg_temp.verdict();
ROLLBACK;
-- 5. A forged entry in the 10th's place, linked and hashed correctly.
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM isms.change_log WHERE id = (SELECT id FROM victim);
INSERT INTO isms.change_log (id, logged_at, txid, actor, table_name, op, old_row, new_row, prev_hash, entry_hash)
SELECT x.id, l.logged_at, l.txid, 'mallory', 'isms.soa_entry', 'INSERT', NULL, '{"forged": true}', l.entry_hash,
       isms.change_log_entry_hash(l.entry_hash, x.id, l.logged_at, l.txid, 'mallory', 'isms.soa_entry', 'INSERT', NULL, '{"forged": true}')
  FROM victim x, LATERAL (SELECT * FROM isms.change_log WHERE id < x.id ORDER BY id DESC LIMIT 1) l;
SELECT * FROM pg_temp.verdict();
ROLLBACK;
-- 6. A forged entry appended after the last one, linked and hashed
-- correctly: the chain is whole, but the head is not its end.
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO isms.change_log (id, logged_at, txid, actor, table_name, op, old_row, new_row, prev_hash, entry_hash)
SELECT l.id + 1, l.logged_at, l.txid, 'mallory', 'isms.soa_entry', 'INSERT', NULL, '{"forged": true}', l.entry_hash,
       isms.change_log_entry_hash(l.entry_hash, l.id + 1, l.logged_at, l.txid, 'mallory', 'isms.soa_entry', 'INSERT', NULL, '{"forged": true}')
  FROM isms.change_log l WHERE l.id = (SELECT last_id FROM victim);
SELECT status, problem LIKE 'the last entry is not the chain head%' AS head_mismatch, hashes FROM pg_temp.verdict();
ROLLBACK;
-- 7. The last entry cut off: the chain is whole, but the head says more.
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM isms.change_log WHERE id = (SELECT last_id FROM victim);
SELECT status, problem LIKE 'the last entry is not the chain head%' AS head_mismatch, hashes FROM pg_temp.verdict();
ROLLBACK;
-- 8. The whole chain rewritten from the 10th entry on, head included: it
-- verifies again, but the auditor's anchor is gone from it.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE isms.change_log SET actor = 'mallory' WHERE id = (SELECT id FROM victim);
DO $$
DECLARE r record; prev bytea; h bytea;
BEGIN
  SELECT prev_hash INTO prev FROM isms.change_log WHERE id = (SELECT id FROM victim);
  FOR r IN SELECT * FROM isms.change_log WHERE id >= (SELECT id FROM victim) ORDER BY id LOOP
    h := isms.change_log_entry_hash(prev, r.id, r.logged_at, r.txid, r.actor, r.table_name, r.op, r.old_row, r.new_row);
    UPDATE isms.change_log SET prev_hash = prev, entry_hash = h WHERE id = r.id;
    prev := h;
  END LOOP;
  UPDATE isms.change_log_head SET last_hash = prev;
END $$;
SELECT status, problem FROM isms.verify_change_log();
SELECT status, problem, expected = (SELECT entry_hash FROM noted) AS the_noted_anchor
  FROM isms.verify_change_log((SELECT entry_hash FROM noted));
ROLLBACK;
-- 9. The head row deleted: verification says so, and the trigger refuses to
-- start a second chain (XX001) rather than fork it.
BEGIN;
DELETE FROM isms.change_log_head;
SELECT status, problem FROM isms.verify_change_log();
SELECT pg_temp.try($$UPDATE isms.soa_entry SET owner = 'x' WHERE control_ref = '5.3'$$);
ROLLBACK;
-- Nothing of the above stayed.
SELECT status, problem, entries FROM isms.verify_change_log();

-- A rolled-back savepoint takes its entries and its place in the chain
-- with it; inside a transaction its own entries follow the committed head.
BEGIN;
UPDATE isms.soa_entry SET owner = 'A' WHERE control_ref = '5.3';
SAVEPOINT s;
UPDATE isms.soa_entry SET owner = 'B' WHERE control_ref = '5.3';
ROLLBACK TO s;
UPDATE isms.soa_entry SET owner = 'C' WHERE control_ref = '5.3';
SELECT status, problem FROM isms.verify_change_log();
COMMIT;
SELECT status, problem FROM isms.verify_change_log();
SELECT string_agg(new_row->>'owner', ',' ORDER BY id) AS owners_logged
  FROM isms.change_log WHERE new_row->>'control_ref' = '5.3' AND op = 'UPDATE';

-- The log's own constraints are honoured on the direct path whatever their
-- names (a DBA's CHECK refuses the entry: 23514, nothing is written), and
-- with an INSERT trigger on the log the entries go through INSERT,
-- chained the same.
BEGIN;
ALTER TABLE isms.change_log ADD CONSTRAINT dba_no_mallory CHECK (actor <> 'mallory');
CREATE ROLE mallory;
GRANT USAGE ON SCHEMA isms TO mallory;
GRANT UPDATE, SELECT ON isms.soa_entry TO mallory;
SET LOCAL ROLE mallory;
SELECT pg_temp.try($$UPDATE isms.soa_entry SET owner = 'M' WHERE control_ref = '5.4'$$);
RESET ROLE;
SELECT count(*) AS by_mallory FROM isms.change_log WHERE actor = 'mallory';
ROLLBACK;
BEGIN;
CREATE FUNCTION pg_temp.seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER seen AFTER INSERT ON isms.change_log FOR EACH ROW EXECUTE FUNCTION pg_temp.seen();
UPDATE isms.soa_entry SET owner = 'through INSERT' WHERE control_ref LIKE '6.%';
COMMIT;
SELECT status, problem FROM isms.verify_change_log();
DROP TRIGGER seen ON isms.change_log;

-- A trigger on the log that changes a logged table would append in the
-- middle of another statement's entries: refused (55000), nothing written.
BEGIN;
CREATE TABLE public.echo (n int);
SELECT isms.attach_change_log('public.echo');
CREATE FUNCTION pg_temp.echo() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.echo VALUES (1); RETURN NULL; END $$;
CREATE TRIGGER echo AFTER INSERT ON isms.change_log FOR EACH ROW EXECUTE FUNCTION pg_temp.echo();
SELECT pg_temp.try($$UPDATE isms.soa_entry SET owner = 'echo' WHERE control_ref = '5.6'$$);
SELECT count(*) AS logged FROM isms.change_log WHERE new_row->>'owner' = 'echo' OR table_name = 'public.echo';
ROLLBACK;

-- The chain follows id order, so a sequence that hands out cached ids
-- (out of append order across sessions) is refused: 55000, nothing written.
BEGIN;
ALTER SEQUENCE isms.change_log_id_seq CACHE 20;
SELECT pg_temp.try($$UPDATE isms.soa_entry SET owner = 'cached' WHERE control_ref = '5.5'$$);
SELECT count(*) AS logged FROM isms.change_log WHERE new_row->>'owner' = 'cached';
ROLLBACK;

-- Row security on the log hides entries from a scoped role: verification
-- is refused (42501) rather than reporting the hidden entries as removed.
SELECT isms.enable_scope_security();
CREATE ROLE isms_regress_reader;
SELECT isms.grant_reader('isms_regress_reader');
SET ROLE isms_regress_reader;
SELECT pg_temp.try($$SELECT * FROM isms.verify_change_log()$$);
SELECT entries > 0 AS anchor_readable FROM isms.change_log_anchor();
RESET ROLE;
SELECT isms.revoke_reader('isms_regress_reader');
DROP ROLE isms_regress_reader;
SELECT isms.disable_scope_security();
