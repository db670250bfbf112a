/*
 * money: amounts as int64_t cents (STYLE.md 9).  No floating point.
 *
 * money_parse reads euros as written in bank files and Finvoice:
 *   "1234,56"  "1234.56"  "-0,05"  "+12.5"  "1234"  " 17,00 "
 * Leading/trailing blanks are allowed; one decimal separator ("," or ".");
 * at most two decimals (a third or later decimal digit is accepted only if
 * it is zero: "1,500" is 1.50).  Thousands separators are not accepted.
 * An amount beyond +-92 233 720 368 547 758.07 is an error, never a wrap.
 */
#ifndef RESKONTRA_MONEY_H
#define RESKONTRA_MONEY_H

#include <stddef.h>
#include <stdint.h>

#define MONEY_BUFSZ 32

/* Returns 0 and sets *cents, or -1 on a malformed or overflowing amount. */
int money_parse(const char *s, size_t n, int64_t *cents);

/* Unsigned digits that already are cents, e.g. the KTL amount "0000001250".
 * Returns 0 or -1 (empty, non-digit, overflow). */
int money_parse_cents(const char *s, size_t n, int64_t *cents);

/* Format as the record stream writes amounts: "-12.50", "0.00". buf must
 * hold MONEY_BUFSZ bytes; returns buf. */
char *money_format(int64_t cents, char *buf);
/* The same, returning the length written. */
size_t money_format_n(int64_t cents, char *buf);
/* The same text without its NUL, ending just before end (at most
 * MONEY_BUFSZ - 1 bytes before it); returns where it begins. */
char *money_format_end(int64_t cents, char *end);

/* Same with a decimal comma ("1234,56"), for Finvoice and CSV output. */
char *money_format_comma(int64_t cents, char *buf);

/* Overflow-checked a + b; returns 0, or -1 (and leaves *out alone). */
int money_add(int64_t a, int64_t b, int64_t *out);

/* An invoice's or a payment's currency is euros: EUR in any case, or
 * none given (Finvoice puts a currency on every amount; an inv record
 * without one came from a message that had none, which the schema
 * forbids: taken as euros rather than a currency invented; a pay
 * record's is always there). */
int money_in_eur(const char *currency);

#endif
