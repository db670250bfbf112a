#!/bin/sh
# Finvoice rewrite: time and peak memory of `reskontra rewrite` on a
# generated framed file, after `reskontra read | reskontra route` stored
# the decisions (amili, every invoice routed).
#   sh tests/bench/bench_rewrite.sh [RESKONTRA] [N]
# Runs on N/10 and N invoices: the peak must not grow with the file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../reskontra}
n=${2:-20000}
conf=$here/../data/route/amili.conf
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-rewrite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

for count in $((n / 10)) "$n"; do
	rm -rf "$tmp/out" "$tmp/l.db"
	awk -v n="$count" -f "$here/gen_finvoice.awk" > "$tmp/f.xml"
	size=$(wc -c < "$tmp/f.xml")
	"$bin" read "$tmp/f.xml" 2>/dev/null |
	    "$bin" route -c "$conf" -l "$tmp/l.db" --today 2026-09-01 \
	    >/dev/null 2>&1 || true
	mkdir -p "$tmp/out"
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" rewrite -c "$conf" \
	    -l "$tmp/l.db" -o "$tmp/out" "$tmp/f.xml" 2>"$tmp/err" || true
	set -- $(tail -n 1 "$tmp/time")
	out=$(cat "$tmp/out/f.xml" 2>/dev/null | wc -c)
	echo "invoices $count ($size bytes in, $out bytes out)"
	awk -v t="$1" -v k="$2" 'BEGIN { printf "  reskontra rewrite  %6.2f s  peak RSS %6d KiB\n", t, k }'
done
