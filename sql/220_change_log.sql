-- The append-only change log: who changed which row of which table, when,
-- in which transaction, with the row before and after as jsonb.  Written by
-- the C trigger function isms.log_change() (statement level with transition
-- tables), which isms.attach_change_log() (222) attaches to a table.
-- Nobody but the owner can write it, and nobody can update, delete or
-- truncate it while the guard trigger is enabled; and each entry carries
-- the SHA-256 of its content and of the entry before it (prev_hash,
-- entry_hash: the hash chain of 221), so a change made around the guard
-- (a superuser disabling it) shows in isms.verify_change_log().

-- Ids start at the install time in microseconds, so entries restored from a
-- dump (older ids) never collide with entries written by the restore itself
-- or afterwards, and id order stays time order across dump and restore.
-- The sequence is deliberately not dumped (see docs/design-decisions.md).
CREATE SEQUENCE isms.change_log_id_seq AS bigint;
SELECT pg_catalog.setval('isms.change_log_id_seq',
  (extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint);
COMMENT ON SEQUENCE isms.change_log_id_seq IS
  'Ids of isms.change_log; starts at the install time in microseconds';

CREATE TABLE isms.change_log (
  id         bigint NOT NULL DEFAULT pg_catalog.nextval('isms.change_log_id_seq'),
  logged_at  timestamptz NOT NULL DEFAULT now(),
  txid       xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  actor      text NOT NULL,
  table_name text NOT NULL,
  op         text NOT NULL CONSTRAINT change_log_op CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  old_row    jsonb,
  new_row    jsonb,
  -- One btree serves both as the key and as the index the history of one
  -- table is read through (isms.soa_as_of, isms.rows_as_of, isms.risk_as_of:
  -- one table's entries up to a moment, in id order).  id is unique on its
  -- own (one sequence); a second btree, on id alone, would cost every
  -- logged row as much again, and even a BRIN index on logged_at costs a
  -- tenth of an entry (bench/21_change_log.sh): the log has no other index.
  CONSTRAINT change_log_pkey PRIMARY KEY (table_name, id),
  CONSTRAINT change_log_rows CHECK (
    CASE op WHEN 'INSERT' THEN old_row IS NULL AND new_row IS NOT NULL
            WHEN 'UPDATE' THEN old_row IS NOT NULL AND new_row IS NOT NULL
            ELSE old_row IS NOT NULL AND new_row IS NULL END),
  -- Last, as ALTER TABLE ADD COLUMN put them on databases from 0.1.0.
  prev_hash  bytea NOT NULL,
  entry_hash bytea NOT NULL
);
ALTER SEQUENCE isms.change_log_id_seq OWNED BY isms.change_log.id;
COMMENT ON TABLE isms.change_log IS
  'Append-only, hash-chained history of every insert, update and delete on the tables isms.attach_change_log() attached isms.log_change() to (SoA entries, risks, treatments, ...); isms.verify_change_log() checks the chain';
COMMENT ON COLUMN isms.change_log.id IS 'Entry id; ascending in the order the changes were made';
COMMENT ON COLUMN isms.change_log.logged_at IS
  'Start time of the transaction that made the change (all changes of one transaction share it)';
COMMENT ON COLUMN isms.change_log.txid IS 'Transaction id (pg_current_xact_id) of the change';
COMMENT ON COLUMN isms.change_log.actor IS 'Role that made the change: the session''s role after SET ROLE, also for rows a cascade or a SECURITY DEFINER function changed';
COMMENT ON COLUMN isms.change_log.table_name IS 'Schema-qualified table that changed, e.g. isms.soa_entry';
COMMENT ON COLUMN isms.change_log.op IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN isms.change_log.old_row IS 'The row before the change (UPDATE, DELETE), as jsonb';
COMMENT ON COLUMN isms.change_log.new_row IS 'The row after the change (INSERT, UPDATE), as jsonb';
COMMENT ON COLUMN isms.change_log.prev_hash IS
  'entry_hash of the entry before this one in id order (32 zero bytes for the first entry): the link of the hash chain';
COMMENT ON COLUMN isms.change_log.entry_hash IS
  'SHA-256 of this entry''s content and prev_hash, as isms.change_log_entry_hash() computes it';

SELECT pg_catalog.pg_extension_config_dump('isms.change_log', '');
INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.change_log', 'derived', 'written only by the trigger isms.log_change(); append-only history');

CREATE FUNCTION isms.log_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'isms_log_change'
  LANGUAGE C;
COMMENT ON FUNCTION isms.log_change() IS
  'Trigger function: appends each inserted, updated or deleted row to isms.change_log, chained by hash; attach it with isms.attach_change_log() (AFTER ... REFERENCING ... FOR EACH STATEMENT), or by hand FOR EACH ROW';

CREATE FUNCTION isms.change_log_refuse() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
BEGIN
  RAISE EXCEPTION 'isms.change_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'History is never rewritten; see docs/reference/change_log.md for retention.';
END
$$;
COMMENT ON FUNCTION isms.change_log_refuse() IS
  'Trigger function of isms.change_log: refuses UPDATE, DELETE and TRUNCATE (42501)';

CREATE TRIGGER change_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON isms.change_log
  FOR EACH STATEMENT EXECUTE FUNCTION isms.change_log_refuse();

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.log_change', 'internal', NULL),
  ('isms.change_log_refuse', 'internal', NULL);
