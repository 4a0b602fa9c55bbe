-- test/load/check.sql: after the mixed workload, one row per rule with the
-- number of violations (all must be 0): reminders and change-log entries
-- counted against public.load_done, and every subject in step with its one
-- reminder.
SELECT 'certificate expiry reminders <> certificates ever created' AS rule,
       abs((SELECT count(*) FROM isms.reminder WHERE kind = 'certificate_expiry')
           - (4 + (SELECT count(*) FROM public.load_done WHERE kind = 'cert_insert'))) AS violations
UNION ALL
SELECT 'certificate without exactly one expiry reminder in step', count(*)
  FROM isms.certification c
 WHERE (SELECT count(*) FROM isms.reminder r
         WHERE r.kind = 'certificate_expiry' AND r.subject = 'isms.certification'::regclass
           AND r.subject_key = c.id::text AND r.due = c.expires_on AND r.scope = c.scope
           AND r.status::text = CASE c.status WHEN 'withdrawn' THEN 'cancelled' WHEN 'superseded' THEN 'done'
                                              ELSE 'scheduled' END) <> 1
UNION ALL
SELECT 'deleted certificates <> cancelled expiry reminders without certificate',
       abs((SELECT count(*) FROM public.load_done WHERE kind = 'cert_delete')
           - (SELECT count(*) FROM isms.reminder r WHERE r.kind = 'certificate_expiry' AND r.status = 'cancelled'
               AND NOT EXISTS (SELECT 1 FROM isms.certification c WHERE c.id::text = r.subject_key)))
UNION ALL
SELECT 'reminder of a deleted subject not cancelled', count(*)
  FROM isms.reminder r
 WHERE r.status <> 'cancelled'
   AND ((r.subject = 'isms.certification'::regclass AND NOT EXISTS (SELECT 1 FROM isms.certification c WHERE c.id::text = r.subject_key))
     OR (r.subject = 'isms.audit'::regclass AND NOT EXISTS (SELECT 1 FROM isms.audit a WHERE a.id::text = r.subject_key))
     OR (r.subject = 'isms.processing_activity'::regclass AND NOT EXISTS (SELECT 1 FROM isms.processing_activity p WHERE p.id::text = r.subject_key)))
UNION ALL
SELECT 'audit without its reminder in step', count(*)
  FROM isms.audit a
 WHERE (SELECT count(*) FROM isms.reminder r
         WHERE r.subject = 'isms.audit'::regclass AND r.subject_key = a.id::text
           AND r.kind = isms.audit_reminder_kind(a.kind) AND r.due = coalesce(a.planned_start, a.due_by)
           AND r.status::text = CASE a.status WHEN 'completed' THEN 'done' WHEN 'cancelled' THEN 'cancelled'
                                              ELSE 'scheduled' END) <> 1
UNION ALL
SELECT 'processing review reminders <> activities ever created',
       abs((SELECT count(*) FROM isms.reminder WHERE kind = 'processing_review')
           - (8 + (SELECT count(*) FROM public.load_done WHERE kind = 'pa_insert')))
UNION ALL
SELECT 'processing activity without its review reminder in step', count(*)
  FROM isms.processing_activity p
 WHERE (SELECT count(*) FROM isms.reminder r
         WHERE r.kind = 'processing_review' AND r.subject = 'isms.processing_activity'::regclass
           AND r.subject_key = p.id::text AND r.due = p.next_review AND r.status = 'scheduled') <> 1
UNION ALL
SELECT 'duplicate reminder for one subject', count(*)
  FROM (SELECT 1 FROM isms.reminder GROUP BY kind, subject, subject_key HAVING count(*) > 1) d
UNION ALL
SELECT 'UID shared by two reminders', count(*) - count(DISTINCT uid) FROM isms.reminder
UNION ALL
SELECT 'SoA updates <> SoA change-log entries',
       abs((SELECT count(*) FROM public.load_done WHERE kind = 'soa_update')
           - (SELECT count(*) FROM isms.change_log WHERE table_name = 'isms.soa_entry' AND op = 'UPDATE'
               AND new_row->>'scope' LIKE 'load-%'))
UNION ALL
SELECT 'risks <> 200 + risks created', abs((SELECT count(*) FROM isms.risk WHERE scope LIKE 'load-%')
                                           - (200 + (SELECT count(*) FROM public.load_done WHERE kind = 'risk_insert')))
UNION ALL
SELECT 'treatments <> treat() calls', abs((SELECT count(*) FROM isms.treatment)
                                          - (SELECT count(*) FROM public.load_done WHERE kind = 'treat'));
