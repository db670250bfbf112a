/*
 * failshim: an LD_PRELOAD library for the spool tests.  Three modes, any
 * of them together:
 *
 * $FAILSHIM_MATCH=STR: open(2) with O_CREAT, mkostemp(3), mkdir(2),
 * unlink(2) and rename(2) of a path containing STR fail with errno
 * $FAILSHIM_ERRNO (default ENOSPC), as they would on a full disk or in
 * an unwritable directory (EROFS, EACCES) -- also for root, whom
 * permissions do not stop.  With $FAILSHIM_FDMATCH=STR, writing to
 * (write, pwrite, stdio streams) or syncing and truncating a file
 * descriptor whose file's path contains STR fails the same way: a disk
 * that fills up under a file already open.
 *
 * Counting (SQLite's fail-the-Nth-call testing): with $FAILSHIM_NTH=N
 * the Nth counted call fails, once, with an errno that fits it (below;
 * $FAILSHIM_ERRNO overrides it); with $FAILSHIM_STICKY=1 every counted
 * call from the Nth on fails, as on a disk that stays full.
 * $FAILSHIM_CALLS is a comma-separated list of the calls that count: a
 * group name (open, write, read, fsync, truncate, rename, unlink, mkdir,
 * lock, malloc) or one function's name (fdatasync, pwrite64, ...);
 * default "open,write,fsync,truncate,rename,unlink,mkdir".  With
 * $FAILSHIM_COUNT=FILE the library writes to FILE, at exit, the number
 * of counted calls on its first line and then a line "NAME COUNT" per
 * function; a test runs the program once cleanly to learn how many N
 * there are.  With $FAILSHIM_LOG=FILE the failing call appends "N NAME
 * ERRNO [PATH]" to FILE when it fails (PATH for open calls; a run
 * that aborts writes no count).
 *
 *   group     functions                              errno
 *   open      open open64 openat openat64 mkostemp   ENOSPC (O_CREAT)
 *             mkstemp                                or EACCES
 *   write     write pwrite pwrite64 writev sendfile  ENOSPC
 *             sendfile64, and the
 *             writes of stdio streams from fdopen(3)
 *             and tmpfile(3)
 *   read      read pread pread64, stdio reads as     EIO
 *             above
 *   fsync     fsync fdatasync                        EIO
 *   truncate  ftruncate ftruncate64                  EIO
 *   rename    rename renameat renameat2              EIO
 *   unlink    unlink unlinkat                        EIO
 *   mkdir     mkdir                                  ENOSPC
 *   lock      fcntl64 with F_SETLK, F_SETLKW,        EIO
 *             F_OFD_SETLK, F_OFD_SETLKW (SQLite)
 *   malloc    malloc calloc realloc                  ENOMEM (NULL)
 *
 * glibc's stdio writes with internal calls that no LD_PRELOAD library
 * sees, so streams made by fdopen(3) and tmpfile(3) are made here with
 * fopencookie(3) over the same descriptor, whose write and read
 * functions are the counted ones, and fileno(3) answers for them.  The
 * program's output files are all such streams.  SQLite's unix VFS does
 * its I/O with open64, pread64, pwrite64, fdatasync, ftruncate64 and
 * fcntl64, all caught here.
 *
 * With $FAILSHIM_ONLY_UNDER=DIR, creating or renaming anything (open
 * with O_CREAT, mkostemp, mkdir, rename) whose directory is not inside
 * DIR (after resolving links) fails with EACCES: a test can run a
 * command that might write outside its scratch directory (a spool root
 * of "" or /) without harming the machine.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);

/* real_NAME: the next definition of NAME (libc's) */
#define REAL(name) \
	static __typeof__(&name) real_##name; \
	if (real_##name == NULL) \
		real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

/* ---- counting ---- */

static int cfg_done, cfg_counting;
static long cfg_nth = -1;
static int cfg_sticky;
static const char *cfg_calls, *cfg_fdmatch;
static long ncounted;
static const char *cur_path;	/* the path of the call, for the log */

/* per function, for $FAILSHIM_COUNT */
static const char *fn_names[64];
static long fn_counts[64];
static int nfn;

static void
config(void)
{
	const char *v;

	if (cfg_done)
		return;
	cfg_done = 1;
	if ((v = getenv("FAILSHIM_NTH")) != NULL && *v != '\0')
		cfg_nth = atol(v);
	cfg_sticky = (v = getenv("FAILSHIM_STICKY")) != NULL && *v == '1';
	cfg_calls = getenv("FAILSHIM_CALLS");
	if (cfg_calls == NULL || *cfg_calls == '\0')
		cfg_calls = "open,write,fsync,truncate,rename,unlink,mkdir";
	cfg_fdmatch = getenv("FAILSHIM_FDMATCH");
	if (cfg_fdmatch != NULL && *cfg_fdmatch == '\0')
		cfg_fdmatch = NULL;
	v = getenv("FAILSHIM_COUNT");
	cfg_counting = cfg_nth > 0 || (v != NULL && *v != '\0');
}

/* Is word one of the comma-separated items of list? */
static int
listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static void
log_failure(long n, const char *name, int err)
{
	const char *path = getenv("FAILSHIM_LOG");
	char line[128];
	int fd, len;

	REAL(open);
	REAL(write);
	if (path == NULL || *path == '\0')
		return;
	len = snprintf(line, sizeof line, "%ld %s %d%s%.80s\n", n, name, err,
	    cur_path ? " " : "", cur_path ? cur_path : "");
	fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (real_write(fd, line, (size_t)len) < 0)
		len = 0;
	close(fd);
}

/* Count a call of function name (in group); nonzero when it is to fail,
 * with errno set to $FAILSHIM_ERRNO or err. */
static int
counted_fails(const char *group, const char *name, int err)
{
	const char *e;
	int i;

	config();
	if (!cfg_counting ||
	    !(listed(cfg_calls, group) || listed(cfg_calls, name)))
		return 0;
	ncounted++;
	for (i = 0; i < nfn && fn_names[i] != name; i++)
		;
	if (i == nfn && nfn < 64)
		fn_names[nfn++] = name;
	if (i < 64)
		fn_counts[i]++;
	if (cfg_nth <= 0 || ncounted < cfg_nth ||
	    (ncounted > cfg_nth && !cfg_sticky))
		return 0;
	if ((e = getenv("FAILSHIM_ERRNO")) != NULL && *e != '\0')
		err = atoi(e);
	log_failure(ncounted, name, err);
	errno = err;
	return 1;
}

__attribute__((destructor)) static void
write_count(void)
{
	const char *path = getenv("FAILSHIM_COUNT");
	char line[128];
	int fd, i, len;

	REAL(open);
	REAL(write);
	if (path == NULL || *path == '\0')
		return;
	fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof line, "%ld\n", ncounted);
	if (real_write(fd, line, (size_t)len) < 0)
		goto out;
	for (i = 0; i < nfn; i++) {
		len = snprintf(line, sizeof line, "%s %ld\n", fn_names[i],
		    fn_counts[i]);
		if (real_write(fd, line, (size_t)len) < 0)
			break;
	}
out:
	close(fd);
}

/* Does descriptor fd's file have $FAILSHIM_FDMATCH in its path? */
static int
fd_matches(int fd)
{
	char link[64], path[PATH_MAX];
	const char *e;
	ssize_t n;

	config();
	if (cfg_fdmatch == NULL)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) < 0)
		return 0;
	path[n] = '\0';
	if (strstr(path, cfg_fdmatch) == NULL)
		return 0;
	e = getenv("FAILSHIM_ERRNO");
	errno = e && *e ? atoi(e) : ENOSPC;
	return 1;
}

/* ---- paths ---- */

/* Is path's directory outside $FAILSHIM_ONLY_UNDER? */
static int
outside(const char *path)
{
	const char *under = getenv("FAILSHIM_ONLY_UNDER");
	char abs[PATH_MAX * 2], top[PATH_MAX], real[PATH_MAX], cwd[PATH_MAX];
	const char *dir = abs;
	char *slash;
	size_t n;

	if (under == NULL || *under == '\0')
		return 0;
	if (realpath(under, top) == NULL)
		return 1;
	if (path[0] == '/')
		snprintf(abs, sizeof abs, "%s", path);
	else if (getcwd(cwd, sizeof cwd) != NULL)
		snprintf(abs, sizeof abs, "%s/%s", cwd, path);
	else
		return 1;
	slash = strrchr(abs, '/');
	if (slash == abs)
		dir = "/";
	else
		*slash = '\0';
	if (realpath(dir, real) != NULL)
		dir = real;
	n = strlen(top);
	return !(strncmp(dir, top, n) == 0 &&
	    (dir[n] == '/' || dir[n] == '\0'));
}

/* Does a path containing $FAILSHIM_MATCH make this call fail? */
static int
path_matches(const char *path)
{
	const char *m = getenv("FAILSHIM_MATCH");
	const char *e = getenv("FAILSHIM_ERRNO");

	if (m == NULL || *m == '\0' || path == NULL || strstr(path, m) == NULL)
		return 0;
	errno = e && *e ? atoi(e) : ENOSPC;
	return 1;
}

static int
should_fail(const char *path, int flags)
{
	if ((flags & O_CREAT) && outside(path)) {
		errno = EACCES;
		return 1;
	}
	return (flags & O_CREAT) && path_matches(path);
}

static int
open_fails(const char *name, const char *path, int flags)
{
	int rc;

	if (should_fail(path, flags))
		return 1;
	cur_path = path;
	rc = counted_fails("open", name, (flags & O_CREAT) ? ENOSPC : EACCES);
	cur_path = NULL;
	return rc;
}

/* ---- the interposed calls ---- */

int
mkdir(const char *path, mode_t mode)
{
	REAL(mkdir);
	if (outside(path)) {
		errno = EACCES;
		return -1;
	}
	if (path_matches(path) || counted_fails("mkdir", "mkdir", ENOSPC))
		return -1;
	return real_mkdir(path, mode);
}

int
unlink(const char *path)
{
	REAL(unlink);
	if (path_matches(path) || counted_fails("unlink", "unlink", EIO))
		return -1;
	return real_unlink(path);
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	REAL(unlinkat);
	if (path_matches(path) || counted_fails("unlink", "unlinkat", EIO))
		return -1;
	return real_unlinkat(dirfd, path, flags);
}

int
rename(const char *from, const char *to)
{
	REAL(rename);
	if (outside(from) || outside(to)) {
		errno = EACCES;
		return -1;
	}
	if (path_matches(from) || path_matches(to) ||
	    counted_fails("rename", "rename", EIO))
		return -1;
	return real_rename(from, to);
}

int
renameat(int fromfd, const char *from, int tofd, const char *to)
{
	REAL(renameat);
	if (path_matches(from) || path_matches(to) ||
	    counted_fails("rename", "renameat", EIO))
		return -1;
	return real_renameat(fromfd, from, tofd, to);
}

int
renameat2(int fromfd, const char *from, int tofd, const char *to,
    unsigned int flags)
{
	REAL(renameat2);
	if (outside(from) || outside(to)) {
		errno = EACCES;
		return -1;
	}
	if (path_matches(from) || path_matches(to) ||
	    counted_fails("rename", "renameat2", EIO))
		return -1;
	return real_renameat2(fromfd, from, tofd, to, flags);
}

#define OPEN_MODE(flags, mode) do { \
	va_list ap; \
	if ((flags) & (O_CREAT | __O_TMPFILE)) { \
		va_start(ap, flags); \
		mode = va_arg(ap, mode_t); \
		va_end(ap); \
	} \
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(open);
	OPEN_MODE(flags, mode);
	if (open_fails("open", path, flags))
		return -1;
	return real_open(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(open64);
	OPEN_MODE(flags, mode);
	if (open_fails("open64", path, flags))
		return -1;
	return real_open64(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(openat);
	OPEN_MODE(flags, mode);
	if (open_fails("openat", path, flags))
		return -1;
	return real_openat(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	REAL(openat64);
	OPEN_MODE(flags, mode);
	if (open_fails("openat64", path, flags))
		return -1;
	return real_openat64(dirfd, path, flags, mode);
}

int
mkostemp(char *tmpl, int flags)
{
	REAL(mkostemp);
	if (open_fails("mkostemp", tmpl, O_CREAT))
		return -1;
	return real_mkostemp(tmpl, flags);
}

int
mkstemp(char *tmpl)
{
	REAL(mkstemp);
	if (open_fails("mkstemp", tmpl, O_CREAT))
		return -1;
	return real_mkstemp(tmpl);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (fd_matches(fd) || counted_fails("write", "write", ENOSPC))
		return -1;
	return real_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (fd_matches(fd) || counted_fails("write", "pwrite", ENOSPC))
		return -1;
	return real_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite64);
	if (fd_matches(fd) || counted_fails("write", "pwrite64", ENOSPC))
		return -1;
	return real_pwrite64(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	REAL(writev);
	if (fd_matches(fd) || counted_fails("write", "writev", ENOSPC))
		return -1;
	return real_writev(fd, iov, n);
}

ssize_t
sendfile(int out, int in, off_t *off, size_t n)
{
	REAL(sendfile);
	if (fd_matches(out) || counted_fails("write", "sendfile", ENOSPC))
		return -1;
	return real_sendfile(out, in, off, n);
}

ssize_t
sendfile64(int out, int in, off_t *off, size_t n)
{
	REAL(sendfile64);
	if (fd_matches(out) || counted_fails("write", "sendfile64", ENOSPC))
		return -1;
	return real_sendfile64(out, in, off, n);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	REAL(read);
	if (counted_fails("read", "read", EIO))
		return -1;
	return real_read(fd, buf, n);
}

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	REAL(pread);
	if (counted_fails("read", "pread", EIO))
		return -1;
	return real_pread(fd, buf, n, off);
}

ssize_t
pread64(int fd, void *buf, size_t n, off_t off)
{
	REAL(pread64);
	if (counted_fails("read", "pread64", EIO))
		return -1;
	return real_pread64(fd, buf, n, off);
}

/* $FAILSHIM_NOSYNC=1: fsync and fdatasync return at once (after they
 * counted): a test that walks hundreds of runs tests error paths, not
 * what reaches the disk, and need not wait for it. */
static int
nosync(void)
{
	const char *v = getenv("FAILSHIM_NOSYNC");

	return v != NULL && *v == '1';
}

int
fsync(int fd)
{
	REAL(fsync);
	if (fd_matches(fd) || counted_fails("fsync", "fsync", EIO))
		return -1;
	return nosync() ? 0 : real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);
	if (fd_matches(fd) || counted_fails("fsync", "fdatasync", EIO))
		return -1;
	return nosync() ? 0 : real_fdatasync(fd);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	if (fd_matches(fd) || counted_fails("truncate", "ftruncate", EIO))
		return -1;
	return real_ftruncate(fd, len);
}

int
ftruncate64(int fd, off_t len)
{
	REAL(ftruncate64);
	if (fd_matches(fd) || counted_fails("truncate", "ftruncate64", EIO))
		return -1;
	return real_ftruncate64(fd, len);
}

int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	REAL(fcntl64);
	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if ((cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK ||
	    cmd == F_OFD_SETLKW) && counted_fails("lock", "fcntl64", EIO))
		return -1;
	return real_fcntl64(fd, cmd, arg);
}

void *
malloc(size_t n)
{
	if (counted_fails("malloc", "malloc", ENOMEM))
		return NULL;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	if (counted_fails("malloc", "calloc", ENOMEM))
		return NULL;
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	if (counted_fails("malloc", "realloc", ENOMEM))
		return NULL;
	return __libc_realloc(p, n);
}

/* ---- stdio streams whose writes are seen ---- */

static struct {
	FILE *fp;
	int fd;
} streams[256];

static ssize_t
stream_read(void *c, char *buf, size_t n)
{
	return read((int)(long)c, buf, n);
}

static ssize_t
stream_write(void *c, const char *buf, size_t n)
{
	return write((int)(long)c, buf, n);
}

static int
stream_seek(void *c, off64_t *off, int whence)
{
	off64_t r = lseek64((int)(long)c, *off, whence);

	if (r < 0)
		return -1;
	*off = r;
	return 0;
}

static int
stream_close(void *c)
{
	int i, fd = (int)(long)c;

	for (i = 0; i < 256; i++)
		if (streams[i].fp != NULL && streams[i].fd == fd) {
			streams[i].fp = NULL;
			break;
		}
	return close(fd);
}

/* A stream over fd whose I/O goes through the calls above, or NULL
 * when this mode is off. */
static FILE *
seen_stream(int fd, const char *mode, int *off)
{
	cookie_io_functions_t io = { stream_read, stream_write, stream_seek,
	    stream_close };
	FILE *fp;
	int i;

	config();
	*off = !cfg_counting && cfg_fdmatch == NULL;
	if (*off)
		return NULL;
	for (i = 0; i < 256 && streams[i].fp != NULL; i++)
		;
	if (i == 256) {
		*off = 1;
		return NULL;
	}
	if ((fp = fopencookie((void *)(long)fd, mode, io)) == NULL)
		return NULL;
	streams[i].fp = fp;
	streams[i].fd = fd;
	return fp;
}

FILE *
fdopen(int fd, const char *mode)
{
	FILE *fp;
	int off;

	REAL(fdopen);
	if (strpbrk(mode, "wa+") == NULL)
		return real_fdopen(fd, mode);
	fp = seen_stream(fd, mode, &off);
	return off ? real_fdopen(fd, mode) : fp;
}

FILE *
tmpfile(void)
{
	FILE *tmp, *fp;
	int fd, off;

	REAL(tmpfile);
	config();
	if (!cfg_counting && cfg_fdmatch == NULL)
		return real_tmpfile();
	if (open_fails("tmpfile", "tmpfile", O_CREAT))
		return NULL;
	if ((tmp = real_tmpfile()) == NULL)
		return NULL;
	fd = dup(fileno(tmp));
	fclose(tmp);
	if (fd < 0)
		return NULL;
	fp = seen_stream(fd, "w+", &off);
	if (fp == NULL) {
		if (!off)
			close(fd);
		return off ? fdopen(fd, "w+") : NULL;
	}
	return fp;
}

int
fileno(FILE *fp)
{
	int i;

	REAL(fileno);
	for (i = 0; i < 256; i++)
		if (streams[i].fp == fp && fp != NULL)
			return streams[i].fd;
	return real_fileno(fp);
}
