/*
 * fuzz: what every reader target shares.
 *
 * fuzz_read_bytes() puts the fuzzer's bytes in an anonymous memory file
 * and reads it with read_file() by its /proc/self/fd name, exactly as
 * `reskontra read [--format F] FILE` does (gzip detection, format
 * detection, the reader, the held temporary file).  The records it
 * produces are then read back with rec_read(): whatever a reader writes
 * must be a well-formed record stream, every record must end with a
 * source field naming the input, and a rejected file must contribute
 * nothing.  Any broken promise aborts, which libFuzzer reports as a crash.
 */
#ifndef RESKONTRA_FUZZ_H
#define RESKONTRA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/record.h"
#include "read/reader.h"

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

static inline void
fuzz_quiet_warn(void *arg, const struct diag *d)
{
	long *n = arg;

	/* a warning is a finished message: text, a position or none */
	FUZZ_ASSERT(memchr(d->msg, '\0', sizeof d->msg) != NULL);
	FUZZ_ASSERT(d->line >= 0 && d->column >= 0);
	(*n)++;
}

/* The records a reader wrote must read back as a record stream; returns
 * how many there were. */
static inline long
fuzz_check_stream(const char *data, size_t len, const char *path)
{
	struct recin r;
	struct diag d;
	FILE *fp;
	long n = 0;
	int rc;

	fp = fmemopen((void *)data, len, "r");
	FUZZ_ASSERT(fp != NULL);
	rec_in_init(&r, fp, "records");
	while ((rc = rec_read(&r, &d)) == 1) {
		const char *src = r.fields[r.nfields - 1];

		n++;
		FUZZ_ASSERT(r.nfields >= 2);
		FUZZ_ASSERT(r.fields[0][0] != '\0');
		/* source is FILE:LINE of this input */
		FUZZ_ASSERT(strncmp(src, path, strlen(path)) == 0 &&
		    src[strlen(path)] == ':');
	}
	if (rc < 0) {
		fprintf(stderr, "record stream from the reader does not read "
		    "back: %ld:%ld: %s\n", d.line, d.column, d.msg);
		abort();
	}
	rec_in_free(&r);
	fclose(fp);
	return n;
}

/* The fuzzer's bytes in an anonymous memory file: its descriptor, its
 * /proc/self/fd name in path (64 bytes). */
static inline int
fuzz_memfd(const uint8_t *data, size_t size, char *path)
{
	size_t off = 0;
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	FUZZ_ASSERT(fd >= 0);
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);

		FUZZ_ASSERT(w > 0);
		off += (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* Read data as `reskontra read` would (fmt FMT_UNKNOWN: detect). */
static inline int
fuzz_read_bytes(const uint8_t *data, size_t size, enum format fmt)
{
	struct reader_ctx ctx;
	struct recout out;
	struct diag d;
	char path[64], *rec = NULL;
	size_t reclen = 0;
	long nwarn = 0, nrec;
	FILE *fp;
	int fd, rc;

	fd = fuzz_memfd(data, size, path);

	memset(&ctx, 0, sizeof ctx);
	ctx.charset = CS_AUTO;
	ctx.warn = fuzz_quiet_warn;
	ctx.warn_arg = &nwarn;
	fp = open_memstream(&rec, &reclen);
	FUZZ_ASSERT(fp != NULL);
	rec_out_init(&out, fp);
	rec_header(&out);
	memset(&d, 0, sizeof d);
	rc = read_file(path, fmt, &ctx, &out, &d);
	FUZZ_ASSERT(fclose(fp) == 0);
	FUZZ_ASSERT(rc == READ_OK || rc == READ_REJECT ||
	    rc == READ_PARTIAL || rc == READ_SYSERR);
	FUZZ_ASSERT(ctx.nwarnings == nwarn);
	if (rc != READ_OK)
		FUZZ_ASSERT(d.msg[0] != '\0' &&
		    memchr(d.msg, '\0', sizeof d.msg) != NULL);

	nrec = fuzz_check_stream(rec, reclen, path);
	/* a rejected file adds nothing; a partial one adds something */
	if (rc == READ_REJECT || rc == READ_SYSERR)
		FUZZ_ASSERT(nrec == 0);
	free(rec);
	close(fd);
	return 0;
}

#endif
