-- pg_isms 0.1.0 -> 0.2.0.  Assembled from the parts in this folder in name
-- order (Makefile); each part carries the number of the install file
-- (sql/NNN_*.sql) whose objects it changes, and the last one applies the
-- privilege model to whatever the parts added.
\echo Use "ALTER EXTENSION pg_isms UPDATE TO '0.2.0'" to load this file. \quit
