/*
 * match: outcomes of invoices and payments.  See match.h; the record
 * columns are in formats/records.md.
 *
 * Services plug in at apply_payment(): the plain rules below are what
 * every service falls back to.  For `amili` and `kassavirta` (a struct
 * assign is set) a payment is first asked who paid and for what: the
 * service's interest settlement (Korkotilitys) is income of no invoice,
 * the service's settlement (payer [service] payer_name) is applied as
 * `settlement`, and a customer's own payment of a routed invoice (found
 * by its original or its service reference) as `bypass`.  A `txn`
 * record is only read for the interest settlement, which a statement
 * carries without a reference; every other txn is copied as before.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ident.h"
#include "base/money.h"
#include "base/recschema.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/fbatch.h"
#include "ledger/financing.h"
#include "ledger/match.h"
#include "ledger/notice.h"
#include "ledger/opflow.h"
#include "ledger/oprows.h"
#include "ledger/suspense.h"

#define CANDIDATES 3		/* enough to tell none, one, or several */
#define MAX_ALLOCS 8		/* allocations of one payment we reverse */
#define MAX_LATER 100000	/* corrections of one input kept for its
				 * end; a few hundred bytes each */
#define ARRIVAL_DAYS 5		/* op-laskulaina: banking days a loan
				 * withdrawal may take to arrive (seeds/003:
				 * 1-3) */

struct match {
	struct ledger *l;
	const struct config *c;
	int paired;		/* the last record was a pay record paired
				 * with another of the ledger (twin_cut 3) */
	struct recout *out;
	struct assign *a;	/* amili, kassavirta: routed invoices */
	struct assign *decisions;	/* a routing service's decisions */
	const char *virtual_iban;	/* op-laskulaina: the virtual account */
	day_t today;		/* the day later moves are posted on */
	day_t company_day;	/* op-laskulaina: the latest day of the
				 * company's statements in the input */
	struct later *later;	/* corrections tried again at the end */
	size_t nlater, later_cap;
	void (*warn)(void *, const struct diag *);	/* match_set_warn() */
	void *warn_arg;
};

/* A pay record, parsed. */
struct pay {
	const char *account_iban, *archive_id, *reference, *payer_name;
	const char *currency, *source;
	const char *message;	/* txn only: the statement's message */
	const char *text;	/* txn only: the booking text */
	char key[REF_BUFSZ];
	int ref_ok;
	day_t booking_date, payment_date;
	int64_t amount;
	int correction;
	int debit;		/* txn only: money out of the account */
};

/* A correction with no payment to reverse when it was read: a bank may
 * list a correction before the payment it corrects (in one KTL batch,
 * in one camt notification), so it is tried again at the end of the
 * input, in its transaction (match_finish()).  The strings are copies;
 * one buffer holds them.  At most MAX_LATER of them, so memory stays
 * bounded: a correction beyond that is decided when read. */
struct later {
	struct pay p;
	int64_t cid;
	char *strings;
};

struct match *
match_new(struct ledger *l, const struct config *c, struct recout *out)
{
	struct match *m = xcalloc(1, sizeof *m);

	m->l = l;
	m->c = c;
	m->out = out;
	m->virtual_iban = config_virtual_iban(c);
	m->today = date_today();
	m->company_day = DAY_NONE;
	return m;
}

void
match_set_assign(struct match *m, struct assign *a)
{
	m->a = a;
}

void
match_set_today(struct match *m, day_t today)
{
	m->today = today;
}

void
match_set_decisions(struct match *m, struct assign *a)
{
	m->decisions = a;
}

void
match_set_warn(struct match *m, void (*warn)(void *, const struct diag *),
    void *arg)
{
	m->warn = warn;
	m->warn_arg = arg;
}

/* Say warning wd to match_set_warn()'s function (standard error
 * without one). */
static void
say(const struct match *m, const struct diag *wd)
{
	if (m->warn != NULL)
		m->warn(m->warn_arg, wd);
	else
		diag_warn(stderr, wd);
}

/* A warning at source (a record's FILE:LINE): somebody must look at
 * it (a `warning` line of the run's report, not a record set aside). */
static void
warn_at(struct match *m, const char *source, const char *fmt, va_list ap)
{
	struct diag dd;
	char text[600];

	vsnprintf(text, sizeof(text), fmt, ap);
	diag_set(&dd, source, 0, 0, "%s", text);
	say(m, &dd);
}

/* A warning about the record r, stored all the same. */
static void
warn_record(struct match *m, const struct recin *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn_record(struct match *m, const struct recin *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	warn_at(m, rec_source_field(r), fmt, ap);
	va_end(ap);
}

/* A warning about one payment, at its source. */
static void
warn_payment(struct match *m, const struct pay *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	warn_at(m, p->source, fmt, ap);
	va_end(ap);
}

void
match_free(struct match *m)
{
	size_t i;

	for (i = 0; i < m->nlater; i++)
		free(m->later[i].strings);
	free(m->later);
	free(m);
}

/* s copied to *b (advanced), or NULL kept. */
static const char *
keep(char **b, const char *s)
{
	size_t n;
	char *t = *b;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(t, s, n);
	*b += n;
	return t;
}

static size_t
len0(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

/* Keep correction p (its payment row cid) for the end of the input. */
static void
defer_correction(struct match *m, const struct pay *p, int64_t cid)
{
	struct later *l;
	char *b;

	if (m->nlater == m->later_cap) {
		m->later_cap = m->later_cap ? 2 * m->later_cap : 8;
		m->later = xrealloc(m->later, m->later_cap * sizeof *m->later);
	}
	l = &m->later[m->nlater++];
	l->p = *p;
	l->cid = cid;
	b = l->strings = xmalloc(len0(p->account_iban) + len0(p->archive_id) +
	    len0(p->reference) + len0(p->payer_name) + len0(p->currency) +
	    len0(p->source) + len0(p->message) + len0(p->text) + 1);
	l->p.account_iban = keep(&b, p->account_iban);
	l->p.archive_id = keep(&b, p->archive_id);
	l->p.reference = keep(&b, p->reference);
	l->p.payer_name = keep(&b, p->payer_name);
	l->p.currency = keep(&b, p->currency);
	l->p.source = keep(&b, p->source);
	l->p.message = keep(&b, p->message);
	l->p.text = keep(&b, p->text);
}

void
match_write_alloc(struct recout *w, const struct ledger_alloc *a)
{
	rec_begin(w, "alloc");
	rec_str(w, a->archive_id);
	rec_str(w, a->invoice_no);
	rec_str(w, a->reference);
	rec_cents(w, a->amount);
	rec_str(w, a->outcome);
	if (a->has_open_after)
		rec_cents(w, a->open_after);
	else
		rec_str(w, "");
	rec_str(w, a->account_iban);
	rec_date(w, a->booking_date);
	rec_str(w, a->payer_name);
	rec_str(w, a->buyer_id);
	rec_str(w, a->reason);
	rec_str(w, a->reverses);
	rec_str(w, a->credit_note_no);
	if (a->posting_date != DAY_NONE && a->posting_date != 0)
		rec_date(w, a->posting_date);
	else
		rec_str(w, "");
	rec_str(w, a->suggestion);
	rec_str(w, a->source);
	rec_end(w);
}

/* Column i of a record whose last field is the source; "" if absent. */
static const char *
col(const struct recin *r, size_t i)
{
	return i + 1 < r->nfields ? r->fields[i] : "";
}

static int
quarantine(const struct recin *r, struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
quarantine(const struct recin *r, struct diag *d, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rec_diag(r, d, msg);
	return 1;
}

static int
parse_date(const char *s, day_t *out, int required)
{
	size_t n = strlen(s);

	if (n == 0) {
		*out = DAY_NONE;
		return required ? -1 : 0;
	}
	return n == 10 ? date_parse_iso(s, n, out) : -1;
}

static int
parse_amount(const char *s, int64_t *out)
{
	size_t n = strlen(s), dot;

	/* the record form: optional minus, digits, '.', two digits */
	if (n < 4 || s[n - 3] != '.')
		return -1;
	dot = n - 3;
	if (!all_digits(s + (s[0] == '-'), dot - (s[0] == '-')) ||
	    !all_digits(s + dot + 1, 2))
		return -1;
	return money_parse(s, n, out);
}

static void
write_and_store_prep(struct ledger_alloc *a, const struct pay *p)
{
	a->archive_id = p->archive_id;
	a->reference = p->reference;
	a->account_iban = p->account_iban;
	a->booking_date = p->booking_date;
	a->payer_name = p->payer_name;
	a->source = p->source;
}

/* Store a and write it. */
static int
emit(struct match *m, struct ledger_alloc *a, struct diag *d)
{
	if (ledger_add_alloc(m->l, a, d) < 0)
		return -1;
	match_write_alloc(m->out, a);
	return 0;
}

/* An allocation of payment p (with id pid) to inv (or to nothing). */
static int
emit_pay(struct match *m, const struct pay *p, int64_t pid,
    const struct ledger_invoice *inv, int64_t amount,
    enum alloc_outcome outcome, const char *reason, struct diag *d)
{
	struct ledger_alloc a;
	char suggestion[LEDGER_NO_BUFSZ];

	memset(&a, 0, sizeof a);
	write_and_store_prep(&a, p);
	a.payment_id = pid;
	a.amount = amount;
	a.outcome = outcome_name(outcome);
	a.reason = reason;
	/* money to suspense: the open invoice it most likely meant, if
	 * one stands out (a foreign currency's amount says nothing) */
	if (outcome == OUTCOME_UNKNOWN && amount > 0 && inv == NULL &&
	    strcmp(reason, "currency") != 0) {
		int got = suspense_suggest(m->l, p->reference, p->payer_name,
		    amount, suggestion, sizeof suggestion, d);

		if (got < 0)
			return -1;
		if (got == 1)
			a.suggestion = suggestion;
	}
	if (inv) {
		a.invoice_id = inv->id;
		a.invoice_no = inv->invoice_no;
		a.buyer_id = inv->buyer_id;
		a.has_open_after = 1;
		a.open_after = inv->open_amount;
	}
	return emit(m, &a, d);
}

static void write_fin(struct match *, enum fin_event, const struct pay *,
    int64_t, const char *, const char *);

/* s without blanks at either end: its start, and its length in *len. */
static const char *
trimmed(const char *s, size_t *len)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

/* The service paid: the payer is [service] payer_name, compared without
 * regard to case (ASCII letters) or blanks at either end, or a longer
 * name that begins with it as a word ("Visma Amili Oy" for payer_name
 * VISMA AMILI, as a camt.054 names the payer whole).  A KTL keeps
 * KTL_PAYER_CHARS characters of a payer's name: a longer payer_name
 * matches there by its first KTL_PAYER_CHARS ("Visma Amili Oy" as
 * "VISMA AMILI"). */
#define KTL_PAYER_CHARS 12
static int
paid_by_service(const struct match *m, const struct pay *p)
{
	const char *a, *b;
	size_t na, nb, cut;

	if (m->c->payer_name == NULL)
		return 0;
	a = trimmed(p->payer_name, &na);
	b = trimmed(m->c->payer_name, &nb);
	if (nb == 0)
		return 0;
	if (na >= nb && strncasecmp(a, b, nb) == 0 && (na == nb ||
	    a[nb] == ' ' || a[nb] == '\t' || a[nb] == ','))
		return 1;
	/* b cut after KTL_PAYER_CHARS characters, blanks at its end off */
	if ((cut = utf8_prefix(b, nb, KTL_PAYER_CHARS)) == nb)
		return 0;
	while (cut > 0 && (b[cut - 1] == ' ' || b[cut - 1] == '\t'))
		cut--;
	return cut > 0 && na == cut && strncasecmp(a, b, na) == 0;
}

/* The service's daily interest settlement: its message (or, in a
 * reference payment, its payer) names Korkotilitys, e.g. "Korkotilitys
 * PVM". */
static int
is_interest(const struct pay *p)
{
	return strcasestr(p->payer_name, "korkotilitys") != NULL ||
	    (p->message != NULL && strcasestr(p->message,
	    "korkotilitys") != NULL);
}

/* amili, kassavirta: the invoice whose SERVICE reference the payment
 * carries joins the n candidates found by its own reference.  Returns
 * the new count, -2 when the two references name different invoices
 * (never guessed), -1 on a ledger error. */
static int
service_candidates(struct match *m, const struct pay *p,
    struct ledger_invoice *cand, int n, struct diag *d)
{
	struct assignment x;
	struct ledger_invoice inv;
	int rc, i;

	rc = assign_by_service_reference(m->a, p->key, &x, d);
	if (rc <= 0)
		return rc < 0 ? -1 : n;
	/* the invoice of the assignment's number and date: one of its
	 * number and another date is another assignment's */
	rc = ledger_find_dated_invoice(m->l, x.invoice_no, 0,
	    x.invoice_date, &inv, d);
	if (rc <= 0)
		return rc < 0 ? -1 : n;
	for (i = 0; i < n; i++)
		if (cand[i].id == inv.id)
			return n;
	if (n > 0)
		return -2;
	cand[0] = inv;
	return 1;
}

/* The amount of p as the statement has it: negative for money out. */
static int64_t
pay_signed(const struct pay *p)
{
	return p->debit ? -p->amount : p->amount;
}

/* How a warning names payment p: its amount, and its archive id when it
 * has one ("1088.36 (archive id K1)"), into buf. */
static const char *
pay_named(const struct pay *p, char *buf, size_t size)
{
	char amount[MONEY_BUFSZ];

	money_format(p->amount, amount);
	if (*p->archive_id != '\0')
		snprintf(buf, size, "%s (archive id %s)", amount,
		    p->archive_id);
	else
		snprintf(buf, size, "%s", amount);
	return buf;
}

/* Factoring: the ledger keeps a factoring invoice under the factoring
 * reference printed on it (use_factoring_reference()); a payment of the
 * invoice's own reference, found by none, finds it by its assignment
 * (any date's).  The invoices into cand, at most max; the count, -1
 * with d.  Said: the financier may not know the reference. */
static int
factoring_own_reference(struct match *m, const struct pay *p,
    struct ledger_invoice *cand, int max, struct diag *d)
{
	struct assignment x[CANDIDATES];
	char named[200];
	int n, i, k = 0, rc;

	if ((n = assign_by_own_reference(m->decisions, p->key, x,
	    max < CANDIDATES ? max : CANDIDATES, d)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = ledger_find_dated_invoice(m->l, x[i].invoice_no, 0,
		    x[i].invoice_date, &cand[k], d)) < 0)
			return -1;
		k += rc;
	}
	if (k == 1)
		warn_payment(m, p, "payment %s carries reference %s, the own "
		    "reference of factoring invoice %s, not its factoring "
		    "reference %s: taken as a payment of it", pay_named(p,
		    named, sizeof(named)), p->reference, cand[0].invoice_no,
		    cand[0].reference);
	return k;
}

/* The one invoice payment p's reference names: 1 with *inv filled, 0
 * when there is none (the unknown allocation is written), -1 on a ledger
 * error. */
static int
payment_target(struct match *m, const struct pay *p, int64_t pid,
    struct ledger_invoice *inv, struct diag *d)
{
	struct ledger_invoice cand[CANDIDATES];
	int n, nopen = 0, i;

	if (!money_in_eur(p->currency))
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "currency", d);
	if (m->a != NULL && is_interest(p))
		return emit_pay(m, p, pid, NULL, p->amount, OUTCOME_INTEREST,
		    p->message, d);
	if (p->reference[0] == '\0')
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "no-reference", d);
	if (!p->ref_ok)
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "bad-reference", d);
	n = ledger_find_by_key(m->l, p->key, cand, CANDIDATES, d);
	if (n < 0)
		return -1;
	if (m->a != NULL && (n = service_candidates(m, p, cand, n, d)) < 0) {
		if (n == -1)
			return -1;
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "ambiguous", d);
	}
	if (n == 0 && m->c->service == SERVICE_FACTORING &&
	    m->decisions != NULL && (n = factoring_own_reference(m, p, cand,
	    CANDIDATES, d)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cand[i].open_amount > 0)
			nopen++;
	if (n == 0)
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "no-invoice", d);
	/* Several invoices carry the reference and it is not clear which
	 * one the customer meant: suspense, never a guess. */
	if (nopen > 1 || (nopen == 0 && n > 1))
		return emit_pay(m, p, pid, NULL, pay_signed(p), OUTCOME_UNKNOWN,
		    "ambiguous", d);
	*inv = cand[0];		/* the open one comes first */
	return 1;
}

/* Apply payment p to inv: what the open amount takes as full or part,
 * an excess as over. */
static int
settle_payment(struct match *m, const struct pay *p, int64_t pid,
    struct ledger_invoice *inv, enum alloc_outcome full,
    enum alloc_outcome part, struct diag *d)
{
	int64_t open, applied, excess;

	open = inv->open_amount > 0 ? inv->open_amount : 0;
	applied = p->amount < open ? p->amount : open;
	excess = p->amount - applied;
	if (applied > 0) {
		inv->paid += applied;
		ledger_invoice_settle(inv);
		if (emit_pay(m, p, pid, inv, applied, applied == open ?
		    full : part, NULL, d) < 0)
			return -1;
	}
	if (excess > 0) {
		inv->over += excess;
		ledger_invoice_settle(inv);
		if (emit_pay(m, p, pid, inv, excess, OUTCOME_OVER, NULL, d) < 0)
			return -1;
	}
	return ledger_update_paid(m->l, inv, d);
}

/* op-laskulaina: payment p of routed invoice inv on the company's
 * account is the remainder of a customer's payment up to what OP
 * forwarded for the reference and the company's account has not taken
 * yet (opflow_left()); the rest never passed OP: an off-payment
 * (bypass), told to OP.  When OP has forwarded nothing for the reference
 * yet, its statement may still be on its way (seeds/003: it comes after
 * the transaction days), so the notice waits (notice_defer_bypass()) and
 * a later TILITYS row may make the payment a remainder after all
 * (op_reclassify()). */
static int
op_apply(struct match *m, const struct pay *p, int64_t pid,
    struct ledger_invoice *inv, struct diag *d)
{
	struct pay part = *p;
	int64_t forwarded, left;

	if (opflow_left(m->l, p->key, p->booking_date, &forwarded, &left,
	    d) < 0)
		return -1;
	part.amount = p->amount < left ? p->amount : left;
	if (part.amount > 0 && (settle_payment(m, &part, pid, inv,
	    OUTCOME_REMAINDER, OUTCOME_REMAINDER, d) < 0 ||
	    opflow_add(m->l, pid, p->key, OPFLOW_REMAINDER, part.amount,
	    d) < 0))
		return -1;
	part.amount = p->amount - part.amount;
	if (part.amount == 0)
		return 0;
	if (settle_payment(m, &part, pid, inv, OUTCOME_BYPASS, OUTCOME_BYPASS,
	    d) < 0)
		return -1;
	if (forwarded > 0)
		return 0;
	return notice_defer_bypass(m->l, pid,
	    date_add_banking_days(p->booking_date, NOTICE_OFFPAYMENT_WAIT), d);
}

/* op-laskulaina: whether inv is routed to OP: 1, 0, or -1 on a ledger
 * error. */
static int
op_routed(struct match *m, const struct ledger_invoice *inv, struct diag *d)
{
	struct assignment x;

	if (m->decisions == NULL)
		return 0;
	return assign_routed(m->decisions, inv->invoice_no, inv->invoice_date,
	    &x, d);
}

/* kassavirta: a bypass payment of a financed invoice is also a credit
 * adjustment (seeds/000): the financed share of what the customer paid
 * past the service, at most what of the share is still open, which Noja
 * takes back from its next payout (decide_payout()).  After p was
 * applied to inv, whose open amount was open_before. */
static int
credit_adjustment(struct match *m, const struct pay *p, int64_t pid,
    const struct ledger_invoice *inv, int64_t open_before, struct diag *d)
{
	int64_t open = open_before > 0 ? open_before : 0;
	int64_t applied = p->amount < open ? p->amount : open, share, adj;

	if (financing_open_share(m->l, inv->id, &share, d) < 0)
		return -1;
	adj = financing_share(applied, m->c->financing_rate_bp);
	if (adj > share)
		adj = share;
	if (adj <= 0)
		return 0;
	if (financing_add(m->l, inv->id, FINANCING_ADJUSTMENT, adj, pid,
	    d) < 0)
		return -1;
	write_fin(m, FIN_CREDIT_ADJUSTMENT, p, adj, inv->invoice_no,
	    p->reference);
	return 0;
}

/* Factoring: where payment p of inv arrived, against who holds inv.  A
 * factored invoice is the financier's: paid to the company's own account
 * it is a bypass payment, applied, and the operator is told to forward
 * the money (1); paid to another financier's factoring account, or an
 * invoice the company kept paid to a factoring account, it is applied
 * as it came and the operator is told who owes whom (0).  -1 with d. */
static int
factoring_arrival(struct match *m, const struct pay *p,
    const struct ledger_invoice *inv, struct diag *d)
{
	const struct conf_factoring *held = NULL, *came;
	struct assignment x;
	struct fbatch_ref ref;
	char named[200];
	int rc;

	if (inv->is_credit)
		return 0;
	came = config_factoring_of_iban(m->c, p->account_iban);
	if ((rc = assign_routed(m->decisions, inv->invoice_no,
	    inv->invoice_date, &x, d)) < 0)
		return -1;
	if (rc == 1 && (rc = fbatch_of_assignment(m->l, x.id, &ref, d)) < 0)
		return -1;
	if (rc == 1)
		held = config_factoring(m->c, ref.account);
	if (held == came)
		return 0;
	if (held == NULL) {
		warn_payment(m, p, "payment %s of invoice %s came to factoring "
		    "account %s (%s), but the invoice is not factored: applied; "
		    "the financier owes the money to the company",
		    pay_named(p, named, sizeof(named)), inv->invoice_no,
		    came->name, came->iban);
		return 0;
	}
	if (came != NULL) {
		warn_payment(m, p, "payment %s of factoring invoice %s came to "
		    "factoring account %s (%s), but the invoice was transferred "
		    "to %s (%s): applied; settle it between the financiers",
		    pay_named(p, named, sizeof(named)), inv->invoice_no,
		    came->name, came->iban, held->name, held->iban);
		return 0;
	}
	warn_payment(m, p, "payment %s of factoring invoice %s came to the "
	    "company's own account %s: applied as a bypass payment; the "
	    "invoice was transferred to %s, forward the money to its "
	    "account %s", pay_named(p, named, sizeof(named)),
	    inv->invoice_no, p->account_iban,
	    held->party != NULL ? held->party : held->name, held->iban);
	return 1;
}

/* The plain rules: apply a payment to the one invoice its reference
 * names.  With a service (m->a set) the money applied is a settlement
 * when the service paid it, a bypass payment when a customer paid a
 * routed invoice to the company's own account; with op-laskulaina a
 * remainder or an off-payment (op_apply()). */
static int
apply_payment(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	struct ledger_invoice inv;
	struct assignment x;
	enum alloc_outcome full = OUTCOME_PAID, part = OUTCOME_PARTIAL;
	int64_t open;
	int rc;

	if ((rc = payment_target(m, p, pid, &inv, d)) <= 0)
		return rc;
	if (m->a != NULL) {
		if (paid_by_service(m, p))
			full = part = OUTCOME_SETTLEMENT;
		else if ((rc = assign_routed(m->a, inv.invoice_no,
		    inv.invoice_date, &x, d)) < 0)
			return -1;
		else if (rc == 1)
			full = part = OUTCOME_BYPASS;
	} else if (m->virtual_iban != NULL) {
		if ((rc = op_routed(m, &inv, d)) != 0)
			return rc < 0 ? -1 : op_apply(m, p, pid, &inv, d);
	} else if (m->c->service == SERVICE_FACTORING &&
	    m->decisions != NULL) {
		if ((rc = factoring_arrival(m, p, &inv, d)) < 0)
			return -1;
		if (rc == 1)
			full = part = OUTCOME_BYPASS;
	}
	open = inv.open_amount;
	if (settle_payment(m, p, pid, &inv, full, part, d) < 0)
		return -1;
	if (full == OUTCOME_BYPASS && m->c->service == SERVICE_KASSAVIRTA)
		return credit_adjustment(m, p, pid, &inv, open, d);
	return 0;
}

/* kassavirta: the bank's correction (cid) of a bypass payment (pid)
 * undoes the credit adjustment the payment made. */
static int
undo_adjustment(struct match *m, const struct pay *p, int64_t pid,
    int64_t cid, struct diag *d)
{
	struct ledger_invoice inv;
	int64_t amount, invoice_id;

	if (financing_adjusted_by(m->l, pid, &amount, &invoice_id, d) < 0)
		return -1;
	if (amount <= 0)
		return 0;
	if (ledger_get_invoice(m->l, invoice_id, &inv, d) != 1 ||
	    financing_add(m->l, invoice_id, FINANCING_REVERSAL, amount, cid,
	    d) < 0)
		return -1;
	write_fin(m, FIN_ADJUSTMENT_REVERSED, p, amount, inv.invoice_no,
	    p->reference);
	return 0;
}

/* What a payment's allocations come to on one invoice (or suspense) in
 * one outcome: a reversal counts against the outcome it undid. */
struct net_alloc {
	const char *outcome;
	int64_t invoice_id;
	int64_t amount;
	int64_t first_id;	/* the first allocation of it */
};

/* The payment's allocations orig[0..n) netted into v (n at most);
 * returns how many. */
static int
net_allocs(const struct ledger_alloc *orig, int n, struct net_alloc *v)
{
	int i, j, nv = 0;

	for (i = 0; i < n; i++) {
		const char *o = orig[i].outcome;

		if (outcome_parse(o) == OUTCOME_REVERSED &&
		    orig[i].reverses != NULL && *orig[i].reverses)
			o = orig[i].reverses;
		for (j = 0; j < nv; j++)
			if (v[j].invoice_id == orig[i].invoice_id &&
			    strcmp(v[j].outcome, o) == 0)
				break;
		if (j == nv) {
			v[nv].outcome = o;
			v[nv].invoice_id = orig[i].invoice_id;
			v[nv].amount = 0;
			v[nv].first_id = orig[i].id;
			nv++;
		}
		v[j].amount += orig[i].amount;
	}
	return nv;
}

/*
 * A correction reopened inv, on which other payments of the customer
 * left an overpayment: that money is the customer's payment of this
 * invoice, and now there is something open to pay.  Each such payment's
 * overpayment goes to the invoice, oldest payment first, as far as it
 * is open: a reversal of its over and a paid (or partial) allocation,
 * posted on the correction's booking date (a voucher from overpayments
 * to receivables, no bank line).  Only for invoices of the company's
 * own (a service's outcomes are the service's to settle).
 */
static int
reapply_over(struct match *m, struct ledger_invoice *inv, day_t day,
    struct diag *d)
{
	struct ledger_over v[MAX_ALLOCS];
	int n, i, rc;

	if (m->c->service != SERVICE_NONE || inv->over <= 0 ||
	    inv->open_amount <= 0)
		return 0;
	if ((n = ledger_invoice_overs(m->l, inv->id, v, MAX_ALLOCS, d)) < 0)
		return -1;
	for (i = 0; i < n && inv->open_amount > 0 && inv->over > 0; i++) {
		struct suspense_payment q;
		int64_t t = v[i].amount, first = 0, open = inv->open_amount;

		if (t > open)
			t = open;
		if (t > inv->over)
			t = inv->over;
		if ((rc = suspense_load(m->l, v[i].payment_id, &q, d)) != 1)
			return rc < 0 ? -1 : 0;
		inv->over -= t;
		inv->paid += t;
		ledger_invoice_settle(inv);
		if (suspense_post_later(m->l, m->out, &q, inv,
		    OUTCOME_REVERSED, "over", v[i].over_id, -t, "applied to "
		    "the invoice a correction reopened", day, &first, d) < 0 ||
		    suspense_post_later(m->l, m->out, &q, inv, t == open ?
		    OUTCOME_PAID : OUTCOME_PARTIAL, NULL, 0, t, "overpayment "
		    "applied to the invoice a correction reopened", day,
		    &first, d) < 0 ||
		    ledger_update_paid(m->l, inv, d) < 0)
			return -1;
	}
	return 0;
}

/*
 * A correction: undo what the payment it cancels comes to.  A payment
 * moved out of suspense has its unknown allocation and the move's
 * reversal of it; those net to nothing and are not undone again (each
 * undone alone would post the bank line twice), only where the money
 * is now: one reversal per invoice and outcome.
 */
static int
reverse_payment(struct match *m, const struct pay *p, int64_t cid,
    int last_try, struct diag *d)
{
	struct ledger_alloc orig[MAX_ALLOCS], a;
	struct net_alloc net[MAX_ALLOCS];
	char outcomes[MAX_ALLOCS][16], reverses[MAX_ALLOCS][16];
	struct ledger_invoice inv;
	int64_t pid;
	int n, i, rc;

	rc = ledger_find_reversible(m->l, p->account_iban, p->key, p->amount,
	    &pid, d);
	if (rc < 0)
		return -1;
	if (rc == 0 && !last_try && m->nlater < MAX_LATER) {
		defer_correction(m, p, cid);
		return 0;
	}
	if (rc == 0)
		return emit_pay(m, p, cid, NULL, -p->amount, OUTCOME_UNKNOWN,
		    "nothing-to-reverse", d);
	if (ledger_mark_reversed(m->l, pid, cid, d) < 0)
		return -1;
	n = ledger_payment_allocs(m->l, pid, orig, outcomes, reverses,
	    MAX_ALLOCS, d);
	if (n < 0)
		return -1;
	n = net_allocs(orig, n, net);
	for (i = 0; i < n; i++) {
		if (net[i].amount == 0)
			continue;
		memset(&a, 0, sizeof a);
		write_and_store_prep(&a, p);
		a.payment_id = cid;
		a.reverses_id = net[i].first_id;
		a.amount = -net[i].amount;
		a.outcome = outcome_name(OUTCOME_REVERSED);
		a.reverses = net[i].outcome;
		if (net[i].invoice_id) {
			if (ledger_get_invoice(m->l, net[i].invoice_id, &inv,
			    d) != 1)
				return -1;
			if (outcome_parse(net[i].outcome) == OUTCOME_OVER)
				inv.over -= net[i].amount;
			else
				inv.paid -= net[i].amount;
			if (ledger_update_paid(m->l, &inv, d) < 0)
				return -1;
			a.invoice_id = inv.id;
			a.invoice_no = inv.invoice_no;
			a.buyer_id = inv.buyer_id;
			a.has_open_after = 1;
			a.open_after = inv.open_amount;
		}
		if (emit(m, &a, d) < 0)
			return -1;
	}
	/* each invoice reopened, once all of the payment is undone */
	for (i = 0; i < n; i++) {
		int j;

		for (j = 0; j < i; j++)
			if (net[j].invoice_id == net[i].invoice_id)
				break;
		if (j < i || net[i].invoice_id == 0 || net[i].amount == 0)
			continue;
		if (ledger_get_invoice(m->l, net[i].invoice_id, &inv, d) != 1 ||
		    reapply_over(m, &inv, p->booking_date, d) < 0)
			return -1;
	}
	if (m->c->service == SERVICE_KASSAVIRTA)
		return undo_adjustment(m, p, pid, cid, d);
	return 0;
}

/* The account of p (set) must be given, and columns booking (required)
 * and payment of r dates: 0, or quarantine's 1 with d. */
static int
parse_account_dates(const struct recin *r, struct pay *p, size_t booking,
    size_t payment, struct diag *d)
{
	if (*p->account_iban == '\0')
		return quarantine(r, d, "account_iban is empty");
	if (parse_date(col(r, booking), &p->booking_date, 1) < 0)
		return quarantine(r, d, "booking_date '%s' is not a date",
		    col(r, booking));
	if (parse_date(col(r, payment), &p->payment_date, 0) < 0)
		return quarantine(r, d, "payment_date '%s' is not a date",
		    col(r, payment));
	return 0;
}

static int virtual_notified(struct match *, const struct pay *, int64_t,
    const char *, struct diag *);
static int record_payment(struct match *, const struct recin *, struct pay *,
    int (*)(struct match *, const struct pay *, int64_t, struct diag *),
    struct diag *);

/* op-laskulaina: a reference payment of the virtual account (KTL) is
 * kept for the statement's summary entry to claim (decide_virtual()). */
static int
record_virtual_pay(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	return oprows_add(m->l, pid, OPROW_KTL_PAYMENT, p->key,
	    p->booking_date, p->amount, d);
}

static int names_noja(const char *s);

static int
do_pay(struct match *m, const struct recin *r, struct diag *d)
{
	struct pay p;
	const char *s;
	int rc;

	if (r->nfields <= COL_PAY_CHANNEL)
		return quarantine(r, d, "too few columns (%zu) for a pay "
		    "record", r->nfields);
	memset(&p, 0, sizeof p);
	p.account_iban = col(r, COL_PAY_ACCOUNT_IBAN);
	p.archive_id = col(r, COL_PAY_ARCHIVE_ID);
	p.reference = col(r, COL_PAY_REFERENCE);
	p.payer_name = col(r, COL_PAY_PAYER_NAME);
	p.currency = col(r, COL_PAY_CURRENCY);
	p.source = rec_source_field(r);
	if ((rc = parse_account_dates(r, &p, COL_PAY_BOOKING_DATE,
	    COL_PAY_PAYMENT_DATE, d)) != 0)
		return rc;
	if (parse_amount(col(r, COL_PAY_AMOUNT), &p.amount) < 0 ||
	    p.amount <= 0)
		return quarantine(r, d, "amount '%s' is not a positive "
		    "amount", col(r, COL_PAY_AMOUNT));
	s = col(r, COL_PAY_CORRECTION);
	if (strcmp(s, "1") == 0)
		p.correction = 1;
	else if (*s && strcmp(s, "0") != 0)
		return quarantine(r, d, "correction '%s' is not 0 or 1", s);
	/* The ledger and the vouchers are in euros: an amount in another
	 * currency would be booked as that many euros.  It is left for
	 * the bookkeeper, who knows the rate the bank used. */
	if (!money_in_eur(p.currency))
		return quarantine(r, d, "%s of %s %s, archive id %s: not in "
		    "euros (the ledger and the vouchers are in euros); not "
		    "booked: book it by hand at the bank's rate", p.correction ?
		    "correction" : "payment", col(r, COL_PAY_AMOUNT),
		    p.currency, p.archive_id);
	/* A failed direct debit (a feedback code other than blank or 0,
	 * formats/ktl.md) moved no money: nothing to apply.  0 is a direct
	 * debit that went through: a payment like any other. */
	s = col(r, COL_PAY_FEEDBACK);
	if (pay_failed_dd(r)) {
		char note[80];

		snprintf(note, sizeof note, "failed direct debit (feedback "
		    "%.8s): no money moved, nothing applied", s);
		rec_comment(m->out, note);
		rec_copy(m->out, r->fields, r->nfields);
		return 0;
	}
	/* op-laskulaina: the virtual account's money is decided from its
	 * statement, which also shows what OP took out of it */
	if (m->virtual_iban != NULL &&
	    strcmp(p.account_iban, m->virtual_iban) == 0) {
		rec_comment(m->out, "pay on the virtual account: booked from "
		    "the virtual statement (a summary entry claims it)");
		rec_copy(m->out, r->fields, r->nfields);
		return p.correction ? 0 : record_payment(m, r, &p,
		    record_virtual_pay, d);
	}
	/* kassavirta: Noja's payout as a camt.054 notifies it (no
	 * reference, Noja Rahoitus the debtor) is decided from its entry
	 * on the statement, which names the day it finances ("Rahoitus
	 * DD.MM.YYYY"); booked from here too it would go to suspense, or
	 * be settled by another day, as the files came */
	if (m->c->service == SERVICE_KASSAVIRTA && m->a != NULL &&
	    !p.correction && *p.reference == '\0' &&
	    names_noja(p.payer_name)) {
		rec_comment(m->out, "pay from Noja Rahoitus without a "
		    "reference: Noja's payout, booked from its entry on the "
		    "statement");
		rec_copy(m->out, r->fields, r->nfields);
		return 0;
	}
	return record_payment(m, r, &p, NULL, d);
}

/* Fill p from the txn record r: account, archive id, dates, and the
 * amount, positive with p->debit set for money out.  0, or quarantine's
 * 1 with d. */
static int
txn_parse(const struct recin *r, struct pay *p, struct diag *d)
{
	const char *amount = col(r, COL_TXN_AMOUNT);
	int rc;

	memset(p, 0, sizeof *p);
	p->payer_name = col(r, COL_TXN_COUNTERPARTY_NAME);
	p->message = col(r, COL_TXN_MESSAGE);
	p->text = col(r, COL_TXN_BOOKING_TEXT);
	p->account_iban = col(r, COL_TXN_ACCOUNT_IBAN);
	p->archive_id = col(r, COL_TXN_ARCHIVE_ID);
	p->reference = col(r, COL_TXN_REFERENCE);
	p->currency = "";
	p->source = rec_source_field(r);
	if ((rc = parse_account_dates(r, p, COL_TXN_BOOKING_DATE,
	    COL_TXN_PAYMENT_DATE, d)) != 0)
		return rc;
	p->debit = amount[0] == '-';
	if (parse_amount(amount + p->debit, &p->amount) < 0 || p->amount <= 0)
		return quarantine(r, d, "amount '%s' is not a non-zero amount",
		    amount);
	return 0;
}

/* A statement entry of its own (level 0, or no level column), not an
 * itemisation row of one. */
static int
txn_level0(const struct recin *r)
{
	return r->nfields > COL_TXN_WARNINGS && txn_booked(r);
}

/* The booking text, the message or the counterparty of entry p names
 * word (compared without case). */
static int
txn_says(const struct pay *p, const char *word)
{
	return strcasestr(p->text, word) != NULL ||
	    strcasestr(p->message, word) != NULL ||
	    strcasestr(p->payer_name, word) != NULL;
}

/* Write a fin record (formats/records.md) for entry p. */
static void
write_fin(struct match *m, enum fin_event e, const struct pay *p,
    int64_t amount, const char *invoice_no, const char *reference)
{
	rec_begin(m->out, "fin");
	rec_str(m->out, fin_event_name(e));
	rec_date(m->out, p->booking_date);
	rec_cents(m->out, amount);
	rec_str(m->out, p->account_iban);
	rec_str(m->out, p->archive_id);
	rec_str(m->out, invoice_no);
	rec_str(m->out, reference);
	rec_str(m->out, p->text);
	rec_str(m->out, p->source);
	rec_end(m->out);
}

/*
 * The rows of the virtual statement (formats/financing.md "The virtual
 * statement"), told apart by direction, reference and words:
 *
 *   money in, with a reference     the customer's payment: recorded
 *   money out, reference, LYHENNYS the loan repayment taken from it
 *   money out, reference, KORKO    the loan interest taken from it
 *   money out, reference, TILITYS  the remainder forwarded to the
 *                                  company's account (booked when it
 *                                  arrives there)
 *   money out, no reference, NOSTO a loan withdrawal requested
 *   anything else                  unrecognised: suspense, listed
 */
enum vrow {
	VROW_PAYMENT, VROW_REPAYMENT, VROW_INTEREST, VROW_FORWARD,
	VROW_WITHDRAWAL, VROW_OTHER
};

static enum vrow
virtual_row(const struct pay *p)
{
	int ref = p->reference[0] != '\0';

	if (!p->debit)
		return ref ? VROW_PAYMENT : VROW_OTHER;
	if (!ref)
		return txn_says(p, "nosto") ? VROW_WITHDRAWAL : VROW_OTHER;
	if (txn_says(p, "lyhennys"))
		return VROW_REPAYMENT;
	if (txn_says(p, "korko"))
		return VROW_INTEREST;
	if (txn_says(p, "tilitys"))
		return VROW_FORWARD;
	return VROW_OTHER;
}

/* A comment in the output: what a recognised row that books nothing
 * was taken for. */
static void
virtual_comment(struct match *m, const struct pay *p, const char *what)
{
	struct sbuf c = SBUF_INIT;
	char amount[MONEY_BUFSZ];

	money_format(p->amount, amount);
	sbuf_addf(&c, "virtual account %s: %s %s%s reference %s from %s",
	    p->account_iban, what, p->debit ? "-" : "", amount,
	    p->reference, p->source);
	rec_comment(m->out, c.data);
	sbuf_free(&c);
}

/* What row p of the virtual statement, stored as payment pid, adds to
 * the money of its reference that passed the virtual account
 * (ledger/opflow.h): the customer's payment, what OP took out of it, or
 * what OP forwarded. */
static int
op_note_row(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	enum opflow_kind k;

	switch (virtual_row(p)) {
	case VROW_PAYMENT:
		k = OPFLOW_IN;
		break;
	case VROW_REPAYMENT:
	case VROW_INTEREST:
		k = OPFLOW_OUT;
		break;
	case VROW_FORWARD:
		k = OPFLOW_FORWARD;
		break;
	default:
		return 0;
	}
	if (!p->ref_ok)
		return 0;
	return opflow_add(m->l, pid, p->key, k, p->amount, d);
}

/* One off-payment of p's reference, booked on or after p's day, whose
 * notice still waits becomes remainder as far as what OP forwarded by
 * its day and nothing took yet reaches: the reversal of that much of it
 * and a remainder, both on its payment and posted today.  The amount
 * moved in *moved (0: none waits, or nothing is left for it). */
static int
op_reclassify_one(struct match *m, const struct pay *p, int64_t *moved,
    struct diag *d)
{
	struct notice_waiting w;
	struct suspense_payment sp;
	struct ledger_invoice inv;
	struct sbuf c = SBUF_INIT;
	char amount[MONEY_BUFSZ];
	int64_t first = 0, forwarded, left;
	int rc;

	*moved = 0;
	if ((rc = notice_waiting_bypass(m->l, p->key, p->booking_date, &w,
	    d)) <= 0)
		return rc;
	if (opflow_left(m->l, p->key, w.booking_date, &forwarded, &left,
	    d) < 0)
		return -1;
	if (left == 0)
		return 0;
	if (suspense_load(m->l, w.payment_id, &sp, d) != 1 ||
	    ledger_get_invoice(m->l, w.invoice_id, &inv, d) != 1)
		return -1;
	*moved = w.amount < left ? w.amount : left;
	sbuf_addf(&c, "off-payment %s of invoice %s from %s: %s forwarded by "
	    "OP (%s), a remainder", sp.archive_id, inv.invoice_no, sp.source,
	    money_format(*moved, amount), p->source);
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	if (suspense_post_later(m->l, m->out, &sp, &inv, OUTCOME_REVERSED,
	    outcome_name(OUTCOME_BYPASS), w.alloc_id, -*moved,
	    ALLOC_REASON_FORWARDED, m->today, &first, d) < 0 ||
	    suspense_post_later(m->l, m->out, &sp, &inv, OUTCOME_REMAINDER,
	    NULL, 0, *moved, ALLOC_REASON_FORWARDED, m->today, &first,
	    d) < 0)
		return -1;
	return opflow_add(m->l, w.payment_id, p->key, OPFLOW_REMAINDER,
	    *moved, d);
}

/* op-laskulaina: OP's TILITYS row p reached the ledger after payments of
 * its reference on the company's account were taken as off-payments
 * (nothing was forwarded then): those booked on or after the row's day
 * whose notice still waits, oldest first, are re-classified as remainder
 * as far as the money forwarded and not taken reaches. */
static int
op_reclassify(struct match *m, const struct pay *p, struct diag *d)
{
	int64_t moved;

	do {
		if (op_reclassify_one(m, p, &moved, d) < 0)
			return -1;
	} while (moved > 0);
	return 0;
}

/* A summary entry of the virtual statement (money in, no reference)
 * that is the day's reference payments of the account (KTL): they are
 * the customers' payments, claimed by it.  1 claimed, 0 not, -1. */
static int
virtual_summary(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	int64_t sum, n;
	struct sbuf c = SBUF_INIT;
	char amount[MONEY_BUFSZ];

	if (p->debit || p->reference[0] != '\0')
		return 0;
	if (oprows_unclaimed_ktl(m->l, p->booking_date, &sum, &n, d) < 0)
		return -1;
	if (n == 0 || sum != p->amount)
		return 0;
	if (oprows_claim_ktl(m->l, p->booking_date, pid, d) < 0)
		return -1;
	sbuf_addf(&c, "virtual account %s: summary entry %s from %s: the "
	    "customers' payments, %lld reference payment%s of the day",
	    p->account_iban, money_format(p->amount, amount), p->source,
	    (long long)n, n == 1 ? "" : "s");
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	return 1;
}

/* A repayment or interest row p may take no more than what its
 * reference's customer payments on the virtual account left: 0 when it
 * does, else the reason it is set aside; NULL on a ledger error. */
static const char *
untaken_check(struct match *m, const struct pay *p, struct diag *d)
{
	int64_t left;

	if (oprows_untaken(m->l, p->key, &left, d) < 0)
		return NULL;
	if (left <= 0)
		return "no-customer-payment";
	return p->amount > left ? "exceeds-customer-payment" : "";
}

/*
 * OP's repayment or interest row p takes its amount whole out of the
 * customer's payment of inv.  When inv has less open, because the
 * remainder reached the company before the statement and was taken as an
 * off-payment, and the customer paid more than the invoice, that much
 * of the waiting off-payment goes back off the invoice to overpayments
 * (its bypass partly reversed, an over of the same amount): the end is
 * the one of the statement first, where the remainder's excess is the
 * overpayment.  inv's paid and over are updated.
 */
static int
op_make_room(struct match *m, const struct pay *p, struct ledger_invoice *inv,
    struct diag *d)
{
	struct notice_waiting w;
	struct suspense_payment sp;
	struct sbuf c = SBUF_INIT;
	char amount[MONEY_BUFSZ];
	int64_t need = p->amount - inv->open_amount, shift, first = 0;
	int rc;

	while (need > 0) {
		if ((rc = notice_waiting_bypass(m->l, p->key, p->booking_date,
		    &w, d)) <= 0)
			return rc;
		if (w.invoice_id != inv->id)
			return 0;
		if (suspense_load(m->l, w.payment_id, &sp, d) != 1)
			return -1;
		shift = w.amount < need ? w.amount : need;
		sbuf_reset(&c);
		sbuf_addf(&c, "off-payment %s of invoice %s from %s: %s of it "
		    "is OP's, taken by %s; to overpayments", sp.archive_id,
		    inv->invoice_no, sp.source, money_format(shift, amount),
		    p->source);
		rec_comment(m->out, c.data);
		if (suspense_post_later(m->l, m->out, &sp, inv,
		    OUTCOME_REVERSED, outcome_name(OUTCOME_BYPASS), w.alloc_id,
		    -shift, ALLOC_REASON_TAKEN_BY_OP, m->today, &first, d) < 0 ||
		    suspense_post_later(m->l, m->out, &sp, inv, OUTCOME_OVER,
		    NULL, 0, shift, ALLOC_REASON_TAKEN_BY_OP, m->today, &first,
		    d) < 0) {
			sbuf_free(&c);
			return -1;
		}
		inv->paid -= shift;
		inv->over += shift;
		if (ledger_update_paid(m->l, inv, d) < 0) {
			sbuf_free(&c);
			return -1;
		}
		need -= shift;
	}
	sbuf_free(&c);
	return 0;
}

/* A repayment or interest row p, stored as payment pid: taken out of the
 * customer's payment of the invoice its reference names. */
static int
decide_taken(struct match *m, const struct pay *p, int64_t pid,
    enum alloc_outcome o, struct diag *d)
{
	struct ledger_invoice inv;
	const char *why;
	int rc;

	if ((rc = payment_target(m, p, pid, &inv, d)) <= 0)
		return rc;
	/* OP lends on the invoices sent with its account only: a
	 * repayment of one the company kept repays no loan of it */
	if (m->decisions != NULL) {
		struct assignment x;

		if ((rc = assign_routed(m->decisions, inv.invoice_no,
		    inv.invoice_date, &x, d)) < 0)
			return -1;
		if (rc == 0)
			return emit_pay(m, p, pid, NULL, pay_signed(p),
			    OUTCOME_UNKNOWN, "not-financed", d);
	}
	if ((why = untaken_check(m, p, d)) == NULL)
		return -1;
	if (*why)
		return emit_pay(m, p, pid, NULL, pay_signed(p),
		    OUTCOME_UNKNOWN, why, d);
	if (oprows_add(m->l, pid, OPROW_TAKEN, p->key, p->booking_date,
	    p->amount, d) < 0 || op_note_row(m, p, pid, d) < 0 ||
	    op_make_room(m, p, &inv, d) < 0)
		return -1;
	return settle_payment(m, p, pid, &inv, o, o, d);
}

/*
 * A withdrawal request p (payment pid) whose arrival on the company's
 * account was taken before it (another file order, a late virtual
 * statement) and set aside: the arrival's suspense is undone and it is
 * booked now, the request cleared by it.  Its vouchers are posted today.
 */
static int
arrival_came_first(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	struct suspense_payment sp;
	struct ledger_alloc a;
	struct pay q;
	struct sbuf c = SBUF_INIT;
	day_t to = date_add_banking_days(p->booking_date, ARRIVAL_DAYS);
	int64_t arrival, id;
	char source[LEDGER_SOURCE_MAX];
	int rc;

	rc = oprows_find_waiting_arrival(m->l, p->amount, p->booking_date, to,
	    &arrival, d);
	if (rc <= 0)
		return rc;
	if (suspense_load(m->l, arrival, &sp, d) != 1 ||
	    oprows_find_request(m->l, p->amount, p->booking_date,
	    p->booking_date, &id, source, sizeof source, d) != 1 ||
	    oprows_clear(m->l, id, arrival, d) < 0)
		return -1;
	memset(&q, 0, sizeof q);
	q.account_iban = sp.account_iban;
	q.archive_id = sp.archive_id;
	q.reference = sp.reference;
	q.payer_name = sp.payer_name;
	q.source = sp.source;
	q.text = p->text;
	q.booking_date = sp.booking_date;
	memset(&a, 0, sizeof a);
	write_and_store_prep(&a, &q);
	a.payment_id = arrival;
	a.reverses_id = sp.unknown_id;
	a.amount = -sp.amount;
	a.outcome = outcome_name(OUTCOME_REVERSED);
	a.reverses = outcome_name(OUTCOME_UNKNOWN);
	a.reason = "withdrawal-request";
	a.posting_date = m->today;
	sbuf_addf(&c, "loan withdrawal arrived from %s before its request "
	    "from %s: taken out of suspense, the request is cleared",
	    sp.source, p->source);
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	if (emit(m, &a, d) < 0)
		return -1;
	q.booking_date = m->today;
	write_fin(m, FIN_LOAN_ARRIVAL, &q, sp.amount, "", "");
	return 0;
}

/* A customer's payment on the virtual account is applied through OP's
 * rows of its reference (repayment, interest, remainder); one whose
 * reference names no invoice the ledger has is nobody's yet, and one of
 * an invoice that was not routed to OP is money OP holds for an invoice
 * it never financed: say so (nothing else would).  0, or -1 with d. */
static int
virtual_unknown(struct match *m, const struct pay *p, struct diag *d)
{
	struct ledger_invoice cand[1];
	char named[200];
	int n = 0, rc = 0;

	if (p->debit)
		return 0;
	if (*p->key != '\0' && (n = ledger_find_by_key(m->l, p->key, cand,
	    1, d)) < 0)
		return -1;
	if (n > 0) {
		if (m->decisions == NULL ||
		    (rc = op_routed(m, &cand[0], d)) != 0)
			return m->decisions != NULL && rc < 0 ? -1 : 0;
		warn_payment(m, p, "customer payment %s on the virtual "
		    "account %s: reference %s is of invoice %s, which was not "
		    "routed to OP: nothing applied, the invoice stays open; "
		    "the money is on OP's account for an invoice OP did not "
		    "finance", pay_named(p, named, sizeof(named)),
		    p->account_iban, p->reference, cand[0].invoice_no);
		return 0;
	}
	if (*p->reference == '\0')
		warn_payment(m, p, "customer payment %s on the virtual "
		    "account %s has no reference: nothing applied; find "
		    "whose payment it is", pay_named(p, named, sizeof(named)),
		    p->account_iban);
	else
		warn_payment(m, p, "customer payment %s on the virtual "
		    "account %s: reference %s names no invoice in the "
		    "ledger; nothing applied; find whose payment it is",
		    pay_named(p, named, sizeof(named)), p->account_iban,
		    p->reference);
	return 0;
}

/* Decide virtual-statement row p, stored as payment pid. */
static int
decide_virtual(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	enum vrow v = virtual_row(p);
	int rc;

	/* a repayment or interest set aside took nothing: decide_taken()
	 * notes only what it applies */
	if (v != VROW_REPAYMENT && v != VROW_INTEREST &&
	    op_note_row(m, p, pid, d) < 0)
		return -1;
	switch (v) {
	case VROW_PAYMENT:
		virtual_comment(m, p, "customer payment");
		if (oprows_add(m->l, pid, OPROW_PAYMENT, p->key,
		    p->booking_date, p->amount, d) < 0)
			return -1;
		return virtual_unknown(m, p, d);
	case VROW_FORWARD:
		virtual_comment(m, p, "remainder forwarded");
		return p->ref_ok ? op_reclassify(m, p, d) : 0;
	case VROW_WITHDRAWAL:
		write_fin(m, FIN_LOAN_WITHDRAWAL, p, p->amount, "",
		    p->reference);
		if (oprows_add(m->l, pid, OPROW_WITHDRAWAL, "",
		    p->booking_date, p->amount, d) < 0)
			return -1;
		return arrival_came_first(m, p, pid, d);
	case VROW_REPAYMENT:
		return decide_taken(m, p, pid, OUTCOME_REPAYMENT, d);
	case VROW_INTEREST:
		return decide_taken(m, p, pid, OUTCOME_LOAN_INTEREST, d);
	default:
		if ((rc = virtual_summary(m, p, pid, d)) != 0)
			return rc < 0 ? -1 : 0;
		return emit_pay(m, p, pid, NULL, pay_signed(p),
		    OUTCOME_UNKNOWN, "unrecognised", d);
	}
}

/* The counterparty of entry p is OP: a name whose first word is OP, or
 * that names Osuuspankki. */
static int
from_op(const struct pay *p)
{
	const char *s = p->payer_name;

	while (*s == ' ')
		s++;
	return (strncasecmp(s, "op", 2) == 0 && (s[2] == ' ' ||
	    s[2] == '-' || s[2] == '\0')) ||
	    strcasestr(s, "osuuspankki") != NULL;
}

/* An entry of the company's account that looks like a loan withdrawal
 * arriving: money in without a reference that names Laskulaina, or a
 * loan (LAINA, NOSTO) from OP. */
static int
looks_like_arrival(const struct pay *p)
{
	return txn_says(p, "laskulaina") || (from_op(p) &&
	    (txn_says(p, "laina") || txn_says(p, "nosto")));
}

/* The open withdrawal request entry p clears: of its amount, booked on
 * its day or up to ARRIVAL_DAYS banking days before.  As
 * oprows_find_request(). */
static int
arrival_request(struct match *m, const struct pay *p, int64_t *id,
    char *source, size_t size, struct diag *d)
{
	day_t from = date_add_banking_days(p->booking_date, -ARRIVAL_DAYS);

	return oprows_find_request(m->l, p->amount, from, p->booking_date,
	    id, source, size, d);
}

/* Whether entry p of the company's account is decided as a loan
 * arrival: money in without a reference that looks like one, or that
 * comes from OP with the amount of an open request.  1, 0, -1. */
static int
is_arrival(struct match *m, const struct pay *p, struct diag *d)
{
	char source[LEDGER_SOURCE_MAX];
	int64_t id;

	if (p->debit || p->reference[0] != '\0')
		return 0;
	if (looks_like_arrival(p))
		return 1;
	if (!from_op(p))
		return 0;
	return arrival_request(m, p, &id, source, sizeof source, d);
}

/* The loan withdrawal reaching the company's account: it clears the
 * open request it matches (each once), or waits in suspense. */
static int
decide_loan_arrival(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	char source[LEDGER_SOURCE_MAX];
	struct sbuf c = SBUF_INIT;
	int64_t id;
	int rc;

	rc = arrival_request(m, p, &id, source, sizeof source, d);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return emit_pay(m, p, pid, NULL, p->amount, OUTCOME_UNKNOWN,
		    "no-withdrawal-request", d);
	if (oprows_clear(m->l, id, pid, d) < 0)
		return -1;
	sbuf_addf(&c, "loan withdrawal arrived from %s: the request from %s "
	    "is cleared", p->source, source);
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	write_fin(m, FIN_LOAN_ARRIVAL, p, p->amount, "", p->reference);
	return 0;
}

/* A letter of a name: ASCII, or a byte of an 8-bit or UTF-8 one. */
static int
name_letter(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' &&
	    (ch | 0x20) <= 'z') || ch >= 0x80;
}

/* s holds word as a word of its own (compared without case): not a
 * part of a longer one ("Nojanen", "sopimuksen nojalla"). */
static int
names_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *at;

	for (at = s; (at = strcasestr(at, word)) != NULL; at++)
		if ((at == s || !name_letter((unsigned char)at[-1])) &&
		    !name_letter((unsigned char)at[n]))
			return 1;
	return 0;
}

/* s names Noja Rahoitus, the financier: "NOJA RAHOITUS OY",
 * "Noja-Rahoitus", "Nojarahoitus Oy"; not a person named Noja, nor
 * "Nojanen". */
static int
names_noja(const char *s)
{
	const char *at;

	for (at = s; (at = strcasestr(at, "noja")) != NULL; at++) {
		const char *p = at + 4;

		if (at > s && name_letter((unsigned char)at[-1]))
			continue;
		while (*p == ' ' || *p == '-')
			p++;
		if (strncasecmp(p, "rahoitus", 8) == 0)
			return 1;
	}
	return 0;
}

/* kassavirta: Noja's payout, a credit entry without a reference from
 * Noja: its counterparty names Noja Rahoitus, or, with no counterparty,
 * its booking text or message names Noja as a word.  A customer's
 * payment always names its payer, so a word of its message ("Noja"
 * quoted, "sopimuksen nojalla") is no payout. */
static int
is_payout(const struct recin *r)
{
	const char *payer = col(r, COL_TXN_COUNTERPARTY_NAME);

	if (col(r, COL_TXN_AMOUNT)[0] == '-' ||
	    col(r, COL_TXN_REFERENCE)[0] != '\0')
		return 0;
	if (*payer != '\0')
		return names_noja(payer);
	return names_word(col(r, COL_TXN_BOOKING_TEXT), "noja") ||
	    names_word(col(r, COL_TXN_MESSAGE), "noja");
}

/* The day a payout settles the financing of: the day its message names
 * ("Rahoitus DD.MM.YYYY"), or its booking day when it names none or a
 * later one (Noja pays for no invoice not financed yet). */
static day_t
payout_cutoff(const struct pay *p)
{
	day_t named;

	if (p->message != NULL && date_find_dmy(p->message, &named) == 0 &&
	    named <= p->booking_date)
		return named;
	return p->booking_date;
}

static const char *const payout_reasons[] = {
	[FINANCING_PAYOUT_NOTHING] = "payout-without-financing",
	[FINANCING_PAYOUT_EXCEEDS] = "payout-exceeds-financing",
	[FINANCING_PAYOUT_COST] = "payout-cost-implausible",
};

/* A comment saying what a payout left alone: of the n shares it could
 * be for it settled take; or, with take == n == 0 and cost set, that the
 * costs all of them imply are out of bounds. */
static void
payout_comment(struct match *m, const struct pay *p,
    const struct financing_share *s, size_t n, size_t take, int64_t cost,
    enum financing_verdict v)
{
	struct sbuf c = SBUF_INIT;
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], g[MONEY_BUFSZ];
	int64_t granted = 0, left = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		granted += s[i].amount;
		if (i >= take)
			left += s[i].amount;
	}
	sbuf_addf(&c, "Noja payout %s from %s: ", money_format(p->amount, a),
	    p->source);
	if (v == FINANCING_PAYOUT_COST)
		sbuf_addf(&c, "the %zu financed shares it can be for (%s) "
		    "imply financing costs %s, more than %s: suspense", n,
		    money_format(granted, g), money_format(cost, b),
		    money_format(financing_cost_bound(granted, n), a));
	else
		sbuf_addf(&c, "%zu of the %zu financed shares it can be for "
		    "left for a later payout (%s)", n - take, n,
		    money_format(left, b));
	rec_comment(m->out, c.data);
	sbuf_free(&c);
}

/*
 * kassavirta: Noja's payout on the company's statement is the financing
 * day (seeds/000: granted credits and their costs are booked daily).  It
 * settles the financed shares it can be for (financing_payout_take():
 * of invoices financed by its day, the most of the oldest whose costs
 * are plausible) and every adjustment not settled before: what Noja
 * paid is the credit granted, less the adjustments it took back (plus
 * those it returns, their payments corrected after it took them), less
 * the financing cost.  A payout with nothing to settle, larger than
 * what it can settle, or with implausible costs is unknown (suspense),
 * never guessed.
 */
static int
decide_payout(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	struct pay q = *p;
	struct financing_share *s = NULL;
	enum financing_verdict v;
	size_t n, take, i;
	int64_t adjusted, cost;
	int rc = -1;

	/* the message says which day Noja financed ("Rahoitus ...") */
	if (q.message != NULL && *q.message)
		q.text = q.message;
	if (financing_pending(m->l, payout_cutoff(p), &s, &n, &adjusted,
	    d) < 0)
		goto out;
	v = financing_payout_take(s, n, adjusted, p->amount, &take, &cost);
	if (v != FINANCING_PAYOUT_OK) {
		if (v == FINANCING_PAYOUT_COST)
			payout_comment(m, p, s, n, 0, cost, v);
		rc = emit_pay(m, p, pid, NULL, p->amount, OUTCOME_UNKNOWN,
		    payout_reasons[v], d);
		goto out;
	}
	if (financing_settle(m->l, pid, s, take, d) < 0)
		goto out;
	for (i = 0; i < take; i++)
		write_fin(m, FIN_CREDIT_GRANTED, &q, s[i].amount,
		    s[i].invoice_no, s[i].reference);
	if (adjusted > 0)
		write_fin(m, FIN_ADJUSTMENT_NETTED, &q, adjusted, "", "");
	else if (adjusted < 0)
		write_fin(m, FIN_ADJUSTMENT_RETURNED, &q, -adjusted, "", "");
	if (cost > 0)
		write_fin(m, FIN_FINANCING_COST, &q, cost, "", "");
	if (take < n)
		payout_comment(m, p, s, n, take, 0, v);
	rc = 0;
out:
	free(s);
	return rc;
}

/*
 * A credit entry of the statement (not a 705 reference payment entry,
 * whose payments a KTL or camt.054 brings) whose reference names one
 * open invoice, and no payment of that reference and amount is booked:
 * money for the invoice that no reference payment file carries, so
 * nothing would apply it.  Said as a warning; the entry is copied as
 * every other.  0, or quarantine's 1 with d, -1 on a ledger error.
 */
static int
statement_reference(struct match *m, const struct recin *r, struct diag *d)
{
	struct ledger_invoice cand[2];
	struct pay p;
	char key[REF_BUFSZ], amount[MONEY_BUFSZ], open[MONEY_BUFSZ];
	const char *ref = col(r, COL_TXN_REFERENCE);
	int64_t id;
	size_t n = strlen(ref);
	int rc, k;

	if (!txn_level0(r) || n == 0 || n >= REF_BUFSZ ||
	    strcmp(col(r, COL_TXN_ENTRY_TYPE), "1") != 0 ||
	    strcmp(col(r, COL_TXN_BOOKING_CODE), "705") == 0 ||
	    col(r, COL_TXN_AMOUNT)[0] == '-')
		return 0;
	if ((rc = txn_parse(r, &p, d)) != 0)
		return rc;
	if (m->c->service_iban != NULL &&
	    strcmp(p.account_iban, m->c->service_iban) == 0)
		return 0;
	ref_match_key(ref, n, key);
	if ((k = ledger_find_by_key(m->l, key, cand, 2, d)) < 0)
		return -1;
	if (k != 1 || cand[0].open_amount <= 0)
		return 0;
	if ((rc = ledger_find_reversible(m->l, p.account_iban, key, p.amount,
	    &id, d)) != 0)
		return rc < 0 ? -1 : 0;
	warn_payment(m, &p, "statement entry %s, reference %s, archive id "
	    "%s, is money for invoice %s (open %s) that no reference "
	    "payment file has brought: not booked, the invoice stays "
	    "open until a KTL or camt.054 brings it or it is booked by "
	    "hand",
	    money_format(p.amount, amount), ref, p.archive_id,
	    cand[0].invoice_no, money_format(cand[0].open_amount, open));
	return 0;
}

/* A statement entry.  Decided here: the rows of the op-laskulaina
 * virtual statement, the loan withdrawal reaching the company's account
 * (a credit entry without a reference that looks like one or comes from
 * OP, is_arrival()), Noja's
 * payout for kassavirta (a credit entry without a reference that names
 * Noja), and a receivables service's interest settlement (it carries no reference,
 * so no reference payment file has it).  Every other entry is copied;
 * its reference payments come as pay records. */
static int
do_txn(struct match *m, const struct recin *r, struct diag *d)
{
	struct pay p;
	int rc;

	if (m->virtual_iban != NULL && txn_level0(r)) {
		if ((rc = txn_parse(r, &p, d)) != 0)
			return rc;
		if (strcmp(p.account_iban, m->virtual_iban) == 0)
			return record_payment(m, r, &p, decide_virtual, d);
		if (m->company_day == DAY_NONE ||
		    p.booking_date > m->company_day)
			m->company_day = p.booking_date;
		if ((rc = is_arrival(m, &p, d)) != 0)
			return rc < 0 ? -1 : record_payment(m, r, &p,
			    decide_loan_arrival, d);
	}
	if (m->c->service == SERVICE_KASSAVIRTA && m->a != NULL &&
	    txn_level0(r) && is_payout(r)) {
		if ((rc = txn_parse(r, &p, d)) != 0)
			return rc;
		return record_payment(m, r, &p, decide_payout, d);
	}
	if (m->l != NULL && (rc = statement_reference(m, r, d)) != 0)
		return rc;
	memset(&p, 0, sizeof p);
	p.payer_name = col(r, COL_TXN_COUNTERPARTY_NAME);
	p.message = col(r, COL_TXN_MESSAGE);
	/* a credit entry (money in), not an itemisation row */
	if (m->a == NULL || !txn_level0(r) ||
	    strcmp(col(r, COL_TXN_ENTRY_TYPE), "1") != 0 ||
	    col(r, COL_TXN_AMOUNT)[0] == '-' || !is_interest(&p)) {
		rec_copy(m->out, r->fields, r->nfields);
		return 0;
	}
	if ((rc = txn_parse(r, &p, d)) != 0)
		return rc;
	return record_payment(m, r, &p, NULL, d);
}

/* A new payment p (row pid) of the archive id, amount and reference of
 * one the ledger has on the account, booked another day: booked (the
 * duplicate key has the day), but said.  A resend with its date
 * changed, or one payment read from two files that date it
 * differently, would otherwise be booked twice with no word.  0, or -1
 * with d. */
static int
archive_id_seen(struct match *m, const struct pay *p, int64_t pid,
    struct diag *d)
{
	struct ledger_payment_seen seen;
	char amount[MONEY_BUFSZ], named[200];
	int rc = ledger_archive_id_seen(m->l, p->account_iban, p->archive_id,
	    p->amount, p->reference, pid, &seen, d);

	if (rc == 1)
		warn_payment(m, p, "payment %s: its archive id is that of a "
		    "payment of %s booked on %s from %s: booked as a payment "
		    "of its own; if it is the same payment sent again, "
		    "it is booked twice: move one back with reskontra "
		    "unallocate", pay_named(p, named, sizeof named),
		    money_format(seen.amount, amount), seen.booking_date,
		    seen.source);
	return rc < 0 ? -1 : 0;
}

/* Store payment p (parsed from r) and decide it: a duplicate, a
 * correction, or what decide (NULL: apply_payment()) makes of it. */
static int
record_payment(struct match *m, const struct recin *r, struct pay *pp,
    int (*decide)(struct match *, const struct pay *, int64_t,
    struct diag *), struct diag *d)
{
	struct pay p = *pp;
	struct ledger_payment row;
	char dup[600];
	size_t n;
	int rc;

	/* The service's client account is not the company's bank account:
	 * the service settles what it collects there to the company's own
	 * account with the invoice's original reference, and that
	 * settlement is what is applied.  Applying both would count the
	 * money twice, so such a record is refused. */
	if (m->a != NULL && m->c->service_iban != NULL &&
	    strcmp(p.account_iban, m->c->service_iban) == 0)
		return quarantine(r, d, "payment to the service's client "
		    "account %s: not the company's account; the service "
		    "settles it to the company's account", p.account_iban);
	n = strlen(p.reference);
	if (n >= REF_BUFSZ)
		return quarantine(r, d, "reference '%s' is too long",
		    p.reference);
	ref_match_key(p.reference, n, p.key);
	if (n > 0)
		p.ref_ok = (n > 2 && (p.reference[0] == 'R' ||
		    p.reference[0] == 'r') ? rf_validate(p.reference, n) :
		    ref_validate(p.reference, n)) == 0;

	memset(&row, 0, sizeof row);
	row.account_iban = p.account_iban;
	row.archive_id = p.archive_id;
	row.booking_date = p.booking_date;
	row.payment_date = p.payment_date;
	row.amount = p.amount;
	row.reference = p.reference;
	row.match_key = p.key;
	row.payer_name = p.payer_name;
	row.correction = p.correction;
	row.source = p.source;
	rc = ledger_add_payment(m->l, &row, dup, sizeof dup, d);
	if (rc < 0)
		return -1;
	if (rc == 1 && decide == decide_virtual && !p.correction &&
	    (rc = virtual_notified(m, &p, row.twin_id, dup, d)) != 1)
		return rc;
	if (rc == 1) {
		struct ledger_alloc a;
		char reason[800];

		snprintf(reason, sizeof reason, "%sbooked before from %s%s",
		    row.twin_cut != 0 ? ALLOC_REASON_TWIN ", " : "", dup,
		    row.twin_cut == 1 ? ", whose archive id is this one's "
		    "last 16 characters" : row.twin_cut == 2 ? ", whose "
		    "archive id ends in this one" : row.twin_cut == 3 ? ", "
		    "the same payment (account, day, amount, reference) in a "
		    "collective camt.054 entry that names its payments by "
		    "their place" : "");
		m->paired = row.twin_cut == 3;
		if (ledger_log_event(m->l, p.source, "pay", p.archive_id,
		    "duplicate", reason, d) < 0)
			return -1;
		memset(&a, 0, sizeof a);
		write_and_store_prep(&a, &p);
		a.amount = p.correction ? -p.amount : pay_signed(&p);
		a.outcome = outcome_name(OUTCOME_DUPLICATE);
		a.reason = reason;
		match_write_alloc(m->out, &a);
		/* not in suspense forever: its invoice may be there now */
		return suspense_rematch_repeat(m->l, m->out, &row, m->today,
		    d) < 0 ? -1 : 0;
	}
	if (!p.correction && *p.archive_id && archive_id_seen(m, &p, row.id,
	    d) < 0)
		return -1;
	if (p.correction)
		return reverse_payment(m, &p, row.id, 0, d);
	return (decide != NULL ? decide : apply_payment)(m, &p, row.id, d);
}

/*
 * Customer's payment row p of the virtual statement, a repeat of payment
 * pid (from dup) that a notification of the virtual account (KTL,
 * camt.054) stored first and kept for the statement to book
 * (record_virtual_pay()): the statement's row is the customer's payment
 * of that one, claimed by it, for repayment and interest to take from,
 * whichever file came first.  0 so decided, 1 when p is a repeat all
 * the same (not a customer's payment, or pid's notification is claimed
 * already: the same statement again), -1.
 */
static int
virtual_notified(struct match *m, const struct pay *p, int64_t pid,
    const char *dup, struct diag *d)
{
	struct sbuf c = SBUF_INIT;
	int rc;

	if (virtual_row(p) != VROW_PAYMENT)
		return 1;
	if ((rc = oprows_claim_notified(m->l, pid, pid, d)) != 1)
		return rc < 0 ? -1 : 1;
	if (op_note_row(m, p, pid, d) < 0)
		return -1;
	sbuf_addf(&c, "notified before from %s: customer payment", dup);
	virtual_comment(m, p, c.data);
	sbuf_free(&c);
	return virtual_unknown(m, p, d);
}

/* Payments w waited in suspense for invoice inv (record r), which was
 * routed: they stay there, and are said. */
static void
waiting_for_routed(struct match *m, const struct recin *r,
    const struct ledger_invoice *inv, const struct suspense_waiting *w)
{
	char amt[MONEY_BUFSZ], what[400];

	snprintf(what, sizeof what, "%s of its reference %s in suspense "
	    "(%s%s)", money_format(w->amount, amt), w->n == 1 ? "waits" :
	    "wait", w->n == 1 ? "payment " : "the first, payment ", w->first);
	if (strcmp(w->service, "factoring") == 0)
		warn_record(m, r, "invoice %s was transferred to factoring, "
		    "but %s, paid before the invoice was stored to another "
		    "account than its factoring account: to the company's "
		    "own it is a bypass payment, forward it to the "
		    "financier; from another financier's account place it "
		    "with reskontra allocate", inv->invoice_no, what);
	else
		warn_record(m, r, "invoice %s was routed to %s, but %s: the "
		    "customer paid the company before the invoice went to the "
		    "service; tell %s of the payment (a bypass payment) and "
		    "clear the suspense by hand", inv->invoice_no, w->service,
		    what, w->service);
}

/* Link credit note cn to invoice inv and write the credit allocation. */
static int
link_credit(struct match *m, struct ledger_invoice *inv,
    struct ledger_invoice *cn, const char *source, struct diag *d)
{
	struct ledger_alloc a;

	cn->credited_id = inv->id;
	inv->credited += cn->total;
	if (ledger_update_invoice(m->l, cn, d) < 0 ||
	    ledger_update_invoice(m->l, inv, d) < 0)
		return -1;
	memset(&a, 0, sizeof a);
	a.invoice_id = inv->id;
	a.credit_id = cn->id;
	a.amount = cn->total;
	a.outcome = outcome_name(OUTCOME_CREDIT);
	a.has_open_after = 1;
	a.open_after = inv->open_amount;
	a.invoice_no = inv->invoice_no;
	a.reference = inv->reference;
	a.buyer_id = inv->buyer_id;
	a.credit_note_no = cn->invoice_no;
	a.booking_date = DAY_NONE;
	a.source = source;
	return emit(m, &a, d);
}

/* Whether credit note cn may reduce invoice inv: the same buyer, when
 * both name one (a mistyped OriginalInvoiceNumber must not move credit
 * from one customer to another). */
static int shared_reference(struct match *, const struct recin *,
    const struct ledger_invoice *, struct diag *);

static int
same_buyer(const struct ledger_invoice *inv, const struct ledger_invoice *cn)
{
	return inv->buyer_id[0] == '\0' || cn->buyer_id[0] == '\0' ||
	    strcmp(inv->buyer_id, cn->buyer_id) == 0;
}

static int
same_invoice(const struct ledger_invoice *a, const struct ledger_invoice *b)
{
	return a->total == b->total && a->invoice_date == b->invoice_date &&
	    a->due_date == b->due_date &&
	    strcmp(a->reference, b->reference) == 0 &&
	    strcmp(a->buyer_id, b->buyer_id) == 0 &&
	    strcmp(a->credited_invoice_no, b->credited_invoice_no) == 0;
}

int
match_inv_parse(const struct recin *r, struct ledger_invoice *inv, char *why,
    size_t size)
{
	const char *type = col(r, COL_INV_TYPE);

	memset(inv, 0, sizeof *inv);
#define WHY(...) return snprintf(why, size, __VA_ARGS__), 1
	if (r->nfields <= COL_INV_LANGUAGE)
		WHY("too few columns (%zu) for an inv record", r->nfields);
	if (strcmp(type, "credit") == 0)
		inv->is_credit = 1;
	else if (strcmp(type, "invoice") != 0)
		WHY("type '%s' is not invoice or credit", type);
	if (*col(r, COL_INV_INVOICE_NO) == '\0')
		WHY("invoice_no is empty");
	if (str_copy_fit(inv->invoice_no, sizeof inv->invoice_no,
	    col(r, COL_INV_INVOICE_NO)) < 0)
		WHY("invoice_no is longer than %d bytes", LEDGER_NO_BUFSZ - 1);
	if (str_copy_fit(inv->buyer_id, sizeof inv->buyer_id,
	    col(r, COL_INV_BUYER_ID)) < 0)
		WHY("buyer_id is longer than %d bytes", LEDGER_NO_BUFSZ - 1);
	if (str_copy_fit(inv->credited_invoice_no,
	    sizeof inv->credited_invoice_no,
	    col(r, COL_INV_CREDITED_INVOICE_NO)) < 0)
		WHY("credited_invoice_no is longer than %d bytes",
		    LEDGER_NO_BUFSZ - 1);
	if (str_copy_fit(inv->reference, sizeof inv->reference,
	    col(r, COL_INV_REFERENCE)) < 0)
		WHY("reference is longer than %d bytes", REF_BUFSZ - 1);
	ref_match_key(inv->reference, strlen(inv->reference), inv->match_key);
	if (parse_date(col(r, COL_INV_INVOICE_DATE), &inv->invoice_date,
	    0) < 0)
		WHY("invoice_date '%s' is not a date",
		    col(r, COL_INV_INVOICE_DATE));
	if (parse_date(col(r, COL_INV_DUE_DATE), &inv->due_date, 0) < 0)
		WHY("due_date '%s' is not a date", col(r, COL_INV_DUE_DATE));
	if (parse_amount(col(r, COL_INV_TOTAL), &inv->total) < 0)
		WHY("total '%s' is not an amount", col(r, COL_INV_TOTAL));
	if (inv->is_credit ? inv->total > 0 : inv->total < 0)
		WHY("total %s has the wrong sign for %s %s",
		    col(r, COL_INV_TOTAL), inv->is_credit ? "a credit note" :
		    "an invoice", inv->invoice_no);
	if (strlen(rec_source_field(r)) >= LEDGER_SOURCE_MAX)
		WHY("source is longer than %d bytes", LEDGER_SOURCE_MAX - 1);
#undef WHY
	return 0;
}

/* The routing decision for the invoice of the record from source: in a
 * run, the one the route stage made for that very record (a second
 * message of the input with the same number and date has a decision of
 * its own); else the latest for its number and date.  1, 0, -1. */
static int
decision_of(struct match *m, const struct ledger_invoice *inv,
    const char *source, struct assignment *x, struct diag *d)
{
	int r;

	if (assign_input_on(m->decisions) &&
	    (r = assign_input_find(m->decisions, assign_source_line(source),
	    x, d)) != 0 && (r < 0 || (strcmp(x->invoice_no,
	    inv->invoice_no) == 0 && x->invoice_date == inv->invoice_date)))
		return r;
	return assign_latest(m->decisions, inv->invoice_no,
	    inv->invoice_date, x, d);
}

/* An invoice whose routing decision x is reject is not stored: it was
 * never sent, and nobody owes it.  A comment in the output says so.
 * 1 skipped, 0 not rejected. */
static int
rejected_by_routing(struct match *m, const struct ledger_invoice *inv,
    const struct assignment *x)
{
	struct sbuf c = SBUF_INIT;

	if (strcmp(x->action, "reject") != 0)
		return 0;
	sbuf_addf(&c, "%s %s not stored: rejected by routing, code %d: %s",
	    inv->is_credit ? "credit note" : "invoice", inv->invoice_no,
	    x->code, x->reason);
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	return 1;
}

/* Factoring: a routed factoring invoice (decision x) is owed under the
 * factoring reference printed on it (its service reference), so the
 * ledger keeps that one and the payments to the factoring account find
 * it; the original stays in the assignment. */
static void
use_factoring_reference(struct match *m, struct ledger_invoice *inv,
    const struct assignment *x)
{
	if (m->c->service != SERVICE_FACTORING || inv->is_credit ||
	    strcmp(x->action, "route") != 0 || x->service_reference[0] == '\0')
		return;
	memcpy(inv->reference, x->service_reference, sizeof(inv->reference));
	ref_match_key(inv->reference, strlen(inv->reference),
	    inv->match_key);
}

/* kassavirta: Noja finances financing_rate percent of an invoice the
 * service took; it is booked with Noja's payout (decide_payout()). */
static int
finance_invoice(struct match *m, const struct ledger_invoice *inv,
    struct diag *d)
{
	struct assignment x;
	struct sbuf c = SBUF_INIT;
	char amount[MONEY_BUFSZ], rate[FINANCING_RATE_BUFSZ];
	int64_t share = financing_share(inv->total, m->c->financing_rate_bp);
	int rc;

	rc = assign_routed(m->a, inv->invoice_no, inv->invoice_date, &x, d);
	if (rc <= 0 || share <= 0)
		return rc < 0 ? -1 : 0;
	if (financing_grant(m->l, inv->id, share, m->today, d) < 0)
		return -1;
	sbuf_addf(&c, "invoice %s financed: %s (%s %%)", inv->invoice_no,
	    money_format(share, amount),
	    financing_rate_format(m->c->financing_rate_bp, rate));
	rec_comment(m->out, c.data);
	sbuf_free(&c);
	return 0;
}

/* Credit note cn, linked, leaves invoice inv with less than nothing
 * open: a refund due when the buyer had paid, else a credit note larger
 * than what it credits. */
static void
credit_beyond(struct match *m, const struct recin *r,
    const struct ledger_invoice *cn, const struct ledger_invoice *inv)
{
	char open[MONEY_BUFSZ], paid[MONEY_BUFSZ];

	money_format(inv->open_amount, open);
	if (inv->paid + inv->over > 0)
		warn_record(m, r, "credit note %s leaves invoice %s, of which "
		    "%s was paid, with %s open: a refund due to the buyer",
		    cn->invoice_no, inv->invoice_no, money_format(inv->paid +
		    inv->over, paid), open);
	else
		warn_record(m, r, "credit note %s credits more than invoice "
		    "%s has open: it leaves %s open, nothing was paid; check "
		    "the credit note", cn->invoice_no, inv->invoice_no, open);
}

static int
do_inv(struct match *m, const struct recin *r, struct diag *d)
{
	struct ledger_invoice inv, old, other;
	struct assignment x;
	struct suspense_waiting w;
	const char *source = rec_source_field(r);
	char why[300];
	int rc, routed = 0, own;

	if (match_inv_parse(r, &inv, why, sizeof why) != 0)
		return quarantine(r, d, "%s", why);
	if (m->decisions != NULL &&
	    (routed = decision_of(m, &inv, source, &x, d)) < 0)
		return -1;
	if (routed && rejected_by_routing(m, &inv, &x))
		return 0;
	/* The ledger keeps euros, as with payments: an invoice in another
	 * currency stored would be that many euros open, and a payment
	 * of it applied as if it were */
	if (!money_in_eur(col(r, COL_INV_CURRENCY)))
		return quarantine(r, d, "%s %s of %s %s: not in euros (the "
		    "ledger and the vouchers are in euros); not stored: keep "
		    "it by hand, its payments go to suspense",
		    inv.is_credit ? "credit note" : "invoice", inv.invoice_no,
		    col(r, COL_INV_TOTAL), col(r, COL_INV_CURRENCY));
	if (routed)
		use_factoring_reference(m, &inv, &x);
	/* an invoice routed under an assignment of its own may have the
	 * number of one stored, of another date (the duplicate-number
	 * rule); any other is one invoice a number */
	own = routed && !inv.is_credit && strcmp(x.action, "route") == 0;
	/* the service it went to: its routing's, none when passed (the
	 * company keeps it), the configured one when routing is not known
	 * (a filter without a ledger's decisions) */
	rc = ledger_add_or_get_invoice(m->l, &inv, own, !routed ?
	    config_service_name(m->c->service) : strcmp(x.action, "route") ==
	    0 && *x.service ? x.service : "none", col(r, COL_INV_BUYER_NAME),
	    source, &old, d);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (old.invoice_date != inv.invoice_date) {
			char date[DATE_BUFSZ + 16] = "no invoice date";

			if (old.invoice_date != DAY_NONE)
				date_format(old.invoice_date, stpcpy(date,
				    "invoice date "));
			return quarantine(r, d, "%s %s is already in the "
			    "ledger with %s: one invoice a number, unless a "
			    "service takes it as a new assignment",
			    inv.is_credit ? "credit note" : "invoice",
			    inv.invoice_no, date);
		}
		if (!same_invoice(&inv, &old))
			return quarantine(r, d, "%s %s is already in the "
			    "ledger with different contents",
			    inv.is_credit ? "credit note" : "invoice",
			    inv.invoice_no);
		/* delivered again: known, nothing to add */
		if (ledger_log_event(m->l, source, "inv", inv.invoice_no,
		    "redelivered", NULL, d) < 0)
			return -1;
		rec_copy(m->out, r->fields, r->nfields);
		return 0;
	}
	rec_copy(m->out, r->fields, r->nfields);
	if (*col(r, COL_INV_WARNINGS) != '\0') {
		struct diag wd;

		/* section 1's checks apply whatever the service: an
		 * invoice that failed one is stored as it came, and
		 * somebody must look at it */
		diag_set(&wd, source, 0, 0, "%s %s failed its checks (%s): "
		    "stored as it came; see the reader's warnings",
		    inv.is_credit ? "credit note" : "invoice", inv.invoice_no,
		    col(r, COL_INV_WARNINGS));
		say(m, &wd);
	}
	if (!inv.is_credit && m->c->service == SERVICE_KASSAVIRTA &&
	    m->a != NULL && finance_invoice(m, &inv, d) < 0)
		return -1;
	if (inv.is_credit) {
		if (inv.credited_invoice_no[0]) {
			rc = ledger_find_invoice(m->l, inv.credited_invoice_no,
			    0, &other, d);
			if (rc < 0)
				return -1;
			if (rc == 1 && !same_buyer(&other, &inv)) {
				warn_record(m, r, "credit note %s names "
				    "invoice %s, whose buyer is %s, not %s: "
				    "stored, not linked", inv.invoice_no,
				    other.invoice_no, other.buyer_id,
				    inv.buyer_id);
				return 0;
			}
			if (rc == 1 && link_credit(m, &other, &inv, source,
			    d) < 0)
				return -1;
			if (rc == 1 && other.open_amount < 0)
				credit_beyond(m, r, &inv, &other);
		}
	} else {
		while ((rc = ledger_find_unlinked_credit(m->l, inv.invoice_no,
		    &other, d)) == 1) {
			if (!same_buyer(&inv, &other))
				break;	/* left unlinked, said below */
			if (link_credit(m, &inv, &other, source, d) < 0)
				return -1;
		}
		if (rc < 0)
			return -1;
		/* payments that waited in suspense for this invoice */
		if (suspense_rematch(m->l, m->out, m->c, &inv, m->today, &w,
		    d) < 0)
			return -1;
		if (w.n > 0)
			waiting_for_routed(m, r, &inv, &w);
		if (rc == 1)
			warn_record(m, r, "credit note %s of buyer %s names "
			    "invoice %s, whose buyer is %s: the invoice is "
			    "stored, the credit note not linked",
			    other.invoice_no, other.buyer_id, inv.invoice_no,
			    inv.buyer_id);
		return shared_reference(m, r, &inv, d);
	}
	return 0;
}

/* A new invoice whose reference another open invoice carries too: said
 * now, since every payment with it will be set aside as ambiguous.  0,
 * -1 on error. */
static int
shared_reference(struct match *m, const struct recin *r,
    const struct ledger_invoice *inv, struct diag *d)
{
	struct ledger_invoice cand[2];
	int n, i;

	if (inv->match_key[0] == '\0')
		return 0;
	if ((n = ledger_find_by_key(m->l, inv->match_key, cand, 2, d)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cand[i].id != inv->id && cand[i].open_amount > 0) {
			warn_record(m, r, "invoice %s carries reference %s, "
			    "as does open invoice %s: a payment with it will "
			    "be set aside as ambiguous", inv->invoice_no,
			    inv->reference, cand[i].invoice_no);
			break;
		}
	return 0;
}

int
match_record(struct match *m, const struct recin *r, struct diag *d)
{
	const char *kind = r->fields[0];

	m->paired = 0;
	if (strcmp(kind, "pay") == 0)
		return do_pay(m, r, d);
	if (strcmp(kind, "inv") == 0)
		return do_inv(m, r, d);
	if (strcmp(kind, "txn") == 0)
		return do_txn(m, r, d);
	rec_copy(m->out, r->fields, r->nfields);
	return 0;
}

/* One withdrawal request not cleared, said as a warning. */
struct overdue {
	const struct match *m;
	day_t upto;
};

static void
overdue_request(void *arg, day_t day, int64_t amount, const char *source)
{
	struct overdue *o = arg;
	char amt[MONEY_BUFSZ], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	struct diag dd;

	diag_set(&dd, source, 0, 0, "loan withdrawal of %s requested on %s "
	    "has not arrived on the company's account in %d banking days "
	    "(its statements up to %s): no arrival cleared it",
	    money_format(amount, amt), date_format(day, d1), ARRIVAL_DAYS,
	    date_format(o->upto, d2));
	say(o->m, &dd);
}

int
match_finish(struct match *m, struct diag *d)
{
	struct overdue o = { m, m->company_day };
	size_t i;

	/* in the order read; each undoes the latest payment it fits */
	for (i = 0; i < m->nlater; i++)
		if (reverse_payment(m, &m->later[i].p, m->later[i].cid, 1,
		    d) < 0)
			return -1;
	if (m->virtual_iban == NULL || m->company_day == DAY_NONE)
		return 0;
	return oprows_open_requests(m->l, date_add_banking_days(
	    m->company_day, -ARRIVAL_DAYS), overdue_request, &o, d);
}

int
match_last_paired(const struct match *m)
{
	return m->paired;
}
