/*
 * reskontra rewrite: write the Finvoice files to send, after routing
 * (DESIGN.md step 3, man reskontra-rewrite, formats/finvoice-rewrite.md).
 *
 * Each input file is read a message at a time (write/finvoice_route.h,
 * base/fvsplit.h).  A message's invoice number and date find the
 * decision `reskontra route` stored in the ledger: routed messages are
 * rewritten for the service, passed ones copied byte for byte, rejected
 * ones (with the frame before them) go to the rejected directory with a
 * .error file.  The output file has the input's name and appears only
 * complete (base/outfile.h).  A file with a message that has no decision
 * is refused whole: nothing is written for it.
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
#include "base/ident.h"
#include "base/input.h"
#include "base/outfile.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "base/xmlsafe.h"
#include "route/route.h"
#include "write/finvoice_route.h"

static const char usage[] =
    "usage: reskontra rewrite -c CONF -l LEDGER -o DIR [-r DIR] FILE...\n"
    "\n"
    "Write each Finvoice FILE to DIR with the invoices that 'reskontra\n"
    "route' routed rewritten for the service (account, reference, payee,\n"
    "transfer clause), the others unchanged; rejected invoices go to the\n"
    "rejected directory with a .error file.\n"
    "\n"
    "  -c, --config CONF     reskontra.conf(5)\n"
    "  -l, --ledger FILE     the ledger database with the route decisions\n"
    "  -o, --output DIR      where the files to send are written\n"
    "  -r, --rejected DIR    rejected invoices (default: DIR/rejected)\n"
    "\n"
    "Exit status: 0 ok, 1 a file refused or an invoice rejected,\n"
    "2 usage or configuration, 3 I/O or ledger error.\n";

struct rewriter {
	struct fvroute fr;
	const char *outdir, *rejdir;
	struct outfile out;	/* the file to send, while it is written */
	int out_open;
	int rejected;
	int clash;		/* an output's name held other bytes */
	long unopened;		/* inputs that could not be opened */
};

/* The directory is made on first use (the rejected one is often never
 * needed). */
static int
make_dir(const char *dir, struct diag *d)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		diag_set(d, dir, 0, 0, "cannot make directory: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The file to send, written as fvroute_file() goes and renamed into
 * the output directory only when the whole file was written. */
static FILE *
open_output(void *arg, const char *name, struct diag *d)
{
	struct rewriter *rw = arg;

	if (make_dir(rw->outdir, d) < 0 ||
	    outfile_open(&rw->out, rw->outdir, name, d) < 0)
		return NULL;
	rw->out_open = 1;
	return rw->out.fp;
}

/* Rejected messages and their .error files into the rejected
 * directory. */
static int
emit_file(void *arg, enum fvroute_kind kind, const char *name,
    const char *data, size_t len, struct diag *d)
{
	struct rewriter *rw = arg;
	int r;

	rw->rejected = 1;
	/* -2: the name holds other bytes (an earlier file not yet taken
	 * away): never replaced */
	if ((r = outfile_write_new(rw->rejdir, name, data, len, d)) == -2)
		rw->clash = 1;
	return r;
}

/* One input file: EXIT_* */
static int
rewrite_file(struct rewriter *rw, const char *path)
{
	struct fvroute_counts cnt;
	struct input *in;
	struct diag d;
	char *pathcopy = xstrdup(path), *base = basename(pathcopy);
	int r = 1;

	rw->clash = 0;
	/* a file that cannot be opened: status 3, as in every command */
	if ((in = input_open(path, &d)) == NULL) {
		r = -1;
		rw->unopened++;
	} else {
		r = fvroute_file(&rw->fr, in, path, base, &cnt, &d);
		input_close(in);
	}
	if (rw->out_open) {
		int c;

		if (r == 0 && (c = outfile_commit_new(&rw->out, &d)) < 0) {
			r = -1;
			rw->clash = c == -2;
		} else if (r != 0)
			outfile_abort(&rw->out);
		rw->out_open = 0;
	}
	if (r != 0)
		diag_print(stderr, &d);
	free(pathcopy);
	/* a name taken by other bytes refuses the file, like a bad one */
	return r == 0 ? EXIT_OK : r < 0 && !rw->clash ? EXIT_SYSTEM :
	    EXIT_REJECTED;
}

/* The command line into rw and the paths: -1 to go on, or an exit
 * status. */
static int
rewrite_options(int argc, char **argv, struct rewriter *rw,
    const char **conf_path, const char **ledger_path)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "rejected", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:l:o:r:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			*conf_path = optarg;
			break;
		case 'l':
			*ledger_path = optarg;
			break;
		case 'o':
			rw->outdir = optarg;
			break;
		case 'r':
			rw->rejdir = optarg;
			break;
		default:
			return usage_error(argv[0], "unknown option");
		}
	}
	if (*conf_path == NULL)
		return usage_error(argv[0], "-c CONF is required");
	if (*ledger_path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (rw->outdir == NULL)
		return usage_error(argv[0], "-o DIR is required");
	if (optind == argc)
		return usage_error(argv[0], "no files to rewrite");
	return -1;
}

int
cmd_rewrite(int argc, char **argv)
{
	const char *conf_path = NULL, *ledger_path = NULL;
	struct config *conf = NULL;
	struct rewriter rw;
	struct ledger *l = NULL;
	struct sbuf rejdir = SBUF_INIT;
	struct diag d;
	int i, rc = EXIT_OK, one;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	memset(&rw, 0, sizeof(rw));
	if ((rc = rewrite_options(argc, argv, &rw, &conf_path,
	    &ledger_path)) >= 0)
		return rc;
	rc = EXIT_OK;
	if (rw.rejdir == NULL) {
		sbuf_addf(&rejdir, "%s/rejected", rw.outdir);
		rw.rejdir = rejdir.data;
	}
	if ((conf = load_config(conf_path)) == NULL) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (fvroute_init(&rw.fr, conf, NULL, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_USAGE;
		goto out;
	}
	rw.fr.open_output = open_output;
	rw.fr.emit = emit_file;
	rw.fr.arg = &rw;
	if (ledger_open(ledger_path, &l, &d) < 0 ||
	    assign_open(l, &rw.fr.a, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
		goto out;
	}
	rw.fr.ledger = l;
	for (i = optind; i < argc; i++) {
		long unopened = rw.unopened;

		one = rewrite_file(&rw, argv[i]);
		if (one > rc)
			rc = one;
		/* an output error stops; an input not there does not */
		if (one == EXIT_SYSTEM && rw.unopened == unopened)
			break;
	}
	if (rc == EXIT_OK && rw.rejected)
		rc = EXIT_REJECTED;
out:
	assign_close(rw.fr.a);
	ledger_close(l);
	config_free(conf);
	sbuf_free(&rejdir);
	return finish_stdout(rc);
}
