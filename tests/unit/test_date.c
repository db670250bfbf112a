/*
 * Unit tests: dates and Finnish banking days (base/date.c).
 *
 * The expected values are computed here a second way, never copied from
 * the module: day numbers and weekdays through the C library's timegm()
 * and gmtime_r(), Easter by Carter's method (valid 1900-2099) instead of
 * the Meeus/Jones/Butcher computus, Midsummer Eve by scanning 19-25 June
 * for the Friday, Ascension Day by adding 39 days in a struct tm.  A few
 * published Easter dates pin both methods to the calendar.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "base/date.h"

/* ---- the independent calendar ------------------------------------- */

static day_t
ref_day(int y, int m, int d)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;		/* may overflow the month: timegm normalises */
	tm.tm_hour = 12;
	t = timegm(&tm);
	return (day_t)((t - 43200) / 86400);	/* exact, also before 1970 */
}

static void
ref_ymd(day_t day, int *y, int *m, int *d)
{
	time_t t = (time_t)day * 86400 + 43200;
	struct tm tm;

	gmtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

/* 0 = Monday ... 6 = Sunday, from the C library's tm_wday (0 = Sunday) */
static int
ref_weekday(day_t day)
{
	time_t t = (time_t)day * 86400 + 43200;
	struct tm tm;

	gmtime_r(&t, &tm);
	return (tm.tm_wday + 6) % 7;
}

/* Carter's Easter algorithm, 1900-2099. */
static day_t
ref_easter(int y)
{
	int b = 225 - 11 * (y % 19);
	int d = (b - 21) % 30 + 21;
	int e, q;

	if (d > 48)
		d--;
	e = (y + y / 4 + d + 1) % 7;
	q = d + 7 - e;
	return q < 32 ? ref_day(y, 3, q) : ref_day(y, 4, q - 31);
}

static day_t
ref_midsummer_eve(int y)
{
	int d;

	for (d = 19; d <= 25; d++)
		if (ref_weekday(ref_day(y, 6, d)) == 4)
			return ref_day(y, 6, d);
	cr_assert_fail("no Friday in 19-25 June %d", y);
	return 0;
}

#define MAXHOL 16

/* The Finnish bank holidays of year y that can fall on a weekday. */
static int
ref_holidays(int y, day_t *h)
{
	day_t easter = ref_easter(y);
	int n = 0, ey, em, ed;

	h[n++] = ref_day(y, 1, 1);	/* New Year's Day */
	h[n++] = ref_day(y, 1, 6);	/* Epiphany */
	h[n++] = easter - 2;		/* Good Friday */
	h[n++] = easter + 1;		/* Easter Monday */
	h[n++] = ref_day(y, 5, 1);	/* May Day */
	ref_ymd(easter, &ey, &em, &ed);
	h[n++] = ref_day(ey, em, ed + 39);	/* Ascension Day */
	h[n++] = ref_midsummer_eve(y);
	h[n++] = ref_day(y, 12, 6);	/* Independence Day */
	h[n++] = ref_day(y, 12, 24);
	h[n++] = ref_day(y, 12, 25);
	h[n++] = ref_day(y, 12, 26);
	return n;
}

static int
ref_banking(day_t day)
{
	day_t h[MAXHOL];
	int y, m, d, i, n;

	if (ref_weekday(day) >= 5)
		return 0;
	ref_ymd(day, &y, &m, &d);
	n = ref_holidays(y, h);
	for (i = 0; i < n; i++)
		if (h[i] == day)
			return 0;
	return 1;
}

/* ---- helpers -------------------------------------------------------- */

static day_t
D(int y, int m, int d)
{
	day_t day = -1;

	cr_assert_eq(date_from_ymd(y, m, d, &day), 0, "%04d-%02d-%02d", y, m,
	    d);
	return day;
}

static const char *
fmt(day_t day)
{
	static char buf[4][DATE_BUFSZ];
	static int i;

	i = (i + 1) % 4;
	return date_format(day, buf[i]);
}

static void
iso_ok(const char *s, int y, int m, int d)
{
	day_t day = 12345;

	cr_assert_eq(date_parse_iso(s, strlen(s), &day), 0, "'%s' should parse",
	    s);
	cr_assert_eq(day, ref_day(y, m, d), "'%s' gave %s", s, fmt(day));
}

static void
iso_bad(const char *s)
{
	day_t day = 12345;

	cr_assert_eq(date_parse_iso(s, strlen(s), &day), -1,
	    "'%s' should be refused", s);
}

/* ---- calendar ------------------------------------------------------- */

Test(date, day_numbers_match_the_c_library_1900_2199)
{
	day_t day, expect = ref_day(1900, 1, 1);
	int y, m, d, ry, rm, rd;

	cr_assert_eq(D(1970, 1, 1), 0);
	cr_assert_eq(D(1969, 12, 31), -1);
	for (day = expect; day <= ref_day(2199, 12, 31); day++) {
		ref_ymd(day, &ry, &rm, &rd);
		cr_assert_eq(D(ry, rm, rd), day, "%d-%d-%d", ry, rm, rd);
		date_to_ymd(day, &y, &m, &d);
		cr_assert(y == ry && m == rm && d == rd,
		    "day %ld: %d-%d-%d, expected %d-%d-%d", (long)day, y, m, d,
		    ry, rm, rd);
		cr_assert_eq(date_weekday(day), ref_weekday(day), "%s",
		    fmt(day));
	}
}

Test(date, far_dates_and_weekdays)
{
	int y, m, d;

	cr_assert_eq(date_weekday(D(2026, 1, 5)), 0);	/* a Monday */
	cr_assert_eq(date_weekday(D(2026, 1, 4)), 6);
	cr_assert_eq(date_weekday(D(1970, 1, 1)), 3);
	cr_assert_eq(date_weekday(D(1, 1, 1)), 0);	/* proleptic Monday */
	cr_assert_eq(date_weekday(D(1969, 12, 29)), 0);
	date_to_ymd(D(1, 1, 1), &y, &m, &d);
	cr_assert(y == 1 && m == 1 && d == 1);
	date_to_ymd(D(9999, 12, 31), &y, &m, &d);
	cr_assert(y == 9999 && m == 12 && d == 31);
	cr_assert_str_eq(fmt(D(9999, 12, 31)), "9999-12-31");
	cr_assert_str_eq(fmt(D(1, 1, 1)), "0001-01-01");
}

Test(date, impossible_dates_are_refused)
{
	day_t day;

	cr_assert_eq(date_from_ymd(2026, 2, 29, &day), -1);
	cr_assert_eq(date_from_ymd(2024, 2, 29, &day), 0);
	cr_assert_eq(date_from_ymd(2000, 2, 29, &day), 0);
	cr_assert_eq(date_from_ymd(2100, 2, 29, &day), -1);
	cr_assert_eq(date_from_ymd(1900, 2, 29, &day), -1);
	cr_assert_eq(date_from_ymd(2026, 4, 31, &day), -1);
	cr_assert_eq(date_from_ymd(2026, 13, 1, &day), -1);
	cr_assert_eq(date_from_ymd(2026, 0, 1, &day), -1);
	cr_assert_eq(date_from_ymd(2026, 1, 0, &day), -1);
	cr_assert_eq(date_from_ymd(2026, 1, 32, &day), -1);
	cr_assert_eq(date_from_ymd(0, 1, 1, &day), -1);
	cr_assert_eq(date_from_ymd(10000, 1, 1, &day), -1);
	cr_assert_eq(date_from_ymd(-4, 1, 1, &day), -1);
}

Test(date, format_and_parse_round_trip)
{
	char buf[DATE_BUFSZ];
	day_t day, back;

	for (day = ref_day(1990, 1, 1); day <= ref_day(2110, 1, 1); day++) {
		date_format(day, buf);
		cr_assert_eq(strlen(buf), 10);
		back = DAY_NONE;
		cr_assert_eq(date_parse_iso(buf, 10, &back), 0, "%s", buf);
		cr_assert_eq(back, day, "%s", buf);
		/* and the same date as CCYYMMDD */
		{
			char c8[9];

			memcpy(c8, buf, 4);
			memcpy(c8 + 4, buf + 5, 2);
			memcpy(c8 + 6, buf + 8, 2);
			back = DAY_NONE;
			cr_assert_eq(date_parse_ccyymmdd(c8, 8, &back), 0);
			cr_assert_eq(back, day, "%.8s", c8);
		}
	}
	cr_assert_str_eq(date_format(DAY_NONE, buf), "");
}

/* ---- parsers -------------------------------------------------------- */

Test(date, yymmdd)
{
	day_t day = 0;

	cr_assert_eq(date_parse_yymmdd("260105", 6, &day), 0);
	cr_assert_eq(day, ref_day(2026, 1, 5));
	cr_assert_eq(date_parse_yymmdd("991231", 6, &day), 0);
	cr_assert_eq(day, ref_day(2099, 12, 31));
	cr_assert_eq(date_parse_yymmdd("000101", 6, &day), 0);
	cr_assert_eq(day, ref_day(2000, 1, 1));
	cr_assert_eq(date_parse_yymmdd("240229", 6, &day), 0);
	cr_assert_eq(day, ref_day(2024, 2, 29));
	/* only n bytes count: a longer field around it is not read */
	cr_assert_eq(date_parse_yymmdd("2601059", 6, &day), 0);
	cr_assert_eq(day, ref_day(2026, 1, 5));

	day = 0;
	cr_assert_eq(date_parse_yymmdd("000000", 6, &day), 0);
	cr_assert_eq(day, DAY_NONE);

	cr_assert_eq(date_parse_yymmdd("260229", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("261301", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("260100", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("260001", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("260431", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("26010", 5, &day), -1);
	cr_assert_eq(date_parse_yymmdd("2601055", 7, &day), -1);
	cr_assert_eq(date_parse_yymmdd("26 105", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd(" 60105", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("26-1-5", 6, &day), -1);
	cr_assert_eq(date_parse_yymmdd("", 0, &day), -1);
	cr_assert_eq(date_parse_yymmdd("00000 ", 6, &day), -1);
}

Test(date, ccyymmdd)
{
	day_t day = 0;

	cr_assert_eq(date_parse_ccyymmdd("20260105", 8, &day), 0);
	cr_assert_eq(day, ref_day(2026, 1, 5));
	cr_assert_eq(date_parse_ccyymmdd("19991231", 8, &day), 0);
	cr_assert_eq(day, ref_day(1999, 12, 31));
	cr_assert_eq(date_parse_ccyymmdd("20000229", 8, &day), 0);
	cr_assert_eq(day, ref_day(2000, 2, 29));
	cr_assert_eq(date_parse_ccyymmdd("21000229", 8, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("20260229", 8, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("00000000", 8, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("2026010", 7, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("202601055", 9, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("2026-1-5", 8, &day), -1);
	cr_assert_eq(date_parse_ccyymmdd("2026 105", 8, &day), -1);
}

Test(date, iso_with_time_and_zone)
{
	iso_ok("2026-01-05", 2026, 1, 5);
	iso_ok("2024-02-29", 2024, 2, 29);
	iso_ok("2026-01-05T10:00:00", 2026, 1, 5);
	iso_ok("2026-01-05T23:59:59.999+02:00", 2026, 1, 5);
	iso_ok("2026-01-05T10:00:00Z", 2026, 1, 5);
	iso_ok("2026-01-05+02:00", 2026, 1, 5);
	iso_ok("2026-01-05-05:00", 2026, 1, 5);
	iso_ok("2026-01-05Z", 2026, 1, 5);
	iso_ok(" 2026-01-05\n", 2026, 1, 5);	/* XML text node */
	iso_ok("\t2026-01-05 \r\n", 2026, 1, 5);

	iso_bad("");
	iso_bad("   ");
	iso_bad("2026-02-29");
	iso_bad("2026-13-01");
	iso_bad("2026-00-10");
	iso_bad("2026-04-31");
	iso_bad("0000-01-01");
	iso_bad("2026-1-05");
	iso_bad("2026-01-5");
	iso_bad("26-01-05");
	iso_bad("2026/01/05");
	iso_bad("20260105");
	iso_bad("2026-01-05x");
	iso_bad("2026-01-05 10:00");
	iso_bad("2026-01-0");
	iso_bad("+2026-01-05");
	iso_bad("2026-01-05 2026-01-06");
	/* a zone is Z or +hh:mm / -hh:mm, nothing else */
	iso_bad("2026-01-05Zjunk");
	iso_bad("2026-01-05+");
	iso_bad("2026-01-05-");
	iso_bad("2026-01-05+0200x");
	iso_bad("2026-01-05-junk");
	iso_bad("2026-01-05+25:00");
	iso_bad("2026-01-05+02:60");
}

Test(date, iso_reads_only_n_bytes)
{
	day_t day = 0;

	cr_assert_eq(date_parse_iso("2026-01-05junk", 10, &day), 0);
	cr_assert_eq(day, ref_day(2026, 1, 5));
	cr_assert_eq(date_parse_iso("2026-01-05", 9, &day), -1);
}

/* ---- Easter and holidays -------------------------------------------- */

Test(date, easter_published_dates)
{
	static const struct {
		int y, m, d;
	} known[] = {
		{ 1961, 4, 2 }, { 2000, 4, 23 }, { 2008, 3, 23 },
		{ 2011, 4, 24 }, { 2016, 3, 27 }, { 2019, 4, 21 },
		{ 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 },
		{ 2027, 3, 28 }, { 2038, 4, 25 }, { 2099, 4, 12 },
	};
	size_t i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		day_t want = ref_day(known[i].y, known[i].m, known[i].d);

		cr_assert_eq(date_easter(known[i].y), want, "%d: %s", known[i].y,
		    fmt(date_easter(known[i].y)));
		/* the test's own method agrees with the calendar too */
		cr_assert_eq(ref_easter(known[i].y), want, "ref %d", known[i].y);
	}
	/* beyond Carter's range, against published dates only */
	cr_assert_eq(date_easter(2285), ref_day(2285, 3, 22));
	cr_assert_eq(date_easter(1818), ref_day(1818, 3, 22));
}

Test(date, easter_1900_2099_is_a_sunday_and_matches_carter)
{
	int y;

	for (y = 1900; y <= 2099; y++) {
		day_t e = date_easter(y);

		cr_assert_eq(e, ref_easter(y), "%d: %s vs %s", y, fmt(e),
		    fmt(ref_easter(y)));
		cr_assert_eq(ref_weekday(e), 6, "%d", y);
		cr_assert(e >= ref_day(y, 3, 22) && e <= ref_day(y, 4, 25));
	}
}

Test(date, every_bank_holiday_2000_2099)
{
	int y, i, n, total = 0;

	for (y = 2000; y <= 2099; y++) {
		day_t h[MAXHOL], day;

		n = ref_holidays(y, h);
		for (i = 0; i < n; i++) {
			cr_assert(date_is_holiday(h[i]), "%s should be a holiday",
			    fmt(h[i]));
			cr_assert(!date_is_banking_day(h[i]), "%s", fmt(h[i]));
		}
		for (day = ref_day(y, 1, 1); day <= ref_day(y, 12, 31); day++) {
			int wd = ref_weekday(day);

			cr_assert_eq(date_is_banking_day(day), ref_banking(day),
			    "%s", fmt(day));
			/* on a weekday, holiday and banking day are opposites */
			if (wd < 5)
				cr_assert_eq(date_is_holiday(day), !ref_banking(day),
				    "%s", fmt(day));
			total += date_is_banking_day(day);
		}
	}
	/* about 250 banking days a year */
	cr_assert(total > 100 * 245 && total < 100 * 256, "%d", total);
}

Test(date, holidays_of_2026_by_name)
{
	/* from the published Finnish calendar for 2026 */
	cr_assert(date_is_holiday(D(2026, 1, 1)));
	cr_assert(date_is_holiday(D(2026, 1, 6)));
	cr_assert(date_is_holiday(D(2026, 4, 3)));	/* Good Friday */
	cr_assert(date_is_holiday(D(2026, 4, 6)));	/* Easter Monday */
	cr_assert(date_is_holiday(D(2026, 5, 1)));
	cr_assert(date_is_holiday(D(2026, 5, 14)));	/* Ascension Day */
	cr_assert(date_is_holiday(D(2026, 6, 19)));	/* Midsummer Eve */
	cr_assert(date_is_holiday(D(2026, 6, 20)));	/* Midsummer Day */
	cr_assert(date_is_holiday(D(2026, 12, 24)));
	cr_assert(date_is_holiday(D(2026, 12, 25)));
	cr_assert(date_is_holiday(D(2026, 12, 26)));
	cr_assert(!date_is_holiday(D(2026, 4, 2)));	/* Maundy Thursday */
	cr_assert(!date_is_holiday(D(2026, 4, 7)));
	cr_assert(!date_is_holiday(D(2026, 6, 18)));
	cr_assert(!date_is_holiday(D(2026, 6, 26)));	/* a Friday in June */
	cr_assert(!date_is_holiday(D(2026, 12, 31)));	/* New Year's Eve */
	cr_assert(!date_is_holiday(D(2026, 5, 15)));
	cr_assert(date_is_banking_day(D(2026, 12, 7)));	/* Monday after */
	cr_assert(!date_is_banking_day(D(2026, 12, 5)));	/* Saturday */
	/* Midsummer Eve on its earliest and latest dates */
	cr_assert(date_is_holiday(D(2026, 6, 19)));
	cr_assert(date_is_holiday(D(2027, 6, 25)));
	cr_assert(!date_is_holiday(D(2027, 6, 18)));
	/* Independence Day on a weekday */
	cr_assert(date_is_holiday(D(2024, 12, 6)));
	cr_assert(!date_is_banking_day(D(2024, 12, 6)));
}

/* ---- banking-day arithmetic ---------------------------------------- */

#define ADD(y, m, d, n) fmt(date_add_banking_days(D(y, m, d), n))

Test(date, add_banking_days_named_cases)
{
	/* Easter 2026: Good Friday 3 April, Easter Monday 6 April */
	cr_assert_str_eq(ADD(2026, 4, 2, 1), "2026-04-07");
	cr_assert_str_eq(ADD(2026, 4, 2, 2), "2026-04-08");
	cr_assert_str_eq(ADD(2026, 4, 7, -1), "2026-04-02");
	cr_assert_str_eq(ADD(2026, 4, 6, -1), "2026-04-02");
	cr_assert_str_eq(ADD(2026, 4, 3, 1), "2026-04-07");
	/* n = 0: the day itself if a banking day, else the next one */
	cr_assert_str_eq(ADD(2026, 4, 3, 0), "2026-04-07");
	cr_assert_str_eq(ADD(2026, 4, 2, 0), "2026-04-02");
	cr_assert_str_eq(ADD(2026, 1, 3, 0), "2026-01-05");	/* Saturday */
	cr_assert_str_eq(ADD(2026, 12, 24, 0), "2026-12-28");
	/* Midsummer 2026: Eve Friday 19 June */
	cr_assert_str_eq(ADD(2026, 6, 18, 1), "2026-06-22");
	cr_assert_str_eq(ADD(2026, 6, 22, -1), "2026-06-18");
	/* Christmas and New Year 2025/2026: 24-26 Dec Wed-Fri, 1 Jan Thu,
	 * 6 Jan Tue */
	cr_assert_str_eq(ADD(2025, 12, 23, 1), "2025-12-29");
	cr_assert_str_eq(ADD(2025, 12, 29, -1), "2025-12-23");
	cr_assert_str_eq(ADD(2025, 12, 31, 1), "2026-01-02");
	cr_assert_str_eq(ADD(2026, 1, 2, 1), "2026-01-05");
	cr_assert_str_eq(ADD(2026, 1, 5, 1), "2026-01-07");
	cr_assert_str_eq(ADD(2025, 12, 23, 5), "2026-01-05");
	cr_assert_str_eq(ADD(2025, 12, 23, 6), "2026-01-07");
	cr_assert_str_eq(ADD(2026, 1, 7, -6), "2025-12-23");
	/* plain weekends */
	cr_assert_str_eq(ADD(2026, 1, 9, 1), "2026-01-12");
	cr_assert_str_eq(ADD(2026, 1, 10, 1), "2026-01-12");
	cr_assert_str_eq(ADD(2026, 1, 11, -1), "2026-01-09");
	cr_assert_str_eq(ADD(2026, 1, 12, -1), "2026-01-09");
	cr_assert_str_eq(ADD(2026, 1, 12, 10), "2026-01-26");
	/* Ascension Day 2026: Thursday 14 May */
	cr_assert_str_eq(ADD(2026, 5, 13, 1), "2026-05-15");
}

Test(date, add_banking_days_against_a_scan)
{
	day_t start, want, d;
	int n, k;

	for (start = ref_day(2024, 11, 1); start <= ref_day(2027, 2, 1);
	    start += 3) {
		for (n = -25; n <= 25; n++) {
			d = start;
			if (n == 0) {
				while (!ref_banking(d))
					d++;
			} else {
				for (k = 0; k != n;) {
					d += n > 0 ? 1 : -1;
					if (ref_banking(d))
						k += n > 0 ? 1 : -1;
				}
			}
			want = d;
			cr_assert_eq(date_add_banking_days(start, n), want,
			    "%s %+d: %s, expected %s", fmt(start), n,
			    fmt(date_add_banking_days(start, n)), fmt(want));
		}
	}
}

Test(date, banking_days_between)
{
	day_t a, b;
	int n;

	cr_assert_eq(date_banking_days_between(D(2026, 4, 2), D(2026, 4, 7)),
	    1);
	cr_assert_eq(date_banking_days_between(D(2026, 4, 7), D(2026, 4, 2)),
	    -1);
	cr_assert_eq(date_banking_days_between(D(2026, 4, 2), D(2026, 4, 2)),
	    0);
	cr_assert_eq(date_banking_days_between(D(2026, 4, 3), D(2026, 4, 6)),
	    0);
	cr_assert_eq(date_banking_days_between(D(2025, 12, 23),
	    D(2026, 1, 7)), 6);
	cr_assert_eq(date_banking_days_between(D(2026, 1, 9), D(2026, 1, 12)),
	    1);
	/* a whole year, counted independently */
	n = 0;
	for (a = ref_day(2026, 1, 1); a <= ref_day(2026, 12, 31); a++)
		n += ref_banking(a);
	cr_assert_eq(date_banking_days_between(D(2025, 12, 31),
	    D(2026, 12, 31)), n);
	cr_assert_eq(date_banking_days_between(D(2026, 12, 31),
	    D(2025, 12, 31)), -n);
	/* the inverse of date_add_banking_days from a banking day */
	for (a = ref_day(2026, 3, 1); a <= ref_day(2026, 7, 1); a++) {
		if (!ref_banking(a))
			continue;
		for (n = -20; n <= 20; n++) {
			b = date_add_banking_days(a, n);
			cr_assert_eq(date_banking_days_between(a, b), n, "%s %+d",
			    fmt(a), n);
		}
	}
}

Test(date, day_none_does_not_hang_or_wrap, .timeout = 10)
{
	day_t d = D(2026, 1, 5);

	cr_assert_eq(date_add_banking_days(DAY_NONE, 1), DAY_NONE);
	cr_assert_eq(date_add_banking_days(DAY_NONE, -1), DAY_NONE);
	cr_assert_eq(date_add_banking_days(DAY_NONE, 0), DAY_NONE);
	cr_assert_eq(date_banking_days_between(DAY_NONE, d), 0);
	cr_assert_eq(date_banking_days_between(d, DAY_NONE), 0);
	cr_assert(!date_is_banking_day(DAY_NONE));
	/* far apart valid dates finish quickly too */
	cr_assert(date_banking_days_between(D(1, 1, 1), D(9999, 12, 31)) >
	    2000000);
}

Test(date, today_is_the_local_date)
{
	time_t now = time(NULL);
	struct tm tm;
	day_t t = date_today(), want;

	localtime_r(&now, &tm);
	want = ref_day(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	/* midnight may pass between the two readings */
	cr_assert(t == want || t == want + 1, "%s vs %s", fmt(t), fmt(want));
}

static day_t
fi(const char *s)
{
	day_t d = DAY_NONE;

	cr_assert_eq(date_parse_iso_finnish(s, strlen(s), &d), 0, "%s", s);
	return d;
}

/* A camt date-time with a zone is the date in Finland at that instant:
 * EET (+2) in winter, EEST (+3) from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October; one without a zone,
 * and a plain date, as written. */
Test(date, iso_finnish_date_of_an_instant)
{
	cr_assert_eq(fi("2026-01-15T22:30:00Z"), ref_day(2026, 1, 16));
	cr_assert_eq(fi("2026-01-15T21:59:59Z"), ref_day(2026, 1, 15));
	cr_assert_eq(fi("2026-01-15T22:00:00.000Z"), ref_day(2026, 1, 16));
	cr_assert_eq(fi("2026-01-15T23:30:00+01:00"), ref_day(2026, 1, 16));
	cr_assert_eq(fi("2026-01-16T00:30:00+02:00"), ref_day(2026, 1, 16));
	cr_assert_eq(fi("2026-01-16T01:00:00+05:30"), ref_day(2026, 1, 15));
	cr_assert_eq(fi("2026-01-15T23:30:00-05:00"), ref_day(2026, 1, 16));
	cr_assert_eq(fi("2026-01-15T22:30:00"), ref_day(2026, 1, 15));
	cr_assert_eq(fi("2026-01-15"), ref_day(2026, 1, 15));
	cr_assert_eq(fi("2026-01-15+02:00"), ref_day(2026, 1, 15));
	cr_assert_eq(fi(" 2026-12-31T22:00Z\n"), ref_day(2027, 1, 1));
	/* summer: +3 (2026: 29 March to 25 October) */
	cr_assert_eq(fi("2026-06-30T21:00:00Z"), ref_day(2026, 7, 1));
	cr_assert_eq(fi("2026-06-30T20:59:00Z"), ref_day(2026, 6, 30));
	cr_assert_eq(fi("2026-03-28T21:30:00Z"), ref_day(2026, 3, 28));
	cr_assert_eq(fi("2026-03-29T21:30:00Z"), ref_day(2026, 3, 30));
	cr_assert_eq(fi("2026-10-24T21:30:00Z"), ref_day(2026, 10, 25));
	cr_assert_eq(fi("2026-10-25T21:30:00Z"), ref_day(2026, 10, 25));
}
