/*
 * read_ktl: KTL incoming reference payments ("saapuvat viitemaksut") to
 * `pay` and `batch` records (formats/ktl.md, formats/records.md).
 *
 * A file is batches: a batch record `0`, payment records `3` (reference
 * payment) and `5` (direct debit), and a sum record `9`.  Every record is
 * read by its field table through fixed_parse(); each batch's sum record
 * is checked against the records before it and a mismatch rejects the
 * file at the sum line.  Payments stream out as they are read; memory does
 * not depend on the file's size.
 */
#include <stdio.h>
#include <string.h>

#include "base/ident.h"
#include "base/money.h"
#include "read/fixed.h"
#include "read/reader.h"

#define KTL_RECLEN 90

static const struct fixed_field batch_fields[] = {
	{ "creation date", 1, 6, FX_DATE, NULL },
	{ "creation time", 7, 4, FX_TIME, NULL },
	{ "bank group", 11, 2, FX_AN, NULL },
	{ "service id", 13, 9, FX_AN, NULL },
	{ "currency code", 22, 1, FX_ONEOF, "1" },
};
enum { B_DATE, B_TIME, B_GROUP, B_SERVICE, B_CURRENCY };

static const struct fixed_field pay_fields[] = {
	{ "account", 1, 14, FX_N, NULL },
	{ "booking date", 15, 6, FX_DATE, NULL },
	{ "payment date", 21, 6, FX_DATE0, NULL },
	{ "archive id", 27, 16, FX_AN, NULL },
	{ "reference", 43, 20, FX_AN, NULL },
	{ "payer name", 63, 12, FX_AN, NULL },
	{ "currency code", 75, 1, FX_ONEOF, "1" },
	{ "name source", 76, 1, FX_AN, NULL },
	{ "amount", 77, 10, FX_N, NULL },
	{ "correction code", 87, 1, FX_ONEOF, "01" },
	{ "channel", 88, 1, FX_AN, NULL },
	{ "feedback code", 89, 1, FX_AN, NULL },
};
enum { P_ACCOUNT, P_BOOKING, P_PAYMENT, P_ARCHIVE, P_REF, P_NAME,
	P_CURRENCY, P_NAMESRC, P_AMOUNT, P_CORR, P_CHANNEL, P_FEEDBACK };

static const struct fixed_field sum_fields[] = {
	{ "payments count", 1, 6, FX_N, NULL },
	{ "payments total", 7, 11, FX_N, NULL },
	{ "corrections count", 18, 6, FX_N, NULL },
	{ "corrections total", 24, 11, FX_N, NULL },
	{ "failed direct debits count", 35, 6, FX_N, NULL },
	{ "failed direct debits total", 41, 11, FX_N, NULL },
};

#define LAYOUT(name, f) { name, f, sizeof f / sizeof f[0], KTL_RECLEN, \
	KTL_RECLEN, -1 }
static const struct fixed_layout batch_layout =
    LAYOUT("KTL batch record", batch_fields);
static const struct fixed_layout pay_layout =
    LAYOUT("KTL payment record", pay_fields);
static const struct fixed_layout sum_layout =
    LAYOUT("KTL sum record", sum_fields);

const struct fixed_layout *
ktl_layout(size_t i)
{
	static const struct fixed_layout *const all[] = { &batch_layout,
		&pay_layout, &sum_layout };

	return i < sizeof all / sizeof all[0] ? all[i] : NULL;
}

/* The three pairs of the sum record, in its order. */
enum { S_PAY, S_CORR, S_FAILED, S_N };
static const char *const sum_what[S_N] = {
	"payments", "corrections", "failed direct debits"
};

struct ktl {
	struct input *in;
	struct reader_ctx *ctx;
	struct recout *w;
	struct diag *d;
	const char *file;
	size_t file_len;
	long lineno;
	struct fixed_rec rec;
	struct fixed_text text;
	struct sbuf name, warnings;

	/* the open batch */
	int open;
	long batch_line;
	day_t created;
	char group[3], service[10];
	char account[15];	/* first account seen in the batch, "" none */
	char iban[IBAN_BUFSZ];	/* its IBAN, or the BBAN when not valid */
	int iban_bad;
	int accounts_warned;
	int64_t count[S_N], total[S_N];
	long nbatches;
	long no_archive, no_archive_line;	/* payments of the batch
						 * without an archive id */
};

static void
copy_trimmed(char *dst, size_t cap, const struct fixed_value *v)
{
	const char *s;
	size_t n = fixed_trimmed(v, &s);

	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
add_warning(struct sbuf *w, const char *code)
{
	if (w->len > 0)
		sbuf_addc(w, ',');
	sbuf_adds(w, code);
}

/* Normalise the reference into ref; flag and report a bad one.  A KTL
 * payment without a reference (all zeros) is flagged too. */
static void
check_reference(struct ktl *k, const struct fixed_value *v,
    char ref[REF_BUFSZ])
{
	const char *code;
	char msg[128];

	code = fixed_reference(v->s, v->n, ref, msg, sizeof msg);
	if (code == NULL && ref[0] == '\0') {
		code = "bad-reference";
		snprintf(msg, sizeof msg, "reference is missing (all zeros)");
	}
	if (code == NULL)
		return;
	add_warning(&k->warnings, code);
	reader_warn(k->ctx, k->file, k->lineno, pay_fields[P_REF].off + 1,
	    "%s", msg);
}

/* The batch's account (its first payment's); IBAN computed once. */
static void
note_account(struct ktl *k, const struct fixed_value *v)
{
	if (k->account[0] == '\0') {
		memcpy(k->account, v->s, 14);
		k->account[14] = '\0';
		k->iban_bad = iban_from_bban(v->s, 14, k->iban) < 0;
		if (k->iban_bad) {
			memcpy(k->iban, v->s, 14);
			k->iban[14] = '\0';
			reader_warn(k->ctx, k->file, k->lineno,
			    pay_fields[P_ACCOUNT].off + 1,
			    "account %s: BBAN check digit is wrong",
			    k->account);
		}
		return;
	}
	if (memcmp(k->account, v->s, 14) != 0 && !k->accounts_warned) {
		k->accounts_warned = 1;
		reader_warn(k->ctx, k->file, k->lineno,
		    pay_fields[P_ACCOUNT].off + 1,
		    "account %.14s differs from the batch's account %s",
		    v->s, k->account);
	}
}

static int
payment(struct ktl *k, int dd)
{
	const struct fixed_value *v = k->rec.v;
	char ref[REF_BUFSZ], acct_iban[IBAN_BUFSZ];
	const char *s;
	size_t n;
	int corr, failed, which, r;

	if (!k->open) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "payment record outside a batch (expected a batch record "
		    "'0' first)");
		return READ_REJECT;
	}
	sbuf_reset(&k->warnings);
	note_account(k, &v[P_ACCOUNT]);
	if (memcmp(k->account, v[P_ACCOUNT].s, 14) == 0) {
		memcpy(acct_iban, k->iban, sizeof acct_iban);
		if (k->iban_bad)
			add_warning(&k->warnings, "bad-iban");
	} else if (iban_from_bban(v[P_ACCOUNT].s, 14, acct_iban) < 0) {
		memcpy(acct_iban, v[P_ACCOUNT].s, 14);
		acct_iban[14] = '\0';
		add_warning(&k->warnings, "bad-iban");
	}
	check_reference(k, &v[P_REF], ref);
	r = fixed_text_decode(&k->text, v[P_NAME].s, v[P_NAME].n, &k->name);
	if (r < 0) {
		diag_set(k->d, k->file, k->lineno, pay_fields[P_NAME].off + 1,
		    "payer name: not valid UTF-8");
		return READ_REJECT;
	}
	if (r > 0)
		reader_warn(k->ctx, k->file, k->lineno,
		    pay_fields[P_NAME].off + 1, "%s", fixed_text_note(r));

	corr = v[P_CORR].s[0] == '1';
	failed = dd && v[P_FEEDBACK].s[0] != ' ' && v[P_FEEDBACK].s[0] != '0';
	which = corr ? S_CORR : failed ? S_FAILED : S_PAY;
	if (__builtin_add_overflow(k->total[which], v[P_AMOUNT].num,
	    &k->total[which])) {
		diag_set(k->d, k->file, k->lineno,
		    pay_fields[P_AMOUNT].off + 1,
		    "batch total of %s overflows", sum_what[which]);
		return READ_REJECT;
	}
	k->count[which]++;

	rec_begin(k->w, "pay");
	rec_str(k->w, acct_iban);
	n = fixed_trimmed(&v[P_ARCHIVE], &s);
	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	if (n == 0 && k->no_archive++ == 0)
		k->no_archive_line = k->lineno;
	rec_strn(k->w, s, n);
	rec_date(k->w, v[P_BOOKING].day);
	rec_date(k->w, v[P_PAYMENT].day);
	rec_str(k->w, ref);
	rec_strn(k->w, k->name.data, k->name.len);
	rec_cents(k->w, v[P_AMOUNT].num);
	rec_str(k->w, "EUR");
	rec_str(k->w, corr ? "1" : "0");
	n = fixed_trimmed(&v[P_CHANNEL], &s);
	rec_strn(k->w, s, n);
	rec_str(k->w, dd ? "dd" : "ref");
	if (dd) {
		n = fixed_trimmed(&v[P_FEEDBACK], &s);
		rec_strn(k->w, s, n);
	} else
		rec_str(k->w, "");
	rec_strn(k->w, k->warnings.data, k->warnings.len);
	rec_source_n(k->w, k->file, k->file_len, k->lineno);
	rec_end(k->w);
	return READ_OK;
}

static int
batch_end(struct ktl *k)
{
	const struct fixed_value *v = k->rec.v;
	int i;

	if (!k->open) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "sum record outside a batch (expected a batch record '0' "
		    "first)");
		return READ_REJECT;
	}
	for (i = 0; i < S_N; i++) {
		const struct fixed_value *c = &v[2 * i], *t = &v[2 * i + 1];
		char want[MONEY_BUFSZ], have[MONEY_BUFSZ];

		if (c->num == k->count[i] && t->num == k->total[i])
			continue;
		diag_set(k->d, k->file, k->lineno,
		    sum_fields[c->num != k->count[i] ? 2 * i : 2 * i + 1].off
		    + 1,
		    "sum record of the batch begun on line %ld says %lld %s "
		    "totalling %s, expected %lld totalling %s", k->batch_line,
		    (long long)c->num, sum_what[i], money_format(t->num, want),
		    (long long)k->count[i], money_format(k->total[i], have));
		return READ_REJECT;
	}
	rec_begin(k->w, "batch");
	rec_str(k->w, k->account[0] ? k->iban : "");
	rec_date(k->w, k->created);
	rec_str(k->w, k->group);
	rec_str(k->w, k->service);
	for (i = 0; i < S_N; i++) {
		rec_int(k->w, k->count[i]);
		rec_cents(k->w, k->total[i]);
	}
	rec_source(k->w, k->file, k->lineno);
	rec_end(k->w);
	/* the archive id is what tells a payment delivered again from a
	 * new one (formats/ledger.md): without it, a second copy of the
	 * file with other bytes would be booked again */
	if (k->no_archive > 0)
		reader_warn(k->ctx, k->file, k->no_archive_line,
		    pay_fields[P_ARCHIVE].off + 1, "%ld payment%s of the batch "
		    "begun on line %ld %s no archive id: a second delivery of "
		    "%s cannot be told from new payments", k->no_archive,
		    k->no_archive == 1 ? "" : "s", k->batch_line,
		    k->no_archive == 1 ? "has" : "have",
		    k->no_archive == 1 ? "it" : "them");
	k->no_archive = 0;
	k->open = 0;
	k->nbatches++;
	return READ_OK;
}

static int
record(struct ktl *k, const char *line, size_t len)
{
	char b[8];

	switch (line[0]) {
	case '0':
		if (k->open) {
			diag_set(k->d, k->file, k->lineno, 1,
			    "batch record, but the batch begun on line %ld has "
			    "no sum record '9'", k->batch_line);
			return READ_REJECT;
		}
		if (fixed_parse(&batch_layout, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		k->open = 1;
		k->batch_line = k->lineno;
		k->created = k->rec.v[B_DATE].day;
		copy_trimmed(k->group, sizeof k->group, &k->rec.v[B_GROUP]);
		copy_trimmed(k->service, sizeof k->service,
		    &k->rec.v[B_SERVICE]);
		k->account[0] = '\0';
		k->accounts_warned = 0;
		memset(k->count, 0, sizeof k->count);
		memset(k->total, 0, sizeof k->total);
		return READ_OK;
	case '3':
	case '5':
		if (fixed_parse(&pay_layout, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		return payment(k, line[0] == '5');
	case '9':
		if (fixed_parse(&sum_layout, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		return batch_end(k);
	default:
		if ((unsigned char)line[0] >= 0x20 &&
		    (unsigned char)line[0] < 0x7f)
			snprintf(b, sizeof b, "'%c'", line[0]);
		else
			snprintf(b, sizeof b, "0x%02x",
			    (unsigned char)line[0]);
		diag_set(k->d, k->file, k->lineno, 1,
		    "unknown KTL record type %s (expected 0, 3, 5 or 9)", b);
		return READ_REJECT;
	}
}

static int
record_line(void *arg, const char *line, size_t len)
{
	return record(arg, line, len);
}

int
read_ktl(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d)
{
	struct ktl k;
	int rc;

	memset(&k, 0, sizeof k);
	k.in = in;
	k.ctx = ctx;
	k.w = w;
	k.d = d;
	k.file = input_name(in);
	k.file_len = strlen(k.file);
	/* allocated up front: an empty field is "" and never NULL */
	sbuf_add(&k.name, "", 0);
	sbuf_add(&k.warnings, "", 0);
	if (fixed_text_init(&k.text, in, ctx->charset, d) < 0) {
		rc = READ_SYSERR;
		goto out;
	}
	fixed_rec_text(&k.rec, &k.text);
	rc = fixed_read_lines(in, record_line, &k, &k.lineno, d);
	if (rc != READ_OK)
		goto out;
	if (k.open) {
		diag_set(d, k.file, k.lineno, 1,
		    "file ends inside the batch begun on line %ld (no sum "
		    "record '9')", k.batch_line);
		rc = READ_REJECT;
		goto out;
	}
	if (k.nbatches == 0) {
		diag_set(d, k.file, k.lineno, 1, "no KTL batch in the file");
		rc = READ_REJECT;
		goto out;
	}
	rc = READ_OK;
out:
	fixed_text_free(&k.text);
	sbuf_free(&k.name);
	sbuf_free(&k.warnings);
	return rc;
}
