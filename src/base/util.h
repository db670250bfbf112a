/*
 * util: allocation wrappers and a growable byte buffer.
 *
 * x*alloc abort the program on allocation failure (STYLE.md 6), so call
 * sites stay linear.  A struct sbuf owns its memory; sbuf_free releases it.
 */
#ifndef RESKONTRA_UTIL_H
#define RESKONTRA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xvasprintf(const char *fmt, va_list ap);

/* Write "reskontra: out of memory (N bytes)" to descriptor 2 and abort:
 * for a library call that fails only for want of memory. */
__attribute__((noreturn)) void oom(size_t n);

/* Seconds of CLOCK_MONOTONIC since t0 (taken with clock_gettime). */
struct timespec;
double seconds_since(const struct timespec *t0);

/* A stream that writes into *buf (open_memstream); xmemstream_close
 * closes it, leaving the text in *buf (the caller frees it) and its
 * length in *len, without a last newline when chomp.  Both abort with
 * the message above when memory runs out, so a text is never cut. */
FILE *xmemstream(char **buf, size_t *len);
void xmemstream_close(FILE *fp, char **buf, size_t *len, int chomp);

struct sbuf {
	char *data;		/* always NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void sbuf_add(struct sbuf *b, const void *p, size_t n);
/* Room for more bytes after len (and the NUL), for writing into data
 * directly; len is the caller's to advance. */
void sbuf_grow(struct sbuf *b, size_t more);
void sbuf_addc(struct sbuf *b, int c);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_reset(struct sbuf *b);	/* len = 0, memory kept */
void sbuf_free(struct sbuf *b);

/* Copy s[0..n) without leading and trailing blanks (space, TAB, CR, LF)
 * into out (reset first).  s may point into out's own data. */
void sbuf_set_trimmed(struct sbuf *out, const char *s, size_t n);

/* 1 if s[0..n) is non-empty and all ASCII digits. */
int all_digits(const char *s, size_t n);

/* Copy the string s into dst of size bytes: 0, or -1 (dst untouched) when
 * it does not fit -- for fixed fields that must never be cut. */
int str_copy_fit(char *dst, size_t size, const char *s);

/*
 * Append s to b as a part of a file name that came from data (an invoice
 * number, a dropped file's name): bytes other than letters, digits, '.',
 * '_', '+' and '-' become '_', a leading '.' too, and at most max bytes
 * (max >= 16) are appended.  When anything was changed or cut, the part
 * ends in '-' and eight hex digits of the SHA-256 of s, so two values
 * never share a name by being mapped alike (an empty s gives "_-" and
 * the hash).
 */
void sbuf_add_name_part(struct sbuf *b, const char *s, size_t max);

/* Parse s[0..n) (all digits, n <= 18) as an unsigned decimal.  Returns 0 and
 * sets *v, or -1 if empty, non-digit or too long. */
int parse_uint(const char *s, size_t n, uint64_t *v);

/* The number of UTF-8 characters of s (bytes that do not continue a
 * sequence). */
size_t utf8_count(const char *s);

/* The byte length of the first max UTF-8 characters of s[0..n). */
size_t utf8_prefix(const char *s, size_t n, size_t max);

/* The length of the file name s without its .gz ending (any case): what
 * a gzipped input's XML output is named by. */
size_t name_len_without_gz(const char *s);

/* items[0..n) appended to out as a list: "a", "a and b", "a, b and
 * c". */
void sbuf_add_list(struct sbuf *out, const char *const *items, size_t n);

/* The line end the text p[0..n) uses, for writing it back the same way:
 * "\r\n" when each of its '\n' follows a '\r', "\r" when it has a '\r'
 * and no '\n' (old Mac files), "\n" otherwise. */
const char *line_end_of(const char *p, size_t n);

/* p[0..n), written by a library with '\n' line ends, appended to out
 * with each '\n' as eol (line_end_of()). */
void sbuf_add_line_ends(struct sbuf *out, const char *p, size_t n,
    const char *eol);

#endif
