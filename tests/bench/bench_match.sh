#!/bin/sh
# make bench: throughput and peak memory of `reskontra match` on a ledger
# of N open invoices (default 1 000 000) receiving N payments.
#
#   sh tests/bench/bench_match.sh ./reskontra [N]   (part of make bench)
#
# The generator is awk; the timings exclude it.  Peak RSS comes from
# /usr/bin/time -v when it is installed.  Prints payments per second for
# the payment run; the target is >= 100 000/s.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
printf '[company]\nname = Bench Oy\nbusiness_id = 0737546-2\n' >conf

# invoice i: reference 10000000+i with its 7-3-1 check digit, total
# 10.00-1009.99; payments pay each invoice in full, except every tenth
# pays part of it.
awk -v n="$n" '
function cd731(base,    i, s, w) {
	s = 0; w = 7
	for (i = length(base); i >= 1; i--) {
		s += substr(base, i, 1) * w
		w = w == 7 ? 3 : w == 3 ? 1 : 7
	}
	return (10 - s % 10) % 10
}
function money(c) { return sprintf("%d.%02d", int(c / 100), c % 100) }
BEGIN {
	print "#reskontra records 1" >"inv.rec"
	print "#reskontra records 1" >"pay.rec"
	for (i = 1; i <= n; i++) {
		base = 10000000 + i
		r = base "" cd731(base)
		t = 1000 + (i * 7919) % 100000
		printf "inv\t%d\tinvoice\t2026-01-05\t2026-02-04\t\tC%d\tBuyer\tFI\tEUR\t%s\t\t%s\t\tfi\t0\t\t\t\t1\t\tb.xml:%d\n", i, i % 5000, money(t), r, i >"inv.rec"
		a = i % 10 ? t : int(t / 2)
		printf "pay\tFI2112345600000785\tA%d\t2026-02-%02d\t\t%s\tPayer\t%s\tEUR\t0\tA\tref\t\t\tb.ktl:%d\n", i, 1 + i % 28, r, money(a), i >"pay.rec"
	}
}'

run() {	# LABEL FILE
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$1.time" "$bin" match -c conf -l ledger.db "$2" >"$1.out" || exit 1
		rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$1.time")
		secs=$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1.time")
		user=$(awk -F": " "/User time/ { print \$2 }" "$1.time")
	else
		start=$(date +%s.%N)
		"$bin" match -c conf -l ledger.db "$2" >"$1.out" || exit 1
		end=$(date +%s.%N)
		secs=$(echo "$end - $start" | bc)
		rss=unknown
	fi
	echo "$1: $n records in $secs s, $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }')/s, peak RSS $rss KiB${user:+, user CPU $user s}"
}
run invoices inv.rec
run payments pay.rec
awk -v n="$n" -v s="$secs" 'BEGIN { r = (s > 0 ? n / s : 0)
	printf "  payments/s %d (target >= 200000): %s\n", r, ((r >= 200000) ? "met" : "not met") }'
echo "allocations: $(grep -c '^alloc' payments.out), ledger $(du -k ledger.db | cut -f1) KiB"
