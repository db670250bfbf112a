/*
 * Unit tests: checked close and write-to-temp-then-rename (base/outfile.c).
 *
 * A full disk is /dev/full: every write to it fails with ENOSPC.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/util.h"

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/reskontra-outfile.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(outfile, .init = setup, .fini = teardown);

/* The names in dir, sorted, joined with spaces ("" when empty). */
static const char *
listing(void)
{
	static char buf[1024];
	struct dirent **names;
	int i, n;

	n = scandir(dir, &names, NULL, alphasort);
	cr_assert(n >= 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 &&
		    strcmp(names[i]->d_name, "..") != 0) {
			if (buf[0])
				strcat(buf, " ");
			strcat(buf, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return buf;
}

static const char *
contents(const char *name)
{
	static char buf[256];
	char path[128];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "rb");
	cr_assert_not_null(fp, "%s", path);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Make every later write to fp fail as on a full disk. */
static void
make_full(FILE *fp)
{
	int fd = open("/dev/full", O_WRONLY);

	cr_assert(fd >= 0);
	cr_assert(dup2(fd, fileno(fp)) >= 0);
	close(fd);
}

Test(outfile, commit_creates_the_file_and_leaves_no_temp)
{
	struct outfile o;
	struct diag d;
	const char *tmpname;

	cr_assert_eq(outfile_open(&o, dir, "vouchers.tsv", &d), 0, "%s", d.msg);
	/* while it is written only a hidden temporary name exists */
	tmpname = listing();
	cr_assert_eq(strncmp(tmpname, ".vouchers.tsv.", 14), 0, "%s", tmpname);
	cr_assert_eq(strlen(tmpname), 14 + 6, "%s", tmpname);
	cr_assert_str_eq(strrchr(o.tmp, '/') + 1, tmpname);
	fputs("number\tdate\n1\t2026-01-05\n", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), 0, "%s", d.msg);
	cr_assert_str_eq(listing(), "vouchers.tsv");
	cr_assert_str_eq(contents("vouchers.tsv"),
	    "number\tdate\n1\t2026-01-05\n");
	cr_assert_null(o.fp);
	cr_assert_null(o.tmp);
}

Test(outfile, two_open_outfiles_with_one_name_do_not_collide)
{
	struct outfile a, b;
	struct diag d;

	cr_assert_eq(outfile_open(&a, dir, "report.txt", &d), 0, "%s", d.msg);
	cr_assert_eq(outfile_open(&b, dir, "report.txt", &d), 0, "%s", d.msg);
	cr_assert_str_neq(a.tmp, b.tmp);
	fputs("first\n", a.fp);
	fputs("second\n", b.fp);
	cr_assert_eq(outfile_commit(&a, &d), 0, "%s", d.msg);
	cr_assert_str_eq(contents("report.txt"), "first\n");
	cr_assert_eq(outfile_commit(&b, &d), 0, "%s", d.msg);
	cr_assert_str_eq(contents("report.txt"), "second\n");
}

Test(outfile, commit_of_an_empty_output)
{
	struct outfile o;
	struct diag d;

	cr_assert_eq(outfile_open(&o, dir, "empty", &d), 0);
	cr_assert_eq(outfile_commit(&o, &d), 0);
	cr_assert_str_eq(listing(), "empty");
	cr_assert_str_eq(contents("empty"), "");
}

Test(outfile, abort_leaves_nothing)
{
	struct outfile o;
	struct diag d;

	cr_assert_eq(outfile_open(&o, dir, "notice.txt", &d), 0);
	fputs("half a notice", o.fp);
	outfile_abort(&o);
	cr_assert_str_eq(listing(), "");
	cr_assert_null(o.fp);
	/* aborting twice, or after a failed open, is harmless */
	outfile_abort(&o);
	cr_assert_str_eq(listing(), "");
}

Test(outfile, commit_replaces_an_old_file_whole)
{
	struct outfile o;
	struct diag d;

	cr_assert_eq(outfile_open(&o, dir, "report", &d), 0);
	fputs("old\n", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), 0);

	cr_assert_eq(outfile_open(&o, dir, "report", &d), 0);
	fputs("new, and longer\n", o.fp);
	fflush(o.fp);
	/* until the commit, readers see the old file */
	cr_assert_str_eq(contents("report"), "old\n");
	cr_assert_eq(outfile_commit(&o, &d), 0);
	cr_assert_str_eq(contents("report"), "new, and longer\n");
	cr_assert_str_eq(listing(), "report");
}

Test(outfile, abort_keeps_an_old_file)
{
	struct outfile o;
	struct diag d;

	cr_assert_eq(outfile_open(&o, dir, "report", &d), 0);
	fputs("old\n", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), 0);
	cr_assert_eq(outfile_open(&o, dir, "report", &d), 0);
	fputs("new\n", o.fp);
	outfile_abort(&o);
	cr_assert_str_eq(listing(), "report");
	cr_assert_str_eq(contents("report"), "old\n");
}

Test(outfile, full_disk_fails_the_commit_and_leaves_nothing)
{
	struct outfile o;
	struct diag d;
	int i;

	cr_assert_eq(outfile_open(&o, dir, "big", &d), 0);
	make_full(o.fp);
	for (i = 0; i < 1000; i++)
		fprintf(o.fp, "line %d\n", i);
	memset(&d, 0, sizeof d);
	cr_assert_eq(outfile_commit(&o, &d), -1);
	cr_assert(strstr(d.msg, "No space left") != NULL, "%s", d.msg);
	cr_assert(d.file[0] != '\0');
	cr_assert_str_eq(listing(), "");
	cr_assert_null(o.fp);
}

Test(outfile, small_write_on_full_disk_is_found_at_commit)
{
	struct outfile o;
	struct diag d;

	/* stays in the stdio buffer until the commit flushes it */
	cr_assert_eq(outfile_open(&o, dir, "small", &d), 0);
	make_full(o.fp);
	fputs("x\n", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), -1);
	cr_assert(strstr(d.msg, "No space left") != NULL, "%s", d.msg);
	cr_assert_str_eq(listing(), "");
}

Test(outfile, earlier_write_error_is_not_forgotten)
{
	struct outfile o;
	struct diag d;

	cr_assert_eq(outfile_open(&o, dir, "e", &d), 0);
	make_full(o.fp);
	setvbuf(o.fp, NULL, _IONBF, 0);
	cr_assert_eq(fputs("lost\n", o.fp), EOF);
	cr_assert(ferror(o.fp));
	/* nothing is left to flush: the error flag is the only trace, and
	 * errno by now says something unrelated */
	errno = EEXIST;
	cr_assert_eq(outfile_commit(&o, &d), -1);
	cr_assert(strstr(d.msg, "write error") != NULL, "%s", d.msg);
	cr_assert(strstr(d.msg, "File exists") == NULL, "%s", d.msg);
	cr_assert_str_eq(listing(), "");
}

Test(outfile, rename_failure_removes_the_temp)
{
	struct outfile o;
	struct diag d;
	char sub[128];

	/* the final name is taken by a non-empty directory */
	snprintf(sub, sizeof sub, "%s/out", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof sub, "%s/out/keep", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(outfile_open(&o, dir, "out", &d), 0);
	fputs("data\n", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), -1);
	cr_assert(strstr(d.msg, "cannot rename") != NULL, "%s", d.msg);
	cr_assert_str_eq(listing(), "out");
}

Test(outfile, open_in_a_missing_directory)
{
	struct outfile o;
	struct diag d;
	char missing[128];

	snprintf(missing, sizeof missing, "%s/nope", dir);
	memset(&d, 0, sizeof d);
	cr_assert_eq(outfile_open(&o, missing, "x", &d), -1);
	cr_assert(strstr(d.msg, "cannot create") != NULL, "%s", d.msg);
	cr_assert(strstr(d.file, "nope") != NULL, "%s", d.file);
	cr_assert_null(o.fp);
	outfile_abort(&o);	/* harmless */
	cr_assert_eq(fsync_dir(missing, &d), -1);
	cr_assert_eq(fsync_dir(dir, &d), 0);
}

/* ---- fshut ---------------------------------------------------------- */

Test(outfile, fshut_reports_a_full_disk)
{
	FILE *fp = fopen("/dev/full", "w");
	struct diag d;

	cr_assert_not_null(fp);
	fputs("lost\n", fp);
	memset(&d, 0, sizeof d);
	cr_assert_eq(fshut(fp, "/dev/full", &d), -1);
	cr_assert_str_eq(d.file, "/dev/full");
	cr_assert(strstr(d.msg, "write error") != NULL, "%s", d.msg);
	cr_assert(strstr(d.msg, "No space left") != NULL, "%s", d.msg);
}

Test(outfile, fshut_reports_an_error_already_flushed)
{
	FILE *fp = fopen("/dev/full", "w");
	struct diag d;
	char big[BUFSIZ * 4];

	cr_assert_not_null(fp);
	memset(big, 'x', sizeof big);
	/* large enough to be written (and fail) before fshut */
	fwrite(big, 1, sizeof big, fp);
	cr_assert(ferror(fp));
	cr_assert_eq(fshut(fp, "full", &d), -1);
	cr_assert(strstr(d.msg, "write error") != NULL, "%s", d.msg);
}

Test(outfile, fshut_of_a_good_file)
{
	char path[128];
	struct diag d;
	FILE *fp;

	snprintf(path, sizeof path, "%s/ok", dir);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("fine\n", fp);
	cr_assert_eq(fshut(fp, path, &d), 0);
	cr_assert_str_eq(contents("ok"), "fine\n");
}

Test(outfile, fshut_keeps_stdout_open)
{
	char path[128];
	struct diag d;
	int fd;

	snprintf(path, sizeof path, "%s/stdout", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0);
	cr_assert(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
	fputs("one\n", stdout);
	cr_assert_eq(fshut(stdout, "standard output", &d), 0);
	cr_assert_str_eq(contents("stdout"), "one\n");
	/* still usable afterwards */
	fputs("two\n", stdout);
	cr_assert_eq(fshut(stdout, "standard output", &d), 0);
	cr_assert_str_eq(contents("stdout"), "one\ntwo\n");
}

Test(outfile, fshut_of_stdout_on_a_full_disk)
{
	struct diag d;

	make_full(stdout);
	fputs("lost\n", stdout);
	cr_assert_eq(fshut(stdout, "standard output", &d), -1);
	cr_assert_str_eq(d.file, "standard output");
	cr_assert(strstr(d.msg, "No space left") != NULL, "%s", d.msg);
}

Test(outfile, fcopy_copies_from_the_start_and_reports_write_errors)
{
	FILE *from = tmpfile(), *to = tmpfile(), *full;
	char got[64] = "";

	cr_assert_not_null(from);
	cr_assert_not_null(to);
	fputs("line one\nline two\n", from);	/* position at the end */
	fputs("kept:", to);
	cr_assert_eq(fcopy(from, to), 0);
	rewind(to);
	cr_assert_eq(fread(got, 1, sizeof got - 1, to), 23);
	cr_assert_str_eq(got, "kept:line one\nline two\n");
	full = fopen("/dev/full", "w");
	cr_assert_not_null(full);
	setvbuf(full, NULL, _IONBF, 0);
	cr_assert_eq(fcopy(from, full), -1);
	fclose(full);
	fclose(from);
	fclose(to);
}

/* Copied inside the kernel or through the process, the streams end up
 * alike: to goes on after the copied bytes, from is at its end. */
static void
copy_then_write_on(FILE *to, const char *path)
{
	FILE *from = tmpfile();
	char got[128] = "";
	FILE *back;

	cr_assert_not_null(from);
	fputs("first\n", from);
	fputs("head:", to);
	cr_assert_eq(fcopy(from, to), 0);
	fputs("tail\n", to);
	fputs("more\n", from);			/* after what was copied */
	cr_assert_eq(fflush(to), 0);
	back = fopen(path, "r");
	cr_assert_not_null(back);
	cr_assert_eq(fread(got, 1, sizeof got - 1, back), 16);
	cr_assert_str_eq(got, "head:first\ntail\n");
	fclose(back);
	rewind(from);
	memset(got, 0, sizeof got);
	cr_assert_eq(fread(got, 1, sizeof got - 1, from), 11);
	cr_assert_str_eq(got, "first\nmore\n");
	fclose(from);
}

Test(outfile, fcopy_to_a_file_then_both_streams_go_on)
{
	char path[] = "/tmp/reskontra-fcopy.XXXXXX";
	int fd = mkstemp(path);
	FILE *to;

	cr_assert_geq(fd, 0);
	to = fdopen(fd, "w");
	cr_assert_not_null(to);
	copy_then_write_on(to, path);
	fclose(to);
	unlink(path);
}

Test(outfile, fcopy_to_a_file_opened_to_append)
{
	/* sendfile(2) refuses O_APPEND: the copy goes through the process */
	char path[] = "/tmp/reskontra-fcopy.XXXXXX";
	int fd = mkstemp(path);
	FILE *to;

	cr_assert_geq(fd, 0);
	close(fd);
	to = fopen(path, "a");
	cr_assert_not_null(to);
	copy_then_write_on(to, path);
	fclose(to);
	unlink(path);
}

Test(outfile, fcopy_into_a_pipe)
{
	FILE *from = tmpfile(), *to;
	char got[64] = "";
	int p[2];

	cr_assert_not_null(from);
	cr_assert_eq(pipe(p), 0);
	to = fdopen(p[1], "w");
	cr_assert_not_null(to);
	fputs("through the pipe\n", from);
	fputs(">", to);
	cr_assert_eq(fcopy(from, to), 0);
	fputs("<", to);
	fclose(to);
	cr_assert_eq(read(p[0], got, sizeof got - 1), 19);
	cr_assert_str_eq(got, ">through the pipe\n<");
	close(p[0]);
	fclose(from);
}

/* Write n bytes of a pattern (the last byte set to last) as NAME with
 * outfile_commit_new(): its result. */
static int
commit_new(const char *name, size_t n, char last, struct diag *d)
{
	struct outfile o;
	size_t i;

	cr_assert_eq(outfile_open(&o, dir, name, d), 0, "%s", d->msg);
	for (i = 0; i < n; i++)
		fputc(i + 1 == n ? last : 'a' + (int)(i % 23), o.fp);
	return outfile_commit_new(&o, d);
}

Test(outfile, commit_new_makes_a_new_name)
{
	struct diag d;

	cr_assert_eq(commit_new("f.xml", 10, 'z', &d), 0, "%s", d.msg);
	cr_assert_str_eq(listing(), "f.xml");
	cr_assert_str_eq(contents("f.xml"), "abcdefghiz");
}

Test(outfile, commit_new_keeps_the_same_bytes_and_refuses_others)
{
	/* around the comparison's 16 KiB steps, the difference last */
	static const size_t sizes[] = { 0, 1, 16383, 16384, 16385, 40000 };
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char name[32];

		snprintf(name, sizeof name, "f%zu", i);
		cr_assert_eq(commit_new(name, sizes[i], 'z', &d), 0, "%s",
		    d.msg);
		/* the same bytes again: kept, no temporary left */
		cr_assert_eq(commit_new(name, sizes[i], 'z', &d), 0, "%s",
		    d.msg);
		if (sizes[i] == 0)
			continue;
		/* other bytes, and one byte more or less */
		cr_assert_eq(commit_new(name, sizes[i], 'y', &d), -2,
		    "size %zu", sizes[i]);
		cr_assert(strstr(d.msg, "exists with other content") != NULL,
		    "%s", d.msg);
		cr_assert_eq(commit_new(name, sizes[i] + 1, 'z', &d), -2);
		cr_assert_eq(commit_new(name, sizes[i] - 1, 'z', &d), -2);
	}
	cr_assert_str_eq(listing(), "f0 f1 f2 f3 f4 f5");
	cr_assert_str_eq(contents("f1"), "z");
}

Test(outfile, commit_new_never_writes_through_a_symbolic_link)
{
	char target[128], link[128];
	struct diag d;

	snprintf(target, sizeof target, "%s/target", dir);
	snprintf(link, sizeof link, "%s/f.xml", dir);
	cr_assert_eq(commit_new("target", 10, 'z', &d), 0, "%s", d.msg);
	cr_assert_eq(symlink(target, link), 0);
	/* the link's target has the very bytes, yet the name is a link */
	cr_assert_eq(commit_new("f.xml", 10, 'z', &d), -2);
	cr_assert_str_eq(listing(), "f.xml target");
}

Test(outfile, commit_replaces_where_commit_new_refuses)
{
	struct diag d;
	struct outfile o;

	cr_assert_eq(commit_new("f.xml", 5, 'z', &d), 0, "%s", d.msg);
	cr_assert_eq(outfile_open(&o, dir, "f.xml", &d), 0, "%s", d.msg);
	fputs("new", o.fp);
	cr_assert_eq(outfile_commit(&o, &d), 0, "%s", d.msg);
	cr_assert_str_eq(contents("f.xml"), "new");
}

Test(outfile, commit_new_refuses_a_directory_of_the_name)
{
	char path[128];
	struct diag d;

	snprintf(path, sizeof path, "%s/f.xml", dir);
	cr_assert_eq(mkdir(path, 0777), 0);
	cr_assert_eq(commit_new("f.xml", 10, 'z', &d), -2, "%s", d.msg);
	cr_assert_str_eq(listing(), "f.xml");
}

Test(outfile, commit_new_refuses_a_fifo_of_the_name_without_blocking,
    .timeout = 10)
{
	char path[128];
	struct diag d;

	snprintf(path, sizeof path, "%s/f.xml", dir);
	cr_assert_eq(mkfifo(path, 0666), 0);
	cr_assert_eq(commit_new("f.xml", 10, 'z', &d), -2, "%s", d.msg);
	cr_assert_str_eq(listing(), "f.xml");
}
