-- 402_rrule_rfc5545: every example of RFC 5545 section 3.8.5.3 (Recurrence
-- Rule), expanded by isms.rrule_occurrences from the RFC's DTSTART in
-- America/New_York and compared with the dates the RFC lists (for a rule
-- that runs forever, the dates it lists before "...").  UNTIL values with
-- "Z" are compared as the wall times they spell, which gives the RFC's
-- lists (its "every 3 hours ... UNTIL=19970902T170000Z" lists 15:00).
\i test/regress/setup.sql
SET timezone = 'America/New_York';
-- Local date-times 'YYYYMMDDTHHMI' of the first n occurrences.
CREATE FUNCTION pg_temp.occ(rule text, dtstart timestamp, n int) RETURNS text[]
LANGUAGE sql AS $$
  SELECT coalesce(array_agg(to_char(o, 'YYYYMMDD"T"HH24MI') ORDER BY o), '{}')
    FROM isms.rrule_occurrences(rule, dtstart::timestamptz, NULL, NULL, n) o
$$;
-- Days at 09:00 from first to last (inclusive) every step days, as the RFC's ranges.
CREATE FUNCTION pg_temp.days(first date, last date, step int DEFAULT 1) RETURNS text[]
LANGUAGE sql AS $$
  SELECT array_agg(to_char(d, 'YYYYMMDD"T0900"') ORDER BY d)
    FROM generate_series(first, last, step * interval '1 day') d
$$;
-- Dates 'YYYYMMDD' (at 09:00) as listed.
CREATE FUNCTION pg_temp.at9(VARIADIC d text[]) RETURNS text[]
LANGUAGE sql AS $$ SELECT array_agg(x || 'T0900' ORDER BY o) FROM unnest(d) WITH ORDINALITY u(x, o) $$;

CREATE TEMP TABLE rfc (example text, dtstart timestamp, rule text, expected text[]);
INSERT INTO rfc VALUES
('Daily for 10 occurrences', '1997-09-02 09:00', 'FREQ=DAILY;COUNT=10',
 pg_temp.days('1997-09-02', '1997-09-11')),
('Daily until December 24, 1997', '1997-09-02 09:00', 'FREQ=DAILY;UNTIL=19971224T000000Z',
 pg_temp.days('1997-09-02', '1997-12-23')),
('Every other day - forever', '1997-09-02 09:00', 'FREQ=DAILY;INTERVAL=2',
 pg_temp.days('1997-09-02', '1997-12-31', 2)),
('Every 10 days, 5 occurrences', '1997-09-02 09:00', 'FREQ=DAILY;INTERVAL=10;COUNT=5',
 pg_temp.at9('19970902', '19970912', '19970922', '19971002', '19971012')),
('Every day in January, for 3 years (YEARLY)', '1998-01-01 09:00',
 'FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA',
 pg_temp.days('1998-01-01', '1998-01-31') || pg_temp.days('1999-01-01', '1999-01-31') || pg_temp.days('2000-01-01', '2000-01-31')),
('Every day in January, for 3 years (DAILY)', '1998-01-01 09:00',
 'FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1',
 pg_temp.days('1998-01-01', '1998-01-31') || pg_temp.days('1999-01-01', '1999-01-31') || pg_temp.days('2000-01-01', '2000-01-31')),
('Weekly for 10 occurrences', '1997-09-02 09:00', 'FREQ=WEEKLY;COUNT=10',
 pg_temp.days('1997-09-02', '1997-11-04', 7)),
('Weekly until December 24, 1997', '1997-09-02 09:00', 'FREQ=WEEKLY;UNTIL=19971224T000000Z',
 pg_temp.days('1997-09-02', '1997-12-23', 7)),
('Every other week - forever', '1997-09-02 09:00', 'FREQ=WEEKLY;INTERVAL=2;WKST=SU',
 pg_temp.days('1997-09-02', '1998-02-17', 14)),
('Weekly on Tuesday and Thursday for five weeks (UNTIL)', '1997-09-02 09:00',
 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH',
 pg_temp.at9('19970902', '19970904', '19970909', '19970911', '19970916', '19970918', '19970923', '19970925', '19970930', '19971002')),
('Weekly on Tuesday and Thursday for five weeks (COUNT)', '1997-09-02 09:00',
 'FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH',
 pg_temp.at9('19970902', '19970904', '19970909', '19970911', '19970916', '19970918', '19970923', '19970925', '19970930', '19971002')),
('Every other week on Monday, Wednesday, and Friday until December 24, 1997', '1997-09-01 09:00',
 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR',
 pg_temp.at9('19970901', '19970903', '19970905', '19970915', '19970917', '19970919', '19970929', '19971001', '19971003',
             '19971013', '19971015', '19971017', '19971027', '19971029', '19971031', '19971110', '19971112', '19971114',
             '19971124', '19971126', '19971128', '19971208', '19971210', '19971212', '19971222')),
('Every other week on Tuesday and Thursday, for 8 occurrences', '1997-09-02 09:00',
 'FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH',
 pg_temp.at9('19970902', '19970904', '19970916', '19970918', '19970930', '19971002', '19971014', '19971016')),
('Monthly on the first Friday for 10 occurrences', '1997-09-05 09:00', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR',
 pg_temp.at9('19970905', '19971003', '19971107', '19971205', '19980102', '19980206', '19980306', '19980403', '19980501', '19980605')),
('Monthly on the first Friday until December 24, 1997', '1997-09-05 09:00',
 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR',
 pg_temp.at9('19970905', '19971003', '19971107', '19971205')),
('Every other month on the first and last Sunday of the month for 10 occurrences', '1997-09-07 09:00',
 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU',
 pg_temp.at9('19970907', '19970928', '19971102', '19971130', '19980104', '19980125', '19980301', '19980329', '19980503', '19980531')),
('Monthly on the second-to-last Monday of the month for 6 months', '1997-09-22 09:00',
 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO',
 pg_temp.at9('19970922', '19971020', '19971117', '19971222', '19980119', '19980216')),
('Monthly on the third-to-the-last day of the month, forever', '1997-09-28 09:00', 'FREQ=MONTHLY;BYMONTHDAY=-3',
 pg_temp.at9('19970928', '19971029', '19971128', '19971229', '19980129', '19980226')),
('Monthly on the 2nd and 15th of the month for 10 occurrences', '1997-09-02 09:00',
 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15',
 pg_temp.at9('19970902', '19970915', '19971002', '19971015', '19971102', '19971115', '19971202', '19971215', '19980102', '19980115')),
('Monthly on the first and last day of the month for 10 occurrences', '1997-09-30 09:00',
 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1',
 pg_temp.at9('19970930', '19971001', '19971031', '19971101', '19971130', '19971201', '19971231', '19980101', '19980131', '19980201')),
('Every 18 months on the 10th thru 15th of the month for 10 occurrences', '1997-09-10 09:00',
 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
 pg_temp.days('1997-09-10', '1997-09-15') || pg_temp.days('1999-03-10', '1999-03-13')),
('Every Tuesday, every other month', '1997-09-02 09:00', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU',
 pg_temp.at9('19970902', '19970909', '19970916', '19970923', '19970930', '19971104', '19971111', '19971118', '19971125',
             '19980106', '19980113', '19980120', '19980127', '19980303', '19980310', '19980317', '19980324', '19980331')),
('Yearly in June and July for 10 occurrences', '1997-06-10 09:00', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7',
 pg_temp.at9('19970610', '19970710', '19980610', '19980710', '19990610', '19990710', '20000610', '20000710', '20010610', '20010710')),
('Every other year on January, February, and March for 10 occurrences', '1997-03-10 09:00',
 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3',
 pg_temp.at9('19970310', '19990110', '19990210', '19990310', '20010110', '20010210', '20010310', '20030110', '20030210', '20030310')),
('Every third year on the 1st, 100th, and 200th day for 10 occurrences', '1997-01-01 09:00',
 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200',
 pg_temp.at9('19970101', '19970410', '19970719', '20000101', '20000409', '20000718', '20030101', '20030410', '20030719', '20060101')),
('Every 20th Monday of the year, forever', '1997-05-19 09:00', 'FREQ=YEARLY;BYDAY=20MO',
 pg_temp.at9('19970519', '19980518', '19990517')),
('Monday of week number 20 (where the default start of the week is Monday), forever', '1997-05-12 09:00',
 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO',
 pg_temp.at9('19970512', '19980511', '19990517')),
('Every Thursday in March, forever', '1997-03-13 09:00', 'FREQ=YEARLY;BYMONTH=3;BYDAY=TH',
 pg_temp.at9('19970313', '19970320', '19970327', '19980305', '19980312', '19980319', '19980326', '19990304', '19990311', '19990318', '19990325')),
('Every Thursday, but only during June, July, and August, forever', '1997-06-05 09:00',
 'FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8',
 pg_temp.at9('19970605', '19970612', '19970619', '19970626', '19970703', '19970710', '19970717', '19970724', '19970731',
             '19970807', '19970814', '19970821', '19970828', '19980604', '19980611', '19980618', '19980625', '19980702',
             '19980709', '19980716', '19980723', '19980730', '19980806', '19980813', '19980820', '19980827', '19990603',
             '19990610', '19990617', '19990624', '19990701', '19990708', '19990715', '19990722', '19990729', '19990805',
             '19990812', '19990819', '19990826')),
-- The RFC excludes DTSTART with EXDATE; it is no Friday the 13th, so the rule alone does not give it.
('Every Friday the 13th, forever', '1997-09-02 09:00', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
 pg_temp.at9('19980213', '19980313', '19981113', '19990813', '20001013')),
('The first Saturday that follows the first Sunday of the month, forever', '1997-09-13 09:00',
 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13',
 pg_temp.at9('19970913', '19971011', '19971108', '19971213', '19980110', '19980207', '19980307', '19980411', '19980509', '19980613')),
('Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)', '1996-11-05 09:00',
 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
 pg_temp.at9('19961105', '20001107', '20041102')),
('The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months', '1997-09-04 09:00',
 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3',
 pg_temp.at9('19970904', '19971007', '19971106')),
('The second-to-last weekday of the month', '1997-09-29 09:00', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2',
 pg_temp.at9('19970929', '19971030', '19971127', '19971230', '19980129', '19980226', '19980330')),
('Every 3 hours from 9:00 AM to 5:00 PM on a specific day', '1997-09-02 09:00',
 'FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z',
 ARRAY['19970902T0900', '19970902T1200', '19970902T1500']),
('Every 15 minutes for 6 occurrences', '1997-09-02 09:00', 'FREQ=MINUTELY;INTERVAL=15;COUNT=6',
 ARRAY['19970902T0900', '19970902T0915', '19970902T0930', '19970902T0945', '19970902T1000', '19970902T1015']),
('Every hour and a half for 4 occurrences', '1997-09-02 09:00', 'FREQ=MINUTELY;INTERVAL=90;COUNT=4',
 ARRAY['19970902T0900', '19970902T1030', '19970902T1200', '19970902T1330']),
('Every 20 minutes from 9:00 AM to 4:40 PM every day (DAILY)', '1997-09-02 09:00',
 'FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40',
 (SELECT array_agg(to_char(t, 'YYYYMMDD"T"HH24MI') ORDER BY t)
    FROM generate_series(timestamp '1997-09-02 00:00', '1997-09-03 23:59', '20 minutes') t
   WHERE t::time BETWEEN '09:00' AND '16:40')),
('Every 20 minutes from 9:00 AM to 4:40 PM every day (MINUTELY)', '1997-09-02 09:00',
 'FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16',
 (SELECT array_agg(to_char(t, 'YYYYMMDD"T"HH24MI') ORDER BY t)
    FROM generate_series(timestamp '1997-09-02 00:00', '1997-09-03 23:59', '20 minutes') t
   WHERE t::time BETWEEN '09:00' AND '16:40')),
('The days generated make a difference because of WKST (WKST=MO)', '1997-08-05 09:00',
 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO',
 pg_temp.at9('19970805', '19970810', '19970819', '19970824')),
('The days generated make a difference because of WKST (WKST=SU)', '1997-08-05 09:00',
 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU',
 pg_temp.at9('19970805', '19970817', '19970819', '19970831')),
('An invalid date (i.e., February 30) is ignored', '2007-01-15 09:00', 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5',
 pg_temp.at9('20070115', '20070130', '20070215', '20070315', '20070330'));

-- Each example: the RFC's dates, in order, and for a bounded rule nothing more.
SELECT example,
       CASE WHEN rule ~ '(COUNT|UNTIL)=' THEN pg_temp.occ(rule, dtstart, cardinality(expected) + 1)
            ELSE pg_temp.occ(rule, dtstart, cardinality(expected)) END = expected AS matches_rfc
  FROM rfc ORDER BY example;
-- How many examples, how many occurrences checked, and any that differ.
SELECT count(*) AS examples, sum(cardinality(expected)) AS dates_checked FROM rfc;
SELECT example, pg_temp.occ(rule, dtstart, cardinality(expected)) AS got, expected
  FROM rfc WHERE pg_temp.occ(rule, dtstart, cardinality(expected)) IS DISTINCT FROM expected;
-- rrule_next walks the same occurrences: the one after each listed date is the next listed.
SELECT count(*) AS next_mismatches
  FROM rfc, generate_subscripts(expected, 1) i
 WHERE i < cardinality(expected)
   AND to_char(isms.rrule_next(rule, dtstart::timestamptz, to_timestamp(expected[i], 'YYYYMMDD"T"HH24MI')),
               'YYYYMMDD"T"HH24MI') IS DISTINCT FROM expected[i + 1];
