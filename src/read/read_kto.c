/*
 * read_kto: KTO machine-readable bank statements ("konekielinen tiliote",
 * TITO) to `stmt`, `txn` and `bal` records (formats/kto.md,
 * formats/records.md).
 *
 * Every record is "T", a 2-digit type and a 3-digit length, and is read by
 * its field table through fixed_parse(), which checks the length field.
 * A transaction (T10, or T80 for a notification) is held until its T11
 * additional-information records have been read, then written as one
 * `txn`.  Each statement (T00 to the next T00) is checked as it goes:
 * opening balance + the booked (level-0 T10) entries = each day's T40
 * closing balance, and the day's T50/T51 counts and sums agree.  Memory
 * holds one statement's running totals and one pending transaction.
 */
#include <stdio.h>
#include <string.h>

#include "base/ident.h"
#include "base/money.h"
#include "read/fixed.h"
#include "read/reader.h"

/* --- record layouts (0-based offsets; formats/kto.md has 1-based) --- */

static const struct fixed_field t00_fields[] = {
	{ "version", 6, 3, FX_AN, NULL },
	{ "account", 9, 14, FX_AN, NULL },
	{ "statement number", 23, 3, FX_N, NULL },
	{ "period start", 26, 6, FX_DATE, NULL },
	{ "period end", 32, 6, FX_DATE, NULL },
	{ "creation date", 38, 6, FX_DATE, NULL },
	{ "creation time", 44, 4, FX_TIME, NULL },
	{ "customer id", 48, 17, FX_AN, NULL },
	{ "opening balance date", 65, 6, FX_DATE0, NULL },
	{ "opening balance", 71, 19, FX_AMOUNT, NULL },
	{ "record count", 90, 6, FX_N, NULL },
	{ "currency", 96, 3, FX_AN, NULL },
	{ "account name", 99, 30, FX_AN, NULL },
	{ "credit limit", 129, 18, FX_N, NULL },
	{ "owner name", 147, 35, FX_AN, NULL },
	{ "contact 1", 182, 40, FX_AN, NULL },
	{ "contact 2", 222, 40, FX_AN, NULL },
	{ "bank info", 262, 30, FX_AN, NULL },
	{ "IBAN", 292, 18, FX_AN, NULL },
	{ "BIC", 311, 11, FX_AN, NULL },
};
enum { H_VERSION, H_ACCOUNT, H_NUMBER, H_FROM, H_TO, H_CDATE, H_CTIME,
	H_CUSTOMER, H_OPENDATE, H_OPENING, H_COUNT, H_CURRENCY, H_NAME,
	H_LIMIT, H_OWNER, H_CONTACT1, H_CONTACT2, H_BANKINFO, H_IBAN, H_BIC };

static const struct fixed_field t10_fields[] = {
	{ "entry number", 6, 6, FX_N, NULL },
	{ "archive id", 12, 18, FX_AN, NULL },
	{ "booking date", 30, 6, FX_DATE, NULL },
	{ "value date", 36, 6, FX_DATE0, NULL },
	{ "payment date", 42, 6, FX_DATE0, NULL },
	{ "entry type", 48, 1, FX_ONEOF, "12349" },
	{ "booking code", 49, 3, FX_AN, NULL },
	{ "booking text", 52, 35, FX_AN, NULL },
	{ "amount", 87, 19, FX_AMOUNT, NULL },
	{ "receipt code", 106, 1, FX_AN, NULL },
	{ "channel", 107, 1, FX_AN, NULL },
	{ "counterparty name", 108, 35, FX_AN, NULL },
	{ "name source", 143, 1, FX_AN, NULL },
	{ "counterparty account", 144, 14, FX_AN, NULL },
	{ "account changed", 158, 1, FX_AN, NULL },
	{ "reference", 159, 20, FX_AN, NULL },
	{ "form number", 179, 8, FX_AN, NULL },
	{ "level", 187, 1, FX_ONEOF, " 0123456789" },
};
enum { E_NUMBER, E_ARCHIVE, E_BOOKING, E_VALUE, E_PAYMENT, E_TYPE, E_CODE,
	E_TEXT, E_AMOUNT, E_RECEIPT, E_CHANNEL, E_NAME, E_NAMESRC, E_ACCOUNT,
	E_ACCTCHG, E_REF, E_FORM, E_LEVEL };

static const struct fixed_field t40_fields[] = {
	{ "balance date", 6, 6, FX_DATE, NULL },
	{ "booked balance", 12, 19, FX_AMOUNT, NULL },
	{ "available balance", 31, 19, FX_AMOUNT0, NULL },
};
enum { L_DATE, L_BOOKED, L_AVAILABLE };

static const struct fixed_field t50_fields[] = {
	{ "period", 6, 1, FX_ONEOF, "1234" },
	{ "period date", 7, 6, FX_DATE, NULL },
	{ "credits count", 13, 8, FX_N, NULL },
	{ "credits total", 21, 19, FX_AMOUNT, NULL },
	{ "debits count", 40, 8, FX_N, NULL },
	{ "debits total", 48, 19, FX_AMOUNT, NULL },
};
enum { C_PERIOD, C_DATE, C_CCOUNT, C_CSUM, C_DCOUNT, C_DSUM };

/* T11 subtypes.  Each payload field lands in one txn column (X_*). */
enum {
	X_ITEMS, X_INV_CUSTOMER, X_INV_NO, X_INV_DATE, X_CARD_NO,
	X_CARD_ARCHIVE, X_CORRECTED, X_ORIG_AMOUNT, X_ORIG_CURRENCY,
	X_RATE, X_ORIGINATOR, X_BANK_INFO, X_REASON_CODE, X_REASON_TEXT,
	X_NAME_DETAIL, X_SEPA_REF, X_SEPA_CREDITOR, X_SEPA_DEBTOR, X_SEPA_ID,
	X_SEPA_ARCHIVE, X_N,
	/* not columns of their own */
	X_MESSAGE = 100, X_SEPA_IBAN, X_SEPA_BIC, X_NONE
};

/* How a payload field becomes text. */
enum xconv {
	XC_RAW,		/* identifier: byte-exact, trimmed */
	XC_TEXT,	/* decoded from the file's character set */
	XC_BLOCKS,	/* 35-character lines, decoded, joined with \n */
	XC_COUNT,	/* digits without leading zeros */
	XC_DATE,	/* YYMMDD to YYYY-MM-DD */
	XC_AMOUNT,	/* signed cents to 12.34 */
	XC_RATE		/* 4 + 7 digits to 1.1898000 */
};

struct t11_type {
	const char *code;
	const char *name;
	struct fixed_layout lay;
	const int *cols;	/* column of each field */
	const enum xconv *conv;
	int multi;		/* repeats join with \n; else first kept */
};

#define F(n, o, l, t) { n, o, l, t, NULL }
static const struct fixed_field x00[] = { F("message", 8, 420, FX_AN) };
static const struct fixed_field x01[] = { F("item count", 8, 8, FX_N) };
static const struct fixed_field x02[] = {
	F("customer number", 8, 10, FX_AN), F("invoice number", 19, 15, FX_AN),
	F("invoice date", 35, 6, FX_DATE0) };
static const struct fixed_field x03[] = {
	F("card number", 8, 19, FX_AN), F("merchant archive id", 28, 14, FX_AN) };
static const struct fixed_field x04[] = {
	F("corrected archive id", 8, 18, FX_AN) };
static const struct fixed_field x05[] = {
	F("currency amount", 8, 19, FX_AMOUNT), F("currency", 28, 3, FX_AN),
	F("exchange rate", 32, 11, FX_N), F("rate reference", 43, 6, FX_AN) };
static const struct fixed_field x06[] = {
	F("originator info", 8, 35, FX_AN), F("originator info 2", 43, 35, FX_AN) };
static const struct fixed_field x07[] = { F("bank info", 8, 420, FX_AN) };
static const struct fixed_field x08[] = {
	F("reason code", 8, 3, FX_AN), F("reason text", 12, 31, FX_AN) };
static const struct fixed_field x09[] = { F("name detail", 8, 35, FX_AN) };
static const struct fixed_field x11[] = {
	F("payer reference", 8, 35, FX_AN), F("IBAN", 43, 35, FX_AN),
	F("BIC", 78, 35, FX_AN), F("creditor name", 113, 70, FX_AN),
	F("debtor name", 183, 70, FX_AN), F("identifier", 253, 35, FX_AN),
	F("archive id", 288, 35, FX_AN) };
#undef F

static const int c00[] = { X_MESSAGE };
static const int c01[] = { X_ITEMS };
static const int c02[] = { X_INV_CUSTOMER, X_INV_NO, X_INV_DATE };
static const int c03[] = { X_CARD_NO, X_CARD_ARCHIVE };
static const int c04[] = { X_CORRECTED };
static const int c05[] = { X_ORIG_AMOUNT, X_ORIG_CURRENCY, X_RATE, X_NONE };
static const int c06[] = { X_ORIGINATOR, X_ORIGINATOR };
static const int c07[] = { X_BANK_INFO };
static const int c08[] = { X_REASON_CODE, X_REASON_TEXT };
static const int c09[] = { X_NAME_DETAIL };
static const int c11[] = { X_SEPA_REF, X_SEPA_IBAN, X_SEPA_BIC,
	X_SEPA_CREDITOR, X_SEPA_DEBTOR, X_SEPA_ID, X_SEPA_ARCHIVE };

static const enum xconv v00[] = { XC_BLOCKS };
static const enum xconv v01[] = { XC_COUNT };
static const enum xconv v02[] = { XC_RAW, XC_RAW, XC_DATE };
static const enum xconv v03[] = { XC_RAW, XC_RAW };
static const enum xconv v04[] = { XC_RAW };
static const enum xconv v05[] = { XC_AMOUNT, XC_RAW, XC_RATE, XC_RAW };
static const enum xconv v06[] = { XC_TEXT, XC_TEXT };
static const enum xconv v07[] = { XC_BLOCKS };
static const enum xconv v08[] = { XC_RAW, XC_TEXT };
static const enum xconv v09[] = { XC_TEXT };
static const enum xconv v11[] = { XC_RAW, XC_RAW, XC_RAW, XC_TEXT, XC_TEXT,
	XC_RAW, XC_RAW };

#define T11(code, name, f, min, c, v, multi) { code, name, { "T11 " code, \
	f, sizeof f / sizeof f[0], min, 428, 3 }, c, v, multi }
static const struct t11_type t11_types[] = {
	T11("00", "message", x00, 9, c00, v00, 1),
	T11("01", "item count", x01, 16, c01, v01, 0),
	T11("02", "invoice", x02, 41, c02, v02, 0),
	T11("03", "card", x03, 42, c03, v03, 0),
	T11("04", "correction", x04, 26, c04, v04, 0),
	T11("05", "currency", x05, 43, c05, v05, 0),
	T11("06", "originator", x06, 43, c06, v06, 1),
	T11("07", "bank info", x07, 9, c07, v07, 1),
	T11("08", "payment reason", x08, 12, c08, v08, 0),
	T11("09", "name detail", x09, 9, c09, v09, 1),
	T11("11", "SEPA credit transfer", x11, 43, c11, v11, 0),
};
#undef T11
#define NT11 (sizeof t11_types / sizeof t11_types[0])

#define LAYOUT(name, f, len) { name, f, sizeof f / sizeof f[0], len, len, 3 }
static const struct fixed_layout t00_layout = LAYOUT("T00", t00_fields, 322);
static const struct fixed_layout t10_layout = LAYOUT("T10", t10_fields, 188);
static const struct fixed_layout t80_layout = LAYOUT("T80", t10_fields, 188);
static const struct fixed_layout t40_layout = LAYOUT("T40", t40_fields, 50);
static const struct fixed_layout t50_layout = LAYOUT("T50", t50_fields, 67);
static const struct fixed_layout t51_layout = LAYOUT("T51", t50_fields, 67);
#undef LAYOUT
/* Records read only for their length (T11 subtype unknown, T60, T70,
 * unknown types). */
static const struct fixed_layout t11_any = { "T11", NULL, 0, 8, 428, 3 };
static const struct fixed_layout any_layout = { "record", NULL, 0, 6, 999,
	3 };

const struct fixed_layout *
kto_layout(size_t i)
{
	static const struct fixed_layout *const fixed[] = { &t00_layout,
		&t10_layout, &t80_layout, &t40_layout, &t50_layout,
		&t51_layout, &t11_any, &any_layout };
	size_t nfixed = sizeof fixed / sizeof fixed[0];

	if (i < nfixed)
		return fixed[i];
	return i - nfixed < NT11 ? &t11_types[i - nfixed].lay : NULL;
}

/* Day totals split by sign, as T50/T51 give them. */
struct split {
	int64_t ccount, csum, dcount, dsum;
};

struct kto {
	struct reader_ctx *ctx;
	struct recout *w;
	struct diag *d;
	const char *file;
	long lineno;
	struct fixed_rec rec;	/* the record being read */
	struct fixed_rec ent;	/* the pending T10/T80 */
	struct fixed_text text;
	struct sbuf tmp;

	/* statement */
	int open;
	long stmt_line;
	long declared_records, records;
	char iban[IBAN_BUFSZ];
	int64_t opening, balance;
	long unbalanced, first_unbalanced;
	long nbalances;		/* T40 records of the statement */
	int day_closed;
	struct split day, corr;
	long nstatements;

	/* pending transaction */
	int have_ent;
	long ent_line;
	int ent_t80;
	unsigned seen;		/* T11 types met (bit = index in t11_types) */
	struct sbuf col[X_N];
	struct sbuf message, sepa_iban, sepa_bic, warnings;
};

static int
mixed_warn(struct kto *k, int r, long col)
{
	if (r < 0) {
		diag_set(k->d, k->file, k->lineno, col,
		    "text is not valid UTF-8");
		return -1;
	}
	if (r > 0)
		reader_warn(k->ctx, k->file, k->lineno, col, "%s",
		    fixed_text_note(r));
	return 0;
}

/* Decode text field v of the current record into out. */
static int
text(struct kto *k, const struct fixed_value *v, long col, struct sbuf *out)
{
	return mixed_warn(k, fixed_text_decode(&k->text, v->s, v->n, out),
	    col);
}

static void
add_warning(struct sbuf *w, const char *code)
{
	if (w->len > 0)
		sbuf_addc(w, ',');
	sbuf_adds(w, code);
}

static void
raw_trimmed(const struct fixed_value *v, struct sbuf *out)
{
	const char *s;
	size_t n = fixed_trimmed(v, &s);

	sbuf_set_trimmed(out, s, n);
}

/* --- transactions --- */

static void
ent_reset(struct kto *k)
{
	int i;

	for (i = 0; i < X_N; i++)
		sbuf_reset(&k->col[i]);
	sbuf_reset(&k->message);
	sbuf_reset(&k->sepa_iban);
	sbuf_reset(&k->sepa_bic);
	sbuf_reset(&k->warnings);
	k->have_ent = 0;
	k->seen = 0;
}

/* Write the pending transaction as a txn record. */
static int
ent_flush(struct kto *k)
{
	const struct fixed_value *v = k->ent.v;
	char ref[REF_BUFSZ], iban[IBAN_BUFSZ], msg[128];
	const char *code, *s;
	size_t n;
	long line = k->lineno;
	int i;

	if (!k->have_ent)
		return 0;
	k->lineno = k->ent_line;	/* messages name the T10 */
	rec_begin(k->w, "txn");
	rec_str(k->w, k->iban);
	raw_trimmed(&v[E_ARCHIVE], &k->tmp);
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	rec_date(k->w, v[E_BOOKING].day);
	rec_date(k->w, v[E_VALUE].day);
	rec_strn(k->w, v[E_TYPE].s, 1);
	raw_trimmed(&v[E_CODE], &k->tmp);
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	if (text(k, &v[E_TEXT], t10_fields[E_TEXT].off + 1, &k->tmp) < 0)
		goto fail;
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	rec_cents(k->w, v[E_AMOUNT].num);
	if (text(k, &v[E_NAME], t10_fields[E_NAME].off + 1, &k->tmp) < 0)
		goto fail;
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	/* counterparty account: the SEPA IBAN, else the BBAN as an IBAN */
	if (k->sepa_iban.len > 0)
		rec_strn(k->w, k->sepa_iban.data, k->sepa_iban.len);
	else {
		n = fixed_trimmed(&v[E_ACCOUNT], &s);
		if (n == 14 && iban_from_bban(s, n, iban) == 0)
			rec_str(k->w, iban);
		else {
			raw_trimmed(&v[E_ACCOUNT], &k->tmp);
			rec_strn(k->w, k->tmp.data, k->tmp.len);
		}
	}
	/* reference: the T10's, else an RF from T11 11 */
	code = fixed_reference(v[E_REF].s, v[E_REF].n, ref, msg, sizeof msg);
	if (code == NULL && ref[0] == '\0' && k->col[X_SEPA_REF].len >= 2 &&
	    memcmp(k->col[X_SEPA_REF].data, "RF", 2) == 0)
		code = fixed_reference(k->col[X_SEPA_REF].data,
		    k->col[X_SEPA_REF].len, ref, msg, sizeof msg);
	if (code != NULL) {
		add_warning(&k->warnings, code);
		reader_warn(k->ctx, k->file, k->ent_line,
		    t10_fields[E_REF].off + 1, "%s", msg);
	}
	rec_str(k->w, ref);
	rec_strn(k->w, k->message.data, k->message.len);
	rec_date(k->w, v[E_PAYMENT].day);
	rec_strn(k->w, v[E_LEVEL].s[0] == ' ' ? "0" : v[E_LEVEL].s, 1);
	rec_strn(k->w, k->sepa_bic.data, k->sepa_bic.len);
	/* a notification (T80) is told, not booked: marked so that no
	 * later stage takes it for an entry of the statement */
	if (k->ent_t80)
		add_warning(&k->warnings, "notification");
	rec_strn(k->w, k->warnings.data, k->warnings.len);
	for (i = 0; i < X_N; i++)
		rec_strn(k->w, k->col[i].data, k->col[i].len);
	rec_source(k->w, k->file, k->ent_line);
	rec_end(k->w);
	k->lineno = line;
	ent_reset(k);
	return 0;
fail:
	k->lineno = line;
	return -1;
}

/* Turn T11 field v into text by conv and append it to column out. */
static int
t11_value(struct kto *k, const struct fixed_field *f,
    const struct fixed_value *v, enum xconv conv, struct sbuf *out)
{
	char buf[MONEY_BUFSZ > DATE_BUFSZ ? MONEY_BUFSZ : DATE_BUFSZ];
	const char *s;
	size_t n, i, m;

	sbuf_reset(&k->tmp);
	switch (conv) {
	case XC_RAW:
		raw_trimmed(v, &k->tmp);
		break;
	case XC_TEXT:
		if (text(k, v, f->off + 1, &k->tmp) < 0)
			return -1;
		break;
	case XC_BLOCKS:
		/* 35-character lines; blank lines at the end dropped */
		n = fixed_trimmed(v, &s);
		for (i = 0; i < n; i += m) {
			struct sbuf line = SBUF_INIT;
			int r;

			m = fixed_text_span(&k->text, s + i, n - i, 35);

			r = fixed_text_decode(&k->text, s + i, m, &line);
			if (mixed_warn(k, r, (long)(f->off + i) + 1) < 0) {
				sbuf_free(&line);
				return -1;
			}
			if (i > 0)
				sbuf_addc(&k->tmp, '\n');
			sbuf_add(&k->tmp, line.data, line.len);
			sbuf_free(&line);
		}
		break;
	case XC_COUNT:
		sbuf_addf(&k->tmp, "%lld", (long long)v->num);
		break;
	case XC_DATE:
		sbuf_adds(&k->tmp, date_format(v->day, buf));
		break;
	case XC_AMOUNT:
		sbuf_adds(&k->tmp, money_format(v->num, buf));
		break;
	case XC_RATE:
		if (v->blank || v->n != 11)
			break;
		for (i = 0; i < 3 && v->s[i] == '0'; i++)
			;
		sbuf_add(&k->tmp, v->s + i, 4 - i);
		sbuf_addc(&k->tmp, '.');
		sbuf_add(&k->tmp, v->s + 4, 7);
		break;
	}
	if (k->tmp.len == 0)
		return 0;
	if (out->len > 0)
		sbuf_addc(out, '\n');
	sbuf_add(out, k->tmp.data, k->tmp.len);
	return 0;
}

static struct sbuf *
column(struct kto *k, int c)
{
	switch (c) {
	case X_MESSAGE: return &k->message;
	case X_SEPA_IBAN: return &k->sepa_iban;
	case X_SEPA_BIC: return &k->sepa_bic;
	case X_NONE: return NULL;
	default: return &k->col[c];
	}
}

static int
t11(struct kto *k, const char *line, size_t len)
{
	const struct t11_type *t = NULL;
	size_t i;

	if (!k->have_ent) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "additional information record %.3s without a "
		    "transaction record (T10) before it", line);
		return READ_REJECT;
	}
	if (len >= 8)
		for (i = 0; i < NT11; i++)
			if (memcmp(line + 6, t11_types[i].code, 2) == 0) {
				t = &t11_types[i];
				break;
			}
	if (t == NULL) {
		if (fixed_parse(&t11_any, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		reader_warn(k->ctx, k->file, k->lineno, 7,
		    "unknown additional information type '%.2s' skipped",
		    len >= 8 ? line + 6 : "  ");
		return READ_OK;
	}
	if (fixed_parse(&t->lay, line, len, &k->rec, k->file, k->lineno,
	    k->d) < 0)
		return READ_REJECT;
	/* a second record of a single-valued type: keep the first */
	if (!t->multi && (k->seen & 1u << (t - t11_types))) {
		reader_warn(k->ctx, k->file, k->lineno, 7,
		    "second T11 %s (%s) for one transaction ignored",
		    t->code, t->name);
		return READ_OK;
	}
	k->seen |= 1u << (t - t11_types);
	for (i = 0; i < t->lay.nfields; i++) {
		struct sbuf *out = column(k, t->cols[i]);

		if (out == NULL)
			continue;
		if (t11_value(k, &t->lay.fields[i], &k->rec.v[i], t->conv[i],
		    out) < 0)
			return READ_REJECT;
	}
	return READ_OK;
}

/* -1 when a sum overflows: the balance is checked, but credits and
 * debits that cancel out in it still add up on their own sides. */
static int
add_split(struct split *s, int64_t amount, int credit)
{
	if (credit) {
		s->ccount++;
		return __builtin_add_overflow(s->csum, amount, &s->csum) ?
		    -1 : 0;
	}
	s->dcount++;
	return __builtin_add_overflow(s->dsum, amount, &s->dsum) ? -1 : 0;
}

static int
t10(struct kto *k, const char *line, size_t len, int t80)
{
	const struct fixed_value *v;

	if (!k->open) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "transaction record before the statement's T00 record");
		return READ_REJECT;
	}
	if (ent_flush(k) < 0)
		return READ_REJECT;
	if (fixed_parse(t80 ? &t80_layout : &t10_layout, line, len, &k->ent,
	    k->file, k->lineno, k->d) < 0)
		return READ_REJECT;
	v = k->ent.v;
	k->have_ent = 1;
	k->ent_line = k->lineno;
	k->ent_t80 = t80;
	/* Itemisation rows (level >= 1) and notifications (T80) do not
	 * move the balance. */
	if (t80 || (v[E_LEVEL].s[0] != ' ' && v[E_LEVEL].s[0] != '0'))
		return READ_OK;
	if (__builtin_add_overflow(k->balance, v[E_AMOUNT].num,
	    &k->balance)) {
		diag_set(k->d, k->file, k->lineno, t10_fields[E_AMOUNT].off + 1,
		    "balance overflows");
		return READ_REJECT;
	}
	if (k->day_closed) {
		memset(&k->day, 0, sizeof k->day);
		memset(&k->corr, 0, sizeof k->corr);
		k->day_closed = 0;
	}
	if (k->unbalanced++ == 0)
		k->first_unbalanced = k->lineno;
	if (add_split(&k->day, v[E_AMOUNT].num, v[E_AMOUNT].s[0] == '+') < 0 ||
	    ((v[E_TYPE].s[0] == '3' || v[E_TYPE].s[0] == '4') &&
	    add_split(&k->corr, v[E_AMOUNT].num, v[E_AMOUNT].s[0] == '+') < 0)) {
		diag_set(k->d, k->file, k->lineno, t10_fields[E_AMOUNT].off + 1,
		    "the day's %s total overflows",
		    v[E_AMOUNT].s[0] == '+' ? "credit" : "debit");
		return READ_REJECT;
	}
	return READ_OK;
}

/* --- statements --- */

static int
stmt_end(struct kto *k)
{
	if (!k->open)
		return READ_OK;
	if (ent_flush(k) < 0)
		return READ_REJECT;
	if (k->unbalanced > 0) {
		diag_set(k->d, k->file, k->first_unbalanced, 1,
		    "statement begun on line %ld ends with %ld booked "
		    "entr%s from here on not closed by a balance record (T40)",
		    k->stmt_line, k->unbalanced,
		    k->unbalanced == 1 ? "y" : "ies");
		return READ_REJECT;
	}
	/* fewer records than T00 declares: the statement was cut short
	 * (its entries, balance and totals may be missing), not read */
	if (k->declared_records != 0 && k->records < k->declared_records) {
		diag_set(k->d, k->file, k->stmt_line,
		    t00_fields[H_COUNT].off + 1, "T00 says the statement has "
		    "%ld records, it ends after %ld: cut short",
		    k->declared_records, k->records);
		return READ_REJECT;
	}
	/* no balance record at all: the statement may have been cut
	 * after its header; its day is not known to be reconciled */
	if (k->nbalances == 0)
		reader_warn(k->ctx, k->file, k->stmt_line, 0, "statement has "
		    "no balance record (T40): its closing balance is not "
		    "known; cut short?");
	if (k->declared_records != 0 && k->declared_records != k->records)
		reader_warn(k->ctx, k->file, k->stmt_line,
		    t00_fields[H_COUNT].off + 1,
		    "T00 says the statement has %ld records, it has %ld",
		    k->declared_records, k->records);
	k->open = 0;
	return READ_OK;
}

static int
t00(struct kto *k, const char *line, size_t len)
{
	const struct fixed_value *v = k->rec.v;
	char bic[BIC_BUFSZ];
	const char *s;
	size_t n;

	if (stmt_end(k) != READ_OK)
		return READ_REJECT;
	if (fixed_parse(&t00_layout, line, len, &k->rec, k->file, k->lineno,
	    k->d) < 0)
		return READ_REJECT;
	k->open = 1;
	k->nstatements++;
	k->stmt_line = k->lineno;
	k->records = 1;
	k->declared_records = (long)v[H_COUNT].num;
	k->opening = k->balance = v[H_OPENING].num;
	k->unbalanced = 0;
	k->nbalances = 0;
	k->day_closed = 0;
	memset(&k->day, 0, sizeof k->day);
	memset(&k->corr, 0, sizeof k->corr);

	/* The account: the BBAN as an IBAN; the IBAN field if the BBAN
	 * is not a valid Finnish one. */
	n = fixed_trimmed(&v[H_ACCOUNT], &s);
	if (n != 14 || iban_from_bban(s, n, k->iban) < 0) {
		raw_trimmed(&v[H_IBAN], &k->tmp);
		if (k->tmp.len == 0 || k->tmp.len >= sizeof k->iban)
			raw_trimmed(&v[H_ACCOUNT], &k->tmp);
		snprintf(k->iban, sizeof k->iban, "%.*s",
		    (int)(k->tmp.len < IBAN_BUFSZ ? k->tmp.len :
		    IBAN_BUFSZ - 1), k->tmp.data);
		reader_warn(k->ctx, k->file, k->lineno,
		    t00_fields[H_ACCOUNT].off + 1,
		    "account '%.*s' is not a valid Finnish BBAN", (int)n, s);
	} else {
		raw_trimmed(&v[H_IBAN], &k->tmp);
		if (k->tmp.len > 0 && (k->tmp.len != strlen(k->iban) ||
		    memcmp(k->tmp.data, k->iban, k->tmp.len) != 0))
			reader_warn(k->ctx, k->file, k->lineno,
			    t00_fields[H_IBAN].off + 1,
			    "IBAN %s differs from the account's IBAN %s",
			    k->tmp.data, k->iban);
	}
	rec_begin(k->w, "stmt");
	rec_str(k->w, k->iban);
	raw_trimmed(&v[H_BIC], &k->tmp);
	if (k->tmp.len > 0)
		rec_strn(k->w, k->tmp.data, k->tmp.len);
	else if (bic_from_account(k->iban, strlen(k->iban), bic) == 0)
		rec_str(k->w, bic);
	else
		rec_str(k->w, "");
	n = fixed_trimmed(&v[H_NUMBER], &s);
	rec_strn(k->w, s, n);
	rec_date(k->w, v[H_FROM].day);
	rec_date(k->w, v[H_TO].day);
	rec_cents(k->w, k->opening);
	raw_trimmed(&v[H_CURRENCY], &k->tmp);
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	if (text(k, &v[H_OWNER], t00_fields[H_OWNER].off + 1, &k->tmp) < 0)
		return READ_REJECT;
	rec_strn(k->w, k->tmp.data, k->tmp.len);
	rec_source(k->w, k->file, k->lineno);
	rec_end(k->w);
	return READ_OK;
}

static int
t40(struct kto *k, const char *line, size_t len)
{
	const struct fixed_value *v = k->rec.v;
	char want[MONEY_BUFSZ], have[MONEY_BUFSZ], open[MONEY_BUFSZ];
	char day[DATE_BUFSZ];

	if (fixed_parse(&t40_layout, line, len, &k->rec, k->file, k->lineno,
	    k->d) < 0)
		return READ_REJECT;
	if (v[L_BOOKED].num != k->balance) {
		diag_set(k->d, k->file, k->lineno,
		    t40_fields[L_BOOKED].off + 1,
		    "closing balance of %s is %s, but the opening balance %s "
		    "and the booked entries give %s",
		    date_format(v[L_DATE].day, day),
		    money_format(v[L_BOOKED].num, want),
		    money_format(k->opening, open),
		    money_format(k->balance, have));
		return READ_REJECT;
	}
	k->unbalanced = 0;
	k->day_closed = 1;
	k->nbalances++;
	rec_begin(k->w, "bal");
	rec_str(k->w, k->iban);
	rec_date(k->w, v[L_DATE].day);
	rec_cents(k->w, v[L_BOOKED].num);
	if (v[L_AVAILABLE].blank)
		rec_str(k->w, "");
	else
		rec_cents(k->w, v[L_AVAILABLE].num);
	rec_source(k->w, k->file, k->lineno);
	rec_end(k->w);
	return READ_OK;
}

/* T50 (all entries) or T51 (corrections) for period 1, the day. */
static int
t5x(struct kto *k, const char *line, size_t len, int corrections)
{
	const struct fixed_value *v = k->rec.v;
	const struct split *s = corrections ? &k->corr : &k->day;
	const char *what = corrections ? "correction " : "";
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	int field;

	if (fixed_parse(corrections ? &t51_layout : &t50_layout, line, len,
	    &k->rec, k->file, k->lineno, k->d) < 0)
		return READ_REJECT;
	if (v[C_PERIOD].s[0] != '1')
		return READ_OK;		/* month, year: not in this file */
	if (!k->day_closed && k->unbalanced > 0) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "day totals (%.3s) before the day's balance record (T40)",
		    line);
		return READ_REJECT;
	}
	if (v[C_CCOUNT].num != s->ccount || v[C_CSUM].num != s->csum) {
		field = v[C_CCOUNT].num != s->ccount ? C_CCOUNT : C_CSUM;
		diag_set(k->d, k->file, k->lineno, t50_fields[field].off + 1,
		    "day totals say %lld %scredits totalling %s, the day's "
		    "entries give %lld totalling %s",
		    (long long)v[C_CCOUNT].num, what,
		    money_format(v[C_CSUM].num, a), (long long)s->ccount,
		    money_format(s->csum, b));
		return READ_REJECT;
	}
	if (v[C_DCOUNT].num != s->dcount || v[C_DSUM].num != s->dsum) {
		field = v[C_DCOUNT].num != s->dcount ? C_DCOUNT : C_DSUM;
		diag_set(k->d, k->file, k->lineno, t50_fields[field].off + 1,
		    "day totals say %lld %sdebits totalling %s, the day's "
		    "entries give %lld totalling %s",
		    (long long)v[C_DCOUNT].num, what,
		    money_format(v[C_DSUM].num, a), (long long)s->dcount,
		    money_format(s->dsum, b));
		return READ_REJECT;
	}
	return READ_OK;
}

static int
record(struct kto *k, const char *line, size_t len)
{
	char b[8];
	int type;

	if (line[0] != 'T') {
		if ((unsigned char)line[0] >= 0x20 &&
		    (unsigned char)line[0] < 0x7f)
			snprintf(b, sizeof b, "'%c'", line[0]);
		else
			snprintf(b, sizeof b, "0x%02x",
			    (unsigned char)line[0]);
		diag_set(k->d, k->file, k->lineno, 1,
		    "expected a KTO record starting with 'T', found %s", b);
		return READ_REJECT;
	}
	if (len < 3 || !all_digits(line + 1, 2)) {
		diag_set(k->d, k->file, k->lineno, 2,
		    "expected a 2-digit record type after 'T'");
		return READ_REJECT;
	}
	type = (line[1] - '0') * 10 + (line[2] - '0');
	if (type == 0)
		return t00(k, line, len);
	if (!k->open) {
		diag_set(k->d, k->file, k->lineno, 1,
		    "record T%02d before the statement's T00 record", type);
		return READ_REJECT;
	}
	k->records++;
	switch (type) {
	case 10:
	case 80:
		return t10(k, line, len, type == 80);
	case 11:
	case 81:
		return t11(k, line, len);
	}
	if (ent_flush(k) < 0)
		return READ_REJECT;
	switch (type) {
	case 40:
		return t40(k, line, len);
	case 50:
	case 51:
		return t5x(k, line, len, type == 51);
	case 60:		/* special record, bank specific */
	case 70:		/* bank notice */
		if (fixed_parse(&any_layout, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		return READ_OK;
	default:
		if (fixed_parse(&any_layout, line, len, &k->rec, k->file,
		    k->lineno, k->d) < 0)
			return READ_REJECT;
		reader_warn(k->ctx, k->file, k->lineno, 2,
		    "unknown record type T%02d skipped (length %zu)", type,
		    k->rec.len);
		return READ_OK;
	}
}

static int
record_line(void *arg, const char *line, size_t len)
{
	return record(arg, line, len);
}

int
read_kto(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d)
{
	struct kto k;
	int i, rc;

	memset(&k, 0, sizeof k);
	k.ctx = ctx;
	k.w = w;
	k.d = d;
	k.file = input_name(in);
	/* allocated up front: an empty field is "" and never NULL */
	for (i = 0; i < X_N; i++)
		sbuf_add(&k.col[i], "", 0);
	sbuf_add(&k.tmp, "", 0);
	sbuf_add(&k.message, "", 0);
	sbuf_add(&k.sepa_iban, "", 0);
	sbuf_add(&k.sepa_bic, "", 0);
	sbuf_add(&k.warnings, "", 0);
	if (fixed_text_init(&k.text, in, ctx->charset, d) < 0) {
		rc = READ_SYSERR;
		goto out;
	}
	fixed_rec_text(&k.rec, &k.text);
	fixed_rec_text(&k.ent, &k.text);
	rc = fixed_read_lines(in, record_line, &k, &k.lineno, d);
	if (rc != READ_OK)
		goto out;
	rc = stmt_end(&k);
	if (rc != READ_OK)
		goto out;
	if (k.nstatements == 0) {
		diag_set(d, k.file, k.lineno, 1, "no KTO statement in the file");
		rc = READ_REJECT;
		goto out;
	}
	rc = READ_OK;
out:
	fixed_text_free(&k.text);
	sbuf_free(&k.tmp);
	for (i = 0; i < X_N; i++)
		sbuf_free(&k.col[i]);
	sbuf_free(&k.message);
	sbuf_free(&k.sepa_iban);
	sbuf_free(&k.sepa_bic);
	sbuf_free(&k.warnings);
	return rc;
}
