/*
 * Unit tests: ISO-8859-15 <-> UTF-8 for libxml2 (base/latin9.c), held
 * against glibc's iconv on every byte, and the contract libxml2 relies
 * on: progress on a full output, -2 at what ISO-8859-15 lacks or at
 * bytes that are not UTF-8, an incomplete sequence left for later.
 */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "base/latin9.h"
#include "base/xmlsafe.h"

/* iconv's conversion of in (n bytes) from `from` to `to` into out. */
static size_t
by_iconv(const char *to, const char *from, const unsigned char *in,
    size_t n, unsigned char *out, size_t cap)
{
	iconv_t cd = iconv_open(to, from);
	char *ip = (char *)in, *op = (char *)out;
	size_t il = n, ol = cap;

	cr_assert_neq(cd, (iconv_t)-1);
	cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	return cap - ol;
}

Test(latin9, every_byte_as_iconv_has_it)
{
	unsigned char in[256], mine[1024], theirs[1024], back[256];
	int inlen = 255, outlen = sizeof mine, blen, ulen;
	size_t n;
	int i;

	for (i = 1; i < 256; i++)
		in[i - 1] = (unsigned char)i;
	cr_assert_eq(latin9_to_utf8(mine, &outlen, in, &inlen), outlen);
	cr_assert_eq(inlen, 255);
	n = by_iconv("UTF-8", "ISO-8859-15", in, 255, theirs, sizeof theirs);
	cr_assert_eq((size_t)outlen, n);
	cr_assert_eq(memcmp(mine, theirs, n), 0);
	/* and back */
	ulen = outlen;
	blen = sizeof back;
	cr_assert_eq(latin9_from_utf8(back, &blen, mine, &ulen), 255);
	cr_assert_eq(ulen, outlen);
	cr_assert_eq(memcmp(back, in, 255), 0);
}

Test(latin9, euro_and_what_latin9_lacks)
{
	/* "a€" then U+00A4 (the Latin-1 currency sign Latin-9 replaced) */
	const unsigned char in[] = "a\xe2\x82\xac\xc2\xa4z";
	unsigned char out[16];
	int inlen = 6, outlen = sizeof out;

	cr_assert_eq(latin9_from_utf8(out, &outlen, in, &inlen), -2);
	cr_assert_eq(inlen, 4);		/* up to the sign */
	cr_assert_eq(outlen, 2);
	cr_assert_eq(out[0], 'a');
	cr_assert_eq(out[1], 0xA4);	/* the euro */
	/* a character beyond U+00FF */
	inlen = 3, outlen = sizeof out;
	cr_assert_eq(latin9_from_utf8(out, &outlen,
	    (const unsigned char *)"\xe2\x80\x9c", &inlen), -2);
	cr_assert_eq(inlen, 0);
}

Test(latin9, not_utf8)
{
	unsigned char out[16];
	int inlen, outlen;

	inlen = 3, outlen = sizeof out;	/* a stray continuation byte */
	cr_assert_eq(latin9_from_utf8(out, &outlen,
	    (const unsigned char *)"ab\x80", &inlen), -2);
	cr_assert_eq(inlen, 2);
	inlen = 2, outlen = sizeof out;	/* an overlong 'A' */
	cr_assert_eq(latin9_from_utf8(out, &outlen,
	    (const unsigned char *)"\xc1\x81", &inlen), -2);
	cr_assert_eq(inlen, 0);
}

Test(latin9, partial_input_and_full_output)
{
	unsigned char out[16];
	int inlen, outlen;

	/* the first byte of a two-byte sequence at the end waits */
	inlen = 2, outlen = sizeof out;
	cr_assert_eq(latin9_from_utf8(out, &outlen,
	    (const unsigned char *)"x\xc3", &inlen), 1);
	cr_assert_eq(inlen, 1);
	/* out full: stops, says how far it came */
	inlen = 4, outlen = 3;
	cr_assert_eq(latin9_to_utf8(out, &outlen,
	    (const unsigned char *)"a\xe4\xa4z", &inlen), 3);
	cr_assert_eq(inlen, 2);
	cr_assert_eq(memcmp(out, "a\xc3\xa4", 3), 0);
}

/* ASCII runs of every length around the eight-byte steps, with a
 * character on either side, into outputs of every size: the same bytes
 * as one at a time, and no byte past the output's end. */
Test(latin9, ascii_runs_any_output_size)
{
	unsigned char in[64], out[80], want[80];
	int run, cap, inlen, outlen, n, i, r;

	for (run = 0; run <= 20; run++) {
		n = 0;
		in[n++] = 0xc3, in[n++] = 0xa4;		/* ä */
		for (i = 0; i < run; i++)
			in[n++] = (unsigned char)('a' + i);
		in[n++] = 0xe2, in[n++] = 0x82, in[n++] = 0xac;	/* € */
		in[n++] = 'z';
		i = 0;
		want[i++] = 0xe4;
		memcpy(want + i, in + 2, (size_t)run);
		i += run;
		want[i++] = 0xa4;
		want[i++] = 'z';
		for (cap = 1; cap <= run + 4; cap++) {
			memset(out, 0x55, sizeof out);
			inlen = n, outlen = cap;
			r = latin9_from_utf8(out, &outlen, in, &inlen);
			cr_assert_geq(r, 0, "run %d cap %d", run, cap);
			cr_assert_leq(outlen, cap, "run %d cap %d", run, cap);
			cr_assert_eq(memcmp(out, want, (size_t)outlen), 0,
			    "run %d cap %d", run, cap);
			cr_assert_eq(out[outlen], 0x55, "run %d cap %d", run,
			    cap);
			if (cap >= run + 3) {
				cr_assert_eq(outlen, run + 3);
				cr_assert_eq(inlen, n);
			}
		}
	}
}

/* ISO-8859-1 as read here: every byte as glibc's windows-1252 has it,
 * and the five bytes windows-1252 leaves undefined as ISO-8859-1 (their
 * C1 code points). */
Test(latin1, every_byte_as_windows_1252_has_it)
{
	static const unsigned char undefined[] = { 0x81, 0x8d, 0x8f, 0x90,
	    0x9d };
	unsigned char in[1], mine[8], theirs[8];
	int inlen, outlen, b;
	size_t n;

	for (b = 1; b < 256; b++) {
		in[0] = (unsigned char)b;
		inlen = 1, outlen = sizeof mine;
		cr_assert_eq(latin1_to_utf8(mine, &outlen, in, &inlen), outlen);
		cr_assert_eq(inlen, 1);
		n = by_iconv("UTF-8", memchr(undefined, b, sizeof undefined) ?
		    "ISO-8859-1" : "WINDOWS-1252", in, 1, theirs, sizeof theirs);
		cr_assert_eq((size_t)outlen, n, "byte %#x", b);
		cr_assert_eq(memcmp(mine, theirs, n), 0, "byte %#x", b);
		/* windows-1252's letters and signs there are all above
		 * U+00FF; every other byte is its own code point */
		if (b < 0x80 || b >= 0xa0 || memchr(undefined, b,
		    sizeof undefined))
			cr_assert_eq(latin1_code_point((unsigned char)b),
			    (unsigned)b, "byte %#x", b);
		else
			cr_assert_gt(latin1_code_point((unsigned char)b), 0xff,
			    "byte %#x", b);
	}
	cr_assert_eq(latin1_code_point(0x80), 0x20ac);
	cr_assert_eq(latin1_code_point(0x8a), 0x160);
	cr_assert_eq(latin1_code_point(0x96), 0x2013);
	cr_assert_eq(latin1_code_point(0x9f), 0x178);
	/* the output full in the middle of a three-byte character */
	inlen = 3, outlen = 3;
	cr_assert_eq(latin1_to_utf8(mine, &outlen,
	    (const unsigned char *)"a\x80z", &inlen), 1);
	cr_assert_eq(inlen, 1);
}

/* Every label of ISO-8859-1 in an XML declaration, in any case, reads
 * 0x80-0x9f as windows-1252 (xmlsafe.c aliases them to latin1_to_utf8);
 * windows-1252 itself stays libxml2's converter and reads the same. */
Test(latin1, xml_labels_read_as_windows_1252)
{
	static const char *labels[] = { "ISO-8859-1", "iso-8859-1",
	    "ISO_8859-1", "iso8859-1", "latin1", "Latin1", "L1",
	    "ISO-IR-100", "CP819", "IBM819", "csISOLatin1",
	    "Latin-1", "ISO-LATIN-1", "windows-1252" };
	char doc[200];
	size_t i;

	for (i = 0; i < sizeof labels / sizeof *labels; i++) {
		struct diag d;
		xmlDocPtr x;
		char *t;
		int n = snprintf(doc, sizeof doc, "<?xml version=\"1.0\" "
		    "encoding=\"%s\"?>\n<a>\x8a\x96\x80\xe4</a>\n", labels[i]);

		x = xml_parse_safe(doc, (size_t)n, "t.xml", 1, &d);
		cr_assert_not_null(x, "%s: %s", labels[i], d.msg);
		t = xml_text(xmlDocGetRootElement(x));
		cr_assert_str_eq(t, "\xc5\xa0\xe2\x80\x93\xe2\x82\xac\xc3\xa4",
		    "label %s", labels[i]);
		free(t);
		xmlFreeDoc(x);
	}
}
