-- The hash chain of isms.change_log.  One chain over the whole log, in id
-- order: each entry's entry_hash is the SHA-256 of its content and of the
-- entry_hash before it (computed in C, src/change_log_chain.c), so changing,
-- removing, inserting or reordering an entry breaks every link after it.
-- isms.change_log_head holds the last hash; its row is also the lock that
-- serialises appends, so two sessions never chain after the same entry.
-- Why one chain and not one per scope: docs/design-decisions.md.

CREATE TABLE isms.change_log_head (
  singleton  boolean NOT NULL DEFAULT true CONSTRAINT change_log_head_singleton CHECK (singleton),
  last_id    bigint,
  last_hash  bytea NOT NULL CONSTRAINT change_log_head_hash CHECK (pg_catalog.length(last_hash) = 32),
  entries    bigint NOT NULL CONSTRAINT change_log_head_entries CHECK (entries >= 0),
  CONSTRAINT change_log_head_pkey PRIMARY KEY (singleton)
);
COMMENT ON TABLE isms.change_log_head IS
  'The head of the hash chain of isms.change_log (one row, made by the first entry): its last entry and hash; locked by every append until commit';
COMMENT ON COLUMN isms.change_log_head.singleton IS 'Always true: the table holds at most one row';
COMMENT ON COLUMN isms.change_log_head.last_id IS 'Id of the last entry of the chain';
COMMENT ON COLUMN isms.change_log_head.last_hash IS 'entry_hash of the last entry (the next entry''s prev_hash)';
COMMENT ON COLUMN isms.change_log_head.entries IS 'Number of entries in the chain';
-- Dumped whole with the log (the row exists only once the log has entries,
-- so a restore loads it into an empty table).
SELECT pg_catalog.pg_extension_config_dump('isms.change_log_head', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.change_log_head', 'derived', 'written only by the trigger isms.log_change(): the head of the hash chain');

CREATE FUNCTION isms.change_log_entry_hash(prev_hash bytea, id bigint, logged_at timestamptz, txid xid8,
                                           actor text, table_name text, op text, old_row jsonb, new_row jsonb)
  RETURNS bytea
  AS 'MODULE_PATHNAME', 'isms_change_log_entry_hash'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isms.change_log_entry_hash(bytea, bigint, timestamptz, xid8, text, text, text, jsonb, jsonb) IS
  'The entry_hash of a change log entry with this content after prev_hash: SHA-256 of the byte layout in docs/reference/change_log.md (22004 when a field other than the rows is null, 22023 when prev_hash is not 32 bytes)';

CREATE FUNCTION isms.verify_change_log(anchor bytea DEFAULT NULL)
  RETURNS TABLE (status text, entry_id bigint, problem text, expected bytea, actual bytea,
                 entries bigint, anchor_id bigint)
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  genesis CONSTANT bytea := pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex');
  bad record;
  tot record;
  head record;
BEGIN
  IF anchor IS NOT NULL AND pg_catalog.length(anchor) OPERATOR(pg_catalog.<>) 32 THEN
    RAISE EXCEPTION 'an anchor is a SHA-256 hash of 32 bytes, not % bytes', pg_catalog.length(anchor)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pass the entry_hash isms.change_log_anchor() returned.';
  END IF;
  -- A walk over part of the log would report the entries it cannot see as
  -- removed: refused, not misreported.
  IF pg_catalog.row_security_active('isms.change_log'::pg_catalog.regclass) THEN
    RAISE EXCEPTION 'isms.verify_change_log() must see every entry, but scope security hides some from role %', current_user
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Run it as the extension owner or a role that row-level security does not restrict on isms.change_log.';
  END IF;
  -- The first entry, in id order, whose link or content does not hold.
  SELECT e.id,
         CASE WHEN e.prev_hash IS DISTINCT FROM COALESCE(e.before, genesis)
              THEN 'prev_hash is not the entry_hash of the entry before (an entry was removed, inserted or moved)'
              ELSE 'entry_hash does not match the content (the entry was changed)' END AS problem,
         CASE WHEN e.prev_hash IS DISTINCT FROM COALESCE(e.before, genesis)
              THEN COALESCE(e.before, genesis) ELSE e.computed END AS expected,
         CASE WHEN e.prev_hash IS DISTINCT FROM COALESCE(e.before, genesis)
              THEN e.prev_hash ELSE e.entry_hash END AS actual
    INTO bad
    FROM (SELECT l.id, l.prev_hash, l.entry_hash,
                 pg_catalog.lag(l.entry_hash) OVER (ORDER BY l.id) AS before,
                 CASE WHEN pg_catalog.length(l.prev_hash) OPERATOR(pg_catalog.=) 32
                       AND l.actor IS NOT NULL AND l.table_name IS NOT NULL AND l.op IS NOT NULL
                      THEN isms.change_log_entry_hash(l.prev_hash, l.id, l.logged_at, l.txid, l.actor,
                                                      l.table_name, l.op, l.old_row, l.new_row) END AS computed
            FROM isms.change_log l) AS e
   WHERE e.prev_hash IS DISTINCT FROM COALESCE(e.before, genesis)
      OR e.computed IS DISTINCT FROM e.entry_hash
   ORDER BY e.id
   LIMIT 1;
  -- This transaction's own entries come after the head row, which it
  -- writes at commit; the head is compared with the entries before them.
  SELECT pg_catalog.count(*) AS n,
         pg_catalog.count(*) FILTER (WHERE l.txid IS DISTINCT FROM pg_catalog.pg_current_xact_id_if_assigned()) AS n_before,
         pg_catalog.max(l.id) FILTER (WHERE l.txid IS DISTINCT FROM pg_catalog.pg_current_xact_id_if_assigned()) AS last_id,
         pg_catalog.max(l.id) AS last_any,
         pg_catalog.min(l.id) FILTER (WHERE l.entry_hash OPERATOR(pg_catalog.=) anchor) AS anchor_id
    INTO tot FROM isms.change_log l;
  status := 'broken';
  entries := tot.n;
  anchor_id := tot.anchor_id;
  IF bad.id IS NOT NULL THEN
    entry_id := bad.id; problem := bad.problem; expected := bad.expected; actual := bad.actual;
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT h.last_id, h.last_hash, h.entries INTO head FROM isms.change_log_head h WHERE h.singleton;
  IF tot.n_before OPERATOR(pg_catalog.>) 0 THEN
    SELECT l.entry_hash INTO actual FROM isms.change_log l WHERE l.id OPERATOR(pg_catalog.=) tot.last_id;
  END IF;
  IF head.last_hash IS NULL AND tot.n_before OPERATOR(pg_catalog.>) 0 THEN
    entry_id := tot.last_id; problem := 'the chain head isms.change_log_head is missing';
    RETURN NEXT;
    RETURN;
  END IF;
  IF tot.n_before OPERATOR(pg_catalog.>) 0
     AND (head.last_id IS DISTINCT FROM tot.last_id OR head.last_hash IS DISTINCT FROM actual
          OR head.entries IS DISTINCT FROM tot.n_before) THEN
    entry_id := head.last_id; expected := head.last_hash;
    problem := pg_catalog.format('the last entry is not the chain head (head: entry %s of %s; log: entry %s of %s): entries were removed from the end, or the head was changed',
                                 head.last_id, head.entries, tot.last_id, tot.n_before);
    RETURN NEXT;
    RETURN;
  END IF;
  IF tot.n_before OPERATOR(pg_catalog.=) 0 AND head.entries OPERATOR(pg_catalog.>) 0 THEN
    entry_id := head.last_id; expected := head.last_hash;
    problem := pg_catalog.format('the head counts %s entries but the log is empty', head.entries);
    RETURN NEXT;
    RETURN;
  END IF;
  IF anchor IS NOT NULL AND tot.anchor_id IS NULL THEN
    entry_id := NULL; expected := anchor; actual := NULL;
    problem := 'the anchor is not the entry_hash of any entry: the chain up to it was rewritten';
    RETURN NEXT;
    RETURN;
  END IF;
  status := 'ok';
  entry_id := tot.last_any;
  IF tot.last_any IS DISTINCT FROM tot.last_id THEN
    SELECT l.entry_hash INTO actual FROM isms.change_log l WHERE l.id OPERATOR(pg_catalog.=) tot.last_any;
  END IF;
  expected := actual;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION isms.verify_change_log(bytea) IS
  'Walks the hash chain of isms.change_log in id order and returns one row: ok (entry_id and actual: the last entry and its hash), or broken with the first broken link (entry_id, problem, expected vs actual hash); with an anchor (a hash from isms.change_log_anchor()), also that it is still in the chain (anchor_id)';

CREATE FUNCTION isms.change_log_anchor()
  RETURNS TABLE (entry_id bigint, entry_hash bytea, entries bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
  SELECT h.last_id, h.last_hash, COALESCE(h.entries, 0)
    FROM (VALUES (true)) AS one(singleton)
    LEFT JOIN isms.change_log_head h ON h.singleton
$$;
COMMENT ON FUNCTION isms.change_log_anchor() IS
  'The head of the change log''s hash chain: the last entry''s id and entry_hash, and the number of entries; an auditor notes the hash and later passes it to isms.verify_change_log(anchor)';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.change_log_entry_hash', 'read', NULL),
  ('isms.verify_change_log', 'read', 'reads the whole log as the caller; refuses (42501) when row security hides entries'),
  ('isms.change_log_anchor', 'read', NULL);
