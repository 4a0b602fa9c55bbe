-- test/standby_reads.sql: read functions with arguments and exports, run by
-- test/suites/91_hot_standby.sh on a streaming replica (must not write).
-- One statement per line starting with SELECT; add yours as capabilities land.
SELECT isms.version();
