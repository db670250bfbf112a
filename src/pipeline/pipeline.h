/*
 * pipeline: the stages of one input (DESIGN.md "Data flow"), written once
 * and composed by `reskontra run` and by the single filters alike.
 *
 *   read -> route -> rewrite -> match -> post
 *
 * A struct pipeline holds what the stages share: the configuration, the
 * ledger and, for a service that routes invoices, the routing decisions
 * (ledger/assign.h) and the router (route/router.h).  Each stage reads a
 * record stream and writes records; what it sets aside and what it
 * counts goes to the caller's report functions, so that the spool puts
 * it in the run report and a filter on standard error, from the same
 * decisions.  The stages work inside whatever ledger transaction the
 * caller holds: the spool's, one per input, or pipeline_filter()'s, one
 * per input file of a filter.
 *
 * What the stages decide is the same whoever calls them:
 * - route: every inv record gets a decision (route.h); one the ledger
 *   could not store is rejected (code 40) before any rule is applied;
 * - match: an invoice whose routing decision is reject is not stored;
 *   every other record is applied or set aside (quarantined) with a
 *   reason;
 * - post: every alloc record becomes voucher lines or is set aside.
 *
 * Ownership: pipeline_open() borrows the configuration and the ledger,
 * which must outlive the pipeline; pipeline_close() frees what the
 * pipeline opened (assign, router, notices).  Stage functions return
 * PIPE_OK, PIPE_REJECT (the input is broken: d says where) or
 * PIPE_SYSERR (a ledger or I/O error: d says what).
 */
#ifndef RESKONTRA_PIPELINE_H
#define RESKONTRA_PIPELINE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "base/config.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/record.h"
#include "ledger/assign.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"
#include "ledger/notice.h"
#include "route/router.h"

enum {
	PIPE_OK = 0,
	PIPE_REJECT = 1,
	PIPE_FOREIGN = 2,	/* match: a record of an account that is not
				 * the company's; the input is refused whole */
	PIPE_SYSERR = -1
};

/* Where what the stages set aside and count goes.  Every member may be
 * NULL: then warnings and quarantined records go to standard error and
 * counts and notes nowhere. */
struct pipeline_report {
	void (*warn)(void *arg, const struct diag *d);
	void (*quarantine)(void *arg, const struct diag *d);
	/* one of "what" (n of them), with an amount when has_cents */
	void (*count)(void *arg, const char *what, long n, int has_cents,
	    int64_t cents);
	/* a line for an operator: kind and its fields */
	void (*note)(void *arg, const char *kind, const char *const *f,
	    size_t n);
	void *arg;
};

/* Where the time of pipeline_input() goes (`run --times`). */
enum pipeline_stage_id {
	PIPE_STAGE_READ, PIPE_STAGE_COUNT, PIPE_STAGE_ROUTE,
	PIPE_STAGE_REWRITE, PIPE_STAGE_MATCH, PIPE_STAGE_POST,
	PIPE_STAGES
};

extern const char *const pipeline_stage_names[PIPE_STAGES];

struct pipeline_times {
	int on;				/* set by the caller to measure */
	double wall[PIPE_STAGES];	/* seconds, summed over inputs */
	long peak_kb[PIPE_STAGES];	/* peak RSS when the stage ended */
};

struct pipeline {
	const struct config *conf;
	struct ledger *ledger;
	day_t today;
	struct assign *assign;	/* the routing decisions */
	struct router *router;
	struct notices *notices;	/* a service that routes invoices */
	struct pipeline_report rep;
	long quarantined;	/* records set aside, since pipeline_open() */
	long rejected;		/* invoices the router rejected */
	long read_partial;	/* inputs a reader took in part */
	long differences;	/* reconciliation differences found */
	long looked;		/* warnings that need someone to act */
	long unopened;		/* a filter's inputs that could not be opened */
	struct pipeline_times times;
	/* factoring: the batches the last route stage took (ledger/
	 * fbatch.h), one per account at most */
	struct fbatch *batches;
	int nbatches;
	/* factoring: one batch per account for the whole run, not per
	 * input (`reskontra run`): batches stay open, later inputs join
	 * them, pipeline_close_batches() closes them; the invoice files
	 * of their inputs are held (pipeline_sink.output_held) */
	int batch_per_run;
	int dry_run;		/* pipeline_filter(): roll back, not commit */
};

/*
 * Check the configuration for what the stages need beyond what
 * config_load() checks (payer_name of a receivables service): 0, or -1
 * with d naming the file and key.
 */
int pipeline_check_config(const struct config *conf, struct diag *d);

/* Set p up over conf and l (opening the decisions, the router and the
 * notices the service needs; their tables are made if missing).  rep may
 * be NULL.  0, or -1 with d; pipeline_close() either way. */
int pipeline_open(struct pipeline *p, const struct config *conf,
    struct ledger *l, day_t today, const struct pipeline_report *rep,
    struct diag *d);
void pipeline_close(struct pipeline *p);

/* Whether the service routes invoices: `run` routes and rewrites its
 * Finvoice inputs, match leaves rejected invoices out of the ledger.
 * (The route stage answers for any service: one that routes nothing
 * passes every invoice.) */
int pipeline_routes(const struct pipeline *p);

/*
 * route: each inv record of in gets a decision; the route record goes to
 * out (NULL: nowhere), every other record is copied through.  Counts
 * "invoices-routed", "-passed", "-rejected" with their totals and notes
 * each rejected invoice ("invoice": number, code, reason, source) and
 * each passed one ("passed": number, reason, source).
 * Factoring: at the end of in, the factoring invoices routed get their
 * batch numbers (p->batches; counted "factoring-batch" with the total
 * for a new batch, "factoring-joined" for one already open).
 */
int pipeline_route(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d);

/* Write the route record of decision x for the inv record r. */
void pipeline_write_route(struct recout *w, const struct recin *r,
    const struct assignment *x);

/*
 * Whether record r (stmt, txn, bal, pay, batch) is of a bank account
 * that is not the company's (config_own_account()): 1 with d naming the
 * record's source, the account and the configuration, else 0.
 */
int pipeline_foreign_account(const struct pipeline *p, const struct recin *r,
    struct diag *d);

/*
 * match: store the invoices of in and apply its payments to the ledger;
 * alloc records and the records passed through go to out.  PIPE_FOREIGN
 * at the first record of a foreign account (pipeline_foreign_account()):
 * the caller rolls the input back and refuses it whole.
 */
int pipeline_match(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d);

/* Count the alloc records of in, "alloc-OUTCOME" with their amounts, and
 * note the payments an operator must look at ("payment": outcome,
 * reason, amount, reference, archive id, payer, source, suggestion). */
int pipeline_count_allocs(struct pipeline *p, struct recin *in,
    struct diag *d);

/*
 * post: the alloc records of in fed to the voucher writer v (write/
 * voucher.h), which the caller made with its numbering and output, and
 * flushed at the end.  The pipeline may have no ledger for this stage.
 */
struct voucher_writer;
int pipeline_post(struct pipeline *p, struct voucher_writer *v,
    struct recin *in, struct diag *d);

/*
 * ri: the identifier of each ri record of in mapped through the ledger
 * (ledger/rimap.h) to one ri notice line (formats/si.md "RI notices") in
 * out, in record syntax; the caller writes the header line.  Counts
 * "ri-matched" and "ri-unmatched"; an unmatched one is also set aside
 * with its reason (pipeline_quarantine).  Other records are ignored.
 */
int pipeline_ri(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d);

/* The header line of an ri notices file (no line end). */
extern const char pipeline_ri_header[];

/* Count the records of an accepted input for the report: one line per
 * kind, with the total of its amount where it has one. */
int pipeline_count_records(struct pipeline *p, struct recin *in,
    struct diag *d);

/* A record set aside: counted, and reported (struct pipeline_report). */
void pipeline_quarantine(struct pipeline *p, const struct diag *d);

/* Where the outputs of one input go (pipeline_input()). */
struct pipeline_sink {
	const char *name;	/* the input's name: sources, messages */
	const char *base;	/* what its outputs are named after */
	int base_is_hash;	/* base stands for a name too long to use:
				 * the file to send gets ".xml" */
	/* A new output out/DIR/NAME of this input, written through the
	 * FILE and made visible when the caller commits; NULL with d. */
	FILE *(*output)(void *arg, const char *dir, const char *name,
	    struct diag *d);
	/* Like output, but the file is held back until what hold names
	 * is released (the spool: spool_job_output_held()): the invoice
	 * file of an input with factoring invoices waits for the notices
	 * of the run's batches.  Needed with p->batch_per_run. */
	FILE *(*output_held)(void *arg, const char *dir, const char *name,
	    const char *hold, struct diag *d);
	/* The number of the input's first voucher (>= 1); 0 with d. */
	long (*first_voucher)(void *arg, struct diag *d);
	void *arg;
	/* Where the input will be filed (e.g. done/DAY/NAME.1), named by the
	 * voucher lines' sources instead of name; NULL: name. */
	const char *filed;
	/* What the voucher file is named after instead of base (NULL:
	 * base); unique among the inputs of every run. */
	const char *voucher_base;
	/* The input read ahead by a child process (pipeline/ahead.h), or
	 * NULL; pipeline_input() takes it over.  Used when it is of the
	 * file st (the input's fstat) with the SHA-256 sha256 (hex). */
	struct read_ahead *ahead;
	const struct stat *st;
	const char *sha256;
	int *read_ahead;	/* set to 1 when that read was used */
	/* Called once the read stage is over, whatever its outcome (may
	 * be NULL): the caller may start reading its next input ahead. */
	void (*read_done)(void *arg);
};

struct input;
struct reader_ctx;

/*
 * One input through every stage, in the order of DESIGN.md's data flow:
 * read (rctx; fmt is the format detected from the input's first bytes),
 * count, and for a Finvoice input of a service that routes invoices
 * route and rewrite (the input read again from its start: the file to
 * send into out/invoices, rejected messages into out/rejected), for an
 * SI input the CHANGE messages (write/si_change.h, the input read again:
 * out/si/BASE.BIC.xml, a rejected message set aside), for an RI input
 * its ri notices (out/notices/BASE.ri.tsv), then match and post (out/vouchers/BASE.vouchers, numbered on from
 * first_voucher()).  Inside the caller's ledger transaction; the caller
 * commits, or rolls back on anything but PIPE_OK (PIPE_REJECT: the
 * input is refused, d says where; PIPE_SYSERR: d says what failed).
 */
int pipeline_input(struct pipeline *p, struct input *in, int fmt,
    struct reader_ctx *rctx, const struct pipeline_sink *s,
    struct diag *d);

/*
 * Factoring with p->batch_per_run, after the run's last input: every
 * open batch (ledger/fbatch.h) closed, and its notice (TSV and text)
 * and transfer list written as outputs of s (out/factoring/), from the
 * ledger's rows.  Inside the caller's transaction; the caller releases
 * the invoice files held for the batches once it has committed and the
 * notices are filed.  Returns the number of batches closed, or -1 with
 * d.
 */
int pipeline_close_batches(struct pipeline *p, const struct pipeline_sink *s,
    struct diag *d);

enum pipeline_stage {
	STAGE_ROUTE,
	STAGE_MATCH
};

/*
 * A filter's input file, name ("-": standard input, buffered once), with
 * a large buffer; the caller closes it unless it is stdin.  NULL with d
 * ("cannot open: ...", as the readers say it) and p->unopened counted:
 * every filter gives exit status 3 for it and goes on with its other
 * inputs.
 */
FILE *pipeline_open_input(struct pipeline *p, const char *name,
    struct diag *d);

/* Whether a filter stops after an input with status rc: on a ledger or
 * output error, not on an input that could not be opened (unopened is
 * p->unopened before the input). */
int pipeline_filter_stops(const struct pipeline *p, int rc, long unopened);

/*
 * One input of a filter: the record stream in the file name ("-" is
 * standard input) through stage, in one ledger transaction; the stage's
 * records reach out only after the commit, so a rejected input leaves
 * neither ledger rows nor records behind.  With p->dry_run set the
 * transaction is rolled back instead and the records still reach out:
 * what would be done, with nothing written.  Returns an exit status (base/
 * exitcode.h): EXIT_OK, EXIT_REJECTED (the input was refused or records
 * were set aside: said on standard error) or EXIT_SYSTEM.
 */
int pipeline_filter(struct pipeline *p, enum pipeline_stage stage,
    const char *name, FILE *out);

#endif
