/*
 * failshim: an LD_PRELOAD library for the spool tests.  open(2) with
 * O_CREAT, and mkostemp(3), of a path containing $FAILSHIM_MATCH fail
 * with errno $FAILSHIM_ERRNO (default ENOSPC), as they would on a full
 * disk or an unwritable directory -- also for root, whom permissions do
 * not stop.
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
#include <sys/stat.h>
#include <unistd.h>

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

static int
should_fail(const char *path, int flags)
{
	const char *m = getenv("FAILSHIM_MATCH");
	const char *e = getenv("FAILSHIM_ERRNO");

	if ((flags & O_CREAT) && outside(path)) {
		errno = EACCES;
		return 1;
	}
	if (m == NULL || *m == '\0' || !(flags & O_CREAT) ||
	    strstr(path, m) == NULL)
		return 0;
	errno = e ? atoi(e) : ENOSPC;
	return 1;
}

int
mkdir(const char *path, mode_t mode)
{
	static int (*real)(const char *, mode_t);

	if (outside(path)) {
		errno = EACCES;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(const char *, mode_t))dlsym(RTLD_NEXT, "mkdir");
	return real(path, mode);
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (outside(from) || outside(to)) {
		errno = EACCES;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "rename");
	return real(from, to);
}

int
renameat2(int fromfd, const char *from, int tofd, const char *to,
    unsigned int flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned int);

	if (outside(from) || outside(to)) {
		errno = EACCES;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *,
		    unsigned int))dlsym(RTLD_NEXT, "renameat2");
	return real(fromfd, from, tofd, to, flags);
}

int
open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (should_fail(path, flags))
		return -1;
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	return real(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (should_fail(path, flags))
		return -1;
	if (real == NULL)
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open64");
	return real(path, flags, mode);
}

int
mkostemp(char *tmpl, int flags)
{
	static int (*real)(char *, int);

	if (should_fail(tmpl, O_CREAT))
		return -1;
	if (real == NULL)
		real = (int (*)(char *, int))dlsym(RTLD_NEXT, "mkostemp");
	return real(tmpl, flags);
}

int
mkstemp(char *tmpl)
{
	static int (*real)(char *);

	if (should_fail(tmpl, O_CREAT))
		return -1;
	if (real == NULL)
		real = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
	return real(tmpl);
}
