/*
 * reader: the front of the data flow (DESIGN.md step 1).  Detects a file's
 * format from its content, never its name, and hands it to the reader for
 * that format, which turns it into records (base/record.h).
 *
 * Each format's reader is a function of type reader_fn in its own file
 * (read_kto.c, read_ktl.c, read_camt.c, read_finvoice.c).  A reader:
 *  - reads from an already opened input (gzip is undone by base/input);
 *  - writes records to w as it goes (the caller buffers them, so a file
 *    rejected half-way contributes no records);
 *  - reports per-record problems through reader_warn() and goes on;
 *  - returns READ_OK, or READ_REJECT with d saying FILE:LINE:COLUMN and why
 *    when the file as a whole fails (structure, totals, balances), or
 *    READ_SYSERR for an I/O error;
 *  - or READ_PARTIAL for a file of independent messages (a Finvoice
 *    transmission file) of which some were rejected: each was reported
 *    with reader_set_aside(), the records of the good ones are kept, and
 *    d says how many were rejected.  The file still counts as rejected
 *    (exit status 1).
 */
#ifndef RESKONTRA_READER_H
#define RESKONTRA_READER_H

#include <stdio.h>

#include "base/charset.h"
#include "base/diag.h"
#include "base/input.h"
#include "base/record.h"
#include "base/soapframe.h"

enum format {
	FMT_UNKNOWN = 0,
	FMT_KTO,
	FMT_KTL,
	FMT_CAMT053,
	FMT_CAMT054,
	FMT_FINVOICE,
	FMT_SI,
	FMT_RI
};

enum {
	READ_OK = 0,
	READ_REJECT = 1,
	READ_PARTIAL = 2,
	READ_SYSERR = -1
};

struct reader_ctx {
	enum charset charset;	/* CS_AUTO unless --charset was given */
	int schema;		/* 1: validate XML against the official XSD */
	const char *schema_dir;	/* where the .xsd files are; NULL: the
				 * built-in copies (read/schemas.h) */
	/* Called for each warning; NULL prints it on stderr. */
	void (*warn)(void *arg, const struct diag *d);
	/* Called for each message set aside from a file whose other
	 * messages are read (READ_PARTIAL); NULL: reported as a warning. */
	void (*set_aside)(void *arg, const struct diag *d);
	void *set_aside_arg;
	void *warn_arg;
	long nwarnings;
	/* messages a reader of independent messages (Finvoice) set aside
	 * while reading the rest (READ_PARTIAL); added to, not reset */
	long nset_aside;
};

typedef int (*reader_fn)(struct input *in, struct reader_ctx *ctx,
    struct recout *w, struct diag *d);

/* Format from the first bytes of a file (up to 64 KiB). */
enum format format_detect(const char *p, size_t n);

/* The account of the first statement in the first bytes p[0..n) of a
 * file of format f (FMT_KTO: the T00 record's BBAN; FMT_KTL: the first
 * payment record's, on the line after the batch record; FMT_CAMT053: the
 * first Acct's IBAN), as an IBAN in iban (IBAN_BUFSZ bytes): 0, or -1
 * when those bytes do not name one.  Only a look ahead (the spool's
 * order of inputs): the reader checks the file. */
int statement_account(enum format f, const char *p, size_t n, char *iban);

/* "kto", "ktl", "camt053", "camt054", "finvoice", "si", "ri".  -1 if
 * unknown. */
int format_from_name(const char *name, enum format *fmt);
const char *format_name(enum format fmt);

/* The reader for a format; NULL if this build has none. */
reader_fn reader_for(enum format fmt);

/* Report a warning at FILE:LINE:COLUMN through ctx (and count it). */
void reader_warn(struct reader_ctx *ctx, const char *file, long line,
    long column, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Report a message set aside (d) through ctx: ctx->set_aside, or as a
 * warning when there is none. */
void reader_set_aside(struct reader_ctx *ctx, const struct diag *d);

/*
 * Read one file (path "-" for stdin): open, detect (unless fmt is given),
 * read.  Records go to out (may be NULL: check only), and only when the
 * whole file was accepted; they are held in a temporary file meanwhile, so
 * memory does not grow with the file.  Returns READ_OK, READ_REJECT (d
 * filled), READ_PARTIAL (records of the good messages written, d filled)
 * or READ_SYSERR (d filled).
 */
int read_file(const char *path, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d);

/* read_file() on an open descriptor, named name in messages and in the
 * records' source; reads from the current offset and takes fd over. */
int read_fd(int fd, const char *name, enum format fmt,
    struct reader_ctx *ctx, struct recout *out, struct diag *d);

/* read_file() on an input already open, from where it is (bytes only
 * peeked at are still there); the caller closes it. */
int read_input(struct input *in, enum format fmt, struct reader_ctx *ctx,
    struct recout *out, struct diag *d);

/* read_input() into out directly, holding nothing back: for a caller
 * whose out is itself a temporary file that it throws away unless the
 * read is accepted (READ_OK, or READ_PARTIAL with the good messages'
 * records only, as read_input() gives them).  The caller's writes to
 * out must have reached out->fp (a record ended). */
int read_input_scratch(struct input *in, enum format fmt,
    struct reader_ctx *ctx, struct recout *out, struct diag *d);

/* Readers (one file each). */
int read_kto(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d);
int read_ktl(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d);
int read_camt(struct input *in, struct reader_ctx *ctx, struct recout *w,
    struct diag *d);
int read_finvoice(struct input *in, struct reader_ctx *ctx,
    struct recout *w, struct diag *d);

/*
 * read_si.c: one SI or RI message (root FinvoiceSenderInfo or
 * FinvoiceReceiverInfo), which read_finvoice meets in a file (so SI and
 * RI files are read by read_finvoice), to its `si` or `ri` record; fr is
 * the frame before it (fr->found 0 for a bare message).  first_line is
 * the file line of the message's first byte.  0, or -1 with md naming
 * the element a record cannot do without.
 */
struct _xmlNode;
int read_si_message(const struct _xmlNode *root, const struct soapframe *fr,
    const char *name, long first_line, struct recout *w, struct diag *md);

#endif
