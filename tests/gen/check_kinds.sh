#!/bin/sh
# Compares how a run booked OP Laskulaina's remainders with a scenario's
# truth: the allocation kind of each payment, and the notices.
#
# usage: sh tests/gen/check_kinds.sh TRUTH LEDGER_DB [NOTICES...]
#
# TRUTH is the scenario's truth.tsv (tests/gen/gen_scenario.c): its `pay`
# lines give each payment's archive id, account and outcome.  LEDGER_DB
# is the spool's state/ledger.db after the run (read with sqlite3(1)):
# what each payment's allocations come to per kind, a reversal counted
# against the kind it undoes (a re-classified off-payment nets to
# nothing as bypass).  NOTICES are the notice files of out/notices/
# (formats/notices.md).
#
# One test per truth payment with outcome `remainder`: the ledger books
# it as remainder, none of it as bypass, and no off-payment notice names
# it.  One test per payment the ledger books (partly) as remainder: the
# truth says remainder (nothing that never passed OP is taken for a
# remainder).
#
# Prints a line per failure and `kinds: N passed, N failed`; exit
# status 1 when anything failed, 2 on usage errors.
set -u
if [ $# -lt 2 ]; then
	echo "usage: check_kinds.sh TRUTH LEDGER_DB [NOTICES...]" >&2
	exit 2
fi
truth=$1 db=$2
shift 2
for f in "$truth" "$db"; do
	if [ ! -r "$f" ]; then
		echo "check_kinds.sh: $f: cannot read" >&2
		exit 2
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-kinds.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
# archive id, account, kind, net cents: payments, not corrections
if ! sqlite3 -separator '	' "$db" "SELECT p.archive_id, p.account_iban,
    CASE WHEN a.outcome = 'reversed' THEN a.reverses ELSE a.outcome END,
    sum(a.amount) FROM allocations a JOIN payments p ON p.id = a.payment_id
    WHERE p.correction = 0 GROUP BY 1, 2, 3 HAVING sum(a.amount) <> 0" \
    >"$tmp/kinds"; then
	echo "check_kinds.sh: $db: cannot read the allocations" >&2
	exit 2
fi
# archive ids of off-payment notices
for f in "$@"; do
	[ -f "$f" ] || continue	# an unmatched glob: no notices
	awk -F '\t' '$1 == "off-payment" { print $7 }' "$f"
done >"$tmp/notified"

awk -F '\t' '
FILENAME == ARGV[1] {
	if ($1 == "pay" && $3 == "remainder") { n++; id[n] = $2 "\t" $4; want[$2 "\t" $4] = 1 }
	next
}
FILENAME == ARGV[2] {
	k = $1 "\t" $2
	if ($3 == "remainder") rem[k] = 1
	if ($3 == "bypass") byp[k] = 1
	next
}
{ notified[$1] = 1 }
END {
	for (i = 1; i <= n; i++) {
		k = id[i]; split(k, f, "\t"); why = ""
		if (!(k in rem)) why = why "not booked as remainder; "
		if (k in byp) why = why "booked as bypass (off-payment); "
		if (f[1] in notified) why = why "an off-payment notice names it; "
		if (why == "") pass++
		else { fail++; printf "FAIL %s on %s (remainder): %s\n", f[1], f[2], why }
	}
	for (k in rem) {
		if (k in want) continue
		split(k, f, "\t"); fail++
		printf "FAIL %s on %s: booked as remainder, the truth says it never passed OP\n", f[1], f[2]
	}
	printf "kinds: %d passed, %d failed\n", pass, fail
	exit fail > 0
}' "$truth" "$tmp/kinds" "$tmp/notified"
