/*
 * date: calendar dates as day numbers, and Finnish banking days.
 *
 * A day_t counts days since 1970-01-01 (negative before).  DAY_NONE means
 * "no date given" (the KTO/KTL 000000).  Banking days are Monday to Friday
 * except the Finnish bank holidays: New Year's Day, Epiphany, Good Friday,
 * Easter Monday, 1 May, Ascension Day, Midsummer Eve and Day, Independence
 * Day, Christmas Eve, Christmas Day, Boxing Day.  The holiday rules are
 * computed (Easter by the Gregorian computus), valid for 1900-2199; the
 * product promises 2000-2099.
 */
#ifndef RESKONTRA_DATE_H
#define RESKONTRA_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t day_t;

#define DAY_NONE INT32_MIN
#define DATE_BUFSZ 11		/* "YYYY-MM-DD" + NUL */

/* y-m-d to a day number; -1 return if the date does not exist. */
int date_from_ymd(int y, int m, int d, day_t *out);
void date_to_ymd(day_t day, int *y, int *m, int *d);

/* 0 = Monday ... 6 = Sunday. */
int date_weekday(day_t day);

/* Parsers return 0 and set *out, or -1 on a malformed or impossible date.
 * YYMMDD is read as 20YY; "000000" gives DAY_NONE (and 0).  CCYYMMDD is
 * 8 digits.  ISO is "YYYY-MM-DD", optionally followed by "T..." (a time,
 * ignored) or a zone ("Z", "+hh:mm", "-hh:mm"); other trailing text is an
 * error.  Blanks around the ISO date (an XML text node) are skipped. */
int date_parse_yymmdd(const char *s, size_t n, day_t *out);
int date_parse_ccyymmdd(const char *s, size_t n, day_t *out);
int date_parse_iso(const char *s, size_t n, day_t *out);
/* The same, but a date-time with a zone ("2026-01-15T22:30:00Z",
 * "...T23:30:00+01:00") gives the date in Finland at that instant (EET,
 * EEST in summer): 2026-01-16 for both.  One without a zone is taken as
 * Finnish time already, its date as written. */
int date_parse_iso_finnish(const char *s, size_t n, day_t *out);

/* The first date written the Finnish way, D.M.YYYY (day and month one
 * or two digits, e.g. "Rahoitus 16.09.2026"), in text s: 0 with *out
 * set, -1 when s has none that exists.  Digits around it belong to no
 * date of this form ("116.09.2026" is not one). */
int date_find_dmy(const char *s, day_t *out);

/* "YYYY-MM-DD"; "" for DAY_NONE.  buf holds DATE_BUFSZ; returns buf. */
char *date_format(day_t day, char *buf);

/* Today from the system clock (local time). */
day_t date_today(void);

/* Finnish bank holidays and banking days. */
int date_is_holiday(day_t day);
int date_is_banking_day(day_t day);
day_t date_easter(int year);

/* The n-th banking day after day (n >= 0; n = 0 gives day itself if it is a
 * banking day, else the next one).  Negative n counts backwards.  DAY_NONE
 * gives DAY_NONE (and is not a banking day). */
day_t date_add_banking_days(day_t day, int n);

/* Banking days in (from, to]: how many banking days after `from` `to` is.
 * Negative when to < from; 0 when either is DAY_NONE. */
int date_banking_days_between(day_t from, day_t to);

#endif
