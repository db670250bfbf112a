/*
 * record: the text stream between filters (DESIGN.md "Records").
 *
 * One record per line, UTF-8, TAB-separated, first field the kind.  The
 * stream starts with "#reskontra records 1"; other '#' lines are comments.
 * Inside a field TAB, newline, CR and backslash are written \t \n \r \\.
 *
 * Writer: rec_begin() .. rec_str()/rec_cents()/... .. rec_end().  The
 * writer does not own the FILE.  Write errors are sticky in the FILE and
 * are found by the command layer when it closes the output (fshut).
 *
 * Reader: struct recin owns its line buffer and field array; the pointers
 * in fields[] stay valid until the next rec_read() or rec_in_free().
 */
#ifndef RESKONTRA_RECORD_H
#define RESKONTRA_RECORD_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/diag.h"

#define REC_HEADER "#reskontra records 1"

/* The longest record line the reader accepts (without its terminator), so
 * that memory stays bounded whatever is piped in. */
#define REC_MAX_LINE (16L << 20)

/* A record is put together in buf and handed to the FILE whole by
 * rec_end() (or in pieces of REC_OUT_BUFSZ when it is longer): between
 * records everything written is in the FILE. */
#define REC_OUT_BUFSZ 4096

struct recout {
	FILE *fp;
	int nfields;		/* fields written in the current record */
	size_t len;		/* bytes of the current record in buf */
	/* the last two dates written: the records of one file repeat
	 * them (a booking and a payment date) */
	int date_valid[2], date_next;
	day_t date_day[2];
	size_t date_len[2];
	char date_text[2][DATE_BUFSZ];
	char buf[REC_OUT_BUFSZ];
};

void rec_out_init(struct recout *w, FILE *fp);
void rec_header(struct recout *w);	/* writes REC_HEADER and newline */
void rec_comment(struct recout *w, const char *text);	/* "# text" */

void rec_begin(struct recout *w, const char *kind);
void rec_strn(struct recout *w, const char *s, size_t n);
/* NULL writes "".  Inline, so that a literal's length is known when it
 * is compiled. */
static inline void
rec_str(struct recout *w, const char *s)
{
	rec_strn(w, s ? s : "", s ? strlen(s) : 0);
}
void rec_cents(struct recout *w, int64_t cents);
void rec_date(struct recout *w, day_t day);	/* DAY_NONE writes "" */
void rec_int(struct recout *w, long long v);
void rec_source(struct recout *w, const char *file, long line);
/* The same with the file name's length known (a reader's loop). */
void rec_source_n(struct recout *w, const char *file, size_t filelen,
    long line);
/* A field whose text is escaped already (one read back from a store of
 * record fields): written as it is. */
void rec_raw(struct recout *w, const char *escaped);
void rec_end(struct recout *w);
/* Fields written since the last rec_end() into the FILE, for a caller
 * that keeps a part of a record (the fields without their newline). */
void rec_flush(struct recout *w);

/* Write a record read by rec_read() through unchanged. */
void rec_copy(struct recout *w, char *const *fields, size_t n);

struct recin {
	FILE *fp;
	const char *name;	/* for messages; not owned */
	long line;		/* line number of the current record */
	/* 1: a stream the program holds for itself (a run's records of
	 * an input), whose lines mean nothing to a user */
	int held;
	int seen_header;
	char *buf;
	size_t cap;
	char **fields;
	size_t nfields;
	size_t fcap;
};

void rec_in_init(struct recin *r, FILE *fp, const char *name);
void rec_in_free(struct recin *r);

/* Next record: 1 and fields set; 0 at end of input; -1 with d filled on a
 * malformed stream (no header, bad escape, unknown version, NUL byte, a
 * line longer than REC_MAX_LINE) or a read error. */
int rec_read(struct recin *r, struct diag *d);

/* One line of fields written elsewhere (without its LF; a journalled
 * note, spool_job_note()) split into r's fields as rec_read() would:
 * 0, or -1 with d filled on a bad escape.  r needs no stream. */
int rec_split_line(struct recin *r, const char *line, struct diag *d);

/* Field i or "" when the record is shorter. */
const char *rec_field(const struct recin *r, size_t i);

#endif
