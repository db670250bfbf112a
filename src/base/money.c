/*
 * money: euros as written in files <-> int64_t cents.  See money.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/money.h"

int
money_in_eur(const char *currency)
{
	return currency == NULL || *currency == '\0' ||
	    strcasecmp(currency, "EUR") == 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
money_parse(const char *s, size_t n, int64_t *cents)
{
	size_t i = 0;
	int neg = 0, digits = 0, decimals = 0, seen_sep = 0;
	uint64_t v = 0;		/* magnitude in cents */
	const uint64_t limit = (uint64_t)INT64_MAX;

	while (n > 0 && is_blank(s[n - 1]))
		n--;
	while (i < n && is_blank(s[i]))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		char c = s[i];

		if (c == ',' || c == '.') {
			if (seen_sep || digits == 0)
				return -1;
			seen_sep = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (seen_sep) {
			if (++decimals > 2) {
				if (c != '0')
					return -1;	/* below a cent */
				continue;
			}
		} else
			digits++;
		if (decimals > 2)
			continue;
		if (v > (limit - (uint64_t)(c - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(c - '0');
	}
	if (digits == 0 || (seen_sep && decimals == 0))
		return -1;
	/* scale the integer part and the decimals we read to cents */
	for (; decimals < 2; decimals++) {
		if (v > limit / 10)
			return -1;
		v *= 10;
	}
	*cents = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int
money_parse_cents(const char *s, size_t n, int64_t *cents)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*cents = (int64_t)v;
	return 0;
}

/* The amount's text ends just before end; returns where it begins.  By
 * hand rather than snprintf: this runs for every amount written. */
static char *
format_back(int64_t cents, char *end, char sep)
{
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents
	    : (uint64_t)cents;
	char *p = end;

	*--p = (char)('0' + mag % 10);
	*--p = (char)('0' + mag / 10 % 10);
	*--p = sep;
	mag /= 100;
	do
		*--p = (char)('0' + mag % 10);
	while ((mag /= 10) > 0);
	if (cents < 0)
		*--p = '-';
	return p;
}

char *
money_format_end(int64_t cents, char *end)
{
	return format_back(cents, end, '.');
}

static size_t
format(int64_t cents, char *buf, char sep)
{
	char tmp[MONEY_BUFSZ], *p = format_back(cents, tmp + sizeof tmp, sep);
	size_t n = (size_t)(tmp + sizeof tmp - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

char *
money_format(int64_t cents, char *buf)
{
	format(cents, buf, '.');
	return buf;
}

size_t
money_format_n(int64_t cents, char *buf)
{
	return format(cents, buf, '.');
}

char *
money_format_comma(int64_t cents, char *buf)
{
	format(cents, buf, ',');
	return buf;
}

int
money_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}
