#!/bin/sh
# Throughput and peak memory of reskontra on generated files.
#   sh tests/bench/bench.sh ./reskontra        (make bench)
#
# Each benchmark is a function bench_NAME; add one and list it in
# BENCHES.  `measure LABEL FILE CMD...` runs `CMD... FILE >/dev/null`
# three times and prints the best time as MB/s of FILE's size (MB:
# 10^6 bytes, the unit of the targets), with the peak RSS; `compare` does that for reskontra read, cat and wc -l.
#
# Targets, each printed beside the figure it is about, as a ratio to a
# baseline measured in the same run: KTL and KTO read >= 400 MB/s and
# within 8x of wc -l on the same file; Finvoice read within 1.2x of
# xmllint --stream; matching >= 200 000 payments/s with as many open
# invoices; the daily run of 100 000 invoices and 100 000 payments
# < 10 s wall on two cores.  Peak memory flat in the file size (< 64 MB
# for the readers), so every reader is run on two sizes.  The figures
# vary from run to run; no test compares them.
# BENCHES="ktl kto" picks benchmarks; BENCH_INVOICES, BENCH_REWRITE,
# BENCH_PAYMENTS and BENCH_RUN_INVOICES set the sizes of the Finvoice,
# rewrite, matching and daily runs.
set -eu
bin=${1:?usage: bench.sh RESKONTRA}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# GNU time prints the peak RSS; install it when missing and we may.
timer=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	timer=/usr/bin/time
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 &&
	    timer=/usr/bin/time
fi
[ -n "$timer" ] || echo "bench: /usr/bin/time missing: no memory figures" >&2

cc -O2 -o "$work/gen" "$here/gen_ktl.c"

# run_one FILE CMD... : prints "SECONDS KB" for CMD FILE >/dev/null
# (wall time from date(1) in nanoseconds; peak RSS from GNU time)
run_one() {
	f=$1; shift
	s=$(date +%s%N)
	if [ -n "$timer" ]; then
		$timer -f '%M' -o "$work/t" "$@" "$f" >/dev/null 2>"$work/err" ||
		    { cat "$work/err" >&2; return 1; }
	else
		"$@" "$f" >/dev/null 2>"$work/err" ||
		    { cat "$work/err" >&2; return 1; }
		echo "?" >"$work/t"
	fi
	e=$(date +%s%N)
	echo "$(echo "scale=3; ($e - $s) / 1000000000" | bc) $(cat "$work/t")"
}

# measure LABEL FILE CMD...
measure() {
	label=$1 f=$2; shift 2
	size=$(wc -c <"$f")
	best=
	for i in 1 2 3; do	# best of three
		r=$(run_one "$f" "$@")
		t=${r% *}
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
			best=$t rss=${r#* }
		fi
	done
	mbs=$(echo "scale=1; $size / 1000000 / $best" | bc)
	last_best=$best last_mbs=$mbs
	printf '%-34s %8.1f MB %7.3f s %8s MB/s %8s KB peak\n' "$label" \
	    "$(echo "scale=1; $size / 1000000" | bc)" "$best" "$mbs" "$rss"
}

# Three lines per file: reskontra read, then cat and wc -l for scale.
compare() {
	name=$1 f=$2
	measure "reskontra read $name" "$f" "$bin" read
	r_best=$last_best r_mbs=$last_mbs
	measure "cat $name" "$f" cat
	measure "wc -l $name" "$f" wc -l
	printf '  reskontra / wc -l %.1fx (target <= 8x), %s MB/s (target >= 400): %s\n' \
	    "$(echo "scale=2; $r_best / $last_best" | bc)" "$r_mbs" \
	    "$(if [ "$(echo "$r_mbs >= 400 && $r_best <= 8 * $last_best" | bc)" = 1 ]; then
		echo met; else echo not met; fi)"
}

bench_ktl() {
	echo "== KTL reference payments (gen_ktl ktl N)"
	for n in 100000 1000000; do
		"$work/gen" ktl $n >"$work/p$n.ktl"
		sync	# the file's writeback is not part of the reading
		compare "KTL $n payments" "$work/p$n.ktl"
	done
	# the output must be the whole file: one pay per payment
	got=$("$bin" read "$work/p1000000.ktl" | grep -c '^pay')
	[ "$got" = 1000000 ] || { echo "bench: KTL read gave $got pay records" >&2; exit 1; }
	rm -f "$work"/p*.ktl
}

bench_kto() {
	echo "== KTO statement (gen_ktl kto N: T10 + T11 per entry)"
	for n in 100000 500000; do
		"$work/gen" kto $n >"$work/s$n.kto"
		sync
		compare "KTO $n entries" "$work/s$n.kto"
	done
	rm -f "$work"/s*.kto
}

bench_finvoice() {
	echo "== Finvoice (framed invoices, beside xmllint --stream)"
	sh "$here/bench_finvoice.sh" "$bin" "${BENCH_INVOICES:-100000}"
}

bench_rewrite() {
	echo "== Finvoice rewrite (framed invoices routed for amili)"
	sh "$here/bench_rewrite.sh" "$bin" "${BENCH_REWRITE:-20000}"
}

bench_match() {
	echo "== Matching (N open invoices, then N payments)"
	sh "$here/bench_match.sh" "$bin" "${BENCH_PAYMENTS:-1000000}"
}

bench_run() {
	echo "== The daily run (an amili company's spool; reskontra run --times)"
	sh "$here/bench_run.sh" "$bin" "${BENCH_RUN_INVOICES:-100000}"
}

BENCHES=${BENCHES:-"ktl kto finvoice rewrite match run"}
for b in $BENCHES; do
	bench_$b
done
