/*
 * latin9: ISO-8859-15 to and from UTF-8, and ISO-8859-1 as read here
 * (latin9.h).  ISO-8859-15 is ISO-8859-1 with eight positions changed;
 * every other byte is the code point of the same number.
 */
#include <stdint.h>
#include <string.h>

#include "base/latin9.h"

static const struct {
	unsigned char byte;
	unsigned short cp;
} changed[8] = {
	{ 0xA4, 0x20AC },	/* euro sign */
	{ 0xA6, 0x0160 },	/* S caron */
	{ 0xA8, 0x0161 },	/* s caron */
	{ 0xB4, 0x017D },	/* Z caron */
	{ 0xB8, 0x017E },	/* z caron */
	{ 0xBC, 0x0152 },	/* OE */
	{ 0xBD, 0x0153 },	/* oe */
	{ 0xBE, 0x0178 },	/* Y diaeresis */
};

/* The code point of byte b. */
static unsigned
code_point(unsigned char b)
{
	int i;

	if (b < 0xA4 || b > 0xBE)
		return b;
	for (i = 0; i < 8; i++)
		if (changed[i].byte == b)
			return changed[i].cp;
	return b;
}

/* The byte of code point cp, or -1 when ISO-8859-15 has none. */
static int
byte_of(unsigned cp)
{
	int i;

	if (cp < 0xA4 || (cp > 0xBE && cp < 0x100))
		return (int)cp;
	for (i = 0; i < 8; i++)
		if (changed[i].cp == cp)
			return changed[i].byte;
	if (cp >= 0x100)
		return -1;
	for (i = 0; i < 8; i++)
		if (changed[i].byte == cp)
			return -1;	/* the Latin-1 character it replaced */
	return (int)cp;
}

static int
to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen, unsigned (*code_point_of)(unsigned char))
{
	int i = 0, o = 0;

	for (; i < *inlen; i++) {
		unsigned cp;
		uint64_t w;

		/* eight ASCII bytes at a time while they fit */
		while (i + 8 <= *inlen && o + 8 <= *outlen &&
		    (memcpy(&w, in + i, 8), (w & 0x8080808080808080ULL) == 0)) {
			memcpy(out + o, &w, 8);
			i += 8;
			o += 8;
		}
		if (i == *inlen)
			break;
		if (in[i] < 0x80 && o < *outlen) {
			out[o++] = in[i];
			continue;
		}
		cp = code_point_of(in[i]);
		if (cp < 0x80) {
			if (o + 1 > *outlen)
				break;
			out[o++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			if (o + 2 > *outlen)
				break;
			out[o++] = (unsigned char)(0xC0 | cp >> 6);
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			if (o + 3 > *outlen)
				break;
			out[o++] = (unsigned char)(0xE0 | cp >> 12);
			out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
	}
	*inlen = i;
	*outlen = o;
	return o;
}

int
latin9_to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen)
{
	return to_utf8(out, outlen, in, inlen, code_point);
}

/* Bytes 0x80-0x9f of text read as ISO-8859-1 are windows-1252's letters
 * and signs (the Encoding Standard reads the label "iso-8859-1" so): a
 * program on Windows writes S-caron as 0x8a and an en dash as 0x96, and
 * the C1 control the byte is in ISO-8859-1 never means anything in a
 * name or message.  The five bytes windows-1252 leaves undefined stay
 * their C1 code points. */
static const unsigned short cp1252_c1[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178
};

unsigned
latin1_code_point(unsigned char b)
{
	return b >= 0x80 && b < 0xa0 ? cp1252_c1[b - 0x80] : b;
}

int
latin1_to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen)
{
	return to_utf8(out, outlen, in, inlen, latin1_code_point);
}

int
latin9_from_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen)
{
	int i = 0, o = 0, n, k, b;
	unsigned cp, min;

	while (i < *inlen && o < *outlen) {
		unsigned char c = in[i];
		uint64_t w;

		if (c < 0x80) {
			/* the serialised markup is mostly ASCII: eight bytes
			 * at a time while none has its high bit */
			while (i + 8 <= *inlen && o + 8 <= *outlen) {
				memcpy(&w, in + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				memcpy(out + o, &w, 8);
				i += 8;
				o += 8;
			}
			if (i < *inlen && o < *outlen && in[i] < 0x80) {
				out[o++] = in[i];
				i++;
			}
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			n = 2, cp = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			n = 3, cp = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			n = 4, cp = c & 0x07, min = 0x10000;
		else
			goto bad;
		if (i + n > *inlen)
			break;	/* the rest comes with the next call */
		for (k = 1; k < n; k++) {
			if ((in[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = cp << 6 | (in[i + k] & 0x3F);
		}
		if (cp < min || (b = byte_of(cp)) < 0)
			goto bad;
		out[o++] = (unsigned char)b;
		i += n;
	}
	*inlen = i;
	*outlen = o;
	return o;
bad:
	*inlen = i;
	*outlen = o;
	return -2;
}
