#!/bin/sh
# The daily run: one spool of a receivables-service company (amili) with
# N invoices in framed Finvoice files of K invoices each and N payments
# (KTL, with a KTO statement of as many entries), processed by one
# `reskontra run`; prints the wall time and peak memory of the whole run
# and of each stage (`run --times`).
#
#   sh tests/bench/bench_run.sh RESKONTRA [N [K]]     (make bench)
#
# Defaults: N = 100 000, K = 400 (250 Finvoice files).  Invoice i is B-i
# with reference 1000+i and check digit (gen_finvoice.awk), payment i
# pays the same reference (gen_ktl), so every payment finds its invoice.
# A second size (N/4) shows whether memory grows with the spool.
# Target: under 10 s wall on a 2-core machine for N = 100 000, peak
# memory independent of N.
set -eu
bin=${1:?usage: bench_run.sh RESKONTRA [N [K]]}
n=${2:-100000}
k=${3:-400}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-runbench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cc -O2 -o "$work/gen" "$here/gen_ktl.c"
timer=
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 &&
    timer=/usr/bin/time

# make_spool DIR N: the drop folder of one day
make_spool() {
	d=$1 total=$2
	mkdir -p "$d/in"
	first=1
	while [ "$first" -le "$total" ]; do
		m=$k
		[ $((first + m - 1)) -gt "$total" ] && m=$((total - first + 1))
		awk -v n="$m" -v first="$first" -f "$here/gen_finvoice.awk" \
		    >"$d/in/$(printf 'finvoice-%06d.xml' "$first")"
		first=$((first + m))
	done
	"$work/gen" ktl "$total" >"$d/in/payments.ktl"
	"$work/gen" kto "$total" >"$d/in/statement.kto"
	# the generated bank files are of gen_ktl's account: one of the
	# company's, or they would be refused whole
	sed -e "s|file = customers.tsv|file = $top/tests/data/route/customers.tsv|" \
	    -e "s|^iban = FI2112345600000785, |iban = FI7429501800000014, FI2112345600000785, |" \
	    "$top/tests/data/route/amili.conf" >"$d/amili.conf"
}

# run_spool DIR: one run, timed; the stage lines from --times
run_spool() {
	d=$1
	s=$(date +%s%N)
	if [ -n "$timer" ]; then
		$timer -f '%M' -o "$d/rss" "$bin" run -q --times -c "$d/amili.conf" \
		    --today 2026-10-01 --settle 0 "$d" 2>"$d/times" || true
	else
		"$bin" run -q --times -c "$d/amili.conf" --today 2026-10-01 \
		    --settle 0 "$d" 2>"$d/times" || true
		echo "?" >"$d/rss"
	fi
	e=$(date +%s%N)
	inv=$(ls "$d/out/invoices" | wc -l)
	if [ -n "$(ls "$d/failed" 2>/dev/null)" ]; then
		echo "bench: the run rejected inputs: $(ls "$d/failed" | tr '\n' ' ')" >&2
		head -3 "$d/times" >&2
		exit 1
	fi
	wall=$(echo "scale=3; ($e - $s) / 1000000000" | bc)
	printf '%-34s %7.3f s wall %8s KB peak  (%s files sent)\n' \
	    "run: $2 invoices, $2 payments" "$wall" "$(tail -1 "$d/rss")" "$inv"
	[ "$2" != 100000 ] || printf '  target < 10 s wall: %s\n' \
	    "$(if [ "$(echo "$wall < 10" | bc)" = 1 ]; then echo met; else echo not met; fi)"
	grep '^reskontra run: stage' "$d/times" | sed 's/^reskontra run: /    /' || true
	grep -v '^reskontra run: stage' "$d/times" | head -5 >&2 || true
}

for size in $((n / 4)) "$n"; do
	make_spool "$work/s$size" "$size"
	sync	# the generated files' writeback is not the run's
	run_spool "$work/s$size" "$size"
	rm -rf "$work/s$size"
done
