/*
 * runnotes: the lines a cron run prints for its operator and the
 * invoices and payments of its summary (runnotes.h).  It sits between
 * the pipeline's report callbacks and `reskontra run`'s output: every
 * note the pipeline makes (formats/run-report.md: payment, invoice,
 * quarantined, reconcile, warning) becomes one line here, worded once.
 */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/money.h"
#include "base/recschema.h"
#include "ledger/reconcile.h"
#include "spool/runnotes.h"

struct tally {
	char *what;
	long n;
	int64_t cents;
};

/* Lines and counts, of the pending input or of the run. */
struct part {
	char **line;
	size_t nline;
	struct tally *t;
	size_t nt;
};

struct runnotes {
	struct part pending, run;
};

struct runnotes *
runnotes_new(void)
{
	return xcalloc(1, sizeof(struct runnotes));
}

static void
part_clear(struct part *p)
{
	size_t i;

	for (i = 0; i < p->nline; i++)
		free(p->line[i]);
	free(p->line);
	for (i = 0; i < p->nt; i++)
		free(p->t[i].what);
	free(p->t);
	memset(p, 0, sizeof *p);
}

void
runnotes_free(struct runnotes *rn)
{
	if (rn == NULL)
		return;
	part_clear(&rn->pending);
	part_clear(&rn->run);
	free(rn);
}

static struct tally *
tally_of(struct part *p, const char *what)
{
	size_t i;

	for (i = 0; i < p->nt; i++)
		if (strcmp(p->t[i].what, what) == 0)
			return &p->t[i];
	p->t = xrealloc(p->t, (p->nt + 1) * sizeof *p->t);
	p->t[p->nt].what = xstrdup(what);
	p->t[p->nt].n = 0;
	p->t[p->nt].cents = 0;
	return &p->t[p->nt++];
}

void
runnotes_count(struct runnotes *rn, const char *what, long n,
    int has_cents, int64_t cents)
{
	struct tally *t = tally_of(&rn->pending, what);

	t->n += n;
	if (has_cents)
		t->cents += cents;
}

static void
add_line(struct part *p, struct sbuf *b)
{
	p->line = xrealloc(p->line, (p->nline + 1) * sizeof *p->line);
	p->line[p->nline++] = b->data;
	memset(b, 0, sizeof *b);
}

/* "reskontra: SOURCE: " -- the source made visible (a file name may
 * hold any byte). */
static void
line_head(struct sbuf *b, const char *source)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = xmemstream(&text, &len);

	diag_put_visible(fp, source);
	xmemstream_close(fp, &text, &len, 0);
	sbuf_addf(b, "%s: %s: ", progname, text);
	free(text);
}

/* What happened to a payment an operator must look at. */
static const char *
payment_fate(const char *outcome)
{
	if (strcmp(outcome, "unknown") == 0)
		return "booked to suspense";
	if (strcmp(outcome, "duplicate") == 0)
		return "a repeat of a payment booked before; not booked again";
	if (strcmp(outcome, "over") == 0)
		return "beyond the invoice's open amount; booked to "
		    "overpayments";
	if (strcmp(outcome, "failed-dd") == 0)
		return "a failed direct debit: no money moved, nothing "
		    "applied";
	return outcome;
}

/* payment: outcome reason amount reference archive_id payer source */
static void
line_payment(struct sbuf *b, const char *const *f)
{
	int out = f[2][0] == '-';	/* money out: a fee, a correction */

	line_head(b, f[6]);
	if (out)
		sbuf_addf(b, "money out of %s", f[2] + 1);
	else
		sbuf_addf(b, "%s of %s", strcmp(f[0], "over") == 0 ?
		    "overpayment" : "payment", f[2]);
	if (*f[3])
		sbuf_addf(b, ", reference %s", f[3]);
	if (*f[4])
		sbuf_addf(b, ", archive id %s", f[4]);
	if (*f[5])
		sbuf_addf(b, out ? ", counterparty %s" : ", payer %s", f[5]);
	sbuf_addf(b, ": %s (%s)", payment_fate(f[0]), *f[1] ? f[1] :
	    f[0]);
}

/* invoice: invoice_no code reason source */
static void
line_invoice(struct sbuf *b, const char *const *f)
{
	line_head(b, f[3]);
	sbuf_addf(b, "invoice %s rejected, code %s: %s; see out/rejected/",
	    f[0], f[1], f[2]);
}

/* reconcile: account date what expected found difference source */
static void
line_reconcile(struct sbuf *b, const char *const *f)
{
	line_head(b, f[6]);
	reconcile_message(f, b);
}

/* A payment line's (outcome, reason ...) repeat of its twin from the
 * bank's other file: expected when both files come, nothing to look
 * at. */
static int
twin(const char *const *f)
{
	return strcmp(f[0], "duplicate") == 0 && strncmp(f[1],
	    ALLOC_REASON_TWIN, sizeof ALLOC_REASON_TWIN - 1) == 0;
}

void
runnotes_note(struct runnotes *rn, const char *kind, const char *const *f,
    size_t n)
{
	struct sbuf b = SBUF_INIT;

	if (strcmp(kind, "payment") == 0 && n >= 7) {
		if (twin(f))
			return;	/* in the report and the summary's count */
		line_payment(&b, f);
	} else if (strcmp(kind, "invoice") == 0 && n >= 4)
		line_invoice(&b, f);
	else if (strcmp(kind, "reconcile") == 0 && n >= RECONCILE_NFIELDS)
		line_reconcile(&b, f);
	else if ((strcmp(kind, "quarantined") == 0 ||
	    strcmp(kind, "warning") == 0) && n >= 1)
		/* a diagnostic line already */
		sbuf_adds(&b, f[0]);
	else
		return;
	add_line(&rn->pending, &b);
}

void
runnotes_accept(struct runnotes *rn)
{
	struct part *p = &rn->pending, *r = &rn->run;
	size_t i;

	for (i = 0; i < p->nline; i++) {
		struct sbuf b = SBUF_INIT;

		sbuf_adds(&b, p->line[i]);
		add_line(r, &b);
	}
	for (i = 0; i < p->nt; i++) {
		struct tally *t = tally_of(r, p->t[i].what);

		t->n += p->t[i].n;
		t->cents += p->t[i].cents;
	}
	part_clear(p);
}

void
runnotes_drop(struct runnotes *rn)
{
	part_clear(&rn->pending);
}

size_t
runnotes_nlines(const struct runnotes *rn)
{
	return rn->run.nline;
}

void
runnotes_print(const struct runnotes *rn, FILE *fp)
{
	size_t i;

	/* a line holds text from the files (payer names, messages): a
	 * line break in it must not start a line of its own, which would
	 * read as another message */
	for (i = 0; i < rn->run.nline; i++) {
		struct sbuf b = SBUF_INIT;

		diag_add_visible(&b, rn->run.line[i]);
		sbuf_addc(&b, '\n');
		fwrite(b.data, 1, b.len, fp);
		sbuf_free(&b);
	}
}

/* The run's tally of what; NULL if it has none. */
static const struct tally *
tally_find(const struct runnotes *rn, const char *what)
{
	size_t i;

	for (i = 0; i < rn->run.nt; i++)
		if (strcmp(rn->run.t[i].what, what) == 0)
			return &rn->run.t[i];
	return NULL;
}

static long
tally_n(const struct runnotes *rn, const char *what)
{
	const struct tally *t = tally_find(rn, what);

	return t ? t->n : 0;
}

static int64_t
tally_cents(const struct runnotes *rn, const char *what)
{
	const struct tally *t = tally_find(rn, what);

	return t ? t->cents : 0;
}

void
runnotes_summary(const struct runnotes *rn, struct sbuf *b)
{
	char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ];
	long inv = tally_n(rn, "inv"), pay = tally_n(rn, "pay");
	long aside = tally_n(rn, "invoices-set-aside");
	long corr = tally_n(rn, "pay-correction");
	long ucorr = tally_n(rn, "alloc-unknown-correction");
	long quarantined = tally_n(rn, "quarantined");
	long uout = tally_n(rn, "alloc-unknown-out");
	long dout = tally_n(rn, "alloc-duplicate-out");

	if (inv > 0 || aside > 0)
		sbuf_addf(b, "; invoices: %ld read, %ld rejected", inv,
		    tally_n(rn, "invoices-rejected"));
	/* messages the reader could not take: in neither figure above */
	if (aside > 0)
		sbuf_addf(b, ", %ld set aside by the reader", aside);
	/* "to suspense" are payments; a correction with nothing to undo
	 * (a negative unknown) is said with the corrections */
	if (pay > 0)
		sbuf_addf(b, "; payments: %ld (%s), %ld to suspense (%s)",
		    pay, money_format(tally_cents(rn, "pay"), m1),
		    tally_n(rn, "alloc-unknown") - ucorr - uout,
		    money_format(tally_cents(rn, "alloc-unknown") -
		    tally_cents(rn, "alloc-unknown-correction") -
		    tally_cents(rn, "alloc-unknown-out"), m2));
	/* repeats are in the payments above, not booked: said, so that
	 * the figure is not taken for new money */
	if (pay > 0 && tally_n(rn, "alloc-duplicate") > 0)
		sbuf_addf(b, ", %ld of them repeats (%s) not booked again",
		    tally_n(rn, "alloc-duplicate"),
		    money_format(tally_cents(rn, "alloc-duplicate"), m1));
	if (corr > 0) {
		sbuf_addf(b, "; corrections: %ld (%s)", corr,
		    money_format(tally_cents(rn, "pay-correction"), m1));
		if (ucorr > 0)
			sbuf_addf(b, ", %ld with nothing to undo (%s to "
			    "suspense)", ucorr, money_format(
			    tally_cents(rn, "alloc-unknown-correction"), m2));
	}
	/* money out read again (a correction, a statement's row): not
	 * booked again, said apart from the payments' repeats */
	if (dout > 0)
		sbuf_addf(b, corr > 0 ? ", %ld of them repeats (%s) not "
		    "booked again" : "; %ld repeats of money out (%s) not "
		    "booked again", dout, money_format(tally_cents(rn,
		    "alloc-duplicate-out"), m1));
	/* money out of a statement that went to suspense (each said on
	 * standard error): not payments, not corrections */
	if (uout > 0)
		sbuf_addf(b, "; money out to suspense: %ld (%s)", uout,
		    money_format(tally_cents(rn, "alloc-unknown-out"), m1));
	/* records the ledger would not take (each said on standard error
	 * and in the report): not in the figures above */
	if (quarantined > 0)
		sbuf_addf(b, "; %ld record%s set aside (quarantined)",
		    quarantined, quarantined == 1 ? "" : "s");
}
