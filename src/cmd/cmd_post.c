/*
 * reskontra post: alloc records to balanced posting vouchers
 * (man reskontra-post, formats/vouchers.md).  The rules are in
 * write/voucher.c; this file reads the streams and picks the exit code.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "pipeline/pipeline.h"
#include "write/voucher.h"

static const char usage[] =
    "usage: reskontra post -c CONF [--csv | --format FORMAT] [--first N]\n"
    "                      [FILE...]\n"
    "\n"
    "Read alloc records (standard input if no FILE) and write one\n"
    "balanced voucher (type MS) per payment, numbered from N (default 1);\n"
    "voucher records (a finished voucher file) are written in FORMAT as\n"
    "they are.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5): the [accounts] numbers,\n"
    "                      [output] bom\n"
    "  --csv               the same as --format csv\n"
    "  --format FORMAT     tsv (voucher records, the default), csv\n"
    "                      (spreadsheet: ';', decimal comma, header) or\n"
    "                      netvisor (Netvisor's accounting data import)\n"
    "  --first N           number of the first voucher\n"
    "\n"
    "Exit status: 0 ok, 1 an input rejected or records quarantined,\n"
    "2 usage or configuration, 3 I/O error.\n";

/* One input: the stage is pipeline_post(), the one `reskontra run` uses.
 * 0 ok, 1 rejected or records set aside (said on standard error), 3. */
static int
post_input(struct pipeline *p, struct voucher_writer *v, const char *name)
{
	FILE *in;
	struct recin r;
	struct diag d;
	long q0 = p->quarantined;
	int st, rc;

	if (strcmp(name, "-") == 0)
		in = stdin;
	else if ((in = pipeline_open_input(p, name, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	rec_in_init(&r, in, name);
	st = pipeline_post(p, v, &r, &d);
	if (st != PIPE_OK)
		diag_print(stderr, &d);
	rc = st == PIPE_SYSERR ? EXIT_SYSTEM : st == PIPE_REJECT ||
	    p->quarantined > q0 ? EXIT_REJECTED : EXIT_OK;
	rec_in_free(&r);
	if (in != stdin)
		fclose(in);
	return rc;
}

int
cmd_post(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "first", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = NULL;
	struct config *conf;
	struct voucher_writer *v;
	struct pipeline p;
	struct diag d;
	enum voucher_format format = VOUCHERS_TSV;
	int ch, i, rc = EXIT_OK, one;
	long first = 1;
	char *end;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'C':
			format = VOUCHERS_CSV;
			break;
		case 'F':
			if (config_voucher_format_parse(optarg, &format) < 0)
				return usage_error(argv[0], "--format wants "
				    "tsv, csv or netvisor, not '%s'", optarg);
			break;
		case 'f':
			errno = 0;
			first = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || first < 1)
				return usage_error(argv[0], "--first wants a "
				    "number >= 1, not '%s'", optarg);
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if ((conf = load_config(conf_path)) == NULL)
		return EXIT_USAGE;
	/* posting needs no ledger */
	if (pipeline_open(&p, conf, NULL, DAY_NONE, NULL, &d) < 0)
		abort();
	v = voucher_new(conf, first, format, stdout);
	if (optind == argc)
		rc = post_input(&p, v, "-");
	for (i = optind; i < argc; i++) {
		long unopened = p.unopened;

		one = post_input(&p, v, argv[i]);
		if (one > rc)
			rc = one;
		if (pipeline_filter_stops(&p, one, unopened))
			break;
	}
	voucher_free(v);
	pipeline_close(&p);
	config_free(conf);
	return finish_stdout(rc);
}
