/*
 * Unit tests: the SI CHANGE writer's texts and names (write/si_change.c)
 * and the SOAP frame (base/soapframe.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/soapframe.h"
#include "base/util.h"
#include "write/si_change.h"

/* Characters in s (UTF-8), and whether each is in ISO-8859-15: ASCII,
 * U+00A0..U+00FF less the eight ISO-8859-15 replaced, or the euro. */
static size_t
latin9_chars(const char *s, int *ok)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	*ok = 1;
	while (*p) {
		unsigned cp;

		if (*p < 0x80)
			cp = *p++;
		else if ((*p & 0xE0) == 0xC0) {
			cp = (unsigned)(*p & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else {
			cp = (unsigned)(*p & 0x0F) << 12 |
			    (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		}
		if (cp >= 0x100 && cp != 0x20AC)
			*ok = 0;
		if (cp == 0xA4 || cp == 0xA6 || cp == 0xA8 || cp == 0xB4 ||
		    cp == 0xB8 || cp == 0xBC || cp == 0xBD || cp == 0xBE)
			*ok = 0;
		n++;
	}
	return n;
}

Test(si, identifier_texts_fit_the_schema_and_iso_8859_15)
{
	static const char *const types[] = { "08", "09", "99" };
	static const char *const langs[] = { "FI", "SV", "SE", "EN", "fi" };
	size_t i, j, n;
	int ok;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 5; j++) {
			const char *t = si_identifier_text(types[i], langs[j]);

			cr_assert_not_null(t, "%s %s", types[i], langs[j]);
			n = latin9_chars(t, &ok);
			/* SellerInvoiceIdentifierText is 4 to 70 long */
			cr_assert(n >= 4 && n <= 70, "%s: %zu", t, n);
			cr_assert(ok, "%s: not ISO-8859-15", t);
		}
	cr_assert_str_eq(si_identifier_text("08", "SE"),
	    si_identifier_text("08", "SV"));
	cr_assert_null(si_identifier_text("08", "DE"));
	cr_assert_null(si_identifier_text("01", "FI"));
	cr_assert_null(si_identifier_text("", "FI"));
}

static void
name_is(const char *base, const char *bank, const char *want)
{
	struct sbuf b = SBUF_INIT;

	si_change_output_name(base, bank, &b);
	cr_assert_str_eq(b.data, want, "%s %s", base, bank);
	sbuf_free(&b);
}

Test(si, output_names)
{
	name_is("si.xml", "NDEAFIHH", "si.NDEAFIHH.xml");
	name_is("SI.XML", "OKOYFIHH", "SI.OKOYFIHH.xml");
	name_is("si.xml.gz", "NDEAFIHH", "si.NDEAFIHH.xml");
	name_is("si.gz", "NDEAFIHH", "si.NDEAFIHH.xml");
	name_is("si", "NDEAFIHH", "si.NDEAFIHH.xml");
	/* nothing of the name makes a path or a hidden file */
	struct sbuf b = SBUF_INIT;

	si_change_output_name(".x/../y.xml", "NDEAFIHH", &b);
	cr_assert_null(strchr(b.data, '/'));
	cr_assert_neq(b.data[0], '.');
	sbuf_free(&b);
}

static struct soapframe
frame(void)
{
	struct soapframe fr;

	memset(&fr, 0, sizeof fr);
	strcpy(fr.from, "003712345671");
	strcpy(fr.from_int, "NDEAFIHH");
	strcpy(fr.to, "SENDERINFO");
	strcpy(fr.to_int, "OKOYFIHH");
	strcpy(fr.message_id, "SI-CHANGE-20260315-0123456789abcdef");
	strcpy(fr.timestamp, "2026-03-15T00:00:00");
	return fr;
}

Test(si, frame_written_is_read_back)
{
	struct soapframe fr = frame(), back;
	struct sbuf b = SBUF_INIT;
	struct diag d;

	strcpy(fr.ref_to, "A&B<1>");
	cr_assert_eq(soapframe_write(&b, &fr, "2.0", "\r\n", &d), 0);
	cr_assert_not_null(strstr(b.data, "A&amp;B&lt;1&gt;"));
	cr_assert_not_null(strstr(b.data, "</SOAP-ENV:Envelope>\r\n"));
	cr_assert_eq(soapframe_parse(b.data, b.len, "t", 1, &back, &d), 0,
	    "%s", d.msg);
	cr_assert(back.found);
	cr_assert_str_eq(back.from, fr.from);
	cr_assert_str_eq(back.from_int, fr.from_int);
	cr_assert_str_eq(back.to, fr.to);
	cr_assert_str_eq(back.to_int, fr.to_int);
	cr_assert_str_eq(back.message_id, fr.message_id);
	cr_assert_str_eq(back.timestamp, fr.timestamp);
	cr_assert_str_eq(back.ref_to, "A&B<1>");
	sbuf_free(&b);
}

Test(si, frame_without_ref_to_has_no_such_line)
{
	struct soapframe fr = frame();
	struct sbuf b = SBUF_INIT;
	struct diag d;

	cr_assert_eq(soapframe_write(&b, &fr, "2.0", "\n", &d), 0);
	cr_assert_null(strstr(b.data, "RefToMessageId"));
	cr_assert_null(strchr(b.data, '\r'));
	sbuf_free(&b);
}

Test(si, frame_refuses_what_is_not_printable_ascii)
{
	struct soapframe fr = frame();
	struct sbuf b = SBUF_INIT;
	struct diag d;

	strcpy(fr.from, "\xc3\xa4" "0037");
	cr_assert_eq(soapframe_write(&b, &fr, "2.0", "\n", &d), -1);
	cr_assert_not_null(strstr(d.msg, "printable ASCII"));
	sbuf_free(&b);
}

Test(si, frame_part_of_blanks_has_no_frame)
{
	struct soapframe fr;
	struct diag d;

	cr_assert_eq(soapframe_parse("\r\n  ", 4, "t", 1, &fr, &d), 0);
	cr_assert_eq(fr.found, 0);
	cr_assert_eq(soapframe_parse("", 0, "t", 1, &fr, &d), 0);
	cr_assert_eq(fr.found, 0);
	/* an Envelope that does not parse is an error, not no frame */
	cr_assert_eq(soapframe_parse("<Envelope>", 10, "t", 1, &fr, &d), -1);
}
