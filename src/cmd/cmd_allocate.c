/*
 * reskontra allocate, reskontra unallocate: move a payment's money from
 * suspense to an invoice, or from an invoice back to suspense, with a
 * correcting voucher (man reskontra-allocate).  The move is
 * ledger/suspense.h's (new allocations, never an edited one, journalled
 * in suspense_moves); the voucher is write/voucher.c's, through
 * pipeline_post(), as `post` makes it.  One ledger transaction; the
 * voucher reaches standard output only after the commit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/money.h"
#include "base/outfile.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "ledger/db.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"
#include "ledger/suspense.h"
#include "pipeline/pipeline.h"
#include "write/voucher.h"

static const char usage_allocate[] =
    "usage: reskontra allocate -l LEDGER [-c CONF] [--today DATE]\n"
    "                          [--first N] [--format FORMAT] [--dry-run]\n"
    "                          [--invoice-date DATE] PAYMENT INVOICE [AMOUNT]\n"
    "\n"
    "Move AMOUNT (default: as much as the invoice has open) of the\n"
    "payment's money in suspense to the invoice, and write the correcting\n"
    "voucher (suspense debited, receivables credited).  PAYMENT is the\n"
    "archive id, or #N the ledger number (reskontra ledger payment).\n";

static const char usage_unallocate[] =
    "usage: reskontra unallocate -l LEDGER [-c CONF] [--today DATE]\n"
    "                            [--first N] [--format FORMAT] [--dry-run]\n"
    "                            [--invoice-date DATE] PAYMENT INVOICE\n"
    "                            [AMOUNT]\n"
    "\n"
    "Move AMOUNT (default: all the payment put on the invoice) back to\n"
    "suspense, and write the correcting voucher (receivables debited,\n"
    "suspense credited).  PAYMENT is the archive id, or #N the ledger\n"
    "number (reskontra ledger payment).\n";

static const char usage_options[] =
    "\n"
    "  -l, --ledger FILE   the ledger database\n"
    "  -c, --config CONF   reskontra.conf(5): the [accounts] numbers\n"
    "                      (default: the default accounts)\n"
    "  --today DATE        the day the move is posted on (YYYY-MM-DD;\n"
    "                      default: the system date)\n"
    "  --first N           number of the voucher (default: the ledger's\n"
    "                      next, after every voucher a run or a move\n"
    "                      wrote)\n"
    "  --format FORMAT     tsv (voucher records), csv or netvisor\n"
    "  --dry-run           write the voucher, change nothing\n"
    "  --invoice-date DATE  the invoice of that date (YYYY-MM-DD), when\n"
    "                      the ledger has more than one of the number\n"
    "\n"
    "Exit status: 0 done, 1 refused (no such payment or invoice, not that\n"
    "much there), 2 usage or configuration, 3 I/O or ledger error.\n";

struct move_args {
	const char *ledger, *conf;
	day_t today;
	long first;
	enum voucher_format format;
	int dry_run;
	const char *payment, *invoice, *amount_s;
	day_t invoice_date;	/* DAY_NONE: the number's only one */
	const char *invoice_date_s;
	int64_t amount;		/* 0: the default */
};

static int
move_options(int argc, char **argv, struct move_args *a)
{
	static const struct option longopts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "today", required_argument, NULL, 'T' },
		{ "first", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "invoice-date", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			a->ledger = optarg;
			break;
		case 'c':
			a->conf = optarg;
			break;
		case 'T':
			if (parse_today(argv[0], optarg, &a->today) < 0)
				return EXIT_USAGE;
			break;
		case 'f':
			errno = 0;
			a->first = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || a->first < 1)
				return usage_error(argv[0], "--first wants a "
				    "number >= 1, not '%s'", optarg);
			break;
		case 'F':
			if (config_voucher_format_parse(optarg, &a->format) < 0)
				return usage_error(argv[0], "--format wants "
				    "tsv, csv or netvisor, not '%s'", optarg);
			break;
		case 'n':
			a->dry_run = 1;
			break;
		case 'D':
			if (date_parse_iso(optarg, strlen(optarg),
			    &a->invoice_date) != 0)
				return usage_error(argv[0], "--invoice-date "
				    "wants YYYY-MM-DD, not '%s'", optarg);
			a->invoice_date_s = optarg;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (a->ledger == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (argc - optind < 2 || argc - optind > 3)
		return usage_error(argv[0], "PAYMENT INVOICE [AMOUNT], please");
	a->payment = argv[optind];
	a->invoice = argv[optind + 1];
	if (argc - optind == 3) {
		a->amount_s = argv[optind + 2];
		if (money_parse(a->amount_s, strlen(a->amount_s),
		    &a->amount) < 0 || a->amount <= 0)
			return usage_error(argv[0], "AMOUNT wants euros "
			    "above 0 (12.50), not '%s'", a->amount_s);
	}
	return EXIT_OK;
}

/* The invoice a names: of its --invoice-date, or the number's only
 * one.  1 found, 0 none, -2 more than one of the number and no date
 * (said), -1 with d. */
static int
move_invoice(struct ledger *l, const struct move_args *a,
    struct ledger_invoice *inv, struct diag *d)
{
	struct sbuf dates = SBUF_INIT;
	int n;

	if (a->invoice_date != DAY_NONE)
		return ledger_find_dated_invoice(l, a->invoice, 0,
		    a->invoice_date, inv, d);
	if ((n = ledger_invoice_dates(l, a->invoice, 0, &dates, d)) > 1) {
		fprintf(stderr, "%s: %s has %d invoices of number '%s', of "
		    "invoice dates %s: name one with --invoice-date\n",
		    progname, a->ledger, n, a->invoice, dates.data);
		n = -2;
	}
	sbuf_free(&dates);
	return n < 0 ? n : ledger_find_invoice(l, a->invoice, 0, inv, d);
}

/* The amount to move when none is given: what the invoice has open (at
 * most what is in suspense), or all the payment has on the invoice. */
static int
default_amount(struct ledger *l, enum suspense_action action,
    const struct suspense_payment *p, const struct ledger_invoice *inv,
    int64_t *amount, struct diag *d)
{
	int64_t applied, over;

	if (action == SUSPENSE_UNALLOCATE) {
		if (suspense_on_invoice(l, p->id, inv->id, &applied, &over,
		    d) < 0)
			return -1;
		*amount = applied;
		return 0;
	}
	*amount = p->in_suspense < inv->open_amount ? p->in_suspense :
	    inv->open_amount;
	return 0;
}

/* Factoring: a payment that came to a factoring account is the
 * financier's money.  Moved to a factoring invoice it is no bypass
 * payment (p->to_factoring); moved to an invoice that was not
 * transferred to that account, the financier owes it to the company, or
 * to another financier: said, as the matcher says it.  0, -1 with d. */
static int
factoring_arrival(struct ledger *l, const struct config *conf,
    struct suspense_payment *p, const struct ledger_invoice *inv,
    enum suspense_action action, struct diag *d)
{
	const struct conf_factoring *came = config_factoring_of_iban(conf,
	    p->account_iban), *held = NULL;
	struct assign *x;
	struct assignment as;
	struct fbatch_ref ref;
	int rc;

	if (came == NULL || action != SUSPENSE_ALLOCATE)
		return 0;
	p->to_factoring = 1;
	if (assign_open(l, &x, d) < 0)
		return -1;
	rc = assign_routed(x, inv->invoice_no, inv->invoice_date, &as, d);
	if (rc == 1)
		rc = fbatch_of_assignment(l, as.id, &ref, d);
	assign_close(x);
	if (rc < 0)
		return -1;
	if (rc == 1)
		held = config_factoring(conf, ref.account);
	if (held == came)
		return 0;
	if (held == NULL)
		fprintf(stderr, "%s: warning: payment %s came to factoring "
		    "account %s (%s), but invoice %s is not factored: moved; "
		    "the financier owes the money to the company\n", progname,
		    p->archive_id, came->name, came->iban, inv->invoice_no);
	else
		fprintf(stderr, "%s: warning: payment %s came to factoring "
		    "account %s (%s), but invoice %s was transferred to %s "
		    "(%s): moved; settle it between the financiers\n",
		    progname, p->archive_id, came->name, came->iban,
		    inv->invoice_no, held->name, held->iban);
	return 0;
}

/* The n vouchers from number first this move wrote, counted in the
 * ledger for the numbers of the next ones (db_next_voucher()). */
static int
move_vouchers_add(struct ledger *l, long first, long n, struct diag *d)
{
	sqlite3_stmt *st = db_prepare(ledger_db(l), "INSERT INTO move_vouchers"
	    " (run_id, first, n) VALUES (?, ?, ?)", d);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, ledger_run_id(l));
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, n);
	rc = db_step(st, d, "voucher count");
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Inside the transaction: find, move, post into vouchers.  EXIT_OK,
 * EXIT_REJECTED (said on stderr) or EXIT_SYSTEM. */
static int
move(struct ledger *l, const struct config *conf, struct move_args *a,
    enum suspense_action action, FILE *allocs, FILE *vouchers)
{
	struct suspense_payment p;
	struct ledger_invoice inv;
	struct pipeline pipe;
	struct voucher_writer *v;
	struct recout w;
	struct recin r;
	struct diag d;
	long first = 1;
	int got, st;

	if ((got = suspense_find(l, a->payment, &p, &d)) != 1) {
		if (got == 0)
			fprintf(stderr, "%s: no payment '%s' in %s\n", progname,
			    a->payment, a->ledger);
		else
			diag_print(stderr, &d);
		return got < 0 ? EXIT_SYSTEM : EXIT_REJECTED;
	}
	if ((got = move_invoice(l, a, &inv, &d)) != 1) {
		if (got == -2)
			;	/* said */
		else if (got == 0 && a->invoice_date != DAY_NONE)
			fprintf(stderr, "%s: no invoice '%s' of %s in %s\n",
			    progname, a->invoice, a->invoice_date_s,
			    a->ledger);
		else if (got == 0 && ledger_find_invoice(l, a->invoice, 1, &inv,
		    &d) == 1)
			fprintf(stderr, "%s: '%s' in %s is a credit note, not "
			    "an invoice\n", progname, a->invoice, a->ledger);
		else if (got == 0)
			fprintf(stderr, "%s: no invoice '%s' in %s\n", progname,
			    a->invoice, a->ledger);
		else
			diag_print(stderr, &d);
		return got == -1 ? EXIT_SYSTEM : EXIT_REJECTED;
	}
	if (factoring_arrival(l, conf, &p, &inv, action, &d) < 0) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	if (a->amount == 0 && default_amount(l, action, &p, &inv, &a->amount,
	    &d) < 0) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	rec_out_init(&w, allocs);
	rec_header(&w);
	if ((st = suspense_move(l, &w, &p, action, &inv, a->amount, a->today,
	    &d)) != 0) {
		diag_print(stderr, &d);
		return st < 0 ? EXIT_SYSTEM : EXIT_REJECTED;
	}
	/* the voucher, as post makes it */
	if (fflush(allocs) != 0 || ferror(allocs)) {
		fprintf(stderr, "%s: temporary file: write error\n", progname);
		return EXIT_SYSTEM;
	}
	rewind(allocs);
	rec_in_init(&r, allocs, "allocations");
	if (pipeline_open(&pipe, conf, NULL, a->today, NULL, &d) < 0)
		abort();
	/* numbered on from the ledger's last voucher, and counted there */
	if (a->first == 0 && db_next_voucher(ledger_db(l), &first, &d) < 0) {
		diag_print(stderr, &d);
		pipeline_close(&pipe);
		rec_in_free(&r);
		return EXIT_SYSTEM;
	}
	v = voucher_new(conf, a->first ? a->first : first, a->format,
	    vouchers);
	st = pipeline_post(&pipe, v, &r, &d);
	/* a --first of the operator's is a numbering of their own: the
	 * ledger's count is of the vouchers it numbered itself */
	if (st == PIPE_OK && a->first == 0 && ledger_run_id(l) > 0 &&
	    voucher_count(v) > 0 && move_vouchers_add(l, first,
	    voucher_count(v), &d) < 0)
		st = PIPE_SYSERR;
	voucher_free(v);
	pipeline_close(&pipe);
	rec_in_free(&r);
	if (st != PIPE_OK || pipe.quarantined > 0) {
		if (st != PIPE_OK)
			diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	return EXIT_OK;
}

/* The ledger, a transaction, the move, the voucher to stdout. */
static int
run_move(const struct config *conf, struct move_args *a,
    enum suspense_action action, const char *cmd)
{
	struct ledger *l = NULL;
	struct sbuf what = SBUF_INIT;
	FILE *allocs = NULL, *vouchers = NULL;
	struct diag d;
	int rc = EXIT_SYSTEM, began = 0;

	if ((rc = open_existing_ledger(a->ledger, &l)) != EXIT_OK)
		return rc;
	rc = EXIT_SYSTEM;
	if ((allocs = tmpfile()) == NULL || (vouchers = tmpfile()) == NULL) {
		fprintf(stderr, "%s: temporary file: %s\n", progname,
		    strerror(errno));
		goto out;
	}
	sbuf_addf(&what, "%s %s%s%s", a->payment, a->invoice,
	    a->amount_s ? " " : "", a->amount_s ? a->amount_s : "");
	if ((!a->dry_run && ledger_run_start(l, cmd, what.data, &d) < 0) ||
	    ledger_begin(l, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 1;
	if ((rc = move(l, conf, a, action, allocs, vouchers)) != EXIT_OK)
		goto out;
	rc = EXIT_SYSTEM;
	if (a->dry_run)
		ledger_rollback(l);
	else if (ledger_commit(l, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 0;
	if (!a->dry_run && ledger_run_finish(l, "ok", &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	if (fcopy(vouchers, stdout) < 0) {
		fwrite_failed(stdout, "standard output", errno);
		goto out;
	}
	rc = EXIT_OK;
out:
	if (began) {
		ledger_rollback(l);
		if (!a->dry_run && ledger_run_finish(l, "refused", &d) < 0)
			diag_print(stderr, &d);
	}
	ledger_close(l);
	if (allocs)
		fclose(allocs);
	if (vouchers)
		fclose(vouchers);
	sbuf_free(&what);
	return rc;
}

static int
move_command(int argc, char **argv, enum suspense_action action,
    const char *usage_text)
{
	struct move_args a;
	struct config *conf;
	struct sbuf usage = SBUF_INIT;
	int rc;

	sbuf_addf(&usage, "%s%s", usage_text, usage_options);
	rc = wants_help(argc, argv, usage.data);
	sbuf_free(&usage);
	if (rc)
		return finish_stdout(EXIT_OK);
	memset(&a, 0, sizeof a);
	a.today = date_today();
	a.first = 0;		/* the ledger's next */
	a.format = VOUCHERS_TSV;
	a.invoice_date = DAY_NONE;
	if ((rc = move_options(argc, argv, &a)) != EXIT_OK)
		return rc;
	conf = a.conf != NULL ? load_config(a.conf) : config_defaults();
	if (conf == NULL)
		return EXIT_USAGE;
	rc = run_move(conf, &a, action, argv[0]);
	config_free(conf);
	return finish_stdout(rc);
}

int
cmd_allocate(int argc, char **argv)
{
	return move_command(argc, argv, SUSPENSE_ALLOCATE, usage_allocate);
}

int
cmd_unallocate(int argc, char **argv)
{
	return move_command(argc, argv, SUSPENSE_UNALLOCATE, usage_unallocate);
}
