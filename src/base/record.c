/*
 * record: writer and reader of the record stream between filters.
 * Format: DESIGN.md "Records" and formats/records.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytescan.h"
#include "base/money.h"
#include "base/record.h"
#include "base/util.h"

void
rec_out_init(struct recout *w, FILE *fp)
{
	w->fp = fp;
	w->nfields = 0;
	w->len = 0;
	w->date_valid[0] = w->date_valid[1] = 0;
	w->date_next = 0;
}

/* Hand what buf holds to the FILE. */
static void
flush_buf(struct recout *w)
{
	if (w->len > 0)
		fwrite_unlocked(w->buf, 1, w->len, w->fp);
	w->len = 0;
}

void
rec_header(struct recout *w)
{
	flush_buf(w);
	fputs(REC_HEADER "\n", w->fp);
}

void
rec_comment(struct recout *w, const char *text)
{
	const char *p;

	flush_buf(w);
	fputs("# ", w->fp);
	for (p = text; *p; p++)
		fputc(*p == '\n' ? ' ' : *p, w->fp);
	fputc('\n', w->fp);
}

/* The bytes that are escaped in a field, and the letter after the
 * backslash; 0 for every other byte. */
static const unsigned char escape_letter[256] = {
	['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\',
};

/* Room for two more bytes in buf. */
static inline void
need2(struct recout *w)
{
	if (w->len + 2 > sizeof w->buf)
		flush_buf(w);
}

static void
sep(struct recout *w)
{
	if (w->nfields++ > 0) {
		need2(w);
		w->buf[w->len++] = '\t';
	}
}

void
rec_begin(struct recout *w, const char *kind)
{
	w->nfields = 0;
	rec_str(w, kind);
}

/* 8 bytes at a time: nonzero when one of them may need escaping (is below
 * 0x0e or a backslash).  The first test flags every byte below 0x0e and
 * possibly more; a flagged word is looked at byte by byte. */
static int
word_may_escape(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones << 7;
	uint64_t bs = x ^ (ones * '\\');

	return (((x - ones * 0x0e) & ~x) | ((bs - ones) & ~bs)) & high ? 1 : 0;
}

static int
needs_escape(unsigned char c)
{
	return escape_letter[c] != 0;
}

/* The length of the prefix of s[0..n) that is written as it is. */
static size_t
plain_prefix(const char *s, size_t n)
{
	return bytescan(s, n, word_may_escape, needs_escape);
}

static void put_plain(struct recout *w, const char *s, size_t n);

/* The bytes after the last whole word of a field of n bytes, from s to
 * d, when none needs escaping: 1 and d[0..n) is s[0..n); 0 when one may
 * (d is then written again).  The last eight bytes as one word when the
 * field has them, else two overlapping four-byte halves, else (under
 * four bytes) one by one. */
static int
short_tail(char *d, const char *s, size_t n)
{
	uint32_t a, b;
	uint64_t x;
	size_t i;

	if (n >= 8) {
		memcpy(&x, s + n - 8, 8);
		if (word_may_escape(x))
			return 0;
		memcpy(d + n - 8, &x, 8);
		return 1;
	}
	if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		if (word_may_escape((uint64_t)a | (uint64_t)b << 32))
			return 0;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (needs_escape((unsigned char)s[i]))
			return 0;
		d[i] = s[i];
	}
	return 1;
}

/* This runs once per field of every record written: the plain runs are
 * copied to buf whole, the few bytes that need it are escaped. */
static void
put_escaped(struct recout *w, const char *s, size_t n)
{
	if (w->len + n <= sizeof w->buf) {
		/* the usual field, with room in buf and nothing to escape:
		 * each word is stored as it is looked at */
		char *d = w->buf + w->len;
		size_t i = 0;
		uint64_t x;

		for (; i + 8 <= n; i += 8) {
			memcpy(&x, s + i, 8);
			if (word_may_escape(x))
				break;
			memcpy(d + i, &x, 8);
		}
		if (i == n || (i + 8 > n && short_tail(d, s, n))) {
			w->len += n;
			return;
		}
		/* else written again below, with its escapes */
	}
	while (n > 0) {
		size_t k = plain_prefix(s, n);

		put_plain(w, s, k);
		if (k == n)
			return;
		need2(w);
		w->buf[w->len++] = '\\';
		w->buf[w->len++] = (char)escape_letter[(unsigned char)s[k]];
		s += k + 1;
		n -= k + 1;
	}
}

/* Up to 16 bytes from s to d by two overlapping copies of a fixed size
 * (the compiler makes each a load and a store; no call). */
static inline void
copy_short(char *d, const char *s, size_t n)
{
	if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/* Bytes written as they are. */
static void
put_plain(struct recout *w, const char *s, size_t n)
{
	if (w->len + n <= sizeof w->buf) {	/* the usual case */
		if (n <= 16)	/* most fields */
			copy_short(w->buf + w->len, s, n);
		else
			memcpy(w->buf + w->len, s, n);
		w->len += n;
		return;
	}
	while (n > 0) {
		size_t room = sizeof w->buf - w->len, k = n < room ? n : room;

		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		if (w->len == sizeof w->buf)
			flush_buf(w);
	}
}

void
rec_strn(struct recout *w, const char *s, size_t n)
{
	sep(w);
	put_escaped(w, s, n);
}

void
rec_cents(struct recout *w, int64_t cents)
{
	char buf[MONEY_BUFSZ], *end = buf + sizeof buf;
	const char *p = money_format_end(cents, end);

	sep(w);
	put_plain(w, p, (size_t)(end - p));	/* digits, '.' and '-' */
}

void
rec_date(struct recout *w, day_t day)
{
	int i = 0;

	if (!w->date_valid[i] || w->date_day[i] != day) {
		i = 1;
		if (!w->date_valid[i] || w->date_day[i] != day) {
			i = w->date_next;
			w->date_next ^= 1;
			date_format(day, w->date_text[i]);
			w->date_len[i] = strlen(w->date_text[i]);
			w->date_day[i] = day;
			w->date_valid[i] = 1;
		}
	}
	sep(w);
	/* digits and '-': nothing to escape */
	put_plain(w, w->date_text[i], w->date_len[i]);
}

void
rec_int(struct recout *w, long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", v);
	rec_str(w, buf);
}

void
rec_source(struct recout *w, const char *file, long line)
{
	rec_source_n(w, file, file != NULL ? strlen(file) : 0, line);
}

void
rec_source_n(struct recout *w, const char *file, size_t filelen, long line)
{
	char buf[24], *p = buf + sizeof buf;
	unsigned long v = line < 0 ? 0 : (unsigned long)line;

	sep(w);
	if (file != NULL)
		put_escaped(w, file, filelen);
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	*--p = ':';
	put_plain(w, p, (size_t)(buf + sizeof buf - p));
}

void
rec_raw(struct recout *w, const char *escaped)
{
	sep(w);
	put_plain(w, escaped, strlen(escaped));
}

void
rec_flush(struct recout *w)
{
	flush_buf(w);
}

void
rec_end(struct recout *w)
{
	need2(w);
	w->buf[w->len++] = '\n';
	flush_buf(w);
	w->nfields = 0;
}

void
rec_copy(struct recout *w, char *const *fields, size_t n)
{
	size_t i;

	w->nfields = 0;
	for (i = 0; i < n; i++)
		rec_str(w, fields[i]);
	rec_end(w);
}

void
rec_in_init(struct recin *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->name = name;
}

void
rec_in_free(struct recin *r)
{
	free(r->buf);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

const char *
rec_field(const struct recin *r, size_t i)
{
	return i < r->nfields ? r->fields[i] : "";
}

/* The message names the byte after the backslash; one that is not
 * printable ASCII (a TAB, a UTF-8 lead byte) is shown in hex so the message
 * stays valid text. */
static void
bad_escape(struct recin *r, long column, unsigned char c, struct diag *d)
{
	if (c > 0x20 && c < 0x7f)
		diag_set(d, r->name, r->line, column,
		    "unknown escape \\%c in record", c);
	else
		diag_set(d, r->name, r->line, column,
		    "unknown escape \\ followed by byte 0x%02x in record", c);
}

/* Split buf[0..len) on TAB and unescape each field in place. */
static int
split(struct recin *r, size_t len, struct diag *d)
{
	char *p = r->buf, *end = r->buf + len, *out;

	r->nfields = 0;
	for (;;) {
		if (r->nfields == r->fcap) {
			r->fcap = r->fcap ? r->fcap * 2 : 32;
			r->fields = xrealloc(r->fields, r->fcap * sizeof *r->fields);
		}
		r->fields[r->nfields++] = out = p;
		while (p < end && *p != '\t') {
			if (*p == '\\') {
				if (p + 1 == end) {
					diag_set(d, r->name, r->line,
					    (long)(p - r->buf) + 1,
					    "backslash at end of line");
					return -1;
				}
				switch (p[1]) {
				case 't': *out++ = '\t'; break;
				case 'n': *out++ = '\n'; break;
				case 'r': *out++ = '\r'; break;
				case '\\': *out++ = '\\'; break;
				default:
					bad_escape(r, (long)(p - r->buf) + 1,
					    (unsigned char)p[1], d);
					return -1;
				}
				p += 2;
			} else
				*out++ = *p++;
		}
		if (p == end) {
			*out = '\0';
			return 0;
		}
		*out = '\0';
		p++;
	}
}

int
rec_split_line(struct recin *r, const char *line, struct diag *d)
{
	size_t len = strlen(line);

	if (len + 1 > r->cap) {
		r->cap = len + 1;
		r->buf = xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf, line, len + 1);
	r->line++;
	return split(r, len, d);
}

/* Refuse the input as not a record stream, at line r->line; returns -1. */
static int
not_records(struct recin *r, struct diag *d)
{
	diag_set(d, r->name, r->line, 1,
	    "not a reskontra record stream (expected '" REC_HEADER "')");
	return -1;
}

/* Read the next line into r->buf without its LF and a CR before it,
 * NUL-terminated, its length in *lenp.  1, 0 at the end of input, or -1
 * with d filled: a NUL byte, a line too long, a read error, or a first
 * byte that no record stream starts with.  This runs once per byte of
 * every record: like the writer it uses the unlocked stdio call (a recin
 * is read by one thread). */
static int
read_line(struct recin *r, size_t *lenp, struct diag *d)
{
	size_t len = 0;
	int c;

	for (;;) {
		c = getc_unlocked(r->fp);
		if (c == EOF || c == '\n')
			break;
		if (c == '\0') {
			diag_set(d, r->name, r->line, (long)len + 1,
			    "NUL byte in record stream");
			return -1;
		}
		/* something that is not a record stream at all is refused
		 * at its first byte, not after a long line */
		if (len == 0 && !r->seen_header && c != '#')
			return not_records(r, d);
		if (len >= (size_t)REC_MAX_LINE + 1) {	/* + a CR */
			diag_set(d, r->name, r->line, 0,
			    "record line longer than %ld bytes",
			    (long)REC_MAX_LINE);
			return -1;
		}
		if (len + 2 > r->cap) {
			r->cap = r->cap ? r->cap * 2 : 1024;
			r->buf = xrealloc(r->buf, r->cap);
		}
		r->buf[len++] = (char)c;
	}
	/* a read error cuts a line short: never hand that out as a record */
	if (c == EOF && ferror(r->fp)) {
		diag_set(d, r->name, r->line, 0, "read error");
		return -1;
	}
	if (c == EOF && len == 0)
		return 0;
	if (r->cap == 0) {
		r->cap = 1024;
		r->buf = xrealloc(r->buf, r->cap);
	}
	if (len > 0 && r->buf[len - 1] == '\r')
		len--;
	if (len > (size_t)REC_MAX_LINE) {
		diag_set(d, r->name, r->line, 0,
		    "record line longer than %ld bytes", (long)REC_MAX_LINE);
		return -1;
	}
	r->buf[len] = '\0';
	*lenp = len;
	return 1;
}

/* A line in r->buf starting with '#': the stream header, or a comment
 * once the header was seen.  0, or -1 with d filled. */
static int
comment_line(struct recin *r, struct diag *d)
{
	if (strncmp(r->buf, "#reskontra records ", 19) == 0) {
		if (strcmp(r->buf, REC_HEADER) != 0) {
			diag_set(d, r->name, r->line, 20,
			    "unsupported record stream version '%s'",
			    r->buf + 19);
			return -1;
		}
		r->seen_header = 1;
		return 0;
	}
	if (!r->seen_header)
		return not_records(r, d);
	return 0;
}

int
rec_read(struct recin *r, struct diag *d)
{
	size_t len;
	int rc;

	for (;;) {
		r->line++;
		if ((rc = read_line(r, &len, d)) < 0)
			return -1;
		if (rc == 0) {
			if (!r->seen_header) {
				diag_set(d, r->name, 0, 0, "empty input: "
				    "not a reskontra record stream");
				return -1;
			}
			return 0;
		}
		if (r->buf[0] == '#') {
			if (comment_line(r, d) < 0)
				return -1;
			continue;
		}
		if (!r->seen_header)
			return not_records(r, d);
		if (len == 0)
			continue;
		if (split(r, len, d) < 0)
			return -1;
		return 1;
	}
}
