/*
 * reskontra route: decide for each invoice in a record stream which
 * service handles it (DESIGN.md step 2, man reskontra-route).
 *
 * inv records in, one route record each out; other records pass through
 * unchanged.  Every decision is stored in the ledger (ledger/assign.h,
 * on the ledger's connection and in its transaction):
 * routed invoices get an assignment number, the service reference made
 * from it, the customer group and the login code.  Each input is one
 * transaction; its records reach stdout only after the commit.  An input
 * record routed before (same invoice number, date and source) gets its
 * earlier decision again, so a rerun makes no second assignment.
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
#include "route/router.h"

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

struct route_job {
	struct router *rt;
	struct ledger *l;
	struct recout *w;
	int rejected;		/* some invoice was rejected */
};

static void
write_route(struct recout *w, const struct assignment *x)
{
	rec_begin(w, "route");
	rec_str(w, x->invoice_no);
	rec_date(w, x->invoice_date);
	rec_str(w, x->action);
	if (x->code != 0)
		rec_int(w, x->code);
	else
		rec_str(w, "");
	rec_str(w, x->reason);
	rec_str(w, x->service_reference);
	rec_str(w, x->group);
	rec_str(w, x->service);
	rec_str(w, x->reference);
	if (x->number != 0)
		rec_int(w, x->number);
	else
		rec_str(w, "");
	rec_str(w, x->language);
	rec_str(w, x->login_code);
	rec_str(w, x->source);
	rec_end(w);
}

/* One input: 0 ok, 1 rejected, 3 system error. */
static int
route_input(struct route_job *rt, const char *name)
{
	FILE *in, *tmp = NULL;
	struct recin r;
	struct recout w;
	struct assignment x;
	struct diag d;
	int rc = EXIT_SYSTEM, got, st, began = 0;

	if (strcmp(name, "-") == 0)
		in = stdin;
	else if ((in = fopen(name, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		    strerror(errno));
		return EXIT_REJECTED;
	}
	rec_in_init(&r, in, name);
	if ((tmp = tmpfile()) == NULL) {
		fprintf(stderr, "%s: temporary file: %s\n", progname,
		    strerror(errno));
		goto out;
	}
	rec_out_init(&w, tmp);
	rt->w = &w;
	rt->rejected = 0;
	if (ledger_begin(rt->l, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 1;
	while ((got = rec_read(&r, &d)) == 1) {
		if (strcmp(rec_field(&r, 0), "inv") != 0) {
			rec_copy(&w, r.fields, r.nfields);
			continue;
		}
		st = router_inv(rt->rt, &r, &x, &d);
		if (st == 0) {
			if (strcmp(x.action, "reject") == 0)
				rt->rejected = 1;
			write_route(rt->w, &x);
		} else {
			diag_print(stderr, &d);
			rc = st < 0 ? EXIT_SYSTEM : EXIT_REJECTED;
			goto out;
		}
	}
	if (got < 0) {
		diag_print(stderr, &d);
		rc = EXIT_REJECTED;
		goto out;
	}
	if (fflush(tmp) != 0 || ferror(tmp)) {
		fprintf(stderr, "%s: temporary file: write error\n", progname);
		goto out;
	}
	if (ledger_commit(rt->l, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 0;
	if (fcopy(tmp, stdout) < 0) {
		fprintf(stderr, "%s: standard output: write error\n",
		    progname);
		goto out;
	}
	rc = rt->rejected ? EXIT_REJECTED : EXIT_OK;
out:
	if (began)
		ledger_rollback(rt->l);
	rec_in_free(&r);
	if (tmp)
		fclose(tmp);
	if (in != stdin)
		fclose(in);
	return rc;
}

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
	struct route_job rt;
	struct assign *a = NULL;
	struct diag d;
	struct recout w;
	day_t today = DAY_NONE;
	int ch, i, rc = EXIT_OK, one;
	char *stdin_only[] = { "-" };
	char **files;
	int nfiles;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&rt, 0, sizeof(rt));
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
	if ((conf = config_load(conf_path, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_USAGE;
	}
	if (ledger_open(ledger_path, &rt.l, &d) < 0 ||
	    assign_open(rt.l, &a, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	rt.rt = router_new(conf, rt.l, a, today);
	rec_out_init(&w, stdout);
	rec_header(&w);
	fflush(stdout);
	for (i = 0; i < nfiles; i++) {
		one = route_input(&rt, files[i]);
		if (one > rc)
			rc = one;
		if (one == EXIT_SYSTEM)
			break;
	}
out:
	router_free(rt.rt);
	assign_close(a);
	ledger_close(rt.l);
	config_free(conf);
	return finish_stdout(rc);
}
