-- 222 change log attach: the function that now attaches the change log.
-- The 0.1.0 triggers on the register's tables already have the names and
-- definitions isms.attach_change_log() gives them, so they stay as they are.
CREATE FUNCTION isms.attach_change_log(tab regclass) RETURNS void
  LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
  SET search_path = pg_catalog, isms, pg_temp
  AS $$
DECLARE
  kind "char";
  rel name;
  existing name;
  base text;
  qname text;
BEGIN
  SELECT c.relkind, c.relname, pg_catalog.format('%I.%I', n.nspname, c.relname) INTO kind, rel, qname
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
   WHERE c.oid OPERATOR(pg_catalog.=) tab;
  IF kind IS NULL THEN
    RAISE EXCEPTION 'relation with OID % does not exist', tab::oid USING ERRCODE = 'undefined_table';
  END IF;
  IF kind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION '"%" is not a table', qname
      USING ERRCODE = 'wrong_object_type',
            DETAIL = 'Only tables and partitioned tables can have a change log; this is a '
                     || CASE kind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                                  WHEN 'f' THEN 'foreign table' WHEN 'i' THEN 'index' ELSE 'relation of kind ' || kind::text END || '.';
  END IF;
  IF tab OPERATOR(pg_catalog.=) ANY (ARRAY['isms.change_log'::pg_catalog.regclass, 'isms.change_log_head'::pg_catalog.regclass]) THEN
    RAISE EXCEPTION 'the change log cannot log "%"', qname
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'isms.change_log and its head are written by isms.log_change() itself.';
  END IF;
  SELECT t.tgname INTO existing FROM pg_catalog.pg_trigger t
   WHERE t.tgrelid OPERATOR(pg_catalog.=) tab
     AND t.tgfoid OPERATOR(pg_catalog.=) 'isms.log_change()'::pg_catalog.regprocedure
   ORDER BY t.tgname LIMIT 1;
  IF existing IS NOT NULL THEN
    RAISE EXCEPTION 'table "%" already has a change log', qname
      USING ERRCODE = 'duplicate_object',
            DETAIL = pg_catalog.format('Trigger %I fires isms.log_change().', existing);
  END IF;
  -- Room for the longest suffix within an identifier's 63 bytes.
  base := pg_catalog.left(rel, 52);
  EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                            'FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change()', base || '_log_insert', tab);
  EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                            'FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change()', base || '_log_update', tab);
  EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                            'FOR EACH STATEMENT EXECUTE FUNCTION isms.log_change()', base || '_log_delete', tab);
END
$$;
COMMENT ON FUNCTION isms.attach_change_log(regclass) IS
  'Logs every insert, update and delete of a table (of pg_isms or your own) in isms.change_log: three statement-level triggers TABLE_log_insert/_update/_delete firing isms.log_change(); 42809 for a non-table, 42710 when the table already has a change log, 22023 for the log itself';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.attach_change_log', 'admin', 'adds triggers to a table (the caller also needs TRIGGER on it, and EXECUTE on isms.log_change())');
