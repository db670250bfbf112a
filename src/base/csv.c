/*
 * csv: the one CSV dialect of the program's spreadsheet files (csv.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "base/diag.h"
#include "base/money.h"
#include "base/record.h"
#include "base/recschema.h"

void
csv_begin(FILE *fp, int bom)
{
	if (bom)
		fputs("\xef\xbb\xbf", fp);
}

/* Whether a spreadsheet would take s for a formula: it starts with '=',
 * '+', '@', TAB or CR, or with '-' not followed by a digit (a negative
 * amount stays a number). */
static int
looks_like_formula(const char *s)
{
	switch (s[0]) {
	case '=': case '+': case '@': case '\t': case '\r':
		return 1;
	case '-':
		return !(s[1] >= '0' && s[1] <= '9');
	default:
		return 0;
	}
}

/* s in quotes, inner quotes doubled, after prefix. */
static void
put_quoted(FILE *fp, const char *prefix, const char *s)
{
	fputc('"', fp);
	fputs(prefix, fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

void
csv_field(FILE *fp, const char *s, int last)
{
	/* text from a bank file or an invoice is never run: a leading
	 * apostrophe keeps it text */
	if (looks_like_formula(s))
		put_quoted(fp, "'", s);
	else if (strpbrk(s, ";\"\r\n") != NULL)
		put_quoted(fp, "", s);
	else
		fputs(s, fp);
	fputs(last ? "\r\n" : ";", fp);
}

void
csv_line(FILE *fp, const char *const *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		csv_field(fp, f[i], i + 1 == n);
}

/* Whether the column named name holds an amount. */
static int
is_amount_column(const char *name)
{
	static const char *const amounts[] = {
		"amount", "total", "paid", "open_amount", "credited", "over",
		"open_after", "debit", "credit", "opening_balance",
		"booked_balance", "available_balance", NULL
	};
	size_t i;

	for (i = 0; amounts[i] != NULL; i++)
		if (strcmp(name, amounts[i]) == 0)
			return 1;
	return 0;
}

#define CSV_MAX_FIELDS 64

int
csv_records(struct recin *in, FILE *out, int bom, struct diag *d)
{
	const struct rec_kind *k = NULL;
	char last[32] = "", buf[CSV_MAX_FIELDS][MONEY_BUFSZ];
	const char *f[CSV_MAX_FIELDS];
	int64_t cents;
	size_t i, n;
	int got;

	csv_begin(out, bom);
	while ((got = rec_read(in, d)) == 1) {
		n = in->nfields < CSV_MAX_FIELDS ? in->nfields :
		    CSV_MAX_FIELDS;
		if (strcmp(in->fields[0], last) != 0) {
			snprintf(last, sizeof last, "%s", in->fields[0]);
			if ((k = rec_kind_find(last)) != NULL) {
				f[0] = "kind";
				for (i = 1; i < k->count &&
				    i < CSV_MAX_FIELDS; i++)
					f[i] = k->names[i];
				csv_line(out, f, i);
			}
		}
		for (i = 0; i < n; i++) {
			f[i] = in->fields[i];
			if (i > 0 && k != NULL && i < k->count &&
			    is_amount_column(k->names[i]) && *f[i] &&
			    money_parse(f[i], strlen(f[i]), &cents) == 0)
				f[i] = money_format_comma(cents, buf[i]);
		}
		csv_line(out, f, n);
	}
	return got < 0 ? -1 : 0;
}
