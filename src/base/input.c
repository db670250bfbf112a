/*
 * input: files and stdin, gzip or not, read in bounded buffers.
 *
 * The first two bytes decide: 1f 8b is gzip, decompressed here with
 * zlib's inflate; anything else is passed through unchanged.  gzip(1)
 * reads members written one after another as one stream, and so does
 * this; bytes after the last member that do not start another member
 * (garbage, or a plain file appended) make the file bad.  zlib's gzread
 * would skip them without a word, which is why it is not used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/input.h"
#include "base/util.h"

#define CHUNK (64 * 1024)
#define MAXBUF ((size_t)INPUT_MAX_LINE + 2)	/* a line and its CR LF */

enum { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP };

struct input {
	int fd;
	int mode;		/* MODE_*: decided by the first two bytes */
	z_stream zs;		/* MODE_GZIP; next_in/avail_in: into raw */
	int member_end;		/* inflate ended a member: what comes next? */
	uint64_t inflated;	/* bytes inflate gave so far */
	unsigned char *raw;	/* bytes as read from fd */
	uint64_t raw_offset;	/* bytes read from fd so far */
	int raw_eof;
	char *name;
	char *buf;
	size_t cap;
	size_t start;		/* first unread byte */
	size_t end;		/* one past the last valid byte */
	int eof;
	int ioerr;		/* the last error came from the system */
	long errline;		/* line for stream errors, 0: none (raw) */
	long lineno;
	uint64_t offset;	/* of buf[start] in the stream */
	uint64_t line_offset;
};

struct input *
input_open(const char *path, struct diag *d)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO);
		path = "-";
	} else
		fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		diag_set(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	return input_fdopen(fd, path, d);
}

struct input *
input_fdopen(int fd, const char *name, struct diag *d)
{
	struct input *in;
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_set(d, name, 0, 0, "is a directory");
		close(fd);
		return NULL;
	}
	in = xcalloc(1, sizeof *in);
	in->fd = fd;
	in->raw = xmalloc(CHUNK);
	in->zs.next_in = in->raw;
	in->name = xstrdup(name);
	in->cap = CHUNK;
	in->buf = xmalloc(in->cap + 1);
	return in;
}

void
input_close(struct input *in)
{
	if (in == NULL)
		return;
	if (in->mode == MODE_GZIP)
		inflateEnd(&in->zs);
	close(in->fd);
	free(in->raw);
	free(in->name);
	free(in->buf);
	free(in);
}

int
input_rewind(struct input *in, struct diag *d)
{
	if (lseek(in->fd, 0, SEEK_SET) < 0) {
		diag_set(d, in->name, 0, 0, "cannot read again: %s",
		    strerror(errno));
		return -1;
	}
	if (in->mode == MODE_GZIP)
		inflateEnd(&in->zs);
	memset(&in->zs, 0, sizeof in->zs);
	in->zs.next_in = in->raw;
	in->mode = MODE_UNKNOWN;
	in->member_end = 0;
	in->raw_offset = 0;
	in->inflated = 0;
	in->raw_eof = 0;
	in->start = in->end = 0;
	in->eof = 0;
	in->ioerr = 0;
	in->errline = 0;
	in->lineno = 0;
	in->offset = in->line_offset = 0;
	return 0;
}

int
input_error_is_io(const struct input *in)
{
	return in->ioerr;
}

const char *
input_name(const struct input *in)
{
	return in->name;
}

int
input_is_gzip(const struct input *in)
{
	return in->mode == MODE_GZIP;
}

long
input_lineno(const struct input *in)
{
	return in->lineno;
}

uint64_t
input_offset(const struct input *in)
{
	return in->line_offset;
}

/* Move the unread raw bytes to the front and read more after them,
 * until at least want bytes are there or the file ends.  0, or -1 with d
 * filled on a read error. */
static int
load(struct input *in, size_t want, struct diag *d)
{
	ssize_t n;

	if (in->zs.avail_in > 0 && in->zs.next_in != in->raw)
		memmove(in->raw, in->zs.next_in, in->zs.avail_in);
	in->zs.next_in = in->raw;
	while (in->zs.avail_in < want && !in->raw_eof) {
		n = read(in->fd, in->raw + in->zs.avail_in,
		    CHUNK - in->zs.avail_in);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			in->ioerr = 1;
			diag_set(d, in->name, in->errline, 0, "%s%s",
			    in->mode == MODE_GZIP ? "gzip: " : "read error: ",
			    strerror(errno));
			return -1;
		}
		if (n == 0)
			in->raw_eof = 1;
		in->zs.avail_in += (uInt)n;
		in->raw_offset += (uint64_t)n;
	}
	return 0;
}

/* got more bytes came out of inflate: got, or -1 with d when the input
 * has grown into a decompression bomb (INPUT_MAX_RATIO). */
static long
bomb_check(struct input *in, size_t got, struct diag *d)
{
	in->inflated += got;
	if (in->inflated > INPUT_BOMB_FLOOR &&
	    in->inflated / INPUT_MAX_RATIO > in->raw_offset) {
		diag_set(d, in->name, in->errline, 0, "gzip: %llu bytes from "
		    "%llu compressed expand more than %d times: refused as a "
		    "decompression bomb", (unsigned long long)in->inflated,
		    (unsigned long long)in->raw_offset, INPUT_MAX_RATIO);
		return -1;
	}
	return (long)got;
}

/* Up to n (> 0) bytes of the stream into dst.  Returns bytes, 0 at the
 * end, -1 with d filled (in->ioerr says whether the system failed). */
static long
stream_read(struct input *in, char *dst, size_t n, struct diag *d)
{
	int r;

	in->ioerr = 0;
	if (in->mode == MODE_UNKNOWN) {
		if (load(in, 2, d) < 0)
			return -1;
		in->mode = in->zs.avail_in >= 2 && in->raw[0] == 0x1f &&
		    in->raw[1] == 0x8b ? MODE_GZIP : MODE_PLAIN;
		if (in->mode == MODE_GZIP &&
		    inflateInit2(&in->zs, 15 + 16) != Z_OK) {
			diag_set(d, in->name, in->errline, 0,
			    "gzip: out of memory");
			in->mode = MODE_PLAIN;	/* nothing for inflateEnd */
			return -1;
		}
	}
	if (n > CHUNK)
		n = CHUNK;
	if (in->mode == MODE_PLAIN) {
		if (in->zs.avail_in == 0 && load(in, 1, d) < 0)
			return -1;
		if (n > in->zs.avail_in)
			n = in->zs.avail_in;
		memcpy(dst, in->zs.next_in, n);
		in->zs.next_in += n;
		in->zs.avail_in -= (uInt)n;
		return (long)n;
	}
	for (;;) {
		if (in->member_end) {
			/* another member, the end, or trailing data */
			if (load(in, 2, d) < 0)
				return -1;
			if (in->zs.avail_in == 0)
				return 0;
			if (in->zs.avail_in < 2 || in->raw[0] != 0x1f ||
			    in->raw[1] != 0x8b) {
				diag_set(d, in->name, in->errline, 0,
				    "data after the end of the gzip stream "
				    "at byte %llu", (unsigned long long)
				    (in->raw_offset - in->zs.avail_in));
				return -1;
			}
			inflateReset(&in->zs);
			in->member_end = 0;
		}
		if (in->zs.avail_in == 0) {
			if (load(in, 1, d) < 0)
				return -1;
			if (in->zs.avail_in == 0) {
				diag_set(d, in->name, in->errline, 0,
				    "gzip: compressed data is truncated");
				return -1;
			}
		}
		in->zs.next_out = (unsigned char *)dst;
		in->zs.avail_out = (uInt)n;
		r = inflate(&in->zs, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			in->member_end = 1;
		else if (r == Z_MEM_ERROR) {
			diag_set(d, in->name, in->errline, 0,
			    "gzip: out of memory");
			return -1;
		} else if (r != Z_OK && r != Z_BUF_ERROR) {
			diag_set(d, in->name, in->errline, 0, "gzip: %s",
			    in->zs.msg ? in->zs.msg : "invalid data");
			return -1;
		}
		if (n - in->zs.avail_out > 0)
			return bomb_check(in, n - in->zs.avail_out, d);
	}
}

/* Read more into buf after end; compacts first.  Returns bytes added,
 * 0 at EOF, -1 on error. */
static long
fill(struct input *in, struct diag *d)
{
	long n;

	if (in->eof)
		return 0;
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	if (in->end == in->cap) {
		/* A full buffer without a newline: room for the longest line
		 * and its CR LF is all a line may need. */
		if (in->cap >= MAXBUF) {
			diag_set(d, in->name, in->lineno + 1, 0,
			    "line longer than %ld bytes", INPUT_MAX_LINE);
			return -1;
		}
		in->cap = in->cap * 2 < MAXBUF ? in->cap * 2 : MAXBUF;
		in->buf = xrealloc(in->buf, in->cap + 1);
	}
	in->errline = in->lineno + 1;
	n = stream_read(in, in->buf + in->end, in->cap - in->end, d);
	if (n < 0)
		return -1;
	if (n == 0) {
		in->eof = 1;
		return 0;
	}
	in->end += (size_t)n;
	return n;
}

long
input_peek(struct input *in, size_t want, const char **p, struct diag *d)
{
	if (want > CHUNK)
		want = CHUNK;
	while (in->end - in->start < want) {
		long n = fill(in, d);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
	}
	*p = in->buf + in->start;
	return (long)(in->end - in->start < want ? in->end - in->start : want);
}

/*
 * Where the line starting at in->start ends: 1 with *stop (the first byte
 * after the line's text) and *next (where the next line starts), 0 when
 * the buffer does not hold the whole line yet.  A line ends at LF, CR LF
 * or a CR alone (files written on old Macintosh systems and by some
 * tools end their lines so), and at the end of the input.  scan is where
 * the LF search goes on from: bytes before it were searched already.
 */
static int
line_end(const struct input *in, size_t scan, size_t *stop, size_t *next)
{
	const char *b = in->buf;
	const char *nl = memchr(b + scan, '\n', in->end - scan);
	size_t lim = nl ? (size_t)(nl - b) : in->end;
	const char *cr = memchr(b + in->start, '\r', lim - in->start);

	if (cr != NULL && (size_t)(cr - b) + 1 < lim) {
		*stop = (size_t)(cr - b);	/* a CR alone */
		*next = *stop + 1;
		return 1;
	}
	if (nl != NULL) {
		*stop = cr != NULL ? lim - 1 : lim;	/* LF or CR LF */
		*next = lim + 1;
		return 1;
	}
	if (cr != NULL && !in->eof)
		return 0;	/* a CR last in the buffer: LF next? */
	if (!in->eof || in->end == in->start)
		return 0;
	*stop = cr != NULL ? in->end - 1 : in->end;
	*next = in->end;
	return 1;
}

int
input_getline(struct input *in, char **line, size_t *len, struct diag *d)
{
	size_t scan = in->start, stop, next;

	for (;;) {
		if (line_end(in, scan, &stop, &next)) {
			size_t n = stop - in->start;

			*line = in->buf + in->start;
			in->line_offset = in->offset;
			in->offset += next - in->start;
			in->start = next;
			in->lineno++;
			if (n > (size_t)INPUT_MAX_LINE) {
				diag_set(d, in->name, in->lineno, 0,
				    "line longer than %ld bytes",
				    INPUT_MAX_LINE);
				return -1;
			}
			(*line)[n] = '\0';
			*len = n;
			return 1;
		}
		if (in->eof)
			return 0;
		scan = in->end - in->start;	/* relative, start moves */
		if (fill(in, d) < 0)
			return -1;
		scan += in->start;
	}
}

long
input_read(struct input *in, void *buf, size_t n, struct diag *d)
{
	size_t have = in->end - in->start;
	long r;

	if (n == 0)
		return 0;	/* not the end: nothing was asked for */
	if (have > 0) {
		if (n > have)
			n = have;
		memcpy(buf, in->buf + in->start, n);
		in->start += n;
		in->offset += n;
		return (long)n;
	}
	if (in->eof)
		return 0;
	in->errline = 0;
	r = stream_read(in, buf, n, d);
	if (r < 0)
		return -1;
	if (r == 0)
		in->eof = 1;
	in->offset += (uint64_t)r;
	return r;
}
