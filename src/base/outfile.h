/*
 * outfile: outputs that are complete or absent (STYLE.md 4).
 *
 * fshut() flushes and checks a stream (stdout included) so that a full
 * disk or a closed pipe is an error, not a short file.
 *
 * outfile_open() writes to a unique temporary name ".NAME.XXXXXX" in dir
 * (NAME cut to its first NAME_MAX - 8 bytes when longer, so that the
 * temporary can be created whenever NAME can);
 * outfile_commit() flushes, fsyncs, renames to NAME and fsyncs the
 * directory; outfile_abort() removes the temporary file.  The struct owns
 * the FILE and both names until commit or abort.
 *
 * outfile_commit_new() is outfile_commit() for a file that must not
 * replace another: an existing NAME with the same bytes is kept (a rerun
 * writes nothing twice), with other bytes the commit returns -2 ("exists
 * with other content: not replaced") and the temporary is removed.
 * outfile_write_new() is the whole of it for bytes in memory: the
 * directory made if missing (one level), p[0..n) written and committed
 * new; 0, -1 with d, -2 as outfile_commit_new().
 */
#ifndef RESKONTRA_OUTFILE_H
#define RESKONTRA_OUTFILE_H

#include <stdio.h>

#include "base/diag.h"

/* 0 ok; -1 with d filled.  Closes fp unless it is stdout or stderr (those
 * are flushed and checked only). */
int fshut(FILE *fp, const char *name, struct diag *d);

/* Say on standard error that writing to fp (called name) failed with
 * errno err, once: a later fshut() of fp fails without saying it again
 * (fshut_said() tells). */
void fwrite_failed(FILE *fp, const char *name, int err);
int fshut_said(FILE *fp);

struct outfile {
	FILE *fp;
	char *dir;
	char *name;		/* final name inside dir */
	char *tmp;		/* full path of the temporary file */
};

int outfile_open(struct outfile *o, const char *dir, const char *name,
    struct diag *d);
int outfile_commit(struct outfile *o, struct diag *d);
int outfile_commit_new(struct outfile *o, struct diag *d);
int outfile_write_new(const char *dir, const char *name, const void *p,
    size_t n, struct diag *d);
void outfile_abort(struct outfile *o);

/* Copy all of `from` (flushed and rewound first) to the end of `to`,
 * inside the kernel (sendfile) when from is a regular file and to takes
 * it.  0, or -1 on a read or write error (errno as the failing call left
 * it). */
int fcopy(FILE *from, FILE *to);

/* Let the kernel start writing fp's data to disk now, without waiting:
 * the fsync that makes it durable later (which this does not replace)
 * then has less to wait for.  Errors are left to that fsync. */
void fstart_writeback(FILE *fp);

/* fsync a directory (after a rename into it).  0 or -1 with d filled. */
int fsync_dir(const char *dir, struct diag *d);

#endif
