/*
 * gen_ktl: write a large, valid KTL or KTO file on stdout for the
 * benchmark (tests/bench/bench.sh).
 *
 *   gen_ktl ktl N    N reference payments in batches of 100 000
 *   gen_ktl kto N    one statement of N entries (T10 + T11 00) over days
 *                    of 10 000 entries, each day closed by T40 and T50
 *
 * References carry correct 7-3-1 check digits, payer names use ISO 646-FI
 * letters, sums and balances agree, so the reader does all its work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
check_digit(long base)
{
	static const int w[3] = { 7, 3, 1 };
	int sum = 0, i = 0;

	for (; base > 0; base /= 10, i++)
		sum += (int)(base % 10) * w[i % 3];
	return (10 - sum % 10) % 10;
}

static void
gen_ktl(long n)
{
	long i, inbatch = 0, count = 0;
	long long total = 0;

	for (i = 0; i < n; i++) {
		long base = 1000 + i;
		long amount = 100 + i % 99900;

		if (inbatch == 0)
			printf("0%-89s\r\n", "2603021200 2123456789144444444A");
		printf("3%s%s%s%04ld%012ld%020ld%-12s1 %010ld0A \r\n",
		    "29501800000014", "260302", "260301", i % 10000, i,
		    base * 10 + check_digit(base),
		    i % 2 ? "MYYR[ MATIAS" : "K{TT} OY", amount);
		count++;
		total += amount;
		if (++inbatch == 100000 || i == n - 1) {
			printf("9%06ld%011lld%06d%011d%06d%011d%38s\r\n", count,
			    total, 0, 0, 0, 0, "");
			inbatch = count = 0;
			total = 0;
		}
	}
}

static void
gen_kto(long n)
{
	long long balance = 100000, day_credit = 0;
	long i, day = 1, inday = 0;

	printf("T00322100%-14s%03d%s%s%s%s%-17s%s+%018lld%06d%-3s%-30s%018d"
	    "%-35s%-40s%-40s%-30s%-18s %-11s\r\n", "29501800000014", 1,
	    "260101", "260131", "260131", "2359", "", "251231", balance, 0,
	    "EUR", "Shekkitili", 0, "P{IV{KASSA OY", "Pankki", "", "",
	    "FI7429501800000014", "NDEAFIHH");
	for (i = 0; i < n; i++) {
		long amount = 100 + i % 99900;
		long base = 1000 + i;

		printf("T10188%06ld%-18s26%02ld%02ld26%02ld%02ld26%02ld%02ld1710"
		    "%-35s+%018ld  %-35s %-14s %020ld%-8s \r\n", i % 999999,
		    "ARCH", 1L, day, 1L, day, 1L, day, "Pano", amount,
		    "MAKSAJA \\Y", "", base * 10 + check_digit(base), "");
		printf("T1104300%-35s\r\n", "LASKU 2026/1 K{YTT|MAKSU");
		balance += amount;
		day_credit += amount;
		if (++inday == 10000 || i == n - 1) {
			printf("T4005026%02ld%02ld+%018lld+%018lld\r\n", 1L, day,
			    balance, balance);
			printf("T50067126%02ld%02ld%08ld+%018lld%08d+%018d\r\n",
			    1L, day, inday, day_credit, 0, 0);
			inday = 0;
			day_credit = 0;
			if (++day > 28)
				day = 1;
		}
	}
}

int
main(int argc, char **argv)
{
	long n;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: gen_ktl ktl|kto N\n");
		return 2;
	}
	if (strcmp(argv[1], "ktl") == 0)
		gen_ktl(n);
	else if (strcmp(argv[1], "kto") == 0)
		gen_kto(n);
	else {
		fprintf(stderr, "usage: gen_ktl ktl|kto N\n");
		return 2;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
