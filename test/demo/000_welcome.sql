-- Demo, part 0: what was installed.
\echo
\echo '== pg_isms demo =='
SELECT isms.version() AS pg_isms_version,
       (SELECT extversion FROM pg_extension WHERE extname = 'pg_isms') AS extension_version,
       current_setting('server_version') AS postgresql;
