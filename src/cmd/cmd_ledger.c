/*
 * reskontra ledger: print the receivables ledger as records
 * (man reskontra-ledger): item records for invoices and credit notes,
 * an invoice's whole history, or the payments.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/exitcode.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "ledger/ledger.h"
#include "base/ident.h"
#include "ledger/match.h"
#include "ledger/suspense.h"

static const char usage[] =
    "usage: reskontra ledger -l LEDGER [--csv] [open | invoice NO | payments |\n"
    "                        payment ID | reference REF]\n"
    "\n"
    "Print every invoice and credit note as an item record; `open` only\n"
    "those still open (open, partial, over, unlinked credit notes);\n"
    "`invoice NO` the invoice, its credit notes and every allocation that\n"
    "touched it; `payments` every payment as a payment record; `payment\n"
    "ID` one payment (ID its archive id, or #N its ledger number) and\n"
    "every allocation of it; `reference REF` the invoices and payments\n"
    "with that reference.\n"
    "\n"
    "  -l, --ledger FILE   the ledger database\n"
    "  --csv               a spreadsheet file instead of records: a header\n"
    "                      line, ';', decimal comma, UTF-8 with BOM\n"
    "\n"
    "Exit status: 0 ok, 1 no such invoice, payment or reference, 2 usage,\n"
    "3 ledger error.\n";

static int
print_item(void *arg, const struct ledger_item *it)
{
	struct recout *w = arg;

	rec_begin(w, "item");
	rec_str(w, it->invoice_no);
	rec_str(w, it->reference);
	rec_str(w, it->service);
	rec_date(w, it->due_date);
	rec_cents(w, it->total);
	rec_cents(w, it->paid);
	rec_cents(w, it->open_amount);
	rec_str(w, it->status);
	rec_str(w, it->type);
	rec_date(w, it->invoice_date);
	rec_str(w, it->buyer_id);
	rec_str(w, it->buyer_name);
	rec_cents(w, it->credited);
	rec_cents(w, it->over);
	rec_str(w, it->credited_invoice_no);
	rec_str(w, it->source);
	rec_end(w);
	return 0;
}

static int
print_alloc(void *arg, const struct ledger_alloc *a)
{
	match_write_alloc(arg, a);
	return 0;
}

static int
print_payment(void *arg, const struct ledger_payment_row *p)
{
	struct recout *w = arg;

	rec_begin(w, "payment");
	rec_str(w, p->account_iban);
	rec_str(w, p->archive_id);
	rec_date(w, p->booking_date);
	rec_date(w, p->payment_date);
	rec_str(w, p->reference);
	rec_str(w, p->payer_name);
	rec_cents(w, p->amount);
	rec_int(w, p->correction);
	rec_str(w, p->state);
	rec_str(w, p->source);
	rec_end(w);
	return 0;
}

/* `payment ID`: the payment record, then its allocations.  1 shown, 0
 * none, 2 ambiguous (d says), -1. */
static int
show_payment(struct ledger *l, const char *id, struct recout *w,
    struct diag *d)
{
	struct suspense_payment p;
	int got = suspense_find(l, id, &p, d);

	if (got != 1)
		return got;
	if (ledger_payment_row(l, p.id, print_payment, w, d) < 0 ||
	    suspense_each_alloc(l, &p, print_alloc, w, d) < 0)
		return -1;
	return 1;
}

/* Counts what a listing printed. */
struct counted {
	struct recout *w;
	long n;
};

static int
count_item(void *arg, const struct ledger_item *it)
{
	struct counted *c = arg;

	c->n++;
	return print_item(c->w, it);
}

static int
count_payment(void *arg, const struct ledger_payment_row *p)
{
	struct counted *c = arg;

	c->n++;
	return print_payment(c->w, p);
}

/* `reference REF`: the invoices, then the payments, with its match key.
 * 1 some shown, 0 none, -1. */
static int
show_reference(struct ledger *l, const char *ref, struct recout *w,
    struct diag *d)
{
	struct counted c = { w, 0 };
	char key[REF_BUFSZ];
	size_t n = strlen(ref);

	if (n >= REF_BUFSZ)
		return 0;
	ref_match_key(ref, n, key);
	if (ledger_each_item_by_key(l, key, count_item, &c, d) < 0 ||
	    ledger_each_payment_by_key(l, key, count_payment, &c, d) < 0)
		return -1;
	return c.n > 0;
}

/* The records held in fp to standard output as CSV.  0 or -1 with d. */
static int
to_csv(FILE *fp, struct diag *d)
{
	struct recin in;
	int rc;

	if (fflush(fp) != 0 || ferror(fp)) {
		diag_set(d, "temporary file", 0, 0, "write error");
		return -1;
	}
	rewind(fp);
	rec_in_init(&in, fp, "ledger");
	rc = csv_records(&in, stdout, 1, d);
	rec_in_free(&in);
	return rc;
}

int
cmd_ledger(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ "csv", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL, *what = "all", *no = NULL;
	struct ledger *l = NULL;
	struct recout w;
	struct diag d;
	int ch, rc = EXIT_OK, got, csv = 0;
	FILE *out = stdout;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:", longopts, NULL)) != -1) {
		if (ch == 'C')
			csv = 1;
		else if (ch == 'l')
			path = optarg;
		else
			return usage_error(argv[0], "unknown option");
	}
	if (path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (optind < argc) {
		what = argv[optind++];
		if (strcmp(what, "invoice") == 0 ||
		    strcmp(what, "payment") == 0 ||
		    strcmp(what, "reference") == 0) {
			if (optind == argc)
				return usage_error(argv[0], "%s: the %s is "
				    "missing", what, strcmp(what, "invoice") == 0 ?
				    "invoice number" : strcmp(what, "payment") ==
				    0 ? "payment's archive id" : "reference");
			no = argv[optind++];
		} else if (strcmp(what, "open") && strcmp(what, "payments"))
			return usage_error(argv[0], "'%s' is not open, "
			    "invoice, payments, payment or reference", what);
		if (optind < argc)
			return usage_error(argv[0], "unexpected '%s'",
			    argv[optind]);
	}
	if ((rc = open_existing_ledger(path, &l)) != EXIT_OK)
		return rc;
	/* CSV: the records converted, the one way lists become CSV */
	if (csv && (out = tmpfile()) == NULL) {
		fprintf(stderr, "%s: temporary file: %s\n", progname,
		    strerror(errno));
		ledger_close(l);
		return EXIT_SYSTEM;
	}
	rec_out_init(&w, out);
	rec_header(&w);
	if (strcmp(what, "payment") == 0 || strcmp(what, "reference") == 0) {
		got = strcmp(what, "payment") == 0 ?
		    show_payment(l, no, &w, &d) : show_reference(l, no, &w, &d);
		if (got == 0) {
			fprintf(stderr, "%s: no %s '%s' in %s\n", progname,
			    what, no, path);
			rc = EXIT_REJECTED;
		} else if (got == 2) {
			diag_print(stderr, &d);
			rc = EXIT_REJECTED;
			got = 0;
		}
	} else if (no != NULL) {
		got = ledger_invoice_history(l, no, print_item, print_alloc,
		    &w, &d);
		if (got == 0) {
			fprintf(stderr, "%s: no invoice '%s' in %s\n",
			    progname, no, path);
			rc = EXIT_REJECTED;
		}
	} else if (strcmp(what, "payments") == 0)
		got = ledger_each_payment(l, print_payment, &w, &d);
	else
		got = ledger_each_item(l, strcmp(what, "open") == 0 ?
		    LEDGER_OPEN : LEDGER_ALL, print_item, &w, &d);
	if (got < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
	if (csv && got >= 0 && to_csv(out, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
	if (out != stdout)
		fclose(out);
	ledger_close(l);
	return finish_stdout(rc);
}
