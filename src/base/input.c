/*
 * input: files and stdin, gzip or not, read in bounded buffers.
 *
 * zlib's gzread passes data that is not gzip through unchanged, so one
 * code path serves both; gzdirect() tells afterwards which it was.
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

struct input {
	gzFile gz;
	char *name;
	char *buf;
	size_t cap;
	size_t start;		/* first unread byte */
	size_t end;		/* one past the last valid byte */
	int eof;
	int ioerr;		/* the last error came from the system */
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
	in->gz = gzdopen(fd, "rb");
	if (in->gz == NULL) {
		close(fd);
		free(in);
		diag_set(d, name, 0, 0, "cannot open: out of memory");
		return NULL;
	}
	gzbuffer(in->gz, CHUNK);
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
	gzclose(in->gz);
	free(in->name);
	free(in->buf);
	free(in);
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
	return !gzdirect(in->gz);
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

/* zlib's message without the "<fd:N>: " it puts first (the diag names
 * the file already). */
static const char *
gz_message(struct input *in, int *errnum)
{
	const char *msg = gzerror(in->gz, errnum), *p;

	if (strncmp(msg, "<fd:", 4) == 0 && (p = strstr(msg, ">: ")) != NULL)
		msg = p + 3;
	return msg;
}

/* Read more into buf after end; compacts first.  Returns bytes added,
 * 0 at EOF, -1 on error. */
static long
fill(struct input *in, struct diag *d)
{
	int n, errnum;
	const char *msg;

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
	n = gzread(in->gz, in->buf + in->end, (unsigned)(in->cap - in->end));
	if (n < 0) {
		msg = gz_message(in, &errnum);
		if (errnum == Z_ERRNO) {
			msg = strerror(errno);
			in->ioerr = 1;
		}
		diag_set(d, in->name, in->lineno + 1, 0, "%s%s",
		    input_is_gzip(in) ? "gzip: " : "read error: ", msg);
		return -1;
	}
	if (n == 0) {
		msg = gz_message(in, &errnum);
		if (errnum != Z_OK && errnum != Z_BUF_ERROR) {
			diag_set(d, in->name, in->lineno + 1, 0, "gzip: %s",
			    msg);
			return -1;
		}
		if (errnum == Z_BUF_ERROR) {
			diag_set(d, in->name, in->lineno + 1, 0,
			    "gzip: compressed data is truncated");
			return -1;
		}
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

int
input_getline(struct input *in, char **line, size_t *len, struct diag *d)
{
	size_t scan = in->start;

	for (;;) {
		char *nl = memchr(in->buf + scan, '\n', in->end - scan);
		size_t n;

		if (nl != NULL || (in->eof && in->end > in->start)) {
			size_t stop = nl ? (size_t)(nl - in->buf) : in->end;

			*line = in->buf + in->start;
			n = stop - in->start;
			in->line_offset = in->offset;
			in->offset += n + (nl ? 1 : 0);
			in->start = nl ? stop + 1 : stop;
			in->lineno++;
			/* CR LF ends a line; a CR without an LF after it
			 * (also at the end of the input) is kept */
			if (nl != NULL && n > 0 && (*line)[n - 1] == '\r')
				n--;
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
	int r, errnum;

	if (n == 0)
		return 0;	/* gzread would say 0, as at the end */
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
	if (n > INT32_MAX)
		n = INT32_MAX;
	r = gzread(in->gz, buf, (unsigned)n);
	if (r < 0) {
		const char *msg = gz_message(in, &errnum);

		in->ioerr = errnum == Z_ERRNO;
		diag_set(d, in->name, 0, 0, "%s%s",
		    input_is_gzip(in) ? "gzip: " : "read error: ",
		    errnum == Z_ERRNO ? strerror(errno) : msg);
		return -1;
	}
	if (r == 0) {
		gzerror(in->gz, &errnum);
		if (errnum == Z_BUF_ERROR) {
			diag_set(d, in->name, 0, 0,
			    "gzip: compressed data is truncated");
			return -1;
		}
		in->eof = 1;
	}
	in->offset += (uint64_t)r;
	return r;
}
