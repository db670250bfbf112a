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
#include "write/voucher.h"

static const char usage[] =
    "usage: reskontra post -c CONF [--csv] [--first N] [FILE...]\n"
    "\n"
    "Read alloc records (standard input if no FILE) and write one\n"
    "balanced voucher (type MS) per payment, numbered from N (default 1).\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5): the [accounts] numbers\n"
    "  --csv               spreadsheet output: UTF-8 with BOM, ';',\n"
    "                      decimal comma\n"
    "  --first N           number of the first voucher\n"
    "\n"
    "Exit status: 0 ok, 1 an input rejected or records quarantined,\n"
    "2 usage or configuration, 3 I/O error.\n";

static int
post_input(struct voucher_writer *v, const char *name)
{
	FILE *in;
	struct recin r;
	struct diag d;
	int got, st, rc = EXIT_OK;

	if (strcmp(name, "-") == 0)
		in = stdin;
	else if ((in = fopen(name, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, name,
		    strerror(errno));
		return EXIT_REJECTED;
	}
	rec_in_init(&r, in, name);
	while ((got = rec_read(&r, &d)) == 1) {
		st = voucher_feed(v, &r, &d);
		if (st < 0) {
			diag_print(stderr, &d);
			rc = EXIT_SYSTEM;
			goto out;
		}
		if (st == 1) {
			diag_print(stderr, &d);
			rc = EXIT_REJECTED;
		}
	}
	if (got < 0) {
		diag_print(stderr, &d);
		rc = EXIT_REJECTED;
	}
	if (voucher_flush(v, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
out:
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
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = NULL;
	struct config *conf;
	struct voucher_writer *v;
	struct diag d;
	int ch, i, csv = 0, rc = EXIT_OK, one;
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
			csv = 1;
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
	if ((conf = config_load(conf_path, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_USAGE;
	}
	v = voucher_new(conf, first, csv, stdout);
	if (optind == argc)
		rc = post_input(v, "-");
	for (i = optind; i < argc; i++) {
		one = post_input(v, argv[i]);
		if (one > rc)
			rc = one;
		if (one == EXIT_SYSTEM)
			break;
	}
	voucher_free(v);
	config_free(conf);
	return finish_stdout(rc);
}
