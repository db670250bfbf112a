/*
 * The column tables of base/recschema.h against formats/records.md: every
 * kind documented there, with its columns in the same order, and nothing
 * in the code that the document does not have.  The document is read
 * independently of the code (each "### `kind`" heading, then its
 * "| N | name |" rows), so a column added to one side only fails here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/recschema.h"

#define MAX_KINDS 32
#define MAX_COLS 64

struct doc_kind {
	char kind[32];
	char cols[MAX_COLS][48];
	int n;
};

static int
read_doc(struct doc_kind *k, int max)
{
	FILE *fp = fopen("formats/records.md", "r");
	char line[1024];
	int n = -1;

	cr_assert_not_null(fp, "formats/records.md (run from the top "
	    "directory)");
	while (fgets(line, sizeof line, fp) != NULL) {
		char name[48];
		int num;

		if (strncmp(line, "### `", 5) == 0) {
			char *end = strchr(line + 5, '`');

			cr_assert_not_null(end);
			cr_assert_lt(n + 1, max);
			n++;
			memset(&k[n], 0, sizeof k[n]);
			*end = '\0';
			cr_assert_lt(strlen(line + 5), sizeof k[n].kind);
			memcpy(k[n].kind, line + 5, strlen(line + 5) + 1);
		} else if (n >= 0 &&
		    sscanf(line, "| %d | %47[a-z_] |", &num, name) == 2) {
			cr_assert_eq(num, k[n].n + 1, "%s: column %d numbered "
			    "%d in formats/records.md", k[n].kind, k[n].n + 1,
			    num);
			cr_assert_lt(k[n].n, MAX_COLS);
			memcpy(k[n].cols[k[n].n++], name, sizeof name);
		}
	}
	fclose(fp);
	return n + 1;
}

Test(recschema, matches_formats_records_md)
{
	static struct doc_kind doc[MAX_KINDS];
	int n = read_doc(doc, MAX_KINDS), i, j, ncode = 0;

	cr_assert_gt(n, 10, "only %d kinds found in formats/records.md", n);
	for (i = 0; i < n; i++) {
		const struct rec_kind *k = rec_kind_find(doc[i].kind);

		cr_assert_not_null(k, "kind %s of formats/records.md is not "
		    "in recschema", doc[i].kind);
		cr_assert_eq(k->count, (size_t)doc[i].n + 1, "%s: %zu columns "
		    "in the code, %d in formats/records.md", doc[i].kind,
		    k->count - 1, doc[i].n);
		cr_assert_str_eq(k->names[0], doc[i].kind);
		for (j = 0; j < doc[i].n; j++)
			cr_assert_str_eq(k->names[j + 1], doc[i].cols[j],
			    "%s column %d", doc[i].kind, j + 1);
		cr_assert_eq(k->has_source, strcmp(doc[i].cols[doc[i].n - 1],
		    "source") == 0, "%s: source column", doc[i].kind);
	}
	for (; rec_kinds[ncode].kind != NULL; ncode++)
		;
	cr_assert_eq(ncode, n, "%d kinds in the code, %d documented", ncode,
	    n);
}

Test(recschema, constants_are_field_indexes)
{
	cr_assert_eq(COL_INV_INVOICE_NO, 1);
	cr_assert_eq(COL_PAY_AMOUNT, 7);
	cr_assert_eq(COL_ALLOC_OUTCOME, 5);
	cr_assert_str_eq(rec_kind_find("inv")->names[COL_INV_TOTAL], "total");
	cr_assert_str_eq(rec_kind_find("route")->names[COL_ROUTE_SOURCE],
	    "source");
}

Test(recschema, outcomes_round_trip)
{
	int o;

	for (o = OUTCOME_NONE + 1; o < OUTCOME_COUNT; o++) {
		cr_assert_neq(*outcome_name((enum alloc_outcome)o), '\0');
		cr_assert_eq(outcome_parse(outcome_name((enum alloc_outcome)o)),
		    (enum alloc_outcome)o);
	}
	cr_assert_eq(outcome_parse("nonsense"), OUTCOME_NONE);
	cr_assert_eq(outcome_parse(""), OUTCOME_NONE);
	cr_assert_str_eq(outcome_name(OUTCOME_LOAN_INTEREST), "loan-interest");
}
