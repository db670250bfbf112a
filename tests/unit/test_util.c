/*
 * Unit tests: growable buffer and digit helpers (base/util.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

Test(util, sbuf_grows_and_stays_terminated)
{
	struct sbuf b = SBUF_INIT;
	size_t i;

	sbuf_reset(&b);		/* on an empty buffer: nothing to touch */
	cr_assert_eq(b.len, 0);
	for (i = 0; i < 10000; i++) {
		sbuf_addc(&b, 'a' + (int)(i % 26));
		cr_assert_eq(b.data[b.len], '\0');
	}
	cr_assert_eq(b.len, 10000);
	cr_assert(b.cap > b.len);
	for (i = 0; i < 10000; i++)
		cr_assert_eq(b.data[i], 'a' + (int)(i % 26));
	sbuf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	sbuf_add(&b, "x\0y", 3);
	cr_assert_eq(b.len, 3);
	cr_assert(memcmp(b.data, "x\0y", 4) == 0);
	sbuf_add(&b, NULL, 0);
	cr_assert_eq(b.len, 3);
	sbuf_free(&b);
	cr_assert_null(b.data);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, 0);
	sbuf_free(&b);		/* twice is fine */
}

Test(util, sbuf_addf)
{
	struct sbuf b = SBUF_INIT;
	char big[5000];

	sbuf_adds(&b, "at ");
	sbuf_addf(&b, "%s:%ld", "in.ktl", 17L);
	cr_assert_str_eq(b.data, "at in.ktl:17");
	cr_assert_eq(b.len, strlen("at in.ktl:17"));
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	sbuf_addf(&b, "[%s]", big);
	cr_assert_eq(b.len, 12 + 2 + 4999);
	cr_assert_eq(b.data[13], 'z');
	cr_assert_eq(b.data[b.len - 1], ']');
	sbuf_reset(&b);
	sbuf_addf(&b, "%s", "");
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	sbuf_free(&b);
}

Test(util, sbuf_set_trimmed)
{
	struct sbuf b = SBUF_INIT;

	sbuf_set_trimmed(&b, " \t OY Yhtiö AB \r\n", 17);
	cr_assert_str_eq(b.data, "OY Yhtiö AB");
	sbuf_set_trimmed(&b, "   ", 3);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	sbuf_set_trimmed(&b, "abc  ", 3);	/* only n bytes */
	cr_assert_str_eq(b.data, "abc");
	sbuf_set_trimmed(&b, "", 0);
	cr_assert_str_eq(b.data, "");
	sbuf_free(&b);
}

Test(util, sbuf_set_trimmed_from_its_own_data)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "    payer name, long enough to overlap    ");
	sbuf_set_trimmed(&b, b.data, b.len);
	cr_assert_str_eq(b.data, "payer name, long enough to overlap");
	sbuf_free(&b);
}

Test(util, xstrndup_and_xstrdup)
{
	char *p = xstrndup("abcdef", 3);
	char *q = xstrdup("");

	cr_assert_str_eq(p, "abc");
	cr_assert_str_eq(q, "");
	free(p);
	free(q);
	p = xmalloc(0);		/* a zero size still gives a pointer */
	cr_assert_not_null(p);
	free(p);
	p = xcalloc(0, 0);
	cr_assert_not_null(p);
	p = xrealloc(p, 0);
	cr_assert_not_null(p);
	free(p);
}

Test(util, all_digits)
{
	cr_assert_eq(all_digits("0123456789", 10), 1);
	cr_assert_eq(all_digits("", 0), 0);
	cr_assert_eq(all_digits("12a", 3), 0);
	cr_assert_eq(all_digits("12a", 2), 1);
	cr_assert_eq(all_digits(" 1", 2), 0);
	cr_assert_eq(all_digits("-1", 2), 0);
	cr_assert_eq(all_digits("1/", 2), 0);	/* '/' and ':' border 0-9 */
	cr_assert_eq(all_digits(":1", 2), 0);
	cr_assert_eq(all_digits("\xb9", 1), 0);	/* Latin-1 superscript one */
}

Test(util, parse_uint)
{
	uint64_t v = 7;

	cr_assert_eq(parse_uint("0", 1, &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(parse_uint("000123", 6, &v), 0);
	cr_assert_eq(v, 123);
	cr_assert_eq(parse_uint("999999999999999999", 18, &v), 0);
	cr_assert_eq(v, 999999999999999999ULL);
	cr_assert_eq(parse_uint("123456", 3, &v), 0);
	cr_assert_eq(v, 123);
	v = 7;
	cr_assert_eq(parse_uint("1000000000000000000", 19, &v), -1);
	cr_assert_eq(parse_uint("", 0, &v), -1);
	cr_assert_eq(parse_uint("12 3", 4, &v), -1);
	cr_assert_eq(parse_uint("+1", 2, &v), -1);
	cr_assert_eq(v, 7);	/* untouched on failure */
}

Test(util, line_end_of_and_sbuf_add_line_ends)
{
	struct sbuf b = SBUF_INIT;

	cr_assert_str_eq(line_end_of("a\r\nb\r\n", 6), "\r\n");
	cr_assert_str_eq(line_end_of("a\rb\r", 4), "\r");
	cr_assert_str_eq(line_end_of("a\nb\n", 4), "\n");
	cr_assert_str_eq(line_end_of("a\r\nb\n", 5), "\n");	/* mixed */
	cr_assert_str_eq(line_end_of("ab", 2), "\n");
	sbuf_add_line_ends(&b, "x\ny\n", 4, "\r");
	cr_assert_eq(b.len, 4);
	cr_assert_eq(memcmp(b.data, "x\ry\r", 4), 0);
	b.len = 0;
	sbuf_add_line_ends(&b, "x\ny", 3, "\r\n");
	cr_assert_eq(b.len, 4);
	cr_assert_eq(memcmp(b.data, "x\r\ny", 4), 0);
	sbuf_free(&b);
}

Test(util, sbuf_add_list_and_utf8_prefix)
{
	const char *items[] = { "street", "post code", "town" };
	struct sbuf b = SBUF_INIT;

	sbuf_add_list(&b, items, 1);
	cr_assert_str_eq(b.data, "street");
	sbuf_reset(&b);
	sbuf_add_list(&b, items, 2);
	cr_assert_str_eq(b.data, "street and post code");
	sbuf_reset(&b);
	sbuf_add_list(&b, items, 3);
	cr_assert_str_eq(b.data, "street, post code and town");
	sbuf_free(&b);
	cr_assert_eq(utf8_prefix("\xc3\xa4bc", 4, 2), 3);	/* "äb" */
	cr_assert_eq(utf8_prefix("abc", 3, 5), 3);
	cr_assert_eq(utf8_prefix("abc", 3, 0), 0);
}
