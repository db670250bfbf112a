#!/bin/sh
# Finvoice reader throughput and peak memory beside xmllint.
#   sh tests/bench/bench_finvoice.sh [RESKONTRA] [N]
# Generates N (default 100000) framed invoices, then times
#   reskontra read FILE > /dev/null
#   xmllint --stream --noout on the same file (it stops at the second
#     XML declaration: a framed file is not one XML document); on the
#     same bytes as one well-formed document (only the XML declarations
#     left out, wrapped in one root), which is what the 1.2x target is
#     judged on, since reskontra reads the frames too; and on the
#     invoices alone (frames left out as well), shown beside it.
# Each time is the best of three runs.
# Memory must stay flat: a run on N/10 invoices is shown too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../reskontra}
n=${2:-100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-finvoice.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# seconds, user seconds and peak RSS (KiB) of a command, the best of
# three runs, from GNU time.
measure() {
	best=
	for i in 1 2 3; do
		/usr/bin/time -f "%e %U %M" -o "$tmp/time" "$@" >/dev/null \
		    2>"$tmp/err" || true
		r=$(tail -n 1 "$tmp/time")
		if [ -z "$best" ] || [ "$(echo "${r%% *} < ${best%% *}" | bc)" = 1 ]
		then
			best=$r
		fi
	done
	echo "$best"
}

for count in $((n / 10)) "$n"; do
	awk -v n="$count" -f "$here/gen_finvoice.awk" > "$tmp/f.xml"
	{
		echo '<?xml version="1.0" encoding="ISO-8859-15"?>'
		echo '<All>'
		grep -av '^<?xml' "$tmp/f.xml"
		echo '</All>'
	} > "$tmp/same.xml"
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
	set -- $(measure xmllint --stream --noout "$tmp/same.xml")
	st=$1 su=$2 sk=$3
	set -- $(measure xmllint --stream --noout "$tmp/one.xml")
	ot=$1 ou=$2 ok=$3
	echo "invoices $count ($size bytes), records $recs"
	awk -v t="$rt" -v u="$ru" -v k="$rk" -v c="$count" 'BEGIN { printf "  reskontra read              %6.2f s (user %5.2f)  %8.0f invoices/s  peak RSS %6d KiB\n", t, u, (t > 0 ? c / t : 0), k }'
	awk -v t="$xt" -v k="$xk" 'BEGIN { printf "  xmllint --stream (framed)    %6.2f s  stops at the 2nd XML declaration   peak RSS %6d KiB\n", t, k }'
	awk -v t="$st" -v u="$su" -v k="$sk" -v c="$count" 'BEGIN { printf "  xmllint --stream (same bytes) %5.2f s (user %5.2f)  %8.0f invoices/s  peak RSS %6d KiB\n", t, u, (t > 0 ? c / t : 0), k }'
	awk -v t="$ot" -v u="$ou" -v k="$ok" -v c="$count" 'BEGIN { printf "  xmllint --stream (no frames) %5.2f s (user %5.2f)  %8.0f invoices/s  peak RSS %6d KiB\n", t, u, (t > 0 ? c / t : 0), k }'
	awk -v r="$rt" -v s="$st" -v o="$ot" 'BEGIN { printf "  reskontra / xmllint same bytes %.2fx (target <= 1.2x): %s; / invoices alone %.2fx\n", (s > 0 ? r / s : 0), (s > 0 && r / s <= 1.2 ? "met" : "not met"), (o > 0 ? r / o : 0) }'
done
