/*
 * pipeline: the stages of one input, shared by `reskontra run` and the
 * filters (pipeline.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exitcode.h"
#include "base/ident.h"
#include "base/money.h"
#include "base/outfile.h"
#include "base/recschema.h"
#include "base/util.h"
#include "ledger/fbatch.h"
#include "ledger/match.h"
#include "ledger/rimap.h"
#include "ledger/reconcile.h"
#include "pipeline/pipeline.h"
#include "route/route.h"
#include "write/finvoice_route.h"
#include "write/voucher.h"

/*
 * stdio buffers for a filter's input and its held output: with the
 * default (st_blksize, often 4 KiB) a million payments cost some 50 000
 * read and write calls.  One input file is open at a time, so inbuf and
 * tmpbuf are reused; standard input keeps its own, as it may be named
 * again later.
 */
#define IOBUFSZ (1 << 20)
static char stdinbuf[IOBUFSZ], inbuf[IOBUFSZ], tmpbuf[IOBUFSZ];
static int stdin_buffered;


int
pipeline_check_config(const struct config *conf, struct diag *d)
{
	struct fvroute fr;
	int no_payer = (conf->service == SERVICE_AMILI ||
	    conf->service == SERVICE_KASSAVIRTA) &&
	    (conf->payer_name == NULL || *conf->payer_name == '\0');

	/* the rewrite's needs ([service] iban), checked before any input;
	 * both keys missing are said at once */
	if (fvroute_init(&fr, conf, NULL, d) < 0) {
		if (no_payer)
			diag_set(d, conf->path, conf->service_line, 0,
			    "[service] iban and payer_name are required for "
			    "type = %s", config_service_name(conf->service));
		return -1;
	}
	if (no_payer) {
		diag_set(d, conf->path, conf->service_line, 0, "[service] "
		    "payer_name is required for type = %s",
		    config_service_name(conf->service));
		return -1;
	}
	return 0;
}

static void
router_warn(void *arg, const struct diag *d)
{
	struct pipeline *p = arg;

	if (p->rep.warn != NULL)
		p->rep.warn(p->rep.arg, d);
	else
		diag_warn(stderr, d);
}

static void note(struct pipeline *p, const char *kind,
    const char *const *f, size_t n);

/* A warning that needs someone to act (the match stage's: a loan
 * withdrawal no arrival cleared, a factoring payment to the wrong
 * account, an invoice that failed its checks; the router's: a factoring
 * credit note of an invoice never seen): a `warning` line of the run
 * report (and the run's standard error, exit 1); a filter says it on
 * standard error. */
static void
look_warn(void *arg, const struct diag *wd)
{
	struct pipeline *p = arg;
	const char *f[1];
	char *text;

	p->looked++;
	if (p->rep.note == NULL) {
		diag_warn(stderr, wd);
		return;
	}
	text = diag_text(wd, 1);
	f[0] = text;
	note(p, "warning", f, 1);
	free(text);
}

int
pipeline_routes(const struct pipeline *p)
{
	return router_service_routes(p->conf->service);
}

int
pipeline_open(struct pipeline *p, const struct config *conf,
    struct ledger *l, day_t today, const struct pipeline_report *rep,
    struct diag *d)
{
	memset(p, 0, sizeof(*p));
	p->conf = conf;
	p->ledger = l;
	p->today = today;
	if (rep != NULL)
		p->rep = *rep;
	if (l == NULL)
		return 0;
	/* a service that routes nothing still answers the route stage
	 * (every invoice passed), so the router is always there */
	if (assign_open(l, &p->assign, d) < 0)
		return -1;
	p->router = router_new(conf, l, p->assign, today);
	router_set_warn(p->router, router_warn, look_warn, p);
	if (conf->service == SERVICE_FACTORING)
		p->batches = xcalloc(conf->nfactoring + 1,
		    sizeof(*p->batches));
	else if (pipeline_routes(p)) {
		if (notice_open(l, &p->notices, d) < 0)
			return -1;
		notice_set_op(p->notices, conf->service ==
		    SERVICE_OP_LASKULAINA);
	}
	return 0;
}

void
pipeline_close(struct pipeline *p)
{
	router_free(p->router);
	p->router = NULL;
	notice_close(p->notices);
	p->notices = NULL;
	free(p->batches);
	p->batches = NULL;
	assign_close(p->assign);
	p->assign = NULL;
}

/* ---- what the stages report ------------------------------------------ */

void
pipeline_quarantine(struct pipeline *p, const struct diag *d)
{
	p->quarantined++;
	if (p->rep.quarantine != NULL)
		p->rep.quarantine(p->rep.arg, d);
	else
		diag_print(stderr, d);
}

static void
count(struct pipeline *p, const char *what, int has_cents, int64_t cents)
{
	if (p->rep.count != NULL)
		p->rep.count(p->rep.arg, what, 1, has_cents, cents);
}

/* Count one of what with the amount in column col of r. */
static void
count_amount(struct pipeline *p, const char *what, const struct recin *r,
    size_t col)
{
	const char *s = rec_field(r, col);
	int64_t cents;

	if (money_parse(s, strlen(s), &cents) == 0)
		count(p, what, 1, cents);
	else
		count(p, what, 0, 0);
}

static void
note(struct pipeline *p, const char *kind, const char *const *f, size_t n)
{
	if (p->rep.note != NULL)
		p->rep.note(p->rep.arg, kind, f, n);
}

/* A failed direct debit moved no money (nothing is applied): counted
 * apart from the payments, and said, since the debtor still owes. */
static void
failed_dd(struct pipeline *p, const struct recin *in)
{
	char reason[48];
	const char *f[8];

	count_amount(p, "pay-failed-dd", in, COL_PAY_AMOUNT);
	snprintf(reason, sizeof reason, "feedback code %.8s",
	    rec_field(in, COL_PAY_FEEDBACK));
	/* outcome reason amount reference archive_id payer source */
	f[0] = "failed-dd";
	f[1] = reason;
	f[2] = rec_field(in, COL_PAY_AMOUNT);
	f[3] = rec_field(in, COL_PAY_REFERENCE);
	f[4] = rec_field(in, COL_PAY_ARCHIVE_ID);
	f[5] = rec_field(in, COL_PAY_PAYER_NAME);
	f[6] = rec_source_field(in);
	f[7] = "";
	note(p, "payment", f, 8);
}

/* Not an entry of its own: an itemisation row, or a notification. */
static int
txn_is_item(const struct recin *in)
{
	return !txn_booked(in);
}

int
pipeline_count_records(struct pipeline *p, struct recin *in, struct diag *d)
{
	int r;

	while ((r = rec_read(in, d)) == 1) {
		const char *kind = rec_field(in, 0);

		if (strcmp(kind, "pay") == 0 && pay_failed_dd(in))
			failed_dd(p, in);
		else if (strcmp(kind, "pay") == 0)
			count_amount(p,
			    strcmp(rec_field(in, COL_PAY_CORRECTION), "1") == 0 ?
			    "pay-correction" : "pay", in, COL_PAY_AMOUNT);
		else if (strcmp(kind, "txn") == 0)
			/* an itemisation row is part of its entry's amount */
			count_amount(p, txn_is_item(in) ? "txn-item" : "txn",
			    in, COL_TXN_AMOUNT);
		else if (strcmp(kind, "inv") == 0)
			count_amount(p, "inv", in, COL_INV_TOTAL);
		else
			count(p, kind, 0, 0);
	}
	return r < 0 ? PIPE_REJECT : PIPE_OK;
}

/* ---- route ------------------------------------------------------------ */

void
pipeline_write_route(struct recout *w, const struct recin *r,
    const struct assignment *x)
{
	rec_begin(w, "route");
	/* from the record: a number too long to keep is shown whole */
	rec_str(w, rec_field(r, COL_INV_INVOICE_NO));
	rec_date(w, x->invoice_date);
	rec_str(w, x->action);
	if (x->code != 0)
		rec_int(w, x->code);
	else
		rec_str(w, "");
	rec_str(w, x->reason);
	rec_str(w, x->service_reference);
	rec_str(w, x->group);
	rec_str(w, x->service);
	rec_str(w, x->reference);
	if (x->number != 0)
		rec_int(w, x->number);
	else
		rec_str(w, "");
	rec_str(w, x->language);
	rec_str(w, x->login_code);
	rec_str(w, rec_source_field(r));
	rec_end(w);
}

/* Count decision x of the inv record r; name a rejected invoice, and a
 * passed one with the reason it was not routed. */
static void
report_decision(struct pipeline *p, const struct recin *r,
    const struct assignment *x)
{
	char code[16];
	const char *f[4];

	if (strcmp(x->action, "route") == 0)
		count_amount(p, "invoices-routed", r, COL_INV_TOTAL);
	else if (strcmp(x->action, "pass") == 0) {
		count_amount(p, "invoices-passed", r, COL_INV_TOTAL);
		/* why it was not handed to the service:
		 * invoice_no reason source */
		f[0] = rec_field(r, COL_INV_INVOICE_NO);
		f[1] = x->reason;
		f[2] = rec_source_field(r);
		note(p, "passed", f, 3);
	} else {
		count_amount(p, "invoices-rejected", r, COL_INV_TOTAL);
		p->rejected++;
		snprintf(code, sizeof(code), "%d", x->code);
		/* invoice_no code reason source */
		f[0] = rec_field(r, COL_INV_INVOICE_NO);
		f[1] = code;
		f[2] = x->reason;
		f[3] = rec_source_field(r);
		note(p, "invoice", f, 4);
	}
}

/* Factoring: the invoices just routed get their batch numbers, in the
 * input's transaction: a new batch of their account (counted
 * "factoring-batch"), or with p->batch_per_run the account's batch that
 * an earlier input of the run opened ("factoring-joined").  0, or -1
 * with d. */
static int
take_batches(struct pipeline *p, struct diag *d)
{
	int i;

	p->nbatches = 0;
	if (p->batches == NULL)
		return 0;
	p->nbatches = fbatch_take(p->ledger, p->conf, p->today,
	    p->batch_per_run, p->batches, (int)p->conf->nfactoring, d);
	if (p->nbatches < 0) {
		p->nbatches = 0;
		return -1;
	}
	for (i = 0; i < p->nbatches; i++)
		count(p, p->batches[i].joined ? "factoring-joined" :
		    "factoring-batch", 1, p->batches[i].total);
	return 0;
}

int
pipeline_route(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d)
{
	struct assignment x;
	int r;

	while ((r = rec_read(in, d)) == 1) {
		if (strcmp(rec_field(in, 0), "inv") != 0) {
			if (out != NULL)
				rec_copy(out, in->fields, in->nfields);
			continue;
		}
		if (router_inv(p->router, in, &x, d) < 0)
			return PIPE_SYSERR;
		assign_input_add(p->assign, rec_source_field(in), &x);
		report_decision(p, in, &x);
		if (out != NULL)
			pipeline_write_route(out, in, &x);
	}
	if (r < 0)
		return PIPE_REJECT;
	return take_batches(p, d) < 0 ? PIPE_SYSERR : PIPE_OK;
}

/* ---- match ------------------------------------------------------------ */

/* Count an alloc record's outcome; name the payments to look at. */
static void
report_alloc(struct pipeline *p, const struct recin *r, struct sbuf *what)
{
	const char *outcome = rec_field(r, COL_ALLOC_OUTCOME);
	enum alloc_outcome o = outcome_parse(outcome);
	const char *f[8];

	sbuf_reset(what);
	sbuf_addf(what, "alloc-%s", outcome);
	/* a repeat of money out (a bank's correction read again) is not
	 * among the repeats of payments */
	if (o == OUTCOME_DUPLICATE && rec_field(r, COL_ALLOC_AMOUNT)[0] == '-')
		sbuf_adds(what, "-out");
	count_amount(p, what->data, r, COL_ALLOC_AMOUNT);
	/* a correction with nothing to undo is money out of suspense,
	 * counted apart from the payments that went there; so is any other
	 * money out that went there (a statement's row: a fee, a repayment
	 * with no customer payment to take from) */
	if (o == OUTCOME_UNKNOWN && rec_field(r, COL_ALLOC_AMOUNT)[0] == '-')
		count_amount(p, strcmp(rec_field(r, COL_ALLOC_REASON),
		    "nothing-to-reverse") == 0 ? "alloc-unknown-correction" :
		    "alloc-unknown-out", r, COL_ALLOC_AMOUNT);
	if (o != OUTCOME_UNKNOWN && o != OUTCOME_DUPLICATE &&
	    o != OUTCOME_OVER)
		return;
	/* outcome reason amount reference archive_id payer source */
	f[0] = outcome;
	f[1] = rec_field(r, COL_ALLOC_REASON);
	f[2] = rec_field(r, COL_ALLOC_AMOUNT);
	f[3] = rec_field(r, COL_ALLOC_REFERENCE);
	f[4] = rec_field(r, COL_ALLOC_ARCHIVE_ID);
	f[5] = rec_field(r, COL_ALLOC_PAYER_NAME);
	f[6] = rec_source_field(r);
	f[7] = rec_field(r, COL_ALLOC_SUGGESTION);
	note(p, "payment", f, 8);
}

int
pipeline_count_allocs(struct pipeline *p, struct recin *in, struct diag *d)
{
	struct sbuf what = SBUF_INIT;
	int r;

	while ((r = rec_read(in, d)) == 1) {
		if (strcmp(rec_field(in, 0), "alloc") == 0)
			report_alloc(p, in, &what);
		else if (strcmp(rec_field(in, 0), "fin") == 0) {
			sbuf_reset(&what);
			sbuf_addf(&what, "fin-%s", rec_field(in,
			    COL_FIN_EVENT));
			count_amount(p, what.data, in, COL_FIN_AMOUNT);
		}
	}
	sbuf_free(&what);
	return r < 0 ? PIPE_REJECT : PIPE_OK;
}

/* The column naming the bank account of a record of this kind (the
 * statement's or payment file's account), or 0 for kinds without one. */
static size_t
account_column(const char *kind)
{
	if (strcmp(kind, "stmt") == 0)
		return COL_STMT_ACCOUNT_IBAN;
	if (strcmp(kind, "txn") == 0)
		return COL_TXN_ACCOUNT_IBAN;
	if (strcmp(kind, "bal") == 0)
		return COL_BAL_ACCOUNT_IBAN;
	if (strcmp(kind, "pay") == 0)
		return COL_PAY_ACCOUNT_IBAN;
	if (strcmp(kind, "batch") == 0)
		return COL_BATCH_ACCOUNT_IBAN;
	return 0;
}

int
pipeline_foreign_account(const struct pipeline *p, const struct recin *r,
    struct diag *d)
{
	char iban[IBAN_BUFSZ];
	size_t col = account_column(rec_field(r, 0));
	const char *a = col ? rec_field(r, col) : "";
	size_t n = strlen(a);

	if (n == 0 || n >= IBAN_BUFSZ + 10)
		return 0;
	iban_normalise(a, n, iban);
	if (config_own_account(p->conf, iban))
		return 0;
	diag_set(d, rec_source_field(r), 0, 0, "account %s is not one of "
	    "the company's ([company] iban, [service] iban, [factoring] "
	    "iban in %s): the file is refused whole, nothing of it booked",
	    iban, p->conf->path);
	return 1;
}

/* A reconciliation difference: noted for the run report (and the run's
 * standard error); a filter says it on standard error. */
static void
reconcile_differs(void *arg, const struct reconcile_diff *x)
{
	struct pipeline *p = arg;
	char bufs[3][MONEY_BUFSZ];
	const char *f[RECONCILE_NFIELDS];

	p->differences++;
	reconcile_fields(x, bufs, f);
	count(p, "reconcile-differences", 0, 0);
	if (p->rep.note != NULL) {
		note(p, "reconcile", f, RECONCILE_NFIELDS);
	} else {
		struct sbuf b = SBUF_INIT;
		struct diag dd;

		reconcile_message(f, &b);
		diag_set(&dd, x->source, 0, 0, "%s", b.data);
		diag_print(stderr, &dd);
		sbuf_free(&b);
	}
}

int
pipeline_match(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d)
{
	struct match *m;
	struct reconcile *recon;
	struct diag qd;
	int got, st, rc = PIPE_SYSERR;

	recon = reconcile_new((sqlite3 *)ledger_db(p->ledger),
	    config_virtual_iban(p->conf));
	m = match_new(p->ledger, p->conf, out);
	if (p->today != DAY_NONE)
		match_set_today(m, p->today);
	if (p->conf->service == SERVICE_AMILI ||
	    p->conf->service == SERVICE_KASSAVIRTA)
		match_set_assign(m, p->assign);
	if (pipeline_routes(p))
		match_set_decisions(m, p->assign);
	match_set_warn(m, look_warn, p);
	while ((got = rec_read(in, d)) == 1) {
		if (pipeline_foreign_account(p, in, d)) {
			rc = PIPE_FOREIGN;
			goto out;
		}
		/* a pay record is reconciled after it is matched: one
		 * paired with its twin under another archive id is not
		 * counted twice */
		if (strcmp(rec_field(in, 0), "pay") != 0 &&
		    reconcile_record(recon, in, d) < 0)
			goto out;
		st = match_record(m, in, &qd);
		if (st < 0) {
			*d = qd;
			goto out;
		}
		if (strcmp(rec_field(in, 0), "pay") == 0 &&
		    !match_last_paired(m) && reconcile_record(recon, in, d) < 0)
			goto out;
		if (st == 1)
			pipeline_quarantine(p, &qd);
	}
	rc = got < 0 ? PIPE_REJECT : PIPE_OK;
	if (rc == PIPE_OK && (match_finish(m, d) < 0 ||
	    reconcile_finish(recon, reconcile_differs, p, d) < 0))
		rc = PIPE_SYSERR;
out:
	reconcile_free(recon);
	match_free(m);
	return rc;
}

/* ---- ri ----------------------------------------------------------------- */

const char pipeline_ri_header[] = "kind\taction\tidentifier\t"
    "identifier_type\tsecond_identifier\tsecond_identifier_type\t"
    "matched_by\treference\tservice_reference\t"
    "invoice_no\tcustomer\tbuyer_name\trecipient_address\t"
    "recipient_intermediator\treason\tsource";

static void
write_ri_notice(struct recout *w, const struct recin *r,
    const struct rimap_result *m)
{
	rec_begin(w, m->matched ? "ri" : "ri-unmatched");
	rec_str(w, rec_field(r, COL_RI_ACTION));
	rec_str(w, rec_field(r, COL_RI_IDENTIFIER));
	rec_str(w, rec_field(r, COL_RI_IDENTIFIER_TYPE));
	rec_str(w, rec_field(r, COL_RI_SECOND_IDENTIFIER));
	rec_str(w, rec_field(r, COL_RI_SECOND_IDENTIFIER_TYPE));
	rec_str(w, m->matched_by);
	rec_str(w, m->reference);
	rec_str(w, m->service_reference);
	rec_str(w, m->invoices.data);
	rec_str(w, m->customer);
	rec_str(w, rec_field(r, COL_RI_BUYER_NAME));
	rec_str(w, rec_field(r, COL_RI_RECIPIENT_ADDRESS));
	rec_str(w, rec_field(r, COL_RI_RECIPIENT_INTERMEDIATOR));
	rec_str(w, m->matched ? "" : m->reason);
	rec_str(w, rec_source_field(r));
	rec_end(w);
}

/* 1 when the RI names a seller other than the company (then r says so,
 * unmatched): the mapping must not start another company's customer's
 * e-invoicing.  An id of neither business id shape is not judged. */
static int
other_seller(const struct pipeline *p, const struct recin *in,
    struct rimap_result *r)
{
	const char *seller = rec_field(in, COL_RI_SELLER_ID);
	const char *own = p->conf != NULL ? p->conf->company_business_id :
	    NULL;
	char a[YTUNNUS_BUFSZ], b[YTUNNUS_BUFSZ];

	if (own == NULL || *seller == '\0' ||
	    ytunnus_normalise_any(seller, a) < 0 ||
	    ytunnus_normalise_any(own, b) < 0 || strcmp(a, b) == 0)
		return 0;
	memset(r, 0, sizeof *r);
	r->matched_by = "";
	snprintf(r->reason, sizeof r->reason, "the RI is for seller %s, not "
	    "this company (%s)", seller, own);
	return 1;
}

int
pipeline_ri(struct pipeline *p, struct recin *in, struct recout *out,
    struct diag *d)
{
	struct rimap_result m;
	struct diag qd;
	int r;

	if (p->ledger == NULL) {
		diag_set(d, "ri", 0, 0, "RI messages need the ledger");
		return PIPE_SYSERR;
	}
	while ((r = rec_read(in, d)) == 1) {
		if (strcmp(rec_field(in, 0), "ri") != 0)
			continue;
		if (!other_seller(p, in, &m) && rimap_lookup(p->ledger,
		    p->assign, rec_field(in, COL_RI_IDENTIFIER), rec_field(in,
		    COL_RI_SECOND_IDENTIFIER), &m, d) < 0)
			return PIPE_SYSERR;
		write_ri_notice(out, in, &m);
		count(p, m.matched ? "ri-matched" : "ri-unmatched", 0, 0);
		if (!m.matched) {
			const char *second = rec_field(in,
			    COL_RI_SECOND_IDENTIFIER);

			diag_set(&qd, rec_source_field(in), 0, 0, "RI of %s: "
			    "identifier%s '%s'%s%s%s unmatched: %s",
			    rec_field(in, COL_RI_BUYER_NAME), *second ? "s" :
			    "", rec_field(in, COL_RI_IDENTIFIER), *second ?
			    " and '" : "", second, *second ? "'" : "",
			    m.reason);
			pipeline_quarantine(p, &qd);
		}
		rimap_free(&m);
	}
	return r < 0 ? PIPE_REJECT : PIPE_OK;
}

/* ---- post ------------------------------------------------------------- */

int
pipeline_post(struct pipeline *p, struct voucher_writer *v,
    struct recin *in, struct diag *d)
{
	struct diag qd;
	int got, st;

	while ((got = rec_read(in, d)) == 1) {
		if ((st = voucher_feed(v, in, &qd)) < 0) {
			*d = qd;
			return PIPE_SYSERR;
		}
		if (st == 1)
			pipeline_quarantine(p, &qd);
	}
	/* what was read before a break is posted; the break is reported */
	if (got < 0) {
		struct diag fd;

		return voucher_flush(v, &fd) < 0 ? (*d = fd, PIPE_SYSERR) :
		    PIPE_REJECT;
	}
	if (voucher_flush(v, d) < 0)
		return PIPE_SYSERR;
	if (voucher_convert_done(v, &qd) == 1)
		pipeline_quarantine(p, &qd);
	return PIPE_OK;
}

/* ---- a filter's input ------------------------------------------------- */

FILE *
pipeline_open_input(struct pipeline *p, const char *name, struct diag *d)
{
	FILE *in;

	if (strcmp(name, "-") == 0) {
		if (!stdin_buffered) {
			setvbuf(stdin, stdinbuf, _IOFBF, sizeof stdinbuf);
			stdin_buffered = 1;
		}
		return stdin;
	}
	if ((in = fopen(name, "r")) == NULL) {
		/* the same words as the readers' (base/input.c) */
		diag_set(d, name, 0, 0, "cannot open: %s", strerror(errno));
		p->unopened++;
		return NULL;
	}
	setvbuf(in, inbuf, _IOFBF, sizeof inbuf);
	return in;
}

int
pipeline_filter(struct pipeline *p, enum pipeline_stage stage,
    const char *name, FILE *out)
{
	FILE *in, *tmp = NULL;
	struct recin r;
	struct recout w;
	struct diag d;
	long q0 = p->quarantined, rej0 = p->rejected, dif0 = p->differences;
	long look0 = p->looked;
	int rc = EXIT_SYSTEM, st, began = 0;

	if ((in = pipeline_open_input(p, name, &d)) == NULL) {
		diag_print(stderr, &d);
		return EXIT_SYSTEM;
	}
	rec_in_init(&r, in, name);
	if ((tmp = tmpfile()) == NULL) {
		fprintf(stderr, "%s: temporary file: %s\n", progname,
		    strerror(errno));
		goto out;
	}
	setvbuf(tmp, tmpbuf, _IOFBF, sizeof tmpbuf);
	rec_out_init(&w, tmp);
	if (ledger_begin(p->ledger, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 1;
	st = stage == STAGE_ROUTE ? pipeline_route(p, &r, &w, &d) :
	    pipeline_match(p, &r, &w, &d);
	if (st != PIPE_OK) {
		/* a broken stream is rejected whole */
		diag_print(stderr, &d);
		rc = st == PIPE_REJECT || st == PIPE_FOREIGN ?
		    EXIT_REJECTED : EXIT_SYSTEM;
		goto out;
	}
	if (fflush(tmp) != 0 || ferror(tmp)) {
		fprintf(stderr, "%s: temporary file: write error\n", progname);
		goto out;
	}
	if (p->dry_run)
		ledger_rollback(p->ledger);
	else if (ledger_commit(p->ledger, &d) < 0) {
		diag_print(stderr, &d);
		goto out;
	}
	began = 0;
	if (fcopy(tmp, out) < 0) {
		/* booked and committed, not handed on: said once */
		fwrite_failed(out, "standard output", errno);
		goto out;
	}
	rc = p->quarantined > q0 || p->rejected > rej0 ||
	    p->differences > dif0 || p->looked > look0 ? EXIT_REJECTED :
	    EXIT_OK;
out:
	if (began)
		ledger_rollback(p->ledger);
	rec_in_free(&r);
	if (tmp)
		fclose(tmp);
	if (in != stdin)
		fclose(in);
	return rc;
}

int
pipeline_filter_stops(const struct pipeline *p, int rc, long unopened)
{
	return rc == EXIT_SYSTEM && p->unopened == unopened;
}
