/*
 * csv: spreadsheet files as a Finnish-locale spreadsheet opens them
 * (formats/vouchers.md "Spreadsheet"): fields separated by ';',
 * lines ended by CR LF, a field holding ';', '"', CR or LF quoted with
 * '"' and inner quotes doubled, optionally a UTF-8 byte order mark
 * first.  Amounts are written by the caller (money_format_comma()).
 *
 * Used by every writer of a CSV file (vouchers, the ledger's lists, the
 * run report), so that they agree on the dialect.  Writes to a FILE the
 * caller owns; errors are the caller's to check on close.
 */
#ifndef RESKONTRA_CSV_H
#define RESKONTRA_CSV_H

#include <stdio.h>

/* The UTF-8 byte order mark, when bom is set. */
void csv_begin(FILE *fp, int bom);

/* Field s, then ';' or, when last, the line end. */
void csv_field(FILE *fp, const char *s, int last);

/* A whole line of n fields. */
void csv_line(FILE *fp, const char *const *f, size_t n);

/*
 * A record stream (formats/records.md) read from in as CSV into out: a
 * header line of column names (the first "kind") before the first
 * record of each kind, then each record's fields, amounts (the columns
 * named as amounts in recschema: total, paid, amount, ...) with a
 * decimal comma.  0, or -1 with d filled when the stream is broken.
 */
struct recin;
struct diag;
int csv_records(struct recin *in, FILE *out, int bom, struct diag *d);

#endif
