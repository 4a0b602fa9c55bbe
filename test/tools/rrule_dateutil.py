#!/usr/bin/python3
"""rrule_dateutil.py: the python-dateutil side of test/suites/402_rrule_dateutil.sh.

  gen DIR      writes DIR/cases.tsv (id, rule, dtstart, max, end: wall times
               in UTC) and DIR/dateutil.tsv (id, dateutil's occurrences)
  compare DIR  compares DIR/sql.tsv (isms.rrule_occurrences) and DIR/c.tsv
               (the C core, test/tools/rrule_expand.c) with dateutil; exit 1
               on any mismatch, printing the first ones.

Cases: BYWEEKNO rules over years with 53 weeks and years whose week 1
begins in December of the year before, with every WKST, alone and with
BYDAY, BYMONTH, BYMONTHDAY, BYYEARDAY, BYSETPOS, BYHOUR/BYMINUTE/BYSECOND,
INTERVAL, COUNT and UNTIL; then random rules over every FREQ and rule part.

Deliberate differences, and how the cases state them:
- a BYWEEKNO rule without BYDAY, BYMONTHDAY or BYYEARDAY takes its weekday
  from DTSTART (RFC 5545 3.3.10: information not in the rule is "derived
  from the Start Time", as FREQ=YEARLY;BYMONTH=1 takes DTSTART's day of the
  month); dateutil takes all seven days of the week, so dateutil is given
  BYDAY=<DTSTART's weekday> for those rules;
- dateutil 2.8 misnumbers the days of a week that spans two calendar years
  (it counts the last week of the previous year with this year's length,
  and never matches a negative week number against week 1 of the next
  year; its source says "TODO: Check -numweeks for next year").  RFC 5545
  3.3.10: "Week number one of the calendar year is the first week that
  contains at least four (4) days in that calendar year", with weeks
  starting on WKST.  For BYWEEKNO rules the expected occurrences are
  therefore those of weekno_oracle() below, written from that sentence
  alone; it is itself checked against Python's date.isocalendar() (WKST=MO)
  and must agree with dateutil on every rule whose occurrences avoid weeks
  that span two years.  The compare step reports how many rules dateutil
  gets wrong that way;
- BYSETPOS picks among the occurrences of the whole interval (RFC 5545
  3.3.10: "the nth occurrence within the set of recurrence instances
  specified by the rule"; for WEEKLY the week starts on WKST, "significant
  when a WEEKLY RRULE has an interval greater than 1"), so in DTSTART's
  week a pick may fall before DTSTART and not occur; dateutil starts that
  first week at DTSTART and picks among the days left.  For WEEKLY rules
  with BYSETPOS the occurrences of DTSTART's week are left out of the
  comparison (and those with COUNT are not compared), and counted.
"""
import datetime as D
import random
import signal
import sys

from dateutil import rrule as R

WD = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
FMT = '%Y%m%dT%H%M%S'
MAX = 25


def weekno_cases(rnd):
    # 53-week years (ISO): 2004 2009 2015 2020 2026 2032; week 1 starting in
    # the previous December: 2003 2008 2014 2019 2025 2026 2030 ...
    years = [2003, 2004, 2008, 2009, 2014, 2015, 2019, 2020, 2021, 2024, 2025, 2026, 2027, 2032]
    weeknos = ['1', '-1', '53', '-53', '52', '1,-1', '2,26,-2', '1,53', '-52', '1,2,3', '27', '-1,-53']
    extras = ['', ';BYDAY=MO', ';BYDAY=SU,TH', ';BYDAY=MO,TU,WE,TH,FR,SA,SU', ';BYMONTH=1,12',
              ';BYMONTH=12;BYDAY=SA,SU', ';BYDAY=MO,FR;BYSETPOS=1,-1', ';BYDAY=TU;COUNT=7',
              ';INTERVAL=2;BYDAY=WE', ';INTERVAL=3', ';BYMONTHDAY=1,31,-1', ';BYYEARDAY=1,-1,200,-365',
              ';BYHOUR=6,18;BYMINUTE=0,30;BYDAY=WE', ';BYDAY=SA;BYSETPOS=-1', ';BYSECOND=0,59;BYDAY=TH',
              ';BYDAY=MO,SU;UNTIL=%d1231T235959', ';BYMONTH=1;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=1,2,-1',
              ';COUNT=3', ';BYMONTHDAY=29,30,31;BYMONTH=12']
    out = []
    for y in years:
        for wkst in WD:
            for wn in weeknos:
                for ex in rnd.sample(extras, 2):
                    if '%d' in ex:
                        ex = ex % (y + rnd.choice([0, 1, 5]))
                    if rnd.random() < 0.5:
                        st = D.datetime(y, 1, 1, 9, 0, 0)
                    else:
                        st = D.datetime(y, 1, 1) + D.timedelta(days=rnd.choice([0, 2, 5, 100, 200, 360, 362, 364]),
                                                               seconds=rnd.randrange(86400))
                    rule = 'FREQ=YEARLY;BYWEEKNO=%s;WKST=%s%s' % (wn, wkst, ex)
                    out.append((rule, st, st + D.timedelta(days=366 * 40)))
    return out


def random_cases(rnd, n):
    freqs = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']
    span = {'SECONDLY': 1, 'MINUTELY': 3, 'HOURLY': 60, 'DAILY': 3 * 366, 'WEEKLY': 8 * 366,
            'MONTHLY': 30 * 366, 'YEARLY': 60 * 366}
    out = []

    def nums(lo, hi, signed, k):
        v = rnd.sample(range(lo, hi + 1), k)
        return ','.join(str(-x if signed and rnd.random() < 0.3 else x) for x in v)
    while len(out) < n:
        f = rnd.choice(freqs)
        parts = ['FREQ=' + f]
        if rnd.random() < 0.4:
            parts.append('INTERVAL=%d' % rnd.choice([1, 2, 3, 5]))
        bys = []
        if rnd.random() < 0.3:
            bys.append('BYMONTH=' + nums(1, 12, False, rnd.randint(1, 3)))
        if f != 'WEEKLY' and rnd.random() < 0.3:
            bys.append('BYMONTHDAY=' + nums(1, 31, True, rnd.randint(1, 3)))
        if f == 'YEARLY' and rnd.random() < 0.2:
            bys.append('BYYEARDAY=' + nums(1, 366, True, rnd.randint(1, 3)))
        weekno = f == 'YEARLY' and rnd.random() < 0.25
        if weekno:
            bys.append('BYWEEKNO=' + nums(1, 53, True, rnd.randint(1, 3)))
        if rnd.random() < 0.5:
            days = rnd.sample(WD, rnd.randint(1, 3))
            if f in ('MONTHLY', 'YEARLY') and not weekno and rnd.random() < 0.4:
                days = ['%d%s' % (rnd.choice([1, 2, -1, -2, 3]), d) for d in days]
            bys.append('BYDAY=' + ','.join(days))
        if rnd.random() < 0.25:
            bys.append('BYHOUR=' + nums(0, 23, False, rnd.randint(1, 3)))
        if rnd.random() < 0.2:
            bys.append('BYMINUTE=' + nums(0, 59, False, rnd.randint(1, 3)))
        if rnd.random() < 0.15:
            bys.append('BYSECOND=' + nums(0, 59, False, rnd.randint(1, 2)))
        if bys and rnd.random() < 0.25:
            bys.append('BYSETPOS=' + ','.join(str(rnd.choice([1, 2, -1, -2, 3])) for _ in range(rnd.randint(1, 2))))
        if rnd.random() < 0.3:
            bys.append('WKST=' + rnd.choice(WD))
        rnd.shuffle(bys)
        parts += bys
        st = D.datetime(rnd.choice([1999, 2020, 2024, 2025, 2026, 2027]), 1, 1) + \
            D.timedelta(days=rnd.randrange(366), seconds=rnd.randrange(86400))
        end = st + D.timedelta(days=span[f])
        r = rnd.random()
        if r < 0.3:
            parts.append('COUNT=%d' % rnd.randint(1, 30))
        elif r < 0.5:
            parts.append('UNTIL=' + (st + D.timedelta(seconds=rnd.randrange(int(span[f] * 86400 * 0.7) + 1))).strftime(FMT))
        elif r < 0.55 and f in ('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'):
            # a DATE UNTIL: its midnight, inclusive (dateutil reads it so)
            parts.append('UNTIL=' + (st + D.timedelta(days=rnd.randrange(span[f]))).strftime('%Y%m%d'))
            if rnd.random() < 0.5:
                st = st.replace(hour=0, minute=0, second=0)
        out.append((';'.join(parts), st, end))
    return out


def week1(wy, wkst):
    """First day of week 1 of week-numbering year wy: the week holding 4 January."""
    j4 = D.date(wy, 1, 4)
    return j4 - D.timedelta((j4.weekday() - wkst) % 7)


def week_of(d, wkst):
    """(week-numbering year, week number, weeks in that year) of date d."""
    for wy in (d.year + 1, d.year, d.year - 1):
        s = week1(wy, wkst)
        if d >= s:
            return wy, (d - s).days // 7 + 1, (week1(wy + 1, wkst) - s).days // 7


def weekno_oracle(rule, st, end):
    """A FREQ=YEARLY;BYWEEKNO rule's first MAX occurrences up to end, by brute
    force from RFC 5545 3.3.10: each calendar year's days in the listed weeks
    (of whichever week-numbering year they belong to), filtered by the other
    day parts, times the BYHOUR/BYMINUTE/BYSECOND expansion, BYSETPOS on
    that set; only what the cases generate (BYDAY without numbers)."""
    p = dict(x.split('=', 1) for x in rule.split(';'))
    iv = int(p.get('INTERVAL', 1))
    wkst = WD.index(p.get('WKST', 'MO'))
    L = lambda k: [int(v) for v in p[k].split(',')] if k in p else None
    wn, bm, byd, bmd, sp = L('BYWEEKNO'), L('BYMONTH'), L('BYYEARDAY'), L('BYMONTHDAY'), L('BYSETPOS')
    bd = [WD.index(v) for v in p['BYDAY'].split(',')] if 'BYDAY' in p else None
    if bd is None:
        bd = [st.weekday()] if bmd is None and byd is None else list(range(7))
    hs = sorted(set(L('BYHOUR') or [st.hour]))
    ms = sorted(set(L('BYMINUTE') or [st.minute]))
    ss = sorted(set(L('BYSECOND') or [st.second]))
    count = int(p['COUNT']) if 'COUNT' in p else None
    until = None
    if 'UNTIL' in p:
        u = p['UNTIL'].rstrip('Z')
        until = D.datetime.strptime(u, FMT if 'T' in u else '%Y%m%d')
    out, ret, y = [], 0, st.year
    while y <= end.year:
        days = set()
        for wy in (y - 1, y, y + 1):
            n_weeks = (week1(wy + 1, wkst) - week1(wy, wkst)).days // 7
            for n in wn:
                w = n if n > 0 else n_weeks + 1 + n
                if 1 <= w <= n_weeks:
                    for k in range(7):
                        d = week1(wy, wkst) + D.timedelta(7 * (w - 1) + k)
                        if d.year == y:
                            days.add(d)
        ylen = 366 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 365
        keep = []
        for d in sorted(days):
            doy = d.timetuple().tm_yday
            mlen = ((d.replace(day=28) + D.timedelta(4)).replace(day=1) - D.timedelta(1)).day
            if (bm is None or d.month in bm) and d.weekday() in bd and \
               (byd is None or any(v == doy or v == doy - ylen - 1 for v in byd)) and \
               (bmd is None or any(v == d.day or v == d.day - mlen - 1 for v in bmd)):
                keep.append(d)
        cand = [D.datetime(d.year, d.month, d.day, h, m, s) for d in keep for h in hs for m in ms for s in ss]
        if sp:
            idx = sorted(set(i - 1 if i > 0 else len(cand) + i for i in sp))
            cand = [cand[i] for i in idx if 0 <= i < len(cand)]
        for t in cand:
            if t < st:
                continue
            if (until and t > until) or t > end or (count is not None and ret >= count) or len(out) >= MAX:
                return ';'.join(out)
            ret += 1
            out.append(t.strftime(FMT))
        y += iv
    return ';'.join(out)


def spans_years(occ, wkst):
    """Does any occurrence fall in a week that spans two calendar years?"""
    for o in occ.split(';') if occ else []:
        d = D.datetime.strptime(o, FMT).date()
        start = d - D.timedelta((d.weekday() - wkst) % 7)
        if start.year != (start + D.timedelta(6)).year:
            return True
    return False


def for_dateutil(rule, st):
    """The rule as dateutil should read it (see the module comment)."""
    p = dict(x.split('=', 1) for x in rule.split(';'))
    if 'BYWEEKNO' in p and not any(k in p for k in ('BYDAY', 'BYMONTHDAY', 'BYYEARDAY')):
        rule += ';BYDAY=' + WD[st.weekday()]
    return rule


class Slow(Exception):
    pass


def on_alarm(signum, frame):
    raise Slow()


def dateutil_occ(rule, st, end):
    """dateutil's first MAX occurrences up to end; a marker when it refuses
    the rule or searches for more than a second (a rule with nothing in
    the range: dateutil searches up to the year 9999)."""
    try:
        it = R.rrulestr(for_dateutil(rule, st), dtstart=st)
    except Exception:
        return 'dateutil-refused'
    occ = []
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        for t in it:
            if t > end or len(occ) >= MAX:
                break
            occ.append(t.strftime(FMT))
    except Slow:
        return 'dateutil-slow'
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return ';'.join(occ)


def gen(d):
    signal.signal(signal.SIGALRM, on_alarm)
    rnd = random.Random(5545)
    cases = weekno_cases(rnd) + random_cases(rnd, 2500)
    with open(d + '/cases.tsv', 'w') as c, open(d + '/dateutil.tsv', 'w') as e, \
            open(d + '/oracle.tsv', 'w') as o:
        for i, (rule, st, end) in enumerate(cases):
            c.write('%d\t%s\t%s\t%d\t%s\n' % (i, rule, st.strftime(FMT), MAX, end.strftime(FMT)))
            e.write('%d\t%s\n' % (i, dateutil_occ(rule, st, end)))
            if 'BYWEEKNO' in rule:
                o.write('%d\t%s\n' % (i, weekno_oracle(rule, st, end)))
    print('rrule_dateutil: %d cases (%d with BYWEEKNO)' %
          (len(cases), sum('BYWEEKNO' in c[0] for c in cases)))


def read(path, sep='\t'):
    out = {}
    for line in open(path):
        line = line.rstrip('\n')
        k, _, v = line.partition(sep)
        out[k] = v
    return out


def compare(d):
    cases = {}
    for line in open(d + '/cases.tsv'):
        i, rule, st, _, end = line.rstrip('\n').split('\t')
        cases[i] = (rule, st, end)
    dateutil = read(d + '/dateutil.tsv')
    oracle = read(d + '/oracle.tsv')
    sql = read(d + '/sql.tsv')
    c = read(d + '/c.tsv', ' ')
    bad = []
    skipped = 0
    dateutil_wrong = 0
    # the oracle's week numbers are ISO 8601's for WKST=MO
    day = D.date(1990, 1, 1)
    while day.year < 2060:
        wy, w, _ = week_of(day, 0)
        if (wy, w) != tuple(day.isocalendar()[:2]):
            bad.append('oracle: week of %s is %s-W%02d, ISO says %s' % (day, wy, w, day.isocalendar()))
        day += D.timedelta(1)
    first_week = 0
    for i, (rule, st, end) in cases.items():
        want = dateutil[i]
        p = dict(x.split('=', 1) for x in rule.split(';'))
        if p['FREQ'] == 'WEEKLY' and 'BYSETPOS' in p and want not in ('dateutil-refused', 'dateutil-slow'):
            s0 = D.datetime.strptime(st, FMT).date()
            nxt = (s0 - D.timedelta((s0.weekday() - WD.index(p.get('WKST', 'MO'))) % 7) +
                   D.timedelta(7)).strftime('%Y%m%d')
            tail = lambda occ: [o for o in occ.split(';') if o and o[:8] >= nxt] if occ != 'refused' else []
            got = {'SQL': tail(sql.get(i, '')), 'C core': tail(c.get(i, ''))}
            exp = tail(want)
            if got['C core'] != exp or got['SQL'] != exp:
                first_week += 1
            if 'COUNT' in p:
                continue
            for name in got:
                n = min(len(got[name]), len(exp))
                if got[name][:n] != exp[:n]:
                    bad.append('%s %s from %s (after the first week):\n  expected %s\n  %-8s %s' %
                               (name, rule, st, ';'.join(exp), name, ';'.join(got[name])))
            continue
        if 'BYWEEKNO' in rule:
            want = oracle[i]
            if dateutil[i] != oracle[i] and dateutil[i] not in ('dateutil-refused', 'dateutil-slow'):
                wkst = WD.index(p.get('WKST', 'MO'))
                if not (spans_years(dateutil[i], wkst) or spans_years(oracle[i], wkst)):
                    bad.append('oracle %s from %s (to %s): dateutil %s, oracle %s' %
                               (rule, st, end, dateutil[i], oracle[i]))
                dateutil_wrong += 1
        elif want in ('dateutil-refused', 'dateutil-slow'):
            skipped += 1
            continue
        for name, got in (('SQL', sql.get(i)), ('C core', c.get(i))):
            # a rule with no occurrence at all is refused (22P02)
            if got == 'refused' and want == '':
                continue
            if got != want:
                bad.append('%s %s from %s (to %s):\n  expected %s\n  %-8s %s' %
                           (name, rule, st, end, want or '(none)', name, got or '(none)'))
    weekno = sum('BYWEEKNO' in r for r, _, _ in cases.values())
    for b in bad[:30]:
        print(b)
    print('rrule_dateutil: %d cases (%d BYWEEKNO, checked against the RFC oracle; dateutil misnumbers '
          'a year-spanning week in %d of them), %d WEEKLY+BYSETPOS rules differing in DTSTART\'s week only, '
          '%d skipped (dateutil refuses or searches > 1 s), %d mismatches'
          % (len(cases), weekno, dateutil_wrong, first_week, skipped, len(bad)))
    # dateutil's one-second limit makes the skipped count depend on the load
    sys.exit(1 if bad or skipped > len(cases) // 10 else 0)


if __name__ == '__main__':
    {'gen': gen, 'compare': compare}[sys.argv[1]](sys.argv[2])
