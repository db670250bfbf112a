/*
 * reskontra match: apply payments and invoices in a record stream to the
 * ledger and write one alloc record per decision (man reskontra-match).
 *
 * Each input is one ledger transaction.  Its output goes to a temporary
 * file first and reaches stdout only after the transaction commits, so a
 * rejected input leaves neither ledger rows nor records behind.
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
#include "ledger/match.h"

static const char usage[] =
    "usage: reskontra match -c CONF -l LEDGER [FILE...]\n"
    "\n"
    "Read record streams (standard input if no FILE or FILE is -), store\n"
    "inv records in the ledger and apply pay records to open invoices;\n"
    "write one alloc record per decision, other records unchanged.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5)\n"
    "  -l, --ledger FILE   the ledger database (created if missing)\n"
    "\n"
    "Exit status: 0 ok, 1 an input rejected or records quarantined,\n"
    "2 usage or configuration, 3 I/O or ledger error.\n";

/*
 * stdio buffers for the inputs and the temporary output: with the default
 * (st_blksize, often 4 KiB) a million payments cost some 50 000 read and
 * write calls.  One input file is open at a time, so inbuf and tmpbuf are
 * reused; standard input keeps its own, as it may be named again later.
 */
#define IOBUFSZ (1 << 20)
static char stdinbuf[IOBUFSZ], inbuf[IOBUFSZ], tmpbuf[IOBUFSZ];

/* One input: 0 ok, 1 rejected or quarantined, 3 system error. */
static int
match_input(struct ledger *l, struct assign *a, const struct config *conf,
    const char *name)
{
	FILE *in, *tmp = NULL;
	struct recin r;
	struct recout w;
	struct match *m = NULL;
	struct diag d;
	int rc = EXIT_SYSTEM, got, status, quarantined = 0;

	if (strcmp(name, "-") == 0)
		in = stdin;
	else if ((in = fopen(name, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		    strerror(errno));
		return EXIT_REJECTED;
	}
	if (in != stdin)
		setvbuf(in, inbuf, _IOFBF, sizeof inbuf);
	rec_in_init(&r, in, name);
	if ((tmp = tmpfile()) == NULL) {
		fprintf(stderr, "%s: temporary file: %s\n", progname,
		    strerror(errno));
		goto out;
	}
	setvbuf(tmp, tmpbuf, _IOFBF, sizeof tmpbuf);
	rec_out_init(&w, tmp);
	m = match_new(l, conf, &w);
	match_set_assign(m, a);
	if (ledger_begin(l, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	while ((got = rec_read(&r, &d)) == 1) {
		status = match_record(m, &r, &d);
		if (status < 0) {
			diag_print(stderr, &d);
			ledger_rollback(l);
			goto out;
		}
		if (status == 1) {
			diag_print(stderr, &d);
			quarantined = 1;
		}
	}
	if (got < 0) {
		/* a broken stream is rejected whole */
		diag_print(stderr, &d);
		ledger_rollback(l);
		rc = EXIT_REJECTED;
		goto out;
	}
	if (fflush(tmp) != 0 || ferror(tmp)) {
		fprintf(stderr, "%s: temporary file: write error\n", progname);
		ledger_rollback(l);
		goto out;
	}
	if (ledger_commit(l, &d) < 0) {
		diag_print(stderr, &d);
		ledger_rollback(l);
		goto out;
	}
	if (fcopy(tmp, stdout) < 0) {
		fprintf(stderr, "%s: standard output: write error\n",
		    progname);
		goto out;
	}
	rc = quarantined ? EXIT_REJECTED : EXIT_OK;
out:
	match_free(m);
	rec_in_free(&r);
	if (tmp)
		fclose(tmp);
	if (in != stdin)
		fclose(in);
	return rc;
}

int
cmd_match(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = NULL, *ledger_path = NULL;
	struct config *conf = NULL;
	struct ledger *l = NULL;
	struct assign *a = NULL;
	struct sbuf inputs = SBUF_INIT;
	struct diag d;
	struct recout w;
	int ch, i, rc = EXIT_OK, one;
	char *stdin_only[] = { "-" };
	char **files;
	int nfiles;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'l':
			ledger_path = optarg;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	/* before anything reads standard input */
	setvbuf(stdin, stdinbuf, _IOFBF, sizeof stdinbuf);
	if ((conf = config_load(conf_path, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_USAGE;
	}
	/* amili, kassavirta: routed invoices are looked up in the
	 * assignments; a settlement is known by its payer */
	if (conf->service == SERVICE_AMILI ||
	    conf->service == SERVICE_KASSAVIRTA) {
		if (conf->payer_name == NULL || *conf->payer_name == '\0') {
			fprintf(stderr, "%s: %s: [service] payer_name is "
			    "required for type = %s\n", progname, conf_path,
			    config_service_name(conf->service));
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (ledger_open(ledger_path, &l, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	if ((conf->service == SERVICE_AMILI ||
	    conf->service == SERVICE_KASSAVIRTA) &&
	    assign_open(l, &a, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		sbuf_addf(&inputs, "%s%s", i ? " " : "", files[i]);
	if (ledger_run_start(l, "match", inputs.data, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	rec_out_init(&w, stdout);
	rec_header(&w);
	for (i = 0; i < nfiles; i++) {
		one = match_input(l, a, conf, files[i]);
		if (one > rc)
			rc = one;
		if (one == EXIT_SYSTEM)
			break;
	}
	if (ledger_run_finish(l, rc == EXIT_OK ? "ok" : rc == EXIT_REJECTED ?
	    "rejected" : "error", &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
out:
	sbuf_free(&inputs);
	assign_close(a);
	ledger_close(l);
	config_free(conf);
	return finish_stdout(rc);
}
