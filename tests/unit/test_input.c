/*
 * Unit tests: input files, gzip and the line reader (base/input.c).
 *
 * Each test writes its files into its own temporary directory (gzip ones
 * through zlib's gzopen) and removes them at the end.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/input.h"
#include "base/util.h"

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/reskontra-input.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(input, .init = setup, .fini = teardown);

static const char *
path_of(const char *name)
{
	static char buf[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static const char *
write_file(const char *name, const void *data, size_t n)
{
	const char *p = path_of(name);
	FILE *fp = fopen(p, "wb");

	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(data, 1, n, fp), n);
	cr_assert_eq(fclose(fp), 0);
	return p;
}

static const char *
write_gzip(const char *name, const void *data, size_t n)
{
	const char *p = path_of(name);
	gzFile gz = gzopen(p, "wb9");

	cr_assert_not_null(gz);
	if (n > 0)
		cr_assert_eq(gzwrite(gz, data, (unsigned)n), (int)n);
	cr_assert_eq(gzclose(gz), Z_OK);
	return p;
}

static void
read_whole(const char *p, struct sbuf *out)
{
	FILE *fp = fopen(p, "rb");
	char buf[4096];
	size_t n;

	cr_assert_not_null(fp);
	sbuf_reset(out);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sbuf_add(out, buf, n);
	fclose(fp);
}

static struct input *
open_ok(const char *p)
{
	struct diag d;
	struct input *in = input_open(p, &d);

	cr_assert_not_null(in, "%s: %s", p, d.msg);
	return in;
}

static void
line_is(struct input *in, const char *want, size_t wantlen, long lineno,
    uint64_t offset)
{
	struct diag d;
	char *line = NULL;
	size_t len = 12345;

	cr_assert_eq(input_getline(in, &line, &len, &d), 1, "line %ld: %s",
	    lineno, d.msg);
	cr_assert_eq(len, wantlen, "line %ld: length %zu, expected %zu",
	    lineno, len, wantlen);
	cr_assert(wantlen == 0 || memcmp(line, want, wantlen) == 0,
	    "line %ld", lineno);
	cr_assert_eq(line[len], '\0');
	cr_assert_eq(input_lineno(in), lineno);
	cr_assert_eq(input_offset(in), offset, "line %ld: offset %llu",
	    lineno, (unsigned long long)input_offset(in));
}

#define LINE(in, s, no, off) line_is(in, s, sizeof s - 1, no, off)

static void
at_end(struct input *in)
{
	struct diag d;
	char *line;
	size_t len;

	cr_assert_eq(input_getline(in, &line, &len, &d), 0);
	cr_assert_eq(input_getline(in, &line, &len, &d), 0);
}

/* ---- lines ---------------------------------------------------------- */

static const char mixed[] = "first\nsecond\r\n\nlone\rcr\r\n\r\nlast";

static void
check_mixed(struct input *in)
{
	LINE(in, "first", 1, 0);
	LINE(in, "second", 2, 6);
	LINE(in, "", 3, 14);
	LINE(in, "lone", 4, 15);	/* a CR alone ends a line */
	LINE(in, "cr", 5, 20);
	LINE(in, "", 6, 24);
	LINE(in, "last", 7, 26);
	at_end(in);
}

Test(input, lf_crlf_lone_cr_and_no_final_newline)
{
	struct input *in = open_ok(write_file("m.txt", mixed, sizeof mixed - 1));

	cr_assert_eq(input_is_gzip(in), 0);
	cr_assert_str_eq(input_name(in), path_of("m.txt"));
	check_mixed(in);
	input_close(in);
}

Test(input, same_lines_through_gzip)
{
	struct input *in = open_ok(write_gzip("m.gz", mixed, sizeof mixed - 1));

	check_mixed(in);
	cr_assert_eq(input_is_gzip(in), 1);
	input_close(in);
}

Test(input, final_newline_gives_no_extra_line)
{
	struct input *in = open_ok(write_file("a", "a\nb\n", 4));

	LINE(in, "a", 1, 0);
	LINE(in, "b", 2, 2);
	at_end(in);
	input_close(in);

	in = open_ok(write_file("b", "\n", 1));
	LINE(in, "", 1, 0);
	at_end(in);
	input_close(in);
}

Test(input, final_cr_without_lf_ends_the_last_line)
{
	struct input *in = open_ok(write_file("a", "x\r\ny\r", 5));

	LINE(in, "x", 1, 0);
	LINE(in, "y", 2, 3);
	at_end(in);
	input_close(in);
}

/* Old Macintosh line ends, mixed with CR LF: every line counted. */
Test(input, cr_only_line_ends)
{
	struct input *in = open_ok(write_file("c", "a\rb\r\rc\r\nd", 9));

	LINE(in, "a", 1, 0);
	LINE(in, "b", 2, 2);
	LINE(in, "", 3, 4);
	LINE(in, "c", 4, 5);
	LINE(in, "d", 5, 8);
	at_end(in);
	input_close(in);
}

Test(input, nul_bytes_stay_inside_the_line)
{
	static const char data[] = "a\0b\nc";
	struct input *in = open_ok(write_file("z", data, sizeof data - 1));

	line_is(in, "a\0b", 3, 1, 0);
	LINE(in, "c", 2, 4);
	at_end(in);
	input_close(in);
}

Test(input, empty_file)
{
	const char *p = write_file("empty", "", 0);
	struct input *in = open_ok(p);
	const char *q = NULL;
	struct diag d;
	char buf[8];

	cr_assert_eq(input_peek(in, 100, &q, &d), 0);
	at_end(in);
	input_close(in);

	in = open_ok(p);
	cr_assert_eq(input_read(in, buf, sizeof buf, &d), 0);
	input_close(in);

	/* an empty gzip member is an empty input too */
	in = open_ok(write_gzip("empty.gz", "", 0));
	cr_assert_eq(input_peek(in, 100, &q, &d), 0);
	at_end(in);
	input_close(in);
}

/* Many lines of varying length, crossing every buffer boundary; offsets
 * are summed here independently. */
static void
many_lines(int gz)
{
	struct sbuf data = SBUF_INIT, want = SBUF_INIT;
	uint64_t off = 0;
	struct input *in;
	int i, k, n = 30000;

	for (i = 0; i < n; i++) {
		for (k = 0; k < (i * 7919) % 97; k++)
			sbuf_addc(&data, 'a' + (i + k) % 26);
		sbuf_adds(&data, i % 3 ? "\n" : "\r\n");
	}
	in = open_ok(gz ? write_gzip("many.gz", data.data, data.len) :
	    write_file("many", data.data, data.len));
	for (i = 0; i < n; i++) {
		int len = (i * 7919) % 97;

		sbuf_reset(&want);
		for (k = 0; k < len; k++)
			sbuf_addc(&want, 'a' + (i + k) % 26);
		line_is(in, want.data, want.len, i + 1, off);
		off += (uint64_t)len + (i % 3 ? 1 : 2);
	}
	cr_assert_eq(off, data.len);
	at_end(in);
	input_close(in);
	sbuf_free(&data);
	sbuf_free(&want);
}

Test(input, line_numbers_and_offsets_across_buffers)
{
	many_lines(0);
}

Test(input, line_numbers_and_offsets_across_buffers_gzip)
{
	many_lines(1);
}

/* ---- the line length bound ----------------------------------------- */

static void
long_line(const char *name, size_t len, const char *term, int gz, int ok)
{
	size_t tl = strlen(term);
	char *data = xmalloc(len + tl + 6);
	struct input *in;
	struct diag d;
	char *line;
	size_t got;

	memcpy(data, "head\n", 5);
	memset(data + 5, 'x', len);
	memcpy(data + 5 + len, term, tl);
	in = open_ok(gz ? write_gzip(name, data, len + tl + 5) :
	    write_file(name, data, len + tl + 5));
	LINE(in, "head", 1, 0);
	if (ok) {
		cr_assert_eq(input_getline(in, &line, &got, &d), 1, "%zu: %s",
		    len, d.msg);
		cr_assert_eq(got, len);
		cr_assert_eq(line[0], 'x');
		cr_assert_eq(line[len - 1], 'x');
		at_end(in);
	} else {
		memset(&d, 0, sizeof d);
		cr_assert_eq(input_getline(in, &line, &got, &d), -1, "%zu", len);
		cr_assert_eq(d.line, 2);
		cr_assert_str_eq(d.file, path_of(name));
		cr_assert(strstr(d.msg, "longer than") != NULL, "%s", d.msg);
	}
	input_close(in);
	free(data);
}

Test(input, line_at_the_limit_is_read)
{
	long_line("l1", INPUT_MAX_LINE, "\n", 0, 1);
	long_line("l2", INPUT_MAX_LINE, "\r\n", 0, 1);
	long_line("l3", INPUT_MAX_LINE, "", 0, 1);
	long_line("l4", INPUT_MAX_LINE - 1, "\n", 0, 1);
	long_line("l5", INPUT_MAX_LINE, "\r\n", 1, 1);
}

Test(input, line_over_the_limit_is_an_error)
{
	long_line("o1", INPUT_MAX_LINE + 1, "\n", 0, 0);
	long_line("o2", INPUT_MAX_LINE + 1, "", 0, 0);
	long_line("o3", 3 * INPUT_MAX_LINE, "\n", 0, 0);
	long_line("o4", 5 * INPUT_MAX_LINE, "\n", 1, 0);
	/* a CR ends the line: the longest line with a CR end is fine */
	long_line("o5", INPUT_MAX_LINE, "\r", 0, 1);
	long_line("o6", INPUT_MAX_LINE + 1, "\r", 0, 0);
}

/* ---- gzip errors ---------------------------------------------------- */

static void
drain_expect_error(const char *p, const char *what)
{
	struct input *in = open_ok(p);
	struct diag d;
	char *line;
	size_t len;
	int rc, guard = 0;

	memset(&d, 0, sizeof d);
	while ((rc = input_getline(in, &line, &len, &d)) == 1)
		cr_assert(++guard < 100000);
	cr_assert_eq(rc, -1, "%s: read to the end without an error", what);
	cr_assert(strncmp(d.msg, "gzip: ", 6) == 0, "%s: %s", what, d.msg);
	cr_assert(strstr(d.msg, "<fd:") == NULL, "%s: %s", what, d.msg);
	cr_assert_str_eq(d.file, p);
	input_close(in);
}

static void
gzip_sample(struct sbuf *gz)
{
	struct sbuf text = SBUF_INIT;
	int i;

	for (i = 0; i < 2000; i++)
		sbuf_addf(&text, "T10188%06d  payment line %d\r\n", i, i * 37);
	read_whole(write_gzip("sample.gz", text.data, text.len), gz);
	sbuf_free(&text);
}

Test(input, truncated_gzip_is_an_error_at_every_cut)
{
	struct sbuf gz = SBUF_INIT;
	size_t cut;
	char name[32];

	gzip_sample(&gz);
	cr_assert(gz.len > 100);
	/* from 2 bytes on, the magic number says gzip */
	for (cut = 2; cut < gz.len; cut += cut < 40 || gz.len - cut < 40 ?
	    1 : 97) {
		snprintf(name, sizeof name, "cut%zu.gz", cut);
		drain_expect_error(write_file(name, gz.data, cut), name);
	}
	sbuf_free(&gz);
}

Test(input, corrupt_gzip_is_an_error)
{
	struct sbuf gz = SBUF_INIT;
	char name[32];
	size_t at;

	gzip_sample(&gz);
	/* a wrong CRC or length in the trailer */
	gz.data[gz.len - 6] ^= 0x55;
	drain_expect_error(write_file("crc.gz", gz.data, gz.len), "crc");
	gz.data[gz.len - 6] ^= 0x55;
	gz.data[gz.len - 2] ^= 0x01;
	drain_expect_error(write_file("isize.gz", gz.data, gz.len), "isize");
	gz.data[gz.len - 2] ^= 0x01;
	/* garbage in the deflate data */
	for (at = 12; at < gz.len - 8; at += 53) {
		gz.data[at] ^= 0xa5;
		snprintf(name, sizeof name, "bad%zu.gz", at);
		drain_expect_error(write_file(name, gz.data, gz.len), name);
		gz.data[at] ^= 0xa5;
	}
	sbuf_free(&gz);
}

Test(input, concatenated_gzip_members)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	struct input *in;

	read_whole(write_gzip("a.gz", "one\ntw", 6), &a);
	read_whole(write_gzip("b.gz", "o\nthree\n", 8), &b);
	sbuf_add(&a, b.data, b.len);
	in = open_ok(write_file("ab.gz", a.data, a.len));
	LINE(in, "one", 1, 0);
	LINE(in, "two", 2, 4);
	LINE(in, "three", 3, 8);
	at_end(in);
	input_close(in);
	sbuf_free(&a);
	sbuf_free(&b);
}

/* Bytes after the last member that are not another member: the file is
 * bad (not a system error), and the message says where they start. */
static void
trailing(const char *name, const void *tail, size_t tn, int raw)
{
	struct sbuf a = SBUF_INIT;
	struct input *in;
	struct diag d;
	char want[64], *line, buf[100];
	size_t len;
	long n;

	read_whole(write_gzip("t.gz", "one\ntwo\n", 8), &a);
	snprintf(want, sizeof want, "data after the end of the gzip stream "
	    "at byte %zu", a.len);
	sbuf_add(&a, tail, tn);
	in = open_ok(write_file(name, a.data, a.len));
	memset(&d, 0, sizeof d);
	if (raw) {
		while ((n = input_read(in, buf, sizeof buf, &d)) > 0)
			;
		cr_assert_eq(n, -1, "%s: no error", name);
	} else {
		LINE(in, "one", 1, 0);
		LINE(in, "two", 2, 4);
		cr_assert_eq(input_getline(in, &line, &len, &d), -1,
		    "%s: no error", name);
		cr_assert_eq(d.line, 3);
	}
	cr_assert_str_eq(d.msg, want, "%s: %s", name, d.msg);
	cr_assert_str_eq(d.file, path_of(name));
	cr_assert_eq(input_error_is_io(in), 0);
	input_close(in);
	sbuf_free(&a);
}

Test(input, data_after_the_gzip_stream_is_an_error)
{
	static const char zeros[512];

	trailing("garbage.gz", "\x8b\x1f garbage", 10, 0);
	trailing("plain.gz", "T10188\r\nT90\r\n", 14, 0);
	trailing("zeros.gz", zeros, sizeof zeros, 0);
	trailing("one-byte.gz", "\x1f", 1, 0);
	trailing("raw.gz", "<?xml?>", 7, 1);
}

Test(input, a_second_member_with_a_bad_header_is_an_error)
{
	struct sbuf a = SBUF_INIT;

	read_whole(write_gzip("h.gz", "one\n", 4), &a);
	sbuf_add(&a, "\x1f\x8b\x01\x00\x00\x00\x00\x00\x00\x03", 10);
	drain_expect_error(write_file("h2.gz", a.data, a.len), "header");
	sbuf_free(&a);
}

Test(input, a_file_named_gz_that_is_not_gzip)
{
	struct input *in = open_ok(write_file("plain.gz", "a\nb\n", 4));

	LINE(in, "a", 1, 0);
	LINE(in, "b", 2, 2);
	at_end(in);
	cr_assert_eq(input_is_gzip(in), 0);
	input_close(in);
}

/* ---- peek and raw reads --------------------------------------------- */

Test(input, peek_then_getline_sees_the_same_bytes)
{
	static const char data[] = "<?xml version=\"1.0\"?>\n<a>\r\nb</a>";
	struct input *in;
	const char *p;
	struct diag d;
	int gz;

	for (gz = 0; gz < 2; gz++) {
		in = open_ok(gz ? write_gzip("p.gz", data, sizeof data - 1) :
		    write_file("p", data, sizeof data - 1));
		cr_assert_eq(input_peek(in, 5, &p, &d), 5);
		cr_assert(memcmp(p, "<?xml", 5) == 0);
		cr_assert_eq(input_peek(in, 1000, &p, &d),
		    (long)sizeof data - 1);
		cr_assert(memcmp(p, data, sizeof data - 1) == 0);
		cr_assert_eq(input_is_gzip(in), gz);
		LINE(in, "<?xml version=\"1.0\"?>", 1, 0);
		/* a peek in the middle does not consume either */
		cr_assert_eq(input_peek(in, 3, &p, &d), 3);
		cr_assert(memcmp(p, "<a>", 3) == 0);
		LINE(in, "<a>", 2, 22);
		LINE(in, "b</a>", 3, 27);
		at_end(in);
		input_close(in);
	}
}

Test(input, peek_is_bounded_to_64k)
{
	size_t n = 200000;
	char *data = xmalloc(n);
	struct input *in;
	const char *p;
	struct diag d;
	size_t i;

	for (i = 0; i < n; i++)
		data[i] = i % 101 == 100 ? '\n' : (char)('a' + i % 26);
	in = open_ok(write_file("big", data, n));
	cr_assert_eq(input_peek(in, 1000000, &p, &d), 65536);
	cr_assert(memcmp(p, data, 65536) == 0);
	line_is(in, data, 100, 1, 0);
	input_close(in);
	free(data);
}

Test(input, raw_read_after_peek)
{
	struct sbuf text = SBUF_INIT, got = SBUF_INIT;
	struct input *in;
	const char *p;
	struct diag d;
	char buf[777];
	long n;
	int i, gz;

	for (i = 0; i < 20000; i++)
		sbuf_addf(&text, "<row n=\"%d\"/>\n", i);
	for (gz = 0; gz < 2; gz++) {
		in = open_ok(gz ? write_gzip("r.gz", text.data, text.len) :
		    write_file("r", text.data, text.len));
		cr_assert_eq(input_peek(in, 64, &p, &d), 64);
		sbuf_reset(&got);
		/* a zero-byte read is not the end */
		cr_assert_eq(input_read(in, buf, 0, &d), 0);
		while ((n = input_read(in, buf, sizeof buf, &d)) > 0)
			sbuf_add(&got, buf, (size_t)n);
		cr_assert_eq(n, 0, "%s", d.msg);
		cr_assert_eq(got.len, text.len, "gz=%d: %zu of %zu bytes", gz,
		    got.len, text.len);
		cr_assert(memcmp(got.data, text.data, text.len) == 0);
		cr_assert_eq(input_read(in, buf, 0, &d), 0);
		input_close(in);
	}
	sbuf_free(&text);
	sbuf_free(&got);
}

Test(input, zero_byte_read_does_not_end_the_input)
{
	struct input *in = open_ok(write_file("z", "abc", 3));
	struct diag d;
	char buf[8];

	cr_assert_eq(input_read(in, buf, 0, &d), 0);
	cr_assert_eq(input_read(in, buf, sizeof buf, &d), 3);
	cr_assert(memcmp(buf, "abc", 3) == 0);
	cr_assert_eq(input_read(in, buf, sizeof buf, &d), 0);
	input_close(in);
}

Test(input, raw_read_of_truncated_gzip_is_an_error)
{
	struct sbuf gz = SBUF_INIT;
	struct input *in;
	struct diag d;
	char buf[4096];
	long n;

	gzip_sample(&gz);
	in = open_ok(write_file("t.gz", gz.data, gz.len / 2));
	while ((n = input_read(in, buf, sizeof buf, &d)) > 0)
		;
	cr_assert_eq(n, -1);
	cr_assert(strncmp(d.msg, "gzip: ", 6) == 0, "%s", d.msg);
	input_close(in);
	sbuf_free(&gz);
}

/* ---- opening -------------------------------------------------------- */

Test(input, open_errors)
{
	struct diag d;

	memset(&d, 0, sizeof d);
	cr_assert_null(input_open(path_of("missing"), &d));
	cr_assert_str_eq(d.file, path_of("missing"));
	cr_assert(strstr(d.msg, "cannot open") != NULL, "%s", d.msg);
	cr_assert(strstr(d.msg, "No such file") != NULL, "%s", d.msg);

	cr_assert_null(input_open(dir, &d));
	cr_assert_str_eq(d.file, dir);
	cr_assert(strstr(d.msg, "directory") != NULL, "%s", d.msg);
}

Test(input, stdin_by_dash_and_null)
{
	static const char data[] = "from\nstdin\n";
	const char *p;
	struct input *in;
	int fd;

	p = write_gzip("stdin.gz", data, sizeof data - 1);
	fd = open(p, O_RDONLY);
	cr_assert(fd >= 0);
	cr_assert_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	in = open_ok("-");
	cr_assert_str_eq(input_name(in), "-");
	LINE(in, "from", 1, 0);
	LINE(in, "stdin", 2, 5);
	at_end(in);
	cr_assert_eq(input_is_gzip(in), 1);
	input_close(in);
	/* closing the input leaves the process's stdin open */
	cr_assert(fcntl(STDIN_FILENO, F_GETFD) != -1);

	cr_assert_eq(lseek(STDIN_FILENO, 0, SEEK_SET), 0);
	in = open_ok(NULL);
	cr_assert_str_eq(input_name(in), "-");
	LINE(in, "from", 1, 0);
	input_close(in);
}

/* CR LF line ends across every buffer boundary: lines of every length
 * from 1 to 97 bytes, so that some CR is the last byte a fill brings. */
Test(input, crlf_split_by_a_buffer_fill_is_one_line_end)
{
	size_t n = 0, i, cap = 60000 * 100;
	char *data = xmalloc(cap);
	struct input *in;
	struct diag d;
	char *line;
	size_t len;
	long lines = 0;

	for (i = 0; i < 60000; i++) {
		size_t k = 1 + i % 97;

		memset(data + n, 'a' + (int)(i % 26), k);
		n += k;
		memcpy(data + n, "\r\n", 2);
		n += 2;
	}
	in = open_ok(write_file("split", data, n));
	while (input_getline(in, &line, &len, &d) == 1) {
		cr_assert_eq(len, 1 + (size_t)lines % 97, "line %ld", lines + 1);
		cr_assert_neq(line[len - 1], '\r');
		lines++;
	}
	cr_assert_eq(lines, 60000);
	input_close(in);
	free(data);
}
