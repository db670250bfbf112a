/*
 * charset: decode bank and invoice text to UTF-8 (see charset.h).
 *
 * ISO 646-FI is done here by its six-letter table (glibc's variant of it
 * also remaps '$' and '~', which Finnish bank files use as themselves).
 * ISO-8859-1 (its 0x80-0x9f read as windows-1252) by its own table too;
 * ISO-8859-15 goes through iconv, the descriptor opened once.
 */
#include <errno.h>
#include <stdint.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/bytescan.h"
#include "base/charset.h"
#include "base/latin9.h"

static const struct {
	const char *name;
	enum charset cs;
} names[] = {
	{ "iso646-fi", CS_ISO646FI }, { "iso-646-fi", CS_ISO646FI },
	{ "sfs4017", CS_ISO646FI },
	{ "iso-8859-1", CS_LATIN1 }, { "iso8859-1", CS_LATIN1 },
	{ "latin1", CS_LATIN1 },
	{ "iso-8859-15", CS_LATIN9 }, { "iso8859-15", CS_LATIN9 },
	{ "latin9", CS_LATIN9 },
	{ "utf-8", CS_UTF8 }, { "utf8", CS_UTF8 },
	{ "auto", CS_AUTO },
};

int
charset_from_name(const char *name, enum charset *cs)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0) {
			*cs = names[i].cs;
			return 0;
		}
	return -1;
}

const char *
charset_name(enum charset cs)
{
	switch (cs) {
	case CS_ISO646FI: return "ISO646-FI";
	case CS_LATIN1: return "ISO-8859-1";
	case CS_LATIN9: return "ISO-8859-15";
	case CS_UTF8: return "UTF-8";
	default: return "auto";
	}
}

static int
word_has_8bit(uint64_t x)
{
	return (x & BYTESCAN_HIGH) != 0;
}

static int
is_8bit(unsigned char c)
{
	return c >= 0x80;
}

int
charset_has_8bit(const char *s, size_t n)
{
	return bytescan(s, n, word_has_8bit, is_8bit) < n;
}

/* Nonzero when one of the eight bytes of x may be one of the six that
 * ISO 646-FI gives a letter, [ \ ] { | } (0x5b-0x5d, 0x7b-0x7d): with
 * 0x20 and 0x80 cleared each is 0x5b-0x5d, and a byte y <= 0x5f is at
 * most m when 0x80 + m - y keeps its high bit. */
static int
word_may_646(uint64_t x)
{
	const uint64_t ones = BYTESCAN_ONES;
	uint64_t y = x & (ones * 0x5f);
	uint64_t le5d = ones * (0x80 + 0x5d) - y, le5a = ones * (0x80 + 0x5a) - y;

	return (le5d & ~le5a & BYTESCAN_HIGH) != 0;
}

static int
is_646_letter(unsigned char c)
{
	return (c >= 0x5b && c <= 0x5d) || (c >= 0x7b && c <= 0x7d);
}

/* Each byte gives one or two: room for 2n is made once. */
static void
decode_646(const char *s, size_t n, struct sbuf *out)
{
	static const char *const letter[6] = {
		"\xc3\x84", "\xc3\x96", "\xc3\x85",	/* [ \ ] = Ä Ö Å */
		"\xc3\xa4", "\xc3\xb6", "\xc3\xa5",	/* { | } = ä ö å */
	};
	char *o;
	size_t i;
	int k;

	sbuf_grow(out, 2 * n);
	o = out->data + out->len;
	/* most text has none of the six: copied as it is up to the first */
	i = bytescan(s, n, word_may_646, is_646_letter);
	memcpy(o, s, i);
	o += i;
	for (; i < n; i++) {
		switch (s[i]) {
		case '[': k = 0; break;
		case '\\': k = 1; break;
		case ']': k = 2; break;
		case '{': k = 3; break;
		case '|': k = 4; break;
		case '}': k = 5; break;
		default:
			*o++ = s[i];
			continue;
		}
		*o++ = letter[k][0];
		*o++ = letter[k][1];
	}
	*o = '\0';
	out->len = (size_t)(o - out->data);
}

size_t
charset_utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int
decode_utf8(const char *s, size_t n, struct sbuf *out)
{
	size_t i = 0, k;

	while (i < n) {
		k = charset_utf8_seq((const unsigned char *)s + i, n - i);
		if (k == 0)
			return -1;
		i += k;
	}
	sbuf_add(out, s, n);
	return 0;
}

/* Bytes 0x80-0x9f as windows-1252 (latin1_code_point(), latin9.h). */
static void
decode_latin1(const char *s, size_t n, struct sbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run;

	while (i < n) {
		unsigned cp;
		char b[3];

		for (run = i; run < n && u[run] < 0x80; run++)
			;
		sbuf_add(out, s + i, run - i);
		if ((i = run) == n)
			break;
		cp = latin1_code_point(u[i]);
		if (cp < 0x800) {
			b[0] = (char)(0xc0 | cp >> 6);
			b[1] = (char)(0x80 | (cp & 0x3f));
			sbuf_add(out, b, 2);
		} else {
			b[0] = (char)(0xe0 | cp >> 12);
			b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			b[2] = (char)(0x80 | (cp & 0x3f));
			sbuf_add(out, b, 3);
		}
		i++;
	}
}

static int
decode_iconv(const char *s, size_t n, struct sbuf *out)
{
	static iconv_t cd_latin9 = (iconv_t)-1;
	iconv_t *cd = &cd_latin9;
	char tmp[1024], *in = (char *)s, *op;
	size_t inleft = n, outleft;

	if (*cd == (iconv_t)-1) {
		*cd = iconv_open("UTF-8", "ISO-8859-15");
		if (*cd == (iconv_t)-1)
			oom(0);	/* glibc always has these: no memory */
	}
	iconv(*cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		op = tmp;
		outleft = sizeof tmp;
		if (iconv(*cd, &in, &inleft, &op, &outleft) == (size_t)-1 &&
		    errno != E2BIG)
			return -1;	/* cannot happen for 8-bit sets */
		sbuf_add(out, tmp, sizeof tmp - outleft);
	}
	return 0;
}

int
charset_decode(enum charset cs, const char *s, size_t n, struct sbuf *out)
{
	switch (cs) {
	case CS_ISO646FI:
		decode_646(s, n, out);
		return 0;
	case CS_UTF8:
		return decode_utf8(s, n, out);
	case CS_LATIN1:
		decode_latin1(s, n, out);
		return 0;
	case CS_LATIN9:
		if (!charset_has_8bit(s, n)) {
			sbuf_add(out, s, n);
			return 0;
		}
		return decode_iconv(s, n, out);
	default:
		if (charset_has_8bit(s, n)) {
			decode_latin1(s, n, out);
			return 0;
		}
		decode_646(s, n, out);
		return 0;
	}
}

int
charset_looks_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	int multi = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = charset_utf8_seq(p + i, n - i)) < 2)
			return 0;
		multi = 1;
		i += k;
	}
	return multi;
}
