/*
 * Unit tests: money parsing and formatting (base/money.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/money.h"

static int64_t
parse_ok(const char *s)
{
	int64_t c = -999;

	cr_assert_eq(money_parse(s, strlen(s), &c), 0, "'%s' should parse", s);
	return c;
}

static void
parse_bad(const char *s)
{
	int64_t c = 0;

	cr_assert_eq(money_parse(s, strlen(s), &c), -1, "'%s' should fail", s);
}

Test(money, parses_bank_and_finvoice_forms)
{
	cr_assert_eq(parse_ok("1234,56"), 123456);
	cr_assert_eq(parse_ok("1234.56"), 123456);
	cr_assert_eq(parse_ok("-0,05"), -5);
	cr_assert_eq(parse_ok("+12.5"), 1250);
	cr_assert_eq(parse_ok("1234"), 123400);
	cr_assert_eq(parse_ok(" 17,00 "), 1700);
	cr_assert_eq(parse_ok("0"), 0);
	cr_assert_eq(parse_ok("1,500"), 150);
	cr_assert_eq(parse_ok("92233720368547758.07"), INT64_MAX);
	cr_assert_eq(parse_ok("-92233720368547758.07"), -INT64_MAX);
}

Test(money, rejects_malformed_and_overflow)
{
	parse_bad("");
	parse_bad(" ");
	parse_bad("-");
	parse_bad("1,2,3");
	parse_bad("1 000,00");
	parse_bad("12,");
	parse_bad(",5");
	parse_bad("1,234");	/* a tenth of a cent */
	parse_bad("abc");
	parse_bad("12e3");
	parse_bad("92233720368547758.08");
	parse_bad("99999999999999999999");
}

Test(money, cents_fields)
{
	int64_t c;

	cr_assert_eq(money_parse_cents("0000001250", 10, &c), 0);
	cr_assert_eq(c, 1250);
	cr_assert_eq(money_parse_cents("00000 1250", 10, &c), -1);
	cr_assert_eq(money_parse_cents("", 0, &c), -1);
	cr_assert_eq(money_parse_cents("99999999999999999999", 20, &c), -1);
}

Test(money, formats_both_ways)
{
	char buf[MONEY_BUFSZ];

	cr_assert_str_eq(money_format(-1250, buf), "-12.50");
	cr_assert_str_eq(money_format(5, buf), "0.05");
	cr_assert_str_eq(money_format(-5, buf), "-0.05");
	cr_assert_str_eq(money_format(0, buf), "0.00");
	cr_assert_str_eq(money_format(INT64_MIN, buf),
	    "-92233720368547758.08");
	cr_assert_str_eq(money_format_comma(123456, buf), "1234,56");
}

Test(money, add_checks_overflow)
{
	int64_t r = 7;

	cr_assert_eq(money_add(1, 2, &r), 0);
	cr_assert_eq(r, 3);
	cr_assert_eq(money_add(INT64_MAX, 1, &r), -1);
	cr_assert_eq(r, 3);
}
