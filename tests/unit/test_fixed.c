/*
 * Unit tests: the fixed-width field-table routine (read/fixed.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/ident.h"
#include "read/fixed.h"

static const struct fixed_field f_plain[] = {
	{ "code", 0, 1, FX_ONEOF, "ab" },
	{ "count", 1, 4, FX_N, NULL },
	{ "date", 5, 6, FX_DATE0, NULL },
	{ "name", 11, 5, FX_AN, NULL },
	{ "amount", 16, 5, FX_AMOUNT, NULL },
};
static const struct fixed_layout plain = { "test record", f_plain, 5, 21, 21,
	-1 };

/* A KTO-like record: "T", type, 3-digit length at offset 3. */
static const struct fixed_field f_var[] = {
	{ "first", 6, 4, FX_N, NULL },
	{ "second", 10, 6, FX_AN, NULL },
	{ "third", 16, 3, FX_N, NULL },
};
static const struct fixed_layout var = { "T99", f_var, 3, 10, 19, 3 };

/* A creation time HHMM at offset 2. */
static const struct fixed_field f_time[] = {
	{ "creation time", 2, 4, FX_TIME, NULL },
};
static const struct fixed_layout timed = { "T00", f_time, 1, 6, 6, -1 };

static struct fixed_rec r;
static struct diag d;

static int
parse(const struct fixed_layout *lay, const char *s)
{
	memset(&d, 0, sizeof d);
	return fixed_parse(lay, s, strlen(s), &r, "f", 7, &d);
}

Test(fixed, reads_fields_and_converts)
{
	const char *s;

	cr_assert_eq(parse(&plain, "a0042260131Ab c -1234"), 0, "%s", d.msg);
	cr_assert_eq(r.v[1].num, 42);
	cr_assert_eq(r.v[2].day, 20484);	/* 2026-01-31 */
	cr_assert_eq(fixed_trimmed(&r.v[3], &s), 4);
	cr_assert_eq(memcmp(s, "Ab c", 4), 0);
	cr_assert_eq(r.v[4].num, -1234);
	cr_assert_eq(parse(&plain, "b0000000000     +0000"), 0);
	cr_assert_eq(r.v[2].day, DAY_NONE);
	cr_assert_eq(r.v[4].num, 0);
}

Test(fixed, pads_trimmed_lines)
{
	/* the text field's trailing blanks were trimmed away */
	cr_assert_eq(parse(&plain, "a0042260131Ab"), -1);
	/* ... an amount is mandatory, so that is an error at its column */
	cr_assert_eq(d.column, 17);
	cr_assert_eq(d.line, 7);
	cr_assert_str_eq(d.file, "f");
	cr_assert_eq(parse(&var, "T99019123"), -1);	/* digits cut short */
	cr_assert_eq(d.column, 10);
	/* a numeric field inside the declared length but trimmed away */
	cr_assert_eq(parse(&var, "T990191234ab"), -1);
	cr_assert_eq(d.column, 17);
	cr_assert_eq(parse(&var, "T990161234ab"), 0, "%s", d.msg);
	cr_assert_eq(r.v[1].n, 6);
	cr_assert_eq(memcmp(r.v[1].s, "ab    ", 6), 0);
}

Test(fixed, rejects_non_digits_with_column)
{
	cr_assert_eq(parse(&plain, "a00x2260131Ab c -1234"), -1);
	cr_assert_eq(d.column, 4);
	cr_assert(strstr(d.msg, "count") != NULL, "%s", d.msg);
	cr_assert(strstr(d.msg, "'x'") != NULL, "%s", d.msg);
	cr_assert_eq(parse(&plain, "c0042260131Ab c -1234"), -1);
	cr_assert_eq(d.column, 1);
	cr_assert_eq(parse(&plain, "a0042260231Ab c -1234"), -1);	/* 31.2. */
	cr_assert_eq(d.column, 6);
	cr_assert_eq(parse(&plain, "a0042260131Ab c *1234"), -1);
	cr_assert_eq(d.column, 17);
	cr_assert_eq(parse(&plain, "a0042260131Ab c -12 4"), -1);
	cr_assert_eq(d.column, 20);
	cr_assert_eq(parse(&plain, "a0042260131A\001c -1234"), -1);
	cr_assert_eq(d.column, 13);
	cr_assert(strstr(d.msg, "0x01") != NULL, "%s", d.msg);
}

Test(fixed, checks_clock_times)
{
	cr_assert_eq(parse(&timed, "xx0000"), 0, "%s", d.msg);
	cr_assert_eq(r.v[0].num, 0);
	cr_assert_eq(parse(&timed, "xx2359"), 0, "%s", d.msg);
	cr_assert_eq(r.v[0].num, 23 * 60 + 59);
	cr_assert_eq(parse(&timed, "xx2599"), -1);
	cr_assert_eq(d.line, 7);
	cr_assert_eq(d.column, 3);
	cr_assert(strstr(d.msg, "creation time") != NULL, "%s", d.msg);
	cr_assert(strstr(d.msg, "'2599' is not a time") != NULL, "%s", d.msg);
	cr_assert_eq(parse(&timed, "xx2400"), -1);
	cr_assert_eq(parse(&timed, "xx1260"), -1);
	cr_assert_eq(d.column, 3);
	cr_assert_eq(parse(&timed, "xx12 5"), -1);
	cr_assert_eq(d.column, 5);
	cr_assert(strstr(d.msg, "expected a time HHMM") != NULL, "%s", d.msg);
}

Test(fixed, checks_line_length)
{
	cr_assert_eq(parse(&plain, "a0042260131Ab c -12345"), -1);
	cr_assert_eq(d.column, 22);
}

Test(fixed, checks_the_length_field)
{
	cr_assert_eq(parse(&var, "T990191234ab    567"), 0, "%s", d.msg);
	cr_assert_eq(r.len, 19);
	cr_assert_eq(r.v[2].num, 567);
	/* declared shorter than the line */
	cr_assert_eq(parse(&var, "T990161234ab    567"), -1);
	cr_assert_eq(d.column, 17);
	/* absurd, too small, not digits, missing */
	cr_assert_eq(parse(&var, "T999991234"), -1);
	cr_assert_eq(d.column, 4);
	cr_assert(strstr(d.msg, "999") != NULL, "%s", d.msg);
	cr_assert_eq(parse(&var, "T99009"), -1);
	cr_assert_eq(parse(&var, "T990x9"), -1);
	cr_assert_eq(d.column, 5);
	cr_assert_eq(parse(&var, "T9"), -1);
}

Test(fixed, fields_beyond_the_declared_length_are_empty)
{
	/* length 10: only "first" is inside the record */
	cr_assert_eq(parse(&var, "T990101234"), 0, "%s", d.msg);
	cr_assert_eq(r.v[0].num, 1234);
	cr_assert_eq(r.v[1].n, 0);
	cr_assert_eq(r.v[2].n, 0);
	cr_assert(r.v[2].blank);
	/* length 13: "second" is cut at the record's end */
	cr_assert_eq(parse(&var, "T990131234abc"), 0, "%s", d.msg);
	cr_assert_eq(r.v[1].n, 3);
}

Test(fixed, reference_warnings)
{
	char ref[REF_BUFSZ], msg[128];

	cr_assert_null(fixed_reference("00000000000000455435", 20, ref, msg,
	    sizeof msg));
	cr_assert_str_eq(ref, "455435");
	cr_assert_null(fixed_reference("                    ", 20, ref, msg,
	    sizeof msg));
	cr_assert_str_eq(ref, "");
	cr_assert_str_eq(fixed_reference("00000000000003088187", 20, ref, msg,
	    sizeof msg), "bad-reference");
	cr_assert(strstr(msg, "expected 4") != NULL, "%s", msg);
	cr_assert_str_eq(fixed_reference("00000000000000000013", 20, ref, msg,
	    sizeof msg), "short-reference");
	cr_assert_null(fixed_reference("RF18 5390 0754 7034", 19, ref, msg,
	    sizeof msg));
	cr_assert_str_eq(fixed_reference("RF19 5390 0754 7034", 19, ref, msg,
	    sizeof msg), "bad-reference");
}

/* The one-pass path for a field of digits gives what normalising and
 * validating give, for every length of leading zeros and body and for
 * every check digit. */
Test(fixed, digit_references_as_the_general_path)
{
	static const char body[] = "1234567890123456789012";
	char field[24], ref[REF_BUFSZ], norm[REF_BUFSZ], msg[128];
	const char *code;
	size_t len, zeros, k;
	int check;

	for (len = 18; len <= 22; len++)
		for (zeros = 0; zeros <= len; zeros++)
			for (check = 0; check <= 9; check++) {
				memset(field, '0', zeros);
				memcpy(field + zeros, body, len - zeros);
				if (len > zeros)
					field[len - 1] = (char)('0' + check);
				field[len] = '\0';
				code = fixed_reference(field, len, ref, msg,
				    sizeof msg);
				cr_assert_eq(ref_normalise(field, len, norm),
				    0);
				cr_assert_str_eq(ref, norm, "%s", field);
				k = strlen(norm);
				if (k == 0)
					cr_assert_null(code, "%s", field);
				else if (k < 4)
					cr_assert_str_eq(code,
					    "short-reference", "%s", field);
				else if (ref_validate(norm, k) == 0)
					cr_assert_null(code, "%s", field);
				else
					cr_assert_str_eq(code,
					    "bad-reference", "%s", field);
			}
}

Test(fixed, text_decoding)
{
	struct fixed_text t;
	struct sbuf out = SBUF_INIT;

	memset(&t, 0, sizeof t);
	t.cs = CS_ISO646FI;
	cr_assert_eq(fixed_text_decode(&t, "MYYR[ {|}  ", 11, &out), 0);
	cr_assert_str_eq(out.data, "MYYR\xc3\x84 \xc3\xa4\xc3\xb6\xc3\xa5");
	/* the first 8-bit field in a 7-bit file is reported once */
	cr_assert_eq(fixed_text_decode(&t, "P\xc4\xc4", 3, &out), 1);
	cr_assert_str_eq(out.data, "P\xc3\x84\xc3\x84");
	cr_assert_eq(fixed_text_decode(&t, "\xe4", 1, &out), 0);
	cr_assert_eq(fixed_text_decode(&t, "   ", 3, &out), 0);
	cr_assert_eq(out.len, 0);
	t.cs = CS_LATIN1;
	t.forced = 1;
	cr_assert_eq(fixed_text_decode(&t, "[\xe4", 2, &out), 0);
	cr_assert_str_eq(out.data, "[\xc3\xa4");
	sbuf_free(&out);
}

/* Fields longer than eight bytes are checked a word at a time: every
 * byte value at every position of them must be judged as one byte at a
 * time would. */
static const struct fixed_field f_long[] = {
	{ "account", 0, 14, FX_N, NULL },
	{ "payer", 14, 12, FX_AN, NULL },
};
static const struct fixed_layout longf = { "long", f_long, 2, 26, 26, -1 };

Test(fixed, long_fields_every_byte_at_every_position)
{
	char line[27];
	int pos, c;

	for (pos = 0; pos < 26; pos++)
		for (c = 1; c < 256; c++) {
			int digit = c >= '0' && c <= '9';
			int control = c < 0x20 || c == 0x7f;
			int bad = pos < 14 ? !digit : control;

			memcpy(line, "12345678901234ABCDEFGHIJKL", 27);
			line[pos] = (char)c;
			memset(&d, 0, sizeof d);
			cr_assert_eq(fixed_parse(&longf, line, 26, &r, "f", 1,
			    &d), bad ? -1 : 0, "byte 0x%02x at %d", c, pos);
			if (bad)
				cr_assert_eq(d.column, pos + 1,
				    "byte 0x%02x at %d: column %ld", c, pos,
				    d.column);
		}
}

Test(fixed, dates_kept_between_records_are_still_checked)
{
	static const struct fixed_field f[] = {
		{ "booking date", 0, 6, FX_DATE, NULL },
	};
	static const struct fixed_layout lay = { "dated", f, 1, 6, 6, -1 };

	memset(&r, 0, sizeof r);
	cr_assert_eq(parse(&lay, "260131"), 0);
	cr_assert_eq(r.v[0].day, 20484);
	cr_assert_eq(parse(&lay, "260131"), 0);	/* the kept day */
	cr_assert_eq(r.v[0].day, 20484);
	cr_assert_eq(parse(&lay, "260231"), -1);	/* 31.2. */
	cr_assert_eq(parse(&lay, "000000"), -1);	/* no date: mandatory */
	cr_assert_eq(parse(&lay, "000000"), -1);
	cr_assert_eq(parse(&lay, "260201"), 0);
	cr_assert_eq(r.v[0].day, 20485);
	/* a field slot never parsed holds no day to hand out */
	memset(&r, 0, sizeof r);
	cr_assert_eq(fixed_parse(&lay, "\0\0\0\0\0\0", 6, &r, "f", 1, &d),
	    -1);
}

/* Digit fields of every length up to 18 are converted eight digits at a
 * time, the rest one by one: each length, and each digit value at each
 * position, against the value summed here digit by digit.  Blank is
 * said of a text field of blanks, never of a checked digit field. */
static const struct fixed_field f_digits[] = {
	{ "digits", 0, 18, FX_N, NULL },
	{ "text", 18, 3, FX_AN, NULL },
};

Test(fixed, digit_values_of_every_length_and_digit)
{
	struct fixed_layout lay = { "digits", f_digits, 2, 21, 21, -1 };
	struct fixed_field f[2];
	char line[22];
	size_t len, pos;
	int c;

	memcpy(f, f_digits, sizeof f);
	lay.fields = f;
	for (len = 1; len <= 18; len++)
		for (pos = 0; pos < len; pos++)
			for (c = '0'; c <= '9'; c++) {
				int64_t want = 0;
				size_t i;

				f[0].len = (uint16_t)len;
				memset(line, ' ', 21);
				line[21] = '\0';
				for (i = 0; i < len; i++) {
					line[i] = i == pos ? (char)c :
					    (char)('0' + (i * 7 + len) % 10);
					want = want * 10 + (line[i] - '0');
				}
				cr_assert_eq(parse(&lay, line), 0, "%s", d.msg);
				cr_assert_eq(r.v[0].num, want, "%.*s: %lld",
				    (int)len, line, (long long)r.v[0].num);
				cr_assert_eq(r.v[0].blank, 0);
				cr_assert_eq(r.v[1].blank, 1);
			}
}

/* fixed_parse() reads a line of its layout's longest length without
 * padding it: every field table of the readers must end within it. */
Test(fixed, reader_layouts_end_within_their_length)
{
	const struct fixed_layout *lay;
	size_t i, nkto = 0, nktl = 0;

	for (i = 0; (lay = kto_layout(i)) != NULL; i++, nkto++)
		cr_expect(fixed_layout_ok(lay), "KTO layout %s", lay->name);
	for (i = 0; (lay = ktl_layout(i)) != NULL; i++, nktl++)
		cr_expect(fixed_layout_ok(lay), "KTL layout %s", lay->name);
	/* T00 T10 T80 T40 T50 T51, two read for length only, eleven T11 */
	cr_expect_eq(nkto, 19);
	cr_expect_eq(nktl, 3);
}

Test(fixed, layout_check_finds_a_field_past_the_end)
{
	static const struct fixed_field past[] = {
		{ "first", 0, 4, FX_N, NULL },
		{ "second", 4, 6, FX_AN, NULL },
	};
	struct fixed_layout lay = { "bad", past, 2, 9, 9, -1 };

	cr_expect_not(fixed_layout_ok(&lay));
	lay.maxlen = 10;
	lay.minlen = 10;
	cr_expect(fixed_layout_ok(&lay));
	lay.lenoff = 8;		/* a length field over the end */
	cr_expect_not(fixed_layout_ok(&lay));
	lay.lenoff = -1;
	lay.minlen = 11;
	cr_expect_not(fixed_layout_ok(&lay));
	cr_expect(fixed_layout_ok(&plain));
	cr_expect(fixed_layout_ok(&var));
}

/* In a file whose text is UTF-8, a line is read by character positions
 * (a writer that pads by characters makes the record longer in bytes),
 * and by byte positions when it does not read that way; a file not
 * decided as UTF-8 reads bytes only. */
Test(fixed, utf8_lines_by_characters_then_bytes)
{
	struct fixed_text t;
	struct sbuf out = SBUF_INIT;
	const char *s;
	/* "Ä" and "ö" are two bytes each: 21 characters, 23 bytes */
	const char *chars = "a0042260131\xc3\x84k\xc3\xb6 c-1234";
	/* the same padded to 21 bytes: the name is 5 bytes, 3 characters */
	const char *bytes = "a0042260131\xc3\x84\xc3\xb6 -1234";

	memset(&t, 0, sizeof t);
	t.cs = CS_UTF8;
	fixed_rec_text(&r, &t);
	cr_assert_eq(parse(&plain, chars), 0, "%s", d.msg);
	cr_assert_eq(fixed_trimmed(&r.v[3], &s), 7);
	cr_assert_eq(memcmp(s, "\xc3\x84k\xc3\xb6 c", 7), 0);
	cr_assert_eq(r.v[4].num, -1234);
	cr_assert_eq(fixed_text_decode(&t, r.v[3].s, r.v[3].n, &out),
	    FIXED_NOTE_UTF8);
	cr_assert_str_eq(out.data, "\xc3\x84k\xc3\xb6 c");
	cr_assert_eq(fixed_text_decode(&t, r.v[3].s, r.v[3].n, &out), 0);
	cr_assert_eq(parse(&plain, bytes), 0, "%s", d.msg);
	cr_assert_eq(r.v[3].n, 5);
	cr_assert_eq(r.v[4].num, -1234);
	/* a trimmed line is padded in characters */
	cr_assert_eq(parse(&plain, "a0042260131\xc3\x84"), -1);
	cr_assert_eq(d.column, 17, "%ld %s", d.column, d.msg);
	/* neither way: the character reading's error */
	cr_assert_eq(parse(&plain, "a0042260131\xc3\x84k\xc3\xb6 c-12x4"), -1);
	cr_assert_eq(d.column, 20, "%ld %s", d.column, d.msg);
	/* Latin-1 in a file decided as UTF-8: that field, with one warning */
	cr_assert_eq(fixed_text_decode(&t, "\xc4k", 2, &out),
	    FIXED_NOTE_NOT_UTF8);
	cr_assert_str_eq(out.data, "\xc3\x84k");
	cr_assert_eq(fixed_text_decode(&t, "\xc4", 1, &out), 0);
	/* the user's UTF-8: a bad byte is an error */
	t.forced = 1;
	cr_assert_eq(fixed_text_decode(&t, "\xc4", 1, &out), -1);
	cr_assert_eq(fixed_text_span(&t, "\xc3\x84\xc3\xb6x", 5, 2), 4);
	t.cs = CS_LATIN1;
	cr_assert_eq(fixed_text_span(&t, "\xc3\x84\xc3\xb6x", 5, 2), 2);
	fixed_rec_text(&r, &t);
	cr_assert_eq(parse(&plain, chars), -1);
	sbuf_free(&out);
}
