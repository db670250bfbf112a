#!/bin/sh
# The demo behind `make demo`: runs reskontra on the sample spool.
#
# usage: sh samples/demo.sh RESKONTRA
#
# The sample spool (samples/spool/in, made by tests/gen/gen_scenario; see
# samples/README) is copied to a fresh temporary directory, so the
# committed files are never touched, and the directory is left for you to
# look at.
#
# With the `run` command: runs the cron job twice on the copy (the second
# run must find nothing new), prints where the outputs are, what went
# where, and, when the binary has `ledger`, compares every invoice's open
# amount with samples/truth.tsv.  Without it: runs `reskontra read` on
# every file and counts the records per kind.
#
# Exit status: 0 when everything went as the truth says, 1 when not,
# 2 on usage errors.
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
truth=$here/truth.tsv
work=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-demo.XXXXXX") || exit 2
cp -R "$here/spool" "$work/spool"
cp "$here/reskontra.conf" "$here/customers.tsv" "$work/"
spool=$work/spool
# The job runs on the scenario's last banking day.
today=$(sed -n 's/^#.* last=\([0-9-]*\).*/\1/p' "$truth")
nin=$(ls "$spool/in" | wc -l)
status=0

has_command() {
	"$bin" help 2>/dev/null | grep -q "^  $1 "
}

# Every file under DIR with its checksum, except the reports a run
# writes every time.
snapshot() {
	(cd "$1" && find . -type f ! -path './out/reports/*' ! -path './state/*' \
	    -exec cksum {} + | sort -k 3)
}

count_files() {
	if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi
}

echo "reskontra demo: $nin input files of Esimerkki Oy (samples/README)"
echo "work directory: $work"

if has_command run; then
	echo
	echo "== first run: $bin run -c reskontra.conf --today $today --settle 0 spool"
	"$bin" run -c "$work/reskontra.conf" --today "$today" --settle 0 "$spool"
	rc=$?
	echo "exit status $rc"
	snapshot "$spool" >"$work/after-run1"
	echo
	echo "== second run (same spool; must find nothing new)"
	"$bin" run -c "$work/reskontra.conf" --today "$today" --settle 0 "$spool"
	rc2=$?
	echo "exit status $rc2"
	snapshot "$spool" >"$work/after-run2"
	if cmp -s "$work/after-run1" "$work/after-run2" &&
	    [ "$(count_files "$spool/in")" -eq 0 ]; then
		echo "second run: nothing new, as it should be"
	else
		echo "second run changed the spool:"
		diff "$work/after-run1" "$work/after-run2" | sed 's/^/  /'
		status=1
	fi
	[ "$rc2" -le 1 ] || status=1
	echo
	echo "== where everything went"
	printf '  %-28s %s\n' "in/ (left over)" "$(count_files "$spool/in")"
	printf '  %-28s %s\n' "done/" "$(count_files "$spool/done")"
	printf '  %-28s %s\n' "failed/" "$(count_files "$spool/failed")"
	for d in "$spool"/out/*; do
		[ -d "$d" ] || continue
		printf '  %-28s %s\n' "out/$(basename "$d")/" "$(count_files "$d")"
	done
	echo "outputs: $spool/out"
	echo "ledger:  $spool/state/ledger.db"
	if [ "$(count_files "$spool/failed")" -gt 0 ]; then
		echo "rejected inputs (the sample spool has none that should be):"
		ls "$spool/failed" | sed 's/^/  /'
		status=1
	fi
	if has_command ledger; then
		echo
		echo "== ledger against samples/truth.tsv"
		"$bin" ledger -l "$spool/state/ledger.db" >"$work/ledger.tsv" ||
		    status=1
		sh "$top/tests/gen/check_truth.sh" "$truth" "$work/ledger.tsv" ||
		    status=1
	fi
	exit $status
fi

# No `run` yet: read every file and count what comes out.
echo
echo "== $bin read, file by file"
: >"$work/kinds"
ok=0 rejected=0 unread=0
for f in "$spool"/in/*; do
	b=$(basename "$f")
	if "$bin" read "$f" >"$work/records" 2>"$work/errors"; then
		ok=$((ok + 1))
		grep -v '^#' "$work/records" | cut -f1 >>"$work/kinds"
	elif grep -q 'recognised but not read' "$work/errors"; then
		unread=$((unread + 1))
	else
		rejected=$((rejected + 1))
		echo "rejected: $b"
		sed 's/^/  /' "$work/errors" | head -3
	fi
done
echo "files read: $ok, rejected: $rejected, of a kind this version does not read yet: $unread"
echo
echo "== records per kind"
if [ -s "$work/kinds" ]; then
	sort "$work/kinds" | uniq -c | awk '{ printf "  %-8s %6d\n", $2, $1 }'
else
	echo "  (none)"
fi
echo
echo "== what samples/truth.tsv says the files hold"
awk -F '\t' '
$1 == "inv" { if ($8 == "credit") c++; else i++ }
$1 == "pay" { p++ }
END { printf "  %-22s %6d\n  %-22s %6d\n  %-22s %6d\n", "invoices", i, "credit notes", c, "KTL payment records", p }' "$truth"
printf '  %-22s %6d\n' "KTO statements" "$(ls "$spool"/in/*.kto | wc -l)"
echo
echo "records: $work/records (last file); spool copy: $spool"
[ "$rejected" -eq 0 ] || status=1
exit $status
