/*
 * Unit tests: the CSV dialect of the spreadsheet files (base/csv.c):
 * quoting, line ends, the byte order mark, records to CSV with decimal
 * commas in the amount columns only.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/diag.h"
#include "base/record.h"

/* What fn wrote into a memory stream, malloc'ed. */
static char *
written(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	cr_assert_not_null(fp);
	fn(fp);
	cr_assert_eq(fclose(fp), 0);
	return buf;
}

static void
plain_and_quoted(FILE *fp)
{
	csv_field(fp, "a", 0);
	csv_field(fp, "b;c", 0);
	csv_field(fp, "say \"x\"", 0);
	csv_field(fp, "two\nlines", 0);
	csv_field(fp, "", 1);
}

Test(csv, quotes_only_what_needs_it)
{
	char *s = written(plain_and_quoted);

	cr_assert_str_eq(s, "a;\"b;c\";\"say \"\"x\"\"\";\"two\nlines\";\r\n");
	free(s);
}

static void
formula_like(FILE *fp)
{
	csv_field(fp, "=HYPERLINK(\"http://x\")", 0);
	csv_field(fp, "+358 40 1", 0);
	csv_field(fp, "@SUM(A1)", 0);
	csv_field(fp, "-x", 0);
	csv_field(fp, "-1,50", 0);
	csv_field(fp, "-", 0);
	csv_field(fp, "a=b", 1);
}

Test(csv, formulas_stay_text)
{
	char *s = written(formula_like);

	cr_assert_str_eq(s, "\"'=HYPERLINK(\"\"http://x\"\")\";\"'+358 40 1\";"
	    "\"'@SUM(A1)\";\"'-x\";-1,50;\"'-\";a=b\r\n");
	free(s);
}

static void
with_bom(FILE *fp)
{
	const char *f[] = { "x", "y" };

	csv_begin(fp, 1);
	csv_line(fp, f, 2);
	csv_begin(fp, 0);
}

Test(csv, bom_once_and_crlf)
{
	char *s = written(with_bom);

	cr_assert_str_eq(s, "\xef\xbb\xbfx;y\r\n");
	free(s);
}

/* The records in text as CSV. */
static char *
records_csv(const char *text, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *out = open_memstream(&buf, &len);
	struct recin r;
	struct diag d;

	cr_assert_not_null(in);
	cr_assert_not_null(out);
	rec_in_init(&r, in, "t");
	*rc = csv_records(&r, out, 0, &d);
	rec_in_free(&r);
	fclose(in);
	cr_assert_eq(fclose(out), 0);
	return buf;
}

Test(csv, records_with_a_header_per_kind_and_decimal_commas)
{
	int rc;
	char *s = records_csv("#reskontra records 1\n"
	    "item\t1.50\t1025\tnone\t2026-02-04\t12.50\t-3.00\t9.50\topen\t"
	    "invoice\t2026-01-05\tC1\tB\t0.00\t0.00\t\tinv.xml:1\n", &rc);

	cr_assert_eq(rc, 0);
	/* invoice_no "1.50" is not an amount column: kept as it is */
	cr_assert_str_eq(s, "kind;invoice_no;reference;service;due_date;"
	    "total;paid;open_amount;status;type;invoice_date;buyer_id;"
	    "buyer_name;credited;over;credited_invoice_no;source\r\n"
	    "item;1.50;1025;none;2026-02-04;12,50;-3,00;9,50;open;invoice;"
	    "2026-01-05;C1;B;0,00;0,00;;inv.xml:1\r\n");
	free(s);
}

Test(csv, a_broken_stream_is_an_error)
{
	int rc;
	char *s = records_csv("not records\n", &rc);

	cr_assert_eq(rc, -1);
	free(s);
}
