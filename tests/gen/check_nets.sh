#!/bin/sh
# Compares the vouchers of a run with a scenario's account nets.
#
# usage: sh tests/gen/check_nets.sh TRUTH VOUCHERS...
#
# TRUTH is a truth.tsv made with --service: its `acct` lines give each
# ledger account's net (debits - credits) over all vouchers.  VOUCHERS
# are files of `voucher` records (out/vouchers/ of the spool).  One test
# per account of the truth: the vouchers' net equals it; one test that
# every voucher balances; one that no voucher uses an account the truth
# does not name.  Prints a line per failure and `nets: N passed, N
# failed`; exit status 1 when anything failed, 2 on usage errors.
set -u
if [ $# -lt 1 ]; then
	echo "usage: check_nets.sh TRUTH VOUCHERS..." >&2
	exit 2
fi
truth=$1
shift
awk -F '\t' '
function cents(s,  n) {
	if (s == "") return 0
	if (s !~ /^-?[0-9]+\.[0-9][0-9]$/) { bad = bad " " s; return 0 }
	n = s; sub(/\./, "", n)
	return n + 0
}
function money(c) { return sprintf("%s%d.%02d", c < 0 ? "-" : "", (c < 0 ? -c : c) / 100, (c < 0 ? -c : c) % 100) }
FNR == NR { if ($1 == "acct") { want[$2] = cents($3); order[++n] = $2 } next }
$1 == "voucher" {
	d = cents($6); c = cents($7)
	net[$5] += d - c
	key = FILENAME "\t" $2
	bal[key] += d - c
	if (!($5 in want)) extra[$5] = 1
}
END {
	for (i = 1; i <= n; i++) {
		a = order[i]
		if (net[a] + 0 == want[a]) pass++
		else { fail++; printf "FAIL account %s: net %s, expected %s\n", a, money(net[a] + 0), money(want[a]) }
	}
	ub = 0
	for (k in bal) if (bal[k] != 0) { ub++; printf "FAIL voucher %s does not balance: %s\n", k, money(bal[k]) }
	if (ub || bad != "") { fail++; if (bad != "") printf "FAIL amounts that are not amounts:%s\n", bad } else pass++
	m = 0
	for (a in extra) { m++; printf "FAIL account %s: in the vouchers, not in the truth\n", a }
	if (m) fail++; else pass++
	printf "nets: %d passed, %d failed\n", pass, fail
	exit fail > 0
}' "$truth" "$@"
