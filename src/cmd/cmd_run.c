/*
 * reskontra run -c CONF [--init] [--today DATE] [--settle SECONDS] [-q|-v]
 *     SPOOL
 *
 * The cron job (DESIGN.md "The spool"): claims the files dropped into
 * SPOOL/in/ and processes each in one transaction, filing it under
 * done/DATE/ or failed/.  The spool mechanics are src/spool/spool.c; this
 * file parses the command line, says what processing an input means, and
 * picks the exit code.
 *
 * Processing an input is DESIGN.md's data flow for it, inside the one
 * transaction the spool holds for the input: read (read/reader.h), match
 * against the ledger (ledger/match.h), post the allocations as vouchers
 * (write/voucher.h) into out/vouchers/NAME.vouchers, and count it all for
 * the run report.  The ledger's connection is the spool's, so the
 * ledger's changes and the input's "processed" mark commit together.
 *
 * With a service that takes invoices (route/router.h), a Finvoice input
 * is first routed and rewritten (write/finvoice_route.h) into staged
 * outputs in out/invoices/ and out/rejected/, and after the inputs the
 * run's notices for the service go to out/notices/ (ledger/notice.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/input.h"
#include "base/money.h"
#include "base/outfile.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "ledger/assign.h"
#include "ledger/ledger.h"
#include "ledger/match.h"
#include "ledger/notice.h"
#include "read/reader.h"
#include "pipeline/pipeline.h"
#include "spool/spool.h"
#include "write/finvoice_route.h"
#include "write/voucher.h"

static const char run_usage[] =
    "usage: reskontra run -c CONF [--init] [--today YYYY-MM-DD]\n"
    "                     [--settle SECONDS] [-q | -v] SPOOL\n"
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
    "\n"
    "Exit status: 0 all inputs processed (or another run was busy),\n"
    "1 some inputs rejected (listed on standard error), 2 usage or\n"
    "configuration (also: SPOOL empty, /, or not a spool), 3 I/O or\n"
    "system error (the inputs stay claimable).\n";

struct run_ctx {
	struct reader_ctx rctx;
	int verbose;
	struct spool_job *job;	/* during a processing call */
	struct config *conf;
	struct ledger *ledger;
	struct pipeline pipe;	/* the stages, on the spool's connection */
	int pipe_open;
	struct fvroute fr;
	day_t today;
	const char *root;
	long read_quarantined;	/* inputs a reader took in part */
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
	c->fr.a = c->pipe.assign;
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
	c->fr.a = NULL;
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

/* A stage over the held record stream fp (rewound first), in the
 * spool's transaction; its records to out when out is not NULL.  A
 * broken held stream is this program's fault: a system error. */
static int
run_stage(struct run_ctx *c, int (*stage)(struct pipeline *, struct recin *,
    struct recout *, struct diag *), FILE *fp, FILE *out, struct diag *d)
{
	struct recin in;
	struct recout w;
	int st;

	rewind(fp);
	rec_in_init(&in, fp, spool_job_name(c->job));
	if (out != NULL) {
		rec_out_init(&w, out);
		rec_header(&w);
	}
	st = stage(&c->pipe, &in, out != NULL ? &w : NULL, d);
	rec_in_free(&in);
	if (st == PIPE_OK && out != NULL && (fflush(out) != 0 ||
	    ferror(out))) {
		diag_set(d, "temporary file", 0, 0, "write error: %s",
		    strerror(errno));
		st = PIPE_SYSERR;
	}
	return st == PIPE_OK ? 0 : -1;
}

/* The counting passes have the stage signature. */
static int
count_records(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d)
{
	return pipeline_count_records(p, in, d);
}

static int
count_allocs(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d)
{
	return pipeline_count_allocs(p, in, d);
}

/* An output's name: the input's name and suffix; a name too long for
 * that is replaced by the input's hash and hash_suffix, a leading dot
 * by '_'. */
static void
output_name(struct spool_job *job, const char *suffix,
    const char *hash_suffix, struct sbuf *out)
{
	if (strlen(spool_job_name(job)) <= 200)
		sbuf_addf(out, "%s%s", spool_job_name(job), suffix);
	else
		sbuf_addf(out, "%.16s%s", spool_job_sha256(job), hash_suffix);
	if (out->data[0] == '.')
		out->data[0] = '_';
}

/* The vouchers of this input's allocations, numbered on from the last
 * voucher any earlier input got.  Written only if there are any. */
static int
post_vouchers(struct run_ctx *c, FILE *allocs, struct diag *d)
{
	struct spool_job *job = c->job;
	struct voucher_writer *v = NULL;
	struct recin r;
	sqlite3_stmt *st = NULL;
	struct sbuf name = SBUF_INIT;
	FILE *tmp = NULL, *out;
	long first = 1;
	int rc = -1;

	rec_in_init(&r, allocs, spool_job_name(job));
	if (sqlite3_prepare_v2(spool_job_db(job), "SELECT coalesce(sum(n), 0)"
	    " FROM spool_count WHERE what = 'vouchers'", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		diag_set(d, "state/ledger.db", 0, 0, "voucher numbers: %s",
		    sqlite3_errmsg(spool_job_db(job)));
		goto out;
	}
	first = (long)sqlite3_column_int64(st, 0) + 1;
	if ((tmp = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	v = voucher_new(c->conf, first, 0, tmp);
	rewind(allocs);
	if (pipeline_post(&c->pipe, v, &r, d) != PIPE_OK)
		goto out;
	if (voucher_count(v) == 0) {
		rc = 0;
		goto out;
	}
	spool_job_count(job, "vouchers", voucher_count(v), 0, 0);
	output_name(job, ".vouchers", ".vouchers", &name);
	if ((out = spool_job_output(job, "vouchers", name.data, d)) == NULL)
		goto out;
	if (fcopy(tmp, out) < 0) {
		diag_set(d, "temporary file", 0, 0, "cannot copy the vouchers: %s",
		    strerror(errno ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	voucher_free(v);
	rec_in_free(&r);
	sbuf_free(&name);
	if (tmp)
		fclose(tmp);
	return rc;
}

/* fvroute_file()'s outputs become the input's staged outputs. */
static int
stage_output(void *arg, enum fvroute_kind kind, const char *name,
    const char *data, size_t len, struct diag *d)
{
	struct run_ctx *c = arg;
	FILE *fp;

	fp = spool_job_output(c->job, kind == FVROUTE_INVOICES ? "invoices" :
	    "rejected", name, d);
	if (fp == NULL)
		return -1;
	if (fwrite(data, 1, len, fp) != len) {
		diag_set(d, name, 0, 0, "staged output: write error: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The corrected Finvoice file of a routed input (DESIGN.md step 3) into
 * out/invoices/, its rejected messages into out/rejected/.  A message
 * the reader set aside has no decision and goes to out/rejected/ too.
 * SPOOL_OK, SPOOL_REJECT or SPOOL_SYSERR, with d. */
static int
rewrite_input(struct run_ctx *c, struct diag *d)
{
	struct spool_job *job = c->job;
	struct input *in;
	struct sbuf buf = SBUF_INIT, base = SBUF_INIT;
	struct fvroute_counts cnt;
	int fd, r, rc = SPOOL_SYSERR;

	if ((fd = spool_job_fd(job, d)) < 0)
		goto out;
	if ((in = input_fdopen(fd, spool_job_name(job), d)) == NULL)
		goto out;
	if ((r = fvroute_load(in, &buf, d)) != 0) {
		rc = r > 0 ? SPOOL_REJECT : SPOOL_SYSERR;
		goto out;
	}
	output_name(job, "", ".xml", &base);
	c->fr.emit = stage_output;
	c->fr.arg = c;
	c->fr.undecided_rejected = 1;
	c->fr.undecided_reason = "set aside by the reader (see the run "
	    "report's quarantined line)";
	r = fvroute_file(&c->fr, buf.data, buf.len, spool_job_name(job),
	    base.data, &cnt, d);
	if (r != 0) {
		rc = r > 0 ? SPOOL_REJECT : SPOOL_SYSERR;
		goto out;
	}
	rc = SPOOL_OK;
out:
	sbuf_free(&buf);
	sbuf_free(&base);
	return rc;
}

/* The format's name for the report, from the file's first bytes, in
 * *f.  -1 (d filled) when the file cannot be opened or read (a system
 * error, not bad data): the input must then stop the run, not go on as
 * a file of no known format (a Finvoice file would be stored without
 * being routed). */
static int
note_format(struct spool_job *job, enum format *f, struct diag *d)
{
	struct input *in;
	const char *p;
	long n;
	int rc, fd = spool_job_fd(job, d);

	*f = FMT_UNKNOWN;
	if (fd < 0)
		return -1;
	in = input_fdopen(fd, spool_job_name(job), d);
	if (in == NULL)
		return -1;
	n = input_peek(in, 65536, &p, d);
	if (n > 0) {
		*f = format_detect(p, (size_t)n);
		spool_job_set_format(job, *f == FMT_UNKNOWN ? "" :
		    format_name(*f));
	}
	/* bad data (a broken gzip stream) is the reader's to reject */
	rc = n < 0 && input_error_is_io(in) ? -1 : 0;
	input_close(in);
	return rc;
}

static int
run_process(void *arg, struct spool_job *job, struct diag *d)
{
	struct run_ctx *c = arg;
	struct recout w;
	FILE *recs = NULL, *allocs = NULL;
	enum format fmt;
	int fd, r, rc = SPOOL_SYSERR;

	c->job = job;
	if (note_format(job, &fmt, d) < 0)
		goto out;
	fd = spool_job_fd(job, d);
	if (fd < 0)
		goto out;
	recs = tmpfile();
	allocs = tmpfile();
	if (recs == NULL || allocs == NULL) {
		close(fd);
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	rec_out_init(&w, recs);
	rec_header(&w);
	r = read_fd(fd, spool_job_name(job), FMT_UNKNOWN, &c->rctx, &w, d);
	if (r == READ_REJECT) {
		rc = SPOOL_REJECT;
		goto out;
	}
	if (r == READ_PARTIAL) {
		/* Independent messages, some rejected: the good ones are
		 * processed, the file is filed as done, and the run says
		 * which were set aside. */
		run_quarantine(c, d);
		c->read_quarantined++;
	} else if (r != READ_OK)
		goto out;
	if (fflush(recs) != 0 || ferror(recs)) {
		diag_set(d, "temporary file", 0, 0, "write error: %s",
		    strerror(errno));
		goto out;
	}
	if (run_stage(c, count_records, recs, NULL, d) < 0)
		goto out;
	/* invoices routed before they are stored, so that an invoice is
	 * not its own earlier assignment */
	if (pipeline_routes(&c->pipe) && fmt == FMT_FINVOICE) {
		if (run_stage(c, pipeline_route, recs, NULL, d) < 0)
			goto out;
		if ((r = rewrite_input(c, d)) != SPOOL_OK) {
			rc = r;
			goto out;
		}
	}
	if (run_stage(c, pipeline_match, recs, allocs, d) < 0 ||
	    run_stage(c, count_allocs, allocs, NULL, d) < 0 ||
	    post_vouchers(c, allocs, d) < 0)
		goto out;
	rc = SPOOL_OK;
out:
	if (recs)
		fclose(recs);
	if (allocs)
		fclose(allocs);
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
	if (notice_write_pending(c->ledger, c->pipe.notices, dir.data, NULL,
	    NULL,
	    d) < 0)
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

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "init", no_argument, NULL, 'I' },
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
	int c, quiet = 0, rc;
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
		case 'I':
			o.init = 1;
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
	/* An unset variable in a cron line: "" would mean the root of the
	 * file system to every path built from it. */
	if (*o.root == '\0')
		return usage_error("run", "SPOOL is empty; name the spool "
		    "directory");
	if ((ctx.conf = config_load(conf, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_USAGE;
	}
	if (pipeline_check_config(ctx.conf, &d) < 0) {
		diag_print(stderr, &d);
		config_free(ctx.conf);
		return EXIT_USAGE;
	}
	ctx.root = o.root;
	if (o.today == DAY_NONE)
		o.today = date_today();
	ctx.today = o.today;
	if (fvroute_init(&ctx.fr, ctx.conf, NULL, &d) < 0) {
		diag_print(stderr, &d);
		config_free(ctx.conf);
		return EXIT_USAGE;
	}

	ctx.rctx.charset = CS_AUTO;
	ctx.rctx.schema_dir = schema_dir();
	ctx.rctx.warn = run_warn;
	ctx.rctx.warn_arg = &ctx;
	o.process = run_process;
	o.arg = &ctx;
	o.log = run_log;
	o.open_db = run_open_db;
	o.close_db = run_close_db;
	o.finish = run_finish;

	rc = spool_run(&o, &res, &d);
	run_close_db(&ctx);
	config_free(ctx.conf);
	for (i = 0; i < res.nwarn; i++)
		fprintf(stderr, "%s run: warning: %s\n", progname, res.warn[i]);
	if (rc == SPOOL_NOTSPOOL) {
		diag_print(stderr, &d);
		spool_result_free(&res);
		return EXIT_USAGE;
	}
	if (rc == SPOOL_LOCKED) {
		if (!quiet)
			diag_print(stderr, &d);
		spool_result_free(&res);
		return EXIT_OK;
	}
	for (i = 0; i < res.nrej; i++) {
		/* error is a diag line, shown already; the names are not */
		fprintf(stderr, "%s\n%s run: ", res.rej[i].error, progname);
		diag_put_visible(stderr, res.rej[i].name);
		fprintf(stderr, ": %s, filed as ", res.rej[i].outcome);
		diag_put_visible(stderr, res.rej[i].where);
		fputc('\n', stderr);
	}
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
	rc = res.rejected + res.refused + ctx.read_quarantined +
	    ctx.pipe.quarantined + ctx.pipe.rejected > 0 ? EXIT_REJECTED :
	    EXIT_OK;
	spool_result_free(&res);
	return finish_stdout(rc);
}
