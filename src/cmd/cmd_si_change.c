/*
 * reskontra si-change: CHANGE messages of the company's SI messages for
 * its receivables service (DESIGN.md step 7, man reskontra-si-change,
 * formats/si.md).
 *
 * Options and wiring only: write/si_change.h does the work.  With -o DIR
 * each input gives one file per receiving bank, complete or absent
 * (base/outfile.h); without it the CHANGE messages go to standard output,
 * bank by bank.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/input.h"
#include "base/outfile.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "write/si_change.h"

static const char usage[] =
    "usage: reskontra si-change -c CONF [-o DIR] [--today DATE] [FILE...]\n"
    "\n"
    "Write a CHANGE message for every valid Finvoice SI message (invoicer\n"
    "notification) of each FILE: the service account ([service] iban,\n"
    "bic) added to the seller's accounts, reference identifiers (types 01\n"
    "and 02) switched to [service] identifier_type, one output per\n"
    "receiving bank, framed to SENDERINFO at that bank.\n"
    "\n"
    "  -c, --config CONF   reskontra.conf(5)\n"
    "  -o, --output DIR    one file per input and bank: NAME.BIC.xml\n"
    "                      (default: all to standard output)\n"
    "      --today DATE    MessageDate of the CHANGE, YYYY-MM-DD\n"
    "                      (default: today)\n"
    "\n"
    "Exit status: 0 ok, 1 a message or file rejected, 2 usage or\n"
    "configuration, 3 I/O error.\n";

struct sicmd {
	struct si_change sc;
	char bic[BIC_BUFSZ];	/* the service BIC (si_change_init) */
	const char *outdir;
	const char *base;	/* the input's base name */
	int rejected;
	int clash;		/* an output's name held other bytes */
};

static int
emit_stdout(void *arg, const char *bank, const char *data, size_t len,
    struct diag *d)
{
	if (fwrite(data, 1, len, stdout) != len) {
		diag_set(d, "standard output", 0, 0, "write error: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
emit_file(void *arg, const char *bank, const char *data, size_t len,
    struct diag *d)
{
	struct sicmd *c = arg;
	struct sbuf name = SBUF_INIT;
	int rc;

	si_change_output_name(c->base, bank, &name);
	/* -2: the name holds other bytes (an earlier file not yet sent):
	 * never replaced */
	if ((rc = outfile_write_new(c->outdir, name.data, data, len, d)) ==
	    -2) {
		c->clash = 1;
		rc = -1;
	}
	sbuf_free(&name);
	return rc;
}

static void
reject(void *arg, const struct diag *md)
{
	struct sicmd *c = arg;

	c->rejected = 1;
	diag_print(stderr, md);
}

/* One input file: EXIT_* */
static int
change_file(struct sicmd *c, const char *path)
{
	struct si_change_counts cnt;
	struct input *in;
	struct diag d;
	char *copy = xstrdup(path);
	int r = -1;

	c->base = basename(copy);
	c->clash = 0;
	if ((in = input_open(path, &d)) != NULL) {
		r = si_change_file(&c->sc, in, path, &cnt, &d);
		input_close(in);
	}
	if (r != 0)
		diag_print(stderr, &d);
	free(copy);
	/* a name taken by other bytes refuses the file, like a bad one */
	return r == 0 ? EXIT_OK : r > 0 || c->clash ? EXIT_REJECTED :
	    EXIT_SYSTEM;
}

/* The command line: -1 to go on, or an exit status. */
static int
options(int argc, char **argv, struct sicmd *c, const char **conf_path)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			*conf_path = optarg;
			break;
		case 'o':
			c->outdir = optarg;
			break;
		case 'T':
			if (parse_today(argv[0], optarg, &c->sc.today) < 0)
				return EXIT_USAGE;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (*conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	return -1;
}

int
cmd_si_change(int argc, char **argv)
{
	const char *conf_path = NULL;
	struct config *conf = NULL;
	struct sicmd c;
	struct diag d;
	int i, rc, one;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&c, 0, sizeof c);
	c.sc.today = DAY_NONE;
	if ((rc = options(argc, argv, &c, &conf_path)) >= 0)
		return rc;
	rc = EXIT_OK;
	if ((conf = load_config(conf_path)) == NULL)
		return EXIT_USAGE;
	if (si_change_init(&c.sc, conf, c.bic, &d) < 0) {
		diag_print(stderr, &d);
		config_free(conf);
		return EXIT_USAGE;
	}
	if (c.sc.today == DAY_NONE)
		c.sc.today = date_today();
	c.sc.schema_dir = schema_dir();
	c.sc.emit = c.outdir != NULL ? emit_file : emit_stdout;
	c.sc.reject = reject;
	c.sc.arg = &c;
	for (i = optind; i < argc || i == optind; i++) {
		/* no FILE: standard input, as every filter reads */
		one = change_file(&c, i < argc ? argv[i] : "-");
		if (one > rc)
			rc = one;
		if (one == EXIT_SYSTEM)
			break;
	}
	if (rc == EXIT_OK && c.rejected)
		rc = EXIT_REJECTED;
	config_free(conf);
	return finish_stdout(rc);
}
