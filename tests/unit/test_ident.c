/*
 * Unit tests: identifiers (base/ident.c).  Every worked example of
 * reference/ktl.md section 9, plus edge cases; values not in ktl.md were
 * computed by hand from the rules there (7-3-1, mod 97, Luhn, Y-tunnus).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/ident.h"

#define S(s) (s), strlen(s)

/* ---- national reference (ktl.md 9.1) ---- */

Test(ref, check_digit_worked_examples)
{
	cr_assert_eq(ref_check_digit(S("123")), 2);
	cr_assert_eq(ref_check_digit(S("135791")), 4);
	cr_assert_eq(ref_check_digit(S("123456")), 1);
	cr_assert_eq(ref_check_digit(S("100")), 9);
	cr_assert_eq(ref_check_digit(S("308818")), 4);	/* not the 7 */
	cr_assert_eq(ref_check_digit(S("1")), 3);	/* "13" of the demo data */
	cr_assert_eq(ref_check_digit(S("1234567890123456789")), 4);
}

Test(ref, check_digit_rejects)
{
	cr_assert_eq(ref_check_digit(S("")), -1);
	cr_assert_eq(ref_check_digit(S("12a")), -1);
	cr_assert_eq(ref_check_digit(S("12 3")), -1);
	cr_assert_eq(ref_check_digit(S("12345678901234567890")), -1);
}

/* The weights 7, 3, 1 from the right, three digits a step: every
 * length, and every digit and a non-digit at every position, against
 * the sum taken here one digit at a time. */
Test(ref, check_digit_every_length_and_position)
{
	static const unsigned weight[3] = { 7, 3, 1 };
	char base[20];
	size_t n, pos, i;
	int c;

	for (n = 1; n <= 19; n++)
		for (pos = 0; pos < n; pos++)
			for (c = '0' - 1; c <= '9' + 1; c++) {
				unsigned sum = 0;

				for (i = 0; i < n; i++)
					base[i] = i == pos ? (char)c :
					    (char)('1' + (i * 5 + n) % 9);
				for (i = 0; i < n; i++)
					sum += (unsigned)(base[n - 1 - i] -
					    '0') * weight[i % 3];
				cr_assert_eq(ref_check_digit(base, n),
				    c < '0' || c > '9' ? -1 :
				    (int)((10 - sum % 10) % 10), "%.*s",
				    (int)n, base);
			}
}

Test(ref, validate_worked_examples)
{
	cr_assert_eq(ref_validate(S("1232")), 0);
	cr_assert_eq(ref_validate(S("1357914")), 0);
	cr_assert_eq(ref_validate(S("13 57914")), 0);	/* printed form */
	cr_assert_eq(ref_validate(S("1234561")), 0);
	cr_assert_eq(ref_validate(S("12 34561")), 0);
	cr_assert_eq(ref_validate(S("1009")), 0);
	cr_assert_eq(ref_validate(S("455435")), 0);
	cr_assert_eq(ref_validate(S("3088187")), -1);
	cr_assert_eq(ref_validate(S("3088184")), 0);
	cr_assert_eq(ref_validate(S("1357913")), -1);
}

Test(ref, validate_lengths_and_zeros)
{
	/* KTL zero-fills to 20 */
	cr_assert_eq(ref_validate(S("00000000000000455435")), 0);
	cr_assert_eq(ref_validate(S("0000000000000000001232")), 0);
	/* 20 digits is the most, 21 is too many */
	cr_assert_eq(ref_validate(S("12345678901234567894")), 0);
	cr_assert_eq(ref_validate(S("123456789012345678908")), -1);
	/* 3 digits: too short for a valid reference, even with a right
	 * check digit; ref_validate_short accepts it */
	cr_assert_eq(ref_validate(S("123")), -1);
	cr_assert_eq(ref_validate(S("13")), -1);
	cr_assert_eq(ref_validate_short(S("13")), 0);
	cr_assert_eq(ref_validate_short(S("0013")), 0);
	cr_assert_eq(ref_validate_short(S("14")), -1);
	cr_assert_eq(ref_validate_short(S("1232")), -1);
	cr_assert_eq(ref_validate_short(S("3")), -1);
}

Test(ref, validate_rejects_junk)
{
	static const char nul[] = "1232\0";

	cr_assert_eq(ref_validate(S("")), -1);
	cr_assert_eq(ref_validate(S("   ")), -1);
	cr_assert_eq(ref_validate(S("0000")), -1);
	cr_assert_eq(ref_validate(S("12-32")), -1);
	cr_assert_eq(ref_validate(S("1232x")), -1);
	cr_assert_eq(ref_validate(S("\xc2\xb91232")), -1);	/* '¹' */
	cr_assert_eq(ref_validate(nul, 5), -1);
	cr_assert_eq(ref_validate(S("RF111232")), -1);
	/* only the first n bytes count */
	cr_assert_eq(ref_validate("12329999", 4), 0);
}

Test(ref, validate_overlong)
{
	char big[5000];

	memset(big, '9', sizeof big);
	cr_assert_eq(ref_validate(big, sizeof big), -1);
	memset(big, '0', sizeof big);
	memcpy(big + sizeof big - 4, "1232", 4);
	cr_assert_eq(ref_validate(big, sizeof big), 0);	/* zeros only */
	memset(big, ' ', sizeof big);
	cr_assert_eq(ref_validate(big, sizeof big), -1);
}

Test(ref, generate)
{
	char out[REF_BUFSZ];

	cr_assert_eq(ref_generate(S("123"), out), 0);
	cr_assert_str_eq(out, "1232");
	cr_assert_eq(ref_generate(S("135791"), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_generate(S("123456"), out), 0);
	cr_assert_str_eq(out, "1234561");
	cr_assert_eq(ref_generate(S("100"), out), 0);
	cr_assert_str_eq(out, "1009");
	cr_assert_eq(ref_generate(S("000135791"), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_generate(S("1234567890123456789"), out), 0);
	cr_assert_str_eq(out, "12345678901234567894");
	cr_assert_eq(ref_generate(S("12"), out), -1);
	cr_assert_eq(ref_generate(S("0012"), out), -1);
	cr_assert_eq(ref_generate(S("12345678901234567890"), out), -1);
	cr_assert_eq(ref_generate(S("12 3"), out), -1);
	cr_assert_eq(ref_generate(S(""), out), -1);
}

Test(ref, normalise)
{
	char out[REF_BUFSZ];
	char big[100];

	cr_assert_eq(ref_normalise(S("00000000000000455435"), out), 0);
	cr_assert_str_eq(out, "455435");
	cr_assert_eq(ref_normalise(S(" 13 57914 "), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_normalise(S("rf18 5390 0754 7034"), out), 0);
	cr_assert_str_eq(out, "RF18539007547034");
	/* an RF body keeps its zeros */
	cr_assert_eq(ref_normalise(S("RF18 0000 0000 0539 0075 4703 4"), out), 0);
	cr_assert_str_eq(out, "RF18000000000539007547034");
	/* not given */
	cr_assert_eq(ref_normalise(S(""), out), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(ref_normalise(S("0000 0000"), out), 0);
	cr_assert_str_eq(out, "");
	/* no check digit is verified */
	cr_assert_eq(ref_normalise(S("3088187"), out), 0);
	cr_assert_str_eq(out, "3088187");
	/* not a reference: the text, upper case, without blanks */
	cr_assert_eq(ref_normalise(S("ab 12-3"), out), -1);
	cr_assert_str_eq(out, "AB12-3");
	cr_assert_eq(ref_normalise(S("RF12-3"), out), -1);
	cr_assert_str_eq(out, "RF12-3");
	/* too long to hold: cut, and refused */
	memset(big, '7', sizeof big);
	cr_assert_eq(ref_normalise(big, sizeof big, out), -1);
	cr_assert_eq(strlen(out), REF_BUFSZ - 1);
}

/* ---- RF (ktl.md 9.2) ---- */

Test(rf, validate_worked_examples)
{
	cr_assert_eq(rf_validate(S("RF18 5390 0754 7034")), 0);
	cr_assert_eq(rf_validate(S("RF18539007547034")), 0);
	cr_assert_eq(rf_validate(S("RF18 0000 0000 0539 0075 4703 4")), 0);
	cr_assert_eq(rf_validate(S("RF45G72UUR")), 0);
	cr_assert_eq(rf_validate(S("RF6518K5")), 0);
	cr_assert_eq(rf_validate(S("RF951357914")), 0);
	cr_assert_eq(rf_validate(S("RF95 1357 914")), 0);
	cr_assert_eq(rf_validate(S("RF111232")), 0);
	cr_assert_eq(rf_validate(S("RF341234561")), 0);
	cr_assert_eq(rf_validate(S("RF46455435")), 0);
}

Test(rf, validate_case_and_blanks)
{
	cr_assert_eq(rf_validate(S("rf18 5390 0754 7034")), 0);
	cr_assert_eq(rf_validate(S("Rf45g72uur")), 0);
	cr_assert_eq(rf_validate(S("\tRF45 G72U UR ")), 0);
}

Test(rf, validate_rejects)
{
	cr_assert_eq(rf_validate(S("RF18539007547035")), -1);	/* digit */
	cr_assert_eq(rf_validate(S("RF19539007547034")), -1);	/* check */
	cr_assert_eq(rf_validate(S("RF81539007547034")), -1);	/* swapped */
	cr_assert_eq(rf_validate(S("RF45G72UUS")), -1);
	cr_assert_eq(rf_validate(S("")), -1);
	cr_assert_eq(rf_validate(S("RF")), -1);
	cr_assert_eq(rf_validate(S("RF18")), -1);		/* no body */
	cr_assert_eq(rf_validate(S("RFAB1232")), -1);
	cr_assert_eq(rf_validate(S("XX111232")), -1);
	cr_assert_eq(rf_validate(S("RF11-1232")), -1);
	cr_assert_eq(rf_validate(S("RF45G72\xc3\x9cUR")), -1);	/* 'Ü' */
	cr_assert_eq(rf_validate(S("1357914")), -1);
}

Test(rf, body_length)
{
	/* 21 characters is the most */
	cr_assert_eq(rf_validate(S("RF40123456789012345678901")), 0);
	cr_assert_eq(rf_validate(S("RF95ABCDEFGHIJKLMNOPQRSTU")), 0);
	cr_assert_eq(rf_validate(S("RF401234567890123456789012")), -1);
	/* one character is the least */
	cr_assert_eq(rf_validate(S("RF741")), 0);
}

Test(rf, check_digits_outside_02_98)
{
	/* "1042" gives check 97: "00" would pass the sum but is never
	 * issued; likewise "1024" (98 / 01) and "1006" (02 / 99) */
	cr_assert_eq(rf_validate(S("RF971042")), 0);
	cr_assert_eq(rf_validate(S("RF001042")), -1);
	cr_assert_eq(rf_validate(S("RF981024")), 0);
	cr_assert_eq(rf_validate(S("RF011024")), -1);
	cr_assert_eq(rf_validate(S("RF021006")), 0);
	cr_assert_eq(rf_validate(S("RF991006")), -1);
}

Test(rf, generate)
{
	char out[REF_BUFSZ];

	cr_assert_eq(rf_generate(S("1357914"), out), 0);
	cr_assert_str_eq(out, "RF951357914");
	cr_assert_eq(rf_generate(S("1232"), out), 0);
	cr_assert_str_eq(out, "RF111232");
	cr_assert_eq(rf_generate(S("1234561"), out), 0);
	cr_assert_str_eq(out, "RF341234561");
	cr_assert_eq(rf_generate(S("455435"), out), 0);
	cr_assert_str_eq(out, "RF46455435");
	cr_assert_eq(rf_generate(S("539007547034"), out), 0);
	cr_assert_str_eq(out, "RF18539007547034");
	cr_assert_eq(rf_generate(S("g72uur"), out), 0);
	cr_assert_str_eq(out, "RF45G72UUR");
	cr_assert_eq(rf_generate(S("18K5"), out), 0);
	cr_assert_str_eq(out, "RF6518K5");
	cr_assert_eq(rf_generate(S("1006"), out), 0);
	cr_assert_str_eq(out, "RF021006");	/* two digits always */
	cr_assert_eq(rf_generate(S("ABCDEFGHIJKLMNOPQRSTU"), out), 0);
	cr_assert_str_eq(out, "RF95ABCDEFGHIJKLMNOPQRSTU");
	cr_assert_eq(rf_generate(S("ABCDEFGHIJKLMNOPQRSTUV"), out), -1);
	cr_assert_eq(rf_generate(S(""), out), -1);
	cr_assert_eq(rf_generate(S("12-3"), out), -1);
}

Test(rf, from_national_reference)
{
	char out[REF_BUFSZ];

	cr_assert_eq(rf_from_ref(S("1357914"), out), 0);
	cr_assert_str_eq(out, "RF951357914");
	cr_assert_eq(rf_from_ref(S("00000000000001357914"), out), 0);
	cr_assert_str_eq(out, "RF951357914");
	cr_assert_eq(rf_from_ref(S("12 34561"), out), 0);
	cr_assert_str_eq(out, "RF341234561");
	cr_assert_eq(rf_from_ref(S("12345678901234567894"), out), 0);
	cr_assert_str_eq(out, "RF0912345678901234567894");
	cr_assert_eq(rf_from_ref(S("3088187"), out), -1);
	cr_assert_eq(rf_from_ref(S("13"), out), -1);
}

Test(rf, national_reference_of_rf)
{
	char out[REF_BUFSZ];

	cr_assert_eq(ref_from_rf(S("RF951357914"), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_from_rf(S("rf95 1357 914"), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_from_rf(S("RF46455435"), out), 0);
	cr_assert_str_eq(out, "455435");
	/* zeros in the body are dropped; 21 body digits with a leading
	 * zero carry a 20-digit reference */
	cr_assert_eq(ref_from_rf(S("RF95000001357914"), out), 0);
	cr_assert_str_eq(out, "1357914");
	cr_assert_eq(ref_from_rf(S("RF09012345678901234567894"), out), 0);
	cr_assert_str_eq(out, "12345678901234567894");
	/* valid RFs whose body is no national reference */
	cr_assert_eq(ref_from_rf(S("RF18539007547034"), out), -1);
	cr_assert_eq(ref_from_rf(S("RF45G72UUR"), out), -1);
	cr_assert_eq(ref_from_rf(S("RF40123456789012345678901"), out), -1);
	/* invalid RF */
	cr_assert_eq(ref_from_rf(S("RF961357914"), out), -1);
	cr_assert_eq(ref_from_rf(S("1357914"), out), -1);
}

Test(rf, match_key)
{
	char a[REF_BUFSZ], b[REF_BUFSZ];

	ref_match_key(S("RF951357914"), a);
	ref_match_key(S("00000000000001357914"), b);
	cr_assert_str_eq(a, "1357914");
	cr_assert_str_eq(b, "1357914");
	ref_match_key(S("rf18 5390 0754 7034"), a);
	cr_assert_str_eq(a, "RF18539007547034");
	/* an invalid RF keeps its own form: no false match */
	ref_match_key(S("RF961357914"), a);
	cr_assert_str_eq(a, "RF961357914");
	ref_match_key(S("13 57914"), a);
	cr_assert_str_eq(a, "1357914");
	ref_match_key(S(""), a);
	cr_assert_str_eq(a, "");
}

/* ---- accounts (ktl.md 9.3) ---- */

Test(bban, luhn)
{
	cr_assert_eq(bban_validate(S("12345600000785")), 0);
	cr_assert_eq(bban_validate(S("42345670000081")), 0);
	cr_assert_eq(bban_validate(S("50009420028730")), 0);
	cr_assert_eq(bban_validate(S("29501800000014")), 0);
	cr_assert_eq(bban_validate(S("47300010416310")), 0);
	cr_assert_eq(bban_validate(S("57230220494996")), 0);
	cr_assert_eq(bban_validate(S("12345600000784")), -1);
	cr_assert_eq(bban_validate(S("12345600000875")), -1);
	cr_assert_eq(bban_validate(S("1234560000785")), -1);
	cr_assert_eq(bban_validate(S("123456000007850")), -1);
	cr_assert_eq(bban_validate(S("1234 5600 0007 85")), -1);
	cr_assert_eq(bban_validate(S("1234560000078X")), -1);
	cr_assert_eq(bban_validate(S("")), -1);
}

Test(bban, from_old_account_format)
{
	char out[15];

	/* groups 4 and 5: zeros after the first digit past the hyphen */
	cr_assert_eq(bban_from_account(S("423456-781"), out), 0);
	cr_assert_str_eq(out, "42345670000081");
	cr_assert_eq(bban_from_account(S("500094-20028730"), out), 0);
	cr_assert_str_eq(out, "50009420028730");
	cr_assert_eq(bban_from_account(S("423456-78"), out), 0);
	cr_assert_str_eq(out, "42345670000008");
	cr_assert_eq(bban_from_account(S("500094-06"), out), 0);
	cr_assert_str_eq(out, "50009400000006");
	cr_assert_eq(bban_from_account(S("500094-22"), out), 0);
	cr_assert_str_eq(out, "50009420000002");
	/* the others: zeros right after the hyphen */
	cr_assert_eq(bban_from_account(S("123456-785"), out), 0);
	cr_assert_str_eq(out, "12345600000785");
	cr_assert_eq(bban_from_account(S("295018-14"), out), 0);
	cr_assert_str_eq(out, "29501800000014");
	cr_assert_eq(bban_from_account(S("123456-74"), out), 0);
	cr_assert_str_eq(out, "12345600000074");
	/* a tail of 7 digits leaves room for one zero */
	cr_assert_eq(bban_from_account(S("423456-7000081"), out), 0);
	cr_assert_str_eq(out, "42345670000081");
	/* wrong check digit */
	cr_assert_eq(bban_from_account(S("123456-784"), out), -1);
	cr_assert_eq(bban_from_account(S("423456-782"), out), -1);
	/* group 4 padded the way of the others would be 42345600000781,
	 * whose Luhn digit is not 1: the rule matters */
	cr_assert_eq(bban_validate(S("42345600000781")), -1);
}

Test(bban, old_account_format_rejects)
{
	char out[15];

	cr_assert_eq(bban_from_account(S("123456-7"), out), -1);
	cr_assert_eq(bban_from_account(S("123456-123456789"), out), -1);
	cr_assert_eq(bban_from_account(S("12345-6785"), out), -1);
	cr_assert_eq(bban_from_account(S("1234567-85"), out), -1);
	cr_assert_eq(bban_from_account(S("123456 785"), out), -1);
	cr_assert_eq(bban_from_account(S("123456-78a"), out), -1);
	cr_assert_eq(bban_from_account(S(" 123456-785"), out), -1);
	cr_assert_eq(bban_from_account(S("123456--785"), out), -1);
	cr_assert_eq(bban_from_account(S(""), out), -1);
}

Test(iban, from_bban)
{
	char out[IBAN_BUFSZ];

	cr_assert_eq(iban_from_bban(S("12345600000785"), out), 0);
	cr_assert_str_eq(out, "FI2112345600000785");
	cr_assert_eq(iban_from_bban(S("42345670000081"), out), 0);
	cr_assert_str_eq(out, "FI5542345670000081");
	cr_assert_eq(iban_from_bban(S("50009420028730"), out), 0);
	cr_assert_str_eq(out, "FI4950009420028730");
	cr_assert_eq(iban_from_bban(S("29501800000014"), out), 0);
	cr_assert_str_eq(out, "FI7429501800000014");
	cr_assert_eq(iban_from_bban(S("47300010416310"), out), 0);
	cr_assert_str_eq(out, "FI4947300010416310");
	cr_assert_eq(iban_from_bban(S("57230220494996"), out), 0);
	cr_assert_str_eq(out, "FI2657230220494996");
	cr_assert_eq(iban_from_bban(S("10000000000057"), out), 0);
	cr_assert_str_eq(out, "FI0210000000000057");
	cr_assert_eq(iban_from_bban(S("12345600000784"), out), -1);
	cr_assert_eq(iban_from_bban(S("123456-785"), out), -1);
}

Test(iban, validate_finnish)
{
	cr_assert_eq(iban_validate(S("FI2112345600000785")), 0);
	cr_assert_eq(iban_validate(S("FI21 1234 5600 0007 85")), 0);
	cr_assert_eq(iban_validate(S("fi21 1234 5600 0007 85")), 0);
	cr_assert_eq(iban_validate(S("FI5542345670000081")), 0);
	cr_assert_eq(iban_validate(S("FI4950009420028730")), 0);
	cr_assert_eq(iban_validate(S("FI7429501800000014")), 0);
	cr_assert_eq(iban_validate(S("FI2212345600000785")), -1);
	cr_assert_eq(iban_validate(S("FI2112345600000786")), -1);
	cr_assert_eq(iban_validate(S("FI211234560000785")), -1);	/* 17 */
	cr_assert_eq(iban_validate(S("FI21123456000007850")), -1);	/* 19 */
}

Test(iban, validate_aland)
{
	/* "AX00" and "FI00" leave the same remainder (151800 - 103300 =
	 * 48500 = 97 * 500), so an AX IBAN has the FI check digits */
	cr_assert_eq(iban_validate(S("AX2112345600000785")), 0);
	cr_assert_eq(iban_validate(S("AX 5042 3456 7000 0081")), -1);
	cr_assert_eq(iban_validate(S("AX5542345670000081")), 0);
	cr_assert_eq(iban_validate(S("AX50612345678901250")), -1);	/* 19 */
	cr_assert_eq(iban_validate(S("AX5061234567890125")), 0);
}

Test(iban, validate_foreign)
{
	cr_assert_eq(iban_validate(S("DE89370400440532013000")), 0);
	cr_assert_eq(iban_validate(S("DE89 3704 0044 0532 0130 00")), 0);
	cr_assert_eq(iban_validate(S("GB82WEST12345698765432")), 0);
	cr_assert_eq(iban_validate(S("gb82 west 1234 5698 7654 32")), 0);
	cr_assert_eq(iban_validate(S("DE89370400440532013001")), -1);
	cr_assert_eq(iban_validate(S("GB82WEST12345698765433")), -1);
	cr_assert_eq(iban_validate(S("GB82WEST12345698765423")), -1);
	/* right sum, wrong registry length: DE is 22, this has 21 */
	cr_assert_eq(iban_validate(S("DE5137040044053201300")), -1);
	/* a country missing from the table: the sum alone decides */
	cr_assert_eq(iban_validate(S("US5037040044053201300")), 0);
	cr_assert_eq(iban_validate(S("US7537040044053201300")), -1);
}

Test(iban, validate_rejects)
{
	char big[300];

	cr_assert_eq(iban_validate(S("")), -1);
	cr_assert_eq(iban_validate(S("FI")), -1);
	cr_assert_eq(iban_validate(S("FI21")), -1);
	cr_assert_eq(iban_validate(S("1121 1234 5600 0007 85")), -1);
	cr_assert_eq(iban_validate(S("FIX1 1234 5600 0007 85")), -1);
	cr_assert_eq(iban_validate(S("FI21-1234-5600-0007-85")), -1);
	cr_assert_eq(iban_validate(S("FI21123456000007\xc3\xa45")), -1);
	/* check digits 00/01/99 are never issued even when the sum passes */
	cr_assert_eq(iban_validate(S("FI9710000000000578")), 0);
	cr_assert_eq(iban_validate(S("FI0010000000000578")), -1);
	cr_assert_eq(iban_validate(S("FI9810000000000172")), 0);
	cr_assert_eq(iban_validate(S("FI0110000000000172")), -1);
	cr_assert_eq(iban_validate(S("FI0210000000000057")), 0);
	cr_assert_eq(iban_validate(S("FI9910000000000057")), -1);
	memset(big, 'A', sizeof big);
	cr_assert_eq(iban_validate(big, sizeof big), -1);
}

Test(iban, country_lengths)
{
	cr_assert_eq(iban_country_length("FI"), 18);
	cr_assert_eq(iban_country_length("AX"), 18);
	cr_assert_eq(iban_country_length("DE"), 22);
	cr_assert_eq(iban_country_length("NO"), 15);
	cr_assert_eq(iban_country_length("RU"), 33);
	cr_assert_eq(iban_country_length("US"), 0);
	cr_assert_eq(iban_country_length("fi"), 0);
}

Test(iban, normalise)
{
	char out[IBAN_BUFSZ];
	char big[100];

	iban_normalise(S(" fi21 1234 5600 0007 85\t"), out);
	cr_assert_str_eq(out, "FI2112345600000785");
	iban_normalise(S(""), out);
	cr_assert_str_eq(out, "");
	memset(big, 'x', sizeof big);
	iban_normalise(big, sizeof big, out);
	cr_assert_eq(strlen(out), IBAN_BUFSZ - 1);
}

/* ---- BIC (ktl.md 9.4) ---- */

static void
bic_is(const char *account, const char *want)
{
	char out[BIC_BUFSZ];

	cr_assert_eq(bic_from_account(S(account), out), 0,
	    "%s should have a BIC", account);
	cr_assert_str_eq(out, want, "%s: %s, want %s", account, out, want);
}

static void
bic_none(const char *account)
{
	char out[BIC_BUFSZ];

	cr_assert_eq(bic_from_account(S(account), out), -1,
	    "%s should have no BIC", account);
}

Test(bic, ktl_examples)
{
	bic_is("FI2112345600000785", "NDEAFIHH");
	bic_is("FI21 1234 5600 0007 85", "NDEAFIHH");
	bic_is("12345600000785", "NDEAFIHH");
	bic_is("123456-785", "NDEAFIHH");
	bic_is("FI7429501800000014", "NDEAFIHH");
	bic_is("47300010416310", "POPFFI22");
	bic_is("FI4950009420028730", "OKOYFIHH");
	bic_is("57230220494996", "OKOYFIHH");
	bic_is("423456-781", "ITELFIHH");
	bic_is("AX2112345600000785", "NDEAFIHH");
}

/* Each BBAN below is its bank code, then "1234567890123" cut to 13
 * digits, then the Luhn digit. */
Test(bic, every_table_row)
{
	bic_is("11234567890126", "NDEAFIHH");
	bic_is("21234567890124", "NDEAFIHH");
	bic_is("31123456789018", "HANDFIHH");
	bic_is("33123456789016", "ESSEFIHX");
	bic_is("34123456789015", "DABAFIHX");	/* the conflict: see ident.c */
	bic_is("36123456789013", "SBANFIHH");
	bic_is("37123456789012", "DNBAFIHX");
	bic_is("38123456789011", "SWEDFIHH");
	bic_is("39123456789010", "SBANFIHH");
	bic_is("40512345678904", "HELSFIHH");
	bic_is("49712345678901", "HELSFIHH");
	bic_is("47012345678908", "POPFFI22");
	bic_is("47912345678909", "POPFFI22");
	bic_is("40012345678905", "ITELFIHH");
	bic_is("48212345678903", "ITELFIHH");
	bic_is("71512345678906", "ITELFIHH");
	bic_is("51234567890127", "OKOYFIHH");
	bic_is("61234567890125", "AABAFI22");
	bic_is("AX5061234567890125", "AABAFI22");
	bic_is("71112345678905", "BSUIFIHH");
	bic_is("71312345678901", "CITIFIHX");
	bic_is("71412345678909", "EVSEFIHH");
	bic_is("71712345678902", "BIGKFIH1");
	bic_is("79812345678902", "VPAYFIH2");
	bic_is("79912345678900", "HOLVFIHH");
	bic_is("81234567890121", "DABAFIHH");
	bic_is("FI2781234567890121", "DABAFIHH");
}

Test(bic, unknown_or_invalid)
{
	bic_none("30123456789019");
	bic_none("32123456789017");
	bic_none("35123456789014");
	bic_none("91234567890129");
	bic_none("71212345678903");
	bic_none("01234567890128");
	bic_none("12345600000784");		/* Luhn */
	bic_none("FI2212345600000785");		/* mod 97 */
	bic_none("123456-784");
	bic_none("DE89370400440532013000");	/* not Finnish */
	bic_none("");
	bic_none("FI");
}

/* ---- business id (ktl.md 9.5) ---- */

Test(ytunnus, worked_examples)
{
	cr_assert_eq(ytunnus_validate(S("2617416-4")), 0);
	cr_assert_eq(ytunnus_validate(S("1572860-0")), 0);
	cr_assert_eq(ytunnus_validate(S("2077474-0")), 0);
	cr_assert_eq(ytunnus_validate(S("0737546-2")), 0);
	cr_assert_eq(ytunnus_validate(S("737546-2")), 0);
	cr_assert_eq(ytunnus_validate(S("0737546-1")), -1);
	cr_assert_eq(ytunnus_validate(S("0000001-9")), 0);
	cr_assert_eq(ytunnus_validate(S("1234567-1")), 0);
	cr_assert_eq(ytunnus_validate(S("2617416-5")), -1);
}

Test(ytunnus, remainder_one_is_never_valid)
{
	char d[] = "1000008-0";

	for (d[8] = '0'; d[8] <= '9'; d[8]++)
		cr_assert_eq(ytunnus_validate(S(d)), -1, "%s", d);
}

Test(ytunnus, shape)
{
	char out[YTUNNUS_BUFSZ];

	cr_assert_eq(ytunnus_validate(S("26174164")), -1);
	cr_assert_eq(ytunnus_validate(S("2617416 4")), -1);
	cr_assert_eq(ytunnus_validate(S("FI26174164")), -1);
	cr_assert_eq(ytunnus_validate(S("02617416-4")), -1);
	cr_assert_eq(ytunnus_validate(S("26174-4")), -1);
	cr_assert_eq(ytunnus_validate(S("2617416-")), -1);
	cr_assert_eq(ytunnus_validate(S("")), -1);
	cr_assert_eq(ytunnus_normalise(S("737546-2"), out), 0);
	cr_assert_str_eq(out, "0737546-2");
	cr_assert_eq(ytunnus_normalise(S("0737546-1"), out), 0);
	cr_assert_str_eq(out, "0737546-1");
	cr_assert_eq(ytunnus_normalise(S("0737546-x"), out), -1);
}

Test(ident, ytunnus_normalise_any_reads_the_vat_form)
{
	char out[YTUNNUS_BUFSZ];

	cr_assert_eq(ytunnus_normalise_any("2617416-4", out), 0);
	cr_assert_str_eq(out, "2617416-4");
	cr_assert_eq(ytunnus_normalise_any("FI26174164", out), 0);
	cr_assert_str_eq(out, "2617416-4");
	cr_assert_eq(ytunnus_normalise_any("fi07375462", out), 0);
	cr_assert_str_eq(out, "0737546-2");
	cr_assert_eq(ytunnus_normalise_any("SE26174164", out), -1);
	cr_assert_eq(ytunnus_normalise_any("", out), -1);
}

/* The archive ids the camt reader makes from a payment's place end in a
 * slash and the transaction's number; a bank's do not. */
Test(ident, archive_id_placed)
{
	cr_assert(archive_id_placed("260107COLL000001/2"));
	cr_assert(archive_id_placed("N0/3/12"));
	cr_assert_not(archive_id_placed("260107KTL0000001"));
	cr_assert_not(archive_id_placed("/2"));
	cr_assert_not(archive_id_placed("A/"));
	cr_assert_not(archive_id_placed("A/2b"));
	cr_assert_not(archive_id_placed(""));
	cr_assert_not(archive_id_placed(NULL));
}
