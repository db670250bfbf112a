/*
 * reskontra read [--format F] [--charset C] [FILE...]
 *
 * Bank and invoice files in, records out (DESIGN.md step 1).  Every file
 * is read whole before its records are released, so a rejected file adds
 * nothing to the stream; the other files are still read.  A file of
 * independent messages (Finvoice transmission) in which only some were bad
 * is READ_PARTIAL: the good messages' records are kept, and the exit
 * status is 1 as for a rejected file.
 */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/exitcode.h"
#include "cmd/cmd.h"
#include "read/reader.h"

static const char read_usage[] =
    "usage: reskontra read [--format F] [--charset C] [FILE...]\n"
    "\n"
    "Read KTO statements, KTL reference payments, camt.053/054 and\n"
    "Finvoice files (gzip or not) and write records on standard output.\n"
    "With no FILE, or FILE '-', read standard input.\n"
    "\n"
    "  -f, --format F    kto, ktl, camt053, camt054, finvoice, si, ri\n"
    "                    (default: detected from the content)\n"
    "  -C, --charset C   text fields' character set: iso646-fi,\n"
    "                    iso-8859-1, iso-8859-15, utf-8 (default: auto)\n"
    "\n"
    "Exit status: 0 all files read, 1 a file was rejected, 2 usage,\n"
    "3 I/O error.\n";

static const char check_usage[] =
    "usage: reskontra check [--schema] [--format F] [--charset C] FILE...\n"
    "\n"
    "Validate files as 'reskontra read' does, without output.  Errors and\n"
    "warnings go to standard error.\n"
    "\n"
    "  -s, --schema      also validate XML against the official XSD\n"
    "  -f, --format F    as for read\n"
    "  -C, --charset C   as for read\n"
    "\n"
    "Exit status: 0 all files valid, 1 a file was rejected, 2 usage,\n"
    "3 I/O error.\n";

int
read_command(int argc, char **argv, int check)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "charset", required_argument, NULL, 'C' },
		{ "schema", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd = check ? "check" : "read";
	struct reader_ctx ctx;
	struct recout out;
	enum format fmt = FMT_UNKNOWN;
	struct diag d;
	int c, i, rc = EXIT_OK;
	char *stdin_only[] = { "-", NULL };
	char **files;
	int nfiles;

	if (wants_help(argc, argv, check ? check_usage : read_usage))
		return finish_stdout(EXIT_OK);
	memset(&ctx, 0, sizeof ctx);
	ctx.charset = CS_AUTO;
	ctx.schema_dir = schema_dir();
	optind = 1;
	while ((c = getopt_long(argc, argv, check ? "f:C:s" : "f:C:",
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (format_from_name(optarg, &fmt) < 0)
				return usage_error(cmd, "unknown format '%s'",
				    optarg);
			break;
		case 'C':
			if (charset_from_name(optarg, &ctx.charset) < 0)
				return usage_error(cmd,
				    "unknown character set '%s'", optarg);
			break;
		case 's':
			if (!check)
				return usage_error(cmd,
				    "--schema belongs to 'check'");
			ctx.schema = 1;
			break;
		default:
			return usage_error(cmd, "bad option");
		}
	}
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		if (check)
			return usage_error(cmd, "no files to check");
		files = stdin_only;
		nfiles = 1;
	}
	rec_out_init(&out, stdout);
	if (!check)
		rec_header(&out);
	for (i = 0; i < nfiles; i++) {
		int r = read_file(files[i], fmt, &ctx, check ? NULL : &out, &d);

		if (r == READ_OK)
			continue;
		diag_print(stderr, &d);
		if (r == READ_SYSERR)
			rc = EXIT_SYSTEM;
		else if (rc == EXIT_OK)
			rc = EXIT_REJECTED;
	}
	return finish_stdout(rc);
}

int
cmd_read(int argc, char **argv)
{
	return read_command(argc, argv, 0);
}
