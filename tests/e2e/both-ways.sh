#!/bin/sh
# `reskontra run` and the single filters give the same decisions and the
# same outputs for the same inputs (src/pipeline/).
#
# A generated scenario (tests/gen) is processed twice: once through a
# spool by `reskontra run`, once file by file, in the spool's order, by
# the filters an operator would pipe together:
#
#   read FILE > recs             (a rejected file is left out, as the
#                                 spool files it under failed/)
#   route recs                   (a service that routes, Finvoice only)
#   rewrite -o invoices -r rejected FILE
#   match recs > allocs
#   post --first N allocs        (numbered on, as the spool numbers)
#   notify                       (after the last input)
#
# After the generated files come, in a second batch (a second run of the
# spool), three that have made the two ways disagree, each under the
# name of the first Finvoice file: its first invoice again with another
# due date (same number and date); the same with an invoice number of 69
# bytes (more than the ledger keeps); and with a number holding a '/'.
#
# The generated Finvoice files quote the rows' unit codes with '...', as
# some senders do: libxml2 would write "...", so the invoices sent show
# that both ways keep the bytes of what the rewrite does not change.
#
# Then the two ledgers (every invoice, every payment, every routing
# decision), the vouchers of each input, the invoices written for sending,
# the rejected invoices and the notices must be the same, byte for byte.
# Run for the plain company and for an amili company (routing, duplicate
# numbers, rejections) over the same files.
#
#   sh tests/e2e/both-ways.sh GEN_SCENARIO [SEED...]
#
# RESKONTRA names the binary.  Prints "both-ways: N passed, N failed".
set -u
: "${RESKONTRA:?RESKONTRA must name the binary}"
gen=$1
shift
seeds=${*:-11 23}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-both.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
LC_ALL=C
export LC_ALL

bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# file_as_spool FROM TO: move the files of FROM into TO, a name taken
# already numbered as the spool's out/ names are: NAME.1.EXT, NAME.2.EXT
# ... before an ending of up to 8 characters, else NAME.1 ...
file_as_spool() {
	for fx in $(cd "$1" && ls); do
		fn=$fx fi=0
		stem=${fx%.*} ext=${fx##*.}
		case $fx in
		.*|*.) stem= ;;
		esac
		while [ -e "$2/$fn" ]; do
			fi=$((fi + 1))
			if [ -n "$stem" ] && [ "$stem" != "$fx" ] &&
			    [ ${#ext} -le 8 ]; then
				fn=$stem.$fi.$ext
			else
				fn=$fx.$fi
			fi
		done
		mv "$1/$fx" "$2/$fn"
	done
}

# ledger_dump DB: everything the ledger knows, in a fixed order.
ledger_dump() {
	"$RESKONTRA" ledger -l "$1" || echo "ledger exit $?"
	"$RESKONTRA" ledger -l "$1" payments || echo "ledger payments exit $?"
	if sqlite3 "$1" "SELECT 1 FROM sqlite_master WHERE name =
	    'assignments'" | grep -q 1; then
		sqlite3 -separator '	' "$1" "SELECT number, invoice_no,
		    invoice_date, buyer_id, service, action, code, reason,
		    customer_group, reference, service_reference, language,
		    login_code, status, in_error, source FROM assignments
		    ORDER BY id"
	fi
}

# the spool way: G (generated), CONF, TODAY, OUT (a directory to make)
spool_way() {
	mkdir -p "$4/spool/in" || return 1
	for b in "$1/in" "$1"/extra/*; do
		cp "$b"/* "$4/spool/in/"
		"$RESKONTRA" run -q -c "$2" --today "$3" --settle 0 \
		    "$4/spool" >>"$4/run.out" 2>>"$4/run.err"
		echo "run exit $?" >>"$4/run.out"
	done
	mkdir -p "$4/cmp/vouchers"
	for d in invoices rejected notices; do
		mkdir -p "$4/cmp/$d"
		cp "$4/spool/out/$d"/* "$4/cmp/$d/" 2>/dev/null
	done
	cp "$4"/spool/out/vouchers/* "$4/cmp/vouchers/" 2>/dev/null
	ledger_dump "$4/spool/state/ledger.db" >"$4/cmp/ledger"
}

# the filter way: the same arguments
filter_way() {
	g=$1 c=$2 t=$3 o=$4
	l=$o/ledger.db
	mkdir -p "$o/recs" "$o/cmp/vouchers" "$o/cmp/invoices" \
	    "$o/cmp/rejected" "$o/cmp/notices" || return 1
	routes=$(sed -n 's/^type *= *\(amili\|kassavirta\|op-laskulaina\)$/\1/p' "$c")
	first=1
	mkdir -p "$o/done"
	for p in $(cd "$g" && ls in/*) $(cd "$g" && ls extra/*/*); do
		f=${p##*/} dir=$g/${p%/*}
		# where the spool files it: done/DAY/NAME, NAME.1 ... when
		# the name was filed before that day
		fd=$f fi=0
		while [ -e "$o/done/$fd" ]; do fi=$((fi + 1)); fd=$f.$fi; done
		# names as the spool gives them: the file's own name
		(cd "$dir" && "$RESKONTRA" read "$f") >"$o/recs/$f" \
		    2>>"$o/filters.err" || continue
		: >"$o/done/$fd"
		case $f in
		*.xml)
			if [ -n "$routes" ]; then
				"$RESKONTRA" route -c "$c" -l "$l" --today "$t" \
				    "$o/recs/$f" >/dev/null 2>>"$o/filters.err"
				rm -rf "$o/w" && mkdir -p "$o/w/i" "$o/w/r"
				(cd "$dir" && "$RESKONTRA" rewrite -c "$c" \
				    -l "$l" -o "$o/w/i" -r "$o/w/r" "$f") \
				    2>>"$o/filters.err"
				file_as_spool "$o/w/i" "$o/cmp/invoices"
				file_as_spool "$o/w/r" "$o/cmp/rejected"
			fi ;;
		esac
		"$RESKONTRA" match -c "$c" -l "$l" "$o/recs/$f" \
		    >"$o/alloc" 2>>"$o/filters.err"
		[ $? -le 1 ] || { echo "match $f failed"; return 1; }
		"$RESKONTRA" post -c "$c" --first "$first" "$o/alloc" \
		    >"$o/vouchers" 2>>"$o/filters.err"
		n=$(awk -F'\t' '$1 == "voucher" { v[$2] = 1 }
		    END { print length(v) }' "$o/vouchers")
		if [ "$n" -gt 0 ]; then
			# the spool names the file and the lines' sources
			# after where the input is filed
			awk -F'\t' -v OFS='\t' -v from="$f:" \
			    -v to="done/$t/$fd:" '$1 == "voucher" &&
			    index($NF, from) == 1 {
				$NF = to substr($NF, length(from) + 1) }
			    { print }' "$o/vouchers" \
			    >"$o/cmp/vouchers/$t-$fd.vouchers"
			first=$((first + n))
		fi
	done
	if [ -n "$routes" ]; then
		"$RESKONTRA" notify -c "$c" -l "$l" --today "$t" \
		    -o "$o/cmp/notices" 2>>"$o/filters.err" >/dev/null
	fi
	ledger_dump "$l" >"$o/cmp/ledger"
}

both() {	# NAME G CONF TODAY
	spool_way "$2" "$3" "$4" "$tmp/$1/spool-way"
	filter_way "$2" "$3" "$4" "$tmp/$1/filter-way"
	if diff -r "$tmp/$1/spool-way/cmp" "$tmp/$1/filter-way/cmp" \
	    >"$tmp/$1.diff"; then
		# the comparison is worth something only if there was work
		if [ "$(wc -l <"$tmp/$1/spool-way/cmp/ledger")" -lt 10 ]; then
			bad "$1: the ledger is nearly empty"
		elif [ -n "$(ls "$tmp/$1/spool-way/cmp/invoices")" ] &&
		    grep -q 'QuantityUnitCode="' \
		    "$tmp/$1/spool-way/cmp/invoices"/*; then
			bad "$1: the invoices sent lost the rows' own bytes"
		else
			pass=$((pass + 1))
		fi
	else
		bad "$1: run and the filters differ"
		head -40 "$tmp/$1.diff" | sed 's/^/  /'
	fi
}

for seed in $seeds; do
	g=$tmp/gen-$seed
	"$gen" --seed "$seed" --invoices 40 --days 5 --out "$g" >/dev/null ||
	    { bad "generator, seed $seed"; continue; }
	today=$(sed -n 's/^#.* last=\([0-9-]*\).*/\1/p' "$g/truth.tsv")
	for fx in "$g"/in/*finvoice*.xml; do
		sed "s/ QuantityUnitCode=\"\([^\"]*\)\"/ QuantityUnitCode='\\1'/" \
		    "$fx" >"$fx.q" && mv "$fx.q" "$fx"
	done
	f1=$(cd "$g/in" && ls | grep -- '-finvoice\.xml$' | head -1)
	no=$(sed -n 's/.*<InvoiceNumber>\([^<]*\)<.*/\1/p' "$g/in/$f1" | head -1)
	mkdir -p "$g/extra/1" "$g/extra/2" "$g/extra/3"
	sed 's/\(<InvoiceDueDate[^>]*>\)[0-9]*/\120261231/' "$g/in/$f1" \
	    >"$g/extra/1/$f1"
	sed "s|<InvoiceNumber>$no<|<InvoiceNumber>$no-0123456789012345678901234567890123456789012345678901234567890<|" \
	    "$g/in/$f1" >"$g/extra/2/$f1"
	sed "s|<InvoiceNumber>$no<|<InvoiceNumber>$no/B<|" "$g/in/$f1" \
	    >"$g/extra/3/$f1"
	both "plain-$seed" "$g" "$g/reskontra.conf" "$today"
	# amili over the same files: the company and customers of the
	# scenario, the service of tests/data/route/amili.conf, processed
	# on the first day so that due dates decide both ways
	sed -n '/^\[service\]/,/^\[customers\]/p' \
	    "$top/tests/data/route/amili.conf" | sed '$d' >"$g/service"
	awk 'FNR == NR { svc = svc $0 "\n"; next }
	    /^\[service\]/ { skip = 1; printf "%s", svc; next }
	    /^\[/ { skip = 0 }
	    !skip' "$g/service" "$g/reskontra.conf" >"$g/amili.conf"
	first=$(ls "$g/in" | head -1 | cut -c1-8)
	first=$(echo "$first" | sed 's/\(....\)\(..\)\(..\)/\1-\2-\3/')
	both "amili-$seed" "$g" "$g/amili.conf" "$first"
done
echo "both-ways: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
