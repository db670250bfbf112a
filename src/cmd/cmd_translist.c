/*
 * reskontra translist: the transfer list (siirtoluettelo) of the
 * factoring invoices in the ledger, by batch number (man
 * reskontra-translist, formats/factoring.md).
 *
 * Thin: the options become a struct fbatch_filter (ledger/fbatch.h) and
 * write/fnotice.c prints the list, the same one `reskontra run` writes
 * to out/factoring/ for each batch.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/exitcode.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"
#include "write/fnotice.h"

static const char usage[] =
    "usage: reskontra translist -l LEDGER [--account NAME] [--batch N]\n"
    "           [--invoice NO] [--from DATE] [--to DATE] [--csv]\n"
    "       reskontra translist -l LEDGER --account NAME --batch N --notice\n"
    "\n"
    "Print the transfer list of the factoring invoices sent: batch,\n"
    "invoice number, recipient, invoice date, due date and amount,\n"
    "newest batch first, with a total per batch and a grand total.\n"
    "\n"
    "  -l, --ledger FILE    the ledger database\n"
    "      --account NAME   only the [factoring NAME] account\n"
    "      --batch N        only batch N (of each account listed)\n"
    "      --invoice NO     only the invoice numbered NO\n"
    "      --from DATE      only invoices dated DATE or later\n"
    "      --to DATE        only invoices dated DATE or earlier\n"
    "      --csv            semicolon-separated, decimal comma, for "
    "spreadsheets\n"
    "      --notice         the batch's factoring notice (TSV) instead\n"
    "\n"
    "Exit status: 0 ok, 1 --batch or --invoice selects nothing, 2 usage,\n"
    "3 ledger error.\n";

/* A date option into *out: 0, or -1 after the usage message. */
static int
date_option(const char *name, const char *arg, day_t *out)
{
	if (strlen(arg) != 10 || date_parse_iso(arg, 10, out) < 0) {
		usage_error("translist", "--%s wants a date YYYY-MM-DD, not "
		    "'%s'", name, arg);
		return -1;
	}
	return 0;
}

/* Parse the options: -1 when they are fine, else the exit status (the
 * message printed). */
static int
translist_options(int argc, char **argv, const char **path,
    struct fbatch_filter *f, int *csv, int *notice)
{
	enum { O_ACCOUNT = 256, O_BATCH, O_INVOICE, O_FROM, O_TO, O_CSV,
		O_NOTICE };
	static const struct option longopts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ "account", required_argument, NULL, O_ACCOUNT },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "invoice", required_argument, NULL, O_INVOICE },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "csv", no_argument, NULL, O_CSV },
		{ "notice", no_argument, NULL, O_NOTICE },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t n;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			*path = optarg;
			break;
		case O_ACCOUNT:
			f->account = optarg;
			break;
		case O_BATCH:
			if (parse_uint(optarg, strlen(optarg), &n) < 0 ||
			    n == 0 || n > INT64_MAX)
				return usage_error(argv[0], "--batch wants a "
				    "batch number, not '%s'", optarg);
			f->batch = (int64_t)n;
			break;
		case O_INVOICE:
			f->invoice_no = optarg;
			break;
		case O_FROM:
			if (date_option("from", optarg, &f->from) < 0)
				return EXIT_USAGE;
			break;
		case O_TO:
			if (date_option("to", optarg, &f->to) < 0)
				return EXIT_USAGE;
			break;
		case O_CSV:
			*csv = 1;
			break;
		case O_NOTICE:
			*notice = 1;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (*path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (optind < argc)
		return usage_error(argv[0], "unexpected '%s'", argv[optind]);
	if (*notice && (f->account == NULL || f->batch == 0 ||
	    f->invoice_no != NULL || f->from != DAY_NONE || f->to != DAY_NONE ||
	    *csv))
		return usage_error(argv[0], "--notice takes --account and "
		    "--batch, and no other selection");
	return -1;
}

/* The first row's batch (fbatch_each()'s callback). */
static void
first_batch(void *arg, const struct fbatch *b, const struct fbatch_row *r)
{
	struct fbatch *out = arg;

	if (out->batch == 0)
		*out = *b;
}

/* The notice of the one batch f selects: the number of invoices, 0 when
 * there is no such batch, -1 with d. */
static long
print_notice(struct ledger *l, const struct fbatch_filter *f,
    struct diag *d)
{
	struct fbatch b;
	long n;

	memset(&b, 0, sizeof(b));
	if ((n = fbatch_each(l, f, first_batch, &b, d)) <= 0)
		return n;
	return fnotice_write_tsv(l, &b, stdout, d);
}

int
cmd_translist(int argc, char **argv)
{
	struct fbatch_filter f;
	struct ledger *l = NULL;
	struct diag d;
	const char *path = NULL;
	int csv = 0, notice = 0, rc;
	long n;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&f, 0, sizeof(f));
	f.from = f.to = DAY_NONE;
	if ((rc = translist_options(argc, argv, &path, &f, &csv, &notice)) >=
	    0)
		return rc;
	/* Looking must not create a ledger by mistake. */
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "%s: %s: no such ledger\n", progname, path);
		return EXIT_USAGE;
	}
	if (ledger_open(path, &l, &d) < 0) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	rc = EXIT_OK;
	n = notice ? print_notice(l, &f, &d) : fnotice_translist(l, &f, csv,
	    stdout, &d);
	if (n < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	} else if (n == 0 && (f.batch != 0 || f.invoice_no != NULL)) {
		fprintf(stderr, "%s: translist: no factoring invoice in %s "
		    "matches\n", progname, path);
		rc = EXIT_REJECTED;
	}
	ledger_close(l);
	return finish_stdout(rc);
}
