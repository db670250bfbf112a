/*
 * date: day numbers, parsing, and Finnish banking days.  See date.h.
 *
 * Day numbers use the proleptic Gregorian calendar; the conversion is the
 * usual era-based arithmetic (400-year cycles of 146097 days).
 */
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "base/util.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int
date_from_ymd(int y, int m, int d, day_t *out)
{
	int era, yoe, doy, doe, mp;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, m))
		return -1;
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	mp = (m + 9) % 12;
	doy = (153 * mp + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468;
	return 0;
}

void
date_to_ymd(day_t day, int *y, int *m, int *d)
{
	long z = (long)day + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
date_weekday(day_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0) */
	int w = (int)(((long)day + 3) % 7);

	return w < 0 ? w + 7 : w;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
date_parse_yymmdd(const char *s, size_t n, day_t *out)
{
	if (n != 6 || !all_digits(s, n))
		return -1;
	if (memcmp(s, "000000", 6) == 0) {
		*out = DAY_NONE;
		return 0;
	}
	return date_from_ymd(2000 + num(s, 2), num(s + 2, 2), num(s + 4, 2),
	    out);
}

int
date_parse_ccyymmdd(const char *s, size_t n, day_t *out)
{
	if (n != 8 || !all_digits(s, n))
		return -1;
	return date_from_ymd(num(s, 4), num(s + 4, 2), num(s + 6, 2), out);
}

/* The digits at s, at most max of them: how many (0 when none). */
static size_t
digits_at(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* D.M.YYYY at s (s not preceded by a digit): 0 with *out set. */
static int
dmy_at(const char *s, day_t *out)
{
	size_t nd = digits_at(s, 3), nm, ny;
	const char *m = s + nd + 1, *y;

	if (nd < 1 || nd > 2 || s[nd] != '.')
		return -1;
	nm = digits_at(m, 3);
	if (nm < 1 || nm > 2 || m[nm] != '.')
		return -1;
	y = m + nm + 1;
	ny = digits_at(y, 5);
	if (ny != 4)
		return -1;
	return date_from_ymd(num(y, 4), num(m, nm), num(s, nd),
	    out);
}

int
date_find_dmy(const char *s, day_t *out)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((i == 0 || s[i - 1] < '0' || s[i - 1] > '9') &&
		    dmy_at(s + i, out) == 0)
			return 0;
	return -1;
}

/* An XML Schema time zone: "Z", or "+hh:mm" / "-hh:mm" up to 14:00. */
static int
is_zone(const char *s, size_t n)
{
	int hh, mm;

	if (n == 1 && s[0] == 'Z')
		return 1;
	if (n != 6 || (s[0] != '+' && s[0] != '-') || !all_digits(s + 1, 2) ||
	    s[3] != ':' || !all_digits(s + 4, 2))
		return 0;
	hh = num(s + 1, 2);
	mm = num(s + 4, 2);
	return mm < 60 && (hh < 14 || (hh == 14 && mm == 0));
}

/* s without the blanks (an XML text node's) at both ends; *n its
 * length then. */
static const char *
trim_blanks(const char *s, size_t *n)
{
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\n' ||
	    s[*n - 1] == '\r' || s[*n - 1] == '\t'))
		(*n)--;
	while (*n > 0 && (*s == ' ' || *s == '\n' || *s == '\r' ||
	    *s == '\t')) {
		s++;
		(*n)--;
	}
	return s;
}

int
date_parse_iso(const char *s, size_t n, day_t *out)
{
	s = trim_blanks(s, &n);
	if (n < 10 || !all_digits(s, 4) || s[4] != '-' ||
	    !all_digits(s + 5, 2) || s[7] != '-' || !all_digits(s + 8, 2))
		return -1;
	/* a time or a zone may follow: 2026-01-05T10:00:00, 2026-01-05+02:00 */
	if (n > 10 && s[10] != 'T' && !is_zone(s + 10, n - 10))
		return -1;
	return date_from_ymd(num(s, 4), num(s + 5, 2), num(s + 8, 2), out);
}

/* The last Sunday of month m of year y. */
static day_t
last_sunday(int y, int m, int last)
{
	day_t day;

	(void)date_from_ymd(y, m, last, &day);
	return day - (day_t)((date_weekday(day) + 1) % 7);
}

/* Finland's offset from UTC in minutes at UTC minute t of day (EU
 * summer time: from 01:00 UTC on the last Sunday of March to 01:00 UTC
 * on the last Sunday of October, +3 hours; else +2). */
static int
finnish_offset(day_t day, int64_t t)
{
	int y, m, d;
	int64_t from, to;

	date_to_ymd(day, &y, &m, &d);
	from = (int64_t)last_sunday(y, 3, 31) * 1440 + 60;
	to = (int64_t)last_sunday(y, 10, 31) * 1440 + 60;
	return t >= from && t < to ? 180 : 120;
}

int
date_parse_iso_finnish(const char *s, size_t n, day_t *out)
{
	const char *z;
	size_t i, zn;
	int64_t t;
	int hh, mi, off;

	if (date_parse_iso(s, n, out) < 0)
		return -1;
	s = trim_blanks(s, &n);
	/* a time hh:mm[:ss[.f...]] and a zone, or the date as written */
	if (n < 16 || s[10] != 'T' || !all_digits(s + 11, 2) ||
	    s[13] != ':' || !all_digits(s + 14, 2))
		return 0;
	hh = num(s + 11, 2);
	mi = num(s + 14, 2);
	i = 16;
	if (i < n && s[i] == ':') {
		if (i + 3 > n || !all_digits(s + i + 1, 2))
			return 0;
		i += 3;
		if (i < n && s[i] == '.')
			for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
				;
	}
	z = s + i;
	zn = n - i;
	if (hh > 24 || mi > 59 || zn == 0 || !is_zone(z, zn))
		return 0;
	off = zn == 1 ? 0 : (num(z + 1, 2) * 60 + num(z + 4, 2)) *
	    (z[0] == '-' ? -1 : 1);
	t = (int64_t)*out * 1440 + hh * 60 + mi - off;
	t += finnish_offset((day_t)(t >= 0 ? t / 1440 : (t - 1439) / 1440), t);
	*out = (day_t)(t >= 0 ? t / 1440 : (t - 1439) / 1440);
	return 0;
}

char *
date_format(day_t day, char *buf)
{
	int y, m, d;

	if (day == DAY_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

day_t
date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	day_t day = 0;

	localtime_r(&now, &tm);
	date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &day);
	return day;
}

day_t
date_easter(int year)
{
	/* anonymous Gregorian computus (Meeus/Jones/Butcher) */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	day_t out = 0;

	date_from_ymd(year, month, day, &out);
	return out;
}

int
date_is_holiday(day_t day)
{
	int y, m, d, wd;
	day_t easter;

	date_to_ymd(day, &y, &m, &d);
	if ((m == 1 && (d == 1 || d == 6)) || (m == 5 && d == 1) ||
	    (m == 12 && (d == 6 || d == 24 || d == 25 || d == 26)))
		return 1;
	/* Midsummer Eve is the Friday between 19 and 25 June, Midsummer
	 * Day the Saturday after it. */
	wd = date_weekday(day);
	if (m == 6 && ((wd == 4 && d >= 19 && d <= 25) ||
	    (wd == 5 && d >= 20 && d <= 26)))
		return 1;
	easter = date_easter(y);
	/* Good Friday, Easter Sunday, Easter Monday, Ascension Day */
	if (day == easter - 2 || day == easter || day == easter + 1 ||
	    day == easter + 39)
		return 1;
	return 0;
}

int
date_is_banking_day(day_t day)
{
	return day != DAY_NONE && date_weekday(day) < 5 &&
	    !date_is_holiday(day);
}

day_t
date_add_banking_days(day_t day, int n)
{
	int step = n < 0 ? -1 : 1;

	if (day == DAY_NONE)
		return DAY_NONE;
	if (n == 0) {
		while (!date_is_banking_day(day))
			day++;
		return day;
	}
	while (n != 0) {
		day += step;
		if (date_is_banking_day(day))
			n -= step;
	}
	return day;
}

int
date_banking_days_between(day_t from, day_t to)
{
	int count = 0;
	day_t d;

	if (from == DAY_NONE || to == DAY_NONE)
		return 0;
	if (to >= from) {
		for (d = from + 1; d <= to; d++)
			count += date_is_banking_day(d);
		return count;
	}
	for (d = to + 1; d <= from; d++)
		count += date_is_banking_day(d);
	return -count;
}
