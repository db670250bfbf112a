/*
 * charset: decoding bank and invoice text to UTF-8, once, at the boundary.
 *
 * Bank files: a file with no byte >= 0x80 is ISO 646-FI in its text fields
 * ([ \ ] { | } are A-umlaut O-umlaut A-ring a-umlaut o-umlaut a-ring);
 * otherwise ISO-8859-1, whose bytes 0x80-0x9f are read as windows-1252
 * (0x80 the euro sign, 0x8a S-caron).  charset_decode appends to an sbuf; it never
 * fails for the single-byte sets.  UTF-8 input is validated.
 */
#ifndef RESKONTRA_CHARSET_H
#define RESKONTRA_CHARSET_H

#include <stddef.h>

#include "base/util.h"

enum charset {
	CS_AUTO = 0,		/* decide per file: CS_ISO646FI or CS_LATIN1 */
	CS_ISO646FI,
	CS_LATIN1,		/* ISO-8859-1, 0x80-0x9f as windows-1252 */
	CS_LATIN9,		/* ISO-8859-15 */
	CS_UTF8
};

/* "iso646-fi", "iso-8859-1"/"latin1", "iso-8859-15"/"latin9", "utf-8";
 * case-insensitive.  Returns -1 if unknown. */
int charset_from_name(const char *name, enum charset *cs);
const char *charset_name(enum charset cs);

/* Append s[0..n) decoded from cs to out as UTF-8.  Returns 0, or -1 for
 * invalid UTF-8 in CS_UTF8 (nothing appended then). */
int charset_decode(enum charset cs, const char *s, size_t n, struct sbuf *out);

/* Length of the valid UTF-8 sequence at s (n > 0 bytes there), or 0
 * (a bad or cut sequence, an overlong form, a surrogate). */
size_t charset_utf8_seq(const unsigned char *s, size_t n);

/* 1 if any byte of s[0..n) is >= 0x80. */
int charset_has_8bit(const char *s, size_t n);

/* 1 if s[0..n) has bytes >= 0x80 and all of them make valid UTF-8
 * sequences: text a file that declares a single-byte set most likely
 * holds as UTF-8 ("ä" as the two bytes that read "Ã¤" in Latin-9). */
int charset_looks_utf8(const char *s, size_t n);

#endif
