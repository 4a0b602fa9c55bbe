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

The one deliberate difference, and how the cases state it: a BYWEEKNO rule
without BYDAY, BYMONTHDAY or BYYEARDAY takes its weekday from DTSTART
(RFC 5545 3.3.10: information not in the rule is "derived from the Start
Time", as FREQ=YEARLY;BYMONTH=1 takes DTSTART's day of the month);
dateutil takes all seven days of the week, so dateutil is given
BYDAY=<DTSTART's weekday> for those rules.
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
                for ex in rnd.sample(extras, 3):
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
    cases = weekno_cases(rnd) + random_cases(rnd, 3000)
    with open(d + '/cases.tsv', 'w') as c, open(d + '/dateutil.tsv', 'w') as e:
        for i, (rule, st, end) in enumerate(cases):
            c.write('%d\t%s\t%s\t%d\t%s\n' % (i, rule, st.strftime(FMT), MAX, end.strftime(FMT)))
            e.write('%d\t%s\n' % (i, dateutil_occ(rule, st, end)))
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
    want = read(d + '/dateutil.tsv')
    sql = read(d + '/sql.tsv')
    c = read(d + '/c.tsv', ' ')
    bad = []
    skipped = 0
    for i, (rule, st, end) in cases.items():
        if want[i] in ('dateutil-refused', 'dateutil-slow'):
            skipped += 1
            continue
        for name, got in (('SQL', sql.get(i)), ('C core', c.get(i))):
            if got != want[i]:
                bad.append('%s %s from %s (to %s):\n  dateutil %s\n  %-8s %s' %
                           (name, rule, st, end, want[i] or '(none)', name, got or '(none)'))
    weekno = sum('BYWEEKNO' in r for r, _, _ in cases.values())
    for b in bad[:30]:
        print(b)
    print('rrule_dateutil: %d cases (%d BYWEEKNO), %d skipped (dateutil refuses or searches > 1 s), %d mismatches'
          % (len(cases), weekno, skipped, len(bad)))
    sys.exit(1 if bad or len(cases) - skipped < 6000 or skipped > 100 else 0)


if __name__ == '__main__':
    {'gen': gen, 'compare': compare}[sys.argv[1]](sys.argv[2])
