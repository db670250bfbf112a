/*
 * reskontra run -c CONF [--today DATE] [--settle SECONDS] [-q|-v] SPOOL
 *
 * The cron job (DESIGN.md "The spool"): claims the files dropped into
 * SPOOL/in/ and processes each in one transaction, filing it under
 * done/DATE/ or failed/.  The spool mechanics are src/spool/spool.c; this
 * file parses the command line, says what processing an input means, and
 * picks the exit code.
 *
 * Processing an input is, for now, reading and validating it
 * (read/reader.h) and counting its records for the run report.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/exitcode.h"
#include "base/input.h"
#include "base/money.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "read/reader.h"
#include "spool/spool.h"

static const char run_usage[] =
    "usage: reskontra run -c CONF [--today YYYY-MM-DD] [--settle SECONDS]\n"
    "                     [-q | -v] SPOOL\n"
    "\n"
    "Process the files dropped into SPOOL/in/: each is claimed, read and\n"
    "filed under SPOOL/done/DATE/ or SPOOL/failed/ (with NAME.error), and\n"
    "the run is reported in SPOOL/out/reports/.  Safe to run from cron:\n"
    "a second run at the same time exits at once, a killed run is\n"
    "finished by the next one, and a file seen before is not processed\n"
    "twice.\n"
    "\n"
    "  -c, --config CONF   configuration file (reskontra.conf(5))\n"
    "  --today DATE        date of the run (default: the system date)\n"
    "  --settle SECONDS    leave files changed in the last SECONDS alone\n"
    "                      (still being uploaded); default 5\n"
    "  -q, --quiet         no summary and no note when the spool is busy\n"
    "  -v, --verbose       say what happens to every file\n"
    "\n"
    "Exit status: 0 all inputs processed (or another run was busy),\n"
    "1 some inputs rejected (listed on standard error), 2 usage or\n"
    "configuration, 3 I/O or system error (the inputs stay claimable).\n";

struct run_ctx {
	struct reader_ctx rctx;
	int verbose;
	struct spool_job *job;	/* during a processing call */
};

static void
run_log(void *arg, const char *msg)
{
	struct run_ctx *c = arg;

	if (c->verbose)
		fprintf(stderr, "%s run: %s\n", progname, msg);
}

static void
run_warn(void *arg, const struct diag *d)
{
	struct run_ctx *c = arg;

	if (c->job)
		spool_job_count(c->job, "warnings", 1, 0, 0);
	if (c->verbose)
		diag_warn(stderr, d);
}

/* Add the record's amount in column col to the report line "what". */
static void
count_amount(struct spool_job *job, const char *what, const struct recin *in,
    size_t col)
{
	const char *s = rec_field(in, col);
	int64_t cents;

	if (money_parse(s, strlen(s), &cents) == 0)
		spool_job_count(job, what, 1, 1, cents);
	else
		spool_job_count(job, what, 1, 0, 0);
}

/* Count the records of an accepted file for the run report: one line per
 * record kind, with the total of its amount where it has one. */
static int
count_records(struct spool_job *job, FILE *tmp, struct diag *d)
{
	struct recin in;
	int r;

	rewind(tmp);
	rec_in_init(&in, tmp, "records");
	while ((r = rec_read(&in, d)) == 1) {
		const char *kind = rec_field(&in, 0);

		if (strcmp(kind, "pay") == 0)
			count_amount(job, strcmp(rec_field(&in, 9), "1") == 0 ?
			    "pay-correction" : "pay", &in, 7);
		else if (strcmp(kind, "txn") == 0)
			count_amount(job, "txn", &in, 8);
		else if (strcmp(kind, "inv") == 0)
			count_amount(job, "inv", &in, 10);
		else
			spool_job_count(job, kind, 1, 0, 0);
	}
	rec_in_free(&in);
	return r;
}

/* The format's name for the report, from the file's first bytes. */
static void
note_format(struct spool_job *job)
{
	struct input *in;
	struct diag d;
	const char *p;
	long n;
	int fd = spool_job_fd(job, &d);

	if (fd < 0)
		return;
	in = input_fdopen(fd, spool_job_name(job), &d);
	if (in == NULL)
		return;
	n = input_peek(in, 65536, &p, &d);
	if (n > 0)
		spool_job_set_format(job, format_detect(p, (size_t)n) ==
		    FMT_UNKNOWN ? "" : format_name(format_detect(p,
		    (size_t)n)));
	input_close(in);
}

static int
run_process(void *arg, struct spool_job *job, struct diag *d)
{
	struct run_ctx *c = arg;
	struct recout w;
	FILE *tmp = NULL;
	int fd, r, rc = SPOOL_SYSERR;

	c->job = job;
	note_format(job);
	fd = spool_job_fd(job, d);
	if (fd < 0)
		goto out;
	tmp = tmpfile();
	if (tmp == NULL) {
		close(fd);
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	rec_out_init(&w, tmp);
	rec_header(&w);
	r = read_fd(fd, spool_job_name(job), FMT_UNKNOWN, &c->rctx, &w, d);
	if (r == READ_REJECT) {
		rc = SPOOL_REJECT;
		goto out;
	}
	if (r != READ_OK)
		goto out;
	if (fflush(tmp) != 0 || ferror(tmp)) {
		diag_set(d, "temporary file", 0, 0, "write error: %s",
		    strerror(errno));
		goto out;
	}
	if (count_records(job, tmp, d) < 0)
		goto out;
	rc = SPOOL_OK;
out:
	if (tmp)
		fclose(tmp);
	c->job = NULL;
	return rc;
}

static int
parse_seconds(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 86400)
		return -1;
	*out = v;
	return 0;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "today", required_argument, NULL, 'T' },
		{ "settle", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct spool_opts o;
	struct spool_result res;
	struct run_ctx ctx;
	struct diag d;
	const char *conf = NULL;
	int c, quiet = 0, fd, rc;
	size_t i;

	if (wants_help(argc, argv, run_usage))
		return finish_stdout(EXIT_OK);
	memset(&o, 0, sizeof o);
	memset(&ctx, 0, sizeof ctx);
	o.today = DAY_NONE;
	o.settle = 5;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'T':
			if (parse_today("run", optarg, &o.today) < 0)
				return EXIT_USAGE;
			break;
		case 'S':
			if (parse_seconds(optarg, &o.settle) < 0)
				return usage_error("run", "--settle wants "
				    "seconds (0-86400), not '%s'", optarg);
			break;
		case 'q':
			quiet = 1;
			ctx.verbose = 0;
			break;
		case 'v':
			ctx.verbose = 1;
			quiet = 0;
			break;
		default:
			return usage_error("run", "bad option");
		}
	}
	if (conf == NULL)
		return usage_error("run", "-c CONF is required");
	if (argc - optind != 1)
		return usage_error("run", "one SPOOL directory, please");
	o.root = argv[optind];
	/* The configuration's contents are not needed to read and file
	 * inputs; it must still be there, so that a typo in the crontab
	 * is found on the first run. */
	fd = open(conf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: cannot open configuration: %s\n",
		    progname, conf, strerror(errno));
		return EXIT_USAGE;
	}
	close(fd);
	if (o.today == DAY_NONE)
		o.today = date_today();

	ctx.rctx.charset = CS_AUTO;
	ctx.rctx.schema_dir = getenv("RESKONTRA_SCHEMAS");
	if (ctx.rctx.schema_dir == NULL)
		ctx.rctx.schema_dir = DATADIR "/schemas";
	ctx.rctx.warn = run_warn;
	ctx.rctx.warn_arg = &ctx;
	o.process = run_process;
	o.arg = &ctx;
	o.log = run_log;

	rc = spool_run(&o, &res, &d);
	if (rc == SPOOL_LOCKED) {
		if (!quiet)
			diag_print(stderr, &d);
		spool_result_free(&res);
		return EXIT_OK;
	}
	for (i = 0; i < res.nrej; i++)
		fprintf(stderr, "%s\n%s run: %s: %s, moved to %s\n",
		    res.rej[i].error, progname, res.rej[i].name,
		    res.rej[i].outcome, res.rej[i].where);
	if (rc == SPOOL_SYSERR) {
		diag_print(stderr, &d);
		fprintf(stderr, "%s run: stopped; unfinished inputs stay in "
		    "in/ or work/ for the next run\n", progname);
		spool_result_free(&res);
		return EXIT_SYSTEM;
	}
	if (!quiet && (ctx.verbose || res.processed + res.duplicates +
	    res.rejected + res.refused + res.recovered > 0))
		printf("%s run: %ld processed, %ld duplicate, %ld rejected, "
		    "%ld refused, %ld finished from an earlier run, "
		    "%ld waiting%s%s\n", progname, res.processed,
		    res.duplicates, res.rejected, res.refused, res.recovered,
		    res.waiting, res.report ? "; report out/reports/" : "",
		    res.report ? res.report : "");
	rc = res.rejected + res.refused > 0 ? EXIT_REJECTED : EXIT_OK;
	spool_result_free(&res);
	return finish_stdout(rc);
}
