-- 220 change log: the two hash-chain columns (last, as a fresh install has
-- them) and the comments that now speak of the chain and of
-- isms.attach_change_log().  The entries of 0.1.0 are chained in 221, once
-- the hash function exists; the columns become NOT NULL there.
ALTER TABLE isms.change_log ADD COLUMN prev_hash bytea, ADD COLUMN entry_hash bytea;
COMMENT ON TABLE isms.change_log IS
  'Append-only, hash-chained history of every insert, update and delete on the tables isms.attach_change_log() attached isms.log_change() to (SoA entries, risks, treatments, ...); isms.verify_change_log() checks the chain';
COMMENT ON COLUMN isms.change_log.prev_hash IS
  'entry_hash of the entry before this one in id order (32 zero bytes for the first entry): the link of the hash chain';
COMMENT ON COLUMN isms.change_log.entry_hash IS
  'SHA-256 of this entry''s content and prev_hash, as isms.change_log_entry_hash() computes it';
COMMENT ON FUNCTION isms.log_change() IS
  'Trigger function: appends each inserted, updated or deleted row to isms.change_log, chained by hash; attach it with isms.attach_change_log() (AFTER ... REFERENCING ... FOR EACH STATEMENT), or by hand FOR EACH ROW';
