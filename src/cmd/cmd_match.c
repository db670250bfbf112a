/*
 * reskontra match: apply payments and invoices in a record stream to the
 * ledger and write one alloc record per decision (man reskontra-match).
 *
 * The stage is pipeline_match() (pipeline/pipeline.h), the one `reskontra
 * run` uses.  Each input is one ledger transaction.  Its output goes to
 * a temporary file first and reaches stdout only after the transaction
 * commits, so a rejected input leaves neither ledger rows nor records
 * behind.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/outfile.h"
#include "base/record.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"
#include "pipeline/pipeline.h"

static const char usage[] =
    "usage: reskontra match -c CONF -l LEDGER [--today DATE] [--dry-run]\n"
    "                       [FILE...]\n"
    "\n"
    "Read record streams (standard input if no FILE or FILE is -), store\n"
    "inv records in the ledger and apply pay records to open invoices;\n"
    "write one alloc record per decision, other records unchanged.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5)\n"
    "  -l, --ledger FILE   the ledger database (created if missing)\n"
    "  --today DATE        the day moves from suspense are posted on\n"
    "                      (YYYY-MM-DD; default: the system date)\n"
    "  --dry-run           write what would be decided, change nothing\n"
    "\n"
    "Exit status: 0 ok, 1 an input rejected or records quarantined,\n"
    "2 usage or configuration, 3 I/O or ledger error.\n";

/* The options into *conf_path and *ledger_path (both required).  EXIT_OK,
 * or EXIT_USAGE with the message printed. */
struct match_args {
	const char *conf_path, *ledger_path;
	day_t today;
	int dry_run;
};

static int
match_options(int argc, char **argv, struct match_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "today", required_argument, NULL, 'T' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char **conf_path = &a->conf_path, **ledger_path =
	    &a->ledger_path;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*conf_path = optarg;
			break;
		case 'l':
			*ledger_path = optarg;
			break;
		case 'T':
			if (parse_today(argv[0], optarg, &a->today) < 0)
				return EXIT_USAGE;
			break;
		case 'n':
			a->dry_run = 1;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (*conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (*ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	return EXIT_OK;
}

/* One ledger run: every file through the match stage to stdout, after
 * the stream header.  The worst exit code; a ledger error is printed. */
static int
match_files(struct pipeline *p, struct ledger *l, char **files, int nfiles,
    struct diag *d)
{
	struct sbuf inputs = SBUF_INIT;
	struct recout w;
	int i, rc = EXIT_OK, one;

	for (i = 0; i < nfiles; i++)
		sbuf_addf(&inputs, "%s%s", i ? " " : "", files[i]);
	/* a dry run writes nothing, not even its run */
	if (!p->dry_run && ledger_run_start(l, "match", inputs.data, d) < 0) {
		diag_print(stderr, d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	rec_out_init(&w, stdout);
	rec_header(&w);
	for (i = 0; i < nfiles; i++) {
		long unopened = p->unopened;

		one = pipeline_filter(p, STAGE_MATCH, files[i], stdout);
		if (one > rc)
			rc = one;
		if (pipeline_filter_stops(p, one, unopened))
			break;
	}
	if (!p->dry_run && ledger_run_finish(l, rc == EXIT_OK ? "ok" :
	    rc == EXIT_REJECTED ? "rejected" : "error", d) < 0) {
		diag_print(stderr, d);
		rc = EXIT_SYSTEM;
	}
out:
	sbuf_free(&inputs);
	return rc;
}

int
cmd_match(int argc, char **argv)
{
	struct match_args a = { NULL, NULL, DAY_NONE, 0 };
	struct config *conf = NULL;
	struct ledger *l = NULL;
	struct pipeline p;
	struct diag d;
	int rc;
	char *stdin_only[] = { "-" };
	char **files;
	int nfiles;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	if ((rc = match_options(argc, argv, &a)) != EXIT_OK)
		return rc;
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	memset(&p, 0, sizeof(p));
	if ((conf = load_config(a.conf_path)) == NULL)
		return EXIT_USAGE;
	if (pipeline_check_config(conf, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_USAGE;
		goto out;
	}
	if (ledger_open(a.ledger_path, &l, &d) < 0 ||
	    pipeline_open(&p, conf, l, a.today != DAY_NONE ? a.today :
	    date_today(), NULL, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	p.dry_run = a.dry_run;
	rc = match_files(&p, l, files, nfiles, &d);
out:
	pipeline_close(&p);
	ledger_close(l);
	config_free(conf);
	return finish_stdout(rc);
}
