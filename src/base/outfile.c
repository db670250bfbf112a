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

int
outfile_commit(struct outfile *o, struct diag *d)
{
	struct sbuf dst = SBUF_INIT;
	int rc = -1, err = 0;

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
		goto out;
	}
	if (fclose(o->fp) != 0) {
		o->fp = NULL;
		diag_set(d, o->tmp, 0, 0, "write error: %s", strerror(errno));
		goto out;
	}
	o->fp = NULL;
	sbuf_addf(&dst, "%s/%s", o->dir, o->name);
	if (rename(o->tmp, dst.data) != 0) {
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
