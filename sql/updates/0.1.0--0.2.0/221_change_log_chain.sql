-- 221 change log chain: the head, the hash function, verification and the
-- anchor as a fresh install makes them (sql/221_change_log_chain.sql,
-- included), then the entries 0.1.0 wrote are chained.
-- include: sql/221_change_log_chain.sql

-- The entries of 0.1.0, chained in id order as if the trigger had written
-- them (their content is left as it is: the chain vouches for them from
-- the upgrade on, see docs/reference/change_log.md).  The append-only
-- guard is lifted for exactly this one UPDATE.
DO $chain$
DECLARE
  prev bytea := pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex');
  h bytea;
  r record;
  tabs text[] := '{}';
  ids bigint[] := '{}';
  prevs bytea[] := '{}';
  hashes bytea[] := '{}';
  last bigint;
BEGIN
  FOR r IN SELECT l.* FROM isms.change_log l ORDER BY l.id LOOP
    h := isms.change_log_entry_hash(prev, r.id, r.logged_at, r.txid, r.actor, r.table_name, r.op, r.old_row, r.new_row);
    tabs := tabs || r.table_name;
    ids := ids || r.id;
    prevs := prevs || prev;
    hashes := hashes || h;
    prev := h;
    last := r.id;
  END LOOP;
  ALTER TABLE isms.change_log DISABLE TRIGGER change_log_append_only;
  UPDATE isms.change_log l SET prev_hash = u.p, entry_hash = u.h
    FROM ROWS FROM (pg_catalog.unnest(tabs), pg_catalog.unnest(ids), pg_catalog.unnest(prevs), pg_catalog.unnest(hashes)) AS u(t, i, p, h)
   WHERE l.table_name OPERATOR(pg_catalog.=) u.t AND l.id OPERATOR(pg_catalog.=) u.i;
  ALTER TABLE isms.change_log ENABLE TRIGGER change_log_append_only;
  IF last IS NOT NULL THEN
    INSERT INTO isms.change_log_head (singleton, last_id, last_hash, entries)
    VALUES (true, last, prev, pg_catalog.cardinality(ids));
  END IF;
END
$chain$;
ALTER TABLE isms.change_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN entry_hash SET NOT NULL;
