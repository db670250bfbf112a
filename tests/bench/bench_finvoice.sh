#!/bin/sh
# Finvoice reader throughput and peak memory beside xmllint.
#   sh tests/bench/bench_finvoice.sh [RESKONTRA] [N]
# Generates N (default 100000) framed invoices, then times
#   reskontra read FILE > /dev/null
#   xmllint --stream --noout on the same file (it stops at the second
#     XML declaration: a framed file is not one XML document), and on the
#     same invoices as one well-formed document (declarations and frames
#     left out, wrapped in one root): the fair comparison of parse work.
# Memory must stay flat: a run on N/10 invoices is shown too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../reskontra}
n=${2:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-finvoice.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# seconds and peak RSS (KiB) of a command, from GNU time or /proc.
measure() {
	/usr/bin/time -f "%e %U %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || true
	tail -n 1 "$tmp/time"
}

for count in $((n / 10)) "$n"; do
	awk -v n="$count" -f "$here/gen_finvoice.awk" > "$tmp/f.xml"
	{
		echo '<?xml version="1.0" encoding="ISO-8859-15"?>'
		echo '<All>'
		awk '/^<SOAP-ENV:Envelope/,/^<\/SOAP-ENV:Envelope>/ { next }
		    /^<\?xml/ { next } { print }' "$tmp/f.xml"
		echo '</All>'
	} > "$tmp/one.xml"
	size=$(wc -c < "$tmp/f.xml")
	set -- $(measure "$bin" read "$tmp/f.xml")
	rt=$1 ru=$2 rk=$3
	recs=$("$bin" read "$tmp/f.xml" | grep -c '^inv' || true)
	set -- $(measure xmllint --stream --noout "$tmp/f.xml")
	xt=$1 xk=$3
	set -- $(measure xmllint --stream --noout "$tmp/one.xml")
	ot=$1 ou=$2 ok=$3
	echo "invoices $count ($size bytes), records $recs"
	awk -v t="$rt" -v u="$ru" -v k="$rk" -v c="$count" 'BEGIN { printf "  reskontra read            %6.2f s (user %5.2f)  %8.0f invoices/s  peak RSS %6d KiB\n", t, u, (t > 0 ? c / t : 0), k }'
	awk -v t="$xt" -v k="$xk" 'BEGIN { printf "  xmllint --stream (framed)  %6.2f s  stops at the 2nd XML declaration   peak RSS %6d KiB\n", t, k }'
	awk -v t="$ot" -v u="$ou" -v k="$ok" -v c="$count" -v r="$rt" 'BEGIN { printf "  xmllint --stream (one doc) %6.2f s (user %5.2f)  %8.0f invoices/s  peak RSS %6d KiB\n  reskontra / xmllint elapsed %.2fx (target <= 1.2x): %s\n", t, u, (t > 0 ? c / t : 0), k, (t > 0 ? r / t : 0), (t > 0 && r / t <= 1.2 ? "met" : "not met") }'
done
