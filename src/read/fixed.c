/*
 * fixed: the one routine that reads fixed-width KTL and KTO records by
 * their field tables, and the text decoder those readers share.  See
 * fixed.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/bytescan.h"
#include "read/fixed.h"

#define ONES BYTESCAN_ONES
#define HIGH BYTESCAN_HIGH

static int
word_not_blank(uint64_t x)
{
	return x != ONES * ' ';
}

static int
not_blank(unsigned char c)
{
	return c != ' ';
}

int
fixed_blank(const char *s, size_t n)
{
	return bytescan(s, n, word_not_blank, not_blank) == n;
}

/* Nonzero when one of the 8 bytes of x is below 0x20 or 0x7f (exact
 * for the word as a whole; bytes from 0x80 up are text). */
static int
word_has_control(uint64_t x)
{
	uint64_t del = x ^ (ONES * 0x7f);

	return ((((x - ONES * 0x20) & ~x) | ((del - ONES) & ~del)) & HIGH)
	    != 0;
}

static int
is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Index of the first control byte in s[0..n), or n. */
static size_t
first_control(const char *s, size_t n)
{
	return bytescan(s, n, word_has_control, is_control);
}

size_t
fixed_trimmed(const struct fixed_value *v, const char **s)
{
	size_t n = v->n;

	while (n > 0 && v->s[n - 1] == ' ')
		n--;
	*s = v->s;
	return n;
}

/* A byte as a message shows it: 'x' or 0xNN. */
static const char *
show_byte(unsigned char c, char buf[8])
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", c);
	return buf;
}

static int
field_error(const struct fixed_field *f, const char *s, size_t n, size_t bad,
    const char *file, long lineno, struct diag *d)
{
	char b[8];

	switch (f->type) {
	case FX_N:
		diag_set(d, file, lineno, (long)(f->off + bad) + 1,
		    "%s: expected %zu digits, found %s", f->name, n,
		    show_byte((unsigned char)s[bad], b));
		break;
	case FX_DATE:
	case FX_DATE0:
		if (bad < n)
			diag_set(d, file, lineno, (long)(f->off + bad) + 1,
			    "%s: expected a date YYMMDD, found %s", f->name,
			    show_byte((unsigned char)s[bad], b));
		else
			diag_set(d, file, lineno, (long)f->off + 1,
			    "%s: '%.*s' is not a date (expected YYMMDD%s)",
			    f->name, (int)n, s,
			    f->type == FX_DATE0 ? " or 000000" : "");
		break;
	case FX_TIME:
		if (bad < n)
			diag_set(d, file, lineno, (long)(f->off + bad) + 1,
			    "%s: expected a time HHMM, found %s", f->name,
			    show_byte((unsigned char)s[bad], b));
		else
			diag_set(d, file, lineno, (long)f->off + 1,
			    "%s: '%.*s' is not a time (expected HHMM, 0000 "
			    "to 2359)", f->name, (int)n, s);
		break;
	case FX_AMOUNT:
	case FX_AMOUNT0:
		if (bad == 0)
			diag_set(d, file, lineno, (long)f->off + 1,
			    "%s: expected a sign '+' or '-', found %s",
			    f->name, show_byte((unsigned char)s[0], b));
		else
			diag_set(d, file, lineno, (long)(f->off + bad) + 1,
			    "%s: expected %zu digits after the sign, found %s",
			    f->name, n - 1,
			    show_byte((unsigned char)s[bad], b));
		break;
	case FX_ONEOF:
		diag_set(d, file, lineno, (long)f->off + 1,
		    "%s: expected one of \"%s\", found %s", f->name,
		    f->oneof, show_byte((unsigned char)s[0], b));
		break;
	default:
		diag_set(d, file, lineno, (long)(f->off + bad) + 1,
		    "%s: control character %s in text",
		    f->name, show_byte((unsigned char)s[bad], b));
		break;
	}
	return -1;
}

/* Eight bytes are all digits when none is below '0' and none above '9'
 * (the sum carries into the high bit above '9'). */
static int
word_has_nondigit(uint64_t x)
{
	return (((x - ONES * '0') | (x + ONES * (0x7f - '9'))) & HIGH) != 0;
}

static int
is_nondigit(unsigned char c)
{
	return (unsigned char)(c - '0') > 9;
}

/* Index of the first non-digit in s[0..n), or n. */
static size_t
first_nondigit(const char *s, size_t n)
{
	return bytescan(s, n, word_has_nondigit, is_nondigit);
}

/* The value of eight digits (checked before) loaded as one word, the
 * first digit in its lowest byte: pairs of digits are joined, then pairs
 * of pairs, then the two halves, one multiplication each. */
static uint64_t
eight_digits(uint64_t x)
{
	x -= ONES * '0';
	x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffULL;
	x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffULL;
	return (x * 10000 + (x >> 32)) & 0xffffffffULL;
}

static int64_t
digits_value(const char *s, size_t n)
{
	int64_t x = 0;
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		x = x * 100000000 + (int64_t)eight_digits(w);
	}
	for (; i < n; i++)
		x = x * 10 + (s[i] - '0');
	return x;
}

static int
check_field(const struct fixed_field *f, struct fixed_value *v,
    const char *file, long lineno, struct diag *d)
{
	const char *s = v->s;
	size_t n = v->n, i;

	v->num = 0;
	v->day = DAY_NONE;
	/* A field that passes a check of digits or a sign is not blank (or
	 * is empty): only text and an optional amount are scanned for it. */
	v->blank = n == 0;
	switch (f->type) {
	case FX_AN:
		v->blank = fixed_blank(s, n);
		if ((i = first_control(s, n)) < n)
			return field_error(f, s, n, i, file, lineno, d);
		return 0;
	case FX_N:
		if ((i = first_nondigit(s, n)) < n)
			return field_error(f, s, n, i, file, lineno, d);
		if (n <= 18)
			v->num = digits_value(s, n);
		return 0;
	case FX_DATE:
	case FX_DATE0:
		if (n == 6 && v->date_key[0] != '\0' &&
		    memcmp(s, v->date_key, 6) == 0)
			v->day = v->date_day;	/* parsed before: valid */
		else {
			if ((i = first_nondigit(s, n)) < n)
				return field_error(f, s, n, i, file, lineno,
				    d);
			if (n != 6 || date_parse_yymmdd(s, n, &v->day) < 0)
				return field_error(f, s, n, n, file, lineno,
				    d);
			memcpy(v->date_key, s, 6);
			v->date_day = v->day;
		}
		if (v->day == DAY_NONE && f->type == FX_DATE)
			return field_error(f, s, n, n, file, lineno, d);
		return 0;
	case FX_TIME:
		if ((i = first_nondigit(s, n)) < n)
			return field_error(f, s, n, i, file, lineno, d);
		if (n != 4 || digits_value(s, 2) > 23 ||
		    digits_value(s + 2, 2) > 59)
			return field_error(f, s, n, n, file, lineno, d);
		v->num = digits_value(s, 2) * 60 + digits_value(s + 2, 2);
		return 0;
	case FX_AMOUNT0:
		if ((v->blank = fixed_blank(s, n)) != 0)
			return 0;
		/* FALLTHROUGH */
	case FX_AMOUNT:
		if (n < 2 || (s[0] != '+' && s[0] != '-'))
			return field_error(f, s, n, 0, file, lineno, d);
		if ((i = first_nondigit(s + 1, n - 1)) < n - 1)
			return field_error(f, s, n, i + 1, file, lineno, d);
		if (n - 1 > 18)	/* cannot happen with the tables we have */
			return field_error(f, s, n, 1, file, lineno, d);
		v->num = digits_value(s + 1, n - 1);
		if (s[0] == '-')
			v->num = -v->num;
		return 0;
	case FX_ONEOF: {
		const char *o = f->oneof;

		v->blank = n == 0 || s[0] == ' ';
		if (n == 1)	/* a list of a few bytes: no call */
			while (*o != '\0' && *o != s[0])
				o++;
		if (n != 1 || *o == '\0')
			return field_error(f, s, n, 0, file, lineno, d);
		return 0;
	}
	}
	return 0;
}

/* The length of the record in line[0..n) by lay: its own length field
 * when the layout has one (checked against the layout and the line), else
 * the layout's, which the line must not exceed.  0, or -1 with d filled. */
static int
record_length(const struct fixed_layout *lay, const char *line, size_t n,
    size_t *reclen, const char *file, long lineno, struct diag *d)
{
	size_t lo, i;
	const char *p;

	if (lay->lenoff < 0) {
		*reclen = lay->maxlen;
		if (n > lay->maxlen) {
			diag_set(d, file, lineno, (long)lay->maxlen + 1,
			    "%s: line is %zu characters long, expected %zu",
			    lay->name, n, lay->maxlen);
			return -1;
		}
		return 0;
	}
	lo = (size_t)lay->lenoff;
	p = line + lo;
	if (n < lo + 3) {
		diag_set(d, file, lineno, (long)n + 1,
		    "%s: record ends before its length field", lay->name);
		return -1;
	}
	if ((i = first_nondigit(p, 3)) < 3) {
		char b[8];

		diag_set(d, file, lineno, (long)(lo + i) + 1,
		    "%s: record length: expected 3 digits, found %s",
		    lay->name, show_byte((unsigned char)p[i], b));
		return -1;
	}
	*reclen = (size_t)digits_value(p, 3);
	if (*reclen < lay->minlen || *reclen > lay->maxlen) {
		if (lay->minlen == lay->maxlen)
			diag_set(d, file, lineno, (long)lo + 1,
			    "%s: record length field says %03zu, expected "
			    "%03zu", lay->name, *reclen, lay->minlen);
		else
			diag_set(d, file, lineno, (long)lo + 1,
			    "%s: record length field says %03zu, expected "
			    "%03zu to %03zu", lay->name, *reclen, lay->minlen,
			    lay->maxlen);
		return -1;
	}
	if (n > *reclen) {
		diag_set(d, file, lineno, (long)*reclen + 1,
		    "%s: record is %zu characters long, its length field "
		    "says %zu", lay->name, n, *reclen);
		return -1;
	}
	return 0;
}

int
fixed_layout_ok(const struct fixed_layout *lay)
{
	size_t i;

	if (lay->nfields > FIXED_MAXFIELDS || lay->minlen > lay->maxlen ||
	    lay->maxlen > FIXED_MAXLEN ||
	    (lay->lenoff >= 0 && (size_t)lay->lenoff + 3 > lay->maxlen))
		return 0;
	for (i = 0; i < lay->nfields; i++)
		if ((size_t)lay->fields[i].off + lay->fields[i].len >
		    lay->maxlen)
			return 0;
	return 1;
}

#define DOS_EOF '\x1a'

/* Byte offsets of a line's characters: at[i] is where character i
 * begins, for i up to nch (the end); beyond it, blanks of one byte. */
struct charpos {
	const uint16_t *at;	/* NULL: one byte a character */
	size_t nch;
};

static size_t
byte_at(const struct charpos *p, size_t i)
{
	return i <= p->nch ? p->at[i] : p->at[p->nch] + (i - p->nch);
}

/* The character offsets of UTF-8 line[0..n) into at (room for
 * FIXED_MAXLEN + 2); the number of characters, or (size_t)-1 when the
 * line is not valid UTF-8 or has more characters than a record may. */
static size_t
utf8_positions(const char *line, size_t n, uint16_t *at)
{
	size_t i = 0, k, nch = 0;

	while (i < n) {
		if (nch > FIXED_MAXLEN)
			return (size_t)-1;
		k = charset_utf8_seq((const unsigned char *)line + i, n - i);
		if (k == 0)
			return (size_t)-1;
		at[nch++] = (uint16_t)i;
		i += k;
	}
	at[nch] = (uint16_t)i;
	return nch;
}

static int
parse_at(const struct fixed_layout *lay, const char *line, size_t n,
    const struct charpos *p, struct fixed_rec *r, const char *file,
    long lineno, struct diag *d)
{
	size_t i, end, reclen, nch = p->at ? p->nch : n, b;

	if (record_length(lay, line, nch, &reclen, file, lineno, d) < 0)
		return -1;
	/* Missing tail = blanks (trimmed lines).  A line of the layout's
	 * longest length needs none: the field tables end within it. */
	end = nch;
	if (nch < lay->maxlen) {
		end = reclen;
		for (i = 0; i < lay->nfields; i++)
			if ((size_t)lay->fields[i].off + lay->fields[i].len >
			    end)
				end = (size_t)lay->fields[i].off +
				    lay->fields[i].len;
		if (end > FIXED_MAXLEN)
			end = FIXED_MAXLEN;
	}
	/* nch <= maxlen <= FIXED_MAXLEN here, so n <= 4 * FIXED_MAXLEN */
	memcpy(r->buf, line, n);
	b = n;
	if (end > nch) {
		memset(r->buf + n, ' ', end - nch);
		b += end - nch;
	}
	r->buf[b] = '\0';
	r->len = reclen;
	for (i = 0; i < lay->nfields && i < FIXED_MAXFIELDS; i++) {
		const struct fixed_field *f = &lay->fields[i];
		struct fixed_value *v = &r->v[i];
		size_t flen;

		v->s = r->buf + (p->at ? byte_at(p, f->off) : f->off);
		if (f->off >= reclen) {
			v->n = 0;
			v->num = 0;
			v->day = DAY_NONE;
			v->blank = 1;
			continue;
		}
		flen = f->off + f->len > reclen ? reclen - f->off : f->len;
		v->n = p->at ? byte_at(p, f->off + flen) - byte_at(p, f->off) :
		    flen;
		if (check_field(f, v, file, lineno, d) < 0) {
			/* a field the line does not reach to its end: the
			 * line was cut (a truncated transfer), not a wrong
			 * value */
			if ((size_t)f->off + f->len > nch) {
				size_t k = strlen(d->msg);

				snprintf(d->msg + k, sizeof d->msg - k,
				    " (the line ends at column %zu of %zu: "
				    "cut short?)", nch, reclen);
			}
			return -1;
		}
	}
	return 0;
}

void
fixed_rec_text(struct fixed_rec *r, const struct fixed_text *t)
{
	r->utf8 = t->cs == CS_UTF8;
}

int
fixed_parse(const struct fixed_layout *lay, const char *line, size_t n,
    struct fixed_rec *r, const char *file, long lineno, struct diag *d)
{
	static const struct charpos bytes = { NULL, 0 };
	uint16_t at[FIXED_MAXLEN + 2];
	struct charpos p = { at, 0 };
	struct diag first;

	if (!r->utf8 || !charset_has_8bit(line, n) ||
	    (p.nch = utf8_positions(line, n, at)) == (size_t)-1)
		return parse_at(lay, line, n, &bytes, r, file, lineno, d);
	/* UTF-8 with characters of several bytes: by character first (a
	 * record of 90 characters is more bytes), then by byte (a writer
	 * that counts bytes); the first reading's error if neither */
	if (parse_at(lay, line, n, &p, r, file, lineno, d) == 0)
		return 0;
	first = *d;
	if (parse_at(lay, line, n, &bytes, r, file, lineno, d) == 0)
		return 0;
	*d = first;
	return -1;
}

/* The field of nearly every payment: digits only, zeros on the left,
 * 4 to 20 digits after them with the right check digit.  Into ref (the
 * form ref_normalise() gives it) and 1; 0 for anything else, which the
 * general path reads. */
static int
plain_reference(const char *s, size_t n, char ref[REF_BUFSZ])
{
	size_t i, k;

	for (i = 0; i < n && s[i] == '0'; i++)
		;
	k = n - i;
	if (k < 4 || k > 20 || first_nondigit(s + i, k) < k ||
	    ref_check_digit(s + i, k - 1) != s[n - 1] - '0')
		return 0;
	memcpy(ref, s + i, k);
	ref[k] = '\0';
	return 1;
}

const char *
fixed_reference(const char *s, size_t n, char ref[REF_BUFSZ], char *msg,
    size_t msgsz)
{
	size_t k;
	int want;

	if (plain_reference(s, n, ref))
		return NULL;
	if (ref_normalise(s, n, ref) < 0) {
		snprintf(msg, msgsz, "reference '%s' is neither a national nor "
		    "an RF reference", ref);
		return "bad-reference";
	}
	k = strlen(ref);
	if (k == 0)
		return NULL;
	if (k >= 2 && ref[0] == 'R' && ref[1] == 'F') {
		if (rf_validate(ref, k) == 0)
			return NULL;
		snprintf(msg, msgsz, "reference %s: RF check digits are wrong",
		    ref);
		return "bad-reference";
	}
	if (k < 4) {
		snprintf(msg, msgsz, "reference %s is shorter than 4 digits",
		    ref);
		return "short-reference";
	}
	if (ref_validate(ref, k) == 0)
		return NULL;
	want = ref_check_digit(ref, k - 1);
	if (want >= 0)
		snprintf(msg, msgsz, "reference %s: check digit is %c, "
		    "expected %d", ref, ref[k - 1], want);
	else
		snprintf(msg, msgsz, "reference %s is not valid (more than 20 "
		    "digits)", ref);
	return "bad-reference";
}

/* 1 if s[0..n) is valid UTF-8; a sequence cut by the window's end (not
 * the file's, all == 0) is allowed. */
static int
utf8_window(const char *s, size_t n, int all)
{
	size_t i = 0, k;

	while (i < n) {
		k = charset_utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0)
			return !all && n - i < 4 &&
			    ((unsigned char)s[i] & 0xc0) == 0xc0;
		i += k;
	}
	return 1;
}

int
fixed_text_init(struct fixed_text *t, struct input *in, enum charset cs,
    struct diag *d)
{
	const char *p;
	long n;

	memset(t, 0, sizeof *t);
	if (cs != CS_AUTO) {
		t->cs = cs;
		t->forced = 1;
		return 0;
	}
	n = input_peek(in, 65536, &p, d);
	if (n < 0)
		return -1;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		t->cs = CS_UTF8;	/* a byte order mark says so */
	else if (!charset_has_8bit(p, (size_t)n))
		t->cs = CS_ISO646FI;
	else
		t->cs = utf8_window(p, (size_t)n, n < 65536) ?
		    CS_UTF8 : CS_LATIN1;
	return 0;
}

void
fixed_text_free(struct fixed_text *t)
{
	sbuf_free(&t->tmp);
}

int
fixed_text_decode(struct fixed_text *t, const char *s, size_t n,
    struct sbuf *out)
{
	int first = 0;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	sbuf_reset(out);
	if (out->cap == 0)
		sbuf_add(out, "", 0);
	if (t->cs == CS_ISO646FI && !t->forced && charset_has_8bit(s, n)) {
		if (!t->mixed_warned)
			first = FIXED_NOTE_MIXED;
		t->mixed_warned = 1;
		charset_decode(CS_LATIN1, s, n, out);
		return first;
	}
	if (t->cs == CS_UTF8 && !t->forced && charset_has_8bit(s, n)) {
		if (charset_decode(CS_UTF8, s, n, out) < 0) {
			if (!t->mixed_warned)
				first = FIXED_NOTE_NOT_UTF8;
			t->mixed_warned = 1;
			charset_decode(CS_LATIN1, s, n, out);
			return first;
		}
		if (!t->utf8_warned)
			first = FIXED_NOTE_UTF8;
		t->utf8_warned = 1;
		return first;
	}
	return charset_decode(t->cs, s, n, out) < 0 ? -1 : 0;
}

const char *
fixed_text_note(int note)
{
	switch (note) {
	case FIXED_NOTE_MIXED:
		return "mixed 7-bit/8-bit text: the file's first 64 KiB are "
		    "7-bit (read as ISO 646-FI), this field is read as "
		    "ISO-8859-1";
	case FIXED_NOTE_UTF8:
		return "text is UTF-8, not the format's ISO-8859-1: read as "
		    "UTF-8, its records by character positions";
	default:
		return "text is not UTF-8 as the file's first 64 KiB are: "
		    "this field is read as ISO-8859-1";
	}
}

size_t
fixed_text_span(const struct fixed_text *t, const char *s, size_t n,
    size_t chars)
{
	size_t i = 0, k;

	if (t->cs != CS_UTF8)
		return chars < n ? chars : n;
	while (i < n && chars > 0) {
		k = charset_utf8_seq((const unsigned char *)s + i, n - i);
		i += k ? k : 1;
		chars--;
	}
	return i;
}

/* 1 if line[0..len) holds only blanks and DOS end-of-file marks. */
static int
blank_or_eof_mark(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != DOS_EOF)
			return 0;
	return 1;
}

/* Line *lineno (line[0..len), len > 0) ends in a DOS end-of-file mark:
 * the file must end there (only blanks and marks after it).  The line
 * without its marks goes to fn.  fn's result, 0, or 1/-1 as for
 * fixed_read_lines. */
static int
eof_mark(struct input *in, int (*fn)(void *arg, const char *line,
    size_t len), void *arg, const char *line, size_t len, long *lineno,
    struct diag *d)
{
	char *copy, *next;
	size_t k = len, nlen;
	long at = *lineno;
	int r;

	while (k > 0 && line[k - 1] == DOS_EOF)
		k--;
	copy = xmalloc(k + 1);
	memcpy(copy, line, k);
	copy[k] = '\0';
	for (;;) {
		r = input_getline(in, &next, &nlen, d);
		if (r < 0) {
			free(copy);
			return input_error_is_io(in) ? -1 : 1;
		}
		if (r == 0)
			break;
		if (!blank_or_eof_mark(next, nlen)) {
			diag_set(d, input_name(in), at, (long)k + 1,
			    "DOS end-of-file mark (0x1a) before the end of "
			    "the file (line %ld follows)", input_lineno(in));
			free(copy);
			return 1;
		}
	}
	r = fixed_blank(copy, k) ? 0 : fn(arg, copy, k);
	*lineno = at;
	free(copy);
	return r;
}

int
fixed_read_lines(struct input *in, int (*fn)(void *arg, const char *line,
    size_t len), void *arg, long *lineno, struct diag *d)
{
	char *line;
	size_t len;
	int r;

	for (;;) {
		r = input_getline(in, &line, &len, d);
		if (r < 0)	/* READ_SYSERR or READ_REJECT */
			return input_error_is_io(in) ? -1 : 1;
		if (r == 0)
			return 0;
		*lineno = input_lineno(in);
		/* a UTF-8 byte order mark (a program's, not a bank's) */
		if (*lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;
			len -= 3;
		}
		if (fixed_blank(line, len))
			continue;
		/* old DOS software ends a file with ^Z */
		if (line[len - 1] == DOS_EOF)
			return eof_mark(in, fn, arg, line, len, lineno, d);
		r = fn(arg, line, len);
		if (r != 0)
			return r;
	}
}
