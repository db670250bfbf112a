/*
 * reskontra run [-c CONF] [-j N] [--init] [--today DATE] [--settle SECONDS]
 *     [-q|-v] [--times] SPOOL...
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
 * for counts and notes, closes the run's factoring batches after the
 * inputs (their notices first, then the invoice files held for them:
 * the spool's release), writes the run's notices for the service
 * (out/notices/), and picks the exit code.  Several spools
 * (a company each) are run in child processes of their own, -j at once
 * (run_many below); one SPOOL runs in this process.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/outfile.h"
#include "base/record.h"
#include "cmd/cmd.h"
#include "ledger/db.h"
#include "ledger/ledger.h"
#include "ledger/notice.h"
#include "read/reader.h"
#include "pipeline/ahead.h"
#include "pipeline/pipeline.h"
#include "spool/runnotes.h"
#include "spool/spool.h"
#include "write/notice_file.h"

/* -j: more would only be processes waiting for the disk */
#define RUN_MAX_JOBS 64

static const char run_usage[] =
    "usage: reskontra run [-c CONF] [-j N] [--init] [--today YYYY-MM-DD]\n"
    "                     [--settle SECONDS] [-q | -v] [--times] [--dry-run]\n"
    "                     SPOOL...\n"
    "\n"
    "Process the files dropped into SPOOL/in/: each is claimed, read and\n"
    "filed under SPOOL/done/DATE/ or SPOOL/failed/ (with NAME.error), and\n"
    "the run is reported in SPOOL/out/reports/.  With a service that\n"
    "takes invoices, Finvoice inputs are routed and rewritten into\n"
    "SPOOL/out/invoices/ and out/rejected/, notices go to out/notices/;\n"
    "with factoring, one batch per run and account: its notice and\n"
    "transfer list go to out/factoring/ after the last input, and the\n"
    "invoice files of the batch are held back until then.\n"
    "Safe to run from cron: a second run at the same time exits at\n"
    "once, a killed run is finished by the next one, and a file seen\n"
    "before is not processed twice.\n"
    "\n"
    "Several spools (a company each, with its own ledger and lock) are\n"
    "run in separate processes, N at once; what each printed follows\n"
    "in the order given, every line naming its spool.\n"
    "\n"
    "  -c, --config CONF   configuration file (reskontra.conf(5)) for\n"
    "                      every SPOOL; without it each spool's own\n"
    "                      SPOOL/reskontra.conf\n"
    "  -j, --jobs N        spools processed at once (1-64); default 1\n"
    "  --init              create the spool's folders in SPOOL even if it\n"
    "                      is not a spool yet (has no in/ and no\n"
    "                      state/ledger.db); without it such a SPOOL is\n"
    "                      refused\n"
    "  --today DATE        date of the run (default: the system date)\n"
    "  --settle SECONDS    leave files changed in the last SECONDS alone\n"
    "                      (still being uploaded); default 5\n"
    "  -q, --quiet         no summary and no note when the spool is busy;\n"
    "                      silent on a clean run\n"
    "  -v, --verbose       say what happens to every file\n"
    "  --times             print where the time went, per stage (standard\n"
    "                      error)\n"
    "  --dry-run           say what would be done with each file of in/\n"
    "                      and print the vouchers it would write; claim,\n"
    "                      move, book and write nothing\n"
    "\n"
    "What needs a look is said on standard error, one line each, also\n"
    "with -q: rejected files and invoices, records set aside, payments\n"
    "booked to suspense, duplicate and overpayments, foreign accounts,\n"
    "reconciliation differences, stuck uploads.\n"
    "\n"
    "Exit status: 0 all inputs processed (or another run was busy),\n"
    "1 something needs a look (said on standard error), 2 usage or\n"
    "configuration (also: SPOOL empty, /, or not a spool), 3 I/O or\n"
    "system error (the inputs stay claimable).  With several spools,\n"
    "the worst of theirs.\n";

struct run_ctx {
	struct reader_ctx rctx;
	int verbose;
	int times;		/* --times */
	struct timespec start;
	struct spool_job *job;	/* during a processing call */
	long job_warnings;	/* the job's warning lines in the report */
	struct config *conf;
	struct ledger *ledger;
	struct pipeline pipe;	/* the stages, on the spool's connection */
	int pipe_open;
	day_t today;
	const char *root;
	struct runnotes *notes;	/* what the operator is told */
	int dry_run;		/* --dry-run */
	long dry_rejected;	/* inputs a dry run would reject */
	/* the next input of in/, to be read by a child process once the
	 * current one's read is over, and that child (pipeline/ahead.h) */
	int read_ahead;
	char *next_name, *next_path;
	struct read_ahead *ahead;
	size_t nnotices;	/* notices files the finish step wrote */
	int said;		/* run_say() printed the lines to look at */
};

static void run_warn(void *arg, const struct diag *d);
static void run_say(void *arg, const struct spool_result *res);
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
	/* one factoring batch per run and account; a dry run, which
	 * closes nothing, shows each input's batch with its notice */
	c->pipe.batch_per_run = !c->dry_run;
	if (!c->dry_run && ledger_run_start(c->ledger, "run", c->root, d) < 0)
		return -1;
	*db = (sqlite3 *)ledger_db(c->ledger);
	return 0;
}

static void
run_close_db(void *arg)
{
	struct run_ctx *c = arg;
	struct diag d;

	if (c->ledger && !c->dry_run)
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

/* An input's warnings in the report, each a line up to this many, then
 * one line for the rest (all are counted): memory stays bounded. */
#define RUN_WARNING_LINES 1000

/* A reader's or the router's warning: counted, a `warning` line of the
 * report (not of standard error, which says it with -v). */
static void
run_warn(void *arg, const struct diag *d)
{
	struct run_ctx *c = arg;
	const char *f[1];
	char *text = NULL;

	if (c->job) {
		spool_job_count(c->job, "warnings", 1, 0, 0);
		if (c->job_warnings < RUN_WARNING_LINES)
			f[0] = text = diag_text(d, 1);
		else if (c->job_warnings == RUN_WARNING_LINES)
			f[0] = "reskontra: further warnings of this input are "
			    "counted, not listed";
		else
			f[0] = NULL;
		c->job_warnings++;
		if (f[0] != NULL)
			spool_job_note(c->job, "warning", f, 1);
		free(text);
	}
	if (c->verbose)
		diag_warn(stderr, d);
}

static void
run_count(void *arg, const char *what, long n, int has_cents, int64_t cents)
{
	struct run_ctx *c = arg;

	spool_job_count(c->job, what, n, has_cents, cents);
	runnotes_count(c->notes, what, n, has_cents, cents);
}

static void
run_note(void *arg, const char *kind, const char *const *f, size_t n)
{
	struct run_ctx *c = arg;

	spool_job_note(c->job, kind, (const char **)f, n);
	runnotes_note(c->notes, kind, f, n);
}

/* An input a killed run committed, filed by this run: its counts and
 * notes from the journal, said by this run. */
static void
run_recovered_count(void *arg, const char *what, long n, int has_cents,
    int64_t cents)
{
	struct run_ctx *c = arg;

	runnotes_count(c->notes, what, n, has_cents, cents);
}

static void
run_recovered_note(void *arg, const char *kind, const char *const *f,
    size_t n)
{
	struct run_ctx *c = arg;

	runnotes_note(c->notes, kind, f, n);
}

/* The input committed: its notes are the run's. */
static void
run_accepted(void *arg)
{
	struct run_ctx *c = arg;

	runnotes_accept(c->notes);
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
	char *text = diag_text(qd, 0);

	f[0] = text;
	run_note(c, "quarantined", f, 1);
	run_count(c, "quarantined", 1, 0, 0);
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

/* The voucher file is named after where its input is filed, with the
 * day: DAY-NAME, DAY-NAME.1 for the second input of that name on that
 * day (done/DAY/NAME.1), so that no two inputs share a voucher file's
 * name.  A name too long for that keeps the input's hash (output_base). */
static void
voucher_base(struct spool_job *job, const char *base, int hash,
    struct sbuf *out)
{
	const char *filed = spool_job_filed(job), *slash, *day;

	if (filed == NULL) {
		sbuf_adds(out, base);
		return;
	}
	slash = strrchr(filed, '/');
	day = filed + strlen("done/");
	sbuf_add(out, day, (size_t)(slash - day));
	sbuf_addf(out, "-%s", hash ? base : slash + 1);
}

/* The sink of pipeline_input(): the job's staged outputs. */
static FILE *
job_output(void *arg, const char *dir, const char *name, struct diag *d)
{
	struct run_ctx *c = arg;

	return spool_job_output(c->job, dir, name, d);
}

static FILE *
job_output_held(void *arg, const char *dir, const char *name,
    const char *hold, struct diag *d)
{
	struct run_ctx *c = arg;

	return spool_job_output_held(c->job, dir, name, hold, d);
}

/* Vouchers are numbered on from the last one any earlier input or a
 * move by hand (allocate, unallocate) got. */
static long
job_first_voucher(void *arg, struct diag *d)
{
	struct run_ctx *c = arg;
	long n;

	if (db_next_voucher(spool_job_db(c->job), &n, d) < 0)
		return 0;
	return n;
}

/* The job's input, opened once for every pass over it, and its format
 * named for the report from its first bytes.  NULL with d. */
static struct input *
open_input(struct spool_job *job, enum format *fmt, struct stat *st,
    struct diag *d)
{
	struct input *in;
	struct diag pd;
	const char *p;
	long n;
	int fd = spool_job_fd(job, d);

	*fmt = FMT_UNKNOWN;
	if (fd < 0)
		return NULL;
	if (fstat(fd, st) != 0) {
		diag_set(d, spool_job_name(job), 0, 0, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
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

/* A smaller input is read when its turn comes: starting a process
 * costs more than reading it (tens of milliseconds, the libraries'
 * loading included, against a millisecond for a file of a few hundred
 * invoices' worth of kilobytes). */
#define READ_AHEAD_MIN_BYTES (1L << 20)

enum { READ_AHEAD_OFF, READ_AHEAD_AUTO, READ_AHEAD_ALWAYS };

/* The next input of in/ (spool_opts.next_input): its read starts when
 * the current input's is over (run_read_done()). */
static void
run_next_input(void *arg, const char *name, const char *path,
    const struct stat *st)
{
	struct run_ctx *c = arg;

	free(c->next_name);
	free(c->next_path);
	c->next_name = c->next_path = NULL;
	if (name == NULL || c->read_ahead == READ_AHEAD_OFF ||
	    (c->read_ahead == READ_AHEAD_AUTO &&
	    st->st_size < READ_AHEAD_MIN_BYTES))
		return;
	c->next_name = xstrdup(name);
	c->next_path = xstrdup(path);
}

/* The current input's read is over: the child that reads the next one
 * starts, so that the two processors share the run. */
static void
run_read_done(void *arg)
{
	struct run_ctx *c = arg;

	ahead_drop(c->ahead);
	c->ahead = NULL;
	if (c->next_name != NULL)
		c->ahead = ahead_start(c->next_path, c->next_name, &c->rctx);
	run_next_input(c, NULL, NULL, NULL);
}

/* Whether inputs are read ahead: RESKONTRA_READ_AHEAD=0 never, =1
 * every input; otherwise inputs of READ_AHEAD_MIN_BYTES or more when
 * there is more than one processor to run on. */
static int
read_ahead_wanted(void)
{
	const char *e = getenv("RESKONTRA_READ_AHEAD");
	cpu_set_t cpus;
	long n;

	if (e != NULL && strcmp(e, "0") == 0)
		return READ_AHEAD_OFF;
	if (e != NULL && strcmp(e, "1") == 0)
		return READ_AHEAD_ALWAYS;
	if (sched_getaffinity(0, sizeof cpus, &cpus) == 0)
		n = CPU_COUNT(&cpus);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 1 ? READ_AHEAD_AUTO : READ_AHEAD_OFF;
}

static int
run_process(void *arg, struct spool_job *job, struct diag *d)
{
	struct run_ctx *c = arg;
	struct pipeline_sink sink;
	struct sbuf base = SBUF_INIT, vbase = SBUF_INIT;
	struct read_ahead *ra = c->ahead;
	struct input *in;
	struct stat st;
	enum format fmt;
	int r, rc = SPOOL_SYSERR, ahead_used = 0;

	c->job = job;
	c->job_warnings = 0;
	c->ahead = NULL;	/* the sink's now */
	runnotes_drop(c->notes);
	if ((in = open_input(job, &fmt, &st, d)) == NULL)
		ahead_drop(ra);
	else {
		memset(&sink, 0, sizeof sink);
		sink.name = spool_job_name(job);
		sink.base_is_hash = output_base(job, &base);
		sink.base = base.data;
		voucher_base(job, base.data, sink.base_is_hash, &vbase);
		sink.voucher_base = vbase.data;
		sink.filed = spool_job_filed(job);
		sink.output = job_output;
		sink.output_held = job_output_held;
		sink.first_voucher = job_first_voucher;
		sink.arg = c;
		sink.ahead = ra;
		sink.st = &st;
		sink.sha256 = spool_job_sha256(job);
		sink.read_done = run_read_done;
		sink.read_ahead = &ahead_used;
		r = pipeline_input(&c->pipe, in, fmt, &c->rctx, &sink, d);
		if (ahead_used) {
			struct sbuf m = SBUF_INIT;

			sbuf_addf(&m, "%s: read ahead by a second process",
			    spool_job_name(job));
			run_log(c, m.data);
			sbuf_free(&m);
		}
		rc = r == PIPE_OK ? SPOOL_OK : r == PIPE_REJECT ?
		    SPOOL_REJECT : SPOOL_SYSERR;
	}
	input_close(in);
	sbuf_free(&base);
	sbuf_free(&vbase);
	c->job = NULL;
	return rc;
}

/* After the inputs, the factoring batches of the run (or left open by a
 * killed one, also if the service is no longer factoring) are due: the
 * invoice files held for them wait under the name fbatch_hold_key()
 * gives. */
static int
run_release_key(void *arg, struct sbuf *key, struct diag *d)
{
	struct run_ctx *c = arg;

	return fbatch_hold_key(c->ledger, key, d);
}

/* The release: the batches closed and their notices and transfer lists
 * staged (pipeline_close_batches()), in the spool's transaction; the
 * spool then files them, and after them the held invoice files. */
static int
run_release(void *arg, struct spool_job *job, struct diag *d)
{
	struct run_ctx *c = arg;
	struct pipeline_sink sink;
	int n;

	memset(&sink, 0, sizeof sink);
	sink.name = spool_job_name(job);
	sink.base = sink.name;
	sink.output = job_output;
	sink.arg = c;
	c->job = job;
	n = pipeline_close_batches(&c->pipe, &sink, d);
	c->job = NULL;
	return n < 0 ? SPOOL_SYSERR : SPOOL_OK;
}

/* A notices file written by run_finish(): for the report, in the
 * transaction that marks its batch written. */
struct finish_ctx {
	struct run_ctx *c;
	struct spool_finish *f;
};

static int
notices_written(void *arg, const char *file, struct diag *d)
{
	struct finish_ctx *x = arg;
	struct run_ctx *c = x->c;
	struct sbuf dest = SBUF_INIT;
	int rc;

	sbuf_addf(&dest, "out/notices/%s", file);
	rc = spool_finish_output(x->f, dest.data, d);
	sbuf_free(&dest);
	if (rc == 0)
		c->nnotices++;
	return rc;
}

/* After the inputs: the notices for the service that the run's
 * allocations made (ledger/notice.h) into out/notices/.  A batch is
 * taken in one transaction and written under its own name before it is
 * marked written, so a killed run's batch is written again, whole and
 * under the same name, by the next one (whose recovery has removed the
 * temporary file of a write that was cut off).  Each file is a
 * `notices` line of the report of the run that marked it written. */
static int
run_finish(void *arg, struct spool_finish *f, struct diag *d)
{
	struct run_ctx *c = arg;
	struct finish_ctx x = { c, f };
	struct notice_batch b;
	struct sbuf dir = SBUF_INIT;
	int rc = -1, pending;

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
	/* the run's journal row, made outside the transactions that name
	 * the files in it */
	if ((pending = notice_pending(c->pipe.notices, &b, d)) < 0 ||
	    (pending == 1 && spool_finish_run(f, d) < 0))
		goto out;
	if (notice_file_write_pending(c->ledger, c->pipe.notices, dir.data,
	    notices_written, &x, d) < 0)
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

/* The command line, as parsed. */
struct run_args {
	const char *conf;	/* -c, or NULL: each SPOOL/reskontra.conf */
	int init;
	int quiet;
	int verbose;
	int times;
	int dry_run;
	day_t today;
	long settle;
	long jobs;		/* -j: spools processed at once */
	char **spools;
	int nspools;
};

/* The command line into a: an exit status, or -1: none, go on. */
static int
run_options(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "init", no_argument, NULL, 'I' },
		{ "today", required_argument, NULL, 'T' },
		{ "settle", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "times", no_argument, NULL, 'M' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:j:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->conf = optarg;
			break;
		case 'j':
			errno = 0;
			a->jobs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno ||
			    a->jobs < 1 || a->jobs > RUN_MAX_JOBS)
				return usage_error("run", "-j wants a number of "
				    "spools at once (1-%d), not '%s'",
				    RUN_MAX_JOBS, optarg);
			break;
		case 'I':
			a->init = 1;
			break;
		case 'T':
			if (parse_today("run", optarg, &a->today) < 0)
				return EXIT_USAGE;
			break;
		case 'S':
			if (parse_seconds(optarg, &a->settle) < 0)
				return usage_error("run", "--settle wants "
				    "seconds (0-86400), not '%s'", optarg);
			break;
		case 'q':
			a->quiet = 1;
			a->verbose = 0;
			break;
		case 'v':
			a->verbose = 1;
			a->quiet = 0;
			break;
		case 'M':
			a->times = 1;
			break;
		case 'n':
			a->dry_run = 1;
			break;
		default:
			return usage_error("run", "bad option");
		}
	}
	if (argc - optind < 1)
		return usage_error("run", "name a SPOOL directory, please");
	a->spools = argv + optind;
	a->nspools = argc - optind;
	/* An unset variable in a cron line: "" would mean the root of the
	 * file system to every path built from it. */
	for (i = 0; i < a->nspools; i++)
		if (*a->spools[i] == '\0')
			return usage_error("run", "SPOOL is empty; name the "
			    "spool directory");
	return -1;
}

/* A configuration, loaded and checked for the pipeline; NULL with the
 * reason printed. */
static struct config *
run_load_config(const char *path)
{
	struct config *conf;
	struct diag d;

	if ((conf = load_config(path)) == NULL)
		return NULL;
	if (pipeline_check_config(conf, &d) < 0) {
		diag_print(stderr, &d);
		config_free(conf);
		return NULL;
	}
	return conf;
}

/* Without -c, the spool's own configuration: SPOOL/reskontra.conf
 * (its paths relative to it, so a company's customers.tsv can sit next
 * to it).  NULL with the reason printed. */
static struct config *
run_spool_config(const char *root)
{
	struct sbuf path = SBUF_INIT;
	struct config *conf = NULL;
	struct stat st;

	sbuf_addf(&path, "%s/reskontra.conf", root);
	if (lstat(path.data, &st) < 0 && errno == ENOENT) {
		fprintf(stderr, "%s run: ", progname);
		diag_put_visible(stderr, root);
		fprintf(stderr, ": no -c CONF and no reskontra.conf in the "
		    "spool\n");
	} else
		conf = run_load_config(path.data);
	sbuf_free(&path);
	return conf;
}

/* The order of the run's inputs: a bank file, and with op-laskulaina
 * whether it is a statement of OP's virtual account (its first
 * statement's account), which the other bank files wait for. */
static int
run_input_kind(void *arg, const char *path)
{
	struct run_ctx *ctx = arg;
	const char *virtual = config_virtual_iban(ctx->conf), *p;
	char iban[IBAN_BUFSZ];
	struct input *in;
	struct diag d;
	enum format f;
	long n;
	int fd, kind = 0;

	if (virtual == NULL || (fd = open(path, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC)) < 0)
		return 0;
	if ((in = input_fdopen(fd, path, &d)) == NULL)
		return 0;
	if ((n = input_peek(in, 65536, &p, &d)) > 0) {
		f = format_detect(p, (size_t)n);
		if (f == FMT_KTO || f == FMT_KTL || f == FMT_CAMT053 ||
		    f == FMT_CAMT054)
			kind = SPOOL_BANK_FILE;
		if (statement_account(f, p, (size_t)n, iban) == 0 &&
		    strcmp(iban, virtual) == 0)
			kind = SPOOL_WAITED_FOR;
	}
	input_close(in);
	return kind;
}

/* The reader and the spool's callbacks. */
static void
run_setup(struct spool_opts *o, struct run_ctx *ctx)
{
	ctx->root = o->root;
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
	o->accepted = run_accepted;
	o->recovered_count = run_recovered_count;
	o->recovered_note = run_recovered_note;
	o->say = run_say;
	o->release_key = run_release_key;
	o->release = run_release;
	o->input_kind = run_input_kind;
	o->next_input = run_next_input;
	ctx->read_ahead = read_ahead_wanted();
}

/* The summary line on standard output: the inputs by outcome, then
 * their invoices and payments. */
static void
run_summary(const struct spool_result *res, const struct runnotes *notes,
    size_t nnotices)
{
	struct sbuf b = SBUF_INIT;

	sbuf_addf(&b, "%s run: %ld processed, %ld duplicate, %ld rejected, "
	    "%ld refused, %ld finished from an earlier run, %ld waiting",
	    progname, res->processed, res->duplicates, res->rejected,
	    res->refused, res->recovered, res->waiting);
	runnotes_summary(notes, &b);
	if (nnotices > 0)
		sbuf_addf(&b, "; %zu notice file%s written to out/notices/",
		    nnotices, nnotices == 1 ? "" : "s");
	if (res->report)
		sbuf_addf(&b, "; report out/reports/%s", res->report);
	printf("%s\n", b.data);
	sbuf_free(&b);
}

/* The warnings of entries of in/ or work/ (shown, never raw). */
static void
say_warnings(const struct spool_result *res)
{
	size_t i;

	for (i = 0; i < res->nwarn; i++) {
		fprintf(stderr, "%s run: warning: ", progname);
		diag_put_visible(stderr, res->warn[i]);
		fputc('\n', stderr);
	}
}

/* The inputs filed under failed/, two lines each: the error (a diag
 * line, shown already), then the names.  Both are made first and
 * written at once, as diag writes its lines: never a line half
 * written. */
static void
say_rejected(const struct spool_result *res)
{
	size_t i;

	for (i = 0; i < res->nrej; i++) {
		struct sbuf b = SBUF_INIT;

		sbuf_addf(&b, "%s\n%s run: ", res->rej[i].error, progname);
		diag_add_visible(&b, res->rej[i].name);
		sbuf_addf(&b, ": %s, filed as ", res->rej[i].outcome);
		diag_add_visible(&b, res->rej[i].where);
		sbuf_addc(&b, '\n');
		fwrite(b.data, 1, b.len, stderr);
		sbuf_free(&b);
	}
}

/* spool_opts.say: what the run's inputs need a look at, quiet or not,
 * before the spool marks the run as said. */
static void
run_say(void *arg, const struct spool_result *res)
{
	struct run_ctx *c = arg;

	say_warnings(res);
	say_rejected(res);
	runnotes_print(c->notes, stderr);
	fflush(stderr);
	c->said = 1;
}

/* What the run did, on stdout and stderr; the exit status. */
static int
run_result(int rc, struct spool_result *res, const struct run_ctx *ctx,
    int quiet, const struct diag *d)
{
	if (!ctx->said)
		say_warnings(res);
	if (rc == SPOOL_NOTSPOOL) {
		diag_print(stderr, d);
		return EXIT_USAGE;
	}
	if (rc == SPOOL_LOCKED) {
		if (!quiet)
			diag_print(stderr, d);
		return EXIT_OK;
	}
	if (!ctx->said)
		say_rejected(res);
	if (rc == SPOOL_SYSERR) {
		diag_print(stderr, d);
		fprintf(stderr, "%s run: stopped; %s\n", progname,
		    res->opened ? "unfinished inputs stay in in/ or work/ "
		    "for the next run" : "nothing was taken from the spool");
		return EXIT_SYSTEM;
	}
	/* what the committed inputs need a look at, quiet or not (said
	 * by run_say() in a run that got to its end) */
	if (!ctx->said)
		runnotes_print(ctx->notes, stderr);
	/* a file still settling is said too: run by hand, a run that
	 * printed nothing would look as if it had not seen it */
	if (!quiet && (ctx->verbose || res->processed + res->duplicates +
	    res->rejected + res->refused + res->recovered + res->waiting +
	    ctx->nnotices > 0))
		run_summary(res, ctx->notes, ctx->nnotices);
	return finish_stdout(res->rejected + res->refused + res->nrej +
	    ctx->pipe.read_partial + ctx->pipe.quarantined +
	    ctx->pipe.rejected + runnotes_nlines(ctx->notes) +
	    res->nwarn > 0 ?
	    EXIT_REJECTED : EXIT_OK);
}

/* --dry-run: what would happen to one input, on standard output; the
 * vouchers it would write in full. */
static void
run_dry_show(void *arg, const char *name, const char *outcome,
    const char *where, const char *error, const struct spool_dry_output *outs,
    size_t n)
{
	struct run_ctx *c = arg;
	size_t i;

	printf("in/");
	diag_put_visible(stdout, name);
	printf(": would be %s%s, filed as ", strcmp(outcome, "duplicate") ==
	    0 ? "a " : "", outcome);
	diag_put_visible(stdout, where);
	putchar('\n');
	if (error != NULL) {
		printf("  %s\n", error);
		if (strcmp(outcome, "rejected") == 0)
			c->dry_rejected++;
	}
	for (i = 0; i < n; i++) {
		printf("  would write ");
		diag_put_visible(stdout, outs[i].dest);
		putchar('\n');
		if (strncmp(outs[i].dest, "out/vouchers/", 13) == 0 &&
		    fcopy(outs[i].fp, stdout) < 0)
			fprintf(stderr, "%s run: standard output: write "
			    "error\n", progname);
	}
}

/* One spool, in this process: its exit status.  conf is the -c
 * configuration, or NULL for the spool's own. */
static int
run_spool(const struct run_args *a, const char *root, struct config *conf)
{
	struct spool_opts o;
	struct spool_result res;
	struct run_ctx ctx;
	struct diag d;
	int rc;

	memset(&o, 0, sizeof o);
	memset(&ctx, 0, sizeof ctx);
	o.root = root;
	o.init = a->init;
	o.today = a->today;
	o.settle = a->settle;
	ctx.verbose = a->verbose;
	ctx.times = a->times;
	if ((ctx.conf = conf) == NULL &&
	    (ctx.conf = run_spool_config(root)) == NULL)
		return EXIT_USAGE;
	ctx.notes = runnotes_new();
	run_setup(&o, &ctx);
	o.report_csv = ctx.conf->report == REPORT_CSV;
	o.report_bom = ctx.conf->bom;
	clock_gettime(CLOCK_MONOTONIC, &ctx.start);
	if (a->dry_run) {
		ctx.dry_run = 1;
		o.dry_show = run_dry_show;
		rc = spool_dry_run(&o, &res, &d);
		run_close_db(&ctx);
		if (conf == NULL)
			config_free(ctx.conf);
		spool_result_free(&res);
		if (rc != SPOOL_OK) {
			diag_print(stderr, &d);
			return rc == SPOOL_NOTSPOOL ? EXIT_USAGE : EXIT_SYSTEM;
		}
		return finish_stdout(ctx.dry_rejected > 0 ? EXIT_REJECTED :
		    EXIT_OK);
	}
	rc = spool_run(&o, &res, &d);
	ahead_drop(ctx.ahead);
	run_next_input(&ctx, NULL, NULL, NULL);
	run_close_db(&ctx);
	print_times(&ctx);
	if (conf == NULL)
		config_free(ctx.conf);
	rc = run_result(rc, &res, &ctx, a->quiet, &d);
	spool_result_free(&res);
	runnotes_free(ctx.notes);
	return rc;
}

/*
 * Several spools: each in a child process of its own, at most -j at
 * once, so that one company's failure or crash cannot touch another's
 * (each spool has its own lock and ledger; nothing is shared but the
 * -c configuration, read before the first fork).  The parent reads each
 * child's standard output and error through pipes and prints them when
 * the child has ended, in the order of the arguments, every line naming
 * its spool; its exit status is the worst of the children's.
 */
struct run_child {
	const char *root;
	char *shown;		/* root as messages show it */
	pid_t pid;
	int fd[2];		/* read ends: its stdout, its stderr; -1 closed */
	struct sbuf out[2];
	int running;
	int finished;
	int status;		/* exit status, 0-3 */
};

static int
run_child_status(struct run_child *ch, int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st) <= EXIT_SYSTEM ? WEXITSTATUS(st) :
		    EXIT_SYSTEM;
	if (WIFSIGNALED(st))
		sbuf_addf(&ch->out[1], "%s run: killed by signal %d (%s); "
		    "unfinished inputs stay in in/ or work/ for the next "
		    "run\n", progname, WTERMSIG(st), strsignal(WTERMSIG(st)));
	return EXIT_SYSTEM;
}

/* Start the spool of ch; on failure it is finished with status 3.
 * all[0..n) are the children so far, whose read ends the new child
 * closes. */
static void
run_child_start(const struct run_args *a, struct config *conf,
    struct run_child *ch, struct run_child *all, int n)
{
	int p[2][2] = { { -1, -1 }, { -1, -1 } };
	int i, k, rc;

	fflush(stdout);
	fflush(stderr);
	if (pipe(p[0]) < 0 || pipe(p[1]) < 0 || (ch->pid = fork()) < 0) {
		sbuf_addf(&ch->out[1], "%s run: cannot start a process for "
		    "the spool: %s\n", progname, strerror(errno));
		for (k = 0; k < 2; k++)
			for (i = 0; i < 2; i++)
				if (p[k][i] >= 0)
					close(p[k][i]);
		ch->status = EXIT_SYSTEM;
		ch->finished = 1;
		return;
	}
	if (ch->pid == 0) {
		/* A parent gone (killed) must not kill the run halfway
		 * through an input: its writes fail instead, it finishes. */
		signal(SIGPIPE, SIG_IGN);
		for (i = 0; i < n; i++)
			for (k = 0; k < 2; k++)
				if (all[i].fd[k] >= 0)
					close(all[i].fd[k]);
		close(p[0][0]);
		close(p[1][0]);
		if (dup2(p[0][1], STDOUT_FILENO) < 0 ||
		    dup2(p[1][1], STDERR_FILENO) < 0)
			_exit(EXIT_SYSTEM);
		close(p[0][1]);
		close(p[1][1]);
		rc = finish_stdout(run_spool(a, ch->root, conf));
		fflush(stderr);
		_exit(rc);
	}
	close(p[0][1]);
	close(p[1][1]);
	ch->fd[0] = p[0][0];
	ch->fd[1] = p[1][0];
	ch->running = 1;
}

/* Wait for output or the end of the running children among ch[0..n);
 * those whose pipes are both closed are reaped.  The number reaped. */
static int
run_children_wait(struct run_child *ch, int n)
{
	struct pollfd *pfd = xcalloc((size_t)n * 2, sizeof *pfd);
	char buf[65536];
	int i, k, np = 0, reaped = 0, st;
	ssize_t len;

	for (i = 0; i < n; i++)
		for (k = 0; k < 2; k++)
			if (ch[i].running && ch[i].fd[k] >= 0) {
				pfd[np].fd = ch[i].fd[k];
				pfd[np].events = POLLIN;
				np++;
			}
	if (np > 0 && poll(pfd, (nfds_t)np, -1) < 0 && errno != EINTR)
		abort();
	for (i = 0; i < n; i++) {
		if (!ch[i].running)
			continue;
		for (k = 0; k < 2; k++) {
			int j, ready = 0;

			for (j = 0; j < np; j++)
				if (pfd[j].fd == ch[i].fd[k] && pfd[j].revents)
					ready = 1;
			if (!ready)
				continue;
			len = read(ch[i].fd[k], buf, sizeof buf);
			if (len > 0)
				sbuf_add(&ch[i].out[k], buf, (size_t)len);
			else if (len == 0 || errno != EINTR) {
				close(ch[i].fd[k]);
				ch[i].fd[k] = -1;
			}
		}
		if (ch[i].fd[0] >= 0 || ch[i].fd[1] >= 0)
			continue;
		while (waitpid(ch[i].pid, &st, 0) < 0)
			if (errno != EINTR) {
				st = -1;
				break;
			}
		ch[i].status = st == -1 ? EXIT_SYSTEM :
		    run_child_status(&ch[i], st);
		ch[i].running = 0;
		ch[i].finished = 1;
		reaped++;
	}
	free(pfd);
	return reaped;
}

/* The lines of src into dst, each naming the spool: after the leading
 * "reskontra run: " or "reskontra: " unless it names the spool there
 * already (a diagnostic about a file in it), else in front. */
static void
run_add_prefixed(struct sbuf *dst, const struct sbuf *src, const char *shown)
{
	struct sbuf head_run = SBUF_INIT, head = SBUF_INIT;
	size_t pos = 0, len, slen = strlen(shown);

	sbuf_addf(&head_run, "%s run: ", progname);
	sbuf_addf(&head, "%s: ", progname);
	while (pos < src->len) {
		const char *line = src->data + pos, *nl, *rest = line;
		size_t hlen = 0;

		nl = memchr(line, '\n', src->len - pos);
		len = nl ? (size_t)(nl - line) : src->len - pos;
		pos += len + (nl != NULL);
		if (len >= head_run.len && !memcmp(line, head_run.data,
		    head_run.len))
			hlen = head_run.len;
		else if (len >= head.len && !memcmp(line, head.data, head.len))
			hlen = head.len;
		rest = line + hlen;
		if (len - hlen > slen && !memcmp(rest, shown, slen) &&
		    (rest[slen] == ':' || rest[slen] == '/')) {
			sbuf_add(dst, line, len);
		} else {
			if (hlen > 0)
				sbuf_add(dst, line, hlen);
			else
				sbuf_add(dst, head_run.data, head_run.len);
			sbuf_adds(dst, shown);
			sbuf_adds(dst, ": ");
			sbuf_add(dst, rest, len - hlen);
		}
		sbuf_addc(dst, '\n');
	}
	sbuf_free(&head_run);
	sbuf_free(&head);
}

/* A finished child's output: its standard error, then its standard
 * output, each written at once. */
static void
run_child_print(struct run_child *ch)
{
	struct sbuf b = SBUF_INIT;

	run_add_prefixed(&b, &ch->out[1], ch->shown);
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stderr);
	sbuf_reset(&b);
	run_add_prefixed(&b, &ch->out[0], ch->shown);
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	sbuf_free(&b);
	sbuf_free(&ch->out[0]);
	sbuf_free(&ch->out[1]);
}

static int
run_many(const struct run_args *a, struct config *conf)
{
	struct run_child *ch = xcalloc((size_t)a->nspools, sizeof *ch);
	int n = a->nspools, started = 0, running = 0, printed = 0, i;
	int worst = EXIT_OK;

	for (i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *fp = xmemstream(&text, &len);

		diag_put_visible(fp, a->spools[i]);
		xmemstream_close(fp, &text, &len, 0);
		ch[i].root = a->spools[i];
		ch[i].shown = text;
		ch[i].fd[0] = ch[i].fd[1] = -1;
	}
	while (printed < n) {
		while (running < a->jobs && started < n) {
			run_child_start(a, conf, &ch[started], ch, started);
			running += ch[started].running;
			started++;
		}
		if (running > 0)
			running -= run_children_wait(ch, started);
		for (; printed < started && ch[printed].finished; printed++) {
			run_child_print(&ch[printed]);
			if (ch[printed].status > worst)
				worst = ch[printed].status;
		}
	}
	for (i = 0; i < n; i++)
		free(ch[i].shown);
	free(ch);
	return finish_stdout(worst);
}

int
cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct config *conf = NULL;
	int rc;

	if (wants_help(argc, argv, run_usage))
		return finish_stdout(EXIT_OK);
	memset(&a, 0, sizeof a);
	a.today = DAY_NONE;
	a.settle = 5;
	a.jobs = 1;
	if ((rc = run_options(argc, argv, &a)) >= 0)
		return rc;
	if (a.conf != NULL && (conf = run_load_config(a.conf)) == NULL)
		return EXIT_USAGE;
	if (a.today == DAY_NONE)
		a.today = date_today();
	if (a.nspools == 1)
		rc = run_spool(&a, a.spools[0], conf);
	else
		rc = run_many(&a, conf);
	config_free(conf);
	return rc;
}
