/*
 * diag: errors and warnings with a position.
 *
 * Library code never prints and never exits: it fills a struct diag and
 * returns a status.  The command layer prints the diag in one fixed shape,
 *   reskontra: FILE:LINE:COLUMN: message
 * and picks the exit code (exitcode.h).  A diag is a plain value owned by
 * the caller; it holds copies, never pointers into input buffers.
 */
#ifndef RESKONTRA_DIAG_H
#define RESKONTRA_DIAG_H

#include <stdarg.h>
#include <stdio.h>

struct diag {
	char file[512];		/* input name as given, "-" for stdin, "" if none */
	long line;		/* 1-based; 0 when not known */
	long column;		/* 1-based; 0 when not known */
	char msg[768];
};

/* Fill d; line/column 0 leave them out of the printed message. */
void diag_set(struct diag *d, const char *file, long line, long column,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The same with a va_list. */
void diag_vset(struct diag *d, const char *file, long line, long column,
    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Print "reskontra: FILE:LINE:COL: msg" on fp (parts that are 0/empty are
 * left out); diag_warn puts "warning: " before the message. */
void diag_print(FILE *fp, const struct diag *d);
void diag_warn(FILE *fp, const struct diag *d);

/* The line diag_print (warn = 0) or diag_warn (1) prints, without its
 * newline, in a string the caller frees. */
char *diag_text(const struct diag *d, int warn);

/* Write s on fp with control bytes shown as \n, \t or \xHH, as the
 * messages above show them: for file names in any other line written
 * for an operator. */
void diag_put_visible(FILE *fp, const char *s);
/* The same, appended to b. */
struct sbuf;
void diag_add_visible(struct sbuf *b, const char *s);

/* Name used in messages ("reskontra"). */
extern const char *progname;

#endif
