/*
 * reskontra route: decide for each invoice in a record stream which
 * service handles it (DESIGN.md step 2, man reskontra-route).
 *
 * inv records in, one route record each out; other records pass through
 * unchanged.  The stage is pipeline_route() (pipeline/pipeline.h), the
 * one `reskontra run` uses; each input is one ledger transaction, its
 * records reach stdout only after the commit.  Every decision is stored
 * in the ledger (ledger/assign.h): routed invoices get an assignment
 * number, the service reference made from it, the customer group and the
 * login code.  An input record routed before (same invoice number, date,
 * source and contents) gets its earlier decision again, so a rerun makes
 * no second assignment.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/outfile.h"
#include "base/money.h"
#include "base/record.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"
#include "pipeline/pipeline.h"

static const char usage[] =
    "usage: reskontra route -c CONF -l LEDGER [--today DATE] [FILE...]\n"
    "\n"
    "Read record streams (standard input if no FILE or FILE is -) and\n"
    "write one route record per inv record: route (to the service),\n"
    "pass (sent as it is) or reject (with the service's error code).\n"
    "Other records pass through.  Decisions are kept in the ledger.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5)\n"
    "  -l, --ledger FILE   the ledger database (created if missing)\n"
    "      --today DATE    processing date YYYY-MM-DD (default: today)\n"
    "\n"
    "Exit status: 0 ok, 1 an input rejected or an invoice rejected,\n"
    "2 usage or configuration, 3 I/O or ledger error.\n";

int
cmd_route(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "today", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = NULL, *ledger_path = NULL;
	struct config *conf = NULL;
	struct ledger *l = NULL;
	struct pipeline p;
	struct diag d;
	struct recout w;
	day_t today = DAY_NONE;
	int ch, i, rc = EXIT_OK, one;
	char *stdin_only[] = { "-" };
	char **files;
	int nfiles;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&p, 0, sizeof(p));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'l':
			ledger_path = optarg;
			break;
		case 'T':
			if (parse_today(argv[0], optarg, &today) < 0)
				return EXIT_USAGE;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (today == DAY_NONE)
		today = date_today();
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if ((conf = load_config(conf_path)) == NULL)
		return EXIT_USAGE;
	if (ledger_open(ledger_path, &l, &d) < 0 ||
	    pipeline_open(&p, conf, l, today, NULL, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	rec_out_init(&w, stdout);
	rec_header(&w);
	fflush(stdout);
	for (i = 0; i < nfiles; i++) {
		long unopened = p.unopened;

		one = pipeline_filter(&p, STAGE_ROUTE, files[i], stdout);
		if (one > rc)
			rc = one;
		if (pipeline_filter_stops(&p, one, unopened))
			break;
	}
out:
	pipeline_close(&p);
	ledger_close(l);
	config_free(conf);
	return finish_stdout(rc);
}
