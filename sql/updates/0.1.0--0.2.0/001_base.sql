-- Part of 0.1.0 -> 0.2.0 for sql/000_base.sql (numbered 001 to come after
-- the header's guard line): the explicit access classes.  0.1.0 inferred a
-- function's class from its volatility; 0.2.0 states it per function in
-- isms.function_class, and the table exceptions move from isms.access_rule
-- (dropped by the part for 900_privileges.sql) to isms.table_class.  The
-- rows are those of every 0.1.0 function, with the class 0.1.0 gave it;
-- later parts add the rows of the functions they create and delete those of
-- the functions they drop.

-- The access class of every function, stated where the function is made:
-- each sql/NNN_*.sql file ends with the rows for the functions it creates
-- (docs/development.md, "Adding a function: classify it").  The privilege
-- model (sql/900_privileges.sql, isms.access_map) grants from these rows,
-- never from a function's volatility, and isms.reapply_security refuses to
-- finish an install or upgrade that leaves a function of the extension
-- unclassified or a row without its function.
CREATE TABLE isms.function_class (
  function_name text PRIMARY KEY CONSTRAINT function_class_name CHECK (function_name ~ '^isms\.[a-z_][a-z0-9_]*$'),
  class         text NOT NULL CONSTRAINT function_class_class CHECK (class IN ('read', 'write', 'admin', 'internal', 'owner')),
  reason        text
);
COMMENT ON TABLE isms.function_class IS
  'Access class of every function of isms, one row per name (all overloads share it); isms.access_map grants EXECUTE from it (shipped with the extension, read-only)';
COMMENT ON COLUMN isms.function_class.function_name IS 'Schema-qualified name without arguments or quotes, e.g. isms.soa_init';
COMMENT ON COLUMN isms.function_class.class IS
  'read (readers and up), write (editors and up), admin (admins), internal (nobody calls it directly: triggers, helpers of SECURITY DEFINER code), owner (extension owner only: needs ownership)';
COMMENT ON COLUMN isms.function_class.reason IS 'Why, where the class is not plain from what the function does (NULL: it is)';

-- Tables whose class the rule of isms.access_map cannot read from their
-- pg_extension_config_dump registration; each install file adds the rows
-- for its own tables.
CREATE TABLE isms.table_class (
  table_name text PRIMARY KEY CONSTRAINT table_class_name CHECK (table_name ~ '^isms\.[a-z_][a-z0-9_]*$'),
  class      text NOT NULL CONSTRAINT table_class_class CHECK (class IN ('user', 'config', 'derived')),
  reason     text NOT NULL
);
COMMENT ON TABLE isms.table_class IS
  'Exceptions to the table rule of isms.access_map: tables whose class their dump registration does not tell (shipped with the extension, read-only)';
COMMENT ON COLUMN isms.table_class.table_name IS 'Schema-qualified table name, e.g. isms.reminder (its sequences follow it)';
COMMENT ON COLUMN isms.table_class.class IS
  'user (editors write), config (admins write), derived (nobody writes directly)';
COMMENT ON COLUMN isms.table_class.reason IS 'Why the table is an exception';

INSERT INTO isms.function_class (function_name, class, reason) VALUES
  ('isms.version', 'read', NULL),
  ('isms.scope_protect_default', 'internal', NULL),
  ('isms.risk_score_in', 'read', NULL),
  ('isms.risk_score_out', 'read', NULL),
  ('isms.risk_score_recv', 'read', NULL),
  ('isms.risk_score_send', 'read', NULL),
  ('isms.risk_score_typmod_in', 'read', NULL),
  ('isms.risk_score_typmod_out', 'read', NULL),
  ('isms.risk_score', 'read', NULL),
  ('isms.likelihood', 'read', NULL),
  ('isms.impact', 'read', NULL),
  ('isms.score', 'read', NULL),
  ('isms.risk_score_eq', 'read', NULL),
  ('isms.risk_score_ne', 'read', NULL),
  ('isms.risk_score_lt', 'read', NULL),
  ('isms.risk_score_le', 'read', NULL),
  ('isms.risk_score_gt', 'read', NULL),
  ('isms.risk_score_ge', 'read', NULL),
  ('isms.risk_score_cmp', 'read', NULL),
  ('isms.risk_score_sortsupport', 'read', NULL),
  ('isms.risk_score_hash', 'read', NULL),
  ('isms.risk_score_hash_extended', 'read', NULL),
  ('isms.risk_score_smaller', 'read', NULL),
  ('isms.risk_score_larger', 'read', NULL),
  ('isms.min', 'read', NULL),
  ('isms.max', 'read', NULL),
  ('isms.risk_matrix_cell_check', 'internal', NULL),
  ('isms.risk_matrix_size_check', 'internal', NULL),
  ('isms.risk_level', 'read', NULL),
  ('isms.within_appetite', 'read', NULL),
  ('isms.risk_matrix_fill', 'admin', 'writes the cells of a risk matrix (configuration)'),
  ('isms.risk_matrix_copy', 'admin', 'creates a risk matrix (configuration)'),
  ('isms.risk_matrix_builtin_guard', 'internal', NULL),
  ('isms.cvss_in', 'read', NULL),
  ('isms.cvss_out', 'read', NULL),
  ('isms.cvss_recv', 'read', NULL),
  ('isms.cvss_send', 'read', NULL),
  ('isms.cvss_eq', 'read', NULL),
  ('isms.cvss_ne', 'read', NULL),
  ('isms.cvss_lt', 'read', NULL),
  ('isms.cvss_le', 'read', NULL),
  ('isms.cvss_gt', 'read', NULL),
  ('isms.cvss_ge', 'read', NULL),
  ('isms.cvss_cmp', 'read', NULL),
  ('isms.cvss_hash', 'read', NULL),
  ('isms.cvss_hash_extended', 'read', NULL),
  ('isms.cvss_smaller', 'read', NULL),
  ('isms.cvss_larger', 'read', NULL),
  ('isms.cvss_version', 'read', NULL),
  ('isms.cvss_base_score', 'read', NULL),
  ('isms.cvss_temporal_score', 'read', NULL),
  ('isms.cvss_environmental_score', 'read', NULL),
  ('isms.cvss_score', 'read', NULL),
  ('isms.cvss_severity', 'read', NULL),
  ('isms.cvss_metric', 'read', NULL),
  ('isms.cvss_risk_score', 'read', NULL),
  ('isms.catalogue_protect_builtin', 'internal', NULL),
  ('isms.catalogue_check_parent', 'internal', NULL),
  ('isms.log_change', 'internal', NULL),
  ('isms.change_log_refuse', 'internal', NULL),
  ('isms.soa_init', 'write', NULL),
  ('isms.soa_as_of', 'read', NULL),
  ('isms.control_attribute_values', 'read', NULL),
  ('isms.oscal_token', 'read', NULL),
  ('isms.oscal_control_object', 'read', NULL),
  ('isms.oscal_group_object', 'read', NULL),
  ('isms.oscal_catalog', 'read', NULL),
  ('isms.oscal_import_catalog', 'write', NULL),
  ('isms.risk_transition_check', 'read', NULL),
  ('isms.risk_before_write', 'internal', NULL),
  ('isms.link_asset', 'write', NULL),
  ('isms.close_risk', 'write', NULL),
  ('isms.reopen_risk', 'write', NULL),
  ('isms.implementation_factor', 'read', NULL),
  ('isms.residual_from', 'read', NULL),
  ('isms.control_reduction', 'read', NULL),
  ('isms.residual_score', 'read', NULL),
  ('isms.refresh_residual', 'write', NULL),
  ('isms.link_control', 'write', NULL),
  ('isms.unlink_control', 'write', NULL),
  ('isms.override_residual', 'write', NULL),
  ('isms.risk_control_after_write', 'internal', NULL),
  ('isms.soa_entry_refresh_residual', 'internal', NULL),
  ('isms.treatment_before_write', 'internal', NULL),
  ('isms.treatment_after_write', 'internal', NULL),
  ('isms.treat', 'write', NULL),
  ('isms.acceptance_before_write', 'internal', NULL),
  ('isms.acceptance_after_insert', 'internal', NULL),
  ('isms.accept_risk', 'write', NULL),
  ('isms.matrix_grid', 'read', NULL),
  ('isms.rows_as_of', 'read', NULL),
  ('isms.risk_as_of', 'read', NULL),
  ('isms.rrule_is_valid', 'read', NULL),
  ('isms.rrule_occurrences', 'read', NULL),
  ('isms.rrule_next', 'read', NULL),
  ('isms.new_uid', 'internal', 'default of isms.reminder.uid, which only the reminder functions insert'),
  ('isms.uid_is_valid', 'read', NULL),
  ('isms.reminder_restore_guard', 'internal', NULL),
  ('isms.restore_in_progress', 'read', NULL),
  ('isms.reminder_sync', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_cancel', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_done', 'internal', 'called by SECURITY DEFINER subject triggers only'),
  ('isms.reminder_sync_set', 'internal', 'SECURITY DEFINER: writes isms.reminder for the subject triggers'),
  ('isms.reminder_close_set', 'internal', NULL),
  ('isms.certification_cycle', 'read', NULL),
  ('isms.audit_reminder_kind', 'read', NULL),
  ('isms.certification_defaults', 'internal', NULL),
  ('isms.certification_schedule', 'internal', NULL),
  ('isms.audit_defaults', 'internal', NULL),
  ('isms.audit_schedule', 'internal', NULL),
  ('isms.ical_export', 'read', NULL),
  ('isms.ical_events', 'read', NULL),
  ('isms.ical_import', 'write', NULL),
  ('isms.next_due', 'read', NULL),
  ('isms.risk_review_interval', 'read', NULL),
  ('isms.risk_next_review', 'internal', NULL),
  ('isms.risk_review_record', 'internal', NULL),
  ('isms.risk_reminders', 'internal', NULL),
  ('isms.soa_entry_next_review', 'internal', NULL),
  ('isms.soa_entry_reminders', 'internal', NULL),
  ('isms.acceptance_reminders', 'internal', NULL),
  ('isms.treatment_reminders', 'internal', NULL),
  ('isms.document_defaults', 'internal', NULL),
  ('isms.document_schedule', 'internal', NULL),
  ('isms.is_nonconformity', 'read', NULL),
  ('isms.major_nonconformity_limit', 'read', NULL),
  ('isms.finding_before_write', 'internal', NULL),
  ('isms.finding_schedule', 'internal', NULL),
  ('isms.corrective_action_before_write', 'internal', NULL),
  ('isms.corrective_action_after_write', 'internal', NULL),
  ('isms.audit_cover_scope', 'write', NULL),
  ('isms.readiness_list', 'read', NULL),
  ('isms.readiness_checks', 'read', NULL),
  ('isms.readiness', 'read', NULL),
  ('isms.readiness_blockers', 'read', NULL),
  ('isms.control_privacy_roles', 'read', NULL),
  ('isms.privacy_role_covers', 'read', NULL),
  ('isms.privacy_soa_offer', 'internal', NULL),
  ('isms.privacy_scope_sync', 'internal', NULL),
  ('isms.is_text_list', 'read', NULL),
  ('isms.processing_activity_schedule', 'internal', NULL),
  ('isms.processing_activity_reviewed', 'write', NULL),
  ('isms.xml_escape', 'read', NULL),
  ('isms.risk_heatmap_svg', 'read', NULL),
  ('isms.set_access_level', 'owner', 'grants and revokes privileges: needs ownership of the objects'),
  ('isms.access_level', 'read', NULL),
  ('isms.grant_reader', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.grant_editor', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.grant_admin', 'owner', 'grants privileges: needs ownership of the objects'),
  ('isms.revoke_reader', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('isms.revoke_editor', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('isms.revoke_admin', 'owner', 'revokes privileges: needs ownership of the objects'),
  ('isms.my_scopes', 'read', NULL),
  ('isms.enable_scope_security', 'owner', 'ALTER TABLE ... ENABLE ROW LEVEL SECURITY needs ownership'),
  ('isms.disable_scope_security', 'owner', 'ALTER TABLE ... DISABLE ROW LEVEL SECURITY needs ownership'),
  ('isms.scope_security_restore', 'internal', NULL),
  ('isms.reapply_security', 'owner', 'changes privileges, views and policies: needs ownership');

INSERT INTO isms.table_class (table_name, class, reason) VALUES
  ('isms.change_log', 'derived', 'written only by the trigger isms.log_change(); append-only history'),
  ('isms.reminder', 'derived', 'written only by the subject tables'' triggers through the reminder functions'),
  ('isms.role_access', 'derived', 'written only by isms.grant_* and isms.revoke_*'),
  ('isms.scope_member', 'config', 'who may see which scope is configuration: admins only'),
  ('isms.scope_security_state', 'derived', 'written only by isms.enable_scope_security and isms.disable_scope_security');
