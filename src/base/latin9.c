/*
 * latin9: ISO-8859-15 to and from UTF-8 (latin9.h).  ISO-8859-15 is
 * ISO-8859-1 with eight positions changed; every other byte is the code
 * point of the same number.
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

int
latin9_to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen)
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
		cp = code_point(in[i]);
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
