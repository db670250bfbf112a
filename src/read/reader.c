/*
 * reader: format detection and the per-file driver.  See reader.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/ident.h"
#include "base/outfile.h"
#include "base/util.h"
#include "read/reader.h"
#include "base/xmlsafe.h"

static const struct {
	const char *name;
	enum format fmt;
	reader_fn fn;
} formats[] = {
	{ "kto", FMT_KTO, read_kto },
	{ "ktl", FMT_KTL, read_ktl },
	{ "camt053", FMT_CAMT053, read_camt },
	{ "camt054", FMT_CAMT054, read_camt },
	{ "finvoice", FMT_FINVOICE, read_finvoice },
	{ "si", FMT_SI, read_finvoice },
	{ "ri", FMT_RI, read_finvoice },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

int
format_from_name(const char *name, enum format *fmt)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, name) == 0) {
			*fmt = formats[i].fmt;
			return 0;
		}
	return -1;
}

const char *
format_name(enum format fmt)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "unknown";
}

reader_fn
reader_for(enum format fmt)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == fmt)
			return formats[i].fn;
	return NULL;
}

/* The XML roots that decide a format, by local name. */
static const struct {
	const char *name;
	enum format fmt;
} xml_roots[] = {
	{ "BkToCstmrStmt", FMT_CAMT053 },
	{ "BkToCstmrDbtCdtNtfctn", FMT_CAMT054 },
	{ "FinvoiceSenderInfo", FMT_SI },
	{ "FinvoiceReceiverInfo", FMT_RI },
	{ "Finvoice", FMT_FINVOICE },
};

/* p[0..n) from a '<': past the markup that holds no element (a comment,
 * CDATA, a processing instruction, a DOCTYPE), or past the '<' of a
 * start or end tag. */
static size_t
skip_markup(const char *p, size_t n)
{
	static const struct { const char *open, *close; } kinds[] = {
		{ "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" },
		{ "<!", ">" },
	};
	size_t k, m;
	const char *e;

	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		m = strlen(kinds[k].open);
		if (n >= m && memcmp(p, kinds[k].open, m) == 0) {
			e = memmem(p + m, n - m, kinds[k].close,
			    strlen(kinds[k].close));
			return e == NULL ? n : (size_t)(e - p) +
			    strlen(kinds[k].close);
		}
	}
	return 1;
}

/*
 * The format named by the first start tag in p[0..n) whose local name
 * (the part after a prefix) is one of xml_roots: the SOAP frame of a
 * framed message comes before it, and text or comments that mention a
 * root's name never count (a '<' in text is written &lt;).
 */
static enum format
xml_format(const char *p, size_t n)
{
	size_t i = 0, j, k, len;
	const char *name;

	while (i < n) {
		const char *lt = memchr(p + i, '<', n - i);

		if (lt == NULL)
			break;
		i = (size_t)(lt - p);
		if (n - i > 1 && (p[i + 1] == '!' || p[i + 1] == '?')) {
			i += skip_markup(p + i, n - i);
			continue;
		}
		i++;
		for (j = i; j < n && p[j] != '>' && p[j] != '/' &&
		    p[j] != ' ' && p[j] != '\t' && p[j] != '\r' &&
		    p[j] != '\n'; j++)
			;
		name = p + i;
		len = j - i;
		for (k = 0; k < len; k++)
			if (name[k] == ':') {
				name += k + 1;
				len -= k + 1;
				break;
			}
		for (k = 0; k < sizeof xml_roots / sizeof xml_roots[0]; k++)
			if (len == strlen(xml_roots[k].name) &&
			    memcmp(name, xml_roots[k].name, len) == 0)
				return xml_roots[k].fmt;
		i = j;
	}
	return FMT_UNKNOWN;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum format
format_detect(const char *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i < n && p[i] == '<') {
		/* The first root element decides; a SOAP frame comes
		 * first in framed files, so look through the whole peek. */
		return xml_format(p + i, n - i);
	}
	/* KTO: "T00" and a 3-digit record length. */
	if (n - i >= 6 && memcmp(p + i, "T00", 3) == 0 && is_digit(p[i + 3]) &&
	    is_digit(p[i + 4]) && is_digit(p[i + 5]))
		return FMT_KTO;
	/* KTL: a batch record "0" + YYMMDD + HHMM. */
	if (n - i >= 11 && p[i] == '0') {
		size_t k;

		for (k = 1; k < 11; k++)
			if (!is_digit(p[i + k]))
				return FMT_UNKNOWN;
		return FMT_KTL;
	}
	return FMT_UNKNOWN;
}

/* The start of the first byte string s in p[0..n), or NULL. */
static const char *
find(const char *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s));
}

/* The end of the element whose start tag's name ended at p ("Acct>"):
 * the start of its end tag "</Acct>" or "</ns:Acct>", or NULL when it
 * is not in [p, end). */
static const char *
acct_end(const char *p, const char *end)
{
	const char *a = p, *b;

	while ((a = find(a, (size_t)(end - a), "Acct>")) != NULL) {
		for (b = a; b > p && b[-1] != '<' && b[-1] != '/' &&
		    b[-1] != '>' && b[-1] != ' '; b--)
			;	/* back over a prefix "ns:" */
		if (b - p >= 2 && b[-1] == '/' && b[-2] == '<' &&
		    (b == a || a[-1] == ':'))
			return b - 2;
		a += 5;
	}
	return NULL;
}

int
statement_account(enum format f, const char *p, size_t n, char *iban)
{
	const char *end = p + n, *a, *e, *v;
	size_t i = 0;
	int othr;

	if (f == FMT_KTO) {
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		while (i < n && (p[i] == ' ' || p[i] == '\r' || p[i] == '\n'))
			i++;
		/* T00: the account is 14 bytes at offset 9 (formats/kto.md) */
		return n - i >= 23 ? iban_from_bban(p + i + 9, 14, iban) : -1;
	}
	if (f == FMT_KTL) {
		/* the first payment record: "3" and the BBAN (formats/ktl.md) */
		a = memchr(p, '\n', n);
		if (a == NULL || end - ++a < 15 || *a != '3')
			return -1;
		return iban_from_bban(a + 1, 14, iban);
	}
	if (f != FMT_CAMT053 || (a = find(p, n, "Acct>")) == NULL ||
	    (e = acct_end(a + 5, end)) == NULL)
		return -1;
	/* the statement's own Acct only: the first entry's DbtrAcct comes
	 * later and is the payer's */
	if ((v = find(a, (size_t)(e - a), "IBAN>")) != NULL)
		othr = 0;
	else if ((v = find(a, (size_t)(e - a), "Othr>")) != NULL &&
	    (v = find(v, (size_t)(e - v), "Id>")) != NULL)
		othr = 1;
	else
		return -1;
	v += othr ? 3 : 5;
	for (a = v; a < e && *a != '<'; a++)
		;
	if (a == e || a - v > 64 || a - v >= IBAN_BUFSZ)
		return -1;
	if (!othr) {
		iban_normalise(v, (size_t)(a - v), iban);
		return 0;
	}
	/* Othr/Id: a Finnish account number as its IBAN, as the camt
	 * reader takes it (formats/camt.md) */
	memcpy(iban, v, (size_t)(a - v));
	iban[a - v] = '\0';
	account_as_iban(iban);
	return 0;
}

void
reader_warn(struct reader_ctx *ctx, const char *file, long line, long column,
    const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	va_start(ap, fmt);
	diag_vset(&d, file, line, column, fmt, ap);
	va_end(ap);
	ctx->nwarnings++;
	if (ctx->warn)
		ctx->warn(ctx->warn_arg, &d);
	else
		diag_warn(stderr, &d);
}

void
reader_set_aside(struct reader_ctx *ctx, const struct diag *d)
{
	if (ctx->set_aside != NULL)
		ctx->set_aside(ctx->set_aside_arg, d);
	else
		reader_warn(ctx, d->file, d->line, d->column, "%s", d->msg);
}

/* Append the held records to out. */
static int
copy_records(FILE *tmp, struct recout *out, struct diag *d)
{
	if (fcopy(tmp, out->fp) < 0) {
		diag_set(d, "records", 0, 0, "cannot copy the file's records: %s",
		    strerror(errno ? errno : EIO));
		return READ_SYSERR;
	}
	return READ_OK;
}

/* The buffer of the file holding a file's records: one file is read at
 * a time, and it is closed before read_input() returns. */
static char holdbuf[64 * 1024];

static int
read_into(struct input *in, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, int hold, struct diag *d)
{
	struct recout w;
	FILE *tmp = NULL;
	char declared[64];
	const char *p, *enc;
	reader_fn fn;
	long n;
	int rc = READ_REJECT;

	n = input_peek(in, 65536, &p, d);
	if (n < 0) {
		if (input_error_is_io(in))
			rc = READ_SYSERR;
		goto out;
	}
	if (n == 0) {
		diag_set(d, input_name(in), 0, 0, "empty file");
		goto out;
	}
	if (fmt == FMT_UNKNOWN)
		fmt = format_detect(p, (size_t)n);
	/* An XML file in UTF-16 or UTF-32 matches no format's bytes: say
	 * why rather than that it is no format at all. */
	if (fmt == FMT_UNKNOWN && (enc = xml_unsupported_encoding(p,
	    (size_t)n, declared, sizeof declared)) != NULL) {
		diag_set(d, input_name(in), 1, 0, "unsupported character "
		    "encoding %s (Finvoice and camt files must be UTF-8 or "
		    "ISO-8859-1/15)", enc);
		goto out;
	}
	if (fmt == FMT_UNKNOWN) {
		diag_set(d, input_name(in), 1, 1,
		    "not a file format reskontra reads (expected KTO, KTL, "
		    "camt.053/054, Finvoice, SI or RI)");
		goto out;
	}
	fn = reader_for(fmt);
	if (fn == NULL) {
		diag_set(d, input_name(in), 0, 0,
		    "%s files are recognised but not read by this version",
		    format_name(fmt));
		goto out;
	}
	if (out != NULL && !hold) {
		rec_out_init(&w, out->fp);
		return fn(in, ctx, &w, d);
	}
	if (out != NULL) {
		tmp = tmpfile();
		if (tmp == NULL) {
			diag_set(d, "temporary file", 0, 0,
			    "cannot create: %s", strerror(errno));
			rc = READ_SYSERR;
			goto out;
		}
		/* the held records go out in 64 KiB writes, not 4 KiB */
		setvbuf(tmp, holdbuf, _IOFBF, sizeof holdbuf);
		rec_out_init(&w, tmp);
	} else {
		tmp = fopen("/dev/null", "w");
		if (tmp == NULL) {
			diag_set(d, "/dev/null", 0, 0, "cannot open: %s",
			    strerror(errno));
			rc = READ_SYSERR;
			goto out;
		}
		rec_out_init(&w, tmp);
	}
	rc = fn(in, ctx, &w, d);
	if ((rc == READ_OK || rc == READ_PARTIAL) && out != NULL) {
		struct diag cd;
		int r = copy_records(tmp, out, &cd);

		if (r != READ_OK) {
			*d = cd;
			rc = r;
		}
	}
out:
	if (tmp)
		fclose(tmp);
	return rc;
}

int
read_input(struct input *in, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d)
{
	return read_into(in, fmt, ctx, out, 1, d);
}

int
read_input_scratch(struct input *in, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d)
{
	return read_into(in, fmt, ctx, out, 0, d);
}

int
read_file(const char *path, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d)
{
	struct input *in = input_open(path, d);
	int rc;

	if (in == NULL)
		return READ_SYSERR;
	rc = read_input(in, fmt, ctx, out, d);
	input_close(in);
	return rc;
}

int
read_fd(int fd, const char *name, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d)
{
	struct input *in = input_fdopen(fd, name, d);
	int rc;

	if (in == NULL)
		return READ_SYSERR;
	rc = read_input(in, fmt, ctx, out, d);
	input_close(in);
	return rc;
}
