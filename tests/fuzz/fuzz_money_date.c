/*
 * fuzz_money_date: amount and date parsers on the same bytes.
 *
 *  - money_parse then money_format gives text that parses to the same
 *    cents; money_format_comma likewise;
 *  - money_parse_cents accepts digits only, and agrees with money_parse
 *    of the same digits divided by a hundred;
 *  - every date parser: a date that parses formats as YYYY-MM-DD and that
 *    text parses back (date_parse_iso) to the same day; date_to_ymd and
 *    date_from_ymd are inverse; banking-day arithmetic stays consistent.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_money(const char *s, size_t n)
{
	char buf[MONEY_BUFSZ];
	int64_t c, back, sum;
	size_t i;

	if (money_parse(s, n, &c) == 0) {
		money_format(c, buf);
		FUZZ_ASSERT(money_parse(buf, strlen(buf), &back) == 0);
		FUZZ_ASSERT(back == c);
		money_format_comma(c, buf);
		FUZZ_ASSERT(money_parse(buf, strlen(buf), &back) == 0);
		FUZZ_ASSERT(back == c);
		/* adding never wraps */
		if (money_add(c, c, &sum) == 0)
			FUZZ_ASSERT(sum / 2 == c);
		else
			FUZZ_ASSERT(c > INT64_MAX / 2 || c < INT64_MIN / 2);
	}
	if (money_parse_cents(s, n, &c) == 0) {
		FUZZ_ASSERT(n > 0 && c >= 0);
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(s[i] >= '0' && s[i] <= '9');
		money_format(c, buf);
		FUZZ_ASSERT(money_parse(buf, strlen(buf), &back) == 0);
		FUZZ_ASSERT(back == c);
	}
}

static void
check_day(day_t day)
{
	char buf[DATE_BUFSZ];
	int y, m, d;
	day_t back, next;

	FUZZ_ASSERT(day != DAY_NONE);
	date_format(day, buf);
	FUZZ_ASSERT(strlen(buf) == 10);
	FUZZ_ASSERT(date_parse_iso(buf, 10, &back) == 0 && back == day);
	date_to_ymd(day, &y, &m, &d);
	FUZZ_ASSERT(date_from_ymd(y, m, d, &back) == 0 && back == day);
	FUZZ_ASSERT(date_weekday(day) >= 0 && date_weekday(day) <= 6);
	next = date_add_banking_days(day, 0);
	FUZZ_ASSERT(next >= day && next - day < 10);
	FUZZ_ASSERT(date_is_banking_day(next));
	next = date_add_banking_days(day, 3);
	FUZZ_ASSERT(date_banking_days_between(day, next) == 3);
	next = date_add_banking_days(day, -2);
	FUZZ_ASSERT(date_banking_days_between(day, next) ==
	    -date_banking_days_between(next, day));
	/* (next, day] holds day itself only if it is a banking day */
	FUZZ_ASSERT(date_banking_days_between(next, day) ==
	    (date_is_banking_day(day) ? 2 : 1));
}

static void
check_dates(const char *s, size_t n)
{
	day_t day;

	if (date_parse_yymmdd(s, n, &day) == 0) {
		FUZZ_ASSERT(n == 6);
		if (day != DAY_NONE)
			check_day(day);
	}
	if (date_parse_ccyymmdd(s, n, &day) == 0) {
		FUZZ_ASSERT(n == 8);
		check_day(day);
	}
	if (date_parse_iso(s, n, &day) == 0)
		check_day(day);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int32_t v;
	int y, m, d;
	day_t day;

	check_money(s, size);
	check_dates(s, size);
	/* the first bytes as a date in the supported range */
	if (size >= 4) {
		memcpy(&v, data, 4);
		y = 1900 + (int)((uint32_t)v % 300);
		m = 1 + (int)(((uint32_t)v >> 9) % 12);
		d = 1 + (int)(((uint32_t)v >> 13) % 31);
		if (date_from_ymd(y, m, d, &day) == 0)
			check_day(day);
	}
	return 0;
}
