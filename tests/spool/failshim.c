/*
 * failshim: an LD_PRELOAD library for the spool tests.  open(2) with
 * O_CREAT, and mkostemp(3), of a path containing $FAILSHIM_MATCH fail
 * with errno $FAILSHIM_ERRNO (default ENOSPC), as they would on a full
 * disk or an unwritable directory -- also for root, whom permissions do
 * not stop.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int
should_fail(const char *path, int flags)
{
	const char *m = getenv("FAILSHIM_MATCH");
	const char *e = getenv("FAILSHIM_ERRNO");

	if (m == NULL || *m == '\0' || !(flags & O_CREAT) ||
	    strstr(path, m) == NULL)
		return 0;
	errno = e ? atoi(e) : ENOSPC;
	return 1;
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
