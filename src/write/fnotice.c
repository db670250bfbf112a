/*
 * fnotice: factoring notices and transfer lists from the ledger.  See
 * fnotice.h and formats/factoring.md.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/record.h"
#include "base/util.h"
#include "write/fnotice.h"

/* ---- the notice as TSV ------------------------------------------------ */

static void
tsv_row(void *arg, const struct fbatch *b, const struct fbatch_row *r)
{
	struct recout *w = arg;

	rec_begin(w, r->invoice_no);
	rec_str(w, r->customer_code);
	rec_str(w, r->recipient);
	rec_date(w, r->invoice_date);
	rec_date(w, r->due_date);
	rec_cents(w, r->amount);
	rec_str(w, r->reference);
	rec_end(w);
}

/* The filter of one batch. */
static void
batch_filter(const struct fbatch *b, struct fbatch_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->account = b->account;
	f->batch = b->batch;
	f->from = f->to = DAY_NONE;
}

long
fnotice_write_tsv(struct ledger *l, const struct fbatch *b, FILE *fp,
    struct diag *d)
{
	struct fbatch_filter f;
	struct recout w;

	rec_out_init(&w, fp);
	rec_begin(&w, b->financier);
	rec_str(&w, b->contract);
	rec_int(&w, b->batch);
	rec_date(&w, b->created);
	rec_int(&w, b->count);
	rec_cents(&w, b->total);
	rec_end(&w);
	batch_filter(b, &f);
	return fbatch_each(l, &f, tsv_row, &w, d);
}

/* ---- text columns ----------------------------------------------------- */

/* s, then blanks up to width characters (s is never cut; a control
 * character, which would break the lines, is written as a blank). */
static void
pad(FILE *fp, const char *s, size_t width)
{
	size_t n = utf8_count(s);
	const char *p;

	for (p = s; *p != '\0'; p++)
		putc((unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p, fp);
	while (n++ < width)
		putc(' ', fp);
}

/* An amount right-aligned in width characters. */
static void
amount(FILE *fp, int64_t cents, int width)
{
	char buf[32];

	fprintf(fp, "%*s", width, money_format(cents, buf));
}

static void
text_row(void *arg, const struct fbatch *b, const struct fbatch_row *r)
{
	FILE *fp = arg;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];

	pad(fp, r->invoice_no, 10);
	pad(fp, r->customer_code, 9);
	pad(fp, r->recipient, 30);
	pad(fp, r->invoice_date != DAY_NONE ?
	    date_format(r->invoice_date, d1) : "", 12);
	pad(fp, r->due_date != DAY_NONE ? date_format(r->due_date, d2) : "",
	    11);
	amount(fp, r->amount, 13);
	fputs("  ", fp);
	if (r->credited_invoice_no[0] != '\0')
		fprintf(fp, "credits %s", r->credited_invoice_no);
	else
		pad(fp, r->reference, 0);
	putc('\n', fp);
}

long
fnotice_write_text(struct ledger *l, const struct fbatch *b,
    const struct config *c, FILE *fp, struct diag *d)
{
	struct fbatch_filter f;
	char day[DATE_BUFSZ], buf[32];

	fprintf(fp, "FACTORING NOTICE\n\n");
	fprintf(fp, "Seller:      %s (%s)\n", c->company_name,
	    c->company_business_id);
	fprintf(fp, "Account:     %s\n", b->account);
	fprintf(fp, "Financier:   %s\n", b->financier);
	fprintf(fp, "Contract:    %s\n", b->contract);
	fprintf(fp, "Batch:       %lld\n", (long long)b->batch);
	fprintf(fp, "Date:        %s\n", date_format(b->created, day));
	fprintf(fp, "Invoices:    %ld\n", b->count);
	fprintf(fp, "Total:       %s EUR\n\n", money_format(b->total, buf));
	pad(fp, "Invoice", 10);
	pad(fp, "Customer", 9);
	pad(fp, "Recipient", 30);
	pad(fp, "Date", 12);
	pad(fp, "Due", 11);
	fprintf(fp, "%13s  %s\n", "Amount", "Reference");
	batch_filter(b, &f);
	return fbatch_each(l, &f, text_row, fp, d);
}

/* ---- the transfer list ------------------------------------------------ */

struct list {
	FILE *fp;
	int csv;
	int started;
	char account[FBATCH_NAME_BUFSZ];
	int64_t batch;
	long n, nbatches, total_n;	/* in the batch; batches; all */
	int64_t cents, total_cents;
};

/* A CSV field: quoted when it holds a semicolon, a quote or a line
 * break, quotes doubled. */
static void
csv_field(FILE *fp, const char *s, int last)
{
	const char *p;

	if (strpbrk(s, ";\"\r\n") == NULL)
		fputs(s, fp);
	else {
		putc('"', fp);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				putc('"', fp);
			putc(*p, fp);
		}
		putc('"', fp);
	}
	putc(last ? '\n' : ';', fp);
}

static const char *
plural(long n)
{
	return n == 1 ? "" : "s";
}

/* The line that closes the current batch. */
static void
batch_total(struct list *t)
{
	char buf[32], num[32];

	if (t->csv) {
		snprintf(num, sizeof(num), "%lld", (long long)t->batch);
		csv_field(t->fp, t->account, 0);
		csv_field(t->fp, num, 0);
		csv_field(t->fp, "", 0);
		csv_field(t->fp, "total", 0);
		csv_field(t->fp, "", 0);
		csv_field(t->fp, "", 0);
		csv_field(t->fp, money_format_comma(t->cents, buf), 1);
		return;
	}
	snprintf(buf, sizeof(buf), "total of batch %lld: %ld invoice%s",
	    (long long)t->batch, t->n, plural(t->n));
	pad(t->fp, buf, 79 - 13);
	amount(t->fp, t->cents, 13);
	fputs("\n\n", t->fp);
}

static void
batch_heading(struct list *t, const struct fbatch *b)
{
	char day[DATE_BUFSZ];

	if (t->csv)
		return;
	fprintf(t->fp, "batch %lld, account %s (%s, contract %s), sent %s\n",
	    (long long)b->batch, b->account, b->financier, b->contract,
	    date_format(b->created, day));
}

static void
list_row(void *arg, const struct fbatch *b, const struct fbatch_row *r)
{
	struct list *t = arg;
	char num[32], d1[DATE_BUFSZ], d2[DATE_BUFSZ], buf[32];
	const char *id = r->invoice_date != DAY_NONE ?
	    date_format(r->invoice_date, d1) : "";
	const char *dd = r->due_date != DAY_NONE ?
	    date_format(r->due_date, d2) : "";

	if (!t->started || t->batch != b->batch ||
	    strcmp(t->account, b->account) != 0) {
		if (t->started)
			batch_total(t);
		t->started = 1;
		snprintf(t->account, sizeof(t->account), "%s", b->account);
		t->batch = b->batch;
		t->n = 0;
		t->cents = 0;
		t->nbatches++;
		batch_heading(t, b);
	}
	t->n++;
	t->total_n++;
	t->cents += r->amount;
	t->total_cents += r->amount;
	snprintf(num, sizeof(num), "%lld", (long long)b->batch);
	if (t->csv) {
		csv_field(t->fp, b->account, 0);
		csv_field(t->fp, num, 0);
		csv_field(t->fp, r->invoice_no, 0);
		csv_field(t->fp, r->recipient, 0);
		csv_field(t->fp, id, 0);
		csv_field(t->fp, dd, 0);
		csv_field(t->fp, money_format_comma(r->amount, buf), 1);
		return;
	}
	pad(t->fp, num, 7);
	pad(t->fp, r->invoice_no, 10);
	pad(t->fp, r->recipient, 26);
	pad(t->fp, id, 12);
	pad(t->fp, dd, 11);
	amount(t->fp, r->amount, 13);
	putc('\n', t->fp);
}

long
fnotice_translist(struct ledger *l, const struct fbatch_filter *f, int csv,
    FILE *fp, struct diag *d)
{
	struct list t;
	char buf[64];
	long n;

	memset(&t, 0, sizeof(t));
	t.fp = fp;
	t.csv = csv;
	if (csv)
		fputs("account;batch;invoice;recipient;invoice_date;due_date;"
		    "amount\n", fp);
	else {
		pad(fp, "batch", 7);
		pad(fp, "invoice", 10);
		pad(fp, "recipient", 26);
		pad(fp, "date", 12);
		pad(fp, "due", 11);
		fprintf(fp, "%13s\n\n", "amount");
	}
	if ((n = fbatch_each(l, f, list_row, &t, d)) < 0)
		return -1;
	if (t.started)
		batch_total(&t);
	if (csv) {
		csv_field(fp, "", 0);
		csv_field(fp, "", 0);
		csv_field(fp, "", 0);
		csv_field(fp, "grand total", 0);
		csv_field(fp, "", 0);
		csv_field(fp, "", 0);
		csv_field(fp, money_format_comma(t.total_cents, buf), 1);
		return n;
	}
	snprintf(buf, sizeof(buf), "grand total: %ld invoice%s in %ld "
	    "batch%s", t.total_n, plural(t.total_n), t.nbatches,
	    t.nbatches == 1 ? "" : "es");
	pad(fp, buf, 79 - 13);
	amount(fp, t.total_cents, 13);
	putc('\n', fp);
	return n;
}

void
fnotice_file_name(const struct fbatch *b, const char *kind, const char *ext,
    struct sbuf *out)
{
	sbuf_addf(out, "%s-", kind);
	sbuf_add_name_part(out, b->account, 64);
	sbuf_addf(out, "-%06lld.%s", (long long)b->batch, ext);
}
