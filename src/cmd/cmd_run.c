/*
 * reskontra run -c CONF [--init] [--today DATE] [--settle SECONDS] [-q|-v]
 *     [--times] SPOOL
 *
 * The cron job (DESIGN.md "The spool"): claims the files dropped into
 * SPOOL/in/ and processes each in one transaction, filing it under
 * done/DATE/ or failed/.  The spool mechanics are src/spool/spool.c and
 * what processing an input means is pipeline_input() (src/pipeline/):
 * read, route and rewrite (a Finvoice input of a service that routes
 * invoices), match, post -- the stages the single filters run too.
 * This file parses the command line, gives the pipeline the spool's
 * connection (so the ledger's changes and the input's "processed" mark
 * commit together), its staged outputs and the run report as the place
 * for counts and notes, writes the run's notices for the service after
 * the inputs (out/notices/), and picks the exit code.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/input.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "ledger/db.h"
#include "ledger/ledger.h"
#include "ledger/notice.h"
#include "read/reader.h"
#include "pipeline/pipeline.h"
#include "spool/spool.h"
#include "write/notice_file.h"

static const char run_usage[] =
    "usage: reskontra run -c CONF [--init] [--today YYYY-MM-DD]\n"
    "                     [--settle SECONDS] [-q | -v] [--times] SPOOL\n"
    "\n"
    "Process the files dropped into SPOOL/in/: each is claimed, read and\n"
    "filed under SPOOL/done/DATE/ or SPOOL/failed/ (with NAME.error), and\n"
    "the run is reported in SPOOL/out/reports/.  With a service that\n"
    "takes invoices, Finvoice inputs are routed and rewritten into\n"
    "SPOOL/out/invoices/ and out/rejected/, notices go to out/notices/.\n"
    "Safe to run from cron: a second run at the same time exits at\n"
    "once, a killed run is finished by the next one, and a file seen\n"
    "before is not processed twice.\n"
    "\n"
    "  -c, --config CONF   configuration file (reskontra.conf(5))\n"
    "  --init              create the spool's folders in SPOOL even if it\n"
    "                      is not a spool yet (has no in/ and no\n"
    "                      state/ledger.db); without it such a SPOOL is\n"
    "                      refused\n"
    "  --today DATE        date of the run (default: the system date)\n"
    "  --settle SECONDS    leave files changed in the last SECONDS alone\n"
    "                      (still being uploaded); default 5\n"
    "  -q, --quiet         no summary and no note when the spool is busy\n"
    "  -v, --verbose       say what happens to every file\n"
    "  --times             print where the time went, per stage (standard\n"
    "                      error)\n"
    "\n"
    "Exit status: 0 all inputs processed (or another run was busy),\n"
    "1 some inputs rejected (listed on standard error), 2 usage or\n"
    "configuration (also: SPOOL empty, /, or not a spool), 3 I/O or\n"
    "system error (the inputs stay claimable).\n";

struct run_ctx {
	struct reader_ctx rctx;
	int verbose;
	int times;		/* --times */
	struct timespec start;
	struct spool_job *job;	/* during a processing call */
	struct config *conf;
	struct ledger *ledger;
	struct pipeline pipe;	/* the stages, on the spool's connection */
	int pipe_open;
	day_t today;
	const char *root;
};

static void run_warn(void *arg, const struct diag *d);
static void run_quarantine(void *arg, const struct diag *d);
static void run_count(void *arg, const char *what, long n, int has_cents,
    int64_t cents);
static void run_note(void *arg, const char *kind, const char *const *f,
    size_t n);

static int
run_open_db(void *arg, const char *path, sqlite3 **db, struct diag *d)
{
	struct run_ctx *c = arg;
	struct pipeline_report rep = {
		run_warn, run_quarantine, run_count, run_note, c
	};

	if (ledger_open(path, &c->ledger, d) < 0)
		return -1;
	c->pipe_open = 1;
	if (pipeline_open(&c->pipe, c->conf, c->ledger, c->today, &rep,
	    d) < 0)
		return -1;
	c->pipe.times.on = c->times;
	if (ledger_run_start(c->ledger, "run", c->root, d) < 0)
		return -1;
	*db = (sqlite3 *)ledger_db(c->ledger);
	return 0;
}

static void
run_close_db(void *arg)
{
	struct run_ctx *c = arg;
	struct diag d;

	if (c->ledger)
		ledger_run_finish(c->ledger, "done", &d);
	if (c->pipe_open)
		pipeline_close(&c->pipe);
	c->pipe_open = 0;
	ledger_close(c->ledger);
	c->ledger = NULL;
}

static void
run_log(void *arg, const char *msg)
{
	struct run_ctx *c = arg;

	if (c->verbose) {
		/* msg names files: shown, never sent raw to a terminal */
		fprintf(stderr, "%s run: ", progname);
		diag_put_visible(stderr, msg);
		fputc('\n', stderr);
	}
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

static void
run_count(void *arg, const char *what, long n, int has_cents, int64_t cents)
{
	struct run_ctx *c = arg;

	spool_job_count(c->job, what, n, has_cents, cents);
}

static void
run_note(void *arg, const char *kind, const char *const *f, size_t n)
{
	struct run_ctx *c = arg;

	spool_job_note(c->job, kind, (const char **)f, n);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* --times: a line per stage on standard error, then the rest of the run
 * (the spool: claiming, journal, fsync, filing, notices, the report). */
static void
print_times(const struct run_ctx *c)
{
	double total, staged = 0;
	struct rusage ru;
	int i;

	const struct pipeline_times *t = &c->pipe.times;

	if (!c->times)
		return;
	total = seconds_since(&c->start);
	for (i = 0; i < PIPE_STAGES; i++) {
		staged += t->wall[i];
		fprintf(stderr, "%s run: stage %-8s %8.3f s  peak %8ld KB\n",
		    progname, pipeline_stage_names[i], t->wall[i],
		    t->peak_kb[i]);
	}
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		ru.ru_maxrss = 0;
	fprintf(stderr, "%s run: stage %-8s %8.3f s  peak %8ld KB\n",
	    progname, "spool", total - staged, ru.ru_maxrss);
	fprintf(stderr, "%s run: stage %-8s %8.3f s\n", progname, "total",
	    total);
}

/* A record set aside: named in the run report. */
static void
run_quarantine(void *arg, const struct diag *qd)
{
	struct run_ctx *c = arg;
	const char *f[1];
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (fp == NULL)
		abort();
	diag_print(fp, qd);
	fclose(fp);
	if (len > 0 && text[len - 1] == '\n')
		text[len - 1] = '\0';
	f[0] = text;
	spool_job_note(c->job, "quarantined", f, 1);
	spool_job_count(c->job, "quarantined", 1, 0, 0);
	free(text);
}

/* Outputs are named after the input; a name too long for that is
 * replaced by the input's hash, a leading dot by '_'. */
static int
output_base(struct spool_job *job, struct sbuf *out)
{
	int hash = strlen(spool_job_name(job)) > 200;

	if (!hash)
		sbuf_adds(out, spool_job_name(job));
	else
		sbuf_addf(out, "%.16s", spool_job_sha256(job));
	if (out->data[0] == '.')
		out->data[0] = '_';
	return hash;
}

/* The sink of pipeline_input(): the job's staged outputs. */
static FILE *
job_output(void *arg, const char *dir, const char *name, struct diag *d)
{
	struct run_ctx *c = arg;

	return spool_job_output(c->job, dir, name, d);
}

/* Vouchers are numbered on from the last one any earlier input got. */
static long
job_first_voucher(void *arg, struct diag *d)
{
	struct run_ctx *c = arg;
	int64_t n;

	if (db_int(spool_job_db(c->job), "SELECT coalesce(sum(n), 0) FROM "
	    "spool_count WHERE what = 'vouchers'", 0, 0, &n, d) < 0)
		return 0;
	return (long)n + 1;
}

/* The job's input, opened once for every pass over it, and its format
 * named for the report from its first bytes.  NULL with d. */
static struct input *
open_input(struct spool_job *job, enum format *fmt, struct diag *d)
{
	struct input *in;
	struct diag pd;
	const char *p;
	long n;
	int fd = spool_job_fd(job, d);

	*fmt = FMT_UNKNOWN;
	if (fd < 0)
		return NULL;
	if ((in = input_fdopen(fd, spool_job_name(job), d)) == NULL)
		return NULL;
	n = input_peek(in, 65536, &p, &pd);
	if (n > 0) {
		*fmt = format_detect(p, (size_t)n);
		spool_job_set_format(job, *fmt == FMT_UNKNOWN ? "" :
		    format_name(*fmt));
	}
	/* Bad data (a broken gzip stream) is the reader's to reject; a
	 * system error stops the run: the input must not go on as a file
	 * of no known format (a Finvoice file would be stored unrouted). */
	if (n < 0 && input_error_is_io(in)) {
		*d = pd;
		input_close(in);
		return NULL;
	}
	return in;
}

static int
run_process(void *arg, struct spool_job *job, struct diag *d)
{
	struct run_ctx *c = arg;
	struct pipeline_sink sink;
	struct sbuf base = SBUF_INIT;
	struct input *in;
	enum format fmt;
	int r, rc = SPOOL_SYSERR;

	c->job = job;
	if ((in = open_input(job, &fmt, d)) != NULL) {
		memset(&sink, 0, sizeof sink);
		sink.name = spool_job_name(job);
		sink.base_is_hash = output_base(job, &base);
		sink.base = base.data;
		sink.output = job_output;
		sink.first_voucher = job_first_voucher;
		sink.arg = c;
		r = pipeline_input(&c->pipe, in, fmt, &c->rctx, &sink, d);
		rc = r == PIPE_OK ? SPOOL_OK : r == PIPE_REJECT ?
		    SPOOL_REJECT : SPOOL_SYSERR;
	}
	input_close(in);
	sbuf_free(&base);
	c->job = NULL;
	return rc;
}

/* After the inputs: the notices for the service that the run's
 * allocations made (ledger/notice.h) into out/notices/.  A batch is
 * taken in one transaction and written under its own name before it is
 * marked written, so a killed run's batch is written again, whole and
 * under the same name, by the next one (whose recovery has removed the
 * temporary file of a write that was cut off). */
static int
run_finish(void *arg, struct diag *d)
{
	struct run_ctx *c = arg;
	struct notice_batch b;
	struct sbuf dir = SBUF_INIT;
	int rc = -1;

	if (c->pipe.notices == NULL)
		return 0;
	sbuf_addf(&dir, "%s/out/notices", c->root);
	if (ledger_begin(c->ledger, d) < 0)
		goto out;
	if (notice_new_batch(c->pipe.notices, c->today, &b, d) < 0 ||
	    ledger_commit(c->ledger, d) < 0) {
		ledger_rollback(c->ledger);
		goto out;
	}
	if (notice_file_write_pending(c->ledger, c->pipe.notices, dir.data,
	    NULL, NULL, d) < 0)
		goto out;
	rc = 0;
out:
	sbuf_free(&dir);
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

/* The command line into o, *conf and ctx: 0, or an exit status (-1:
 * none, go on). */
static int
run_options(int argc, char **argv, struct spool_opts *o, const char **conf,
    struct run_ctx *ctx, int *quiet)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "init", no_argument, NULL, 'I' },
		{ "today", required_argument, NULL, 'T' },
		{ "settle", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "times", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			*conf = optarg;
			break;
		case 'I':
			o->init = 1;
			break;
		case 'T':
			if (parse_today("run", optarg, &o->today) < 0)
				return EXIT_USAGE;
			break;
		case 'S':
			if (parse_seconds(optarg, &o->settle) < 0)
				return usage_error("run", "--settle wants "
				    "seconds (0-86400), not '%s'", optarg);
			break;
		case 'q':
			*quiet = 1;
			ctx->verbose = 0;
			break;
		case 'v':
			ctx->verbose = 1;
			*quiet = 0;
			break;
		case 'M':
			ctx->times = 1;
			break;
		default:
			return usage_error("run", "bad option");
		}
	}
	if (*conf == NULL)
		return usage_error("run", "-c CONF is required");
	if (argc - optind != 1)
		return usage_error("run", "one SPOOL directory, please");
	o->root = argv[optind];
	/* An unset variable in a cron line: "" would mean the root of the
	 * file system to every path built from it. */
	if (*o->root == '\0')
		return usage_error("run", "SPOOL is empty; name the spool "
		    "directory");
	return -1;
}

/* The configuration, the reader and the spool's callbacks: 0, or
 * EXIT_USAGE with the reason printed. */
static int
run_setup(struct spool_opts *o, const char *conf, struct run_ctx *ctx)
{
	struct diag d;

	if ((ctx->conf = config_load(conf, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_USAGE;
	}
	if (pipeline_check_config(ctx->conf, &d) < 0) {
		diag_print(stderr, &d);
		config_free(ctx->conf);
		ctx->conf = NULL;
		return EXIT_USAGE;
	}
	ctx->root = o->root;
	if (o->today == DAY_NONE)
		o->today = date_today();
	ctx->today = o->today;
	ctx->rctx.charset = CS_AUTO;
	ctx->rctx.schema_dir = schema_dir();
	ctx->rctx.warn = run_warn;
	ctx->rctx.warn_arg = ctx;
	o->process = run_process;
	o->arg = ctx;
	o->log = run_log;
	o->open_db = run_open_db;
	o->close_db = run_close_db;
	o->finish = run_finish;
	return 0;
}

/* What the run did, on stdout and stderr; the exit status. */
static int
run_result(int rc, struct spool_result *res, const struct run_ctx *ctx,
    int quiet, const struct diag *d)
{
	size_t i;

	for (i = 0; i < res->nwarn; i++)
		fprintf(stderr, "%s run: warning: %s\n", progname,
		    res->warn[i]);
	if (rc == SPOOL_NOTSPOOL) {
		diag_print(stderr, d);
		return EXIT_USAGE;
	}
	if (rc == SPOOL_LOCKED) {
		if (!quiet)
			diag_print(stderr, d);
		return EXIT_OK;
	}
	for (i = 0; i < res->nrej; i++) {
		/* error is a diag line, shown already; the names are not */
		fprintf(stderr, "%s\n%s run: ", res->rej[i].error, progname);
		diag_put_visible(stderr, res->rej[i].name);
		fprintf(stderr, ": %s, filed as ", res->rej[i].outcome);
		diag_put_visible(stderr, res->rej[i].where);
		fputc('\n', stderr);
	}
	if (rc == SPOOL_SYSERR) {
		diag_print(stderr, d);
		fprintf(stderr, "%s run: stopped; unfinished inputs stay in "
		    "in/ or work/ for the next run\n", progname);
		return EXIT_SYSTEM;
	}
	if (!quiet && (ctx->verbose || res->processed + res->duplicates +
	    res->rejected + res->refused + res->recovered > 0))
		printf("%s run: %ld processed, %ld duplicate, %ld rejected, "
		    "%ld refused, %ld finished from an earlier run, "
		    "%ld waiting%s%s\n", progname, res->processed,
		    res->duplicates, res->rejected, res->refused,
		    res->recovered, res->waiting,
		    res->report ? "; report out/reports/" : "",
		    res->report ? res->report : "");
	return finish_stdout(res->rejected + res->refused +
	    ctx->pipe.read_partial + ctx->pipe.quarantined +
	    ctx->pipe.rejected > 0 ? EXIT_REJECTED : EXIT_OK);
}

int
cmd_run(int argc, char **argv)
{
	struct spool_opts o;
	struct spool_result res;
	struct run_ctx ctx;
	struct diag d;
	const char *conf = NULL;
	int quiet = 0, rc;

	if (wants_help(argc, argv, run_usage))
		return finish_stdout(EXIT_OK);
	memset(&o, 0, sizeof o);
	memset(&ctx, 0, sizeof ctx);
	o.today = DAY_NONE;
	o.settle = 5;
	if ((rc = run_options(argc, argv, &o, &conf, &ctx, &quiet)) >= 0)
		return rc;
	if ((rc = run_setup(&o, conf, &ctx)) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &ctx.start);
	rc = spool_run(&o, &res, &d);
	run_close_db(&ctx);
	print_times(&ctx);
	config_free(ctx.conf);
	rc = run_result(rc, &res, &ctx, quiet, &d);
	spool_result_free(&res);
	return rc;
}
