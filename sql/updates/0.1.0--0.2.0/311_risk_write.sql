-- Part of 0.1.0 -> 0.2.0 for sql/311_risk_write.sql: the write trigger of
-- isms.risk in C (src/risk_write.c), its UPDATE-only rules in
-- isms.risk_update_rules() and the start rule in isms.risk_start_check(),
-- which isms.risk_transition_check calls.  The 0.1.0 trigger and the two
-- functions it made are dropped with their access classes (001_base), and
-- the install file makes all of it again.
DROP TRIGGER risk_before_write ON isms.risk;
DROP FUNCTION isms.risk_before_write();
DROP FUNCTION isms.risk_transition_check(bigint, isms.risk_status, isms.risk_status);
DELETE FROM isms.function_class WHERE function_name IN ('isms.risk_before_write', 'isms.risk_transition_check');
-- include: sql/311_risk_write.sql
