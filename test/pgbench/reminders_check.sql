-- test/pgbench/reminders_check.sql: after the concurrent run, every subject
-- has exactly one reminder that matches it, every deleted subject's
-- reminder is cancelled (never deleted, never duplicated), and every
-- completed internal audit has exactly one successor.  Prints one row per
-- rule with the number of violations; all must be 0.
SELECT 'subject without exactly one matching scheduled reminder' AS rule, count(*) AS violations
  FROM public.conc_subject s
 WHERE (SELECT count(*) FROM isms.reminder r
         WHERE r.kind = 'conc_review' AND r.subject = 'public.conc_subject'::regclass
           AND r.subject_key = s.id::text AND r.due = s.due AND r.owner IS NOT DISTINCT FROM s.owner
           AND r.status = 'scheduled') <> 1
UNION ALL
SELECT 'reminder of a deleted subject not cancelled', count(*)
  FROM isms.reminder r
 WHERE r.kind = 'conc_review' AND r.status <> 'cancelled'
   AND NOT EXISTS (SELECT 1 FROM public.conc_subject s WHERE s.id::text = r.subject_key)
UNION ALL
SELECT 'duplicate reminder for one subject', count(*)
  FROM (SELECT 1 FROM isms.reminder GROUP BY kind, subject, subject_key HAVING count(*) > 1) d
UNION ALL
SELECT 'audit without its reminder in step', count(*)
  FROM isms.audit a
 WHERE NOT EXISTS (SELECT 1 FROM isms.reminder r
                    WHERE r.subject = 'isms.audit'::regclass AND r.subject_key = a.id::text
                      AND r.kind = isms.audit_reminder_kind(a.kind)
                      AND r.due = coalesce(a.planned_start, a.due_by)
                      AND r.status::text = CASE a.status WHEN 'completed' THEN 'done'
                                                         WHEN 'cancelled' THEN 'cancelled'
                                                         ELSE 'scheduled' END)
UNION ALL
SELECT 'reminder of a deleted audit not cancelled', count(*)
  FROM isms.reminder r
 WHERE r.subject = 'isms.audit'::regclass AND r.status <> 'cancelled'
   AND NOT EXISTS (SELECT 1 FROM isms.audit a WHERE a.id::text = r.subject_key)
UNION ALL
SELECT 'completed internal audit with more than one successor', count(*)
  FROM isms.audit a
 WHERE a.kind = 'internal' AND a.status = 'completed'
   AND (SELECT count(*) FROM isms.audit n WHERE n.follows = a.id) > 1
UNION ALL
-- A successor may have been deleted by the script since; one that was never
-- made shows as a completed audit whose successor reminder never existed.
SELECT 'completed internal audit whose successor was never scheduled', count(*)
  FROM isms.audit a
 WHERE a.kind = 'internal' AND a.status = 'completed'
   AND NOT EXISTS (SELECT 1 FROM isms.audit n WHERE n.follows = a.id)
   AND NOT EXISTS (SELECT 1 FROM isms.reminder r
                    WHERE r.subject = 'isms.audit'::regclass AND r.status = 'cancelled'
                      AND r.kind = 'internal_audit' AND r.subject_key::bigint > a.id)
UNION ALL
SELECT 'UID shared by two reminders', count(*) - count(DISTINCT uid) FROM isms.reminder;
