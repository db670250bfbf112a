/*
 * Unit tests: diagnostics (base/diag.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

static char out[2048];

static const char *
printed(const struct diag *d, int warning)
{
	FILE *fp = fmemopen(out, sizeof out, "w");

	cr_assert_not_null(fp);
	if (warning)
		diag_warn(fp, d);
	else
		diag_print(fp, d);
	fclose(fp);
	return out;
}

Test(diag, file_line_column_message)
{
	struct diag d;

	diag_set(&d, "in/pay.ktl", 17, 44, "reference check digit is %d", 3);
	cr_assert_str_eq(printed(&d, 0),
	    "reskontra: in/pay.ktl:17:44: reference check digit is 3\n");
	diag_set(&d, "in/pay.ktl", 17, 0, "x");
	cr_assert_str_eq(printed(&d, 1), "reskontra: in/pay.ktl:17: warning: x\n");
	diag_set(&d, "", 5, 5, "no file");
	cr_assert_str_eq(printed(&d, 0), "reskontra: no file\n");
}

Test(diag, control_bytes_cannot_forge_lines)
{
	struct diag d;

	diag_set(&d, "a\nreskontra: b", 1, 0, "bad\tvalue \x01\x7f");
	cr_assert_str_eq(printed(&d, 0),
	    "reskontra: a\\nreskontra: b:1: bad\\tvalue \\x01\\x7f\n");
}

Test(diag, text_is_the_printed_line_without_its_newline)
{
	struct diag d;
	char *t;

	diag_set(&d, "v.kto", 3, 0, "loan withdrawal of %s", "250.00");
	t = diag_text(&d, 1);
	cr_assert_str_eq(t, "reskontra: v.kto:3: warning: loan withdrawal of "
	    "250.00");
	free(t);
	t = diag_text(&d, 0);
	cr_assert_str_eq(t, "reskontra: v.kto:3: loan withdrawal of 250.00");
	free(t);
}
