#!/bin/sh
# The demo behind `make demo`: one spool per service configuration.
#
# usage: sh samples/demo.sh RESKONTRA
#
# Every directory samples/services/NAME/ holds reskontra.conf (paths in
# it relative to that directory), customers.tsv when the configuration
# names one, spool/in/ (the input files), `today` (the date the job runs
# on) and README (what the spool shows).  Each is copied to a fresh
# temporary directory, so the committed files are never touched, and
#
#     reskontra run -c reskontra.conf --today $(cat today) spool
#
# runs there twice: the second run must find nothing new.  Then the demo
# prints what went where and what each out/ folder holds.  A directory
# with a truth.tsv (plain/, made by tests/gen/gen_scenario) has every
# invoice's open amount compared with it as well.
#
# Exit status: 0 when every spool went as it should, 1 when one did
# not, 2 on usage errors.
set -u
if [ $# -ne 1 ]; then
	echo "usage: sh samples/demo.sh RESKONTRA" >&2
	exit 2
fi
case $1 in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
if [ ! -x "$bin" ]; then
	echo "demo: $1: not an executable" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-demo.XXXXXX") || exit 2
status=0

# Every file under DIR with its checksum, except the reports a run
# writes every time.
snapshot() {
	(cd "$1" && find . -type f ! -path './out/reports/*' ! -path './state/*' \
	    -exec cksum {} + | sort -k 3)
}

count_files() {
	if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi
}

# run_job DIR LABEL: one run of the cron job in DIR, exit status in rc.
run_job() {
	echo "== $2: reskontra run -c reskontra.conf --today $(cat "$1/today") spool"
	(cd "$1" && "$bin" run -c reskontra.conf --today "$(cat today)" spool)
	rc=$?
	echo "exit status $rc"
}

# show DIR: where the inputs went and what each out/ folder holds.
show() {
	spool=$1/spool
	echo "== where everything went"
	printf '  %-28s %s\n' "in/ (left over)" "$(count_files "$spool/in")"
	printf '  %-28s %s\n' "done/" "$(count_files "$spool/done")"
	printf '  %-28s %s\n' "failed/" "$(count_files "$spool/failed")"
	for o in "$spool"/out/*; do
		[ -d "$o" ] || continue
		printf '  %-28s %s\n' "out/$(basename "$o")/" "$(count_files "$o")"
		(cd "$o" && find . -type f | sed 's|^\./||' | sort | head -5 |
		    sed 's/^/      /')
		[ "$(count_files "$o")" -le 5 ] || echo "      ..."
	done
	echo "outputs: $spool/out"
	echo "ledger:  $spool/state/ledger.db"
}

# demo_one DIR: both runs and the checks for one service directory.
demo_one() {
	d=$1
	name=$(basename "$d")
	echo
	echo "######## samples/services/$name: $(count_files "$d/spool/in") input files"
	[ -f "$here/services/$name/README" ] &&
	    sed -n '1,3p' "$here/services/$name/README" | sed 's/^/# /'
	run_job "$d" "first run"
	[ "$rc" -le 1 ] || status=1
	snapshot "$d/spool" >"$d/after-run1"
	run_job "$d" "second run (must find nothing new)"
	[ "$rc" -le 1 ] || status=1
	snapshot "$d/spool" >"$d/after-run2"
	if cmp -s "$d/after-run1" "$d/after-run2" &&
	    [ "$(count_files "$d/spool/in")" -eq 0 ]; then
		echo "second run: nothing new, as it should be"
	else
		echo "second run changed the spool or left input behind:"
		diff "$d/after-run1" "$d/after-run2" | sed 's/^/  /'
		status=1
	fi
	show "$d"
	if [ -f "$d/truth.tsv" ]; then
		echo "== ledger against samples/services/$name/truth.tsv"
		"$bin" ledger -l "$d/spool/state/ledger.db" >"$d/ledger.tsv" ||
		    status=1
		sh "$top/tests/gen/check_truth.sh" "$d/truth.tsv" "$d/ledger.tsv" ||
		    status=1
		if [ "$(count_files "$d/spool/failed")" -gt 0 ]; then
			echo "rejected inputs (this spool has none that should be):"
			ls "$d/spool/failed" | sed 's/^/  /'
			status=1
		fi
	fi
}

echo "reskontra demo: work directory $work"
n=0
for src in "$here"/services/*/; do
	src=${src%/}
	[ -f "$src/reskontra.conf" ] && [ -f "$src/today" ] || continue
	cp -R "$src" "$work/$(basename "$src")" || exit 2
	n=$((n + 1))
done
if [ "$n" -eq 0 ]; then
	echo "demo: no samples/services/*/ directory" >&2
	exit 2
fi
# The copies are new files: wait until they are older than the spool's
# settling time (reskontra-run(1) --settle, default 5 seconds).
sleep 6
for d in "$work"/*/; do
	demo_one "${d%/}"
done
exit $status
