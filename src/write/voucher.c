/*
 * voucher: posting rules and voucher output.  See voucher.h and
 * formats/vouchers.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/money.h"
#include "base/recschema.h"
#include "base/util.h"
#include "write/voucher.h"

#define MAX_LINES 16		/* counter lines of one voucher */

struct line {
	const char *account;	/* points into the config */
	int64_t debit, credit;
	struct sbuf text;
	struct sbuf invoice_no;
	struct sbuf reference;
	struct sbuf outcome;
};

struct voucher_writer {
	const struct config *c;
	FILE *fp;
	enum voucher_format format;
	struct recout w;
	long next;		/* number of the next voucher */
	long written;
	char *source_name;	/* sources naming this file ... */
	char *source_path;	/* ... name this instead; or NULL */

	/* the voucher being converted (voucher records fed in) */
	char conv_no[32];
	int64_t conv_debit, conv_credit;
	struct sbuf conv_where;	/* "NAME:LINE" of its first line */

	/* the pending voucher: one payment's allocations */
	int pending;
	struct sbuf key;	/* source + TAB + archive id */
	struct sbuf source, archive_id, payer, bank_account_iban;
	const char *type;	/* MS or RA */
	const char *bank;	/* the balancing line's account, or NULL:
				 * the account of bank_account_iban */
	const char *bank_what;	/* its text's first word */
	const char *out_what;	/* the same for money out */
	int no_bank_line;	/* a fin voucher: its lines balance */
	const char *through;	/* the money passes this account on its
				 * way to the bank, or NULL */
	day_t date;
	int nlines;
	struct line lines[MAX_LINES];
};

/* One voucher line as every layout writes it (strings borrowed). */
struct vline {
	const char *number, *date, *type, *account, *text, *invoice_no;
	const char *archive_id, *reference, *outcome, *source;
	int64_t debit, credit;
};

static const char *const csv_header[] = {
	"number", "date", "type", "account", "debit", "credit", "text",
	"invoice_no", "archive_id", "reference", "outcome", "source"
};

/* Netvisor's accounting data import: its own field names (formats/
 * vouchers.md "Netvisor"). */
static const char *const netvisor_header[] = {
	"Tositelaji", "Tositenumero", "PVM", "Selite 1", "Selite 2",
	"Selite 3", "Tilinumero", "Summa ( + = Debet / - = Kredit)"
};

#define NETVISOR_TEXT_MAX 255	/* the Selite fields together */

struct voucher_writer *
voucher_new(const struct config *c, long first, enum voucher_format format,
    FILE *out)
{
	struct voucher_writer *v = xcalloc(1, sizeof *v);

	v->c = c;
	v->fp = out;
	v->format = format;
	v->next = first;
	rec_out_init(&v->w, out);
	switch (format) {
	case VOUCHERS_CSV:
		csv_begin(out, c->bom);
		csv_line(out, csv_header, sizeof csv_header /
		    sizeof csv_header[0]);
		break;
	case VOUCHERS_NETVISOR:
		csv_begin(out, c->bom);
		csv_line(out, netvisor_header, sizeof netvisor_header /
		    sizeof netvisor_header[0]);
		break;
	default:
		rec_header(&v->w);
	}
	return v;
}

void
voucher_set_source_path(struct voucher_writer *v, const char *name,
    const char *path)
{
	free(v->source_name);
	free(v->source_path);
	v->source_name = name != NULL && path != NULL ? xstrdup(name) : NULL;
	v->source_path = name != NULL && path != NULL ? xstrdup(path) : NULL;
}

void
voucher_free(struct voucher_writer *v)
{
	int i;

	if (v == NULL)
		return;
	sbuf_free(&v->key);
	sbuf_free(&v->source);
	sbuf_free(&v->archive_id);
	sbuf_free(&v->payer);
	sbuf_free(&v->bank_account_iban);
	for (i = 0; i < MAX_LINES; i++) {
		sbuf_free(&v->lines[i].text);
		sbuf_free(&v->lines[i].invoice_no);
		sbuf_free(&v->lines[i].reference);
		sbuf_free(&v->lines[i].outcome);
	}
	free(v->source_name);
	free(v->source_path);
	sbuf_free(&v->conv_where);
	free(v);
}

long
voucher_count(const struct voucher_writer *v)
{
	return v->written;
}

/* The Selite fields of Netvisor share NETVISOR_TEXT_MAX bytes: s cut to
 * what is left of *room, not inside a UTF-8 sequence. */
static void
netvisor_text(struct sbuf *b, const char *s, size_t *room)
{
	size_t n = strlen(s);

	if (n > *room) {
		n = *room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	sbuf_reset(b);
	sbuf_add(b, s, n);
	*room -= n;
}

/* A line in Netvisor's layout: one signed sum, debit positive, the date
 * as d.m.yyyy. */
static void
write_netvisor(FILE *fp, const struct vline *l)
{
	struct sbuf t1 = SBUF_INIT, t2 = SBUF_INIT, t3 = SBUF_INIT;
	char date[16], sum[MONEY_BUFSZ];
	const char *f[8];
	size_t room = NETVISOR_TEXT_MAX;
	day_t day;
	int y, m, dd;

	date[0] = '\0';
	if (date_parse_iso(l->date, strlen(l->date), &day) == 0) {
		date_to_ymd(day, &y, &m, &dd);
		snprintf(date, sizeof date, "%d.%d.%d", dd, m, y);
	}
	money_format_comma(l->debit - l->credit, sum);
	/* the archive id before the source: a long file name is what is
	 * cut, never the id the bank's statement is searched by */
	netvisor_text(&t1, l->text, &room);
	netvisor_text(&t3, l->archive_id, &room);
	netvisor_text(&t2, l->source, &room);
	f[0] = l->type;
	f[1] = l->number;
	f[2] = date;
	f[3] = t1.data ? t1.data : "";
	f[4] = t2.data ? t2.data : "";
	f[5] = t3.data ? t3.data : "";
	f[6] = l->account;
	f[7] = sum;
	csv_line(fp, f, 8);
	sbuf_free(&t1);
	sbuf_free(&t2);
	sbuf_free(&t3);
}

/* One voucher line in the writer's layout. */
static void
write_vline(struct voucher_writer *v, const struct vline *l)
{
	char deb[MONEY_BUFSZ], cre[MONEY_BUFSZ];
	const char *f[12];

	if (v->format == VOUCHERS_NETVISOR) {
		write_netvisor(v->fp, l);
		return;
	}
	deb[0] = cre[0] = '\0';
	if (l->debit)
		(v->format == VOUCHERS_CSV ? money_format_comma :
		    money_format)(l->debit, deb);
	if (l->credit)
		(v->format == VOUCHERS_CSV ? money_format_comma :
		    money_format)(l->credit, cre);
	f[0] = l->number;
	f[1] = l->date;
	f[2] = l->type;
	f[3] = l->account;
	f[4] = deb;
	f[5] = cre;
	f[6] = l->text;
	f[7] = l->invoice_no;
	f[8] = l->archive_id;
	f[9] = l->reference;
	f[10] = l->outcome;
	f[11] = l->source;
	if (v->format == VOUCHERS_CSV) {
		csv_line(v->fp, f, 12);
		return;
	}
	rec_begin(&v->w, "voucher");
	for (size_t i = 0; i < 12; i++)
		rec_str(&v->w, f[i]);
	rec_end(&v->w);
}

/* A line of the pending voucher; its source names the filed input when
 * the writer was told where that is. */
static void
write_line(struct voucher_writer *v, const char *account, int64_t debit,
    int64_t credit, const char *text, const char *invoice_no,
    const char *reference, const char *outcome)
{
	char num[32], date[DATE_BUFSZ];
	struct sbuf src = SBUF_INIT;
	struct vline l;
	const char *colon;

	snprintf(num, sizeof num, "%ld", v->next);
	date_format(v->date, date);
	colon = strrchr(v->source.data, ':');
	if (v->source_path != NULL && colon != NULL &&
	    (size_t)(colon - v->source.data) == strlen(v->source_name) &&
	    memcmp(v->source.data, v->source_name, (size_t)(colon -
	    v->source.data)) == 0)
		sbuf_addf(&src, "%s%s", v->source_path, colon);
	else
		sbuf_adds(&src, v->source.data);
	memset(&l, 0, sizeof l);
	l.number = num;
	l.date = date;
	l.type = v->type;
	l.account = account;
	l.debit = debit;
	l.credit = credit;
	l.text = text;
	l.invoice_no = invoice_no;
	l.archive_id = v->archive_id.data;
	l.reference = reference;
	l.outcome = outcome;
	l.source = src.data;
	write_vline(v, &l);
	sbuf_free(&src);
}

int
voucher_flush(struct voucher_writer *v, struct diag *d)
{
	int64_t debits = 0, credits = 0, net;
	struct sbuf text = SBUF_INIT;
	const char *bank;
	int i;

	if (!v->pending)
		return 0;
	v->pending = 0;
	for (i = 0; i < v->nlines; i++) {
		if (money_add(debits, v->lines[i].debit, &debits) < 0 ||
		    money_add(credits, v->lines[i].credit, &credits) < 0) {
			diag_set(d, v->source.data, 0, 0, "voucher amounts "
			    "overflow");
			return -1;
		}
	}
	net = credits - debits;
	bank = v->bank != NULL ? v->bank :
	    config_bank_account(v->c, v->bank_account_iban.data);
	sbuf_addf(&text, "%s %s", net >= 0 ? v->bank_what : v->out_what,
	    v->payer.data);
	if (net != 0 && !v->no_bank_line)
		write_line(v, bank, net > 0 ? net : 0, net < 0 ? -net : 0,
		    text.data, v->lines[0].invoice_no.data,
		    v->lines[0].reference.data, "");
	if (net != 0 && !v->no_bank_line && v->through != NULL) {
		/* in and out again: the account shows the passage */
		write_line(v, v->through, net < 0 ? -net : 0, net > 0 ? net : 0,
		    text.data, v->lines[0].invoice_no.data,
		    v->lines[0].reference.data, "");
		write_line(v, v->through, net > 0 ? net : 0, net < 0 ? -net : 0,
		    text.data, v->lines[0].invoice_no.data,
		    v->lines[0].reference.data, "");
	}
	for (i = 0; i < v->nlines; i++) {
		struct line *ln = &v->lines[i];

		write_line(v, ln->account, ln->debit, ln->credit,
		    ln->text.data, ln->invoice_no.data, ln->reference.data,
		    ln->outcome.data);
	}
	/* the bank line makes debits equal credits by construction (a fin
	 * voucher has none: its lines balance); check it anyway, a voucher
	 * that does not balance is never acceptable */
	if (v->no_bank_line ? net != 0 : (net > 0 ? debits + net : debits) !=
	    (net < 0 ? credits - net : credits)) {
		diag_set(d, v->source.data, 0, 0, "voucher %ld does not "
		    "balance", v->next);
		sbuf_free(&text);
		return -1;
	}
	sbuf_free(&text);
	v->next++;
	v->written++;
	v->nlines = 0;
	return 0;
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

static const char *
col(const struct recin *r, size_t i)
{
	return i + 1 < r->nfields ? r->fields[i] : "";
}

static void
set(struct sbuf *b, const char *s)
{
	sbuf_reset(b);
	sbuf_adds(b, s);
}

/* Which outcomes a service makes (the others refuse them). */
static int
service_posts(const struct config *c, enum alloc_outcome o)
{
	int svc = c->service == SERVICE_AMILI ||
	    c->service == SERVICE_KASSAVIRTA;
	int op = c->service == SERVICE_OP_LASKULAINA;

	switch (o) {
	case OUTCOME_SETTLEMENT:
	case OUTCOME_INTEREST:
		return svc;
	case OUTCOME_BYPASS:
		return svc || op || c->service == SERVICE_FACTORING;
	case OUTCOME_REPAYMENT:
	case OUTCOME_LOAN_INTEREST:
	case OUTCOME_REMAINDER:
		return op;
	default:
		return 1;
	}
}

/*
 * The ledger account an allocation with outcome o is posted to, and (when
 * what is not NULL) the words the voucher line starts with; NULL when the
 * outcome is not posted (service_posts()).  A reversal is posted to the
 * account of the outcome it undoes.
 */
static const char *
posted_account(const struct config *c, enum alloc_outcome o,
    const char **what)
{
	const struct conf_accounts *acc = &c->accounts;
	const char *account = NULL, *w = NULL;

	if (!service_posts(c, o))
		o = OUTCOME_NONE;
	switch (o) {
	case OUTCOME_SETTLEMENT:
		account = acc->receivables, w = "settlement, invoice";
		break;
	case OUTCOME_BYPASS:
		account = acc->receivables, w = c->service ==
		    SERVICE_OP_LASKULAINA ? "off-payment, invoice" :
		    "bypass payment, invoice";
		break;
	case OUTCOME_INTEREST:
		account = acc->interest_income, w = "interest settlement";
		break;
	case OUTCOME_REPAYMENT:
		account = acc->receivables, w = "loan repayment, invoice";
		break;
	case OUTCOME_LOAN_INTEREST:
		account = acc->receivables, w = "loan interest, invoice";
		break;
	case OUTCOME_REMAINDER:
		account = acc->receivables, w = "remainder, invoice";
		break;
	case OUTCOME_PAID:
	case OUTCOME_PARTIAL:
		account = acc->receivables, w = "invoice";
		break;
	case OUTCOME_OVER:
		account = acc->overpayments, w = "overpayment, invoice";
		break;
	case OUTCOME_UNKNOWN:
		account = acc->suspense, w = "suspense";
		break;
	default:
		break;
	}
	if (what != NULL)
		*what = w;
	return account;
}

/*
 * The voucher an allocation with outcome o (for a reversal: the outcome
 * it undoes) starts: its type, and the balancing line's account when it
 * is not the bank's and the word its text starts with.  OP Laskulaina's
 * events are financing (RA, spec/services.md section 4): the repayment
 * and the interest OP took are balanced on the loan and the interest
 * account, the remainder on the bank.
 */
static const char *
voucher_type(enum alloc_outcome o)
{
	return o == OUTCOME_REPAYMENT || o == OUTCOME_LOAN_INTEREST ||
	    o == OUTCOME_REMAINDER ? "RA" : "MS";
}

static void
voucher_kind(struct voucher_writer *v, enum alloc_outcome o)
{
	const struct conf_accounts *acc = &v->c->accounts;

	v->type = voucher_type(o);
	v->bank = NULL;
	v->bank_what = "payment";
	v->out_what = "correction";
	v->no_bank_line = 0;
	v->through = NULL;
	switch (o) {
	case OUTCOME_REPAYMENT:
		v->bank = acc->loan;
		v->bank_what = "loan repayment";
		break;
	case OUTCOME_LOAN_INTEREST:
		v->bank = acc->loan_interest;
		v->bank_what = "loan interest";
		break;
	case OUTCOME_REMAINDER:
		v->bank_what = "remainder";
		break;
	case OUTCOME_SETTLEMENT:
		/* kassavirta: the customer's payment passes the service
		 * receivables (seeds/000) */
		if (v->c->service == SERVICE_KASSAVIRTA)
			v->through = acc->service_receivables;
		break;
	default:
		break;
	}
}

/* What an alloc record posts: its checked columns and the counter line's
 * account. */
struct posting {
	enum alloc_outcome o;
	const char *outcome, *reverses, *amount_s;
	const char *account;	/* points into the config */
	const char *what;	/* the words the line's text starts with */
	int64_t amount;
	day_t date;
};

/* Check amount, date, account and sign of alloc record r with outcome
 * pt->o, filling *pt.  0 when it is to be posted, else quarantine's 1
 * with d filled. */
static int
posting_parse(const struct voucher_writer *v, const struct recin *r,
    struct posting *pt, struct diag *d)
{
	enum alloc_outcome o = pt->o;
	const char *date;
	size_t n;

	pt->amount_s = col(r, COL_ALLOC_AMOUNT);
	n = strlen(pt->amount_s);
	if (n < 4 || pt->amount_s[n - 3] != '.' ||
	    money_parse(pt->amount_s, n, &pt->amount) < 0)
		return quarantine(r, d, "amount '%s' is not an amount",
		    pt->amount_s);
	/* a later move of money already booked is posted on its own day */
	date = col(r, COL_ALLOC_POSTING_DATE);
	if (*date == '\0')
		date = col(r, COL_ALLOC_BOOKING_DATE);
	if (strlen(date) != 10 || date_parse_iso(date, 10, &pt->date) < 0)
		return quarantine(r, d, "%s '%s' is not a date",
		    *col(r, COL_ALLOC_POSTING_DATE) ? "posting_date" :
		    "booking_date", date);
	pt->reverses = col(r, COL_ALLOC_REVERSES);
	if (o == OUTCOME_REVERSED) {
		pt->account = posted_account(v->c,
		    outcome_parse(pt->reverses), NULL);
		if (pt->account == NULL)
			return quarantine(r, d, "reversed allocation names no "
			    "known outcome ('%s')", pt->reverses);
		pt->what = "reversal";
	} else if ((pt->account = posted_account(v->c, o,
	    &pt->what)) == NULL)
		return quarantine(r, d, "outcome '%s' is not posted by %s%s",
		    pt->outcome, v->c->service == SERVICE_NONE ?
		    "the plain service" : "[service] type = ",
		    v->c->service == SERVICE_NONE ? "" :
		    config_service_name(v->c->service));
	if ((pt->amount > 0) != (o != OUTCOME_REVERSED &&
	    !(o == OUTCOME_UNKNOWN && pt->amount < 0)) || pt->amount == 0)
		return quarantine(r, d, "amount %s has the wrong sign for %s",
		    pt->amount_s, pt->outcome);
	return 0;
}

/* Fill counter line ln of the pending voucher from alloc record r. */
static void
line_fill(struct line *ln, const struct posting *pt, const struct recin *r)
{
	const char *no = col(r, COL_ALLOC_INVOICE_NO);
	const char *reason = col(r, COL_ALLOC_REASON);

	ln->account = pt->account;
	ln->debit = pt->amount < 0 ? -pt->amount : 0;
	ln->credit = pt->amount > 0 ? pt->amount : 0;
	sbuf_reset(&ln->text);
	if (pt->o == OUTCOME_UNKNOWN) {
		const char *ref = col(r, COL_ALLOC_REFERENCE);

		sbuf_addf(&ln->text, "%s: %s%s%s", pt->what, reason,
		    *ref ? " reference " : "", ref);
	} else if (pt->o == OUTCOME_REVERSED && strcmp(reason,
	    ALLOC_REASON_FORWARDED) == 0)
		sbuf_addf(&ln->text, "off-payment forwarded by OP after all, "
		    "invoice %s", no);
	else if (pt->o == OUTCOME_REVERSED)
		sbuf_addf(&ln->text, "%s of %s%s%s", pt->what, pt->reverses,
		    *no ? ", invoice " : "", no);
	else if (pt->o == OUTCOME_INTEREST)
		sbuf_addf(&ln->text, "%s%s%s", pt->what, *reason ? " " : "",
		    reason);
	else
		sbuf_addf(&ln->text, "%s %s", pt->what, no);
	set(&ln->invoice_no, col(r, COL_ALLOC_INVOICE_NO));
	set(&ln->reference, col(r, COL_ALLOC_REFERENCE));
	set(&ln->outcome, pt->outcome);
}

/* Add the line of r to the pending voucher, first writing out the
 * pending one when r belongs to another payment or it is full.  0, or -1
 * with d filled. */
static int
voucher_add(struct voucher_writer *v, const struct recin *r,
    const struct posting *pt, struct diag *d)
{
	struct sbuf key = SBUF_INIT;
	enum alloc_outcome o = pt->o == OUTCOME_REVERSED ?
	    outcome_parse(pt->reverses) : pt->o;
	int rc = 0;

	/* One voucher per payment: its allocations come together; a
	 * payment that is partly a financing event (an OP remainder) and
	 * partly a plain payment (an off-payment) makes one of each type,
	 * an overpayment going with the part before it. */
	sbuf_addf(&key, "%s\t%s", rec_source_field(r),
	    col(r, COL_ALLOC_ARCHIVE_ID));
	if (v->pending && (strcmp(key.data, v->key.data) != 0 ||
	    v->nlines == MAX_LINES || (o != OUTCOME_OVER &&
	    strcmp(voucher_type(o), v->type) != 0))) {
		if (voucher_flush(v, d) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (!v->pending) {
		v->pending = 1;
		set(&v->key, key.data);
		set(&v->source, rec_source_field(r));
		set(&v->archive_id, col(r, COL_ALLOC_ARCHIVE_ID));
		set(&v->payer, col(r, COL_ALLOC_PAYER_NAME));
		set(&v->bank_account_iban, col(r, COL_ALLOC_ACCOUNT_IBAN));
		voucher_kind(v, o);
		/* an off-payment re-classified as remainder: the bank's
		 * money stays, it is booked again under the remainder */
		if (pt->o == OUTCOME_REVERSED && strcmp(col(r,
		    COL_ALLOC_REASON), ALLOC_REASON_FORWARDED) == 0)
			v->out_what = "re-classified";
		/* the virtual statement's debit rows are no corrections */
		if (config_virtual_iban(v->c) != NULL &&
		    strcmp(config_virtual_iban(v->c),
		    v->bank_account_iban.data) == 0)
			v->out_what = "paid out";
		v->date = pt->date;
		v->nlines = 0;
	}
	line_fill(&v->lines[v->nlines++], pt, r);
out:
	sbuf_free(&key);
	return rc;
}

/* ---- financing events (fin records) ---------------------------------- */

#define ACC(f) offsetof(struct conf_accounts, f)
#define ACC_BANK ((size_t)-1)	/* the account of the entry's IBAN */

/*
 * The voucher of each financing event (formats/financing.md): debit the
 * first account of each pair, credit the second, the event's amount
 * each; the debit lines come first.  Every pair balances, so every
 * voucher does.
 */
static const struct fin_rule {
	enum fin_event e;
	enum service_type service;
	const char *what;
	int npairs;
	struct { size_t debit, credit; } pairs[2];
} fin_rules[] = {
	{ FIN_LOAN_WITHDRAWAL, SERVICE_OP_LASKULAINA, "loan withdrawal "
	    "requested", 1, { { ACC(transit), ACC(loan_interim) } } },
	{ FIN_LOAN_ARRIVAL, SERVICE_OP_LASKULAINA, "loan withdrawal "
	    "received", 2, { { ACC(loan_interim), ACC(transit) },
	    { ACC_BANK, ACC(loan) } } },
	{ FIN_CREDIT_GRANTED, SERVICE_KASSAVIRTA, "credit granted", 1,
	    { { ACC_BANK, ACC(financing_liability) } } },
	{ FIN_FINANCING_COST, SERVICE_KASSAVIRTA, "financing costs", 1,
	    { { ACC(financing_expenses), ACC_BANK } } },
	{ FIN_CREDIT_ADJUSTMENT, SERVICE_KASSAVIRTA, "credit adjustment, "
	    "bypass payment", 1, { { ACC(financing_liability),
	    ACC(service_receivables) } } },
	{ FIN_ADJUSTMENT_NETTED, SERVICE_KASSAVIRTA, "credit adjustments "
	    "taken back", 1, { { ACC(service_receivables), ACC_BANK } } },
	{ FIN_ADJUSTMENT_REVERSED, SERVICE_KASSAVIRTA, "credit adjustment "
	    "undone, bypass payment corrected", 1,
	    { { ACC(service_receivables), ACC(financing_liability) } } },
	{ FIN_ADJUSTMENT_RETURNED, SERVICE_KASSAVIRTA, "credit adjustments "
	    "returned", 1, { { ACC_BANK, ACC(service_receivables) } } },
};

static const char *
fin_account(const struct voucher_writer *v, size_t off, const char *iban)
{
	if (off == ACC_BANK)
		return config_bank_account(v->c, iban);
	return (const char *)&v->c->accounts + off;
}

/* Line i of the pending voucher. */
static void
fin_line(struct voucher_writer *v, const char *account, int64_t debit,
    int64_t credit, const char *text, const struct recin *r,
    const char *event)
{
	struct line *ln = &v->lines[v->nlines++];

	ln->account = account;
	ln->debit = debit;
	ln->credit = credit;
	set(&ln->text, text);
	set(&ln->invoice_no, col(r, COL_FIN_INVOICE_NO));
	set(&ln->reference, col(r, COL_FIN_REFERENCE));
	set(&ln->outcome, event);
}

/* A fin record: its own voucher of type RA. */
static int
fin_feed(struct voucher_writer *v, const struct recin *r, struct diag *d)
{
	const char *event = col(r, COL_FIN_EVENT), *amount_s;
	const char *iban = col(r, COL_FIN_ACCOUNT_IBAN);
	enum fin_event e = fin_event_parse(event);
	const struct fin_rule *rule = NULL;
	struct sbuf text = SBUF_INIT;
	int64_t amount;
	day_t date;
	size_t i, n;

	if (r->nfields < COL_FIN_COUNT)
		return quarantine(r, d, "too few columns (%zu)", r->nfields);
	for (i = 0; i < sizeof fin_rules / sizeof fin_rules[0]; i++)
		if (fin_rules[i].e == e &&
		    fin_rules[i].service == v->c->service)
			rule = &fin_rules[i];
	if (rule == NULL)
		return quarantine(r, d, "financing event '%s' is not posted "
		    "by [service] type = %s", event,
		    config_service_name(v->c->service));
	amount_s = col(r, COL_FIN_AMOUNT);
	n = strlen(amount_s);
	if (n < 4 || amount_s[n - 3] != '.' ||
	    money_parse(amount_s, n, &amount) < 0 || amount <= 0)
		return quarantine(r, d, "amount '%s' is not a positive amount",
		    amount_s);
	if (strlen(col(r, COL_FIN_DATE)) != 10 ||
	    date_parse_iso(col(r, COL_FIN_DATE), 10, &date) < 0)
		return quarantine(r, d, "date '%s' is not a date",
		    col(r, COL_FIN_DATE));
	/* the events of one statement entry (a payout: the credits it
	 * grants, its costs) are one voucher */
	sbuf_addf(&text, "fin\t%s\t%s", rec_source_field(r),
	    col(r, COL_FIN_ARCHIVE_ID));
	if (v->pending && (strcmp(text.data, v->key.data) != 0 ||
	    v->nlines + 2 * rule->npairs > MAX_LINES) &&
	    voucher_flush(v, d) < 0) {
		sbuf_free(&text);
		return -1;
	}
	if (!v->pending) {
		v->pending = 1;
		set(&v->key, text.data);
		set(&v->source, rec_source_field(r));
		set(&v->archive_id, col(r, COL_FIN_ARCHIVE_ID));
		set(&v->payer, "");
		set(&v->bank_account_iban, iban);
		voucher_kind(v, OUTCOME_NONE);
		v->type = "RA";
		v->no_bank_line = 1;
		v->date = date;
		v->nlines = 0;
	}
	sbuf_reset(&text);
	sbuf_addf(&text, "%s%s%s", rule->what, *col(r, COL_FIN_TEXT) ?
	    ": " : "", col(r, COL_FIN_TEXT));
	if (*col(r, COL_FIN_INVOICE_NO))
		sbuf_addf(&text, ", invoice %s", col(r, COL_FIN_INVOICE_NO));
	for (i = 0; i < (size_t)rule->npairs; i++)
		fin_line(v, fin_account(v, rule->pairs[i].debit, iban), amount,
		    0, text.data, r, event);
	for (i = 0; i < (size_t)rule->npairs; i++)
		fin_line(v, fin_account(v, rule->pairs[i].credit, iban), 0,
		    amount, text.data, r, event);
	sbuf_free(&text);
	return 0;
}

/* An amount column of a voucher record: empty is zero.  0 or -1. */
static int
voucher_amount(const char *s, int64_t *cents)
{
	size_t n = strlen(s);

	*cents = 0;
	if (n == 0)
		return 0;
	if (n < 4 || s[n - 3] != '.' || s[0] == '-' ||
	    money_parse(s, n, cents) < 0)
		return -1;
	return 0;
}

/* The converted voucher that ended: 1 with d when it does not balance
 * (it is written as it was: the file is what the accountant had), else
 * 0.  The next one starts empty. */
static int
conv_check(struct voucher_writer *v, struct diag *d)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	int bad = v->conv_no[0] != '\0' && v->conv_debit != v->conv_credit;

	if (bad)
		diag_set(d, v->conv_where.data, 0, 0, "voucher %s does not "
		    "balance: debits %s, credits %s; converted as it was",
		    v->conv_no, money_format(v->conv_debit, a),
		    money_format(v->conv_credit, b));
	v->conv_no[0] = '\0';
	v->conv_debit = v->conv_credit = 0;
	return bad;
}

int
voucher_convert_done(struct voucher_writer *v, struct diag *d)
{
	return conv_check(v, d);
}

/* A finished voucher line (a voucher record) in the writer's layout,
 * numbers and sources as they are; each voucher's lines are checked to
 * balance.  0, 1 quarantined (or the voucher before it did not
 * balance), -1. */
static int
convert_voucher(struct voucher_writer *v, const struct recin *r,
    struct diag *d)
{
	struct vline l;
	day_t day;
	int unbalanced = 0;

	if (r->nfields < COL_VOUCHER_COUNT)
		return quarantine(r, d, "too few columns (%zu) for a voucher "
		    "record", r->nfields);
	if (voucher_flush(v, d) < 0)
		return -1;
	memset(&l, 0, sizeof l);
	l.number = col(r, COL_VOUCHER_NUMBER);
	l.date = col(r, COL_VOUCHER_DATE);
	l.type = col(r, COL_VOUCHER_TYPE);
	l.account = col(r, COL_VOUCHER_ACCOUNT);
	l.text = col(r, COL_VOUCHER_TEXT);
	l.invoice_no = col(r, COL_VOUCHER_INVOICE_NO);
	l.archive_id = col(r, COL_VOUCHER_ARCHIVE_ID);
	l.reference = col(r, COL_VOUCHER_REFERENCE);
	l.outcome = col(r, COL_VOUCHER_OUTCOME);
	l.source = rec_source_field(r);
	if (strlen(l.date) != 10 || date_parse_iso(l.date, 10, &day) < 0)
		return quarantine(r, d, "date '%s' is not a date", l.date);
	if (voucher_amount(col(r, COL_VOUCHER_DEBIT), &l.debit) < 0 ||
	    voucher_amount(col(r, COL_VOUCHER_CREDIT), &l.credit) < 0)
		return quarantine(r, d, "debit '%s' or credit '%s' is not an "
		    "amount", col(r, COL_VOUCHER_DEBIT),
		    col(r, COL_VOUCHER_CREDIT));
	if (strcmp(l.number, v->conv_no) != 0) {
		unbalanced = conv_check(v, d);
		snprintf(v->conv_no, sizeof v->conv_no, "%s", l.number);
		sbuf_reset(&v->conv_where);
		sbuf_addf(&v->conv_where, "%s:%ld", r->name, r->line);
	}
	v->conv_debit += l.debit;
	v->conv_credit += l.credit;
	if (v->format == VOUCHERS_TSV)
		rec_copy(&v->w, r->fields, r->nfields);
	else
		write_vline(v, &l);
	return unbalanced;
}

int
voucher_feed(struct voucher_writer *v, const struct recin *r,
    struct diag *d)
{
	struct posting pt;
	int rc;

	if (strcmp(r->fields[0], "fin") == 0)
		return fin_feed(v, r, d);
	if (strcmp(r->fields[0], "voucher") == 0)
		return convert_voucher(v, r, d);
	if (strcmp(r->fields[0], "alloc") != 0)
		return 0;
	/* posting_date and suggestion came later: a stream without them
	 * is posted on its booking dates */
	if (r->nfields < COL_ALLOC_POSTING_DATE + 1)
		return quarantine(r, d, "too few columns (%zu)", r->nfields);
	memset(&pt, 0, sizeof pt);
	pt.outcome = col(r, COL_ALLOC_OUTCOME);
	pt.o = outcome_parse(pt.outcome);
	if (pt.o == OUTCOME_DUPLICATE || pt.o == OUTCOME_CREDIT)
		return 0;	/* no money moved */
	if ((rc = posting_parse(v, r, &pt, d)) != 0)
		return rc;
	return voucher_add(v, r, &pt, d);
}
