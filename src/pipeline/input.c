/*
 * pipeline/input.c: one whole input through every stage, in the order
 * of DESIGN.md's data flow (pipeline.h, pipeline_input()).  The caller
 * holds the ledger transaction and says where outputs go (struct
 * pipeline_sink); `reskontra run` is that caller, with the spool's job.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/outfile.h"
#include "base/util.h"
#include "pipeline/ahead.h"
#include "pipeline/pipeline.h"
#include "read/reader.h"
#include "write/finvoice_route.h"
#include "write/fnotice.h"
#include "write/si_change.h"
#include "write/voucher.h"

const char *const pipeline_stage_names[PIPE_STAGES] = {
	"read", "count", "route", "rewrite", "match", "post"
};

static void
stage_start(struct timespec *t0)
{
	clock_gettime(CLOCK_MONOTONIC, t0);
}

/* The stage that began at t0 ended now: its wall time and the peak
 * memory of the process so far. */
static void
stage_done(struct pipeline *p, enum pipeline_stage_id id,
    const struct timespec *t0)
{
	struct rusage ru;

	if (!p->times.on)
		return;
	p->times.wall[id] += seconds_since(t0);
	if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss >
	    p->times.peak_kb[id])
		p->times.peak_kb[id] = ru.ru_maxrss;
}

typedef int (*stage_fn)(struct pipeline *, struct recin *, struct recout *,
    struct diag *);

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

/* A stage over the held record stream fp (rewound first); its records to
 * out when out is not NULL.  A broken held stream is this program's
 * fault: a system error.  PIPE_OK, PIPE_FOREIGN (the match stage met a
 * foreign account: the input is refused) or PIPE_SYSERR, with d. */
static int
held_stage(struct pipeline *p, enum pipeline_stage_id id, stage_fn stage,
    const char *name, FILE *fp, FILE *out, struct diag *d)
{
	struct recin in;
	struct recout w;
	struct timespec t0;
	int st;

	stage_start(&t0);
	rewind(fp);
	rec_in_init(&in, fp, name);
	in.held = 1;
	if (out != NULL) {
		rec_out_init(&w, out);
		rec_header(&w);
	}
	st = stage(p, &in, out != NULL ? &w : NULL, d);
	rec_in_free(&in);
	if (st == PIPE_OK && out != NULL && (fflush(out) != 0 ||
	    ferror(out))) {
		diag_set(d, "temporary file", 0, 0, "write error: %s",
		    strerror(errno));
		st = PIPE_SYSERR;
	}
	stage_done(p, id, &t0);
	return st == PIPE_OK || st == PIPE_FOREIGN ? st : PIPE_SYSERR;
}

/* What a voucher file is named with, after its input, per layout. */
static const char *const voucher_suffix[] = {
	[VOUCHERS_TSV] = ".vouchers",
	[VOUCHERS_CSV] = ".vouchers.csv",
	[VOUCHERS_NETVISOR] = ".netvisor.csv",
};

/* The vouchers of the input's allocations, numbered from the sink's
 * next number, into out/vouchers/VBASE.vouchers (or the suffix of the
 * [output] vouchers layout); none written when there are none.  0, or
 * -1 with d. */
static int
post_input(struct pipeline *p, const struct pipeline_sink *s, FILE *allocs,
    struct diag *d)
{
	struct voucher_writer *v = NULL;
	struct recin r;
	struct sbuf name = SBUF_INIT;
	FILE *tmp = NULL, *out;
	long first;
	int rc = -1;

	rec_in_init(&r, allocs, s->name);
	r.held = 1;
	if ((first = s->first_voucher(s->arg, d)) < 1)
		goto out;
	if ((tmp = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	v = voucher_new(p->conf, first, p->conf->vouchers, tmp);
	voucher_set_source_path(v, s->name, s->filed);
	rewind(allocs);
	if (pipeline_post(p, v, &r, d) != PIPE_OK)
		goto out;
	rc = 0;
	if (voucher_count(v) == 0)
		goto out;
	rc = -1;
	if (p->rep.count != NULL)
		p->rep.count(p->rep.arg, "vouchers", voucher_count(v), 0, 0);
	sbuf_addf(&name, "%s%s", s->voucher_base ? s->voucher_base : s->base,
	    voucher_suffix[p->conf->vouchers]);
	if ((out = s->output(s->arg, "vouchers", name.data, d)) == NULL)
		goto out;
	if (fcopy(tmp, out) < 0) {
		diag_set(d, "temporary file", 0, 0, "cannot copy the vouchers: "
		    "%s", strerror(errno ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	voucher_free(v);
	rec_in_free(&r);
	sbuf_free(&name);
	if (tmp)
		fclose(tmp);
	return rc;
}

/* Where the rewrite's outputs go: the sink, the file to send held back
 * under hold when that is not NULL. */
struct rewrite_sink {
	const struct pipeline_sink *s;
	const char *hold;
};

/* fvroute_file()'s outputs become the sink's: the file to send is
 * written into its output as it goes, a rejected message and its .error
 * whole. */
static FILE *
invoices_open(void *arg, const char *name, struct diag *d)
{
	const struct rewrite_sink *k = arg;

	if (k->hold != NULL)
		return k->s->output_held(k->s->arg, "invoices", name, k->hold,
		    d);
	return k->s->output(k->s->arg, "invoices", name, d);
}

static int
rejected_write(void *arg, enum fvroute_kind kind, const char *name,
    const char *data, size_t len, struct diag *d)
{
	const struct pipeline_sink *s = ((const struct rewrite_sink *)arg)->s;
	FILE *fp = s->output(s->arg, "rejected", name, d);

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
 * out/invoices/ (held under hold, if not NULL), its rejected messages
 * into out/rejected/, read again from the start of the input the reader
 * read.  A message the reader set aside has no decision and goes to
 * out/rejected/ too. */
static int
rewrite_input(struct pipeline *p, const struct pipeline_sink *s,
    const char *hold, struct input *in, struct diag *d)
{
	struct rewrite_sink k = { s, hold };
	struct fvroute fr;
	struct sbuf base = SBUF_INIT;
	struct fvroute_counts cnt;
	struct timespec t0;
	int r;

	stage_start(&t0);
	/* pipeline_check_config() made sure this cannot fail */
	if (fvroute_init(&fr, p->conf, p->assign, d) < 0 ||
	    input_rewind(in, d) < 0) {
		r = PIPE_SYSERR;
		goto out;
	}
	sbuf_addf(&base, "%s%s", s->base, s->base_is_hash ? ".xml" : "");
	/* what is written is the XML, not gzip: a sender that goes by the
	 * name must not take it for a gzip file */
	base.len = name_len_without_gz(base.data);
	base.data[base.len] = '\0';
	fr.open_output = invoices_open;
	fr.emit = rejected_write;
	fr.arg = &k;
	fr.ledger = p->ledger;
	fr.by_line = assign_input_on(p->assign);
	fr.undecided_rejected = 1;
	fr.undecided_reason = "set aside by the reader (see the run "
	    "report's quarantined line)";
	r = fvroute_file(&fr, in, s->name, base.data, &cnt, d);
	r = r == 0 ? PIPE_OK : r > 0 ? PIPE_REJECT : PIPE_SYSERR;
out:
	stage_done(p, PIPE_STAGE_REWRITE, &t0);
	sbuf_free(&base);
	return r;
}

/* The files of batch b in out/factoring/: the notice as TSV and as
 * text, and the batch's transfer list. */
enum factoring_file { FF_NOTICE_TSV, FF_NOTICE_TEXT, FF_TRANSLIST };

static int
factoring_file(struct pipeline *p, const struct pipeline_sink *s,
    const struct fbatch *b, enum factoring_file which, struct diag *d)
{
	struct fbatch_filter f;
	struct sbuf name = SBUF_INIT;
	FILE *fp;
	long n = -1;

	fnotice_file_name(b, which == FF_TRANSLIST ? "translist" : "notice",
	    which == FF_NOTICE_TSV ? "tsv" : "txt", &name);
	if ((fp = s->output(s->arg, "factoring", name.data, d)) != NULL) {
		memset(&f, 0, sizeof(f));
		f.account = b->account;
		f.batch = b->batch;
		f.from = f.to = DAY_NONE;
		n = which == FF_NOTICE_TSV ? fnotice_write_tsv(p->ledger, b, fp,
		    d) : which == FF_NOTICE_TEXT ? fnotice_write_text(p->ledger,
		    b, p->conf, fp, d) : fnotice_translist(p->ledger, &f, 0, fp,
		    d);
	}
	if (n >= 0 && n != b->count) {
		diag_set(d, name.data, 0, 0, "factoring batch %lld of %s has "
		    "%ld invoices, %ld when it was taken", (long long)b->batch,
		    b->account, n, b->count);
		n = -1;
	} else if (n >= 0 && (fflush(fp) != 0 || ferror(fp))) {
		diag_set(d, name.data, 0, 0, "staged output: write error: %s",
		    strerror(errno ? errno : EIO));
		n = -1;
	}
	sbuf_free(&name);
	return n < 0 ? -1 : 0;
}

/* The notice (TSV and text) and transfer list of each of the n batches
 * b, as outputs of s.  0, or -1 with d. */
static int
factoring_outputs(struct pipeline *p, const struct pipeline_sink *s,
    const struct fbatch *b, int n, struct diag *d)
{
	int i;

	for (i = 0; i < n; i++)
		if (factoring_file(p, s, &b[i], FF_NOTICE_TSV, d) < 0 ||
		    factoring_file(p, s, &b[i], FF_NOTICE_TEXT, d) < 0 ||
		    factoring_file(p, s, &b[i], FF_TRANSLIST, d) < 0)
			return -1;
	return 0;
}

int
pipeline_close_batches(struct pipeline *p, const struct pipeline_sink *s,
    struct diag *d)
{
	struct fbatch *b;
	int n;

	/* also under another service now: a killed factoring run's
	 * batches are closed all the same, their invoices held for them */
	if ((n = fbatch_open_batches(p->ledger, &b, d)) > 0 &&
	    (factoring_outputs(p, s, b, n, d) < 0 ||
	    fbatch_close_open(p->ledger, d) < 0))
		n = -1;
	free(b);
	return n;
}

/* Factoring: what the route stage's batches mean for the input's
 * outputs.  With one batch per run, its invoice file waits for the
 * notices of the run's batches, written when the run closes them: the
 * name of the hold into hold (left empty when the input has no
 * factoring invoice in a batch).  Otherwise each batch is the input's
 * own and its notice and transfer list are outputs of the input made
 * BEFORE its invoices; the spool files an input's outputs in the order
 * they were made, each rename synced before the next.  Either way a
 * batch's notice is in out/factoring/ before any of its invoices is in
 * out/invoices/ (formats/factoring.md).  0, or -1 with d. */
static int
factoring_stage(struct pipeline *p, const struct pipeline_sink *s,
    struct sbuf *hold, struct diag *d)
{
	if (p->nbatches == 0)
		return 0;
	if (!p->batch_per_run)
		return factoring_outputs(p, s, p->batches, p->nbatches, d);
	if (s->output_held == NULL) {
		diag_set(d, s->name, 0, 0, "factoring batches of the run, "
		    "but no way to hold the invoices back");
		return -1;
	}
	return fbatch_hold_key(p->ledger, hold, d) < 0 ? -1 : 0;
}

/* ---- SI: CHANGE messages into out/si/ ---- */

struct si_sink {
	struct pipeline *p;
	const struct pipeline_sink *s;
	struct diag first;	/* the first message rejected */
	long rejected;
};

static int
si_emit(void *arg, const char *bank, const char *data, size_t len,
    struct diag *d)
{
	struct si_sink *k = arg;
	struct sbuf name = SBUF_INIT;
	FILE *fp;
	int rc = -1;

	si_change_output_name(k->s->base, bank, &name);
	if ((fp = k->s->output(k->s->arg, "si", name.data, d)) == NULL)
		goto out;
	if (fwrite(data, 1, len, fp) != len) {
		diag_set(d, name.data, 0, 0, "staged output: write error: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sbuf_free(&name);
	return rc;
}

static void
si_reject(void *arg, const struct diag *md)
{
	struct si_sink *k = arg;

	if (k->rejected++ == 0)
		k->first = *md;
	pipeline_quarantine(k->p, md);
}

/* The CHANGE messages of an SI input (DESIGN.md step 7), read again
 * from the start.  A configuration without the service's account, or a
 * file none of whose messages can be changed, refuses the input (it goes
 * to failed/ saying why): an SI file must not pass as done with nothing
 * written. */
static int
si_input(struct pipeline *p, const struct pipeline_sink *s,
    struct input *in, const struct reader_ctx *rctx, struct diag *d)
{
	struct si_change sc;
	struct si_change_counts cnt;
	struct si_sink k;
	char bic[BIC_BUFSZ];
	int r;

	memset(&sc, 0, sizeof sc);
	memset(&k, 0, sizeof k);
	k.p = p;
	k.s = s;
	if (si_change_init(&sc, p->conf, bic, d) < 0)
		return PIPE_REJECT;
	sc.today = p->today;
	sc.schema_dir = rctx->schema_dir;
	sc.emit = si_emit;
	sc.reject = si_reject;
	sc.arg = &k;
	sc.skip_ri = 1;		/* ri_input() maps them */
	if (input_rewind(in, d) < 0)
		return PIPE_SYSERR;
	r = si_change_file(&sc, in, s->name, &cnt, d);
	if (r == 0 && cnt.changed == 0) {
		/* nothing to send: the file is refused, as a Finvoice
		 * file of bad messages only is */
		char m[sizeof d->msg];

		snprintf(m, sizeof m, "%s", k.first.msg);
		diag_set(d, k.first.file, k.first.line, 0, "no SI message "
		    "could be changed (%ld rejected); the first: %s",
		    cnt.rejected, m);
		return PIPE_REJECT;
	}
	if (r == 0 && p->rep.count != NULL) {
		p->rep.count(p->rep.arg, "si-changed", cnt.changed, 0, 0);
		p->rep.count(p->rep.arg, "si-files", cnt.banks, 0, 0);
	}
	return r == 0 ? PIPE_OK : r > 0 ? PIPE_REJECT : PIPE_SYSERR;
}

/* ---- RI: notices into out/notices/ ---- */

/* The ri notices of an RI input's held records into
 * out/notices/BASE.ri.tsv (none when it has no ri record). */
static int
ri_input(struct pipeline *p, const struct pipeline_sink *s, FILE *recs,
    struct diag *d)
{
	struct recin in;
	struct recout w;
	struct sbuf name = SBUF_INIT;
	FILE *tmp, *out;
	int rc = PIPE_SYSERR, st;

	if ((tmp = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		return PIPE_SYSERR;
	}
	rewind(recs);
	rec_in_init(&in, recs, s->name);
	in.held = 1;
	rec_out_init(&w, tmp);
	st = pipeline_ri(p, &in, &w, d);
	rec_in_free(&in);
	if (st != PIPE_OK)
		goto out;
	if (ftell(tmp) == 0) {
		rc = PIPE_OK;
		goto out;
	}
	sbuf_addf(&name, "%s.ri.tsv", s->base);
	if ((out = s->output(s->arg, "notices", name.data, d)) == NULL)
		goto out;
	if (fprintf(out, "%s\n", pipeline_ri_header) < 0 ||
	    fcopy(tmp, out) < 0) {
		diag_set(d, name.data, 0, 0, "staged output: write error: %s",
		    strerror(errno ? errno : EIO));
		goto out;
	}
	rc = PIPE_OK;
out:
	sbuf_free(&name);
	fclose(tmp);
	return rc;
}

/* 1 when the held stream recs has a record of kind, 0 when not, -1 on
 * a broken stream (d). */
static int
has_kind(FILE *recs, const char *name, const char *kind, struct diag *d)
{
	struct recin in;
	int r, found = 0;

	rewind(recs);
	rec_in_init(&in, recs, name);
	in.held = 1;
	while (!found && (r = rec_read(&in, d)) == 1)
		found = strcmp(rec_field(&in, 0), kind) == 0;
	rec_in_free(&in);
	return found ? 1 : r < 0 ? -1 : 0;
}

/* The SI and RI messages of an SI or RI input: either kind may come in
 * either file (formats/si.md), so each goes its own way whatever the
 * file's first message was. */
static int
sri_input(struct pipeline *p, const struct pipeline_sink *s, int fmt,
    struct input *in, const struct reader_ctx *rctx, FILE *recs,
    struct diag *d)
{
	int r;

	if (fmt == FMT_RI && (r = has_kind(recs, s->name, "si", d)) != 0) {
		if (r < 0)
			return PIPE_SYSERR;
		fmt = FMT_SI;
	}
	if (fmt == FMT_SI && (r = si_input(p, s, in, rctx, d)) != PIPE_OK)
		return r;
	return ri_input(p, s, recs, d);
}

/* The buffer of an input's held records (one input at a time): the
 * reader writes them 64 KiB at a time, not 4 KiB. */
static char recsbuf[64 * 1024];

/* A message the reader set aside from a file it otherwise reads: a
 * quarantined line of its own. */
static void
read_set_aside(void *arg, const struct diag *d)
{
	pipeline_quarantine(arg, d);
}

/* read: the input into a new held stream *recs, read here or taken from
 * the child that read it ahead (s->ahead).  PIPE_OK (a reader that set
 * some messages aside has said so as a quarantine), PIPE_REJECT or
 * PIPE_SYSERR, with d. */
static int
read_stage(struct pipeline *p, struct input *in, struct reader_ctx *rctx,
    const struct pipeline_sink *s, FILE **recs, struct diag *d)
{
	struct recout w;
	struct timespec t0;
	long set_aside = rctx->nset_aside;
	void (*said)(void *, const struct diag *) = rctx->set_aside;
	void *said_arg = rctx->set_aside_arg;
	int r = AHEAD_UNUSED;

	stage_start(&t0);
	rctx->set_aside = read_set_aside;
	rctx->set_aside_arg = p;
	if (s->ahead != NULL && s->st != NULL && s->sha256 != NULL)
		r = ahead_take(s->ahead, s->name, s->st, s->sha256, rctx, recs,
		    d);
	else
		ahead_drop(s->ahead);
	if (r != AHEAD_UNUSED && s->read_ahead != NULL)
		*s->read_ahead = 1;
	if (r == AHEAD_UNUSED && (*recs = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		r = READ_SYSERR;
	} else if (*recs != NULL)
		setvbuf(*recs, recsbuf, _IOFBF, sizeof recsbuf);
	if (r == AHEAD_UNUSED) {
		rec_out_init(&w, *recs);
		rec_header(&w);
		/* recs is thrown away unless the read is accepted: the
		 * reader writes into it, not into a file of its own first */
		r = read_input_scratch(in, FMT_UNKNOWN, rctx, &w, d);
	}
	rctx->set_aside = said;
	rctx->set_aside_arg = said_arg;
	stage_done(p, PIPE_STAGE_READ, &t0);
	if (s->read_done != NULL)
		s->read_done(s->arg);
	if (r == READ_REJECT)
		return PIPE_REJECT;
	if (r == READ_PARTIAL) {
		/* independent messages, some rejected: the good ones go
		 * on, and the report says which were set aside, each on a
		 * quarantined line of its own (read_set_aside) or, from a
		 * reader that did not name them, as the file's count */
		if (rctx->nset_aside == set_aside)
			pipeline_quarantine(p, d);
		p->read_partial++;
		if (rctx->nset_aside > set_aside && p->rep.count != NULL)
			p->rep.count(p->rep.arg, "invoices-set-aside",
			    rctx->nset_aside - set_aside, 0, 0);
	} else if (r != READ_OK)
		return PIPE_SYSERR;
	if (fflush(*recs) != 0 || ferror(*recs)) {
		diag_set(d, "temporary file", 0, 0, "write error: %s",
		    strerror(errno));
		return PIPE_SYSERR;
	}
	return PIPE_OK;
}


int
pipeline_input(struct pipeline *p, struct input *in, int fmt,
    struct reader_ctx *rctx, const struct pipeline_sink *s, struct diag *d)
{
	FILE *recs = NULL, *allocs = NULL;
	struct sbuf hold = SBUF_INIT;
	struct timespec t0;
	int r, rc = PIPE_SYSERR;

	if ((rc = read_stage(p, in, rctx, s, &recs, d)) != PIPE_OK)
		goto out;
	rc = PIPE_SYSERR;
	if ((allocs = tmpfile()) == NULL) {
		diag_set(d, "temporary file", 0, 0, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	if (held_stage(p, PIPE_STAGE_COUNT, count_records, s->name, recs,
	    NULL, d) != PIPE_OK)
		goto out;
	/* invoices routed before they are stored, so that an invoice is
	 * not its own earlier assignment */
	if (pipeline_routes(p) && fmt == FMT_FINVOICE) {
		/* the rewrite and the match stage take each message's own
		 * decision from the route stage */
		assign_input_begin(p->assign);
		if (held_stage(p, PIPE_STAGE_ROUTE, pipeline_route, s->name,
		    recs, NULL, d) != PIPE_OK)
			goto out;
		if (factoring_stage(p, s, &hold, d) < 0)
			goto out;
		if ((r = rewrite_input(p, s, hold.len > 0 ? hold.data : NULL,
		    in, d)) != PIPE_OK) {
			rc = r;
			goto out;
		}
	}
	if ((fmt == FMT_SI || fmt == FMT_RI) &&
	    (r = sri_input(p, s, fmt, in, rctx, recs, d)) != PIPE_OK) {
		rc = r;
		goto out;
	}
	if ((r = held_stage(p, PIPE_STAGE_MATCH, pipeline_match, s->name,
	    recs, allocs, d)) != PIPE_OK) {
		/* a statement of another company's account: refused whole */
		if (r == PIPE_FOREIGN)
			rc = PIPE_REJECT;
		goto out;
	}
	if (held_stage(p, PIPE_STAGE_COUNT, count_allocs, s->name, allocs,
	    NULL, d) != PIPE_OK)
		goto out;
	stage_start(&t0);
	r = post_input(p, s, allocs, d);
	stage_done(p, PIPE_STAGE_POST, &t0);
	if (r < 0)
		goto out;
	rc = PIPE_OK;
out:
	assign_input_end(p->assign);
	sbuf_free(&hold);
	if (recs)
		fclose(recs);
	if (allocs)
		fclose(allocs);
	return rc;
}
