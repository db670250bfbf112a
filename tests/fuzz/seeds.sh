#!/bin/sh
# Fill a directory with the seed inputs of one fuzz target.
#
#   sh tests/fuzz/seeds.sh TARGET DIR
#
# The seeds are tests/fuzz/seeds/TARGET/ (small hand-made inputs) and the
# sample files that fit the target: every file of tests/data for
# fuzz_read, the format's own directory for a reader target, the record
# streams of the golden cases for fuzz_records, the configurations of
# tests/data/ledger, samples/conf and samples/services (with the customers table after
# "@@") for fuzz_config.  A reader target gets each sample gzipped too,
# as banks may send it.  Files already in DIR are kept, so a growing
# corpus can be seeded again.  Used by run.sh (libFuzzer) and replay.sh
# (`make check`), so both run the same seeds.
set -u
[ $# = 2 ] || { echo "usage: sh tests/fuzz/seeds.sh TARGET DIR" >&2; exit 2; }
t=$1
mkdir -p "$2" || exit 2
dir=$(cd "$2" && pwd) || exit 2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

# Seeds a target gets from the sample files.
seed_files() {
	case $1 in
	fuzz_finvoice) ls tests/data/finvoice/* 2>/dev/null ;;
	fuzz_ktl) ls tests/data/ktl/* 2>/dev/null ;;
	fuzz_kto) ls tests/data/kto/* 2>/dev/null ;;
	fuzz_camt) ls tests/data/camt/* 2>/dev/null ;;
	fuzz_read) ls tests/data/*/* 2>/dev/null ;;
	fuzz_records) grep -l "^#reskontra records" tests/golden/*/stdout \
		    tests/golden/*/stdin 2>/dev/null ;;
	fuzz_config) ls tests/data/ledger/*.conf 2>/dev/null ;;
	fuzz_si_change) ls tests/data/si/*.xml tests/data/si/ri/*.xml 2>/dev/null ;;
	esac
}

if [ -d "tests/fuzz/seeds/$t" ]; then
	cp -n tests/fuzz/seeds/"$t"/* "$dir"/ 2>/dev/null
fi
for f in $(seed_files "$t"); do
	[ -f "$f" ] || continue
	n=$(echo "$f" | tr / _)
	cp -n "$f" "$dir/$n" || exit 2
	case $t in fuzz_records|fuzz_config) ;;
	*) [ -f "$dir/$n.gz" ] || gzip -c "$f" >"$dir/$n.gz" || exit 2 ;;
	esac
done
if [ "$t" = fuzz_config ]; then
	for f in samples/conf/*.conf samples/services/*/reskontra.conf; do
		[ -f "$f" ] || continue
		c=$(dirname "$f")/customers.tsv
		{ cat "$f"; printf '\n@@\n'
		  if [ -f "$c" ]; then cat "$c"; fi; } \
		    >"$dir/$(echo "$f" | tr / _)+customers" || exit 2
	done
fi
exit 0
