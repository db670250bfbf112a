/*
 * Unit tests: an input read ahead by a child process (pipeline/ahead.h)
 * gives what reading it here gives -- records, warnings in order,
 * outcome and diagnostic -- and is not used for other bytes, another
 * file, another name or a child that failed.  The child is the built
 * ./reskontra (make unit builds it first).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/input.h"
#include "base/record.h"
#include "base/sha256.h"
#include "pipeline/ahead.h"
#include "read/reader.h"

#define WARNED "tests/data/ktl/nordea_demo_ktl_sepa-52fc919.txt"
#define REJECTED "tests/data/broken/bad-date.ktl"

/* What a read said: its warnings, one per line. */
static void
collect(void *arg, const struct diag *d)
{
	FILE *fp = arg;

	fprintf(fp, "%s:%ld:%ld: %s\n", d->file, d->line, d->column, d->msg);
}

/* The whole of fp, from its start, as a string (malloc'ed). */
static char *
slurp(FILE *fp)
{
	char *buf;
	long n;

	fflush(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	buf = calloc(1, (size_t)n + 1);
	rewind(fp);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	return buf;
}

struct result {
	int rc;
	struct diag d;
	char *records, *warnings;
	long nwarnings;
};

static void
result_free(struct result *r)
{
	free(r->records);
	free(r->warnings);
}

/* path read here, as the pipeline reads it, under name */
static void
read_here(const char *path, const char *name, struct result *r)
{
	struct reader_ctx c = { .charset = CS_AUTO };
	FILE *recs = tmpfile(), *warn = tmpfile();
	struct input *in;
	struct recout w;
	int fd = open(path, O_RDONLY);

	cr_assert(fd >= 0 && recs != NULL && warn != NULL);
	in = input_fdopen(fd, name, &r->d);
	cr_assert_not_null(in);
	c.warn = collect;
	c.warn_arg = warn;
	rec_out_init(&w, recs);
	rec_header(&w);
	r->rc = read_input_scratch(in, FMT_UNKNOWN, &c, &w, &r->d);
	input_close(in);
	r->records = slurp(recs);
	r->warnings = slurp(warn);
	r->nwarnings = c.nwarnings;
	fclose(recs);
	fclose(warn);
}

static void
stat_and_hash(const char *path, struct stat *st, char sha[SHA256_HEX])
{
	int fd = open(path, O_RDONLY);
	off_t n;

	cr_assert(fd >= 0);
	cr_assert_eq(fstat(fd, st), 0);
	cr_assert_eq(sha256_fd(fd, sha, &n), 0);
	close(fd);
}

/* path read by a child under name, taken back as the file st with the
 * hash sha: ahead_take()'s return in r->rc */
static void
read_ahead(const char *path, const char *name, const char *take_name,
    const struct stat *st, const char *sha, struct result *r)
{
	struct reader_ctx c = { .charset = CS_AUTO };
	struct read_ahead *ra;
	FILE *recs = NULL, *warn = tmpfile();

	ahead_program = "./reskontra";
	ra = ahead_start(path, name, &c);
	cr_assert_not_null(ra, "the child could not be started");
	c.warn = collect;
	c.warn_arg = warn;
	r->rc = ahead_take(ra, take_name, st, sha, &c, &recs, &r->d);
	r->records = recs != NULL ? slurp(recs) : NULL;
	r->warnings = slurp(warn);
	r->nwarnings = c.nwarnings;
	if (recs != NULL)
		fclose(recs);
	fclose(warn);
}

static void
same_as_here(const char *path)
{
	struct result here, ahead;
	struct stat st;
	char sha[SHA256_HEX];

	memset(&here, 0, sizeof here);
	memset(&ahead, 0, sizeof ahead);
	read_here(path, "input.txt", &here);
	stat_and_hash(path, &st, sha);
	read_ahead(path, "input.txt", "input.txt", &st, sha, &ahead);
	cr_assert_eq(ahead.rc, here.rc, "%s: outcome %d, here %d", path,
	    ahead.rc, here.rc);
	cr_assert_str_eq(ahead.warnings, here.warnings, "%s", path);
	cr_assert_eq(ahead.nwarnings, here.nwarnings);
	if (here.rc == READ_OK)
		cr_assert_str_eq(ahead.records, here.records, "%s", path);
	else {
		cr_assert_str_eq(ahead.d.file, here.d.file);
		cr_assert_eq(ahead.d.line, here.d.line);
		cr_assert_str_eq(ahead.d.msg, here.d.msg);
	}
	result_free(&here);
	result_free(&ahead);
}

Test(ahead, a_read_with_warnings_is_the_same_as_here)
{
	struct result here;

	memset(&here, 0, sizeof here);
	read_here(WARNED, "x", &here);
	/* the sample must have warnings for this test to mean anything */
	cr_assert_gt(here.nwarnings, 1);
	cr_assert_eq(here.rc, READ_OK);
	result_free(&here);
	same_as_here(WARNED);
}

Test(ahead, a_rejected_read_is_the_same_as_here)
{
	struct result here;

	memset(&here, 0, sizeof here);
	read_here(REJECTED, "x", &here);
	cr_assert_eq(here.rc, READ_REJECT);
	result_free(&here);
	same_as_here(REJECTED);
}

/* A read of other bytes, of another file or under another name is not
 * taken: -1 and no records, no warnings passed on. */
static void
not_taken(const char *take_name, const struct stat *st, const char *sha)
{
	struct result r;

	memset(&r, 0, sizeof r);
	read_ahead(WARNED, "input.txt", take_name, st, sha, &r);
	cr_assert_eq(r.rc, AHEAD_UNUSED);
	cr_assert_null(r.records);
	cr_assert_str_eq(r.warnings, "");
	cr_assert_eq(r.nwarnings, 0);
	result_free(&r);
}

Test(ahead, other_bytes_are_not_taken)
{
	struct stat st, other;
	char sha[SHA256_HEX], other_sha[SHA256_HEX];

	stat_and_hash(WARNED, &st, sha);
	stat_and_hash(REJECTED, &other, other_sha);
	not_taken("input.txt", &st, other_sha);
	not_taken("input.txt", &other, sha);
	not_taken("other.txt", &st, sha);
	st.st_mtim.tv_nsec ^= 1;
	not_taken("input.txt", &st, sha);
}

Test(ahead, a_failed_child_is_not_taken)
{
	struct reader_ctx c = { .charset = CS_AUTO };
	struct read_ahead *ra;
	struct stat st;
	struct diag d;
	char sha[SHA256_HEX];
	FILE *recs = NULL;

	stat_and_hash(WARNED, &st, sha);
	ahead_program = "/bin/false";
	ra = ahead_start(WARNED, "input.txt", &c);
	cr_assert_not_null(ra);
	cr_assert_eq(ahead_take(ra, "input.txt", &st, sha, &c, &recs, &d),
	    AHEAD_UNUSED);
	cr_assert_null(recs);
	/* and a child that is dropped is stopped and waited for */
	ahead_program = "./reskontra";
	ahead_drop(ahead_start(WARNED, "input.txt", &c));
	cr_assert_eq(ahead_take(NULL, "input.txt", &st, sha, &c, &recs, &d),
	    AHEAD_UNUSED);
}
