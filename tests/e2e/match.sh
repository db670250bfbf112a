#!/bin/sh
# End-to-end test of the plain receivables service: generate invoices and
# payments with known fates, run them through `match | post`, and check
# every open amount and the voucher totals against the generator's truth.
#
#   sh tests/e2e/match.sh [N]      N invoices (default 300)
#
# RESKONTRA names the binary.  Prints one summary line and exits 0, or
# prints what differs and exits 1.
set -u
: "${RESKONTRA:?RESKONTRA must name the binary}"
n=${1:-300}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1

printf '[company]\nname = E2E Oy\nbusiness_id = 0737546-2\niban = FI2112345600000785\n' >conf
printf '[accounts]\nbank = 1910\nreceivables = 1701\noverpayments = 2871\nsuspense = 2879\n' >>conf

# The generator writes inv.rec (invoices, credit notes sent before their
# invoice), pay.rec (payments, corrections, late credit notes, invoices
# delivered again) and truth (invoice_no TAB expected open TAB expected
# over) plus the money totals in sums.
awk -v n="$n" -v seed=7 '
function cd731(base,    i, s, w) {
	s = 0; w = 7
	for (i = length(base); i >= 1; i--) {
		s += substr(base, i, 1) * w
		w = w == 7 ? 3 : w == 3 ? 1 : 7
	}
	return (10 - s % 10) % 10
}
function ref(base) { return base "" cd731(base) }
function mod97(s,    i, m, c) {
	m = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c ~ /[A-Z]/)
			m = (m * 100 + index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c) + 9) % 97
		else
			m = (m * 10 + c) % 97
	}
	return m
}
function rf(body) { return sprintf("RF%02d%s", 98 - mod97(body "RF00"), body) }
function money(c,    s) {
	s = c < 0 ? "-" : ""; if (c < 0) c = -c
	return sprintf("%s%d.%02d", s, int(c / 100), c % 100)
}
# a credit note has the buyer of the invoice it credits
function inv(f, no, type, total, r, credited,    b) {
	b = credited != "" ? credited : no
	printf "inv\t%s\t%s\t2026-01-05\t2026-02-04\t\tC%s\tBuyer %s\tFI\tEUR\t%s\t\t%s\t%s\tfi\t0\t\t\t\t1\t\tgen.xml:%d\n", \
	    no, type, b, b, money(total), r, credited, ++srcline >f
}
function pay(f, arch, r, amount, corr, day) {
	printf "pay\tFI2112345600000785\t%s\t2026-02-%02d\t2026-02-%02d\t%s\tPayer %s\t%s\tEUR\t%d\tA\tref\t\t\tgen.ktl:%d\n", \
	    arch, day, day, r, arch, money(amount), corr, ++payline >f
	if (corr) { bankin -= amount } else { bankin += amount }
}
function truth(no, open, over) { printf "%s\t%s\t%s\n", no, money(open), money(over) >"truth" }
BEGIN {
	srand(seed)
	I = "inv.rec"; P = "pay.rec"
	print "#reskontra records 1" >I
	print "#reskontra records 1" >P
	for (i = 1; i <= n; i++) {
		no = 10000 + i
		base = 5000 + i
		r = ref(base)
		total = 1000 + int(rand() * 200000)
		fate = i % 13
		day = 1 + i % 20
		a = "AR" i
		if (fate == 1)
			total -= total % 2	# two equal halves
		if (fate == 10) {
			# RF-referenced invoice paid with the national reference
			inv(I, no, "invoice", total, rf(r), "")
		} else
			inv(I, no, "invoice", total, r, "")
		if (fate == 0) {		# paid
			pay(P, a, r, total, 0, day); applied += total
			truth(no, 0, 0)
		} else if (fate == 1) {	# split in two equal halves, same day
			h = total / 2
			pay(P, a "a", r, h, 0, day)
			pay(P, a "b", r, h, 0, day)
			applied += total
			truth(no, 0, 0)
		} else if (fate == 2) {	# partial
			part = int(total / 3)
			pay(P, a, r, part, 0, day); applied += part
			truth(no, total - part, 0)
		} else if (fate == 3) {	# over
			extra = 1 + int(rand() * 5000)
			pay(P, a, r, total + extra, 0, day)
			applied += total; over += extra
			truth(no, 0, extra)
		} else if (fate == 4) {	# paid, then the bank reverses it
			pay(P, a, r, total, 0, day)
			pay(P, a "c", r, total, 1, day + 1)
			truth(no, total, 0)
		} else if (fate == 5) {	# credit note, then the rest is paid
			cn = int(total / 4)
			if (i % 2)
				inv(I, "CN" no, "credit", -cn, "", no)	# before
			else
				inv(P, "CN" no, "credit", -cn, "", no)	# after
			pay(P, a, r, total - cn, 0, day); applied += total - cn
			truth(no, 0, 0)
		} else if (fate == 6) {	# delivered twice, paid once
			inv(P, no, "invoice", total, r, "")
			pay(P, a, r, total, 0, day); applied += total
			truth(no, 0, 0)
		} else if (fate == 7) {	# the same payment arrives twice
			pay(P, a, r, total, 0, day); applied += total
			payline--
			pay(P, a, r, total, 0, day); bankin -= total
			dups++
			truth(no, 0, 0)
		} else if (fate == 8) {	# payment with a reference nobody has
			u = ref(900000 + i)
			pay(P, a, u, total, 0, day); suspense += total
			truth(no, total, 0)
		} else if (fate == 9) {	# bad check digit
			bad = base "" (cd731(base) + 1) % 10
			pay(P, a, bad, total, 0, day); suspense += total
			truth(no, total, 0)
		} else if (fate == 10) {	# RF invoice, national payment
			pay(P, a, r, total, 0, day); applied += total
			truth(no, 0, 0)
		} else if (fate == 11) {	# national invoice, RF payment
			pay(P, a, rf(r), total, 0, day); applied += total
			truth(no, 0, 0)
		} else if (i % 39 == 12) {	# two invoices, one reference
			inv(I, "D" no, "invoice", total, r, "")
			pay(P, a, r, total, 0, day); suspense += total
			truth(no, total, 0); truth("D" no, total, 0)
		} else if (i % 39 == 25) {	# paid, then paid again
			pay(P, a, r, total, 0, day); applied += total
			pay(P, a "x", r, 500, 0, day + 1); over += 500
			truth(no, 0, 500)
		} else {			# still open
			truth(no, total, 0)
		}
	}
	# a correction with nothing to reverse
	pay(P, "ORPHAN", ref(777777), 4242, 1, 28); suspense -= 4242
	printf "bankin=%d applied=%d over=%d suspense=%d dups=%d\n", \
	    bankin, applied, over, suspense, dups >"sums"
}' || exit 1
sort truth >truth.sorted

fail=0
"$RESKONTRA" match -c conf -l ledger.db inv.rec pay.rec >alloc.rec 2>match.err
rc=$?
# the invoices made to share a reference ("D" + number) are each said
# once, as a thing to look at (exit 1); anything else on stderr fails
shared=$(grep -c 'as does open invoice .*: a payment with it will be set aside as ambiguous' match.err)
want_shared=$(grep -c '^inv	D' inv.rec)
grep -v 'as does open invoice .*: a payment with it will be set aside as ambiguous' \
    match.err >match.other
if [ "$shared" != "$want_shared" ] || [ -s match.other ] ||
    { [ "$shared" = 0 ] && [ $rc != 0 ]; } ||
    { [ "$shared" != 0 ] && [ $rc != 1 ]; }; then
	echo "match exited $rc, $shared shared references said (want $want_shared)"
	cat match.other; fail=1
fi
"$RESKONTRA" post -c conf alloc.rec >voucher.rec 2>post.err || {
	echo "post failed"; cat post.err; fail=1; }

# open amounts and overpayments of every invoice
"$RESKONTRA" ledger -l ledger.db >ledger.rec || { echo "ledger failed"; fail=1; }
awk -F'\t' '$1 == "item" && $10 == "invoice" { print $2 "\t" $8 "\t" $15 }' ledger.rec |
    sort >ledger.sorted
if ! cmp -s truth.sorted ledger.sorted; then
	echo "open amounts differ from the truth:"
	diff truth.sorted ledger.sorted | head -20
	fail=1
fi

# every voucher balances; account totals match the generator's sums
check_vouchers() {
	awk -F'\t' -v sums="$(cat sums)" '
	function c(s,    neg, p) {	# amount text to cents
		if (s == "") return 0
		neg = s ~ /^-/; sub(/^-/, "", s); p = index(s, ".")
		return (neg ? -1 : 1) * (substr(s, 1, p - 1) * 100 + substr(s, p + 1))
	}
	$1 == "voucher" {
		d[$2] += c($6); k[$2] += c($7); nv[$2] = 1
		net[$5] += c($6) - c($7)
	}
	END {
		split(sums, kv, " ")
		for (i in kv) { split(kv[i], p, "="); want[p[1]] = p[2] }
		bad = 0
		for (v in nv) if (d[v] != k[v]) { print "voucher " v " does not balance"; bad = 1 }
		if (net["1910"] != want["bankin"]) { print "bank " net["1910"] " want " want["bankin"]; bad = 1 }
		if (-net["1701"] != want["applied"]) { print "receivables " (-net["1701"]) " want " want["applied"]; bad = 1 }
		if (-net["2871"] != want["over"]) { print "overpayments " (-net["2871"]) " want " want["over"]; bad = 1 }
		if (-net["2879"] != want["suspense"]) { print "suspense " (-net["2879"]) " want " want["suspense"]; bad = 1 }
		nvouch = 0; for (v in nv) nvouch++
		if (!bad) printf "%d vouchers balance\n", nvouch
		exit bad
	}' "$1"
}
check_vouchers voucher.rec >check.out || { cat check.out; fail=1; }
dups=$(grep -c '	duplicate	' alloc.rec)
want_dups=$(sed 's/.*dups=//' sums)
[ "$dups" = "$want_dups" ] || { echo "duplicates: $dups, want $want_dups"; fail=1; }

# The same files again: every payment is a duplicate, nothing is posted,
# nothing changes.
"$RESKONTRA" match -c conf -l ledger.db inv.rec pay.rec >again.rec 2>&1 || {
	echo "second match failed"; cat again.rec; fail=1; }
"$RESKONTRA" post -c conf again.rec >again.voucher 2>&1 || {
	echo "second post failed"; cat again.voucher; fail=1; }
if grep -q '^voucher' again.voucher; then
	echo "the second run posted vouchers"; fail=1
fi
"$RESKONTRA" ledger -l ledger.db >ledger.rec || { echo "ledger failed"; fail=1; }
awk -F'\t' '$1 == "item" && $10 == "invoice" { print $2 "\t" $8 "\t" $15 }' ledger.rec |
    sort >ledger2.sorted
cmp -s truth.sorted ledger2.sorted || { echo "the second run changed the ledger"; fail=1; }

if [ $fail = 0 ]; then
	echo "e2e: $n invoices, $(grep -c '^pay' pay.rec) payments, $(cat check.out)"
fi
exit $fail
