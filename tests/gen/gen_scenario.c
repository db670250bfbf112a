/*
 * gen_scenario: writes a deterministic receivables scenario as real input
 * files (Finvoice 3.0 invoices and credit notes, KTL reference-payment
 * files, KTO bank statements) together with the ground truth: what the
 * matcher must make of every payment and what every invoice's open amount
 * must be at the end.  End-to-end tests, `make bench` and the sample spool
 * in samples/ are made with it.  tests/gen/README describes the scenario
 * and the truth file.
 *
 *   gen_scenario --seed N --invoices K --days D --accounts A --out DIR
 *                [--start YYYY-MM-DD]
 *   gen_scenario --bench-ktl N [--seed N] [--accounts A] [--out DIR]
 *
 * The same arguments always give the same bytes.  The program stands
 * alone (libc only) and computes every check digit, balance and sum
 * itself, so it is an independent check of the readers it feeds.
 *
 * Exit status: 0 ok, 2 usage, 3 I/O error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define MAXROWS 4
#define MAXACCOUNTS 9

static const char *progname = "gen_scenario";

static void
die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = calloc(n, size)) == NULL)
		die(3, "out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t size)
{
	if ((p = realloc(p, size)) == NULL)
		die(3, "out of memory");
	return p;
}

/* ---- pseudo-random numbers: splitmix64, fully determined by the seed */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z;

	z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]; hi < lo gives lo. */
static int64_t
rnd_range(int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- dates: days since 1970-01-01, proleptic Gregorian */

static int64_t
days_from_ymd(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
ymd_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday. */
static int
weekday(int64_t z)
{
	int64_t w = (z + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int64_t
easter_sunday(int y)
{
	int a, b, c, d, e, f, g, h, i, k, l, m, month, day;

	a = y % 19;
	b = y / 100;
	c = y % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	month = (h + l - 7 * m + 114) / 31;
	day = (h + l - 7 * m + 114) % 31 + 1;
	return days_from_ymd(y, month, day);
}

/* Finnish banking day: Monday to Friday except the days banks close. */
static int
is_banking_day(int64_t z)
{
	int y, m, d;
	int64_t e;

	if (weekday(z) >= 5)
		return 0;
	ymd_from_days(z, &y, &m, &d);
	if ((m == 1 && (d == 1 || d == 6)) || (m == 5 && d == 1) ||
	    (m == 12 && (d == 6 || d == 24 || d == 25 || d == 26)))
		return 0;
	if (m == 6 && d >= 19 && d <= 25 && weekday(z) == 4)
		return 0;	/* Midsummer Eve */
	e = easter_sunday(y);
	if (z == e - 2 || z == e + 1 || z == e + 39)
		return 0;	/* Good Friday, Easter Monday, Ascension */
	return 1;
}

static void
fmt_iso(int64_t z, char buf[11])
{
	int y, m, d;

	ymd_from_days(z, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

static void
fmt_ccyymmdd(int64_t z, char buf[9])
{
	int y, m, d;

	ymd_from_days(z, &y, &m, &d);
	snprintf(buf, 9, "%04d%02d%02d", y, m, d);
}

static void
fmt_yymmdd(int64_t z, char buf[7])
{
	int y, m, d;

	ymd_from_days(z, &y, &m, &d);
	buf[0] = (char)('0' + y % 100 / 10);
	buf[1] = (char)('0' + y % 10);
	buf[2] = (char)('0' + m / 10);
	buf[3] = (char)('0' + m % 10);
	buf[4] = (char)('0' + d / 10);
	buf[5] = (char)('0' + d % 10);
	buf[6] = '\0';
}

static int
parse_iso(const char *s, int64_t *out)
{
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d,
	    &tail) != 3)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31 || y < 2000 || y > 2099)
		return -1;
	*out = days_from_ymd(y, m, d);
	{
		int y2, m2, d2;

		ymd_from_days(*out, &y2, &m2, &d2);
		if (y2 != y || m2 != m || d2 != d)
			return -1;
	}
	return 0;
}

/* ---- identifiers (facts: reference/ktl.md section 9) */

/* 7-3-1 check digit of a digit string. */
static int
ref_check(const char *base)
{
	static const int w[3] = { 7, 3, 1 };
	size_t n = strlen(base), i;
	int sum = 0;

	for (i = 0; i < n; i++)
		sum += (base[n - 1 - i] - '0') * w[i % 3];
	return (10 - sum % 10) % 10;
}

static void
ref_make(const char *base, char out[24])
{
	snprintf(out, 24, "%s%d", base, ref_check(base));
}

/* mod 97 of a string of digits and letters (A=10 ... Z=35). */
static int
mod97(const char *s)
{
	int r = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			r = (r * 10 + (*s - '0')) % 97;
		else if (*s >= 'A' && *s <= 'Z')
			r = (r * 100 + (*s - 'A' + 10)) % 97;
	}
	return r;
}

static void
rf_make(const char *national, char out[32])
{
	char tmp[40];
	int c;

	snprintf(tmp, sizeof tmp, "%.21sRF00", national);
	c = 98 - mod97(tmp);
	snprintf(out, 32, "RF%c%c%.21s", '0' + c / 10, '0' + c % 10,
	    national);
}

static int
rf_valid(const char *rf)
{
	char tmp[40];

	snprintf(tmp, sizeof tmp, "%s%.4s", rf + 4, rf);
	return mod97(tmp) == 1;
}

/* Luhn check digit over the first 13 digits of a Finnish BBAN. */
static int
bban_check(const char *bban)
{
	int i, sum = 0, p;

	for (i = 0; i < 13; i++) {
		p = (bban[i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += p / 10 + p % 10;
	}
	return (10 - sum % 10) % 10;
}

static void
iban_make(const char *bban, char out[19])
{
	char tmp[24];
	int c;

	memcpy(tmp, bban, 14);
	memcpy(tmp + 14, "FI00", 5);
	c = 98 - mod97(tmp);
	out[0] = 'F';
	out[1] = 'I';
	out[2] = (char)('0' + c / 10);
	out[3] = (char)('0' + c % 10);
	memcpy(out + 4, bban, 14);
	out[18] = '\0';
}

static int
iban_valid(const char *iban)
{
	char tmp[40];

	if (strlen(iban) != 18)
		return 0;
	snprintf(tmp, sizeof tmp, "%s%.4s", iban + 4, iban);
	return mod97(tmp) == 1 && bban_check(iban + 4) == iban[17] - '0';
}

/* Business id check digit of a 7-digit body, or -1 if none exists. */
static int
business_id_check(const char *body)
{
	static const int w[7] = { 7, 9, 10, 5, 8, 4, 2 };
	int i, sum = 0, r;

	for (i = 0; i < 7; i++)
		sum += (body[i] - '0') * w[i];
	r = sum % 11;
	if (r == 1)
		return -1;
	return r == 0 ? 0 : 11 - r;
}

static int
business_id_valid(const char *id)
{
	return strlen(id) == 9 && id[7] == '-' &&
	    business_id_check(id) == id[8] - '0';
}

static const struct {
	const char *prefix, *bic, *bank;
} bics[] = {
	{ "405", "HELSFIHH", "AKTIA PANKKI OYJ" },
	{ "497", "HELSFIHH", "AKTIA PANKKI OYJ" },
	{ "47", "POPFFI22", "POP PANKKI" },
	{ "31", "HANDFIHH", "HANDELSBANKEN" },
	{ "33", "ESSEFIHX", "SEB" },
	{ "36", "SBANFIHH", "S-PANKKI OYJ" },
	{ "39", "SBANFIHH", "S-PANKKI OYJ" },
	{ "1", "NDEAFIHH", "NORDEA PANKKI OYJ" },
	{ "2", "NDEAFIHH", "NORDEA PANKKI OYJ" },
	{ "4", "ITELFIHH", "S[[ST\\PANKKI" },
	{ "5", "OKOYFIHH", "OP OSUUSPANKKI" },
	{ "6", "AABAFI22", "[LANDSBANKEN" },
	{ "8", "DABAFIHH", "DANSKE BANK" },
};

static int
bank_of(const char *bban)
{
	size_t i;

	for (i = 0; i < sizeof bics / sizeof bics[0]; i++)
		if (strncmp(bban, bics[i].prefix, strlen(bics[i].prefix)) == 0)
			return (int)i;
	return -1;
}

/* ---- text */

struct sbuf {
	char *p;
	size_t n, cap;
};

static void
sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		die(3, "internal: line too long");
	sb_addn(b, tmp, (size_t)n);
}

/* XML text with the five predefined entities. */
static void
sb_xml(struct sbuf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': sb_addn(b, "&amp;", 5); break;
		case '<': sb_addn(b, "&lt;", 4); break;
		case '>': sb_addn(b, "&gt;", 4); break;
		case '"': sb_addn(b, "&quot;", 6); break;
		case '\'': sb_addn(b, "&apos;", 6); break;
		default: sb_addn(b, s, 1);
		}
}

/* <name>text</name> on its own line. */
static void
sb_elem(struct sbuf *b, const char *name, const char *text)
{
	sb_printf(b, "<%s>", name);
	sb_xml(b, text);
	sb_printf(b, "</%s>\n", name);
}

/* Next code point of UTF-8 text (our own literals: always well formed). */
static unsigned
utf8_next(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	unsigned c;

	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		c = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
		*sp += 2;
		return c;
	}
	c = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	*sp += 3;
	return c;
}

/* UTF-8 to ISO-8859-15 for the letters the scenario uses. */
static void
sb_to_latin9(struct sbuf *out, const char *s)
{
	unsigned c;
	char ch;

	while (*s) {
		c = utf8_next(&s);
		if (c == 0x20ac)
			ch = (char)0xa4;
		else if (c <= 0xff && c != 0xa4 && c != 0xa6 && c != 0xa8 &&
		    c != 0xb4 && c != 0xb8 && c != 0xbc && c != 0xbd &&
		    c != 0xbe)
			ch = (char)c;
		else
			die(3, "internal: U+%04X has no ISO-8859-15 form", c);
		sb_addn(out, &ch, 1);
	}
}

/* Upper-case bank text in the ISO 646-FI letters banks use in KTL/KTO:
 * [ = Ä, \ = Ö, ] = Å.  Cut or blank-padded to width. */
static void
bank_text(const char *s, char *out, size_t width)
{
	size_t n = 0;
	unsigned c;
	char ch;

	while (*s && n < width) {
		c = utf8_next(&s);
		if (c == 0xe4 || c == 0xc4)
			ch = '[';
		else if (c == 0xf6 || c == 0xd6)
			ch = '\\';
		else if (c == 0xe5 || c == 0xc5)
			ch = ']';
		else if (c == 0xe9 || c == 0xc9)
			ch = 'E';
		else if (c == 0xfc || c == 0xdc)
			ch = 'Y';
		else if (c >= 'a' && c <= 'z')
			ch = (char)(c - 'a' + 'A');
		else if (c >= 0x20 && c < 0x7f)
			ch = (char)c;
		else
			ch = '?';
		out[n++] = ch;
	}
	while (n < width)
		out[n++] = ' ';
	out[n] = '\0';
}

/* Cents as "-12,50" (Finvoice) or "-12.50" (records). */
static void
fmt_cents(int64_t c, char sep, char *buf, size_t size)
{
	uint64_t u = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;

	snprintf(buf, size, "%s%" PRIu64 "%c%02" PRIu64, c < 0 ? "-" : "",
	    u / 100, sep, u % 100);
}

/* ---- fixed-width records (KTL, KTO); positions are 1-based */

static void
fw_an(char *r, int pos, int len, const char *s)
{
	int i;

	for (i = 0; i < len && s[i]; i++)
		r[pos - 1 + i] = s[i];
}

static void
fw_num(char *r, int pos, int len, uint64_t v)
{
	int i;

	for (i = len - 1; i >= 0; i--) {
		r[pos - 1 + i] = (char)('0' + v % 10);
		v /= 10;
	}
	if (v != 0)
		die(3, "internal: number does not fit %d digits", len);
}

/* Sign character and 18 digits of cents. */
static void
fw_amount(char *r, int pos, int64_t v)
{
	r[pos - 1] = v < 0 ? '-' : '+';
	fw_num(r, pos + 1, 18, v < 0 ? (uint64_t)0 - (uint64_t)v :
	    (uint64_t)v);
}

/* ---- output files: written whole, checked on close */

static char *outdir;

static FILE *
open_out(const char *sub, const char *name, char *path, size_t size)
{
	FILE *fp;

	if (sub != NULL)
		snprintf(path, size, "%s/%s/%s", outdir, sub, name);
	else
		snprintf(path, size, "%s/%s", outdir, name);
	if ((fp = fopen(path, "wb")) == NULL)
		die(3, "%s: %s", path, strerror(errno));
	return fp;
}

static void
close_out(FILE *fp, const char *path)
{
	if (fflush(fp) != 0 || ferror(fp)) {
		fclose(fp);
		die(3, "%s: write error", path);
	}
	if (fclose(fp) != 0)
		die(3, "%s: %s", path, strerror(errno));
}

static void
make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die(3, "%s: %s", path, strerror(errno));
}

/* ---- the scenario */

#define COMPANY_NAME "Esimerkki Oy"
#define COMPANY_BID "1234567-1"
#define COMPANY_OVT "003712345671"

struct account {
	char bban[15];
	char iban[19];
	int bank;		/* index into bics[] */
	char group[3];		/* KTL bank group code */
	char service_id[10];	/* KTL creditor service id */
	int64_t balance;	/* running booked balance, cents */
	int64_t opening;	/* first day's opening balance */
};

static const char *fixed_bbans[] = {
	"12345600000785",	/* FI2112345600000785, Nordea */
	"50009420028730",	/* FI4950009420028730, OP */
	"42345670000081",	/* FI5542345670000081, savings bank */
};

/* Prefixes for further own accounts; the BBAN check digit is computed. */
static const char *more_prefixes[] = {
	"800012", "313130", "390011", "600010", "470017", "159030",
};

struct customer {
	const char *name, *street, *post, *town, *lang;
	const char *group, *flags;
	char bid[10];
};

static struct {
	const char *name, *street, *post, *town, *lang, *group, *flags;
} customer_pool[] = {
	{ "Kämppä Rakennus Oy", "Teollisuuskatu 14", "00510", "Helsinki", "FI", "", "" },
	{ "Pöllölä Ky", "Myllytie 3", "33100", "Tampere", "FI", "", "" },
	{ "Åbo Trä Ab", "Slottsgatan 21", "20100", "Turku", "SV", "premium", "" },
	{ "Mäkelä & Pöyhönen Oy", "Kauppakatu 7 A 2", "40100", "Jyväskylä", "FI", "", "" },
	{ "Öljy-Äijät Oy", "Satamatie 44", "90100", "Oulu", "FI", "nomonitor", "" },
	{ "Nordic Widgets Ltd", "Keilaranta 1", "02150", "Espoo", "EN", "", "" },
	{ "Järvisen Sähkö Oy", "Rantakatu 9", "65100", "Vaasa", "FI", "", "" },
	{ "Lähitapiola Kiinteistöt Oy", "Hämeenkatu 25", "15110", "Lahti", "FI", "vip", "" },
	{ "Borgå Bageri Ab", "Runebergsgatan 5", "06100", "Porvoo", "SV", "", "" },
	{ "Rovaniemen Kylmä Oy", "Valtakatu 30", "96100", "Rovaniemi", "FI", "", "" },
	{ "Kuopion Kärry Oy", "Puijonkatu 12", "70100", "Kuopio", "FI", "", "" },
	{ "Esimerkki Palvelut Oy", "Mannerheimintie 12 B", "00100", "Helsinki", "FI", "", "group-company" },
	{ "Sääksjärven Puutarha Ky", "Puutarhakuja 2", "37500", "Lempäälä", "FI", "", "" },
	{ "Vähä-Heikkilän Auto Oy", "Itäinen Pitkäkatu 60", "20700", "Turku", "FI", "", "" },
	{ "Österbottens Fisk Ab", "Strandgatan 4", "68600", "Jakobstad", "SV", "", "" },
	{ "Kärkkäinen Logistiikka Oy", "Varastotie 8", "80100", "Joensuu", "FI", "premium", "" },
	{ "Helsinki Code Works Oy", "Lönnrotinkatu 11", "00120", "Helsinki", "EN", "", "" },
	{ "Päijänteen Mökit Oy", "Laiturintie 1", "17200", "Vääksy", "FI", "", "" },
	{ "Ylöjärven Työkalu Oy", "Työkalutie 4", "33470", "Ylöjärvi", "FI", "", "" },
	{ "Hyvönen Tilitoimisto Ky", "Kirkkokatu 16", "50100", "Mikkeli", "FI", "", "" },
	{ "Ähtärin Sahat Oy", "Sahantie 99", "63700", "Ähtäri", "FI", "nomonitor", "" },
	{ "Granlund & Söderberg Ab", "Esplanaden 3", "10600", "Ekenäs", "SV", "", "" },
	{ "Koskelan Kahvila Oy", "Koskikatu 5", "33200", "Tampere", "FI", "", "" },
	{ "Lumiö Design Oy", "Fredrikinkatu 40", "00100", "Helsinki", "FI", "", "" },
};

#define NPOOL (sizeof customer_pool / sizeof customer_pool[0])

static const struct {
	const char *id, *name, *unit;
	int rate;			/* VAT, tenths of a percent */
	int64_t lo, hi;			/* VAT-excluded unit price, cents */
} articles[] = {
	{ "K-100", "Konsultointi", "h", 255, 8500, 12500 },
	{ "L-200", "Ohjelmistolisenssi", "kpl", 255, 4900, 49000 },
	{ "B-310", "Kirjat", "kpl", 100, 1290, 6990 },
	{ "R-420", "Ravintolapalvelu", "hlö", 140, 1850, 4500 },
	{ "H-500", "Huoltokäynti", "kpl", 255, 9900, 39000 },
	{ "T-610", "Tarvikkeet", "kpl", 255, 195, 2490 },
	{ "E-720", "Koulutuspäivä", "pv", 255, 45000, 120000 },
	{ "M-830", "Lehtitilaus", "kpl", 100, 990, 14900 },
	{ "S-940", "Säilytyspalvelu", "kk", 255, 2500, 25000 },
};

#define NARTICLES (sizeof articles / sizeof articles[0])

struct row {
	int article;
	int64_t qty;
	int64_t unit, excl, vat, amount;
};

enum fate {
	F_PAID, F_TWO_PARTS, F_PARTIAL, F_OVER, F_REVERSED, F_CREDIT_FULL,
	F_CREDIT_PART, F_UNPAID, F_RF_NATIONAL, F_CREDIT_NOTE, NFATES
};

static const char *fate_names[NFATES] = {
	"paid", "paid-two-parts", "partial", "over", "reversed",
	"credited-full", "credited-part", "unpaid", "paid-rf-national",
	"credit-note",
};

/* Weights for invoices after the first one of each fate. */
static const int fate_weight[NFATES] = { 40, 10, 10, 5, 5, 5, 5, 10, 10, 0 };

struct doc {
	char no[16];
	int credit;		/* 1: credit note */
	int orig;		/* credit note: index of the credited invoice */
	int credit_doc;		/* invoice: index of its credit note, or -1 */
	int cust, acct, day;
	int64_t date, due;
	char ref[24];		/* national reference */
	char rf[32];		/* RF form, when the document carries it */
	int nrows;
	struct row rows[MAXROWS];
	int64_t total;
	enum fate fate;
	int64_t paid, credited, over;
	int via_op;		/* --service op-laskulaina: paid to OP */
	int settled;		/* --service kassavirta: the service's
				 * settlement paid it */
	int64_t op_rep, op_int;	/* what OP took of it: repayment, interest */
	char file[64];
};

enum outcome { O_PAID, O_PARTIAL, O_OVER, O_UNKNOWN, O_DUPLICATE,
	O_REVERSED, O_REMAINDER };

static const char *outcome_names[] = {
	"paid", "partial", "over", "unknown", "duplicate", "reversed",
	"remainder",
};

struct payment {
	int acct, day;
	int64_t book, paydate;
	char archive[17];
	char ref[24];
	int cust;		/* payer, or -1 for a stranger */
	int64_t amount;
	int correction;
	enum outcome outcome;
	int doc;		/* -1: no invoice */
	char file[64];
	int line;
	const char *payer;	/* the payer's name, when not cust's */
};

static struct account accounts[MAXACCOUNTS];
static int naccounts;
static struct customer *customers;
static int ncustomers;
static struct doc *docs;
static int ndocs;
static struct payment *pays;
static int npays, cappays;
static int64_t *bdays;		/* the banking days of the scenario */
static int nbdays;
static int64_t prev_bday;	/* banking day before the first */
static unsigned archive_seq;

static int64_t
prev_banking_day(int64_t z)
{
	do
		z--;
	while (!is_banking_day(z));
	return z;
}

static void
setup_accounts(int n)
{
	int i, k;
	char body[15];

	for (i = 0; i < n; i++) {
		struct account *a = &accounts[i];

		if (i < 3)
			snprintf(a->bban, sizeof a->bban, "%s", fixed_bbans[i]);
		else {
			snprintf(body, sizeof body, "%s%07d",
			    more_prefixes[(i - 3) % 6], 100 + 37 * i);
			snprintf(a->bban, sizeof a->bban, "%.13s%d", body,
			    bban_check(body));
		}
		if (bban_check(a->bban) != a->bban[13] - '0')
			die(3, "internal: BBAN %s fails its check", a->bban);
		iban_make(a->bban, a->iban);
		if (!iban_valid(a->iban))
			die(3, "internal: IBAN %s invalid", a->iban);
		if ((k = bank_of(a->bban)) < 0)
			die(3, "internal: no bank for %s", a->bban);
		a->bank = k;
		if (a->bban[0] == '3' || a->bban[0] == '4' ||
		    a->bban[0] == '7')
			snprintf(a->group, sizeof a->group, "%.2s", a->bban);
		else
			snprintf(a->group, sizeof a->group, "%c ", a->bban[0]);
		snprintf(a->service_id, sizeof a->service_id, "%09d",
		    12345671 + 1000 * i);
		a->opening = a->balance = 2500000 + 750000 * i +
		    rnd_range(0, 99999);
	}
	naccounts = n;
}

static void
setup_customers(int ninvoices)
{
	int i;
	char body[8];

	ncustomers = ninvoices / 3;
	if (ncustomers < 4)
		ncustomers = 4;
	if (ncustomers > (int)NPOOL)
		ncustomers = (int)NPOOL;
	customers = xcalloc((size_t)ncustomers, sizeof *customers);
	for (i = 0; i < ncustomers; i++) {
		struct customer *c = &customers[i];
		int chk;

		c->name = customer_pool[i].name;
		c->street = customer_pool[i].street;
		c->post = customer_pool[i].post;
		c->town = customer_pool[i].town;
		c->lang = customer_pool[i].lang;
		c->group = customer_pool[i].group;
		c->flags = customer_pool[i].flags;
		do {
			snprintf(body, sizeof body, "%07d",
			    (int)rnd_range(100000, 3299999));
		} while ((chk = business_id_check(body)) < 0);
		snprintf(c->bid, sizeof c->bid, "%.7s-%c", body, '0' + chk);
		if (!business_id_valid(c->bid))
			die(3, "internal: business id %s", c->bid);
	}
}

static int64_t
vat_of(int64_t excl, int rate)
{
	int64_t a = excl < 0 ? -excl : excl;
	int64_t v = (a * rate + 500) / 1000;	/* half up, in cents */

	return excl < 0 ? -v : v;
}

static void
row_compute(struct row *r)
{
	r->excl = r->qty * r->unit;
	r->vat = vat_of(r->excl, articles[r->article].rate);
	r->amount = r->excl + r->vat;
}

static void
doc_total(struct doc *d)
{
	int i;

	d->total = 0;
	for (i = 0; i < d->nrows; i++)
		d->total += d->rows[i].amount;
}

static struct payment *
new_payment(int acct, int day, int64_t amount, const char *ref, int cust,
    enum outcome o, int doc)
{
	struct payment *p;
	int64_t back;
	static const char *codes[] = { "OP", "ND", "DA", "SP", "AK", "HA" };
	char yymmdd[7];

	if (npays == cappays) {
		cappays = cappays ? cappays * 2 : 64;
		pays = xrealloc(pays, (size_t)cappays * sizeof *pays);
	}
	p = &pays[npays++];
	memset(p, 0, sizeof *p);
	p->acct = acct;
	p->day = day;
	p->book = bdays[day];
	back = rnd_range(0, 2);
	p->paydate = p->book - back;
	if (doc >= 0 && p->paydate < docs[doc].date)
		p->paydate = docs[doc].date;
	fmt_yymmdd(p->paydate, yymmdd);
	snprintf(p->archive, sizeof p->archive, "%s%s%08u", yymmdd,
	    codes[rnd() % 6], ++archive_seq);
	snprintf(p->ref, sizeof p->ref, "%s", ref);
	p->cust = cust;
	p->amount = amount;
	p->outcome = o;
	p->doc = doc;
	return p;
}

/* Payment with the invoice's national reference (also for RF invoices:
 * KTL carries only the numeric form). */
static struct payment *
pay_doc(int i, int day, int64_t amount, enum outcome o)
{
	struct doc *d = &docs[i];

	return new_payment(d->acct, day, amount, d->ref, d->cust, o, i);
}

static void
make_rows(struct doc *d, int minrows)
{
	int i;

	d->nrows = (int)rnd_range(minrows, MAXROWS);
	for (i = 0; i < d->nrows; i++) {
		struct row *r = &d->rows[i];

		r->article = (int)(rnd() % NARTICLES);
		r->qty = rnd_range(1, articles[r->article].unit[0] == 'h' ?
		    12 : 6);
		r->unit = rnd_range(articles[r->article].lo,
		    articles[r->article].hi);
		row_compute(r);
	}
	doc_total(d);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
make_documents(int ninv, unsigned yy)
{
	enum fate *fates;
	int64_t *days;
	int i, j, nid, wsum = 0;

	nid = nbdays / 3;
	if (nid < 1)
		nid = 1;
	fates = xcalloc((size_t)ninv, sizeof *fates);
	for (i = 0; i < NFATES; i++)
		wsum += fate_weight[i];
	for (i = 0; i < ninv; i++) {
		if (i < F_CREDIT_NOTE)
			fates[i] = (enum fate)i;
		else {
			int w = (int)(rnd() % (uint64_t)wsum);

			for (j = 0; w >= fate_weight[j]; j++)
				w -= fate_weight[j];
			fates[i] = (enum fate)j;
		}
	}
	for (i = ninv - 1; i > 0; i--) {
		enum fate t;

		j = (int)(rnd() % (uint64_t)(i + 1));
		t = fates[i];
		fates[i] = fates[j];
		fates[j] = t;
	}
	days = xcalloc((size_t)ninv, sizeof *days);
	for (i = 0; i < ninv; i++)
		days[i] = rnd_range(0, nid - 1);
	qsort(days, (size_t)ninv, sizeof *days, cmp_int64);

	/* Credit notes come after the invoices in the array. */
	docs = xcalloc((size_t)ninv * 2, sizeof *docs);
	for (i = 0; i < ninv; i++) {
		struct doc *d = &docs[i];
		char base[16];

		snprintf(d->no, sizeof d->no, "%02u%05d", yy, 1001 + i);
		d->orig = -1;
		d->credit_doc = -1;
		d->cust = (int)(rnd() % (uint64_t)ncustomers);
		d->acct = i % naccounts;
		d->day = (int)days[i];
		d->date = bdays[d->day];
		d->due = d->date + 14;
		d->fate = fates[i];
		snprintf(base, sizeof base, "%s", d->no);
		ref_make(base, d->ref);
		if (d->fate == F_RF_NATIONAL ||
		    (d->fate != F_CREDIT_FULL && d->fate != F_CREDIT_PART &&
		    rnd() % 7 == 0))
			rf_make(d->ref, d->rf);
		if (d->rf[0] && !rf_valid(d->rf))
			die(3, "internal: RF %s invalid", d->rf);
		make_rows(d, d->fate == F_CREDIT_PART ? 2 : 1);
	}
	ndocs = ninv;
	for (i = 0; i < ninv; i++) {
		struct doc *d = &docs[i], *c;
		int r;

		if (d->fate != F_CREDIT_FULL && d->fate != F_CREDIT_PART)
			continue;
		c = &docs[ndocs];
		*c = *d;
		snprintf(c->no, sizeof c->no, "%02u%05d", yy, 1001 + ndocs);
		c->credit = 1;
		c->orig = i;
		c->credit_doc = -1;
		c->day = d->day + 1;
		c->date = bdays[c->day];
		c->due = d->due;
		c->fate = F_CREDIT_NOTE;
		if (d->fate == F_CREDIT_FULL) {
			for (r = 0; r < c->nrows; r++) {
				c->rows[r].qty = -c->rows[r].qty;
				row_compute(&c->rows[r]);
			}
		} else {
			/* Credit the last row only. */
			c->rows[0] = d->rows[d->nrows - 1];
			c->rows[0].qty = -c->rows[0].qty;
			row_compute(&c->rows[0]);
			c->nrows = 1;
		}
		doc_total(c);
		d->credit_doc = ndocs;
		d->credited = -c->total;
		ndocs++;
	}
	free(fates);
	free(days);
}

/* Split of a total into a share between lo% and hi%, at least 1 cent
 * and at most total - 1 cent. */
static int64_t
share(int64_t total, int lo, int hi)
{
	int64_t a = total * rnd_range(lo, hi) / 100;

	if (a < 1)
		a = 1;
	if (a > total - 1)
		a = total - 1;
	return a;
}

static void
make_payments(void)
{
	int i, n, last = nbdays - 1;
	struct payment *p;
	char yymmdd[7];

	for (i = 0; i < ndocs; i++) {
		struct doc *d = &docs[i];
		int day, day2;
		int64_t a;

		switch (d->fate) {
		case F_PAID:
		case F_RF_NATIONAL:
			pay_doc(i, (int)rnd_range(d->day + 1, last), d->total,
			    O_PAID);
			d->paid = d->total;
			break;
		case F_TWO_PARTS:
			day = (int)rnd_range(d->day + 1, last - 1);
			day2 = (int)rnd_range(day + 1, last);
			a = share(d->total, 30, 70);
			pay_doc(i, day, a, O_PARTIAL);
			pay_doc(i, day2, d->total - a, O_PAID);
			d->paid = d->total;
			break;
		case F_PARTIAL:
			a = share(d->total, 20, 45);
			pay_doc(i, (int)rnd_range(d->day + 1, last), a,
			    O_PARTIAL);
			d->paid = a;
			break;
		case F_OVER:
			d->over = rnd_range(100, 5000);
			pay_doc(i, (int)rnd_range(d->day + 1, last),
			    d->total + d->over, O_OVER);
			d->paid = d->total + d->over;
			break;
		case F_REVERSED:
			day = (int)rnd_range(d->day + 1, last - 1);
			pay_doc(i, day, d->total, O_PAID);
			p = pay_doc(i, day + 1, d->total, O_REVERSED);
			p->correction = 1;
			p->paydate = p->book;
			fmt_yymmdd(p->book, yymmdd);
			memcpy(p->archive, yymmdd, 6);
			d->paid = 0;
			break;
		case F_CREDIT_PART:
			a = d->total - d->credited;
			pay_doc(i, (int)rnd_range(docs[d->credit_doc].day + 1,
			    last), a, O_PAID);
			d->paid = a;
			break;
		case F_CREDIT_FULL:
		case F_UNPAID:
		case F_CREDIT_NOTE:
		case NFATES:
			break;
		}
	}

	/* Strays: references nobody issued, and bad check digits. */
	n = ndocs / 30 + 1;
	for (i = 0; i < n; i++) {
		char base[16], ref[24];
		int day, acct, j, k;

		/* Into a batch that would be empty, if there is one. */
		day = (int)rnd_range(0, last);
		acct = (int)(rnd() % (uint64_t)naccounts);
		for (k = 0; k < nbdays * naccounts; k++) {
			for (j = 0; j < npays; j++)
				if (pays[j].day == k / naccounts &&
				    pays[j].acct == k % naccounts)
					break;
			if (j == npays) {
				day = k / naccounts;
				acct = k % naccounts;
				break;
			}
		}
		snprintf(base, sizeof base, "9%06d", (int)rnd_range(0, 999999));
		ref_make(base, ref);
		new_payment(acct, day, rnd_range(500, 90000), ref, -1,
		    O_UNKNOWN, -1);
	}
	for (i = 0; i < n; i++) {
		char ref[24];
		size_t len;
		int j, k = -1, seen = 0;

		/* Prefer an unpaid invoice's reference with a wrong check
		 * digit: applying it anyway would show in the open amount. */
		for (j = 0; j < ndocs && k < 0; j++)
			if (docs[j].fate == F_UNPAID && seen++ == i)
				k = j;
		if (k < 0)
			k = (int)(rnd() % (uint64_t)ndocs);
		snprintf(ref, sizeof ref, "%s", docs[k].ref);
		len = strlen(ref);
		ref[len - 1] = (char)('0' + (ref[len - 1] - '0' + 1 +
		    (int)(rnd() % 9)) % 10);
		new_payment(docs[k].acct, (int)rnd_range(docs[k].day + 1,
		    last), docs[k].total, ref, docs[k].cust, O_UNKNOWN, -1);
	}

	/* A partial payment re-delivered in the next day's file of the same
	 * account: same archive id, amount, dates, account. */
	for (i = 0; i < npays; i++)
		if (pays[i].outcome == O_PARTIAL && pays[i].day < last &&
		    docs[pays[i].doc].fate == F_PARTIAL)
			break;
	if (i < npays) {
		struct payment copy = pays[i];

		p = new_payment(copy.acct, copy.day + 1, copy.amount, copy.ref,
		    copy.cust, O_DUPLICATE, copy.doc);
		archive_seq--;
		snprintf(p->archive, sizeof p->archive, "%s", copy.archive);
		p->book = copy.book;
		p->paydate = copy.paydate;
	}
}

/* ---- Finvoice */

static void
amount_elem(struct sbuf *b, const char *name, int64_t c)
{
	char buf[32];

	fmt_cents(c, ',', buf, sizeof buf);
	sb_printf(b, "<%s AmountCurrencyIdentifier=\"EUR\">%s</%s>\n", name,
	    buf, name);
}

static void
date_elem(struct sbuf *b, const char *name, int64_t z)
{
	char buf[9];

	fmt_ccyymmdd(z, buf);
	sb_printf(b, "<%s Format=\"CCYYMMDD\">%s</%s>\n", name, buf, name);
}

static const char *
rate_text(int rate)
{
	switch (rate) {
	case 255: return "25,5";
	case 140: return "14";
	case 100: return "10";
	default: return "0";
	}
}

static void
timestamp(int64_t date, char *buf, size_t size)
{
	char iso[11];

	fmt_iso(date, iso);
	snprintf(buf, size, "%sT08:%02d:00+02:00", iso, 0);
}

static void
soap_frame(struct sbuf *b, const struct doc *d)
{
	const struct customer *c = &customers[d->cust];
	char ts[40], to[16];
	const char *bid = c->bid;

	timestamp(d->date, ts, sizeof ts);
	snprintf(to, sizeof to, "0037%.7s%c", bid, bid[8]);
	sb_printf(b, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:eb=\"http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd\">\n");
	sb_printf(b, "<SOAP-ENV:Header>\n");
	sb_printf(b, "<eb:MessageHeader xmlns:eb=\"http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd\" SOAP-ENV:mustUnderstand=\"1\">\n");
	sb_printf(b, "<eb:From>\n<eb:PartyId>%s</eb:PartyId>\n<eb:Role>Sender</eb:Role>\n</eb:From>\n", COMPANY_OVT);
	sb_printf(b, "<eb:From>\n<eb:PartyId>%s</eb:PartyId>\n<eb:Role>Intermediator</eb:Role>\n</eb:From>\n", bics[accounts[d->acct].bank].bic);
	sb_printf(b, "<eb:To>\n<eb:PartyId>%s</eb:PartyId>\n<eb:Role>Receiver</eb:Role>\n</eb:To>\n", to);
	sb_printf(b, "<eb:To>\n<eb:PartyId>003721276205</eb:PartyId>\n<eb:Role>Intermediator</eb:Role>\n</eb:To>\n");
	sb_printf(b, "<eb:CPAId>yoursandmycpa</eb:CPAId>\n<eb:ConversationId></eb:ConversationId>\n<eb:Service>Routing</eb:Service>\n<eb:Action>ProcessInvoice</eb:Action>\n");
	sb_printf(b, "<eb:MessageData>\n<eb:MessageId>ESIM-%s</eb:MessageId>\n<eb:Timestamp>%s</eb:Timestamp>\n<eb:RefToMessageId/>\n</eb:MessageData>\n", d->no, ts);
	sb_printf(b, "</eb:MessageHeader>\n</SOAP-ENV:Header>\n<SOAP-ENV:Body>\n");
	sb_printf(b, "<eb:Manifest eb:id=\"Manifest\" eb:version=\"2.0\">\n<eb:Reference eb:id=\"Finvoice\" xlink:href=\"ESIM-%s\">\n", d->no);
	sb_printf(b, "<eb:schema eb:location=\"http://www.finvoice.info/finvoice.xsd\" eb:version=\"3.0\"/>\n</eb:Reference>\n</eb:Manifest>\n</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n");
}

static void
finvoice(struct sbuf *b, const struct doc *d, int framed)
{
	const struct customer *c = &customers[d->cust];
	const struct account *acc = &accounts[d->acct];
	const struct doc *orig = d->credit ? &docs[d->orig] : NULL;
	int64_t excl = 0, vat = 0;
	int i, k, rates[3] = { 255, 140, 100 };
	char buf[64];

	sb_printf(b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n",
	    framed ? "ISO-8859-15" : "UTF-8");
	sb_printf(b, "<?xml-stylesheet type=\"text/xsl\" href=\"Finvoice.xsl\"?>\n");
	sb_printf(b, "<Finvoice Version=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"Finvoice3.0.xsd\">\n");
	if (framed) {
		char ts[40];

		timestamp(d->date, ts, sizeof ts);
		sb_printf(b, "<MessageTransmissionDetails>\n<MessageSenderDetails>\n<FromIdentifier>%s</FromIdentifier>\n<FromIntermediator>%s</FromIntermediator>\n</MessageSenderDetails>\n", COMPANY_OVT, bics[acc->bank].bic);
		sb_printf(b, "<MessageReceiverDetails>\n<ToIdentifier>0037%.7s%c</ToIdentifier>\n<ToIntermediator>003721276205</ToIntermediator>\n</MessageReceiverDetails>\n", c->bid, c->bid[8]);
		sb_printf(b, "<MessageDetails>\n<MessageIdentifier>ESIM-%s</MessageIdentifier>\n<MessageTimeStamp>%s</MessageTimeStamp>\n</MessageDetails>\n</MessageTransmissionDetails>\n", d->no, ts);
	}
	sb_printf(b, "<SellerPartyDetails>\n");
	sb_elem(b, "SellerPartyIdentifier", COMPANY_BID);
	sb_elem(b, "SellerOrganisationName", COMPANY_NAME);
	sb_elem(b, "SellerOrganisationTaxCode", "FI12345671");
	sb_printf(b, "<SellerPostalAddressDetails>\n");
	sb_elem(b, "SellerStreetName", "Mannerheimintie 12 B");
	sb_elem(b, "SellerTownName", "Helsinki");
	sb_elem(b, "SellerPostCodeIdentifier", "00100");
	sb_elem(b, "CountryCode", "FI");
	sb_printf(b, "</SellerPostalAddressDetails>\n</SellerPartyDetails>\n");
	sb_elem(b, "SellerOrganisationUnitNumber", COMPANY_OVT);
	sb_elem(b, "SellerContactPersonName", "Liisa Järvinen");
	sb_printf(b, "<SellerCommunicationDetails>\n");
	sb_elem(b, "SellerPhoneNumberIdentifier", "09 123 4567");
	sb_elem(b, "SellerEmailaddressIdentifier", "laskutus@esimerkki.fi");
	sb_printf(b, "</SellerCommunicationDetails>\n<SellerInformationDetails>\n");
	sb_elem(b, "SellerHomeTownName", "Helsinki");
	sb_elem(b, "SellerVatRegistrationText", "Alv.Rek");
	for (i = 0; i < naccounts; i++)
		sb_printf(b, "<SellerAccountDetails>\n<SellerAccountID IdentificationSchemeName=\"IBAN\">%s</SellerAccountID>\n<SellerBic IdentificationSchemeName=\"BIC\">%s</SellerBic>\n</SellerAccountDetails>\n",
		    accounts[i].iban, bics[accounts[i].bank].bic);
	sb_printf(b, "</SellerInformationDetails>\n<InvoiceRecipientPartyDetails>\n");
	sb_elem(b, "InvoiceRecipientPartyIdentifier", c->bid);
	sb_elem(b, "InvoiceRecipientOrganisationName", c->name);
	sb_printf(b, "<InvoiceRecipientPostalAddressDetails>\n");
	sb_elem(b, "InvoiceRecipientStreetName", c->street);
	sb_elem(b, "InvoiceRecipientTownName", c->town);
	sb_elem(b, "InvoiceRecipientPostCodeIdentifier", c->post);
	sb_elem(b, "CountryCode", "FI");
	sb_printf(b, "</InvoiceRecipientPostalAddressDetails>\n</InvoiceRecipientPartyDetails>\n");
	sb_elem(b, "InvoiceRecipientLanguageCode", c->lang);
	sb_printf(b, "<BuyerPartyDetails>\n");
	sb_elem(b, "BuyerPartyIdentifier", c->bid);
	sb_elem(b, "BuyerOrganisationName", c->name);
	snprintf(buf, sizeof buf, "FI%.7s%c", c->bid, c->bid[8]);
	sb_elem(b, "BuyerOrganisationTaxCode", buf);
	sb_printf(b, "<BuyerPostalAddressDetails>\n");
	sb_elem(b, "BuyerStreetName", c->street);
	sb_elem(b, "BuyerTownName", c->town);
	sb_elem(b, "BuyerPostCodeIdentifier", c->post);
	sb_elem(b, "CountryCode", "FI");
	sb_printf(b, "</BuyerPostalAddressDetails>\n</BuyerPartyDetails>\n");

	sb_printf(b, "<InvoiceDetails>\n");
	if (d->credit) {
		sb_elem(b, "InvoiceTypeCode", "INV02");
		sb_elem(b, "InvoiceTypeCodeUN", "381");
		sb_elem(b, "InvoiceTypeText", "HYVITYSLASKU");
	} else {
		sb_elem(b, "InvoiceTypeCode", "INV01");
		sb_elem(b, "InvoiceTypeCodeUN", "380");
		sb_elem(b, "InvoiceTypeText", "LASKU");
	}
	sb_elem(b, "OriginCode", "Original");
	sb_elem(b, "InvoiceNumber", d->no);
	date_elem(b, "InvoiceDate", d->date);
	if (orig != NULL) {
		sb_elem(b, "OriginalInvoiceNumber", orig->no);
		date_elem(b, "OriginalInvoiceDate", orig->date);
	}
	for (i = 0; i < d->nrows; i++) {
		excl += d->rows[i].excl;
		vat += d->rows[i].vat;
	}
	amount_elem(b, "RowsTotalVatExcludedAmount", excl);
	amount_elem(b, "InvoiceTotalVatExcludedAmount", excl);
	amount_elem(b, "InvoiceTotalVatAmount", vat);
	amount_elem(b, "InvoiceTotalVatIncludedAmount", d->total);
	for (k = 0; k < 3; k++) {
		int64_t base = 0, rv = 0;
		int any = 0;

		for (i = 0; i < d->nrows; i++)
			if (articles[d->rows[i].article].rate == rates[k]) {
				base += d->rows[i].excl;
				rv += d->rows[i].vat;
				any = 1;
			}
		if (!any)
			continue;
		sb_printf(b, "<VatSpecificationDetails>\n");
		amount_elem(b, "VatBaseAmount", base);
		sb_elem(b, "VatRatePercent", rate_text(rates[k]));
		sb_elem(b, "VatCode", "S");
		amount_elem(b, "VatRateAmount", rv);
		sb_printf(b, "</VatSpecificationDetails>\n");
	}
	if (orig != NULL) {
		snprintf(buf, sizeof buf, "Hyvitys laskusta %s", orig->no);
		sb_elem(b, "InvoiceFreeText", buf);
	} else
		sb_elem(b, "InvoiceFreeText", "Kiitos tilauksestanne. Viivästyskorko korkolain mukaan.");
	sb_printf(b, "<PaymentTermsDetails>\n");
	sb_elem(b, "PaymentTermsFreeText", "14 pv netto");
	date_elem(b, "InvoiceDueDate", d->due);
	sb_printf(b, "</PaymentTermsDetails>\n</InvoiceDetails>\n");

	for (i = 0; i < d->nrows; i++) {
		const struct row *r = &d->rows[i];

		sb_printf(b, "<InvoiceRow>\n");
		sb_elem(b, "ArticleIdentifier", articles[r->article].id);
		sb_elem(b, "ArticleName", articles[r->article].name);
		sb_printf(b, "<InvoicedQuantity QuantityUnitCode=\"");
		sb_xml(b, articles[r->article].unit);
		sb_printf(b, "\">%" PRId64 "</InvoicedQuantity>\n", r->qty);
		amount_elem(b, "UnitPriceAmount", r->unit);
		sb_printf(b, "<RowPositionIdentifier>%d</RowPositionIdentifier>\n", i + 1);
		sb_elem(b, "RowVatRatePercent",
		    rate_text(articles[r->article].rate));
		sb_elem(b, "RowVatCode", "S");
		amount_elem(b, "RowVatAmount", r->vat);
		amount_elem(b, "RowVatExcludedAmount", r->excl);
		amount_elem(b, "RowAmount", r->amount);
		sb_printf(b, "</InvoiceRow>\n");
	}

	sb_printf(b, "<EpiDetails>\n<EpiIdentificationDetails>\n");
	date_elem(b, "EpiDate", d->date);
	sb_elem(b, "EpiReference", d->rf[0] ? d->rf : d->ref);
	sb_printf(b, "</EpiIdentificationDetails>\n<EpiPartyDetails>\n<EpiBfiPartyDetails>\n");
	sb_printf(b, "<EpiBfiIdentifier IdentificationSchemeName=\"BIC\">%s</EpiBfiIdentifier>\n", bics[acc->bank].bic);
	sb_printf(b, "</EpiBfiPartyDetails>\n<EpiBeneficiaryPartyDetails>\n");
	sb_elem(b, "EpiNameAddressDetails", COMPANY_NAME);
	sb_printf(b, "<EpiAccountID IdentificationSchemeName=\"IBAN\">%s</EpiAccountID>\n", acc->iban);
	sb_printf(b, "</EpiBeneficiaryPartyDetails>\n</EpiPartyDetails>\n<EpiPaymentInstructionDetails>\n");
	sb_printf(b, "<EpiRemittanceInfoIdentifier IdentificationSchemeName=\"%s\">%s</EpiRemittanceInfoIdentifier>\n",
	    d->rf[0] ? "ISO" : "SPY", d->rf[0] ? d->rf : d->ref);
	amount_elem(b, "EpiInstructedAmount", d->total);
	sb_printf(b, "<EpiCharge ChargeOption=\"SHA\">SHA</EpiCharge>\n");
	date_elem(b, "EpiDateOptionDate", d->due);
	sb_printf(b, "<EpiPaymentMeansCode>58</EpiPaymentMeansCode>\n");
	sb_printf(b, "</EpiPaymentInstructionDetails>\n</EpiDetails>\n</Finvoice>\n");
}

/* Text with LF line ends to CRLF. */
static void
sb_crlf(struct sbuf *out, const struct sbuf *in)
{
	size_t i;

	for (i = 0; i < in->n; i++) {
		if (in->p[i] == '\n')
			sb_addn(out, "\r", 1);
		sb_addn(out, in->p + i, 1);
	}
}

static int
cmp_doc_day(const void *a, const void *b)
{
	const struct doc *x = &docs[*(const int *)a];
	const struct doc *y = &docs[*(const int *)b];

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return *(const int *)a < *(const int *)b ? -1 :
	    *(const int *)a > *(const int *)b;
}

static void
write_invoices(void)
{
	int *order, i, j, n, nfiles = 0, seq = 0, lastday = -1;
	char path[4096], name[64], date[9];

	order = xcalloc((size_t)ndocs, sizeof *order);
	for (i = 0; i < ndocs; i++)
		order[i] = i;
	qsort(order, (size_t)ndocs, sizeof *order, cmp_doc_day);
	for (i = 0; i < ndocs; i += n) {
		struct sbuf text = { 0 }, bytes = { 0 };
		int day = docs[order[i]].day, framed;
		FILE *fp;

		if (day != lastday)
			seq = 0;
		lastday = day;
		for (n = 1; i + n < ndocs && docs[order[i + n]].day == day; n++)
			;
		/* The first file is a plain document, the second a framed
		 * batch, then at random. */
		framed = nfiles == 0 ? 0 : nfiles == 1 ? 1 : rnd() % 2;
		if (!framed)
			n = 1;
		else if (n > 2)
			n = (int)rnd_range(2, n < 4 ? n : 4);
		nfiles++;
		fmt_ccyymmdd(bdays[day], date);
		snprintf(name, sizeof name, "%s-%02d-finvoice%s.xml", date,
		    ++seq, framed ? "-soap" : "");
		for (j = 0; j < n; j++) {
			struct doc *d = &docs[order[i + j]];

			if (framed)
				soap_frame(&text, d);
			finvoice(&text, d, framed);
			snprintf(d->file, sizeof d->file, "%s", name);
		}
		if (framed) {
			struct sbuf l9 = { 0 };

			sb_to_latin9(&l9, text.p);
			sb_crlf(&bytes, &l9);
			free(l9.p);
		} else
			bytes = text, text.p = NULL;
		fp = open_out("in", name, path, sizeof path);
		fwrite(bytes.p, 1, bytes.n, fp);
		close_out(fp, path);
		free(text.p);
		free(bytes.p);
	}
	free(order);
}

/* ---- KTL and KTO */

static void
put_record(FILE *fp, char *r, int len)
{
	fwrite(r, 1, (size_t)len, fp);
	fputs("\r\n", fp);
}

static void
ktl_batch_record(char *r, const struct account *a, int64_t created,
    int hhmm)
{
	char yymmdd[7];

	memset(r, ' ', 90);
	fmt_yymmdd(created, yymmdd);
	r[0] = '0';
	fw_an(r, 2, 6, yymmdd);
	fw_num(r, 8, 4, (uint64_t)hhmm);
	fw_an(r, 12, 2, a->group);
	fw_an(r, 14, 9, a->service_id);
	r[22] = '1';
}

static void
ktl_payment_record(char *r, const struct account *a, const char *archive,
    int64_t book, int64_t paydate, const char *ref, const char *payer,
    int64_t amount, int correction)
{
	char yymmdd[7], name[13];

	memset(r, ' ', 90);
	r[0] = '3';
	fw_an(r, 2, 14, a->bban);
	fmt_yymmdd(book, yymmdd);
	fw_an(r, 16, 6, yymmdd);
	fmt_yymmdd(paydate, yymmdd);
	fw_an(r, 22, 6, yymmdd);
	fw_an(r, 28, 16, archive);
	memset(r + 43, '0', 20);
	memcpy(r + 63 - strlen(ref), ref, strlen(ref));
	bank_text(payer, name, 12);
	fw_an(r, 64, 12, name);
	r[75] = '1';
	r[76] = 'A';
	fw_num(r, 78, 10, (uint64_t)amount);
	r[87] = (char)('0' + correction);
	r[88] = 'A';
}

static void
ktl_sum_record(char *r, int n, int64_t sum, int nc, int64_t csum)
{
	memset(r, ' ', 90);
	r[0] = '9';
	fw_num(r, 2, 6, (uint64_t)n);
	fw_num(r, 8, 11, (uint64_t)sum);
	fw_num(r, 19, 6, (uint64_t)nc);
	fw_num(r, 25, 11, (uint64_t)csum);
	fw_num(r, 36, 6, 0);
	fw_num(r, 42, 11, 0);
}

static const char *
payer_name(const struct payment *p)
{
	static const char *strangers[] = {
		"Matti Meikäläinen", "Tuntematon Maksaja", "Ässä Kauppa",
		"Virtanen Pekka",
	};

	if (p->payer != NULL)
		return p->payer;
	if (p->cust >= 0)
		return customers[p->cust].name;
	return strangers[(p->archive[13] - '0') % 4];
}

static int
cmp_pay(const void *a, const void *b)
{
	const struct payment *x = &pays[*(const int *)a];
	const struct payment *y = &pays[*(const int *)b];

	if (x->book != y->book)
		return x->book < y->book ? -1 : 1;
	return *(const int *)a < *(const int *)b ? -1 :
	    *(const int *)a > *(const int *)b;
}

struct ktl_sum {
	int n, nc;
	int64_t sum, csum;
};

/* One KTL file: batch 0, the payments of (day, account), sum record 9. */
static void
write_ktl(int day, int acct, const char *name, struct ktl_sum *s)
{
	char path[4096], r[91];
	int *idx, n = 0, i, line = 1;
	FILE *fp;
	const struct account *a = &accounts[acct];

	idx = xcalloc((size_t)npays, sizeof *idx);
	for (i = 0; i < npays; i++)
		if (pays[i].day == day && pays[i].acct == acct)
			idx[n++] = i;
	qsort(idx, (size_t)n, sizeof *idx, cmp_pay);
	memset(s, 0, sizeof *s);
	fp = open_out("in", name, path, sizeof path);
	ktl_batch_record(r, a, bdays[day], 530 + acct);
	put_record(fp, r, 90);
	for (i = 0; i < n; i++) {
		struct payment *p = &pays[idx[i]];

		ktl_payment_record(r, a, p->archive, p->book, p->paydate,
		    p->ref, payer_name(p), p->amount, p->correction);
		put_record(fp, r, 90);
		snprintf(p->file, sizeof p->file, "%s", name);
		p->line = ++line;
		if (p->correction) {
			s->nc++;
			s->csum += p->amount;
		} else {
			s->n++;
			s->sum += p->amount;
		}
	}
	ktl_sum_record(r, s->n, s->sum, s->nc, s->csum);
	put_record(fp, r, 90);
	close_out(fp, path);
	free(idx);
}

struct entry {
	int code, type;
	const char *text;
	char name[64];
	int64_t amount;
	int count;		/* T11 01, or 0 */
	char msg[2][36];	/* T11 00 blocks */
	int nmsg;
	char ref[24];		/* the entry's reference, or "" */
};

static unsigned kto_archive_seq;

/* Entries a financing service adds to the statements (--service): on
 * account acct (-1: OP's virtual account) on banking day day. */
struct xentry {
	int day, acct;
	struct entry e;
};

static struct xentry *xents;
static int nxents;

static int
count_xentries(int day, int acct)
{
	int i, n = 0;

	for (i = 0; i < nxents; i++)
		n += xents[i].day == day && xents[i].acct == acct;
	return n;
}

/* The statement of account a (number acct, -1 for the virtual account)
 * on day: the usual entries when plain, then the service's. */
static void
write_statement(int day, int acct, struct account *a, int plain,
    const struct ktl_sum *s, const char *name)
{
	struct entry *e;
	int ne = 0, i, nrec, ncred = 0, ndeb = 0;
	int64_t credits = 0, debits = 0, opening, closing, z = bdays[day];
	char path[4096], r[400], yymmdd[7], text[40], buf[40];
	FILE *fp;
	int y, m, d;

	ymd_from_days(z, &y, &m, &d);
	e = xcalloc((size_t)(4 + count_xentries(day, acct)), sizeof *e);
	if (!plain)
		goto service;
	if (day == 0) {
		e[ne].code = 730;
		e[ne].type = 2;
		e[ne].text = "PALVELUMAKSU";
		snprintf(e[ne].name, sizeof e[ne].name, "%s",
		    bics[a->bank].bank);
		e[ne].amount = -(1250 + 250 * acct);
		snprintf(e[ne].msg[0], 36, "TILINHOITOMAKSU %02d/%04d",
		    m == 1 ? 12 : m - 1, m == 1 ? y - 1 : y);
		e[ne].nmsg = 1;
		ne++;
	}
	if (s->n + s->nc > 0) {
		e[ne].code = 705;
		e[ne].amount = s->sum - s->csum;
		e[ne].type = e[ne].amount < 0 ? 3 : 1;
		e[ne].text = "SAAPUVAT VIITEMAKSUT";
		e[ne].count = s->n + s->nc;
		ne++;
	}
	if (rnd() % 2 == 0) {
		static const char *shops[] = {
			"K-Market Kamppi", "Neste Kärkkäinen", "Tokmanni",
			"Rautakesko Ylöjärvi", "Alepa Töölö",
		};
		int k = (int)(rnd() % 5);

		e[ne].code = 721;
		e[ne].type = 2;
		e[ne].text = "KORTTIOSTO";
		snprintf(e[ne].name, sizeof e[ne].name, "%s", shops[k]);
		e[ne].amount = -rnd_range(495, 25000);
		snprintf(e[ne].msg[0], 36, "KORTTI 4581 ******** %04d",
		    1234 + acct);
		fmt_iso(z, buf);
		snprintf(e[ne].msg[1], 36, "OSTOPV %.10s", buf);
		e[ne].nmsg = 2;
		ne++;
	}
	if (acct == 0 && day == (nbdays - 1) / 2) {
		e[ne].code = 720;
		e[ne].type = 2;
		e[ne].text = "PALKAT";
		snprintf(e[ne].name, sizeof e[ne].name, "Esimerkki Oy palkat");
		e[ne].amount = -rnd_range(900000, 1400000);
		snprintf(e[ne].msg[0], 36, "PALKAT %02d/%04d", m, y);
		snprintf(e[ne].msg[1], 36, "6 HENKILÖÄ");
		e[ne].nmsg = 2;
		ne++;
	}
service:
	for (i = 0; i < nxents; i++)
		if (xents[i].day == day && xents[i].acct == acct)
			e[ne++] = xents[i].e;

	opening = a->balance;
	closing = opening;
	nrec = 3;		/* T00, T40, T50 */
	for (i = 0; i < ne; i++) {
		closing += e[i].amount;
		if (e[i].amount >= 0) {
			ncred++;
			credits += e[i].amount;
		} else {
			ndeb++;
			debits += e[i].amount;
		}
		nrec += 1 + (e[i].count > 0) + (e[i].nmsg > 0);
	}
	fp = open_out("in", name, path, sizeof path);
	fmt_yymmdd(z, yymmdd);

	memset(r, ' ', 322);
	fw_an(r, 1, 9, "T00322100");
	fw_an(r, 10, 14, a->bban);
	fw_num(r, 24, 3, (uint64_t)(day + 1));
	fw_an(r, 27, 6, yymmdd);
	fw_an(r, 33, 6, yymmdd);
	fw_an(r, 39, 6, yymmdd);
	fw_num(r, 45, 4, (uint64_t)(acct < 0 ? 700 : 600 + acct));
	fw_an(r, 49, 17, "12345671");
	fmt_yymmdd(day == 0 ? prev_bday : bdays[day - 1], buf);
	fw_an(r, 66, 6, buf);
	fw_amount(r, 72, opening);
	fw_num(r, 91, 6, (uint64_t)nrec);
	fw_an(r, 97, 3, "EUR");
	bank_text("Käyttötili", text, 30);
	fw_an(r, 100, 30, text);
	fw_num(r, 130, 18, 0);
	bank_text(COMPANY_NAME, text, 35);
	fw_an(r, 148, 35, text);
	fw_an(r, 183, 40, bics[a->bank].bank);
	fw_an(r, 293, 18, a->iban);
	fw_an(r, 312, 11, bics[a->bank].bic);
	put_record(fp, r, 322);

	for (i = 0; i < ne; i++) {
		char arch[19], nm[36];
		int k;

		memset(r, ' ', 188);
		fw_an(r, 1, 6, "T10188");
		fw_num(r, 7, 6, (uint64_t)(i + 1));
		snprintf(arch, sizeof arch, "%s5ESI%08u", yymmdd,
		    ++kto_archive_seq);
		fw_an(r, 13, 18, arch);
		fw_an(r, 31, 6, yymmdd);
		fw_an(r, 37, 6, yymmdd);
		fw_an(r, 43, 6, yymmdd);
		r[48] = (char)('0' + e[i].type);
		fw_num(r, 50, 3, (uint64_t)e[i].code);
		bank_text(e[i].text, text, 35);
		fw_an(r, 53, 35, text);
		fw_amount(r, 88, e[i].amount);
		r[106] = e[i].code == 705 ? 'E' : ' ';
		r[107] = e[i].code == 705 ? 'J' : 'A';
		if (e[i].name[0]) {
			bank_text(e[i].name, nm, 35);
			fw_an(r, 109, 35, nm);
			r[143] = 'J';
		}
		if (e[i].ref[0]) {
			char zref[21];

			snprintf(zref, sizeof zref, "%020llu",
			    strtoull(e[i].ref, NULL, 10));
			fw_an(r, 160, 20, zref);
		}
		r[187] = '0';
		put_record(fp, r, 188);
		if (e[i].count > 0) {
			memset(r, ' ', 16);
			fw_an(r, 1, 8, "T1101601");
			fw_num(r, 9, 8, (uint64_t)e[i].count);
			put_record(fp, r, 16);
		}
		if (e[i].nmsg > 0) {
			int len = 8 + 35 * e[i].nmsg;

			memset(r, ' ', (size_t)len);
			fw_an(r, 1, 3, "T11");
			fw_num(r, 4, 3, (uint64_t)len);
			fw_an(r, 7, 2, "00");
			for (k = 0; k < e[i].nmsg; k++) {
				bank_text(e[i].msg[k], text, 35);
				fw_an(r, 9 + 35 * k, 35, text);
			}
			put_record(fp, r, len);
		}
	}

	memset(r, ' ', 50);
	fw_an(r, 1, 6, "T40050");
	fw_an(r, 7, 6, yymmdd);
	fw_amount(r, 13, closing);
	fw_amount(r, 32, closing);
	put_record(fp, r, 50);

	memset(r, ' ', 67);
	fw_an(r, 1, 7, "T500671");
	fw_an(r, 8, 6, yymmdd);
	fw_num(r, 14, 8, (uint64_t)ncred);
	fw_amount(r, 22, credits);
	fw_num(r, 41, 8, (uint64_t)ndeb);
	r[48] = '-';
	fw_num(r, 50, 18, (uint64_t)-debits);
	put_record(fp, r, 67);
	close_out(fp, path);
	a->balance = closing;
	free(e);
}

static void
write_kto(int day, int acct, const struct ktl_sum *s, const char *name)
{
	write_statement(day, acct, &accounts[acct], 1, s, name);
}

/* ---- financing services (--service) */

/* With --service the scenario is the same, routed to the service, and
 * besides: op-laskulaina pays every other unpaid invoice to OP's virtual
 * account (virtual statement: the customer's payment, OP's repayment and
 * interest, the remainder forwarded; the remainder a reference payment
 * on the company's account the next banking day), with one loan
 * withdrawal of the repayments' sum on the first day arriving on the
 * company's first account the day after.  Every other payment of a
 * routed invoice is an off-payment: applied like a plain one. */
enum service { SVC_NONE, SVC_OP, SVC_KV, SVC_COUNT };

static enum service service;
static const char *const service_names[] = { "none", "op-laskulaina",
    "kassavirta" };

#define OP_BBAN "50001520000081"	/* OP's virtual account */
static struct account vacct;
static int64_t op_loan, op_repaid, op_interest;

static struct xentry *
add_xentry(int day, int acct, int code, const char *text, const char *name,
    int64_t amount, const char *ref)
{
	struct xentry *x;

	xents = xrealloc(xents, (size_t)(nxents + 1) * sizeof *xents);
	x = &xents[nxents++];
	memset(x, 0, sizeof *x);
	x->day = day;
	x->acct = acct;
	x->e.code = code;
	x->e.type = amount < 0 ? 2 : 1;
	x->e.text = text;
	snprintf(x->e.name, sizeof x->e.name, "%s", name);
	x->e.amount = amount;
	snprintf(x->e.ref, sizeof x->e.ref, "%s", ref);
	return x;
}

/* Whether OP takes invoice d (spec/services.md section 4: the
 * generated customers are all Finnish companies with valid business
 * ids; only the intra-group one stays out). */
static int
op_routed(const struct doc *d)
{
	return !d->credit && strstr(customers[d->cust].flags,
	    "group-company") == NULL;
}

static void
make_op(void)
{
	int i, k = 0, last = nbdays - 1;

	snprintf(vacct.bban, sizeof vacct.bban, "%s", OP_BBAN);
	iban_make(vacct.bban, vacct.iban);
	vacct.bank = bank_of(vacct.bban);
	for (i = 0; i < ndocs; i++) {
		struct doc *d = &docs[i];
		int64_t t = d->total, rep, in;
		int vd = d->day + 2;

		if (d->fate != F_UNPAID || !op_routed(d) || vd + 1 > last ||
		    k++ % 2 != 0)
			continue;
		rep = (t * 80 + 50) / 100;
		in = t / 250 > 0 ? t / 250 : 1;
		add_xentry(vd, -1, 710, "VIITESIIRTO", customers[d->cust].name,
		    t, d->ref);
		add_xentry(vd, -1, 710, "LAINAN LYHENNYS", "OP Yrityspankki Oyj",
		    -rep, d->ref);
		add_xentry(vd, -1, 710, "LAINAN KORKO", "OP Yrityspankki Oyj",
		    -in, d->ref);
		add_xentry(vd, -1, 710, "TILITYS", COMPANY_NAME, -(t - rep - in),
		    d->ref);
		pay_doc(i, vd + 1, t - rep - in, O_REMAINDER);
		d->via_op = 1;
		d->op_rep = rep;
		d->op_int = in;
		d->paid = t;
		op_repaid += rep;
		op_interest += in;
	}
	if (op_repaid == 0)
		return;
	op_loan = op_repaid;
	add_xentry(0, -1, 710, "LASKULAINAN NOSTO", COMPANY_NAME, -op_loan,
	    "");
	add_xentry(1, 0, 710, "OP LASKULAINA NOSTO", "OP Yrityspankki Oyj",
	    op_loan, "");
}

/*
 * --service kassavirta: every invoice but the nomonitor customers' and
 * the credit notes is routed to the service, and Noja finances 80 % of
 * it (rounded half up).  Every other unpaid routed invoice with two
 * banking days left is settled by the service (payer VISMA AMILI, the
 * original reference) two banking days after its date (fate `settled`);
 * every customer payment of a routed invoice is a bypass payment whose
 * financed share (80 % of what it applied, at most the share still
 * open) is a credit adjustment, undone when the bank corrects the
 * payment.  Each day the company's first account gets Noja's payout for
 * what is pending: the credit granted, less the adjustments, less 1 %
 * financing costs (a day whose payout would not be positive has none:
 * it waits).
 */
#define KV_RATE 80
static int64_t kv_granted, kv_cost, kv_payouts, kv_adjusted, kv_undone;
static int64_t kv_adj_settled;

static int
kv_routed(const struct doc *d)
{
	return !d->credit && strcmp(customers[d->cust].group, "nomonitor") != 0;
}

static int64_t
kv_share(int64_t amount)
{
	return (amount * KV_RATE + 50) / 100;
}

static void
make_kv_settlements(void)
{
	int i, k = 0, last = nbdays - 1;
	struct payment *p;

	for (i = 0; i < ndocs; i++) {
		struct doc *d = &docs[i];

		if (d->fate != F_UNPAID || !kv_routed(d) || d->day + 2 > last ||
		    k++ % 2 != 0)
			continue;
		p = pay_doc(i, d->day + 2, d->total, O_PAID);
		p->payer = "VISMA AMILI";
		d->settled = 1;
		d->paid = d->total;
	}
}

static int
cmp_pay_order(const void *a, const void *b)
{
	const struct payment *x = &pays[*(const int *)a];
	const struct payment *y = &pays[*(const int *)b];

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->acct != y->acct)
		return x->acct < y->acct ? -1 : 1;
	return cmp_pay(a, b);
}

/* The adjustments in the order reskontra meets the payments (day,
 * account, the KTL file's order), and each day's payout. */
static void
make_kv_payouts(void)
{
	int64_t *share, *adj, *open, pend_g = 0, pend_a = 0;
	int *idx, i, j = 0, day;

	share = xcalloc((size_t)ndocs, sizeof *share);
	open = xcalloc((size_t)ndocs, sizeof *open);
	adj = xcalloc((size_t)npays, sizeof *adj);
	idx = xcalloc((size_t)npays, sizeof *idx);
	for (i = 0; i < npays; i++)
		idx[i] = i;
	qsort(idx, (size_t)npays, sizeof *idx, cmp_pay_order);
	for (i = 0; i < ndocs; i++)
		open[i] = docs[i].total;
	for (day = 0; day < nbdays; day++) {
		int64_t p, c;

		for (i = 0; i < ndocs; i++)
			if (docs[i].day == day && kv_routed(&docs[i])) {
				share[i] = kv_share(docs[i].total);
				pend_g += share[i];
			}
		/* a credit note reduces what is open before later payments */
		for (i = 0; i < ndocs; i++)
			if (docs[i].credit && docs[i].day == day)
				open[docs[i].orig] += docs[i].total;
		for (; j < npays && pays[idx[j]].day == day; j++) {
			struct payment *q = &pays[idx[j]];
			int n = q->doc;
			int64_t applied, a;

			if (n < 0 || q->outcome == O_DUPLICATE ||
			    q->outcome == O_UNKNOWN || !kv_routed(&docs[n]))
				continue;
			if (q->correction) {
				int k;

				/* undo the adjustment of the payment it
				 * corrects: the latest one not corrected */
				for (k = j - 1; k >= 0; k--) {
					struct payment *o = &pays[idx[k]];

					if (o->doc == n && !o->correction &&
					    o->amount == q->amount &&
					    adj[idx[k]] >= 0)
						break;
				}
				if (k >= 0) {
					a = adj[idx[k]];
					adj[idx[k]] = -1;
					share[n] += a;
					pend_a -= a;
					kv_undone += a;
				}
				open[n] += q->amount;
				continue;
			}
			applied = q->amount < open[n] ? q->amount :
			    open[n] > 0 ? open[n] : 0;
			open[n] -= applied;
			if (q->payer != NULL)
				continue;	/* the service's settlement */
			a = kv_share(applied);
			if (a > share[n])
				a = share[n];
			if (a <= 0)
				continue;
			adj[idx[j]] = a;
			share[n] -= a;
			pend_a += a;
			kv_adjusted += a;
		}
		c = (pend_g + 50) / 100;
		p = pend_g - pend_a - c;
		if ((pend_g == 0 && pend_a == 0) || p <= 0)
			continue;
		{
			struct xentry *x = add_xentry(day, 0, 710,
			    "TILISIIRTO", "Noja Rahoitus Oy", p, "");
			char iso[11];

			fmt_iso(bdays[day], iso);
			snprintf(x->e.msg[0], 36, "Rahoitus %.2s.%.2s.%.4s",
			    iso + 8, iso + 5, iso);
			x->e.nmsg = 1;
		}
		kv_granted += pend_g;
		kv_cost += c;
		kv_payouts += p;
		kv_adj_settled += pend_a;
		pend_g = pend_a = 0;
	}
	free(share);
	free(open);
	free(adj);
	free(idx);
}

/* One KTL file, of a day before the last, is delivered a second time
 * under another name: the one with the most partial payments (applying
 * those twice shows in the open amounts), then the most payments. */
static void
pick_redelivery(int *rday, int *racct)
{
	int day, acct, i, n, best = -1;

	*rday = *racct = -1;
	for (day = 0; day < nbdays - 1; day++)
		for (acct = 0; acct < naccounts; acct++) {
			for (i = n = 0; i < npays; i++)
				if (pays[i].day == day && pays[i].acct == acct)
					n += pays[i].outcome == O_PARTIAL ?
					    1000 : 1;
			if (n > best) {
				best = n;
				*rday = day;
				*racct = acct;
			}
		}
}

static int redeliver_day = -1, redeliver_acct = -1;
static char redeliver_name[64], redeliver_orig[64];

static void
ktl_name(int day, int acct, char *buf, size_t size)
{
	char date[9];

	fmt_ccyymmdd(bdays[day], date);
	snprintf(buf, size, "%s-ktl-%s.ktl", date, accounts[acct].iban);
}

static void
write_bank_files(void)
{
	int day, acct;
	char name[64], date[9];
	struct ktl_sum s;

	pick_redelivery(&redeliver_day, &redeliver_acct);
	for (day = 0; day < nbdays; day++)
		for (acct = 0; acct < naccounts; acct++) {
			ktl_name(day, acct, name, sizeof name);
			write_ktl(day, acct, name, &s);
			if (day == redeliver_day && acct == redeliver_acct) {
				char src[4096], dst[4096];
				FILE *in, *out;
				char buf[8192];
				size_t n;

				snprintf(redeliver_orig, sizeof redeliver_orig,
				    "%s", name);
				fmt_ccyymmdd(bdays[day + 1], date);
				snprintf(redeliver_name, sizeof redeliver_name,
				    "%s-ktl-%s-resent.ktl", date,
				    accounts[acct].iban);
				snprintf(src, sizeof src, "%s/in/%s", outdir,
				    name);
				if ((in = fopen(src, "rb")) == NULL)
					die(3, "%s: %s", src, strerror(errno));
				out = open_out("in", redeliver_name, dst,
				    sizeof dst);
				while ((n = fread(buf, 1, sizeof buf, in)) > 0)
					fwrite(buf, 1, n, out);
				if (ferror(in))
					die(3, "%s: read error", src);
				fclose(in);
				close_out(out, dst);
			}
			fmt_ccyymmdd(bdays[day], date);
			snprintf(name, sizeof name, "%s-kto-%s.kto", date,
			    accounts[acct].iban);
			write_kto(day, acct, &s, name);
			if (acct == naccounts - 1 &&
			    count_xentries(day, -1) > 0) {
				snprintf(name, sizeof name, "%s-kto-%s.kto",
				    date, vacct.iban);
				write_statement(day, -1, &vacct, 0, NULL,
				    name);
			}
		}
}

/* ---- truth, customers, configuration */

/* op-laskulaina: what OP took out of each customer payment on the
 * virtual statement, "virt INVOICE_NO OUTCOME AMOUNT". */
static void
write_virtual_truth(FILE *fp)
{
	char t[32];
	int i;

	fprintf(fp, "# virt\tinvoice_no\toutcome\tamount\n");
	for (i = 0; i < ndocs; i++) {
		if (!docs[i].via_op)
			continue;
		fmt_cents(docs[i].op_rep, '.', t, sizeof t);
		fprintf(fp, "virt\t%s\trepayment\t%s\n", docs[i].no, t);
		fmt_cents(docs[i].op_int, '.', t, sizeof t);
		fprintf(fp, "virt\t%s\tloan-interest\t%s\n", docs[i].no, t);
	}
}

/* --service: the net (debit - credit) every ledger account must have
 * over all vouchers: "acct ACCOUNT NET". */
static void
write_nets(FILE *fp, int64_t over, int64_t suspense)
{
	static const char *const names[] = { "1910", "1701", "2871", "2879",
	    "1995", "2843", "2842", "9553", "1946" };
	static const char *const kv_names[] = { "1910", "1701", "2871",
	    "2879", "2842", "1702", "9690" };
	int64_t net[9], in = 0;
	char t[32];
	int i;

	for (i = 0; i < npays; i++)
		if (pays[i].outcome != O_DUPLICATE)
			in += pays[i].correction ? -pays[i].amount :
			    pays[i].amount;
	if (service == SVC_KV) {
		net[0] = in + kv_payouts;
		net[1] = -(in - over - suspense);
		net[2] = -over;
		net[3] = -suspense;
		net[4] = -kv_granted + kv_adjusted - kv_undone;
		net[5] = -(kv_adjusted - kv_undone) + kv_adj_settled;
		net[6] = kv_cost;
		fprintf(fp, "# acct\taccount\tnet\n");
		for (i = 0; i < 7; i++) {
			fmt_cents(net[i], '.', t, sizeof t);
			fprintf(fp, "acct\t%s\t%s\n", kv_names[i], t);
		}
		return;
	}
	net[0] = in + op_loan;			/* bank */
	net[1] = -(in - over - suspense) - op_repaid - op_interest;
	net[2] = -over;
	net[3] = -suspense;
	net[4] = 0;				/* withdrawal in transit */
	net[5] = 0;				/* interim */
	net[6] = op_repaid - op_loan;		/* the loan */
	net[7] = op_interest;
	net[8] = 0;				/* the virtual account */
	fprintf(fp, "# acct\taccount\tnet\n");
	for (i = 0; i < 9; i++) {
		fmt_cents(net[i], '.', t, sizeof t);
		fprintf(fp, "acct\t%s\t%s\n", names[i], t);
	}
}

static void
write_truth(int64_t start, uint64_t seed, int ninv)
{
	char path[4096], t[32], p[32], o[32], x[32], c[32], due[11], iso[11];
	char iso2[11];
	int i, k;
	int64_t over = 0, suspense = 0;
	FILE *fp;

	fp = open_out(NULL, "truth.tsv", path, sizeof path);
	fmt_iso(start, iso);
	fmt_iso(bdays[nbdays - 1], iso2);
	fprintf(fp, "# reskontra scenario truth 1\n");
	fprintf(fp, "# seed=%" PRIu64 " invoices=%d days=%d accounts=%d "
	    "start=%s last=%s\n", seed, ninv, nbdays, naccounts, iso, iso2);
	fprintf(fp, "# inv\tinvoice_no\treference\ttotal\tpaid\topen\tfate"
	    "\ttype\tdue_date\tcredited\toverpaid\tcredited_invoice_no"
	    "\taccount_iban\trf\tfile\n");
	for (i = 0; i < ndocs; i++) {
		const struct doc *d = &docs[i];
		int64_t open;

		if (d->credit)
			open = 0;
		else if (d->fate == F_OVER)
			open = 0;
		else
			open = d->total - d->credited - d->paid;
		fmt_cents(d->total, '.', t, sizeof t);
		fmt_cents(d->paid, '.', p, sizeof p);
		fmt_cents(open, '.', o, sizeof o);
		fmt_cents(d->credited, '.', c, sizeof c);
		fmt_cents(d->over, '.', x, sizeof x);
		fmt_iso(d->due, due);
		over += d->over;
		fprintf(fp, "inv\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s"
		    "\t%s\t%s\t%s\n", d->no, d->ref, t, p, o,
		    d->via_op ? "paid-virtual" : d->settled ? "settled" :
		    fate_names[d->fate],
		    d->credit ? "credit" : "invoice",
		    due, c, x, d->credit ? docs[d->orig].no : "",
		    accounts[d->acct].iban, d->rf, d->file);
	}
	fprintf(fp, "# pay\tarchive_id\toutcome\taccount_iban\tbooking_date"
	    "\tpayment_date\treference\tamount\tcorrection\tinvoice_no"
	    "\tfile\tline\n");
	for (k = 0; k < 2; k++)
		for (i = 0; i < npays; i++) {
			const struct payment *q = &pays[i];
			const char *file = q->file;
			enum outcome oc = q->outcome;

			if (k == 1) {
				if (strcmp(q->file, redeliver_orig) != 0)
					continue;
				file = redeliver_name;
				oc = O_DUPLICATE;
			}
			fmt_iso(q->book, iso);
			fmt_iso(q->paydate, iso2);
			fmt_cents(q->amount, '.', t, sizeof t);
			if (k == 0 && oc == O_UNKNOWN)
				suspense += q->amount;
			fprintf(fp, "pay\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s"
			    "\t%s\t%d\n", q->archive, outcome_names[oc],
			    accounts[q->acct].iban, iso, iso2, q->ref, t,
			    q->correction, q->doc >= 0 ? docs[q->doc].no : "",
			    file, q->line);
		}
	if (service == SVC_OP)
		write_virtual_truth(fp);
	fprintf(fp, "# total\tname\taccount_iban\tamount\tcount\n");
	for (k = 0; k < naccounts; k++) {
		int64_t sum = 0, csum = 0;
		int n = 0, nc = 0;

		for (i = 0; i < npays; i++) {
			if (pays[i].acct != k ||
			    pays[i].outcome == O_DUPLICATE)
				continue;
			if (pays[i].correction) {
				csum += pays[i].amount;
				nc++;
			} else {
				sum += pays[i].amount;
				n++;
			}
		}
		fmt_cents(sum, '.', t, sizeof t);
		fprintf(fp, "total\tpayments\t%s\t%s\t%d\n",
		    accounts[k].iban, t, n);
		fmt_cents(csum, '.', t, sizeof t);
		fprintf(fp, "total\tcorrections\t%s\t%s\t%d\n",
		    accounts[k].iban, t, nc);
		fmt_cents(sum - csum, '.', t, sizeof t);
		fprintf(fp, "total\tnet\t%s\t%s\t%d\n", accounts[k].iban, t,
		    n + nc);
		fmt_cents(accounts[k].opening, '.', t, sizeof t);
		fprintf(fp, "total\topening_balance\t%s\t%s\t\n",
		    accounts[k].iban, t);
		fmt_cents(accounts[k].balance, '.', t, sizeof t);
		fprintf(fp, "total\tclosing_balance\t%s\t%s\t\n",
		    accounts[k].iban, t);
	}
	fmt_cents(over, '.', t, sizeof t);
	fprintf(fp, "total\toverpayment\t\t%s\t\n", t);
	fmt_cents(suspense, '.', t, sizeof t);
	fprintf(fp, "total\tsuspense\t\t%s\t\n", t);
	if (service != SVC_NONE)
		write_nets(fp, over, suspense);
	close_out(fp, path);
}

static void
write_customers(void)
{
	char path[4096];
	FILE *fp;
	int i;

	fp = open_out(NULL, "customers.tsv", path, sizeof path);
	fprintf(fp, "id\tcode\tfactoring\tgroup\tflags\n");
	for (i = 0; i < ncustomers; i++)
		fprintf(fp, "%s\t\t\t%s\t%s\n", customers[i].bid,
		    customers[i].group, customers[i].flags);
	close_out(fp, path);
}

static void
write_config(void)
{
	char path[4096];
	FILE *fp;
	int i;

	fp = open_out(NULL, "reskontra.conf", path, sizeof path);
	fprintf(fp,
	    "# Esimerkki Oy: the company of the generated scenario.\n"
	    "[company]\n"
	    "name = " COMPANY_NAME "\n"
	    "business_id = " COMPANY_BID "\n"
	    "iban = ");
	for (i = 0; i < naccounts; i++)
		fprintf(fp, "%s%s", i ? ", " : "", accounts[i].iban);
	fprintf(fp, "\n"
	    "contact = laskutus@esimerkki.fi, 09 123 4567\n"
	    "\n");
	if (service == SVC_OP)
		fprintf(fp,
		    "# OP Laskulaina: the invoices are collateral of a loan.\n"
		    "[service]\n"
		    "type = op-laskulaina\n"
		    "iban = %s\n"
		    "bic = OKOYFIHH\n"
		    "name = OP Yrityspankki Oyj\n"
		    "phone = 0100 0500\n", vacct.iban);
	else if (service == SVC_KV)
		fprintf(fp,
		    "# Kassavirta Plus: Visma Amili monitors, Noja finances.\n"
		    "[service]\n"
		    "type = kassavirta\n"
		    "iban = FI5810171000000122\n"
		    "bic = NDEAFIHH\n"
		    "name = Visma Amili Oy\n"
		    "payer_name = VISMA AMILI\n"
		    "reference_prefix = 55\n"
		    "phone = 024 808 8020\n"
		    "portal_url = https://www.laskuhelposti.fi/\n"
		    "financing_rate = %d\n", KV_RATE);
	else
		fprintf(fp,
	    "# No receivables service: the company collects itself.\n"
	    "[service]\n"
	    "type = none\n");
	fprintf(fp, "\n"
	    "[accounts]\n"
	    "sales = 3000\n"
	    "receivables = 1701\n"
	    "bank = 1910\n"
	    "transit = 1995\n"
	    "overpayments = 2871\n"
	    "suspense = 2879\n"
	    "interest_income = 9160\n"
	    "\n"
	    "[customers]\n"
	    "file = customers.tsv\n");
	close_out(fp, path);
}

/* ---- benchmark KTL: N payments, streamed */

static void
bench_ktl(uint64_t n, FILE *fp)
{
	char r[91], ref[24], base[16], archive[17], yymmdd[7];
	uint64_t i, inbatch = 0, batch = 0;
	struct ktl_sum s;
	int64_t z = days_from_ymd(2026, 1, 2);
	static const char *names[] = {
		"K[MPP[ RAKEN", "P\\LL\\L[ KY", "]BO TR[ AB", "M[KEL[ & P\\Y",
		"NORDIC WIDGE", "J[RVISEN S[H", "BORG] BAGERI", "KUOPION K[RR",
	};

	memset(&s, 0, sizeof s);
	for (i = 0; i < n; i++) {
		struct account *a = &accounts[batch % (uint64_t)naccounts];
		int64_t amount;
		int corr;

		if (inbatch == 0) {
			ktl_batch_record(r, a, z, 600);
			put_record(fp, r, 90);
		}
		snprintf(base, sizeof base, "%" PRIu64, 100000 + rnd() % 900000);
		ref_make(base, ref);
		fmt_yymmdd(z, yymmdd);
		snprintf(archive, sizeof archive, "%sBE%08" PRIu64, yymmdd,
		    i % 100000000);
		amount = rnd_range(100, 250000);
		corr = rnd() % 100 == 0;
		ktl_payment_record(r, a, archive, z, z, ref, "", amount, corr);
		fw_an(r, 64, 12, names[i % 8]);
		put_record(fp, r, 90);
		if (corr) {
			s.nc++;
			s.csum += amount;
		} else {
			s.n++;
			s.sum += amount;
		}
		if (++inbatch == 100000 || i + 1 == n) {
			ktl_sum_record(r, s.n, s.sum, s.nc, s.csum);
			put_record(fp, r, 90);
			memset(&s, 0, sizeof s);
			inbatch = 0;
			batch++;
		}
	}
	if (n == 0) {
		ktl_batch_record(r, &accounts[0], z, 600);
		put_record(fp, r, 90);
		ktl_sum_record(r, 0, 0, 0, 0);
		put_record(fp, r, 90);
	}
}

/* ---- main */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: %s --seed N --invoices K --days D --accounts A --out DIR"
	    " [--start YYYY-MM-DD]\n"
	    "                    [--service op-laskulaina|kassavirta]\n"
	    "       %s --bench-ktl N [--seed N] [--accounts A] [--out DIR]\n",
	    progname, progname);
	exit(2);
}

static uint64_t
number_arg(const char *s, const char *opt, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v > max) {
		fprintf(stderr, "%s: %s: '%s' is not a number up to %" PRIu64
		    "\n", progname, opt, s, max);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	uint64_t seed = 1, bench = 0;
	int ninv = -1, ndays = -1, nacc = 1, have_bench = 0, i;
	int64_t start, z;
	unsigned yy;
	int y, m, d;
	char *startarg = NULL;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (i + 1 >= argc)
			usage();
		if (strcmp(o, "--seed") == 0)
			seed = number_arg(argv[++i], o, UINT64_MAX);
		else if (strcmp(o, "--invoices") == 0)
			ninv = (int)number_arg(argv[++i], o, 90000);
		else if (strcmp(o, "--days") == 0)
			ndays = (int)number_arg(argv[++i], o, 999);
		else if (strcmp(o, "--accounts") == 0)
			nacc = (int)number_arg(argv[++i], o, MAXACCOUNTS);
		else if (strcmp(o, "--out") == 0)
			outdir = argv[++i];
		else if (strcmp(o, "--start") == 0)
			startarg = argv[++i];
		else if (strcmp(o, "--service") == 0) {
			o = argv[++i];
			for (service = SVC_NONE; service < SVC_COUNT; service++)
				if (strcmp(o, service_names[service]) == 0)
					break;
			if (service == SVC_COUNT)
				usage();
		}
		else if (strcmp(o, "--bench-ktl") == 0) {
			bench = number_arg(argv[++i], o, 100000000);
			have_bench = 1;
		} else
			usage();
	}
	if (nacc < 1)
		die(2, "--accounts must be 1 to %d", MAXACCOUNTS);
	rng_state = seed;
	if (!business_id_valid(COMPANY_BID))
		die(3, "internal: company business id invalid");

	if (have_bench) {
		FILE *fp = stdout;
		char path[4096] = "standard output";

		setup_accounts(nacc);
		if (outdir != NULL) {
			make_dir(outdir);
			fp = open_out(NULL, "bench.ktl", path, sizeof path);
		}
		setvbuf(fp, NULL, _IOFBF, 1 << 16);
		bench_ktl(bench, fp);
		close_out(fp, path);
		return 0;
	}

	if (ninv < 1 || ndays < 3 || outdir == NULL)
		usage();
	if (startarg == NULL)
		start = days_from_ymd(2026, 1, 5);
	else if (parse_iso(startarg, &start) != 0)
		die(2, "--start: '%s' is not a date YYYY-MM-DD", startarg);

	bdays = xcalloc((size_t)ndays, sizeof *bdays);
	for (z = start, i = 0; i < ndays; z++)
		if (is_banking_day(z))
			bdays[i++] = z;
	nbdays = ndays;
	prev_bday = prev_banking_day(bdays[0]);
	ymd_from_days(bdays[0], &y, &m, &d);
	yy = (unsigned)(y % 100);

	make_dir(outdir);
	{
		char path[4096];

		snprintf(path, sizeof path, "%s/in", outdir);
		make_dir(path);
	}
	setup_accounts(nacc);
	setup_customers(ninv);
	make_documents(ninv, yy);
	make_payments();
	if (service == SVC_OP)
		make_op();
	if (service == SVC_KV)
		make_kv_settlements();
	write_invoices();
	if (service == SVC_KV)
		make_kv_payouts();
	write_bank_files();
	write_truth(bdays[0], seed, ninv);
	write_customers();
	write_config();
	return 0;
}
