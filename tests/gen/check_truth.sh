#!/bin/sh
# Compares a ledger dump with a scenario's truth file.
#
# usage: sh tests/gen/check_truth.sh TRUTH [LEDGER]
#
# LEDGER is the output of `reskontra ledger -l DB` (standard input when
# not given): `item` records whose columns after the kind are invoice_no,
# reference, service, due_date, total, paid, open_amount, status, ...
# Lines that are not `item` records are ignored.
#
# One test per invoice and credit note of the truth: the ledger has
# exactly one item for it, with the truth's total and open amount; for
# the fates where the amount paid cannot depend on how the ledger books
# excess or credits (paid, paid-two-parts, partial, reversed, unpaid,
# paid-rf-national) the paid column is compared too.  One more test: the
# ledger has no items the truth does not know.
#
# Prints a line per failure and `e2e: N passed, N failed`; exit status 1
# when anything failed, 2 on usage errors.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: check_truth.sh TRUTH [LEDGER]" >&2
	exit 2
fi
truth=$1
ledger=${2:--}
if [ ! -r "$truth" ]; then
	echo "check_truth.sh: $truth: cannot read" >&2
	exit 2
fi
if [ "$ledger" != - ] && [ ! -r "$ledger" ]; then
	echo "check_truth.sh: $ledger: cannot read" >&2
	exit 2
fi

awk -F '\t' '
function cents(s) {
	if (s !~ /^-?[0-9]+(\.[0-9][0-9])?$/) return "bad:" s
	return sprintf("%.0f", s * 100) + 0
}
function money(c) { return sprintf("%s%d.%02d", c < 0 ? "-" : "", (c < 0 ? -c : c) / 100, (c < 0 ? -c : c) % 100) }
FNR == NR {
	if ($1 != "inv") next
	n++; no[n] = $2; want[$2] = 1
	total[$2] = cents($4); paid[$2] = cents($5); open[$2] = cents($6); fate[$2] = $7
	next
}
$1 == "item" {
	sub(/\r$/, "")
	k = $2; seen[k]++
	ltotal[k] = $6; lpaid[k] = $7; lopen[k] = $8
	if (!(k in want)) extra[k] = 1
}
END {
	for (i = 1; i <= n; i++) {
		k = no[i]; why = ""
		if (seen[k] + 0 == 0) why = "not in the ledger"
		else if (seen[k] > 1) why = "in the ledger " seen[k] " times"
		else {
			if (cents(ltotal[k]) != total[k]) why = why "total " ltotal[k] " expected " money(total[k]) "; "
			if (cents(lopen[k]) != open[k]) why = why "open " lopen[k] " expected " money(open[k]) "; "
			if (fate[k] ~ /^(paid|paid-two-parts|partial|reversed|unpaid|paid-rf-national)$/ &&
			    cents(lpaid[k]) != paid[k])
				why = why "paid " lpaid[k] " expected " money(paid[k]) "; "
		}
		if (why == "") pass++
		else { fail++; printf "FAIL %s (%s): %s\n", k, fate[k], why }
	}
	m = 0
	for (k in extra) { m++; printf "FAIL %s: in the ledger, not in the truth\n", k }
	if (m) fail++; else pass++
	printf "e2e: %d passed, %d failed\n", pass, fail
	exit fail > 0
}' "$truth" "$ledger"
