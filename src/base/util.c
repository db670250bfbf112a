/*
 * util: allocation that cannot fail quietly, and a growable buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/util.h"

void
oom(size_t n)
{
	char msg[80];
	int k = snprintf(msg, sizeof msg, "reskontra: out of memory (%zu "
	    "bytes)\n", n);

	/* straight to the descriptor: stderr may be buffered, and abort()
	 * does not flush it */
	if (k > 0 && write(2, msg, (size_t)k) < 0)
		k = 0;
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		oom(strlen(fmt));
	return s;
}

FILE *
xmemstream(char **buf, size_t *len)
{
	FILE *fp = open_memstream(buf, len);

	if (fp == NULL)
		oom(BUFSIZ);
	return fp;
}

void
xmemstream_close(FILE *fp, char **buf, size_t *len, int chomp)
{
	if (fclose(fp) != 0)
		oom(*len);
	if (chomp && *len > 0 && (*buf)[*len - 1] == '\n')
		(*buf)[--*len] = '\0';
}

double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
sbuf_grow(struct sbuf *b, size_t more)
{
	size_t need;

	if (more > SIZE_MAX / 2 - b->len)
		oom(more);
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	sbuf_grow(b, n);
	/* memmove: p may point into b itself (sbuf_set_trimmed of its own
	 * data), which is safe as long as growing did not move it */
	if (n)
		memmove(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
sbuf_addc(struct sbuf *b, int c)
{
	char ch = (char)c;

	sbuf_add(b, &ch, 1);
}

void
sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void
sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void
sbuf_free(struct sbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void
sbuf_set_trimmed(struct sbuf *out, const char *s, size_t n)
{
	while (n > 0 && is_blank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	sbuf_reset(out);
	sbuf_add(out, s, n);
}

int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
parse_uint(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 18 || !all_digits(s, n))
		return -1;
	for (i = 0; i < n; i++)
		x = x * 10 + (uint64_t)(s[i] - '0');
	*v = x;
	return 0;
}

static int
name_byte_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
	    c == '-';
}

void
sbuf_add_name_part(struct sbuf *b, const char *s, size_t max)
{
	size_t n = strlen(s), i, keep;
	int changed = n == 0 || n > max || s[0] == '.';
	unsigned char dig[SHA256_LEN];
	char hex[SHA256_HEX];
	struct sha256_ctx c;

	for (i = 0; i < n && !changed; i++)
		changed = !name_byte_ok((unsigned char)s[i]);
	if (!changed) {
		sbuf_add(b, s, n);
		return;
	}
	keep = n < max - 9 ? n : max - 9;
	for (i = 0; i < keep; i++)
		sbuf_addc(b, name_byte_ok((unsigned char)s[i]) &&
		    !(i == 0 && s[i] == '.') ? s[i] : '_');
	if (n == 0)
		sbuf_addc(b, '_');
	sha256_init(&c);
	sha256_update(&c, n, (const uint8_t *)s);
	sha256_digest(&c, SHA256_LEN, dig);
	sha256_hex(dig, hex);
	sbuf_addf(b, "-%.8s", hex);
}

int
str_copy_fit(char *dst, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n >= size)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

size_t
utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == max)
			return i;
	return n;
}

size_t
name_len_without_gz(const char *s)
{
	size_t n = strlen(s);

	return n > 3 && strcasecmp(s + n - 3, ".gz") == 0 ? n - 3 : n;
}

void
sbuf_add_list(struct sbuf *out, const char *const *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_adds(out, i + 1 == n ? " and " : ", ");
		sbuf_adds(out, items[i]);
	}
}

const char *
line_end_of(const char *p, size_t n)
{
	size_t i, crlf = 0;
	int cr = 0;

	for (i = 0; i < n; i++)
		if (p[i] == '\n') {
			if (i == 0 || p[i - 1] != '\r')
				return "\n";
			crlf++;
		} else if (p[i] == '\r')
			cr = 1;
	return crlf > 0 ? "\r\n" : cr ? "\r" : "\n";
}

void
sbuf_add_line_ends(struct sbuf *out, const char *p, size_t n,
    const char *eol)
{
	const char *nl;

	if (strcmp(eol, "\n") == 0) {
		sbuf_add(out, p, n);
		return;
	}
	while (n > 0 && (nl = memchr(p, '\n', n)) != NULL) {
		sbuf_add(out, p, (size_t)(nl - p));
		sbuf_adds(out, eol);
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	sbuf_add(out, p, n);
}
