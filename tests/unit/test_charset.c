/*
 * Unit tests: decoding to UTF-8 (base/charset.c).
 *
 * Expected UTF-8 is built in the test by encoding code points by hand, so
 * the Latin-1/9 tables are checked against the standards' code points,
 * not against iconv itself.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/charset.h"

/* Append code point cp as UTF-8. */
static void
put_utf8(struct sbuf *b, unsigned long cp)
{
	if (cp < 0x80) {
		sbuf_addc(b, (int)cp);
	} else if (cp < 0x800) {
		sbuf_addc(b, (int)(0xc0 | cp >> 6));
		sbuf_addc(b, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sbuf_addc(b, (int)(0xe0 | cp >> 12));
		sbuf_addc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
		sbuf_addc(b, (int)(0x80 | (cp & 0x3f)));
	} else {
		sbuf_addc(b, (int)(0xf0 | cp >> 18));
		sbuf_addc(b, (int)(0x80 | (cp >> 12 & 0x3f)));
		sbuf_addc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
		sbuf_addc(b, (int)(0x80 | (cp & 0x3f)));
	}
}

static void
decodes_to(enum charset cs, const char *in, size_t n, const char *want,
    size_t wantlen)
{
	struct sbuf out = SBUF_INIT;

	sbuf_adds(&out, "<");	/* decoding appends */
	cr_assert_eq(charset_decode(cs, in, n, &out), 0);
	cr_assert_eq(out.len, wantlen + 1, "length %zu, expected %zu",
	    out.len - 1, wantlen);
	cr_assert_eq(out.data[0], '<');
	cr_assert(memcmp(out.data + 1, want, wantlen) == 0, "'%s' vs '%s'",
	    out.data + 1, want);
	sbuf_free(&out);
}

static void
decodes_to_s(enum charset cs, const char *in, const char *want)
{
	decodes_to(cs, in, strlen(in), want, strlen(want));
}

Test(charset, names)
{
	static const struct {
		const char *name;
		enum charset cs;
	} ok[] = {
		{ "iso646-fi", CS_ISO646FI }, { "ISO646-FI", CS_ISO646FI },
		{ "SFS4017", CS_ISO646FI },
		{ "iso-8859-1", CS_LATIN1 }, { "Latin1", CS_LATIN1 },
		{ "ISO8859-1", CS_LATIN1 },
		{ "iso-8859-15", CS_LATIN9 }, { "LATIN9", CS_LATIN9 },
		{ "utf-8", CS_UTF8 }, { "UTF8", CS_UTF8 },
		{ "auto", CS_AUTO },
	};
	enum charset cs;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cs = (enum charset)99;
		cr_assert_eq(charset_from_name(ok[i].name, &cs), 0, "%s",
		    ok[i].name);
		cr_assert_eq(cs, ok[i].cs, "%s", ok[i].name);
	}
	cr_assert_eq(charset_from_name("ebcdic", &cs), -1);
	cr_assert_eq(charset_from_name("", &cs), -1);
	cr_assert_eq(charset_from_name("latin", &cs), -1);
	cr_assert_eq(charset_from_name("utf-8 ", &cs), -1);

	/* the printed name reads back as the same set */
	for (cs = CS_AUTO; cs <= CS_UTF8; cs++) {
		enum charset back;

		cr_assert_eq(charset_from_name(charset_name(cs), &back), 0,
		    "%s", charset_name(cs));
		cr_assert_eq(back, cs);
	}
}

Test(charset, iso646_fi)
{
	decodes_to_s(CS_ISO646FI, "[\\]{|}", "Ä" "Ö" "Å" "ä" "ö" "å");
	decodes_to_s(CS_ISO646FI, "M[KI\\ OY", "MÄKIÖ OY");
	/* '$', '~', '@', '^' and '`' are themselves in bank files */
	decodes_to_s(CS_ISO646FI, "$~@^`#", "$~@^`#");
	decodes_to_s(CS_ISO646FI, "", "");
	decodes_to(CS_ISO646FI, "a\0b", 3, "a\0b", 3);
}

Test(charset, iso646_every_other_ascii_byte_is_itself)
{
	char in[128], want[128];
	size_t n = 0;
	int c;

	for (c = 1; c < 128; c++) {
		if (strchr("[\\]{|}", c))
			continue;
		in[n] = want[n] = (char)c;
		n++;
	}
	decodes_to(CS_ISO646FI, in, n, want, n);
}

/* windows-1252 0x80-0x9f: the Encoding Standard's index, written out
 * from its table of code points */
static const unsigned long cp1252[32] = {
	0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
};

Test(charset, latin1_every_byte)
{
	struct sbuf want = SBUF_INIT;
	char in[256];
	int b;

	for (b = 0; b < 256; b++) {
		in[b] = (char)b;
		/* ISO-8859-1 = U+0000-U+00FF, but for 0x80-0x9f */
		if (b < 0x80 || b >= 0xa0)
			put_utf8(&want, (unsigned long)b);
		else
			put_utf8(&want, cp1252[b - 0x80]);
	}
	decodes_to(CS_LATIN1, in, 256, want.data, want.len);
	/* a file the 646 test does not decide is read the same way */
	decodes_to(CS_AUTO, in, 256, want.data, want.len);
	sbuf_free(&want);
	/* Windows programs' letters and signs, not C1 controls */
	decodes_to_s(CS_LATIN1, "\x8a\x9a\x8e\x9e \x80 5 \x96 \x93x\x94",
	    "ŠšŽž € 5 – “x”");
	/* the five bytes windows-1252 leaves undefined keep their C1 code */
	decodes_to_s(CS_LATIN1, "\x81\x8d\x8f\x90\x9d",
	    "\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d");
	decodes_to_s(CS_LATIN1, "\xc4\xd6\xc5\xe4\xf6\xe5", "ÄÖÅäöå");
	decodes_to_s(CS_LATIN1, "plain [ascii]", "plain [ascii]");
}

Test(charset, latin9_every_byte)
{
	/* ISO-8859-15 differs from -1 in eight places */
	static const struct {
		unsigned char b;
		unsigned long cp;
	} diff[] = {
		{ 0xa4, 0x20ac }, { 0xa6, 0x0160 }, { 0xa8, 0x0161 },
		{ 0xb4, 0x017d }, { 0xb8, 0x017e }, { 0xbc, 0x0152 },
		{ 0xbd, 0x0153 }, { 0xbe, 0x0178 },
	};
	struct sbuf want = SBUF_INIT;
	char in[256];
	size_t i;
	int b;

	for (b = 0; b < 256; b++) {
		unsigned long cp = (unsigned long)b;

		for (i = 0; i < sizeof diff / sizeof diff[0]; i++)
			if (diff[i].b == b)
				cp = diff[i].cp;
		in[b] = (char)b;
		put_utf8(&want, cp);
	}
	decodes_to(CS_LATIN9, in, 256, want.data, want.len);
	sbuf_free(&want);
	decodes_to_s(CS_LATIN9, "\xa4 12,50", "€ 12,50");
}

Test(charset, long_text_crosses_the_conversion_buffer)
{
	struct sbuf in = SBUF_INIT, want = SBUF_INIT;
	int i;

	for (i = 0; i < 5000; i++) {
		sbuf_addc(&in, i % 3 ? 'x' : 0xe4);
		sbuf_adds(&want, i % 3 ? "x" : "ä");
	}
	decodes_to(CS_LATIN1, in.data, in.len, want.data, want.len);
	decodes_to(CS_AUTO, in.data, in.len, want.data, want.len);
	/* and again: the cached converter starts from a clean state */
	decodes_to(CS_LATIN9, in.data, in.len, want.data, want.len);
	decodes_to(CS_LATIN1, "\xe4", 1, "ä", 2);
	sbuf_free(&in);
	sbuf_free(&want);
}

Test(charset, auto_picks_646_or_latin1)
{
	/* 7-bit text: brackets are letters */
	decodes_to_s(CS_AUTO, "OY P[[KK\\", "OY PÄÄKKÖ");
	/* any 8-bit byte: Latin-1, and brackets are brackets */
	decodes_to_s(CS_AUTO, "\xc4[x]", "Ä[x]");
}

Test(charset, has_8bit)
{
	cr_assert_eq(charset_has_8bit("", 0), 0);
	cr_assert_eq(charset_has_8bit("abc~\x7f", 5), 0);
	cr_assert_eq(charset_has_8bit("abc\x80", 4), 1);
	cr_assert_eq(charset_has_8bit("\xff", 1), 1);
	cr_assert_eq(charset_has_8bit("abc\x80", 3), 0);	/* only n bytes */
}

static void
utf8_bad(const char *s, size_t n)
{
	struct sbuf out = SBUF_INIT;

	sbuf_adds(&out, "kept");
	cr_assert_eq(charset_decode(CS_UTF8, s, n, &out), -1, "%zu bytes", n);
	cr_assert_str_eq(out.data, "kept");	/* nothing appended */
	cr_assert_eq(out.len, 4);
	sbuf_free(&out);
}

Test(charset, utf8_valid)
{
	decodes_to_s(CS_UTF8, "ascii", "ascii");
	decodes_to_s(CS_UTF8, "Äö€", "Äö€");
	decodes_to_s(CS_UTF8, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	decodes_to_s(CS_UTF8, "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
	decodes_to_s(CS_UTF8, "\xef\xbf\xbf", "\xef\xbf\xbf");
	decodes_to_s(CS_UTF8, "\xed\x9f\xbf", "\xed\x9f\xbf");	/* U+D7FF */
	decodes_to_s(CS_UTF8, "\xee\x80\x80", "\xee\x80\x80");	/* U+E000 */
	decodes_to_s(CS_UTF8, "\xc2\x80", "\xc2\x80");
	decodes_to_s(CS_UTF8, "", "");
}

Test(charset, utf8_invalid)
{
	utf8_bad("\x80", 1);			/* lone continuation */
	utf8_bad("a\xbf" "b", 3);
	utf8_bad("\xc0\x80", 2);		/* overlong NUL */
	utf8_bad("\xc1\xbf", 2);		/* overlong */
	utf8_bad("\xe0\x80\x80", 3);		/* overlong */
	utf8_bad("\xe0\x9f\xbf", 3);		/* overlong U+07FF */
	utf8_bad("\xf0\x8f\xbf\xbf", 4);	/* overlong U+FFFF */
	utf8_bad("\xed\xa0\x80", 3);		/* surrogate U+D800 */
	utf8_bad("\xed\xbf\xbf", 3);		/* surrogate U+DFFF */
	utf8_bad("\xf4\x90\x80\x80", 4);	/* U+110000 */
	utf8_bad("\xf5\x80\x80\x80", 4);
	utf8_bad("\xf8\x88\x80\x80\x80", 5);
	utf8_bad("\xfe", 1);
	utf8_bad("\xff", 1);
	utf8_bad("\xe2\x82", 2);		/* truncated € */
	utf8_bad("ok\xe2\x82", 4);
	utf8_bad("\xe2\x82x", 3);
	utf8_bad("\xe4rsyt", 5);		/* Latin-1 passed as UTF-8 */
	/* the length given is what counts, not a NUL */
	utf8_bad("\xe2\x82\xac", 2);
}

/* Valid iff the bytes are the canonical encoding of a scalar value:
 * decode the bit pattern naively, then re-encode and compare. */
static int
ref_valid(const unsigned char *s, size_t n)
{
	struct sbuf b = SBUF_INIT;
	unsigned long cp;
	size_t i, len;
	int ok;

	if (s[0] < 0x80)
		len = 1, cp = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2, cp = s[0] & 0x1fu;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0fu;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (len != n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return 0;
	put_utf8(&b, cp);
	ok = b.len == n && memcmp(b.data, s, n) == 0;
	sbuf_free(&b);
	return ok;
}

static int
lib_valid(const unsigned char *s, size_t n)
{
	struct sbuf out = SBUF_INIT;
	int rc = charset_decode(CS_UTF8, (const char *)s, n, &out);

	sbuf_free(&out);
	return rc == 0;
}

Test(charset, utf8_every_one_two_and_three_byte_sequence)
{
	unsigned char s[3];
	unsigned a, b, c;

	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		cr_assert_eq(lib_valid(s, 1), ref_valid(s, 1), "%02x", a);
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			/* two ASCII bytes are two sequences */
			if (a >= 0x80)
				cr_assert_eq(lib_valid(s, 2), ref_valid(s, 2),
				    "%02x %02x", a, b);
			if (a < 0xe0 || a > 0xef)
				continue;
			for (c = 0; c < 256; c++) {
				s[2] = (unsigned char)c;
				if (lib_valid(s, 3) != ref_valid(s, 3))
					cr_assert_fail("%02x %02x %02x", a, b,
					    c);
			}
		}
	}
}

Test(charset, utf8_four_byte_sequences)
{
	unsigned char s[4];
	unsigned a, b, c;

	for (a = 0xf0; a < 0x100; a++)
		for (b = 0; b < 256; b++)
			for (c = 0x7f; c <= 0xc0; c++) {
				s[0] = (unsigned char)a;
				s[1] = (unsigned char)b;
				s[2] = (unsigned char)c;
				s[3] = (unsigned char)(0x80 + (a + b) % 0x41);
				if (lib_valid(s, 4) != ref_valid(s, 4))
					cr_assert_fail("%02x %02x %02x %02x", a,
					    b, c, s[3]);
			}
}

Test(charset, every_scalar_value_round_trips)
{
	struct sbuf b = SBUF_INIT;
	unsigned long cp;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp < 0xe000)
			continue;
		sbuf_reset(&b);
		put_utf8(&b, cp);
		if (!lib_valid((unsigned char *)b.data, b.len))
			cr_assert_fail("U+%04lX refused", cp);
	}
	sbuf_free(&b);
}

/* Text without the six letters is copied a word at a time up to the
 * first of them: each letter at each position of texts of every length
 * up to 24, with bytes around it that share its low bits (0xdb, 0xfc). */
Test(charset, iso646_letter_at_every_position)
{
	static const char letters[] = "[\\]{|}";
	static const char *const utf8[] = { "Ä", "Ö", "Å", "ä", "ö", "å" };
	char in[32], want[64];
	size_t n, pos, k, i, w;

	for (n = 1; n <= 24; n++)
		for (pos = 0; pos < n; pos++)
			for (k = 0; k < 6; k++) {
				w = 0;
				for (i = 0; i < n; i++) {
					if (i == pos) {
						in[i] = letters[k];
						memcpy(want + w, utf8[k], 2);
						w += 2;
						continue;
					}
					in[i] = (char)("AZ;^~x"[i % 6]);
					want[w++] = in[i];
				}
				decodes_to(CS_ISO646FI, in, n, want, w);
			}
	/* set apart as 8-bit and copied as they are when 646 is chosen */
	decodes_to(CS_ISO646FI, "abcdefg\xdb\xfc", 9, "abcdefg\xdb\xfc", 9);
}

Test(charset, has_8bit_at_every_position)
{
	char s[24];
	size_t n, pos;

	for (n = 1; n <= 24; n++) {
		memset(s, 'a', sizeof s);
		cr_assert_eq(charset_has_8bit(s, n), 0);
		for (pos = 0; pos < n; pos++) {
			memset(s, 0x7f, sizeof s);
			s[pos] = (char)0x80;
			cr_assert_eq(charset_has_8bit(s, n), 1, "%zu of %zu",
			    pos, n);
			cr_assert_eq(charset_has_8bit(s, pos), 0);
		}
	}
}
