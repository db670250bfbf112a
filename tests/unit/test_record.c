/*
 * Unit tests: the record stream writer and reader (base/record.c).
 *
 * Streams are written into memory with open_memstream and read back with
 * fmemopen, so every test sees the exact bytes.  A stream that fails in
 * the middle of a line is made with fopencookie.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/record.h"

struct mem {
	char *data;
	size_t len;
	FILE *fp;
	struct recout w;
};

static void
mem_open(struct mem *m)
{
	m->data = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->data, &m->len);
	cr_assert_not_null(m->fp);
	rec_out_init(&m->w, m->fp);
}

/* Close the stream; m->data then holds what was written. */
static void
mem_close(struct mem *m)
{
	cr_assert_eq(fclose(m->fp), 0);
	m->fp = NULL;
}

struct rd {
	FILE *fp;
	struct recin r;
	struct diag d;
};

static void
rd_open(struct rd *x, const char *data, size_t len)
{
	/* fmemopen refuses a zero size */
	static char empty[1];

	x->fp = len ? fmemopen((void *)data, len, "r") :
	    fmemopen(empty, 1, "r");
	cr_assert_not_null(x->fp);
	if (len == 0)
		fgetc(x->fp);	/* read the one byte away: now at EOF */
	rec_in_init(&x->r, x->fp, "in.rec");
	memset(&x->d, 0, sizeof x->d);
}

static void
rd_opens(struct rd *x, const char *s)
{
	rd_open(x, s, strlen(s));
}

static void
rd_close(struct rd *x)
{
	rec_in_free(&x->r);
	fclose(x->fp);
}

static void
expect_fields(struct rd *x, size_t n, ...)
{
	va_list ap;
	size_t i;

	cr_assert_eq(rec_read(&x->r, &x->d), 1, "rec_read: %s", x->d.msg);
	cr_assert_eq(x->r.nfields, n, "%zu fields, expected %zu",
	    x->r.nfields, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		cr_assert_str_eq(rec_field(&x->r, i), want, "field %zu", i);
	}
	va_end(ap);
}

static void
expect_error(struct rd *x, long line, long column, const char *part)
{
	cr_assert_eq(rec_read(&x->r, &x->d), -1, "expected an error");
	cr_assert_str_eq(x->d.file, "in.rec");
	cr_assert_eq(x->d.line, line, "line %ld, expected %ld: %s", x->d.line,
	    line, x->d.msg);
	cr_assert_eq(x->d.column, column, "column %ld, expected %ld: %s",
	    x->d.column, column, x->d.msg);
	cr_assert(strstr(x->d.msg, part) != NULL, "'%s' lacks '%s'", x->d.msg,
	    part);
}

/* ---- writer --------------------------------------------------------- */

Test(record, writer_escapes_and_formats)
{
	struct mem m;

	mem_open(&m);
	rec_header(&m.w);
	rec_comment(&m.w, "made by\na test");
	rec_begin(&m.w, "pay");
	rec_str(&m.w, "a\tb\nc\rd\\e");
	rec_str(&m.w, NULL);
	rec_strn(&m.w, "xyz", 2);
	rec_cents(&m.w, -1250);
	rec_cents(&m.w, 5);
	rec_date(&m.w, DAY_NONE);
	rec_int(&m.w, -42);
	rec_source(&m.w, "in/a b.ktl", 17);
	rec_end(&m.w);
	rec_begin(&m.w, "x");
	rec_end(&m.w);
	mem_close(&m);
	cr_assert_str_eq(m.data,
	    "#reskontra records 1\n"
	    "# made by a test\n"
	    "pay\ta\\tb\\nc\\rd\\\\e\t\txy\t-12.50\t0.05\t\t-42\tin/a b.ktl:17\n"
	    "x\n");
	free(m.data);
}

Test(record, writer_dates)
{
	struct mem m;
	day_t day;

	cr_assert_eq(date_from_ymd(2026, 1, 5, &day), 0);
	mem_open(&m);
	rec_begin(&m.w, "d");
	rec_date(&m.w, day);
	rec_end(&m.w);
	mem_close(&m);
	cr_assert_str_eq(m.data, "d\t2026-01-05\n");
	free(m.data);
}

Test(record, every_byte_round_trips)
{
	char field[256], hard[] = "\\\t\n\r\\\\t\\n end\r";
	struct mem m;
	struct rd x;
	int i;

	for (i = 1; i < 256; i++)
		field[i - 1] = (char)i;
	field[255] = '\0';
	mem_open(&m);
	rec_header(&m.w);
	rec_begin(&m.w, "k");
	rec_str(&m.w, field);
	rec_str(&m.w, hard);
	rec_str(&m.w, "");
	rec_str(&m.w, "\\");
	rec_end(&m.w);
	mem_close(&m);
	/* the only raw TAB/LF are separators and terminators */
	cr_assert_eq(memchr(m.data, '\r', m.len), NULL);

	rd_open(&x, m.data, m.len);
	expect_fields(&x, 5, "k", field, hard, "", "\\");
	cr_assert_eq(rec_read(&x.r, &x.d), 0);
	rd_close(&x);
	free(m.data);
}

/* The writer gathers a record in a buffer of REC_OUT_BUFSZ bytes: an
 * escape whose two bytes fall on either side of its end, at every offset
 * around it, must come out whole. */
Test(record, escapes_across_the_write_buffer)
{
	static const char esc[] = "\t\n\r\\";
	char *field = malloc(3 * REC_OUT_BUFSZ + 1);
	struct mem m;
	struct rd x;
	size_t i, pad;

	cr_assert_not_null(field);
	for (pad = REC_OUT_BUFSZ - 12; pad < REC_OUT_BUFSZ + 4; pad++) {
		for (i = 0; i < 3 * REC_OUT_BUFSZ; i++)
			field[i] = i >= pad && i % 3 == 0 ? esc[i % 4] :
			    (char)('a' + i % 26);
		field[3 * REC_OUT_BUFSZ] = '\0';
		mem_open(&m);
		rec_header(&m.w);
		rec_begin(&m.w, "k");
		rec_str(&m.w, field);
		rec_end(&m.w);
		mem_close(&m);
		rd_open(&x, m.data, m.len);
		expect_fields(&x, 2, "k", field);
		rd_close(&x);
		free(m.data);
	}
	free(field);
}

/* Fields of a record not yet ended reach the FILE with rec_flush(). */
Test(record, flush_hands_over_an_unended_record)
{
	struct mem m;

	mem_open(&m);
	rec_str(&m.w, "a\tb");
	rec_str(&m.w, "c");
	rec_flush(&m.w);
	mem_close(&m);
	cr_assert_eq(m.len, 6);
	cr_assert(memcmp(m.data, "a\\tb\tc", 6) == 0);
	free(m.data);
}

Test(record, copy_writes_a_record_through)
{
	struct mem m;
	struct rd x;
	const char *in = "#reskontra records 1\ninv\tA\\tB\t\t12.00\tf:3\n";

	rd_opens(&x, in);
	cr_assert_eq(rec_read(&x.r, &x.d), 1);
	mem_open(&m);
	rec_header(&m.w);
	rec_copy(&m.w, x.r.fields, x.r.nfields);
	mem_close(&m);
	cr_assert_str_eq(m.data, in);
	rd_close(&x);
	free(m.data);
}

/* ---- reader --------------------------------------------------------- */

Test(record, header_is_required)
{
	struct rd x;

	rd_opens(&x, "pay\t1\t2\n");
	expect_error(&x, 1, 1, "not a reskontra record stream");
	rd_close(&x);

	rd_opens(&x, "# a comment first\n#reskontra records 1\n");
	expect_error(&x, 1, 1, "not a reskontra record stream");
	rd_close(&x);

	rd_opens(&x, "\n#reskontra records 1\n");
	expect_error(&x, 1, 1, "not a reskontra record stream");
	rd_close(&x);

	rd_opens(&x, "#reskontra records\npay\n");
	expect_error(&x, 1, 1, "not a reskontra record stream");
	rd_close(&x);
}

Test(record, empty_input_is_not_a_stream)
{
	struct rd x;

	rd_open(&x, "", 0);
	cr_assert_eq(rec_read(&x.r, &x.d), -1);
	cr_assert(strstr(x.d.msg, "empty input") != NULL, "%s", x.d.msg);
	rd_close(&x);
}

Test(record, header_only_is_an_empty_stream)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\n");
	cr_assert_eq(rec_read(&x.r, &x.d), 0);
	cr_assert_eq(rec_read(&x.r, &x.d), 0);	/* and stays at the end */
	rd_close(&x);
}

Test(record, unknown_version)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 2\npay\n");
	expect_error(&x, 1, 20, "unsupported record stream version '2'");
	rd_close(&x);

	/* also when it comes later, in a concatenated stream */
	rd_opens(&x, "#reskontra records 1\na\n#reskontra records 10\nb\n");
	expect_fields(&x, 1, "a");
	expect_error(&x, 3, 20, "'10'");
	rd_close(&x);

	rd_opens(&x, "#reskontra records 1 \n");
	expect_error(&x, 1, 20, "unsupported");
	rd_close(&x);
}

Test(record, repeated_header_comments_and_empty_lines)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\n"
	    "# comment\n"
	    "\n"
	    "a\t1\n"
	    "#reskontra records 1\n"
	    "\n"
	    "\n"
	    "b\t2\n"
	    "#\n");
	expect_fields(&x, 2, "a", "1");
	cr_assert_eq(x.r.line, 4);
	expect_fields(&x, 2, "b", "2");
	cr_assert_eq(x.r.line, 8);
	cr_assert_eq(rec_read(&x.r, &x.d), 0);
	rd_close(&x);
}

Test(record, crlf_is_tolerated)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\r\na\tb\r\n\r\nc\t\r\n");
	expect_fields(&x, 2, "a", "b");
	expect_fields(&x, 2, "c", "");
	cr_assert_eq(x.r.line, 4);
	cr_assert_eq(rec_read(&x.r, &x.d), 0);
	rd_close(&x);
}

Test(record, last_line_without_newline)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\na\tb");
	expect_fields(&x, 2, "a", "b");
	cr_assert_eq(rec_read(&x.r, &x.d), 0);
	rd_close(&x);
}

Test(record, fields_beyond_the_record_are_empty)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\nk\t\tz\t\n");
	expect_fields(&x, 4, "k", "", "z", "");
	cr_assert_str_eq(rec_field(&x.r, 4), "");
	cr_assert_str_eq(rec_field(&x.r, 1000), "");
	cr_assert_str_eq(rec_field(&x.r, (size_t)-1), "");
	rd_close(&x);
}

Test(record, many_fields_and_a_long_line)
{
	struct mem m;
	struct rd x;
	char name[16];
	char *big;
	int i;

	big = malloc(200001);
	cr_assert_not_null(big);
	memset(big, 'q', 200000);
	big[200000] = '\0';
	mem_open(&m);
	rec_header(&m.w);
	rec_begin(&m.w, "wide");
	for (i = 1; i < 100; i++) {
		snprintf(name, sizeof name, "f%d", i);
		rec_str(&m.w, name);
	}
	rec_str(&m.w, big);
	rec_end(&m.w);
	mem_close(&m);
	rd_open(&x, m.data, m.len);
	cr_assert_eq(rec_read(&x.r, &x.d), 1);
	cr_assert_eq(x.r.nfields, 101);
	cr_assert_str_eq(rec_field(&x.r, 57), "f57");
	cr_assert_str_eq(rec_field(&x.r, 100), big);
	rd_close(&x);
	free(m.data);
	free(big);
}

Test(record, bad_escapes_have_line_and_column)
{
	struct rd x;

	rd_opens(&x, "#reskontra records 1\nok\n# c\nab\tc\\qd\n");
	expect_fields(&x, 1, "ok");
	expect_error(&x, 4, 5, "unknown escape \\q");
	rd_close(&x);

	/* the column counts raw bytes, also after earlier escapes */
	rd_opens(&x, "#reskontra records 1\n\\t\\\\\\x\n");
	expect_error(&x, 2, 5, "unknown escape \\x");
	rd_close(&x);

	rd_opens(&x, "#reskontra records 1\nabc\\\n");
	expect_error(&x, 2, 4, "backslash at end of line");
	rd_close(&x);

	rd_opens(&x, "#reskontra records 1\nabc\\\r\n");
	expect_error(&x, 2, 4, "backslash at end of line");
	rd_close(&x);

	/* a backslash before a TAB does not escape the separator */
	rd_opens(&x, "#reskontra records 1\na\\\tb\n");
	expect_error(&x, 2, 2, "unknown escape");
	rd_close(&x);
}

Test(record, bad_escape_message_is_printable)
{
	struct rd x;
	size_t i;

	rd_opens(&x, "#reskontra records 1\nk\t\\\xc3\xa4\n");
	expect_error(&x, 2, 3, "unknown escape");
	for (i = 0; x.d.msg[i]; i++)
		cr_assert((unsigned char)x.d.msg[i] >= 0x20 &&
		    (unsigned char)x.d.msg[i] < 0x7f, "byte %zu of '%s'", i,
		    x.d.msg);
	rd_close(&x);
}

Test(record, nul_byte_is_rejected)
{
	static const char in[] = "#reskontra records 1\nab\0c\n";
	struct rd x;

	rd_open(&x, in, sizeof in - 1);
	expect_error(&x, 2, 3, "NUL byte");
	rd_close(&x);

	rd_open(&x, "\0", 1);
	expect_error(&x, 1, 1, "NUL byte");
	rd_close(&x);
}

/* A stream that hands out `data` and then fails. */
struct failing {
	const char *data;
	size_t len, pos;
};

static ssize_t
failing_read(void *cookie, char *buf, size_t size)
{
	struct failing *f = cookie;
	size_t n = f->len - f->pos;

	if (n == 0) {
		errno = EIO;
		return -1;
	}
	if (n > size)
		n = size;
	memcpy(buf, f->data + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

Test(record, read_error_in_the_middle_of_a_line)
{
	static const char data[] = "#reskontra records 1\nfirst\t1\nsecond\t2";
	struct failing f = { data, sizeof data - 1, 0 };
	cookie_io_functions_t io = { failing_read, NULL, NULL, NULL };
	struct recin r;
	struct diag d;
	FILE *fp;

	fp = fopencookie(&f, "r", io);
	cr_assert_not_null(fp);
	rec_in_init(&r, fp, "pipe");
	cr_assert_eq(rec_read(&r, &d), 1);
	cr_assert_str_eq(rec_field(&r, 0), "first");
	/* the cut-off "second\t2" must not come out as a record */
	cr_assert_eq(rec_read(&r, &d), -1);
	cr_assert(strstr(d.msg, "read error") != NULL, "%s", d.msg);
	cr_assert_str_eq(d.file, "pipe");
	rec_in_free(&r);
	fclose(fp);
}

/* An endless stream: prefix, then `fill` bytes forever (or `limit` of
 * them, then a newline and the end). */
struct endless {
	const char *prefix;
	size_t plen, pos;
	char fill;
	size_t limit;		/* 0: endless */
	size_t filled;
	int done;
};

static ssize_t
endless_read(void *cookie, char *buf, size_t size)
{
	struct endless *e = cookie;
	size_t n = 0;

	while (n < size && e->pos < e->plen)
		buf[n++] = e->prefix[e->pos++];
	while (n < size && !e->done) {
		if (e->limit && e->filled == e->limit) {
			buf[n++] = '\n';
			e->done = 1;
			break;
		}
		buf[n++] = e->fill;
		e->filled++;
	}
	return (ssize_t)n;
}

static FILE *
endless_open(struct endless *e, const char *prefix, char fill, size_t limit)
{
	cookie_io_functions_t io = { endless_read, NULL, NULL, NULL };

	memset(e, 0, sizeof *e);
	e->prefix = prefix;
	e->plen = strlen(prefix);
	e->fill = fill;
	e->limit = limit;
	return fopencookie(e, "r", io);
}

Test(record, line_length_is_bounded, .timeout = 60)
{
	struct endless e;
	struct recin r;
	struct diag d;
	FILE *fp;

	/* exactly the limit is a record */
	fp = endless_open(&e, REC_HEADER "\nk\t", 'x', REC_MAX_LINE - 2);
	rec_in_init(&r, fp, "big");
	cr_assert_eq(rec_read(&r, &d), 1, "%s", d.msg);
	cr_assert_eq(strlen(rec_field(&r, 1)), (size_t)REC_MAX_LINE - 2);
	cr_assert_eq(rec_read(&r, &d), 0);
	rec_in_free(&r);
	fclose(fp);

	/* one more byte is not */
	fp = endless_open(&e, REC_HEADER "\nk\t", 'x', REC_MAX_LINE - 1);
	rec_in_init(&r, fp, "big");
	memset(&d, 0, sizeof d);
	cr_assert_eq(rec_read(&r, &d), -1);
	cr_assert_eq(d.line, 2);
	cr_assert(strstr(d.msg, "longer than") != NULL, "%s", d.msg);
	rec_in_free(&r);
	fclose(fp);

	/* and a line without end stops at the limit */
	fp = endless_open(&e, REC_HEADER "\n#", 'x', 0);
	rec_in_init(&r, fp, "big");
	cr_assert_eq(rec_read(&r, &d), -1);
	cr_assert(strstr(d.msg, "longer than") != NULL, "%s", d.msg);
	cr_assert(e.filled < (size_t)REC_MAX_LINE + 100000);
	rec_in_free(&r);
	fclose(fp);
}

Test(record, not_a_stream_is_refused_at_once)
{
	struct endless e;
	struct recin r;
	struct diag d;
	FILE *fp;

	/* a binary file without newlines piped in by mistake */
	fp = endless_open(&e, "\x1f\x8b", 'z', 0);
	rec_in_init(&r, fp, "-");
	cr_assert_eq(rec_read(&r, &d), -1);
	cr_assert_eq(d.line, 1);
	cr_assert_eq(d.column, 1);
	cr_assert(strstr(d.msg, "not a reskontra record stream") != NULL);
	cr_assert(e.filled < 100000, "read %zu bytes", e.filled);
	rec_in_free(&r);
	fclose(fp);
}

/* Short fields are copied by two overlapping words, and a field without
 * escapes is copied as it is scanned: every length up to 40 with each
 * escaped byte at each position, and without one, read back whole. */
Test(record, fields_of_every_length_with_an_escape_anywhere)
{
	static const char esc[] = "\t\n\r\\";
	char field[41];
	struct mem m;
	struct rd x;
	size_t n, pos, k, i;

	for (n = 0; n <= 40; n++)
		for (pos = 0; pos <= n; pos++)
			for (k = 0; k < (pos < n ? 4u : 1u); k++) {
				for (i = 0; i < n; i++)
					field[i] = (char)('a' + (i + n) % 26);
				if (pos < n)
					field[pos] = esc[k];
				field[n] = '\0';
				mem_open(&m);
				rec_header(&m.w);
				rec_begin(&m.w, "k");
				rec_strn(&m.w, field, n);
				rec_cents(&m.w, -(int64_t)n * 101);
				rec_str(&m.w, field);
				rec_end(&m.w);
				mem_close(&m);
				rd_open(&x, m.data, m.len);
				{
					char cents[16];

					snprintf(cents, sizeof cents, "%s%zu.%02zu",
					    n ? "-" : "", n * 101 / 100,
					    n * 101 % 100);
					expect_fields(&x, 4, "k", field, cents,
					    field);
				}
				rd_close(&x);
				free(m.data);
			}
}

/* A line written by rec_str() without a stream around it (a journalled
 * note) splits back into the fields written, as rec_read() splits. */
Test(record, split_line_of_fields_written)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct recout w;
	struct recin r;
	struct diag d;

	cr_assert_not_null(fp);
	rec_out_init(&w, fp);
	rec_str(&w, "unknown");
	rec_str(&w, "");
	rec_str(&w, "tab\there, line\nbreak, back\\slash");
	rec_flush(&w);
	fclose(fp);
	rec_in_init(&r, NULL, "note");
	cr_assert_eq(rec_split_line(&r, buf, &d), 0);
	cr_assert_eq(r.nfields, 3);
	cr_assert_str_eq(rec_field(&r, 0), "unknown");
	cr_assert_str_eq(rec_field(&r, 1), "");
	cr_assert_str_eq(rec_field(&r, 2), "tab\there, line\nbreak, back\\slash");
	/* a second, shorter line reuses the buffer; a bad escape fails */
	cr_assert_eq(rec_split_line(&r, "a\tb", &d), 0);
	cr_assert_eq(r.nfields, 2);
	cr_assert_str_eq(rec_field(&r, 1), "b");
	cr_assert_eq(rec_split_line(&r, "a\\q", &d), -1);
	cr_assert(strstr(d.msg, "unknown escape") != NULL, "%s", d.msg);
	rec_in_free(&r);
	free(buf);
}
