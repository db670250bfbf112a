/*
 * reskontra notify: write what the receivables service must be told
 * (DESIGN.md step 6, man reskontra-notify, formats/notices.md).
 *
 * A step after match: match stores its decisions in the ledger, notify
 * reads the allocations stored since its last run and writes the bypass
 * payments and the credit notes of routed invoices as one TSV file.  The
 * batch is taken in one transaction, the file is written complete or not
 * at all (base/outfile.h), and only then is the batch marked written; a
 * batch left unmarked by a killed run is written again, under the same
 * name, by the next one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"
#include "ledger/notice.h"
#include "write/notice_file.h"

static const char usage[] =
    "usage: reskontra notify -c CONF -l LEDGER [--today DATE] [-o DIR]\n"
    "\n"
    "Write the notices for the receivables service that the allocations\n"
    "stored since the last run make (bypass payments, their reversals,\n"
    "credit notes of routed invoices) to DIR/notices-DATE-N.tsv, and\n"
    "print the name of each file written.  Nothing new, no file.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5)\n"
    "  -l, --ledger FILE   the ledger database\n"
    "  -o, --output DIR    where the file goes (default: .)\n"
    "      --today DATE    date in the file name YYYY-MM-DD (default: "
    "today)\n"
    "\n"
    "Exit status: 0 ok, 2 usage or configuration, 3 I/O or ledger "
    "error.\n";

/* Name each file written. */
static int
print_written(void *arg, const char *file, struct diag *d)
{
	(void)d;
	printf("%s/%s\n", (const char *)arg, file);
	return 0;
}

/* Where the options go; dir and today have their defaults after
 * notify_options(). */
struct notify_opts {
	const char *conf_path, *ledger_path, *dir;
	day_t today;
};

/* Parse the options into *o.  EXIT_OK, or EXIT_USAGE with the message
 * printed. */
static int
notify_options(int argc, char **argv, struct notify_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	o->conf_path = o->ledger_path = NULL;
	o->dir = ".";
	o->today = DAY_NONE;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:o:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conf_path = optarg;
			break;
		case 'l':
			o->ledger_path = optarg;
			break;
		case 'o':
			o->dir = optarg;
			break;
		case 'T':
			if (parse_today(argv[0], optarg, &o->today) < 0)
				return EXIT_USAGE;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (o->conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (o->ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (optind != argc)
		return usage_error(argv[0], "no FILE arguments: notices come "
		    "from the ledger");
	if (o->today == DAY_NONE)
		o->today = date_today();
	return EXIT_OK;
}

/* Take the new allocations as a batch dated today (one transaction), then
 * write every batch not yet written into dir.  0, or -1 with d filled. */
static int
notify_write(struct ledger *l, struct notices *n, const char *dir,
    day_t today, struct diag *d)
{
	struct notice_batch b;

	if (ledger_begin(l, d) < 0)
		return -1;
	if (notice_new_batch(n, today, &b, d) < 0 ||
	    ledger_commit(l, d) < 0) {
		ledger_rollback(l);
		return -1;
	}
	return notice_file_write_pending(l, n, dir, print_written,
	    (void *)dir, d);
}

int
cmd_notify(int argc, char **argv)
{
	struct notify_opts o;
	struct config *conf = NULL;
	struct ledger *l = NULL;
	struct assign *a = NULL;
	struct notices *n = NULL;
	struct diag d;
	int rc;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	if ((rc = notify_options(argc, argv, &o)) != EXIT_OK)
		return rc;
	rc = EXIT_SYSTEM;
	if ((conf = load_config(o.conf_path)) == NULL)
		return EXIT_USAGE;
	if (conf->service == SERVICE_FACTORING) {
		/* a financier is told of its invoices by the batch notices;
		 * a payment it must be forwarded is a warning of match */
		diag_set(&d, conf->path, conf->service_line, 0, "type = "
		    "factoring has no service notices: a payment of a "
		    "factoring invoice to the company's own account is a "
		    "warning of reskontra match and reskontra run");
		diag_print(stderr, &d);
		config_free(conf);
		return EXIT_USAGE;
	}
	if (ledger_open(o.ledger_path, &l, &d) < 0 ||
	    assign_open(l, &a, &d) < 0 || notice_open(l, &n, &d) < 0 ||
	    ledger_run_start(l, "notify", o.dir, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	notice_set_op(n, conf->service == SERVICE_OP_LASKULAINA);
	if (notify_write(l, n, o.dir, o.today, &d) < 0) {
		diag_print(stderr, &d);
		ledger_run_finish(l, "error", &(struct diag){ .line = 0 });
		goto out;
	}
	rc = EXIT_OK;
	if (ledger_run_finish(l, "ok", &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
out:
	notice_close(n);
	assign_close(a);
	ledger_close(l);
	config_free(conf);
	return finish_stdout(rc);
}
