/*
 * fixed: fixed-width bank records (KTL, KTO) read from tables.
 *
 * Each record type is a table of fields {name, offset, length, type}
 * (STYLE.md 7).  fixed_parse() is the one routine that reads a record by
 * its table: it right-pads a line whose trailing blanks were trimmed,
 * checks the record's own length field when the layout has one (KTO),
 * checks every numeric field for digits and converts dates and amounts.
 * Adding a field to a record is one row in its table.
 *
 * The second half is the text decoder the bank readers share: it decides
 * the character set of a file once (ISO 646-FI for a 7-bit file, else
 * ISO-8859-1, unless the user chose one) and decodes text fields to UTF-8.
 *
 * Ownership: a struct fixed_rec owns its padded copy of the line; the
 * values it fills point into that copy and stay valid until the next
 * fixed_parse() on it or fixed_rec_free().  Layout tables are static data
 * owned by the readers.
 */
#ifndef RESKONTRA_FIXED_H
#define RESKONTRA_FIXED_H

#include <stddef.h>
#include <stdint.h>

#include "base/charset.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/util.h"

enum fixed_type {
	FX_AN,		/* any text; control characters are refused */
	FX_N,		/* digits; num holds the value when len <= 18 */
	FX_DATE,	/* YYMMDD, a real date */
	FX_DATE0,	/* YYMMDD, or 000000 for "no date" (day = DAY_NONE) */
	FX_TIME,	/* HHMM, 00-23 and 00-59: minutes of the day in num */
	FX_AMOUNT,	/* '+' or '-' then digits: signed cents in num */
	FX_AMOUNT0,	/* FX_AMOUNT, or all blanks: not given (blank = 1) */
	FX_ONEOF	/* one byte out of the field's `oneof` list */
};

struct fixed_field {
	const char *name;	/* for messages: "booking date" */
	uint16_t off;		/* 0-based byte offset in the record */
	uint16_t len;
	enum fixed_type type;
	const char *oneof;	/* FX_ONEOF: the bytes allowed */
};

struct fixed_layout {
	const char *name;	/* "KTL payment record", "T10" ... */
	const struct fixed_field *fields;
	size_t nfields;
	size_t minlen;		/* shortest allowed record length */
	size_t maxlen;		/* longest; a fixed type has minlen == maxlen */
	int lenoff;		/* offset of a 3-digit length field, -1: none */
};

struct fixed_value {
	const char *s;		/* the field's bytes in the padded record */
	size_t n;		/* its length (0: beyond the record's end) */
	int64_t num;		/* FX_N (len <= 18), FX_AMOUNT */
	day_t day;		/* FX_DATE, FX_DATE0 */
	int blank;		/* the field is all blanks (or empty) */
	/* the last YYMMDD this field slot parsed and its day: the records
	 * of a file repeat their dates */
	char date_key[6];
	day_t date_day;
};

/* At most this many fields per layout. */
#define FIXED_MAXFIELDS 32
/* Records are never longer than this (KTO T11 00 with 12 blocks is 428;
 * the length field has 3 digits). */
#define FIXED_MAXLEN 999

struct fixed_rec {
	/* a UTF-8 line holds up to 4 bytes a character */
	char buf[4 * FIXED_MAXLEN + 1];
	int utf8;		/* the file's text is UTF-8 (fixed_rec_text) */
	size_t len;		/* record length: declared, else the layout's */
	struct fixed_value v[FIXED_MAXFIELDS];
};

/* 1 when fixed_parse() may read by lay: at most FIXED_MAXFIELDS fields,
 * minlen <= maxlen <= FIXED_MAXLEN, the length field (if any) and every
 * field end within maxlen (a line of maxlen bytes is then read without
 * padding).  0 otherwise. */
int fixed_layout_ok(const struct fixed_layout *lay);

/* The layouts the KTO and KTL readers read by, i from 0; NULL after the
 * last (read_kto.c, read_ktl.c).  For the test of fixed_layout_ok(). */
const struct fixed_layout *kto_layout(size_t i);
const struct fixed_layout *ktl_layout(size_t i);

/*
 * Read line[0..n) (terminator removed) by layout lay into r.  Returns 0,
 * or -1 with d filled as FILE:LINE:COLUMN and what was expected:
 *  - the line is longer than the record may be, or than its length field;
 *  - the length field is not 3 digits or outside [minlen, maxlen];
 *  - a numeric field holds a non-digit, a date does not exist, a time
 *    is not HHMM of a clock (00-23, 00-59), a sign is not '+' or '-', a
 *    one-of field holds another byte, a text field a control character.
 * A line shorter than its record is padded with blanks; a field that lies
 * wholly beyond the declared length is given as empty (n = 0) and not
 * checked; one that starts inside it is cut at the declared length and
 * that part is checked.
 */
int fixed_parse(const struct fixed_layout *lay, const char *line, size_t n,
    struct fixed_rec *r, const char *file, long lineno, struct diag *d);

/* Let r read by the character set t decided: in a UTF-8 file, a line
 * with characters of several bytes is read by character positions (as a
 * program that pads by characters writes it), and by byte positions when
 * it does not read that way. */
struct fixed_text;
void fixed_rec_text(struct fixed_rec *r, const struct fixed_text *t);

/* Field i of the last parsed record, trailing blanks removed (for AN). */
size_t fixed_trimmed(const struct fixed_value *v, const char **s);

/* 1 if s[0..n) holds only blanks (or n == 0). */
int fixed_blank(const char *s, size_t n);

/*
 * The line loop of the fixed-width readers: every non-blank line of in is
 * handed to fn with its line number (also kept in *lineno, so the caller
 * knows the last line after the loop).  Returns 0 at the end of input;
 * fn's non-zero result, which stops the loop; or, with d filled, 1
 * (READ_REJECT) when a line cannot be read because the file is bad (too
 * long, broken gzip) and -1 (READ_SYSERR) on a read error.
 */
int fixed_read_lines(struct input *in, int (*fn)(void *arg, const char *line,
    size_t len), void *arg, long *lineno, struct diag *d);

/*
 * Reference field of a bank record (byte range, blanks and zero fill
 * allowed) to its normal form in ref ("" when all zeros or blank).
 * Returns NULL when the reference is fine or not given, else the warning
 * code ("bad-reference", "short-reference") with msg saying why.
 */
const char *fixed_reference(const char *s, size_t n, char ref[REF_BUFSZ],
    char *msg, size_t msgsz);

/*
 * Text decoding for one bank file.  The character set is decided from the
 * first 64 KiB (the input's peek window), so the file is never held in
 * memory: no byte >= 0x80 there means ISO 646-FI, else ISO-8859-1.  A
 * text field with an 8-bit byte met later in a file decided as 646 is
 * decoded as ISO-8859-1 and reported once ("mixed 7-bit/8-bit text").
 */
struct fixed_text {
	enum charset cs;	/* decided or forced */
	int forced;		/* the user chose cs */
	int mixed_warned;
	int utf8_warned;	/* UTF-8 found where the format has 8-bit */
	struct sbuf tmp;	/* scratch for callers */
};

/* Decide the set for in (forced unless CS_AUTO): ISO 646-FI for a 7-bit
 * look-ahead; UTF-8 when its 8-bit bytes are all valid UTF-8 (ISO-8859-1
 * text never is, in practice); else ISO-8859-1.  0, or -1 on a read error
 * (d filled). */
int fixed_text_init(struct fixed_text *t, struct input *in, enum charset cs,
    struct diag *d);
void fixed_text_free(struct fixed_text *t);

/* Decode s[0..n) (trailing blanks dropped) into out (reset first).
 * Returns 0; a FIXED_NOTE_* (> 0) the first time the file's text is not
 * what it was decided to be, which the caller warns of with
 * fixed_text_note(); -1 for bytes invalid in a forced UTF-8. */
int fixed_text_decode(struct fixed_text *t, const char *s, size_t n,
    struct sbuf *out);

enum {
	FIXED_NOTE_MIXED = 1,	/* 8-bit text in a file decided as 646 */
	FIXED_NOTE_UTF8,	/* the file's text is UTF-8 */
	FIXED_NOTE_NOT_UTF8	/* not UTF-8 in a file decided as UTF-8 */
};

/* The warning for a FIXED_NOTE_*. */
const char *fixed_text_note(int note);

/* Bytes of the first `chars` characters of s[0..n) in t's set. */
size_t fixed_text_span(const struct fixed_text *t, const char *s, size_t n,
    size_t chars);

#endif
