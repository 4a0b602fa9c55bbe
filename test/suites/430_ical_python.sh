#!/usr/bin/env bash
# test/suites/430_ical_python.sh: every exported calendar parsed by an
# independent parser (python3-icalendar from Debian, /usr/bin/python3):
# component counts, UIDs, SEQUENCEs, RRULEs, alarms and STATUS against the
# rows of isms.reminder; then update and cancel semantics across two
# re-exports (same UIDs, SEQUENCE grows, cancelled events stay as
# CANCELLED), and the VTODO variant; last, a weekly 09:00 Europe/Berlin
# reminder exported in that zone (TZID and VTIMEZONE) expands in Python to
# 09:00 local on both sides of the change to summer time, at the same
# instants as isms.rrule_occurrences.  Exit status 1 on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=isms_ical_python
out=$(mktemp -d)
trap 'rm -rf "$out"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
export PGOPTIONS='-c client_min_messages=warning'
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
run() { psql -X -q -v ON_ERROR_STOP=1 -d $db "$@"; }
run -c 'CREATE EXTENSION pg_isms'
run >/dev/null <<'SQL'
SET isms.uid_domain = 'python.example.org';
INSERT INTO isms.scope (id, name) VALUES ('emea', 'EMEA');
-- A DBA's own table on the calendar: one view and one attach_reminders.
CREATE TABLE public.subject (id int PRIMARY KEY, kind text NOT NULL, scope text NOT NULL, owner text,
  summary text NOT NULL, description text, due date, rrule text, alarms interval[],
  starts_at timestamptz, ends_at timestamptz, status text NOT NULL DEFAULT 'scheduled');
CREATE VIEW public.subject_reminder AS SELECT * FROM public.subject;
INSERT INTO isms.reminder_kind (kind, subject, component, description) VALUES
  ('subject_review', 'public.subject', 'VTODO', 'a review'), ('subject_soa', 'public.subject', 'VTODO', 'an SoA review'),
  ('subject_plan', 'public.subject', 'VTODO', 'a plan'),
  ('subject_expiry', 'public.subject', 'VEVENT', 'an expiry'), ('subject_standup', 'public.subject', 'VTODO', 'a stand-up');
SELECT isms.attach_reminders('public.subject', 'public.subject_reminder');
INSERT INTO isms.certification (scope, certification_body, certificate_number, decided_on)
VALUES ('emea', 'ACME Certification; Audit, Ltd', 'IS 1', '2024-02-29');
INSERT INTO isms.audit (scope, kind, due_by, auditor) VALUES ('emea', 'internal', '2026-01-31', 'Zoë Müller');
INSERT INTO isms.audit (scope, kind, due_by) VALUES ('default', 'management_review', '2026-03-31');
UPDATE isms.audit SET planned_start = '2025-02-10', planned_end = '2025-02-12', status = 'confirmed'
 WHERE cycle_year = 1;
INSERT INTO public.subject (id, kind, scope, owner, summary, description, due, rrule, alarms, starts_at, ends_at) VALUES
  (1, 'subject_review', 'emea', 'Zoë Müller', 'Review risk R-1: ransomware, backups; "offline" – ünïcödé',
   repeat('Long description with commas, semicolons; and a backslash \ ', 5), '2026-05-01', NULL, '{7 days,1 day,2 hours}', NULL, NULL),
  (2, 'subject_soa', 'emea', NULL, 'Review the Statement of Applicability', NULL, '2026-03-01',
   'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1', '{14 days}', NULL, NULL),
  (3, 'subject_plan', 'default', 'ops', 'Treatment plan due', NULL, '2026-07-01', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6', NULL,
   '2026-07-01 09:00+02', '2026-07-01 10:00+02'),
  (4, 'subject_expiry', 'default', NULL, 'Risk acceptance expires', NULL, '2026-09-30', NULL, NULL, NULL, NULL);
UPDATE public.subject SET status = 'done' WHERE id = 4;
SQL

# expected rows as JSON, and the calendar, for one export call
snapshot() {	# NAME EXPORT-ARGS
	run -A -t -c "SELECT json_agg(json_build_object('uid', uid, 'kind', kind, 'sequence', sequence,
	      'component', (SELECT k.component FROM isms.reminder_kind k WHERE k.kind = reminder.kind),
	      'status', status, 'rrule', rrule, 'summary', summary,
	      'alarms', (SELECT coalesce(json_agg(extract(epoch FROM a)::bigint ORDER BY o), '[]') FROM unnest(alarms) WITH ORDINALITY AS x(a, o)),
	      'due', due, 'timed', starts_at IS NOT NULL))
	    FROM isms.reminder" -o "$out/$1.json"
	run -A -t -c "SELECT isms.ical_export($2)" -o "$out/$1.ics"
}
snapshot first ""
snapshot todo "review_component => 'vtodo'"
# Changes: move a review, cancel one, complete an audit, change the decision date.
run >/dev/null <<'SQL'
UPDATE public.subject SET due = '2026-06-01' WHERE id = 1;
UPDATE public.subject SET status = 'cancelled' WHERE id = 2;
UPDATE isms.certification SET decided_on = '2024-03-15';
UPDATE isms.audit SET status = 'completed', completed_on = '2026-02-02' WHERE kind = 'internal';
SQL
snapshot second ""
# Daylight saving: a weekly stand-up at 09:00 Berlin time across 2026-03-29.
run >/dev/null <<'SQL'
SET timezone = 'Europe/Berlin';
INSERT INTO public.subject (id, kind, scope, summary, due, rrule, alarms, starts_at, ends_at) VALUES
  (5, 'subject_standup', 'emea', 'Weekly ISMS stand-up', '2026-03-16', 'FREQ=WEEKLY;COUNT=6', '{15 minutes}',
   '2026-03-16 09:00', '2026-03-16 09:30');
SQL
PGTZ=Europe/Berlin snapshot dst ""
PGTZ=Europe/Berlin run -A -t -c "SELECT json_agg(extract(epoch FROM o)::bigint)
    FROM isms.rrule_occurrences('FREQ=WEEKLY;COUNT=6', '2026-03-16 09:00') AS o" -o "$out/dst_occurrences.json"

/usr/bin/python3 - "$out" <<'PY'
import json, sys, datetime
from icalendar import Calendar

out = sys.argv[1]
failures = []
checks = 0

def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        failures.append(msg)

def load(name):
    with open(f"{out}/{name}.ics", "rb") as f:
        raw = f.read()
    rows = json.load(open(f"{out}/{name}.json"))
    return raw, Calendar.from_ical(raw), {r["uid"]: r for r in rows}

def comps(cal):
    return [c for c in cal.walk() if c.name in ("VEVENT", "VTODO")]

def is_task(r):
    # isms.reminder_kind says which kinds are tasks; an undeclared one is an event.
    return r["component"] == "VTODO"

def verify(name, todo):
    raw, cal, rows = load(name)
    check(raw.count(b"\r\n") > 10 and b"\n" not in raw.replace(b"\r\n", b"").rstrip(b"\n"), f"{name}: CRLF line ends")
    check(str(cal.get("METHOD")) == "PUBLISH", f"{name}: METHOD:PUBLISH")
    check(str(cal.get("VERSION")) == "2.0", f"{name}: VERSION")
    check(str(cal.get("X-WR-CALNAME")) == "pg_isms", f"{name}: X-WR-CALNAME")
    cs = comps(cal)
    check(len(cs) == len(rows), f"{name}: {len(cs)} components for {len(rows)} reminders")
    uids = [str(c["UID"]) for c in cs]
    check(len(set(uids)) == len(uids), f"{name}: duplicate UID")
    check(set(uids) == set(rows), f"{name}: UIDs differ from isms.reminder")
    for c in cs:
        uid = str(c["UID"])
        r = rows.get(uid)
        if r is None:
            continue
        want = "VTODO" if (todo and is_task(r)) else "VEVENT"
        check(c.name == want, f"{name}: {uid} is {c.name}, want {want}")
        check(int(c["SEQUENCE"]) == r["sequence"], f"{name}: {uid} SEQUENCE {c['SEQUENCE']} != {r['sequence']}")
        check(str(c["SUMMARY"]) == r["summary"], f"{name}: {uid} SUMMARY round trip: {c['SUMMARY']!r}")
        check(str(c["X-PG-ISMS-KIND"]) == r["kind"], f"{name}: {uid} kind")
        status = str(c["STATUS"])
        if r["status"] == "cancelled":
            check(status == "CANCELLED", f"{name}: {uid} STATUS {status}")
        elif c.name == "VTODO":
            check(status == ("COMPLETED" if r["status"] == "done" else "NEEDS-ACTION"), f"{name}: {uid} STATUS {status}")
        else:
            check(status == "CONFIRMED", f"{name}: {uid} STATUS {status}")
        if r["rrule"]:
            got = c.get("RRULE")
            check(got is not None, f"{name}: {uid} RRULE missing")
            if got is not None:
                want_parts = dict(p.split("=") for p in r["rrule"].split(";"))
                got_parts = {k: ",".join(str(x) for x in v) for k, v in got.items()}
                check({k: v.upper() for k, v in got_parts.items()} == want_parts,
                      f"{name}: {uid} RRULE {got_parts} != {want_parts}")
        else:
            check(c.get("RRULE") is None, f"{name}: {uid} unexpected RRULE")
        alarms = [a for a in c.subcomponents if a.name == "VALARM"]
        want_alarms = r["alarms"] if r["status"] == "scheduled" else []
        check(len(alarms) == len(want_alarms), f"{name}: {uid} {len(alarms)} alarms, want {len(want_alarms)}")
        for a, secs in zip(alarms, want_alarms):
            td = a["TRIGGER"].dt
            check(isinstance(td, datetime.timedelta) and td == -datetime.timedelta(seconds=secs),
                  f"{name}: {uid} alarm {td} != -{secs}s")
            check(str(a["ACTION"]) == "DISPLAY" and "DESCRIPTION" in a, f"{name}: {uid} alarm ACTION/DESCRIPTION")
        start = c["DTSTART"].dt
        if r["timed"]:
            check(isinstance(start, datetime.datetime) and start.tzinfo is not None, f"{name}: {uid} timed DTSTART in UTC or with TZID")
        else:
            check(type(start) is datetime.date and start.isoformat() == r["due"], f"{name}: {uid} DTSTART {start} != {r['due']}")
    return cal, rows

first, rows1 = verify("first", False)
verify("todo", True)
second, rows2 = verify("second", False)

# Across re-exports: no UID lost or added, SEQUENCE never goes down, changed ones go up.
s1 = {str(c["UID"]): c for c in comps(first)}
s2 = {str(c["UID"]): c for c in comps(second)}
check(set(s1) <= set(s2), "re-export: a UID disappeared")
added = set(s2) - set(s1)
check(len(added) == 1 and str(s2[added.pop()]["X-PG-ISMS-KIND"]) == "internal_audit",
      "re-export: only the next internal audit is new")
for uid in s1:
    if uid in s2:
        check(int(s2[uid]["SEQUENCE"]) >= int(s1[uid]["SEQUENCE"]), f"re-export: {uid} SEQUENCE went down")
moved = [u for u in s1 if str(s1[u]["X-PG-ISMS-KIND"]) == "subject_review"][0]
check(int(s2[moved]["SEQUENCE"]) == int(s1[moved]["SEQUENCE"]) + 1, "moved review: SEQUENCE + 1")
check(s2[moved]["DTSTART"].dt == datetime.date(2026, 6, 1), "moved review: new DTSTART")
cancelled = [u for u in s1 if str(s1[u]["X-PG-ISMS-KIND"]) == "subject_soa"][0]
check(str(s2[cancelled]["STATUS"]) == "CANCELLED", "cancelled review: STATUS:CANCELLED")
check(int(s2[cancelled]["SEQUENCE"]) == int(s1[cancelled]["SEQUENCE"]) + 1, "cancelled review: SEQUENCE + 1")
exp = [u for u in s1 if str(s1[u]["X-PG-ISMS-KIND"]) == "certificate_expiry"][0]
check(s2[exp]["DTSTART"].dt == datetime.date(2027, 3, 15) and int(s2[exp]["SEQUENCE"]) == 1,
      "decision date change: expiry moved with SEQUENCE 1")
unchanged = [u for u in s1 if str(s1[u]["X-PG-ISMS-KIND"]) == "subject_plan"][0]
check(s1[unchanged].to_ical() == s2[unchanged].to_ical(), "unchanged reminder: identical component")

# Daylight saving: the zone's VTIMEZONE and TZID, and the expansion.
dst, dst_rows = verify("dst", False)
vtz = [c for c in dst.walk() if c.name == "VTIMEZONE"]
check(len(vtz) == 1 and str(vtz[0]["TZID"]) == "Europe/Berlin", "dst: one VTIMEZONE, TZID Europe/Berlin")
check(any(sc["TZOFFSETTO"].td == datetime.timedelta(hours=2) for sc in vtz[0].subcomponents if sc.name == "DAYLIGHT") if vtz else False,
      "dst: VTIMEZONE has a DAYLIGHT observance at +0200")
standup = [c for c in comps(dst) if str(c["SUMMARY"]) == "Weekly ISMS stand-up"]
check(len(standup) == 1, "dst: the stand-up is exported once")
if standup:
    from dateutil.rrule import rrulestr
    ev = standup[0]
    start = ev["DTSTART"].dt
    check(ev["DTSTART"].params.get("TZID") == "Europe/Berlin", f"dst: DTSTART TZID {ev['DTSTART'].params}")
    check(isinstance(start, datetime.datetime) and start.tzinfo is not None
          and (start.hour, start.minute) == (9, 0), f"dst: DTSTART {start!r} is not 09:00 Berlin")
    zone = start.tzinfo
    def local(naive):
        # pytz zones need localize(); zoneinfo zones take the wall time as it is.
        return zone.localize(naive) if hasattr(zone, "localize") else naive.replace(tzinfo=zone)
    # RFC 5545: the rule repeats the local wall time of DTSTART in its zone.
    occ = [local(o) for o in rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))]
    check(len(occ) == 6, f"dst: {len(occ)} occurrences, want 6")
    check(all((o.hour, o.minute) == (9, 0) for o in occ), f"dst: occurrences not all at 09:00: {occ}")
    offsets = sorted({o.utcoffset() for o in occ})
    check(offsets == [datetime.timedelta(hours=1), datetime.timedelta(hours=2)],
          f"dst: offsets {offsets}, want +01:00 and +02:00 (the series crosses the change)")
    want = json.load(open(f"{out}/dst_occurrences.json"))
    got = [int(o.timestamp()) for o in occ]
    check(got == want, f"dst: Python's occurrences {got} differ from isms.rrule_occurrences {want}")

for f in failures:
    print("ical_python: FAIL:", f)
print(f"ical_python: {checks} checks, {len(failures)} failed ({len(comps(first))}, {len(comps(second))} components parsed)")
sys.exit(1 if failures else 0)
PY
