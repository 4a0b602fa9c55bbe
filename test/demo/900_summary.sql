-- 900_summary: the screen a CISO looks at, after all demo data is loaded:
-- compliance by theme, the top residual risks, the heat map as text, the
-- next 90 days of the calendar; and the calendar feed (.ics) and the heat
-- map and the loss-exceedance curve (.svg) written to the folder the demo
-- was started from.
\echo
\echo '==================== pg_isms demo: summary ===================='
\echo
\echo '=== Compliance by Annex A theme, scope default (isms.compliance_summary)'
SELECT theme, controls, applicable, implemented, percent_implemented AS "% implemented"
  FROM isms.compliance_summary
 WHERE scope = 'default' AND framework = 'iso27001-2022' ORDER BY theme;

\echo '=== Top 10 residual risks (isms.risk_register)'
SELECT ref, left(title, 48) AS title, owner, inherent, residual, residual_level AS level,
       status, within_appetite AS in_appetite
  FROM isms.risk_register
 WHERE scope = 'default' AND status <> 'closed' AND residual IS NOT NULL
 ORDER BY residual DESC, ref LIMIT 10;

\echo '=== Residual heat map, scope default: open risks per cell (likelihood up, impact across)'
SELECT likelihood AS "L \ I",
       max(CASE impact WHEN 1 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "1",
       max(CASE impact WHEN 2 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "2",
       max(CASE impact WHEN 3 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "3",
       max(CASE impact WHEN 4 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "4",
       max(CASE impact WHEN 5 THEN format('%-8s %2s', level, nullif(residual_count, 0)) END) AS "5"
  FROM isms.risk_heatmap WHERE scope = 'default' AND matrix = 'default'
 GROUP BY likelihood ORDER BY likelihood DESC;

\echo '=== The next 90 days (isms.reminder: what the calendar feed shows)'
SELECT coalesce(starts_at::date, due) AS "when", kind, left(summary, 60) AS summary, owner
  FROM isms.reminder
 WHERE status = 'scheduled' AND coalesce(starts_at::date, due) BETWEEN current_date AND current_date + 90
 ORDER BY 1, kind, summary;
SELECT count(*) FILTER (WHERE status = 'scheduled' AND coalesce(starts_at::date, due) < current_date) AS overdue_reminders,
       count(*) FILTER (WHERE status = 'scheduled') AS scheduled_reminders
  FROM isms.reminder;

\echo '=== Change log: every change of the demo, one hash chain (isms.verify_change_log)'
SELECT v.status, v.entries, v.problem, v.anchor_id IS NOT NULL AS anchor_in_chain
  FROM isms.change_log_anchor() a, isms.verify_change_log(a.entry_hash) v;

\pset format unaligned
\pset tuples_only on
SELECT isms.ical_export() \g :outdir/pg_isms.ics
SELECT isms.risk_heatmap_svg('default') \g :outdir/pg_isms-heatmap.svg
SELECT isms.loss_exceedance_svg((SELECT array_agg(risk_id) FROM isms.risk_quantified WHERE scope = 'default'), 100000, 2026,
                                'Loss exceedance, quantified risks of scope default') \g :outdir/pg_isms-loss-exceedance.svg
\pset format aligned
\pset tuples_only off
\echo
\echo 'Wrote the calendar feed:  ' :outdir/pg_isms.ics '(import or subscribe: docs/calendar-guide.md)'
\echo 'Wrote the heat map:       ' :outdir/pg_isms-heatmap.svg '(open in a browser)'
\echo 'Wrote the loss curve:     ' :outdir/pg_isms-loss-exceedance.svg '(open in a browser)'
