/*
 * outfile: checked close, and write-to-temp-then-rename.  See outfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/util.h"

static FILE *said;	/* the stream whose write error was said */

void
fwrite_failed(FILE *fp, const char *name, int err)
{
	struct diag d;

	if (said == fp)
		return;
	said = fp;
	diag_set(&d, name, 0, 0, "write error: %s", strerror(err ? err :
	    EIO));
	diag_print(stderr, &d);
}

int
fshut_said(FILE *fp)
{
	return fp != NULL && said == fp;
}

int
fshut(FILE *fp, const char *name, struct diag *d)
{
	int bad = 0, err = 0;

	if (fflush(fp) != 0) {
		bad = 1;
		err = errno;
	}
	if (ferror(fp) && !bad) {
		bad = 1;
		err = EIO;
	}
	if (fp != stdout && fp != stderr) {
		if (fclose(fp) != 0 && !bad) {
			bad = 1;
			err = errno;
		}
	}
	if (bad) {
		diag_set(d, name, 0, 0, "write error: %s", strerror(err));
		return -1;
	}
	return 0;
}

/* The copy of fcopy() inside the kernel, when from is a regular file
 * and to takes sendfile(2) (a file not opened to append, a pipe): the
 * bytes are not read into this process and written out again.  0 done,
 * 1 not possible here (nothing was written), -1 an error. */
static int
copy_in_kernel(FILE *from, FILE *to)
{
	int in = fileno(from), out = fileno(to);
	struct stat st;
	off_t off = 0, pos;
	ssize_t n;

	if (in < 0 || out < 0 || fstat(in, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	if (fflush(to) != 0)
		return -1;
	while (off < st.st_size) {
		n = sendfile(out, in, &off, (size_t)(st.st_size - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && off == 0 && (errno == EINVAL || errno == ENOSYS))
			return 1;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;	/* the file shrank */
			return -1;
		}
	}
	/* the stream's idea of its position follows the descriptor's (a
	 * pipe has none); from ends at its end, as a copy through the
	 * process leaves it */
	if ((pos = lseek(out, 0, SEEK_CUR)) >= 0 &&
	    fseeko(to, pos, SEEK_SET) != 0)
		return -1;
	return fseeko(from, 0, SEEK_END) != 0 ? -1 : 0;
}

int
fcopy(FILE *from, FILE *to)
{
	char buf[65536];
	size_t n;
	int r;

	if (fflush(from) != 0 || ferror(from))
		return -1;
	rewind(from);
	if ((r = copy_in_kernel(from, to)) <= 0)
		return r;
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

void
fstart_writeback(FILE *fp)
{
	int fd;

	if (fflush(fp) == 0 && (fd = fileno(fp)) >= 0)
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

int
fsync_dir(const char *dir, struct diag *d)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		diag_set(d, dir, 0, 0, "cannot sync directory: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
outfile_open(struct outfile *o, const char *dir, const char *name,
    struct diag *d)
{
	struct sbuf b = SBUF_INIT;
	size_t keep;
	int fd;

	memset(o, 0, sizeof *o);
	/* ".NAME.XXXXXX" is 8 bytes longer than NAME: for a name that
	 * leaves no room, the temporary takes only its first bytes
	 * (mkostemp keeps it unique), so that it fits in NAME_MAX. */
	keep = strlen(name);
	if (keep > NAME_MAX - 8)
		keep = NAME_MAX - 8;
	sbuf_addf(&b, "%s/.%.*s.XXXXXX", dir, (int)keep, name);
	fd = mkostemp(b.data, O_CLOEXEC);
	if (fd >= 0)
		fchmod(fd, 0644);
	if (fd < 0 || (o->fp = fdopen(fd, "w")) == NULL) {
		diag_set(d, b.data, 0, 0, "cannot create: %s",
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(b.data);
		}
		sbuf_free(&b);
		return -1;
	}
	o->tmp = b.data;
	o->dir = xstrdup(dir);
	o->name = xstrdup(name);
	return 0;
}

static void
outfile_free(struct outfile *o)
{
	free(o->dir);
	free(o->name);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

void
outfile_abort(struct outfile *o)
{
	if (o->fp)
		fclose(o->fp);
	if (o->tmp)
		unlink(o->tmp);
	outfile_free(o);
}

/* Flush, fsync and close the temporary file.  0, or -1 with d. */
static int
finish_tmp(struct outfile *o, struct diag *d)
{
	int err = 0;

	/* errno means something only right after the call that failed; an
	 * error flag from an earlier write has no errno left to show */
	if (fflush(o->fp) != 0)
		err = errno;
	else if (ferror(o->fp))
		err = EIO;
	else if (fsync(fileno(o->fp)) != 0)
		err = errno;
	if (err != 0) {
		diag_set(d, o->tmp, 0, 0, "write error: %s", strerror(err));
		return -1;
	}
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		diag_set(d, o->tmp, 0, 0, "write error: %s", strerror(errno));
		return -1;
	}
	o->fp = NULL;
	return 0;
}

/* Read up to n bytes of fd into buf, less only at its end: the count,
 * or -1 (errno set). */
static ssize_t
read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = read(fd, buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* 1 when the files a and b (b not followed if a symbolic link) hold the
 * same bytes, 0 when not, -1 with d when one cannot be read. */
static int
same_bytes(const char *a, const char *b, struct diag *d)
{
	char x[16384], y[16384];
	struct stat st;
	int fa, fb, rc = -1;
	ssize_t n, m;

	if ((fa = open(a, O_RDONLY | O_CLOEXEC)) < 0) {
		diag_set(d, a, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* O_NONBLOCK: a fifo at the name must not hold the open */
	if ((fb = open(b, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) < 0) {
		if (errno == ELOOP)	/* a link is not the file written */
			rc = 0;
		else
			diag_set(d, b, 0, 0, "cannot open: %s",
			    strerror(errno));
		close(fa);
		return rc;
	}
	/* a directory, a device or a fifo is not the file written either */
	if (fstat(fb, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fa);
		close(fb);
		return 0;
	}
	for (;;) {
		if ((n = read_full(fa, x, sizeof x)) < 0) {
			diag_set(d, a, 0, 0, "read error: %s", strerror(errno));
			break;
		}
		if ((m = read_full(fb, y, sizeof y)) < 0) {
			diag_set(d, b, 0, 0, "read error: %s", strerror(errno));
			break;
		}
		if (m != n || memcmp(x, y, (size_t)n) != 0) {
			rc = 0;
			break;
		}
		if (n < (ssize_t)sizeof x) {	/* both ended */
			rc = 1;
			break;
		}
	}
	close(fa);
	close(fb);
	return rc;
}

/* The temporary as dst, which must not exist or hold the same bytes:
 * link(2) fails on an existing name, where rename(2) would replace it.
 * On a file system without hard links the name is looked at first (a
 * file made in between is then replaced). */
static int
place_new(struct outfile *o, const char *dst, struct diag *d)
{
	struct stat st;
	int same;

	if (link(o->tmp, dst) == 0) {
		unlink(o->tmp);	/* left over, it is only a hidden copy */
		return 0;
	}
	if (errno != EEXIST) {
		if (errno != EPERM && errno != ENOTSUP && errno != EMLINK &&
		    errno != ENOSYS && errno != EOPNOTSUPP) {
			diag_set(d, dst, 0, 0, "cannot link into place: %s",
			    strerror(errno));
			return -1;
		}
		if (lstat(dst, &st) != 0) {
			if (errno != ENOENT) {
				diag_set(d, dst, 0, 0, "cannot look at: %s",
				    strerror(errno));
				return -1;
			}
			if (rename(o->tmp, dst) != 0) {
				diag_set(d, dst, 0, 0, "cannot rename into "
				    "place: %s", strerror(errno));
				return -1;
			}
			return 0;
		}
	}
	if ((same = same_bytes(o->tmp, dst, d)) < 0)
		return -1;
	if (!same) {
		diag_set(d, dst, 0, 0, "exists with other content: not "
		    "replaced (move it away, or write to another directory)");
		return -2;
	}
	unlink(o->tmp);	/* the same bytes are there: nothing to write */
	return 0;
}

static int
commit(struct outfile *o, int replace, struct diag *d)
{
	struct sbuf dst = SBUF_INIT;
	int rc = -1, r;

	if (finish_tmp(o, d) < 0)
		goto out;
	sbuf_addf(&dst, "%s/%s", o->dir, o->name);
	if (!replace) {
		if ((r = place_new(o, dst.data, d)) < 0) {
			rc = r;
			goto out;
		}
	} else if (rename(o->tmp, dst.data) != 0) {
		diag_set(d, dst.data, 0, 0, "cannot rename into place: %s",
		    strerror(errno));
		goto out;
	}
	free(o->tmp);
	o->tmp = NULL;
	if (fsync_dir(o->dir, d) < 0)
		goto out;
	rc = 0;
out:
	sbuf_free(&dst);
	if (rc < 0)
		outfile_abort(o);
	else
		outfile_free(o);
	return rc;
}

int
outfile_commit(struct outfile *o, struct diag *d)
{
	return commit(o, 1, d);
}

int
outfile_commit_new(struct outfile *o, struct diag *d)
{
	return commit(o, 0, d);
}

int
outfile_write_new(const char *dir, const char *name, const void *p,
    size_t n, struct diag *d)
{
	struct outfile o;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		diag_set(d, dir, 0, 0, "cannot make directory: %s",
		    strerror(errno));
		return -1;
	}
	if (outfile_open(&o, dir, name, d) < 0)
		return -1;
	if (fwrite(p, 1, n, o.fp) != n) {
		diag_set(d, dir, 0, 0, "%s: write error: %s", name,
		    strerror(errno));
		outfile_abort(&o);
		return -1;
	}
	return outfile_commit_new(&o, d);
}
