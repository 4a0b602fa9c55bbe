
-- change_log.actor is the session's role on every major (PostgreSQL 18 runs
-- a cascade's AFTER triggers as the table owner).
COMMENT ON COLUMN isms.change_log.actor IS 'Role that made the change: the session''s role after SET ROLE, also for rows a cascade or a SECURITY DEFINER function changed';
