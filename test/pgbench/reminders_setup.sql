-- test/pgbench/reminders_setup.sql: the subjects of the reminder
-- concurrency test: a table like the ones other capabilities add, whose
-- per-row trigger calls isms.reminder_sync / isms.reminder_cancel (the
-- shared interface), plus the audit programme (isms.audit) itself.
DROP TABLE IF EXISTS public.conc_subject;
CREATE TABLE public.conc_subject (id int PRIMARY KEY, due date NOT NULL, owner text);
CREATE FUNCTION public.conc_subject_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM isms.reminder_cancel('conc_review', 'public.conc_subject'::regclass, OLD.id::text);
  ELSE
    PERFORM isms.reminder_sync('conc_review', 'public.conc_subject'::regclass, NEW.id::text,
      'default', NEW.owner, 'Review subject ' || NEW.id, NULL, NEW.due, NULL, '{1 day}');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER conc_subject_reminder AFTER INSERT OR UPDATE OR DELETE ON public.conc_subject
  FOR EACH ROW EXECUTE FUNCTION public.conc_subject_reminder();
