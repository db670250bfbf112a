#!/bin/sh
# Fault tests of `reskontra run` (DESIGN.md "The spool", "Guarantees").
#
# Each test builds a fresh spool in a scratch directory, drops files into
# in/, runs the binary ($RESKONTRA) and checks what is on disk and in the
# journal (state/ledger.db, read with sqlite3(1)).  The kill tests compare
# the end state after a crash and a rerun with the end state of a run that
# was not disturbed: same files in the same places with the same bytes,
# every input in exactly one report.
#
# Inputs that a reader accepts come from tests/data/ktl/; when this build
# has no KTL reader yet, the tests that need an accepted input say "skip".
#
# Usage: sh tests/spool/run-tests.sh [TEST...]; an unknown TEST fails.
# Prints "spool: N passed, N failed" (and skipped, if any) at the end.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${RESKONTRA:=$top/reskontra}"
: "${CC:=cc}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-spool.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
today=2024-05-02
conf=$scratch/reskontra.conf
printf '[company]\nname = Spool Oy\nbusiness_id = 0737546-2\n' >"$conf"

pass=0 fail=0 skip=0 failed=
current=

say() { printf '%s\n' "$*" >&2; }
# A test fails when it called bad at least once; it is counted once.
bad() {
	nbad=$((nbad + 1))
	say "FAIL $current: $*"
}
skipped() {
	skipping=1
	say "skip $current: $*"
}

# run SPOOL [ARGS...]: the command under test; status in $rc, output in
# $scratch/stdout and $scratch/stderr.
run() {
	sp=$1
	shift
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 0 \
	    "$@" "$sp" >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
}

newspool() {
	sp=$scratch/$1
	rm -rf "$sp"
	mkdir -p "$sp/in"
	printf '%s\n' "$sp"
}

# An input a reader accepts (its path), or empty.
accepted=
for f in "$top"/tests/data/ktl/*; do
	[ -f "$f" ] || continue
	if "$RESKONTRA" check "$f" >/dev/null 2>&1; then
		accepted=$f
		break
	fi
done
accepted2=
for f in "$top"/tests/data/ktl/*; do
	[ -f "$f" ] && [ "$f" != "$accepted" ] || continue
	if "$RESKONTRA" check "$f" >/dev/null 2>&1; then
		accepted2=$f
		break
	fi
done

sql() { sqlite3 "$1/state/ledger.db" "$2"; }

# The accepted inputs' payments meet an empty ledger: each is booked to
# suspense, one line on stderr each and exit 1 (reskontra-run(1)).
# only_suspense: stderr holds such lines and nothing else.
only_suspense() {
	grep -q ': booked to suspense (' "$scratch/stderr" &&
	    ! grep -v '^reskontra: .*: payment of .*: booked to suspense (' \
	    "$scratch/stderr"
}

hash_of() { sha256sum <"$1" | cut -c1-64; }

# Hashes of the regular files under the given directories, one a line,
# sorted; .error files left out.  Works for any file name.
content_hashes() {
	find "$@" -type f ! -name '*.error' -exec sh -c \
	    'for f; do sha256sum <"$f" | cut -c1-64; done' _ {} + | sort
}

# Things a finished run must leave behind in any case.  (sh has no local
# variables: this function sets n, e, f and the positional parameters.)
check_clean() {
	sp=$1
	n=$(find "$sp/in" "$sp/work" "$sp/state/staging" -mindepth 1 | wc -l)
	[ "$n" -eq 0 ] || { bad "in/, work/ or state/staging not empty:" \
	    "$(find "$sp/in" "$sp/work" "$sp/state/staging" -mindepth 1)";
	    return 1; }
	n=$(find "$sp/out" "$sp/failed" -name '.*' | wc -l)
	[ "$n" -eq 0 ] || { bad "temporary files left: $(find "$sp/out" \
	    "$sp/failed" -name '.*')"; return 1; }
	# Every failed input has its .error, and no .error is alone.
	for e in "$sp"/failed/*.error; do
		[ -e "$e" ] || continue
		[ -e "${e%.error}" ] || [ -L "${e%.error}" ] ||
		    { bad "$e without its input"; return 1; }
	done
	for f in "$sp"/failed/*; do
		case $f in *.error) continue ;; esac
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ -f "$f.error" ] || { bad "$f without $f.error"; return 1; }
	done
	# Every input in exactly one report, every journal row filed, no
	# hash processed twice.
	inreports=$(cat "$sp"/out/reports/run-*.tsv 2>/dev/null |
	    grep -c '^input	')
	set -- $(sql "$sp" "SELECT (SELECT count(*) FROM spool_input),
	    (SELECT count(*) FROM spool_input WHERE filed = 0),
	    (SELECT count(*) FROM spool_run WHERE reported = 0),
	    (SELECT count(*) FROM (SELECT sha256 FROM spool_input
	     WHERE outcome = 'processed' GROUP BY sha256 HAVING count(*) > 1))" |
	    tr '|' ' ')
	[ "$inreports" = "$1" ] || { bad "$1 inputs journalled," \
	    "$inreports in reports"; return 1; }
	[ "$2" = 0 ] || { bad "$2 journal rows not filed"; return 1; }
	[ "$3" = 0 ] || { bad "$3 runs without a report"; return 1; }
	[ "$4" = 0 ] || { bad "an input processed twice"; return 1; }
	return 0
}

# A fingerprint of where everything ended: every file under done/, failed/
# and out/ except the reports, with its hash; and the report lines with
# the per-report input number (and the run a repeat's first copy was in)
# left out.
fingerprint() {
	sp=$1
	(cd "$sp" && find done failed out -type f ! -path 'out/reports/*' \
	    -exec sh -c 'for f; do printf "%s " "$f"; sha256sum <"$f" |
	    cut -c1-64; done' _ {} + | sort)
	cat "$sp"/out/reports/run-*.tsv 2>/dev/null |
	    grep -v -e '^#' -e '^run	' -e '^summary	' -e '^total	' |
	    awk -F'\t' 'BEGIN { OFS = "\t" }
		{ $2 = "" }
		# which run processed the first copy depends on the crashes
		$1 == "repeats" { $3 = "" }
		{ print }' | sort
}

# The mix of inputs for the fault tests: rejected, refused, oddly named,
# and -- when there is a reader -- accepted and repeated ones.  Kept small:
# the crash test runs the whole mix once per step.
drop_mix() {
	sp=$1
	printf 'not a bank file\n' >"$sp/in/garbage one.txt"
	printf 'T99 nothing\n' >"$sp/in/-leading-$(printf 'new\nline')"
	ln -s /etc/hostname "$sp/in/link"
	if [ -n "$accepted" ]; then
		cp "$accepted" "$sp/in/a first.ktl"
		cp "$accepted" "$sp/in/b again.ktl"
	fi
	if [ -n "$accepted2" ]; then
		cp "$accepted2" "$sp/in/-c.ktl"
	fi
}

# A directory with neither in/ nor state/ledger.db is not a spool: the
# run refuses it and creates nothing there, unless asked with --init.
t_layout() {
	sp=$(newspool layout)
	rmdir "$sp/in"
	mkdir "$sp/work"
	printf 'not an input\n' >"$sp/work/somebody's file"
	run "$sp"
	[ "$rc" = 2 ] || bad "exit $rc on a directory that is not a spool, want 2"
	grep -qF "$sp: not a spool (no in/ or state/ledger.db); use --init to create one" \
	    "$scratch/stderr" || bad "no message: $(cat "$scratch/stderr")"
	[ "$(cd "$sp" && find . | sort | tr '\n' ' ')" = ". ./work ./work/somebody's file " ] ||
	    bad "created or moved something: $(cd "$sp" && find .)"
	rm -r "$sp/work"
	run "$sp" --init
	[ "$rc" = 0 ] || bad "exit $rc on an empty spool with --init"
	for d in in work done/$today failed state out/invoices out/rejected \
	    out/si out/factoring out/vouchers out/notices out/reports; do
		[ -d "$sp/$d" ] || bad "no $d/"
	done
	[ -z "$(ls "$sp/out/reports")" ] || bad "a report for a run that did nothing"
	[ -s "$scratch/stdout" ] && bad "output from a run that did nothing"
	# The ledger alone makes a spool too: a lost in/ is made again.
	rmdir "$sp/in"
	run "$sp"
	[ "$rc" = 0 ] || bad "exit $rc on a spool without in/: $(cat "$scratch/stderr")"
	[ -d "$sp/in" ] || bad "in/ not made again"
	# A spool directory that does not exist yet: named, not made,
	# unless --init, which makes it but not its parents.
	new=$scratch/layout-new
	run "$new"
	[ "$rc" = 3 ] || bad "exit $rc on a spool that does not exist, want 3"
	grep -qF "$new: no such directory; use --init to create a spool there" \
	    "$scratch/stderr" || bad "no message: $(cat "$scratch/stderr")"
	# no inputs can be in a spool that is not there
	grep -q "unfinished inputs" "$scratch/stderr" &&
	    bad "speaks of unfinished inputs: $(cat "$scratch/stderr")"
	[ -e "$new" ] && bad "made $new without --init"
	run "$new/sub" --init
	[ "$rc" = 2 ] || bad "exit $rc with --init under a missing parent, want 2"
	grep -qF "$new/sub: cannot create the spool directory: its parent does not exist" \
	    "$scratch/stderr" || bad "no message: $(cat "$scratch/stderr")"
	[ -e "$new" ] && bad "made the missing parent $new"
	run "$new" --init
	[ "$rc" = 0 ] || bad "exit $rc with --init on a new spool: $(cat "$scratch/stderr")"
	[ -d "$new/in" ] && [ -d "$new/state" ] || bad "--init made no spool in $new"
}

# build_shim: the LD_PRELOAD shim in $shim, or say skip (status 1).
build_shim() {
	shim=$scratch/failshim.so
	if [ ! -f "$shim" ] && ! $CC -shared -fPIC -o "$shim" \
	    "$top/tests/spool/failshim.c" -ldl 2>"$scratch/cc.err"; then
		# the build machine has a compiler: a shim that does not
		# build is a defect, not a reason to skip
		bad "cannot build the LD_PRELOAD shim: $(cat "$scratch/cc.err")"
		return 1
	fi
}

# SPOOL "" (an unset variable in a cron line) or / is refused with exit 2
# before anything is made.  Under the shim nothing can be created outside
# the scratch directory, so a run that tried harms nothing here.
t_root() {
	build_shim || return
	ln -sfn / "$scratch/to-root"
	for root in '' / // "$scratch/to-root" "$scratch/to-root/"; do
		ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=$shim \
		    FAILSHIM_ONLY_UNDER=$scratch run "$root"
		[ "$rc" = 2 ] || bad "SPOOL '$root': exit $rc, want 2: $(cat "$scratch/stderr")"
		case $root in
		'') grep -q 'SPOOL is empty' "$scratch/stderr" ;;
		*) grep -q 'resolves to the root directory /' "$scratch/stderr" ;;
		esac || bad "SPOOL '$root': no message: $(cat "$scratch/stderr")"
		ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=$shim \
		    FAILSHIM_ONLY_UNDER=$scratch run "$root" --init
		[ "$rc" = 2 ] || bad "SPOOL '$root' --init: exit $rc, want 2"
	done
}

# A spool reached through a symbolic link (SPOOL -> /data/acme) is an
# ordinary spool: its input is processed and its ledger made where the
# link points.  Only the ledger file itself may not be a link.
t_linked_root() {
	real=$(newspool linked-real)
	ln -sfn "$real" "$scratch/linked"
	cp "$accepted" "$real/in/"
	run "$scratch/linked"
	[ "$rc" = 1 ] && only_suspense ||
	    bad "exit $rc through a linked spool, want 1 (suspense): $(cat "$scratch/stderr")"
	[ -f "$real/state/ledger.db" ] && [ ! -L "$real/state/ledger.db" ] ||
	    bad "no ledger where the link points"
	[ -z "$(ls "$real/in")" ] && [ -n "$(ls "$real/done/$today")" ] ||
	    bad "the input was not filed: in/ $(ls "$real/in"), done/ $(ls "$real/done/$today")"
	mv "$real/state/ledger.db" "$scratch/linked-ledger.db"
	ln -s "$scratch/linked-ledger.db" "$real/state/ledger.db"
	run "$scratch/linked"
	[ "$rc" = 3 ] || bad "exit $rc with state/ledger.db a link, want 3"
	grep -qF "ledger.db: cannot open ledger: it is a symbolic link" \
	    "$scratch/stderr" || bad "no message: $(cat "$scratch/stderr")"
}

# A directory of the spool on another file system (here out/invoices, a
# tmpfs mounted over it) is found before anything is claimed: exit 3,
# the input stays in in/, and the run after the mount is gone goes on.
# Needs mount(8) permission; skipped without it.
t_other_fs() {
	sp=$(newspool other-fs)
	run "$sp" --init
	if ! mount -t tmpfs none "$sp/out/invoices" 2>/dev/null; then
		skipped "cannot mount a tmpfs"
		return
	fi
	cp "$accepted" "$sp/in/"
	run "$sp"
	umount "$sp/out/invoices"
	[ "$rc" = 3 ] || bad "exit $rc with out/invoices on another file system, want 3"
	grep -qF "out/invoices: not on the file system of state/staging" \
	    "$scratch/stderr" || bad "no message: $(cat "$scratch/stderr")"
	[ -n "$(ls "$sp/in")" ] && [ -z "$(ls "$sp/work")" ] ||
	    bad "the input was claimed: in/ $(ls "$sp/in"), work/ $(ls "$sp/work")"
	[ "$(sql "$sp" "SELECT count(*) FROM spool_input")" = 0 ] ||
	    bad "an input was journalled"
	run "$sp"
	[ "$rc" = 1 ] && only_suspense || bad "after the umount: exit $rc: $(cat "$scratch/stderr")"
}

# Entries in work/ that no run claimed (the journal has no claim for
# them) are left where they are, with a warning on stderr and in the
# report; never filed as refused.
t_stray() {
	sp=$(newspool stray)
	run "$sp"
	printf 'not ours\n' >"$sp/work/stray file"
	mkdir "$sp/work/stray dir"
	printf 'junk\n' >"$sp/in/junk"
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1 (junk rejected): $(cat "$scratch/stderr")"
	[ "$(cat "$sp/work/stray file" 2>/dev/null)" = "not ours" ] &&
	    [ -d "$sp/work/stray dir" ] || bad "a stray entry left work/"
	[ "$(ls "$sp/failed" | tr '\n' ' ')" = "junk junk.error " ] ||
	    bad "failed/ holds more than junk: $(ls "$sp/failed")"
	for n in "stray file" "stray dir"; do
		grep -qF "warning: work/$n: not claimed by any run" "$scratch/stderr" ||
		    bad "no warning for work/$n: $(cat "$scratch/stderr")"
		grep -qF "stray	work/$n	" "$sp/out/reports/run-$today-001.tsv" ||
		    bad "work/$n not in the report"
	done
	[ "$(sql "$sp" "SELECT count(*) FROM spool_input")" = 1 ] ||
	    bad "strays journalled as inputs"
	# Every run says it again, also with -q; an input of the same name
	# waits in in/.
	printf 'junk 2\n' >"$sp/in/stray file"
	run "$sp" -q
	[ "$rc" = 1 ] || bad "exit $rc on a second run, want 1 (strays to look at)"
	grep -qF "warning: work/stray file: not claimed" "$scratch/stderr" ||
	    bad "-q: no warning"
	grep -qF "in/stray file: not claimed: work/stray file is in the way" \
	    "$scratch/stderr" || bad "no warning for in/stray file: $(cat "$scratch/stderr")"
	[ "$(cat "$sp/in/stray file" 2>/dev/null)" = "junk 2" ] &&
	    [ "$(cat "$sp/work/stray file" 2>/dev/null)" = "not ours" ] ||
	    bad "in/stray file or work/stray file moved"
	# ... but only the first run that saw them has them in its report
	[ "$(ls "$sp/out/reports" | grep -c '\.tsv$')" = 1 ] ||
	    bad "a new report for strays said before: $(ls "$sp/out/reports")"
	# Moved back to in/, a stray is an input like any other.
	rm "$sp/in/stray file"
	mv "$sp/work/stray file" "$sp/in/stray file"
	rmdir "$sp/work/stray dir"
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	[ "$(cat "$sp/failed/stray file" 2>/dev/null)" = "not ours" ] ||
	    bad "the former stray was not filed"
	check_clean "$sp"
}

# The claim is journalled before the rename into work/: a run killed
# between the two leaves the input in in/ and a claim that the next run
# drops; killed after the rename, the claim makes the next run take it
# from work/.  Step 1 is the lock, 2 the claim, 3 the rename.
t_claim() {
	sp=$(newspool claim)
	printf 'junk\n' >"$sp/in/one"
	RESKONTRA_CRASH_AFTER=2 run "$sp"
	[ "$rc" = 134 ] || bad "crash hook: exit $rc"
	[ -f "$sp/in/one" ] || bad "in/one moved before the claim"
	[ "$(sql "$sp" "SELECT CAST(name AS TEXT) FROM spool_claim")" = one ] ||
	    bad "no claim journalled before the rename"
	run "$sp"
	[ "$rc" = 1 ] || bad "rerun: exit $rc, want 1: $(cat "$scratch/stderr")"
	[ -f "$sp/failed/one" ] || bad "one not filed after a crash before the rename"
	check_clean "$sp"
	printf 'junk 2\n' >"$sp/in/two"
	RESKONTRA_CRASH_AFTER=3 run "$sp"
	[ "$rc" = 134 ] || bad "crash hook: exit $rc"
	[ -f "$sp/work/two" ] || bad "work/two missing after a crash after the rename"
	run "$sp"
	[ "$rc" = 1 ] || bad "rerun: exit $rc, want 1: $(cat "$scratch/stderr")"
	[ -f "$sp/failed/two" ] || bad "two not filed after a crash after the rename"
	grep -q 'not claimed' "$scratch/stderr" && bad "a claimed input taken for a stray"
	[ "$(sql "$sp" "SELECT count(*) FROM spool_claim")" = 0 ] ||
	    bad "claims left in the journal"
	check_clean "$sp"
}

# longname LEN TAG: a name of LEN bytes: TAG, zeros, then LEN.  Names of
# one TAG differ only at their end.
longname() {
	printf "%s%0$(($1 - ${#2}))d" "$2" "$1"
}

# Names of 240 to 255 bytes (NAME_MAX): rejected, refused and accepted
# ones are filed once each, under a name that fits with its suffixes and
# temporaries, and a good file next to them is processed.  The run ends.
t_long_names() {
	sp=$(newspool long)
	drop_long() {
		len=240
		while [ "$len" -le 255 ]; do
			printf 'junk %s\n' "$len$1" >"$sp/in/$(longname "$len" r-)"
			ln -s "/nonexistent/$len" "$sp/in/$(longname "$len" s-)"
			[ -z "$accepted" ] || cp "$accepted" "$sp/in/$(longname "$len" a-)"
			len=$((len + 1))
		done
	}
	drop_long ""
	[ -z "$accepted2" ] || cp "$accepted2" "$sp/in/good.ktl"
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1: $(head -c 2000 "$scratch/stderr")"
	check_clean "$sp" || return
	# Once more, so that the names need a suffix.
	drop_long " again"
	run "$sp"
	[ "$rc" = 1 ] || bad "second run: exit $rc, want 1: $(head -c 2000 "$scratch/stderr")"
	check_clean "$sp" || return
	set -- $(sql "$sp" "SELECT count(*), count(DISTINCT name || '/' || run),
	    count(DISTINCT dest) FROM spool_input" | tr '|' ' ')
	want=$((2 * 16 * 2 + 1))
	[ -n "$accepted" ] && want=$((want + 2 * 16))
	[ -z "$accepted2" ] && want=$((want - 1))
	[ "$1" = "$want" ] && [ "$2" = "$want" ] && [ "$3" = "$want" ] ||
	    bad "journal: $* (inputs, names, places), want $want each"
	sql "$sp" "SELECT dest FROM spool_input" >"$scratch/dests"
	while IFS= read -r dest; do
		[ -e "$sp/$dest" ] || [ -L "$sp/$dest" ] || bad "$dest missing"
	done <"$scratch/dests"
	n=$(find "$sp/done" "$sp/failed" -mindepth 1 ! -type d ! -name '*.error' | wc -l)
	[ "$n" = "$want" ] || bad "$n inputs filed, want $want"
	# stderr and the report name the places where they are.
	sql "$sp" "SELECT dest FROM spool_input WHERE run = 2 AND
	    outcome IN ('rejected', 'refused')" >"$scratch/dests"
	[ "$(wc -l <"$scratch/dests")" = 32 ] || bad "not 32 failed in run 2"
	while IFS= read -r dest; do
		grep -qF ", filed as $dest" "$scratch/stderr" ||
		    bad "stderr does not say 'filed as $dest'"
		grep -qF "	$dest" "$sp/out/reports/run-$today-002.tsv" ||
		    bad "report does not name $dest"
	done <"$scratch/dests"
	if [ -n "$accepted2" ]; then
		[ "$(sql "$sp" "SELECT outcome || ' ' || dest FROM spool_input
		    WHERE name = CAST('good.ktl' AS BLOB)")" = \
		    "processed done/$today/good.ktl" ] || bad "good.ktl not processed"
	fi
	run "$sp"
	[ "$rc" = 0 ] || bad "third run: exit $rc"
}

t_refuse() {
	sp=$(newspool refuse)
	outside=$scratch/outside
	rm -rf "$outside"
	mkdir -p "$outside/dir"
	printf 'secret\n' >"$outside/secret"
	ln -s "$outside/secret" "$sp/in/link-to-file"
	ln -s "$outside/dir" "$sp/in/link-to-dir"
	ln -s "$outside/none" "$sp/in/dangling"
	mkfifo "$sp/in/fifo"
	mkdir "$sp/in/dir"
	printf 'x\n' >"$sp/in/dir/inside"
	ln "$outside/secret" "$sp/in/hardlink"
	before=$(ls -lA --time-style=full-iso "$outside" "$outside/dir"; hash_of "$outside/secret")
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	for n in link-to-file link-to-dir dangling fifo dir hardlink; do
		[ -e "$sp/failed/$n" ] || [ -L "$sp/failed/$n" ] ||
		    bad "$n not in failed/"
		grep -q refused "$sp/failed/$n.error" 2>/dev/null ||
		    bad "$n.error does not say refused"
		grep -q "$n" "$scratch/stderr" || bad "$n not listed on stderr"
	done
	[ -L "$sp/failed/link-to-file" ] || bad "the link itself was not moved"
	[ -p "$sp/failed/fifo" ] || bad "the fifo is not in failed/"
	after=$(ls -lA --time-style=full-iso "$outside" "$outside/dir"; hash_of "$outside/secret")
	[ "$before" = "$after" ] || bad "something outside the spool changed: $before /// $after"
	[ "$(sql "$sp" "SELECT count(*) FROM spool_input WHERE outcome = 'refused'")" = 6 ] ||
	    bad "journal does not hold 6 refused entries"
	check_clean "$sp"
}

t_names() {
	sp=$(newspool names)
	nl=$(printf 'new\nline')
	printf 'junk\n' >"$sp/in/with space"
	printf 'junk 2\n' >"$sp/in/$nl"
	printf 'junk 3\n' >"$sp/in/-n"
	printf 'junk 4\n' >"$sp/in/--help"
	printf 'junk 5\n' >"$sp/in/tab	name"
	if [ -n "$accepted" ]; then
		cp "$accepted" "$sp/in/-accepted $nl name"
	fi
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	for n in "with space" "$nl" "-n" "--help" "tab	name"; do
		[ -f "$sp/failed/$n" ] || bad "'$n' not in failed/"
		[ -f "$sp/failed/$n.error" ] || bad "'$n'.error missing"
	done
	if [ -n "$accepted" ]; then
		[ -f "$sp/done/$today/-accepted $nl name" ] ||
		    bad "accepted odd name not in done/"
	fi
	grep -q '^input	[0-9]*	rejected	new\\nline	' \
	    "$sp"/out/reports/run-$today-001.tsv || bad "newline not escaped in the report"
	check_clean "$sp"
}

# Control bytes in a file name reach the operator shown as \n, \x1b:
# never raw on stderr (-v progress, the rejected lines), where a newline
# would forge a line and an ESC would drive the terminal.
t_control_names() {
	sp=$(newspool control-names)
	odd=$(printf 'a\nb\033[31mc')
	printf 'junk\n' >"$sp/in/$odd"
	if [ -n "$accepted" ]; then
		cp "$accepted" "$sp/in/ok$(printf '\033')]0;x$(printf '\007').ktl"
	fi
	run "$sp" -v
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	[ -f "$sp/failed/$odd" ] || bad "odd name not in failed/"
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" \
	    "$scratch/stderr" "$scratch/stdout"; then
		bad "a control byte reached stderr or stdout raw"
	fi
	grep -q '^reskontra run: a\\nb\\x1b\[31mc: claimed$' "$scratch/stderr" ||
	    bad "-v line does not show the name escaped"
	grep -q '^reskontra run: a\\nb\\x1b\[31mc: rejected, filed as failed/a\\nb\\x1b\[31mc$' \
	    "$scratch/stderr" || bad "rejected line does not show the name escaped"
	if grep -v '^reskontra' "$scratch/stderr" | grep -q .; then
		bad "a line of stderr not written by reskontra (forged by a newline)"
	fi
	check_clean "$sp"
}

t_ignored() {
	sp=$(newspool ignored)
	for n in .hidden x.part x.tmp x.filepart; do
		printf 'data\n' >"$sp/in/$n"
	done
	run "$sp"
	[ "$rc" = 0 ] || bad "exit $rc, want 0"
	for n in .hidden x.part x.tmp x.filepart; do
		[ -f "$sp/in/$n" ] || bad "$n was touched"
	done
}

# A run killed while it checked that it can write leaves a probe file:
# in work/ it must be removed, not taken for an input.
t_leftover_probe() {
	sp=$(newspool probe)
	run "$sp"
	printf 'x' >"$sp/work/.reskontra-probe.12345"
	printf 'x' >"$sp/done/$today/.reskontra-probe.12345"
	printf 'x' >"$sp/out/vouchers/.reskontra-probe.12345"
	[ -n "$accepted" ] && cp "$accepted" "$sp/in/pay.ktl"
	run "$sp"
	[ "$rc" = 1 ] && only_suspense ||
	    bad "exit $rc, want 1 with the suspense payments: $(cat "$scratch/stderr")"
	[ -z "$(ls -A "$sp/failed")" ] || bad "failed/ not empty: $(ls -A "$sp/failed")"
	[ -e "$sp/done/$today/.reskontra-probe.12345" ] && bad "probe left in done/"
	check_clean "$sp"
}

# A gzip file cut short deep inside is a bad input, filed under failed/;
# it must not stop the run and stay in work/ to fail again.
t_truncated_gzip() {
	sp=$(newspool truncgz)
	cp "$top/tests/data/broken/finvoice-truncated-after-64k.xml.gz" "$sp/in/a.xml.gz"
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	[ -f "$sp/failed/a.xml.gz" ] && [ -f "$sp/failed/a.xml.gz.error" ] ||
	    bad "not filed under failed/: $(ls -A "$sp/failed" "$sp/work")"
	check_clean "$sp"
}

t_collision() {
	sp=$(newspool collision)
	printf 'one\n' >"$sp/in/same"
	run "$sp"
	printf 'two\n' >"$sp/in/same"
	run "$sp"
	printf 'three\n' >"$sp/in/same.1.error"
	printf 'four\n' >"$sp/in/same"
	run "$sp"
	[ "$(cat "$sp/failed/same")" = one ] || bad "first 'same' overwritten"
	[ "$(cat "$sp/failed/same.1")" = two ] || bad "second 'same' not same.1"
	[ "$(cat "$sp/failed/same.1.error.error" 2>/dev/null)" = "" ] || :
	[ -f "$sp/failed/same.1.error" ] || bad "no same.1.error"
	c=$(content_hashes "$sp/failed" | wc -l)
	[ "$c" = 4 ] || bad "$c inputs in failed/, want 4"
	if [ -n "$accepted" ]; then
		cp "$accepted" "$sp/in/pay"
		run "$sp"
		printf 'x' | cat "$accepted" - >"$sp/in/pay"
		run "$sp"
		[ -f "$sp/done/$today/pay" ] || bad "no done/pay"
		[ -f "$sp/done/$today/pay.1" ] || [ -f "$sp/failed/pay" ] ||
		    bad "second pay overwrote the first"
	fi
	check_clean "$sp"
}

t_duplicate() {
	if [ -z "$accepted" ]; then
		skipped "no reader accepts a file in tests/data/ktl yet"
		return
	fi
	sp=$(newspool duplicate)
	cp "$accepted" "$sp/in/first.ktl"
	run "$sp"
	[ "$rc" = 1 ] && only_suspense ||
	    bad "exit $rc for an accepted file, want 1 (suspense): $(cat "$scratch/stderr")"
	cp "$accepted" "$sp/in/renamed copy"
	cp "$accepted" "$sp/in/first.ktl"
	run "$sp"
	[ "$rc" = 0 ] || bad "exit $rc for a re-dropped file"
	[ "$(sql "$sp" "SELECT count(*) FROM spool_input WHERE outcome = 'processed'")" = 1 ] ||
	    bad "processed more than once"
	[ "$(sql "$sp" "SELECT count(*) FROM spool_input WHERE outcome = 'duplicate'")" = 2 ] ||
	    bad "the two repeats are not duplicates"
	[ -f "$sp/done/$today/renamed copy" ] || bad "repeat not in done/"
	[ -f "$sp/done/$today/first.ktl.1" ] || bad "same-name repeat not first.ktl.1"
	grep -q "^repeats	1	$today-001	done/$today/first.ktl\$" \
	    "$sp/out/reports/run-$today-002.tsv" || bad "report does not name the first copy"
	grep -q '^summary	duplicate	2$' "$sp/out/reports/run-$today-002.tsv" ||
	    bad "report summary has no 2 duplicates"
	grep -q '1 processed\|0 processed, 2 duplicate' "$scratch/stdout" ||
	    bad "summary line missing: $(cat "$scratch/stdout")"
	check_clean "$sp"
}

t_lock() {
	sp=$(newspool lock)
	printf 'junk\n' >"$sp/in/waiting"
	mkdir -p "$sp/state"
	: >"$sp/state/lock"
	# Another process holds the lock: the run exits 0 at once.
	flock "$sp/state/lock" sleep 3 &
	holder=$!
	sleep 0.3
	start=$(date +%s)
	run "$sp"
	end=$(date +%s)
	[ "$rc" = 0 ] || bad "exit $rc while locked, want 0"
	[ $((end - start)) -lt 2 ] || bad "the locked run waited"
	grep -q 'another run holds the lock' "$scratch/stderr" ||
	    bad "no message about the lock"
	[ -f "$sp/in/waiting" ] || bad "a locked run claimed a file"
	run "$sp" -q
	[ -s "$scratch/stderr" ] && bad "--quiet printed: $(cat "$scratch/stderr")"
	wait "$holder"
	# Two runs at once: the second finds the first's lock.
	for i in 1 2 3 4; do printf 'junk %s\n' "$i" >"$sp/in/f$i"; done
	RESKONTRA_STEP_DELAY_MS=150 "$RESKONTRA" run -c "$conf" \
	    --today "$today" --settle 0 "$sp" >/dev/null 2>&1 &
	first=$!
	sleep 0.5
	run "$sp"
	[ "$rc" = 0 ] || bad "second run: exit $rc"
	grep -q 'another run holds the lock' "$scratch/stderr" ||
	    bad "second run did not see the lock"
	wait "$first"
	[ -f "$sp/failed/f4" ] && [ -f "$sp/failed/waiting" ] ||
	    bad "first run did not finish"
	check_clean "$sp"
	# state/lock deleted under a running run: the next still finds
	# the run's lock (on state/ itself) and does nothing.
	for i in 5 6 7 8; do printf 'junk %s\n' "$i" >"$sp/in/f$i"; done
	RESKONTRA_STEP_DELAY_MS=150 "$RESKONTRA" run -c "$conf" \
	    --today "$today" --settle 0 "$sp" >/dev/null 2>&1 &
	first=$!
	sleep 0.5
	rm -f "$sp/state/lock"
	run "$sp"
	[ "$rc" = 0 ] || bad "run after the lock file was deleted: exit $rc"
	grep -q 'another run holds the lock' "$scratch/stderr" ||
	    bad "the lock file deleted: the second run did not see the lock: $(cat "$scratch/stderr")"
	wait "$first"
	[ -f "$sp/failed/f8" ] || bad "first run did not finish"
	check_clean "$sp"
}

t_settle() {
	sp=$(newspool settle)
	printf 'junk\n' >"$sp/in/fresh"
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 2 -v \
	    "$sp" >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 0 ] || bad "exit $rc, want 0"
	[ -f "$sp/in/fresh" ] || bad "a file written just now was claimed"
	grep -q 'still being written' "$scratch/stderr" || bad "-v did not say why"
	# without -v the summary says a file waits
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 60 \
	    "$sp" >"$scratch/stdout" 2>"$scratch/stderr"
	grep -q ', 1 waiting' "$scratch/stdout" ||
	    bad "no summary of the waiting file: $(cat "$scratch/stdout")"
	# A file that keeps growing is never claimed.
	( for i in 1 2 3 4 5 6 7 8; do printf 'more %s\n' "$i" >>"$sp/in/growing"
	  sleep 0.5; done ) &
	writer=$!
	sleep 2.5
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 2 \
	    "$sp" >/dev/null 2>&1
	[ -f "$sp/in/growing" ] || bad "a growing file was claimed"
	[ -f "$sp/failed/fresh" ] || bad "a settled file was not claimed"
	wait "$writer"
	sleep 2.2
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 2 \
	    "$sp" >/dev/null 2>&1
	[ "$(grep -c more "$sp/failed/growing" 2>/dev/null)" = 8 ] ||
	    bad "the grown file was not claimed whole"
	check_clean "$sp"
}

# Cron output (reskontra-run(1) OUTPUT): -q says nothing on a clean run
# and one line per thing to look at -- here each payment booked to
# suspense, a rejected file and an upload stuck for two hours -- with
# exit 1; the summary counts the payments.
t_cron_output() {
	if [ -z "$accepted" ]; then
		skipped "no accepted input in tests/data/ktl"
		return
	fi
	sp=$(newspool cron)
	run "$sp" -q
	[ "$rc" = 0 ] && [ ! -s "$scratch/stdout" ] && [ ! -s "$scratch/stderr" ] ||
	    bad "empty spool, -q: exit $rc, output: $(cat "$scratch/stdout" "$scratch/stderr")"
	cp "$accepted" "$sp/in/pay.ktl"
	printf 'junk\n' >"$sp/in/junk"
	printf 'half\n' >"$sp/in/late.xml.part"
	touch -d '2 hours ago' "$sp/in/late.xml.part"
	run "$sp" -q
	[ "$rc" = 1 ] || bad "-q with things to look at: exit $rc, want 1"
	[ ! -s "$scratch/stdout" ] || bad "-q: a summary: $(cat "$scratch/stdout")"
	n=$(count_of "$sp" alloc-unknown | cut -d' ' -f1)
	[ "$n" -gt 0 ] || bad "no payment went to suspense"
	[ "$(grep -c '^reskontra: pay.ktl:[0-9]*: payment of [0-9.]*, .*: booked to suspense (' "$scratch/stderr")" = "$n" ] ||
	    bad "not one line per suspense payment ($n): $(cat "$scratch/stderr")"
	grep -q '^reskontra: junk:1:1: ' "$scratch/stderr" ||
	    bad "the rejected file not named: $(cat "$scratch/stderr")"
	grep -q '^reskontra run: warning: in/late.xml.part: an upload not finished' \
	    "$scratch/stderr" || bad "the stalled upload not named: $(cat "$scratch/stderr")"
	[ -f "$sp/in/late.xml.part" ] || bad "the upload was touched"
	# Said again while it stays; silent once it is gone.
	run "$sp" -q
	[ "$rc" = 1 ] && [ "$(wc -l <"$scratch/stderr")" = 1 ] ||
	    bad "second run: exit $rc: $(cat "$scratch/stderr")"
	rm "$sp/in/late.xml.part"
	run "$sp" -q
	[ "$rc" = 0 ] && [ ! -s "$scratch/stdout" ] && [ ! -s "$scratch/stderr" ] ||
	    bad "clean run, -q: exit $rc: $(cat "$scratch/stdout" "$scratch/stderr")"
	# Without -q the summary counts the payments, not only files.
	[ -n "$accepted2" ] || return
	cp "$accepted2" "$sp/in/more.ktl"
	run "$sp"
	set -- $(sed -n 's/.*; payments: \([0-9]*\) ([0-9.]*), \([0-9]*\) to suspense.*/\1 \2/p' \
	    "$scratch/stdout")
	[ "$#" = 2 ] && [ "$1" -gt 0 ] &&
	    [ "$2" = "$(grep -c 'booked to suspense' "$scratch/stderr")" ] ||
	    bad "summary without the payments: $(cat "$scratch/stdout")"
}

# A reconciliation difference (ledger/reconcile.h) is a thing to look
# at: one line on stderr, a reconcile line in the report, exit 1.  The
# statement of the 7th is missing, so the 8th's opening balance is not
# the 5th's closing.
t_reconcile() {
	sp=$(newspool reconcile)
	for d in 05 08; do
		cp "$top/tests/data/reconcile/202601$d-kto-FI2112345600000785.kto" \
		    "$top/tests/data/reconcile/202601$d-ktl-FI2112345600000785.ktl" \
		    "$sp/in/"
	done
	run "$sp" -q
	[ "$rc" = 1 ] || bad "exit $rc, want 1"
	n=$(grep -c '^reskontra: 20260108-kto-FI2112345600000785.kto:1: account FI2112345600000785 on 2026-01-08: opening balance is 32748.17, expected 24826.67 .*not reconciled$' \
	    "$scratch/stderr")
	[ "$n" = 1 ] || bad "not one line for the difference: $(cat "$scratch/stderr")"
	grep -q "^reconcile	[0-9]*	FI2112345600000785	2026-01-08	opening balance	24826.67	32748.17	7921.50	20260108-kto-FI2112345600000785.kto:1\$" \
	    "$sp/out/reports/run-$today-001.tsv" || bad "no reconcile line in the report"
	grep -v 'opening balance\|booked to suspense\|overpayments' "$scratch/stderr" &&
	    bad "other lines on stderr"
	check_clean "$sp"
}

t_unwritable() {
	build_shim || return
	sp=$(newspool unwritable)
	drop_mix "$sp"
	ls -A "$sp/in" | sort >"$scratch/in.before"
	# out/vouchers takes no new file: nothing may be claimed.
	ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=$shim \
	    FAILSHIM_MATCH=/out/vouchers/ run "$sp"
	[ "$rc" = 3 ] || bad "exit $rc with an unwritable out/, want 3"
	ls -A "$sp/in" | sort >"$scratch/in.after"
	cmp -s "$scratch/in.before" "$scratch/in.after" ||
	    bad "inputs left in/ although out/ was unwritable"
	grep -q 'out/vouchers: cannot write' "$scratch/stderr" ||
	    bad "no message naming out/vouchers: $(cat "$scratch/stderr")"
	# The disk fills up after the first input committed: the .error
	# file cannot be written.  The input stays in work/ ...
	ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=$shim \
	    FAILSHIM_MATCH=.error. run "$sp"
	[ "$rc" = 3 ] || bad "exit $rc with a full disk, want 3"
	n=$(find "$sp/work" -mindepth 1 -maxdepth 1 -printf x | wc -c)
	[ "$n" = 1 ] || bad "$n inputs in work/ after a full disk, want 1: $(ls -A "$sp/work"; cat "$scratch/stderr")"
	n=$(find "$sp/in" -mindepth 1 -maxdepth 1 -printf x | wc -c)
	[ "$n" -ge 1 ] || bad "everything claimed though the run stopped"
	# ... and the next run files everything, once.
	run "$sp"
	[ "$rc" = 1 ] || bad "rerun: exit $rc, want 1"
	check_clean "$sp" || return
	ref=$(newspool unwritable-ref)
	drop_mix "$ref"
	run "$ref"
	fingerprint "$sp" >"$scratch/fp.got"
	fingerprint "$ref" >"$scratch/fp.want"
	if ! cmp -s "$scratch/fp.want" "$scratch/fp.got"; then
		bad "end state differs from an undisturbed run:
$(diff "$scratch/fp.want" "$scratch/fp.got")"
		return
	fi
}

# Kill the run by abort() right after step N, for every N, then rerun:
# the end state is always the undisturbed one.
t_crash_every_step() {
	crash_loop drop_mix
}

# crash_loop DROP [CHECK]: the crash test with the inputs DROP SPOOL puts
# in; CHECK SPOOL, if given, must hold right after each crash.
crash_loop() {
	ref=$(newspool crash-ref)
	$1 "$ref"
	run "$ref"
	fingerprint "$ref" >"$scratch/fp.want"
	step=1
	while [ "$step" -le 400 ]; do
		sp=$(newspool crash)
		$1 "$sp"
		RESKONTRA_CRASH_AFTER=$step run "$sp"
		crashed=$rc
		if [ "$crashed" != 134 ] && [ "$crashed" -gt 3 ]; then
			bad "step $step: exit $crashed"
			return
		fi
		if [ -n "${2:-}" ] && ! $2 "$sp"; then
			say "(right after a crash at step $step)"
			return
		fi
		# Every fourth time, a second crash while the next run
		# recovers; then a clean rerun.
		if [ $((step % 4)) = 0 ]; then
			RESKONTRA_CRASH_AFTER=$((2 + step % 3)) run "$sp"
			if [ -n "${2:-}" ] && ! $2 "$sp"; then
				say "(after a second crash, step $step)"
				return
			fi
		fi
		run "$sp"
		if [ "$rc" -gt 1 ]; then
			bad "rerun after step $step: exit $rc: $(cat "$scratch/stderr")"
			return
		fi
		check_clean "$sp" || { say "(after a crash at step $step)"; return; }
		fingerprint "$sp" >"$scratch/fp.got"
		if ! cmp -s "$scratch/fp.want" "$scratch/fp.got"; then
			bad "crash at step $step: end state differs:
$(diff "$scratch/fp.want" "$scratch/fp.got")"
			return
		fi
		[ "$crashed" = 134 ] || break
		[ $((step % 10)) = 0 ] && say "  (crash at step $step: recovered)"
		step=$((step + 1))
	done
	[ "$step" -gt 10 ] || bad "only $step steps: the crash hook does not work"
	[ "$step" -le 400 ] || bad "the run never finished"
	say "  (crashed at each of $((step - 1)) steps)"
}

# What a run killed at any step could not say, the next run says: the
# lines on standard error of the killed run and of the next one are the
# lines of a run never killed, each once, and the next run exits 1 as
# that run did.  A killed run's inputs are counted as finished from an
# earlier run.
t_crash_said() {
	ref=$(newspool said-ref)
	drop_mix "$ref"
	run "$ref"
	[ "$rc" = 1 ] || { bad "reference run: exit $rc, want 1"; return; }
	sort "$scratch/stderr" >"$scratch/said.want"
	[ "$(sort -u "$scratch/said.want" | wc -l)" = "$(wc -l <"$scratch/said.want")" ] ||
	    { bad "the reference run says a line twice"; return; }
	step=1 twice=0 silent=1
	while [ "$step" -le 400 ]; do
		sp=$(newspool said)
		drop_mix "$sp"
		RESKONTRA_CRASH_AFTER=$step run "$sp"
		crashed=$rc
		[ "$crashed" = 134 ] || break
		grep -v -e 'RESKONTRA_CRASH_AFTER' -e '^Aborted' "$scratch/stderr" >"$scratch/said.got"
		run "$sp" -q
		# the next run has something to say unless the killed one
		# said it all
		[ -s "$scratch/said.got" ] && [ "$rc" = 0 ] ||
		    [ "$rc" = 1 ] || bad "crash at step $step: the next run exits $rc, want 1"
		[ -s "$scratch/said.got" ] || silent=$step
		# a killed run's report is written by the next run, or, if
		# it filed nothing, its number is the next run's: no gap
		nrep=$(ls "$sp/out/reports" | grep -c '^run-.*\.tsv$')
		last=$(ls "$sp/out/reports" | grep '^run-.*\.tsv$' | tail -n 1)
		case $last in
		*-$(printf '%03d' "$nrep").tsv) ;;
		*) bad "crash at step $step: reports $(ls "$sp/out/reports" | tr '\n' ' '), want numbered 001 to $nrep" ;;
		esac
		cat "$scratch/stderr" >>"$scratch/said.got"
		sort -o "$scratch/said.got" "$scratch/said.got"
		if ! cmp -s "$scratch/said.want" "$scratch/said.got"; then
			# said twice, only by a kill between the saying and
			# the journal's note of it: at least once, never none
			twice=$((twice + 1))
			sort -u -o "$scratch/said.got" "$scratch/said.got"
			if ! cmp -s "$scratch/said.want" "$scratch/said.got"; then
				bad "crash at step $step: said differs:
$(diff "$scratch/said.want" "$scratch/said.got")"
				return
			fi
		fi
		step=$((step + 1))
	done
	[ "$step" -gt 10 ] || bad "only $step steps: the crash hook does not work"
	[ "$twice" -le 1 ] || bad "said twice after $twice crash steps, want at most 1"
	# the inputs of a run killed at its last silent step are the next
	# run's "finished from an earlier run", all of them
	sp=$(newspool said)
	drop_mix "$sp"
	RESKONTRA_CRASH_AFTER=$silent run "$sp"
	run "$sp"
	n=$(sql "$ref" "SELECT count(*) FROM spool_input")
	grep -q " 0 processed, .* $n finished from an earlier run" "$scratch/stdout" ||
	    bad "a crash at step $silent: not $n finished from an earlier run: $(cat "$scratch/stdout")"
	say "  (crashed at each of $((step - 1)) steps)"
}

# Real SIGKILLs at random moments.
t_sigkill() {
	kill_loop drop_mix
}

# kill_loop DROP [CHECK]: SIGKILL a run over the inputs DROP SPOOL puts in
# at 20 random moments, then rerun; CHECK SPOOL, if given, must hold
# right after each kill.
kill_loop() {
	ref=$(newspool kill-ref)
	$1 "$ref"
	run "$ref"
	fingerprint "$ref" >"$scratch/fp.want"
	i=1
	while [ "$i" -le 20 ]; do
		sp=$(newspool kill)
		$1 "$sp"
		RESKONTRA_STEP_DELAY_MS=5 "$RESKONTRA" run -c "$conf" \
		    --today "$today" --settle 0 "$sp" >/dev/null 2>&1 &
		pid=$!
		# 0 to 0.29 s; the undisturbed run takes about 0.3 s here.
		sleep "0.$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%02d", int(rand() * 30) }')"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if [ -n "${2:-}" ] && ! $2 "$sp"; then
			say "(right after kill $i)"
			return
		fi
		run "$sp"
		if [ "$rc" -gt 1 ]; then
			bad "rerun after kill $i: exit $rc: $(cat "$scratch/stderr")"
			return
		fi
		check_clean "$sp" || return
		fingerprint "$sp" >"$scratch/fp.got"
		if ! cmp -s "$scratch/fp.want" "$scratch/fp.got"; then
			bad "kill $i: end state differs:
$(diff "$scratch/fp.want" "$scratch/fp.got")"
			return
		fi
		i=$((i + 1))
	done
}

t_exit_codes() {
	sp=$(newspool exits)
	run "$sp"
	[ "$rc" = 0 ] || bad "empty spool: exit $rc"
	"$RESKONTRA" run --today "$today" "$sp" >/dev/null 2>&1
	[ $? = 2 ] || bad "no -c: not exit 2"
	"$RESKONTRA" run -c "$scratch/no-such.conf" "$sp" >/dev/null 2>&1
	[ $? = 2 ] || bad "missing config: not exit 2"
	"$RESKONTRA" run -c "$conf" --settle -1 "$sp" >/dev/null 2>&1
	[ $? = 2 ] || bad "bad --settle: not exit 2"
	"$RESKONTRA" run -c "$conf" --today 2024-02-30 "$sp" >/dev/null 2>&1
	[ $? = 2 ] || bad "bad --today: not exit 2"
	"$RESKONTRA" run -c "$conf" --today "$today" "$scratch/no/such/spool" \
	    >/dev/null 2>&1
	[ $? = 3 ] || bad "missing spool: not exit 3"
	ln -s "$scratch" "$sp/work.link"
	rmdir "$sp/work" && ln -s "$scratch" "$sp/work"
	run "$sp"
	[ "$rc" = 3 ] || bad "work/ a symbolic link: exit $rc, want 3"
}

# A receivables service (type amili) routes the invoices of each Finvoice
# input in the input's transaction.  The inputs are the ones of the
# rewrite-amili golden case, dropped so that they are claimed in that
# case's order (ok-fi gets assignment 1, ok-sv 2): the written files must
# be that case's, byte for byte.  x-credit.xml credits the routed R-001:
# a notice for the service.
route_dir=$top/tests/data/route
rewrite_want=$top/tests/golden/rewrite-amili/out
drop_amili() {
	for f in addr.xml ok-fi.xml ok-sv.xml sek.xml; do
		cp "$route_dir/$f" "$1/in/$f"
	done
	cp "$route_dir/credit.xml" "$1/in/x-credit.xml"
	[ -z "$accepted" ] || cp "$accepted" "$1/in/b-payments.ktl"
}

# run with the amili configuration on the routing tests' date
run_amili() {
	saved_conf=$conf saved_today=$today
	conf=$scratch/amili-conf/amili.conf today=2026-09-01
	run "$@"
	conf=$saved_conf today=$saved_today
}

# The payments file dropped with the invoices ($accepted) is of another
# bank account: the company is given it as one of its own, so that the
# file is booked, not refused as a foreign account's.
amili_setup() {
	mkdir -p "$scratch/amili-conf"
	acct=
	[ -z "$accepted" ] ||
	    acct=$("$RESKONTRA" read "$accepted" 2>/dev/null | awk -F'\t' '$1 == "pay" { print $2; exit }')
	sed "/^\[company\]/,/^\[/s/^iban = .*/&${acct:+, $acct}/" \
	    "$route_dir/amili.conf" >"$scratch/amili-conf/amili.conf"
	cp "$route_dir/customers.tsv" "$scratch/amili-conf/"
}

# count_of SPOOL WHAT: "how-many amount" of a count line over all reports
count_of() {
	cat "$1"/out/reports/run-*.tsv | awk -F'\t' -v w="$2" \
	    '$1 == "count" && $3 == w { n += $4; c += $5 * 100 }
	    END { printf "%d %.2f\n", n, c / 100 }'
}

t_amili() {
	amili_setup
	sp=$(newspool amili)
	drop_amili "$sp"
	run_amili "$sp"
	[ "$rc" = 1 ] || bad "exit $rc with a rejected invoice, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	for f in ok-fi.xml ok-sv.xml sek.xml; do
		cmp -s "$rewrite_want/invoices/$f" "$sp/out/invoices/$f" ||
		    bad "out/invoices/$f is not the rewritten file"
	done
	cmp -s "$route_dir/sek.xml" "$sp/out/invoices/sek.xml" ||
	    bad "passed invoice sek.xml changed"
	cmp -s "$route_dir/credit.xml" "$sp/out/invoices/x-credit.xml" ||
	    bad "passed credit note changed"
	[ ! -e "$sp/out/invoices/addr.xml" ] ||
	    bad "a file whose only invoice was rejected is in out/invoices"
	for f in addr.xml-R-005.xml addr.xml-R-005.xml.error; do
		cmp -s "$rewrite_want/rejected/$f" "$sp/out/rejected/$f" ||
		    bad "out/rejected/$f: $(cat "$sp/out/rejected/$f")"
	done
	n=$(find "$sp/out/invoices" "$sp/out/rejected" -type f | wc -l)
	[ "$n" = 6 ] || bad "$n files in out/invoices and out/rejected, want 6"
	RESKONTRA_SCHEMAS=$top/formats/schemas "$RESKONTRA" check --schema \
	    "$sp"/out/invoices/* "$sp"/out/rejected/*.xml >/dev/null 2>&1 ||
	    bad "not schema-valid: $("$RESKONTRA" check --schema \
	    "$sp"/out/invoices/* "$sp"/out/rejected/*.xml 2>&1)"
	[ "$(count_of "$sp" invoices-routed)" = "2 2176.72" ] ||
	    bad "routed: $(count_of "$sp" invoices-routed), want 2 2176.72"
	[ "$(count_of "$sp" invoices-passed)" = "2 1031.61" ] ||
	    bad "passed: $(count_of "$sp" invoices-passed), want 2 1031.61"
	[ "$(count_of "$sp" invoices-rejected)" = "1 1088.36" ] ||
	    bad "rejected: $(count_of "$sp" invoices-rejected), want 1 1088.36"
	grep -q "^invoice	[0-9]*	R-005	5	Postal code for Espoo 0210 not found	addr.xml:2\$" \
	    "$sp"/out/reports/run-*.tsv || bad "no invoice line for R-005"
	[ "$(sql "$sp" "SELECT group_concat(invoice_no || ' ' || action ||
	    ' ' || ifnull(number, '-'), ',') FROM (SELECT * FROM assignments ORDER BY id)")" = \
	    "R-005 reject -,R-001 route 1,R-002 route 2,R-030 pass -,2026-1002 pass -" ] ||
	    bad "assignments: $(sql "$sp" "SELECT invoice_no, action, number FROM assignments")"
	# The credit note of the routed R-001, in one notice file.
	n=$(cat "$sp"/out/notices/notices-*.tsv 2>/dev/null | grep -c \
	    '^credit-note	R-001	7715	RF18539007547034	-56.75	2026-09-10		Ostaja Oy	2026-1002	x-credit.xml:2$')
	[ "$n" = 1 ] || bad "credit note notice $n times: $(ls "$sp/out/notices")"
	# A second run with nothing new changes nothing; a copy under
	# another name is a duplicate and writes nothing.
	fingerprint "$sp" >"$scratch/fp.want"
	run_amili "$sp"
	[ "$rc" = 0 ] || bad "second run: exit $rc"
	cp "$route_dir/ok-fi.xml" "$sp/in/again.xml"
	run_amili "$sp"
	[ "$rc" = 0 ] || bad "repeat: exit $rc: $(cat "$scratch/stderr")"
	n=$(find "$sp/out/invoices" "$sp/out/rejected" -type f | wc -l)
	[ "$n" = 6 ] || bad "$n files after a repeat, want 6"
	[ "$(ls "$sp/out/notices" | wc -l)" = 1 ] ||
	    bad "notices written again: $(ls "$sp/out/notices")"
	[ "$(sql "$sp" "SELECT count(*) FROM assignments")" = 5 ] ||
	    bad "a repeat was routed again"
	check_clean "$sp"
}

# A fifo (or any file that is not a regular file) at the name of an
# output in out/: the run neither blocks on it nor writes through it; the
# output is written under the next free name and the fifo is left alone.
t_fifo_out() {
	amili_setup
	sp=$(newspool fifo-out)
	cp "$route_dir/ok-fi.xml" "$sp/in/ok-fi.xml"
	mkdir -p "$sp/out/invoices"
	mkfifo "$sp/out/invoices/ok-fi.xml" || { skipped "no mkfifo"; return; }
	run_amili "$sp"
	[ "$rc" = 0 ] || bad "exit $rc, want 0: $(cat "$scratch/stderr")"
	[ -p "$sp/out/invoices/ok-fi.xml" ] || bad "the fifo was replaced"
	cmp -s "$rewrite_want/invoices/ok-fi.xml" "$sp/out/invoices/ok-fi.1.xml" ||
	    bad "not written as ok-fi.1.xml: $(ls "$sp/out/invoices")"
	[ -f "$sp/done/2026-09-01/ok-fi.xml" ] || bad "input not in done/: $(ls -R "$sp/done" "$sp/failed" 2>&1)"
	rm -f "$sp/out/invoices/ok-fi.xml"
	check_clean "$sp"
}

# Messages a reader set aside from a file it otherwise read: counted
# in the report (invoices-set-aside) and said in the summary line, the
# small input's read here, the large one's by the read-ahead child.
t_set_aside() {
	sp=$(newspool set-aside)
	cp "$top/tests/data/finvoice/multi-latin9-crlf.xml" "$sp/in/a-small.xml"
	# 300 invoices (over 1 MiB: read ahead), B-7 without its number
	awk -v n=300 -f "$top/tests/bench/gen_finvoice.awk" |
	    awk '/<InvoiceNumber>B-7</ && !done { done = 1; next } { print }' \
	    >"$sp/in/b-big.xml"
	run "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1 (messages set aside)"
	grep -q '; invoices: 302 read, 0 rejected, 2 set aside by the reader;' \
	    "$scratch/stdout" || bad "summary: $(cat "$scratch/stdout")"
	for i in 1 2; do
	    grep -q "^count	$i	invoices-set-aside	1	\$" "$sp"/out/reports/run-*.tsv ||
		bad "input $i: no invoices-set-aside count"
	done
	grep -q '^total	invoices-set-aside	2	$' "$sp"/out/reports/run-*.tsv ||
	    bad "no invoices-set-aside total: $(cat "$sp"/out/reports/run-*.tsv)"
	# each message named with its reason, without -v, in the report
	# and on standard error; no line for the file as a whole
	for m in 'a-small.xml:140:38: message 2: XML: Opening and ending tag mismatch' \
	    'b-big.xml:[0-9]*: message 7: no InvoiceNumber'; do
		grep -q "^reskontra: $m" "$scratch/stderr" ||
		    bad "not said: $m: $(cat "$scratch/stderr")"
		grep -q "^quarantined	[12]	reskontra: $m" "$sp"/out/reports/run-*.tsv ||
		    bad "not in the report: $m"
	done
	[ "$(grep -c '^quarantined' "$sp"/out/reports/run-*.tsv)" = 2 ] ||
	    bad "quarantined lines: $(grep '^quarantined' "$sp"/out/reports/run-*.tsv)"
	grep -q 'Finvoice messages rejected' "$scratch/stderr" &&
	    bad "the file's line as well: $(cat "$scratch/stderr")"
	check_clean "$sp" || return

	# a message over 64 MiB in a routed input: its .error alone goes
	# to out/rejected/, the file's other messages are sent
	own_conf
	sp=$(newspool set-aside-huge)
	{ sed -n '1,110p' "$scratch/own/three.xml"
	  printf '<!-- '
	  head -c 68000000 /dev/zero | tr '\0' x
	  printf ' -->\n'
	  sed -n '111,$p' "$scratch/own/three.xml"; } >"$sp/in/huge.xml"
	run_own 2026-10-01 "$sp"
	[ "$rc" = 1 ] || bad "huge: exit $rc, want 1: $(cat "$scratch/stderr")"
	[ -z "$(ls "$sp/failed")" ] || bad "huge: refused whole: $(cat "$sp"/failed/*.error)"
	[ "$(numbers "$sp/out/invoices/huge.xml" 2>/dev/null)" = "B-1 B-3 " ] ||
	    bad "huge: sent $(numbers "$sp/out/invoices/huge.xml" 2>/dev/null), want B-1 B-3"
	[ "$(ls "$sp/out/rejected")" = huge.xml-line94.xml.error ] ||
	    bad "huge: rejected $(ls "$sp/out/rejected")"
	grep -q '^reskontra: huge.xml:94: message larger than 67108864 bytes: code 0: set aside by the reader' \
	    "$sp/out/rejected/huge.xml-line94.xml.error" 2>/dev/null ||
	    bad "huge: $(cat "$sp/out/rejected/huge.xml-line94.xml.error" 2>/dev/null)"
	grep -q '^reskontra: huge.xml:94: message 2: message larger than 67108864 bytes' \
	    "$scratch/stderr" || bad "huge: not said: $(cat "$scratch/stderr")"
	check_clean "$sp"
}

# An invoice of a number the ledger holds, of another date, gets a new
# assignment (the duplicate-number rule): it is sent and stored beside
# the first, and a payment of either service reference is booked to its
# own invoice.  The same number again with the first date is a
# duplicate (code 6), neither sent nor stored; allocate wants the date.
t_number_kept_once() {
	amili_setup
	sp=$(newspool number-once)
	cp "$route_dir/ok-fi.xml" "$sp/in/a-first.xml"
	run_amili "$sp"
	[ "$rc" = 0 ] || bad "first: exit $rc: $(cat "$scratch/stderr")"
	sed '65s|>20260901<|>20260902<|' "$route_dir/ok-fi.xml" >"$sp/in/b-later.xml"
	cmp -s "$route_dir/ok-fi.xml" "$sp/in/b-later.xml" && bad "date not changed"
	run_amili "$sp"
	# both carry the company's own reference: said, as for any two
	[ "$rc" = 1 ] || bad "later: exit $rc, want 1: $(cat "$scratch/stderr")"
	grep -q 'already in the ledger' "$scratch/stderr" &&
	    bad "later: not stored: $(cat "$scratch/stderr")"
	grep -q '^reskontra: b-later.xml:2: warning: invoice R-001 carries reference RF18539007547034, as does open invoice R-001' \
	    "$scratch/stderr" || bad "later: $(cat "$scratch/stderr")"
	[ "$(sql "$sp" "SELECT group_concat(service_reference, ',') FROM
	    (SELECT * FROM assignments ORDER BY id)")" = "7715,7728" ] ||
	    bad "assignments: $(sql "$sp" "SELECT * FROM assignments")"
	[ "$(sql "$sp" "SELECT group_concat(invoice_date || ' ' || open_amount, ',')
	    FROM (SELECT * FROM invoices WHERE invoice_no = 'R-001' ORDER BY id)")" = \
	    "2026-09-01 108836,2026-09-02 108836" ] ||
	    bad "ledger: $(sql "$sp" "SELECT * FROM invoices")"
	[ "$(ls "$sp/out/invoices" | wc -l)" = 2 ] || bad "sent: $(ls "$sp/out/invoices")"
	# a KTL of a payment of 168.29 to 7728, and one of 100.00 to 7715
	{ printf '%-90s\n' '026012012005 1234567891'
	  printf '%-90s\n' '312345600000785260120260120260120TEST00000100000000000000007728MAKSAJA OY  1 00000168290A'
	  printf '%-90s\n' '312345600000785260120260120260120TEST00000200000000000000007715MAKSAJA OY  1 00000100000A'
	  printf '%-90s\n' '9000002000000268290000000000000000000000000000000000'; } \
	    >"$sp/in/c-pay.ktl"
	run_amili "$sp"
	[ "$(sql "$sp" "SELECT group_concat(p.reference || ' ' || i.invoice_date || ' ' || i.paid, ',')
	    FROM allocations a JOIN payments p ON p.id = a.payment_id
	    JOIN invoices i ON i.id = a.invoice_id")" = \
	    "7728 2026-09-02 16829,7715 2026-09-01 10000" ] ||
	    bad "payments: $(sql "$sp" "SELECT * FROM allocations"; cat "$scratch/stderr")"
	# the number with the first date again: a duplicate of an assignment
	# with a payment, rejected
	sed 's|Kiitos tilauksestanne.|Kiitos.|' "$route_dir/ok-fi.xml" >"$sp/in/d-again.xml"
	run_amili "$sp"
	[ "$(sql "$sp" "SELECT count(*) FROM invoices WHERE invoice_no = 'R-001'")" = 2 ] ||
	    bad "again: stored: $(sql "$sp" "SELECT * FROM invoices")"
	[ "$(sql "$sp" "SELECT action || ' ' || code FROM assignments ORDER BY id DESC LIMIT 1")" = "reject 6" ] ||
	    bad "again: $(sql "$sp" "SELECT * FROM assignments")"
	[ "$(ls "$sp/out/invoices" | wc -l)" = 2 ] || bad "again: sent: $(ls "$sp/out/invoices")"
	pid=$(sql "$sp" "SELECT archive_id FROM payments WHERE reference = '7728'")
	"$RESKONTRA" allocate -l "$sp/state/ledger.db" --dry-run "$pid" R-001 \
	    >/dev/null 2>"$scratch/stderr"; rc=$?
	[ "$rc" = 1 ] || bad "allocate: exit $rc"
	grep -q "has 2 invoices of number 'R-001', of invoice dates 2026-09-01, 2026-09-02: name one with --invoice-date" \
	    "$scratch/stderr" || bad "allocate: $(cat "$scratch/stderr")"
	check_clean "$sp"
}

# Vouchers are numbered across a ledger: the runs' numbers go on from
# those before, and a move by hand (allocate, unallocate) takes the next
# number and is counted, so the next run goes on after it: no two
# vouchers of the ledger share a number.
t_voucher_numbers() {
	sp=$(newspool voucher-numbers)
	ktl() {	# NAME ARCHIVE-SUFFIX REFERENCE
		{ printf '%-90s\n' '024050112005 1234567891'
		  printf '%-90s\n' "312345600000785240501240501240501TEST00000${2}0000000000000000${3}MAKSAJA OY  1 00000168290A"
		  printf '%-90s\n' '9000001000000168290000000000000000000000000000000000'; } \
		    >"$sp/in/$1"
	}
	ktl a.ktl 1 1232
	cp "$route_dir/ok-fi.xml" "$sp/in/b.xml"
	run "$sp"
	[ "$rc" = 1 ] || bad "first: exit $rc: $(cat "$scratch/stderr")"
	"$RESKONTRA" allocate -l "$sp/state/ledger.db" --today "$today" \
	    240501TEST000001 R-001 100.00 >"$scratch/alloc" 2>"$scratch/stderr" ||
	    bad "allocate: exit $?: $(cat "$scratch/stderr")"
	"$RESKONTRA" unallocate -l "$sp/state/ledger.db" --today "$today" \
	    240501TEST000001 R-001 40.00 >>"$scratch/alloc" 2>"$scratch/stderr" ||
	    bad "unallocate: exit $?: $(cat "$scratch/stderr")"
	# dry runs are not counted
	"$RESKONTRA" allocate -l "$sp/state/ledger.db" --today "$today" \
	    --dry-run 240501TEST000001 R-001 1.00 >/dev/null 2>&1
	ktl c.ktl 2 1245
	run "$sp"
	[ "$rc" = 1 ] || bad "second: exit $rc: $(cat "$scratch/stderr")"
	got=$(cat "$sp"/out/vouchers/* "$scratch/alloc" |
	    awk -F'\t' '$1 == "voucher" { print $2 }' | sort -n | uniq | tr '\n' ' ')
	[ "$got" = "1 2 3 4 " ] || bad "voucher numbers: $got"
	[ "$(awk -F'\t' '$1 == "voucher" { print $2; exit }' "$scratch/alloc")" = 2 ] ||
	    bad "allocate: $(cat "$scratch/alloc")"
	check_clean "$sp"
}

# A reader's or the router's warnings are lines of the report (standard
# error says them only with -v), at most 1000 an input and a line for
# the rest; all are counted.
t_warning_lines() {
	own_conf
	sp=$(newspool warning-lines)
	awk -v n=1003 -v first=1 -f "$top/tests/bench/gen_finvoice.awk" >"$sp/in/many.xml"
	run_own 2026-10-01 "$sp"
	[ "$rc" = 0 ] || bad "exit $rc: $(tail -3 "$scratch/stderr")"
	grep -q 'no recipient language' "$scratch/stderr" && bad "warnings on stderr without -v"
	r=$(echo "$sp"/out/reports/run-*.tsv)
	[ "$(grep -c '^warning	1	reskontra: many.xml:[0-9]*: warning: invoice B-[0-9]*: no recipient language; the service writes in Finnish$' "$r")" = 1000 ] ||
	    bad "warning lines: $(grep -c '^warning' "$r")"
	[ "$(grep -c '^warning	1	reskontra: further warnings of this input are counted, not listed$' "$r")" = 1 ] ||
	    bad "no line for the rest"
	grep -q '^count	1	warnings	1003	$' "$r" || bad "count: $(grep warnings "$r")"
	check_clean "$sp"
}

# Each message is written and stored by the decision made for that very
# message.  Two messages of one input with the same number and date: the
# first is routed, sent and stored, the second rejected as a duplicate
# (the latest decision for the number is the second's: taken for both,
# the first was in neither the file to send nor the ledger, though its
# assignment was made).  A message the reader sets aside whose number
# and date were routed on an earlier day goes to out/rejected/, not
# again to the service under the old assignment.
own_conf() {
	mkdir -p "$scratch/own"
	sed "s|^file = customers.tsv|file = $route_dir/customers.tsv|" \
	    "$route_dir/amili.conf" >"$scratch/own/amili.conf"
	awk -v n=3 -v first=1 -f "$top/tests/bench/gen_finvoice.awk" \
	    >"$scratch/own/three.xml"
}

run_own() {
	saved_conf=$conf saved_today=$today
	conf=$scratch/own/amili.conf today=$1
	shift
	run "$@"
	conf=$saved_conf today=$saved_today
}

# numbers SPOOL FILE: the invoice numbers and references in a file
numbers() {
	sed -n 's|.*<InvoiceNumber>\(.*\)</InvoiceNumber>.*|\1|p' "$1" |
	    tr '\n' ' '
}

t_own_decision() {
	own_conf
	sp=$(newspool own1)
	# the second message (line 111) numbered like the first
	sed '111s|<InvoiceNumber>B-2<|<InvoiceNumber>B-1<|' \
	    "$scratch/own/three.xml" >"$sp/in/dup.xml"
	grep -c '<InvoiceNumber>B-1<' "$sp/in/dup.xml" | grep -qx 2 ||
	    bad "the test file does not have B-1 twice"
	run_own 2026-10-01 "$sp"
	[ "$rc" = 1 ] || bad "exit $rc, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	[ "$(numbers "$sp/out/invoices/dup.xml")" = "B-1 B-3 " ] ||
	    bad "sent: $(numbers "$sp/out/invoices/dup.xml"), want B-1 B-3"
	grep -q '<EpiRemittanceInfoIdentifier IdentificationSchemeName="SPY">7715<' \
	    "$sp/out/invoices/dup.xml" ||
	    bad "B-1 is not sent with its service reference 7715"
	[ "$(ls "$sp/out/rejected")" = "$(printf 'dup.xml-B-1.xml\ndup.xml-B-1.xml.error')" ] ||
	    bad "rejected: $(ls "$sp/out/rejected")"
	grep -q '^reskontra: dup.xml:96: invoice B-1: code 6: ' \
	    "$sp/out/rejected/dup.xml-B-1.xml.error" ||
	    bad "the rejected one is not the second: $(cat "$sp/out/rejected/dup.xml-B-1.xml.error")"
	[ "$(sql "$sp" "SELECT group_concat(invoice_no, ' ') FROM
	    (SELECT invoice_no FROM invoices ORDER BY invoice_no)")" = "B-1 B-3" ] ||
	    bad "ledger: $(sql "$sp" "SELECT invoice_no FROM invoices")"
	[ "$(count_of "$sp" invoices-routed)" = "2 768.09" ] ||
	    bad "routed: $(count_of "$sp" invoices-routed), want 2 768.09"

	sp=$(newspool own2)
	cp "$scratch/own/three.xml" "$sp/in/day1.xml"
	run_own 2026-10-01 "$sp"
	[ "$rc" = 0 ] || bad "day 1: exit $rc: $(cat "$scratch/stderr")"
	# day 2: the same three, B-1's amount broken (the reader sets it
	# aside); B-2 and B-3 are duplicates
	sed '37s|>380,28<|>38x,28<|' "$scratch/own/three.xml" >"$sp/in/day2.xml"
	cmp -s "$scratch/own/three.xml" "$sp/in/day2.xml" &&
	    bad "the test file's amount was not broken"
	run_own 2026-10-02 "$sp"
	[ "$rc" = 1 ] || bad "day 2: exit $rc, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	[ ! -e "$sp/out/invoices/day2.xml" ] ||
	    bad "day 2 sent again: $(numbers "$sp/out/invoices/day2.xml")"
	grep -q '^reskontra: day2.xml:18: invoice B-1: code 0: set aside by the reader' \
	    "$sp/out/rejected/day2.xml-B-1.xml.error" 2>/dev/null ||
	    bad "B-1 not rejected as set aside: $(ls "$sp/out/rejected")"
	[ "$(sql "$sp" "SELECT count(*) FROM assignments WHERE action = 'route'")" = 3 ] ||
	    bad "routed again: $(sql "$sp" "SELECT invoice_no, action FROM assignments")"

	# Set aside because it cannot be read at all: B-2 not well-formed,
	# B-3 without its number.  Both go to out/rejected/ under their
	# lines; B-1 is sent, the file is not refused.
	sp=$(newspool own3)
	sed -e '111s|</InvoiceNumber>|</Invoicenumber>|' -e '189d' \
	    "$scratch/own/three.xml" >"$sp/in/bad.xml"
	run_own 2026-10-01 "$sp"
	[ "$rc" = 1 ] || bad "unreadable messages: exit $rc, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	[ -z "$(ls "$sp/failed")" ] || bad "refused whole: $(cat "$sp"/failed/*.error)"
	[ "$(numbers "$sp/out/invoices/bad.xml" 2>/dev/null)" = "B-1 " ] ||
	    bad "sent: $(numbers "$sp/out/invoices/bad.xml" 2>/dev/null), want B-1"
	[ "$(ls "$sp/out/rejected" | tr '\n' ' ')" = "bad.xml-line174.xml bad.xml-line174.xml.error bad.xml-line96.xml bad.xml-line96.xml.error " ] ||
	    bad "rejected: $(ls "$sp/out/rejected")"
	# each .error says why the message could not be read
	for l in "96 bad.xml:111:35: XML: Opening and ending tag mismatch: InvoiceNumber line 111 and Invoicenumber" \
	    "174 bad.xml:172: message without a valid InvoiceNumber and InvoiceDate"; do
		[ "$(cat "$sp/out/rejected/bad.xml-line${l%% *}.xml.error" 2>/dev/null)" = \
		    "reskontra: bad.xml:${l%% *}: message whose invoice number was not read: code 0: set aside by the reader: ${l#* }" ] ||
		    bad "line ${l%% *}: $(cat "$sp/out/rejected/bad.xml-line${l%% *}.xml.error" 2>/dev/null)"
	done
	[ "$(grep -c '<Finvoice ' "$sp/out/rejected/bad.xml-line96.xml")" = 1 ] &&
	    grep -q '<InvoiceNumber>B-2</Invoicenumber>' \
	    "$sp/out/rejected/bad.xml-line96.xml" ||
	    bad "line 96 is not the message as it came"
}

# The next input is read by a second process while the current one is
# processed (pipeline/ahead.h; RESKONTRA_READ_AHEAD=1 for inputs of any
# size, these are small): a run with it and one without (=0) of the
# same drop end the same -- files, report lines, journal, what was said
# -- with a rejected invoice, a file no reader takes, warnings and a
# duplicate among the inputs; -v says which were read ahead.  An
# input that changes after it was read ahead is read again: the copy
# read ahead is not used.  By default small inputs are not read ahead,
# nor any on one processor.
drop_ahead() {
	drop_amili "$1"
	cp "$top/tests/data/kto/nordea_demo_tito_sepa-95971d4.txt" \
	    "$1/in/c-statement.kto"
	cp "$route_dir/ok-fi.xml" "$1/in/d-again.xml"
	printf 'not a bank file\n' >"$1/in/junk"
}

# wrapped CMD...: the path of a script that runs $RESKONTRA under CMD
wrapped() {
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$*" "$RESKONTRA" >"$scratch/wrapped"
	chmod +x "$scratch/wrapped"
	printf '%s\n' "$scratch/wrapped"
}

t_read_ahead() {
	amili_setup
	one=$(newspool ahead-off) two=$(newspool ahead-on)
	drop_ahead "$one"
	drop_ahead "$two"
	RESKONTRA_READ_AHEAD=0 run_amili "$one" -v
	rc_one=$rc
	sed "s|$one|SPOOL|g" "$scratch/stdout" "$scratch/stderr" >"$scratch/said.off"
	RESKONTRA_READ_AHEAD=1 run_amili "$two" -v
	[ "$rc" = "$rc_one" ] || bad "exit $rc with read ahead, $rc_one without"
	n=$(grep -c ': read ahead by a second process$' "$scratch/stderr")
	[ "$n" -ge 5 ] || bad "$n inputs read ahead, want 5 or more: $(cat "$scratch/stderr")"
	sed "s|$two|SPOOL|g" "$scratch/stdout" "$scratch/stderr" |
	    grep -v ': read ahead by a second process$' >"$scratch/said.on"
	cmp -s "$scratch/said.off" "$scratch/said.on" ||
	    bad "said differently: $(diff "$scratch/said.off" "$scratch/said.on")"
	grep -q ": warning: " "$scratch/said.on" ||
	    bad "no warning among the inputs: $(cat "$scratch/said.on")"
	check_clean "$two" || return
	fingerprint "$one" >"$scratch/fp.off"
	fingerprint "$two" >"$scratch/fp.on"
	cmp -s "$scratch/fp.off" "$scratch/fp.on" ||
	    bad "ends differently: $(diff "$scratch/fp.off" "$scratch/fp.on")"
	journal_of "$one" >"$scratch/journal.off"
	journal_of "$two" >"$scratch/journal.on"
	cmp -s "$scratch/journal.off" "$scratch/journal.on" ||
	    bad "journal: $(diff "$scratch/journal.off" "$scratch/journal.on")"
	grep -q "duplicate" "$scratch/journal.on" || bad "no duplicate among the inputs"
	# small inputs are read when their turn comes; so is a large one on
	# one processor
	sp=$(newspool ahead-small)
	drop_ahead "$sp"
	run_amili "$sp" -v
	! grep -q 'read ahead' "$scratch/stderr" ||
	    bad "small inputs read ahead: $(cat "$scratch/stderr")"
	if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
		sp=$(newspool ahead-one)
		drop_ahead "$sp"
		awk -v n=300 -f "$top/tests/bench/gen_finvoice.awk" >"$sp/in/e-big.xml"
		saved_bin=$RESKONTRA
		RESKONTRA=$(wrapped taskset -c 0)
		run_amili "$sp" -v
		RESKONTRA=$saved_bin
		grep -q 'e-big.xml: processed' "$scratch/stderr" ||
		    bad "on one processor: $(cat "$scratch/stderr")"
		! grep -q 'read ahead' "$scratch/stderr" ||
		    bad "read ahead on one processor"
		sp=$(newspool ahead-big)
		drop_ahead "$sp"
		awk -v n=300 -f "$top/tests/bench/gen_finvoice.awk" >"$sp/in/e-big.xml"
		run_amili "$sp" -v
		grep -q 'e-big.xml: read ahead' "$scratch/stderr" ||
		    bad "a large input not read ahead: $(cat "$scratch/stderr")"
	fi
	# A run that is process 1 (a container's only process) still
	# reads ahead: the child knows its parent by pid, not by 1.
	if unshare -fp true 2>/dev/null; then
		sp=$(newspool ahead-pid1)
		drop_ahead "$sp"
		saved_bin=$RESKONTRA
		RESKONTRA=$(wrapped unshare -fp)
		RESKONTRA_READ_AHEAD=1 run_amili "$sp" -v
		RESKONTRA=$saved_bin
		grep -q 'read ahead by a second process' "$scratch/stderr" ||
		    bad "not read ahead as process 1: $(cat "$scratch/stderr")"
	fi
	# An input changed in in/ after it was read ahead, while the one
	# before it is filed (the step delay gives the time): its new
	# bytes are read, not the copy read ahead.
	sp=$(newspool ahead-changed)
	cp "$route_dir/ok-fi.xml" "$sp/in/a-fi.xml"
	cp "$route_dir/addr.xml" "$sp/in/b.xml"
	saved_conf=$conf conf=$scratch/amili-conf/amili.conf
	RESKONTRA_READ_AHEAD=1 RESKONTRA_STEP_DELAY_MS=500 timeout 60 \
	    "$RESKONTRA" run -v -c "$conf" \
	    --today 2026-09-01 --settle 0 "$sp" >"$scratch/stdout" \
	    2>"$scratch/stderr" &
	pid=$!
	conf=$saved_conf
	i=0
	while [ "$i" -lt 400 ] && ! grep -q 'a-fi.xml: processed' "$scratch/stderr"; do
		sleep 0.05
		i=$((i + 1))
	done
	cp "$route_dir/ok-sv.xml" "$sp/in/b.xml.new"
	mv "$sp/in/b.xml.new" "$sp/in/b.xml"
	wait "$pid"
	rc=$?
	[ "$rc" -le 1 ] || bad "changed input: exit $rc: $(cat "$scratch/stderr")"
	cmp -s "$route_dir/ok-sv.xml" "$sp/done/2026-09-01/b.xml" ||
	    bad "b.xml: not the new bytes in done/"
	! grep -q 'b.xml: read ahead' "$scratch/stderr" ||
	    bad "the copy read ahead was used: $(cat "$scratch/stderr")"
	grep -q '^invoice	.*	R-002	' "$sp"/out/reports/run-*.tsv ||
	    grep -q 'R-002' "$sp/out/invoices/b.xml" ||
	    bad "b.xml (now ok-sv.xml, R-002) not what was processed"
	[ -e "$sp/out/invoices/b.xml" ] || bad "b.xml (now ok-sv.xml) not routed"
}

# The crash loop over the amili inputs: the outputs of each input appear
# once whatever step the run dies at.
t_amili_crash() {
	amili_setup
	saved_conf=$conf saved_today=$today
	conf=$scratch/amili-conf/amili.conf today=2026-09-01
	crash_loop drop_amili
	conf=$saved_conf today=$saved_today
}

# ---- Factoring: batch numbers, notices before invoices ----
#
# The factoring inputs of the golden cases (tests/data/factoring): the
# nordea and op customers' invoices are factoring invoices, each input a
# batch of its account with a notice, its text and the transfer list in
# out/factoring/; f-1003 is of no account (passed), f-town is rejected.
# a-noepi.xml, claimed first, is f-1001 without EpiDetails: it cannot be
# rewritten, so the whole input is rejected, and the batch it took and
# its staged notice go with it (the next input's batch is still 1).
fact_dir=$top/tests/data/factoring
drop_factoring() {
	for f in f-1001.xml f-1002.xml f-1003.xml f-town.xml; do
		cp "$fact_dir/$f" "$1/in/$f"
	done
	sed '/<EpiDetails>/,/<\/EpiDetails>/d' "$fact_dir/f-1001.xml" \
	    >"$1/in/a-noepi.xml"
}

fact_setup() {
	mkdir -p "$scratch/fact-conf"
	cp "$fact_dir/factoring.conf" "$fact_dir/customers.tsv" \
	    "$scratch/fact-conf/"
}

# with_factoring CMD ARGS...: CMD under the factoring configuration and
# the routing tests' date
with_factoring() {
	saved_conf=$conf saved_today=$today
	conf=$scratch/fact-conf/factoring.conf today=2026-09-01
	"$@"
	conf=$saved_conf today=$saved_today
}

# notices_first SPOOL: every factoring invoice in out/invoices (a
# message that carries a batch number) has its batch's notice (TSV and
# text) and transfer list in out/factoring/, and the notice lists it --
# at any moment, also right after a crash.
notices_first() {
	for f in "$1"/out/invoices/*; do
		[ -f "$f" ] || continue
		# per message: batch, account IBAN, invoice number
		awk '
		function val(s) { sub(/^[^>]*>/, "", s); sub(/<.*/, "", s); return s }
		/<InvoiceNumber>/ { no = val($0) }
		/<EpiAccountID/ { iban = val($0) }
		/<TransmissionListIdentifier>/ { b = val($0) }
		/<\/Finvoice>/ { if (b != "") print b, iban, no; b = iban = no = "" }
		' "$f" >"$scratch/batched"
		while read -r b iban no; do
			case $iban in
			FI5810171000000122) acct=nordea ;;
			FI2657230220494996) acct=op ;;
			*) bad "$f: batch $b on an unknown account"; return 1 ;;
			esac
			n=$(printf '%06d' "$b")
			for g in "notice-$acct-$n.tsv" "notice-$acct-$n.txt" \
			    "translist-$acct-$n.txt"; do
				[ -f "$1/out/factoring/$g" ] || {
					bad "${f##*/} is in out/invoices without" \
					    "out/factoring/$g"
					return 1
				}
			done
			cut -f1 "$1/out/factoring/notice-$acct-$n.tsv" |
			    grep -qx "$no" || {
				bad "${f##*/}: invoice $no is not in the notice" \
				    "of $acct batch $b"
				return 1
			}
		done <"$scratch/batched"
	done
	return 0
}

# Two runs are two batches of an account, numbered on; a repeat makes
# none; the first run's files are never written again.
t_factoring() {
	fact_setup
	sp=$(newspool factoring)
	drop_factoring "$sp"
	with_factoring run "$sp"
	[ "$rc" = 1 ] || bad "run 1: exit $rc with a rejected invoice, want 1:" \
	    "$(cat "$scratch/stderr")"
	check_clean "$sp" || return
	notices_first "$sp" || return
	[ "$(ls "$sp/out/factoring" | tr '\n' ' ')" = \
	    "notice-nordea-000001.tsv notice-nordea-000001.txt notice-op-000001.tsv notice-op-000001.txt translist-nordea-000001.txt translist-op-000001.txt " ] ||
	    bad "run 1: out/factoring holds $(ls "$sp/out/factoring")"
	cmp -s "$fact_dir/f-1003.xml" "$sp/out/invoices/f-1003.xml" ||
	    bad "the invoice of no factoring account changed"
	[ -f "$sp/failed/a-noepi.xml" ] && grep -q 'no EpiDetails' \
	    "$sp/failed/a-noepi.xml.error" ||
	    bad "the file that cannot be rewritten is not in failed/"
	first=$(content_hashes "$sp/out/factoring")
	cp "$fact_dir/f-1005.xml" "$sp/in/"
	with_factoring run "$sp"
	[ "$rc" = 0 ] || bad "run 2: exit $rc: $(cat "$scratch/stderr")"
	head -n 1 "$sp/out/factoring/notice-nordea-000002.tsv" 2>/dev/null |
	    grep -qx 'nordea	12345678	2	2026-09-01	1	1088.36' ||
	    bad "run 2: no notice of nordea batch 2: $(ls "$sp/out/factoring")"
	grep -q '<TransmissionListIdentifier>2<' "$sp/out/invoices/f-1005.xml" ||
	    bad "run 2: f-1005.xml does not carry batch 2"
	cp "$fact_dir/f-1001.xml" "$sp/in/again.xml"
	with_factoring run "$sp"
	[ "$rc" = 0 ] || bad "repeat: exit $rc: $(cat "$scratch/stderr")"
	[ "$(ls "$sp/out/factoring" | wc -l)" = 9 ] ||
	    bad "files in out/factoring after a repeat: $(ls "$sp/out/factoring")"
	[ "$(sql "$sp" "SELECT group_concat(account || ' ' || batch || ' '
	    || count, ',') FROM (SELECT * FROM factoring_batches ORDER BY id)")" = \
	    "nordea 1 1,op 1 1,nordea 2 1" ] ||
	    bad "batches: $(sql "$sp" "SELECT * FROM factoring_batches")"
	# run 1's notices are still the bytes they were
	still_there "$first" "$sp/out/factoring"
	notices_first "$sp"
	check_clean "$sp"
}

# still_there HASHES DIR...: every file of the hashes (content_hashes)
# is still under DIR... with the same bytes
still_there() {
	now=$(shift; content_hashes "$@")
	for h in $1; do
		printf '%s\n' "$now" | grep -qx "$h" ||
		    bad "a file written before changed or went away"
	done
}

# Killed at every step (abort after step N) and by SIGKILL at random
# moments: a batch's notice is never behind its invoices, the end state
# (batch numbers included) is the undisturbed one.
t_factoring_crash() {
	fact_setup
	with_factoring crash_loop drop_factoring notices_first
	with_factoring crash_loop drop_factoring_two notices_first
}

t_factoring_kill() {
	fact_setup
	with_factoring kill_loop drop_factoring notices_first
	with_factoring kill_loop drop_factoring_two notices_first
}

# A run of several Finvoice inputs with invoices of one account: f-1001
# and h-1011 (nordea), f-1002 (op), g-mix with one invoice of each
# (1012 op, 1021 nordea), f-1003 of no account.  One batch per account:
# nordea 1 with 1001, 1021, 1011; op 1 with 1002, 1012.
drop_factoring_two() {
	for f in f-1001.xml f-1002.xml f-1003.xml; do
		cp "$fact_dir/$f" "$1/in/$f"
	done
	{
		sed 's|<InvoiceNumber>1002<|<InvoiceNumber>1012<|' \
		    "$fact_dir/f-1002.xml"
		sed 's|<InvoiceNumber>1001<|<InvoiceNumber>1021<|' \
		    "$fact_dir/f-1001.xml"
	} >"$1/in/g-mix.xml"
	sed 's|<InvoiceNumber>1001<|<InvoiceNumber>1011<|' \
	    "$fact_dir/f-1001.xml" >"$1/in/h-1011.xml"
}

# fact_run_clean SPOOL WHAT: a factoring run that must exit 0 and leave
# the spool clean with every notice before its invoices
fact_run_clean() {
	with_factoring run "$1"
	[ "$rc" = 0 ] || { bad "$2: exit $rc: $(cat "$scratch/stderr")"; return 1; }
	check_clean "$1" && notices_first "$1"
}

# notice_invoices SPOOL ACCOUNT BATCH: the first column of the batch's
# notice, one line
notice_invoices() {
	cut -f1 "$1/out/factoring/notice-$2-$(printf '%06d' "$3").tsv" |
	    tr '\n' ' '
}

# batches_of SPOOL: account batch count total open, one batch a line
batches_of() {
	sql "$1" "SELECT account || ' ' || batch || ' ' || count || ' ' ||
	    total || ' ' || open FROM factoring_batches ORDER BY id" |
	    tr '\n' ','
}

# One run, five inputs: one batch per account, whatever the number of
# inputs; its notice and list cover all of them; every factoring invoice
# carries batch 1.  The next run with more invoices of nordea takes
# nordea 2 (and op, with nothing new, no number); a run with nothing
# takes none.
t_factoring_two() {
	fact_setup
	sp=$(newspool factoring-two)
	drop_factoring_two "$sp"
	fact_run_clean "$sp" "run 1" || return
	[ "$(ls "$sp/out/factoring" | tr '\n' ' ')" = \
	    "notice-nordea-000001.tsv notice-nordea-000001.txt notice-op-000001.tsv notice-op-000001.txt translist-nordea-000001.txt translist-op-000001.txt " ] ||
	    bad "run 1: out/factoring holds $(ls "$sp/out/factoring")"
	[ "$(notice_invoices "$sp" nordea 1)" = "nordea 1001 1021 1011 " ] ||
	    bad "nordea notice: $(cat "$sp/out/factoring/notice-nordea-000001.tsv")"
	head -n 1 "$sp/out/factoring/notice-nordea-000001.tsv" |
	    grep -qx 'nordea	12345678	1	2026-09-01	3	3265.08' ||
	    bad "nordea notice header: $(head -n 1 "$sp/out/factoring/notice-nordea-000001.tsv")"
	head -n 1 "$sp/out/factoring/notice-op-000001.tsv" |
	    grep -qx 'op	0087654321	1	2026-09-01	2	2176.72' ||
	    bad "op notice header: $(head -n 1 "$sp/out/factoring/notice-op-000001.tsv")"
	grep -q '^total of batch 1: 3 invoices  *3265.08$' \
	    "$sp/out/factoring/translist-nordea-000001.txt" ||
	    bad "nordea list: $(cat "$sp/out/factoring/translist-nordea-000001.txt")"
	[ "$(cat "$sp"/out/invoices/* | grep -c '<TransmissionListIdentifier>1<')" = 5 ] ||
	    bad "not every factoring invoice carries batch 1"
	[ "$(batches_of "$sp")" = "nordea 1 3 326508 0,op 1 2 217672 0," ] ||
	    bad "batches: $(batches_of "$sp")"
	[ "$(sql "$sp" "SELECT count(*) || ' ' || sum(filed) FROM
	    spool_release")" = "1 1" ] ||
	    bad "releases: $(sql "$sp" "SELECT * FROM spool_release")"
	# the report: the first input of an account opened its batch, the
	# others joined it
	grep -h '^count	[0-9]*	factoring-' "$sp"/out/reports/*.tsv |
	    cut -f3,4 | tr '\t\n' ': ' >"$scratch/fcounts"
	[ "$(cat "$scratch/fcounts")" = "factoring-batch:1 factoring-batch:1 factoring-joined:2 factoring-joined:1 " ] ||
	    bad "report counts: $(grep -h '^count	[0-9]*	factoring-' "$sp"/out/reports/*.tsv)"
	first=$(content_hashes "$sp/out/factoring" "$sp/out/invoices")
	sed 's|<InvoiceNumber>1001<|<InvoiceNumber>1031<|' \
	    "$fact_dir/f-1001.xml" >"$sp/in/k-1031.xml"
	sed 's|<InvoiceNumber>1001<|<InvoiceNumber>1041<|' \
	    "$fact_dir/f-1001.xml" >"$sp/in/l-1041.xml"
	with_factoring run "$sp"
	[ "$rc" = 0 ] || bad "run 2: exit $rc: $(cat "$scratch/stderr")"
	head -n 1 "$sp/out/factoring/notice-nordea-000002.tsv" 2>/dev/null |
	    grep -qx 'nordea	12345678	2	2026-09-01	2	2176.72' ||
	    bad "run 2: no notice of nordea batch 2 for two inputs: $(ls "$sp/out/factoring")"
	[ "$(ls "$sp/out/factoring" | wc -l)" = 9 ] ||
	    bad "run 2: out/factoring holds $(ls "$sp/out/factoring")"
	with_factoring run "$sp"
	[ "$rc" = 0 ] || bad "run 3: exit $rc: $(cat "$scratch/stderr")"
	[ "$(batches_of "$sp")" = "nordea 1 3 326508 0,op 1 2 217672 0,nordea 2 2 217672 0," ] ||
	    bad "batches after three runs: $(batches_of "$sp")"
	still_there "$first" "$sp/out/factoring" "$sp/out/invoices"
	notices_first "$sp"
	check_clean "$sp"
}

# The invoice files wait in state/staging/ while the batch is open: a
# run killed right after its last input was filed has every factoring
# invoice file held (none in out/invoices, the notices not written),
# the journal saying what they wait for.  The passed invoice (f-1003, no
# account) did not wait.  Then a new f-1001.xml (invoice 1051) is
# dropped: the next run joins it to the same batch (nordea 1, now four
# invoices), names its file f-1001.1.xml (f-1001.xml is taken by the
# held one, which is not in out/invoices yet), closes the batches and
# releases all of them.
# killed_when_filed NAME: a spool NAME with the inputs of
# drop_factoring_two, its run killed (abort) at the first step after
# which all five inputs are filed; its path in $sp, status 1 (said) if
# there is no such step
killed_when_filed() {
	step=1
	while :; do
		sp=$(newspool "$1")
		drop_factoring_two "$sp"
		RESKONTRA_CRASH_AFTER=$step with_factoring run "$sp"
		[ "$rc" = 134 ] || { bad "no crash at step $step"; return 1; }
		[ "$(sql "$sp" "SELECT count(*) FROM spool_input WHERE
		    filed = 1" 2>/dev/null)" = 5 ] && return 0
		step=$((step + 1))
		[ "$step" -lt 100 ] || { bad "never five inputs filed"; return 1; }
	done
}

t_factoring_held() {
	fact_setup
	killed_when_filed factoring-held || return
	[ -z "$(ls "$sp/in")" ] || bad "in/ not empty: $(ls "$sp/in")"
	[ "$(ls "$sp/out/invoices" | tr '\n' ' ')" = "f-1003.xml " ] ||
	    bad "out/invoices before the batch closed: $(ls "$sp/out/invoices")"
	[ -z "$(ls "$sp/out/factoring")" ] ||
	    bad "out/factoring before the batch closed: $(ls "$sp/out/factoring")"
	[ "$(ls "$sp/state/staging" | wc -l)" = 4 ] ||
	    bad "held in state/staging: $(ls "$sp/state/staging")"
	[ "$(sql "$sp" "SELECT count(*) || ' ' || count(DISTINCT hold) FROM
	    spool_output WHERE hold IS NOT NULL")" = "4 1" ] ||
	    bad "held outputs: $(sql "$sp" "SELECT * FROM spool_output")"
	[ "$(batches_of "$sp")" = "nordea 1 3 326508 1,op 1 2 217672 1," ] ||
	    bad "open batches: $(batches_of "$sp")"
	sed 's|<InvoiceNumber>1001<|<InvoiceNumber>1051<|' \
	    "$fact_dir/f-1001.xml" >"$sp/in/f-1001.xml"
	fact_run_clean "$sp" rerun || return
	[ "$(ls "$sp/out/invoices" | tr '\n' ' ')" = \
	    "f-1001.1.xml f-1001.xml f-1002.xml f-1003.xml g-mix.xml h-1011.xml " ] ||
	    bad "out/invoices after the rerun: $(ls "$sp/out/invoices")"
	grep -q '<InvoiceNumber>1001<' "$sp/out/invoices/f-1001.xml" &&
	    grep -q '<InvoiceNumber>1051<' "$sp/out/invoices/f-1001.1.xml" ||
	    bad "the two f-1001.xml are not filed apart"
	[ "$(batches_of "$sp")" = "nordea 1 4 435344 0,op 1 2 217672 0," ] ||
	    bad "batches after the rerun: $(batches_of "$sp")"
	[ "$(notice_invoices "$sp" nordea 1)" = "nordea 1001 1021 1011 1051 " ] ||
	    bad "nordea notice: $(cat "$sp/out/factoring/notice-nordea-000001.tsv")"
}

# The configuration no longer says factoring when the next run comes
# (here: none): the batches a killed factoring run left open are closed
# all the same and the invoice files held for them released, so nothing
# stays in state/staging/ unseen.
t_factoring_held_unconfigured() {
	fact_setup
	killed_when_filed factoring-unconf || return
	run "$sp"
	[ "$rc" = 0 ] || bad "rerun without factoring: exit $rc: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	notices_first "$sp" || return
	[ "$(ls "$sp/out/invoices" | wc -l)" = 5 ] ||
	    bad "out/invoices: $(ls "$sp/out/invoices")"
	[ "$(batches_of "$sp")" = "nordea 1 3 326508 0,op 1 2 217672 0," ] ||
	    bad "batches: $(batches_of "$sp")"
}

# ---- Fault injection over a whole run (failshim's counting mode) ----
#
# The walk's spool: the amili configuration, and in in/ a Finvoice file
# that is routed and rewritten (outputs in out/invoices/ and a notice
# batch in out/notices/), a credit note for it, KTL and KTO files
# (vouchers), and a file that is rejected (failed/ + .error).  The spool
# was made by a clean run with nothing in in/, so the walk is over a
# normal run on an existing ledger; t_fault_first walks a first run.
drop_fault() {
	cp "$route_dir/ok-fi.xml" "$1/in/a-fi.xml"
	cp "$route_dir/credit.xml" "$1/in/x-credit.xml"
	[ -z "$accepted" ] || cp "$accepted" "$1/in/b-payments.ktl"
	cp "$top/tests/data/kto/nordea_demo_tito_sepa-95971d4.txt" \
	    "$1/in/c-statement.kto"
	printf 'not a bank file\n' >"$1/in/junk"
}

# faultrun SPOOL [VAR=VALUE...]: `reskontra run` (amili configuration)
# under the shim with the given settings.  fsync is counted but not
# waited for (FAILSHIM_NOSYNC): the walk is about error paths.
faultrun() {
	sp=$1
	shift
	timeout 60 env ASAN_OPTIONS=verify_asan_link_order=0 \
	    LD_PRELOAD="$shim" FAILSHIM_NOSYNC=1 "$@" "$RESKONTRA" run \
	    -c "${fault_conf:-$scratch/amili-conf/amili.conf}" --today 2026-09-01 \
	    --settle 0 "$sp" >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
}

# journal_of SPOOL: the inputs as journalled, without run and row numbers
journal_of() {
	sql "$1" "SELECT CAST(name AS TEXT), outcome, dest, format FROM
	    spool_input ORDER BY name, dest"
}

# fault_ready NAME [first]: a spool for the walk, ready (a copy of the
# one fault_ref made); its path in $sp
fault_ready() {
	sp=$scratch/$1
	rm -rf "$sp"
	cp -a "$scratch/fault-template" "$sp"
}

# fault_clean SPOOL: a run with nothing failing (and no waiting in fsync)
fault_clean() {
	faultrun "$1"
}

# fault_ref [first|plain]: the end state of an undisturbed run in fp.want and
# journal.want; the number of counted calls of each kind in $count_KIND
# (only I/O calls for first, none for plain)
fault_ref() {
	${fault_setup:-amili_setup}
	sp=$(newspool fault-template)
	[ "${1:-}" = first ] || ${fault_run:-run_amili} "$sp"
	${fault_drop:-drop_fault} "$sp"
	fault_ready fault-ref-plain
	${fault_run:-run_amili} "$sp"
	[ "$rc" = 1 ] || bad "undisturbed run: exit $rc, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return 1
	fingerprint "$sp" >"$scratch/fp.want"
	journal_of "$sp" >"$scratch/journal.want"
	kinds="io read lock malloc"
	[ "${1:-}" = first ] && kinds=io
	[ "${1:-}" = plain ] && kinds=
	for kind in $kinds; do
		case $kind in
		io) calls= ;;
		*) calls=$kind ;;
		esac
		fault_ready fault-ref "${1:-}"
		faultrun "$sp" FAILSHIM_CALLS="$calls" \
		    FAILSHIM_COUNT="$scratch/count"
		# the shim's streams write the same bytes
		fingerprint "$sp" >"$scratch/fp.got"
		cmp -s "$scratch/fp.want" "$scratch/fp.got" ||
		    { bad "under the shim, the end state differs:
$(diff "$scratch/fp.want" "$scratch/fp.got")"; return 1; }
		eval "count_$kind=\$(head -n 1 \"\$scratch/count\")"
		say "  ($kind: $(tr '\n' ' ' <"$scratch/count"))"
	done
	[ -z "$kinds" ] || [ "$count_io" -gt 100 ] ||
	    { bad "too few calls counted: $count_io"; return 1; }
	[ "$kinds" != "io read lock malloc" ] || [ "$count_malloc" -gt 1000 ] ||
	    { bad "too few allocations counted: $count_malloc"; return 1; }
}

# fault_one N CALLS [VAR=VALUE...]: a run whose Nth counted call of
# CALLS fails, a clean rerun, and the checks.  Status 1 when the test is
# to stop (it said why).
fault_one() {
	fault_n=$1 calls=$2
	shift 2
	fault_ready fault-walk
	rm -f "$scratch/failed-call"
	faultrun "$sp" FAILSHIM_NTH="$fault_n" FAILSHIM_CALLS="$calls" \
	    FAILSHIM_LOG="$scratch/failed-call" "$@"
	what="${calls:-I/O} call $fault_n ($(cat "$scratch/failed-call" 2>/dev/null ||
	    echo 'did not fail'))"
	case $rc in
	0 | 1) ;;
	2)	# the configuration could not be read: a failed open of
		# amili.conf or customers.tsv
		grep -q "^reskontra: $(dirname "${fault_conf:-$scratch/amili-conf/amili.conf}")/" \
		    "$scratch/stderr" ||
		    { bad "$what: exit 2: $(cat "$scratch/stderr")"; return 1; } ;;
	3)	grep -q '^reskontra' "$scratch/stderr" ||
		    { bad "$what: exit 3 without a message"; return 1; } ;;
	134)	# malloc: the x-wrappers abort by design, with a message
		[ "$calls" = malloc ] &&
		    grep -q '^reskontra: out of memory' "$scratch/stderr" ||
		    { bad "$what: abort: $(tail -n 3 "$scratch/stderr")"; return 1; } ;;
	*)	bad "$what: exit $rc: $(tail -n 3 "$scratch/stderr")"; return 1 ;;
	esac
	faultrun_rc=$rc
	cp "$scratch/stderr" "$scratch/stderr.fault"
	fault_clean "$sp"
	if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
		bad "$what (exit $faultrun_rc), rerun: exit $rc: $(cat "$scratch/stderr")"
		return 1
	fi
	check_clean "$sp" || { say "(after $what, exit $faultrun_rc)"; return 1; }
	journal_of "$sp" >"$scratch/journal.got"
	fingerprint "$sp" >"$scratch/fp.got"
	if ! cmp -s "$scratch/journal.want" "$scratch/journal.got" ||
	    ! cmp -s "$scratch/fp.want" "$scratch/fp.got"; then
		bad "$what (exit $faultrun_rc): end state differs:
$(diff "$scratch/journal.want" "$scratch/journal.got")
$(diff "$scratch/fp.want" "$scratch/fp.got")"
		return 1
	fi
	[ "$faultrun_rc" = 3 ] && nstopped=$((nstopped + 1))
	[ "$faultrun_rc" = 134 ] && naborted=$((naborted + 1))
	nwalked=$((nwalked + 1))
	return 0
}

# fault_walk CALLS COUNT ALL STRIDE: fault_one for every N up to ALL,
# then every STRIDEth N (starting at a different offset for each walk)
# up to COUNT, and one past COUNT (nothing fails).
fault_walk() {
	nwalked=0 nstopped=0 naborted=0
	walk_n=1
	while [ "$walk_n" -le "$(($2 + 1))" ]; do
		fault_one "$walk_n" "$1" || return 1
		if [ "$walk_n" -lt "$3" ]; then
			walk_n=$((walk_n + 1))
		else
			walk_n=$((walk_n + $4))
		fi
	done
	say "  (${1:-I/O}: $nwalked runs of $(($2)) calls, $nstopped stopped with exit 3, $naborted aborted)"
}

# I/O calls of a run fail once, in turn: open, write, fsync, ftruncate,
# rename, unlink, mkdir (the program's and SQLite's); then reads,
# SQLite's locks and allocations.  Each time, the run exits 0, 1 or 3
# with a message (2 only for the configuration file; an allocation may
# abort with "out of memory" from an x-wrapper, exit 134: the documented
# abort -- any other signal fails), and after a clean rerun nothing is
# lost or doubled and everything is where an undisturbed run put it.
#
# A clean run makes about 500 counted I/O calls, 150 reads, 210 lock
# calls and 12400 allocations; one N costs two runs (about 1 s on a
# shared machine), so the walk takes every N up to 40 (the setup:
# configuration, database, probes) and then every 7th, reads every
# 11th, locks every 19th and allocations every 409th: about 170 runs,
# 3 minutes.  The strides are primes so that a periodic pattern of
# calls is not stepped over; they do not promise that every call site
# is hit (every N was walked once, 500 I/O and 150 reads, and passed).
# Found and fixed with it:
# - I/O call 56 (unlink of work/.reskontra-probe.PID, EIO): the probe
#   stayed in work/ and the run reported it as a stray; now exit 3.
# - I/O call 75 (open of work/a-fi.xml to detect its format, EACCES):
#   the Finvoice input was stored as "processed" without being routed
#   or rewritten (no out/invoices/, no notices); now exit 3.
# - read call 120 (pread64 of the journal, EIO): the report's count
#   query failed, was taken for "nothing to report", and the run was
#   marked reported without a report; now exit 3.
# - malloc calls 3273 and 4909 (inside libxml2): the good Finvoice file
#   was rejected ("Memory allocation failed", and libxml2 even says
#   "Extra content at the end of the document") and filed in failed/;
#   libxml2 now allocates through the x-wrappers, which abort.
# - every allocation (MALLOC_STRIDE=1, about 19000 runs): 122 of them
#   aborted without a word -- open_memstream, vasprintf, fdopen and
#   iconv_open failing for want of memory ended in a bare abort(); they
#   now go through xmemstream, xvasprintf and oom(), which say "out of
#   memory" first.  The stride of 409 met one of them on another
#   machine, whose C library allocates a different number of times.
# Not hit by the strides but of the same kind as the report query, in
# src/spool/spool.c: the loops "while (sqlite3_step(st) == SQLITE_ROW)"
# in recover() (unfiled inputs, unreported runs), file_input() (its
# outputs) and the claim loop do not tell an error from the last row;
# and spool_job_output() aborts without a message when fdopen fails.
t_fault_walk() {
	build_shim || return
	first=
	fault_ref || return
	fault_walk "" "$count_io" 40 7 || return
	fault_walk read "$count_read" 1 11 || return
	fault_walk lock "$count_lock" 1 19 || return
	fault_walk malloc "$count_malloc" 1 "${MALLOC_STRIDE:-409}" || return
}

# The walk over a factoring run (fault_conf, fault_setup, fault_run and
# fault_drop replace the amili ones): the inputs of t_factoring, whose
# batches, notices and lists must end where an undisturbed run puts
# them whichever I/O call or allocation fails.  I/O every N up to 40,
# then every 7th; allocations every 409th.
run_factoring() {
	with_factoring run "$@"
}

t_fault_factoring() {
	fault_factoring_over drop_factoring
}

# fault_factoring_over DROP: the walk over a factoring run of the inputs
# DROP SPOOL puts in
fault_factoring_over() {
	build_shim || return
	first=
	fault_conf=$scratch/fact-conf/factoring.conf fault_setup=fact_setup
	fault_run=run_factoring fault_drop=$1
	fault_ref && fault_walk "" "$count_io" 40 7 &&
	    fault_walk malloc "$count_malloc" 1 409
	fault_conf= fault_setup= fault_run= fault_drop=
}

# The same walk over a run of several inputs per account (the inputs
# of t_factoring_two and the rejected f-town.xml): one batch per
# account, the invoice files held until the release, whichever I/O call
# or allocation fails.
drop_factoring_walk() {
	drop_factoring_two "$1"
	cp "$fact_dir/f-town.xml" "$1/in/"
}

t_fault_factoring_two() {
	fault_factoring_over drop_factoring_walk
}

# The first run, which makes the directories and the database, with its
# I/O calls failing one at a time: every N up to 20, then every 23rd.
t_fault_first() {
	build_shim || return
	first=first
	fault_ref first || return
	fault_walk "" "$count_io" 20 23 || return
}

# Named cases, each a failure that stays: the database's disk is full
# (every write to state/ledger.db and its -wal fails with ENOSPC), the
# disk under out/, state/staging/ or failed/ is full, out/ or one of its
# directories is read-only (EROFS, EACCES: creating and renaming there
# fail -- also for root, whom chmod would not stop), and a disk that
# fills up in the middle of a run and stays full (FAILSHIM_STICKY).
# Each run stops with exit 3 and a message naming the place, and a
# clean rerun ends where an undisturbed run does.
t_fault_named() {
	build_shim || return
	first=
	fault_ref plain || return
	# place, errno, shim mode, what the message says
	for c in "/state/ledger.db 28 FDMATCH ledger.db:.*(full|I/O.error)" \
	    "/out/ 28 FDMATCH /out/.*No.space" \
	    "/state/staging/ 28 FDMATCH staged.output:.*No.space" \
	    "/failed/ 28 FDMATCH failed.*No.space" \
	    "/out/ 30 MATCH out/.*Read-only" \
	    "/out/invoices/ 13 MATCH out/invoices.*Permission" \
	    "/out/notices/ 30 MATCH out/notices.*Read-only"; do
		set -- $c
		fault_one 0 "" FAILSHIM_$3="$1" FAILSHIM_ERRNO="$2" || return
		[ "$faultrun_rc" = 3 ] ||
		    { bad "$3 $1 errno $2: exit $faultrun_rc, want 3"; return; }
		grep -Eq "^reskontra: .*$4" "$scratch/stderr.fault" ||
		    { bad "$3 $1: no message naming it: $(cat "$scratch/stderr.fault")"; return; }
	done
	# out/ read-only: nothing may leave in/
	fault_ready fault-rofs
	faultrun "$sp" FAILSHIM_MATCH=/out/ FAILSHIM_ERRNO=30
	[ "$rc" = 3 ] && [ -z "$(ls -A "$sp/work")" ] &&
	    [ "$(ls -A "$sp/in" | wc -l)" = 5 ] ||
	    bad "out/ read-only: exit $rc, something was claimed: $(ls -A "$sp/work")"
	# A run makes about 250 writes; the last 20 or so are SQLite's
	# checkpoint when the database is closed, after the last commit:
	# failing them loses nothing (the WAL keeps it) and the run ends 1.
	# A position past the run's last write would test nothing: the
	# write must have failed.
	for w in 20 100 200 230; do
		fault_one "$w" write FAILSHIM_STICKY=1 || return
		case $what in *"did not fail"*)
			bad "disk full from write $w on: the run makes fewer writes (move the position)"
			continue ;;
		esac
		[ "$faultrun_rc" = 3 ] ||
		    bad "disk full from write $w on: exit $faultrun_rc, want 3"
	done
}

# Many companies: 20 spools, each with its inputs, run with -j 4 by two
# invocations at the same time.  Each spool's inputs are processed
# exactly once (by whichever run took its lock first; the other finds
# the lock or nothing to do), each run prints one whole summary line per
# spool it processed, in the order of the arguments, and exits with the
# worst status of its spools.
t_many_spools() {
	if [ -z "$accepted" ]; then
		skipped "no accepted input in tests/data/ktl"
		return
	fi
	spools= ninputs=1
	[ -n "$accepted2" ] && ninputs=2
	rm -rf "$scratch/many"
	for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
		sp=$scratch/many/s$i
		mkdir -p "$sp/in"
		cp "$accepted" "$sp/in/pay $i.ktl"
		[ -z "$accepted2" ] || cp "$accepted2" "$sp/in/-second.ktl"
		spools="$spools $sp"
	done
	# Two companies get a file no reader takes: status 1 for the run
	# that processes them.
	printf 'not a bank file\n' >"$scratch/many/s07/in/junk"
	printf 'not a bank file\n' >"$scratch/many/s13/in/junk"
	for k in 1 2; do
		RESKONTRA_STEP_DELAY_MS=10 timeout 120 "$RESKONTRA" run \
		    -c "$conf" --today "$today" --settle 0 -j 4 $spools \
		    >"$scratch/many.out$k" 2>"$scratch/many.err$k" &
		eval "pid$k=\$!"
	done
	wait "$pid1"
	rc1=$?
	wait "$pid2"
	rc2=$?
	# (Few processes per spool: on a busy machine each costs.)
	: >"$scratch/many.want"
	: >"$scratch/many.done"
	for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
		sp=$scratch/many/s$i
		rej=0
		case $i in 07|13) rej=1 ;; esac
		printf '%s\n' "reskontra run: $sp: $ninputs processed, 0 duplicate, $rej rejected, 0 refused, 0 finished from an earlier run, 0 waiting; report out/reports/run-$today-001.tsv" \
		    >>"$scratch/many.want"
		printf '%s\n' "$sp/done/$today/pay $i.ktl" >>"$scratch/many.done"
		[ -z "$accepted2" ] ||
		    printf '%s\n' "$sp/done/$today/-second.ktl" >>"$scratch/many.done"
		# Every input journalled once under its name and filed, no
		# hash processed twice, one run, reported.
		set -- $(sql "$sp" "SELECT count(*), count(DISTINCT name),
		    sum(outcome = 'processed'), sum(filed),
		    (SELECT count(*) FROM spool_run),
		    (SELECT count(*) FROM spool_run WHERE reported = 0),
		    (SELECT count(*) FROM (SELECT sha256 FROM spool_input
		     WHERE outcome = 'processed' GROUP BY sha256
		     HAVING count(*) > 1)) FROM spool_input" | tr '|' ' ')
		n=$((ninputs + rej))
		[ "$*" = "$n $n $ninputs $n 1 0 0" ] ||
		    bad "s$i: journal: $* (inputs, names, processed, filed, runs, unreported, hashes twice)"
	done
	# Each spool's summary once over the two runs, whole lines only;
	# every spool's payments went to suspense (an empty ledger).
	n=$(cat "$scratch/many.out1" "$scratch/many.out2" |
	    grep -c '; payments: [0-9]* ([0-9.]*), [1-9][0-9]* to suspense')
	[ "$n" = 20 ] || bad "$n summaries with the payments, want 20"
	sort "$scratch/many.out1" "$scratch/many.out2" |
	    sed 's/; payments: [^;]*//' >"$scratch/many.got"
	sort "$scratch/many.want" | cmp -s - "$scratch/many.got" ||
	    bad "summaries: $(sort "$scratch/many.want" | diff - "$scratch/many.got")"
	find "$scratch/many" -path '*/done/*' -type f | sort >"$scratch/many.got"
	sort "$scratch/many.done" | cmp -s - "$scratch/many.got" ||
	    bad "done/: $(sort "$scratch/many.done" | diff - "$scratch/many.got")"
	n=$(find "$scratch/many"/*/in "$scratch/many"/*/work \
	    "$scratch/many"/*/state/staging -mindepth 1 | wc -l)
	[ "$n" = 0 ] || bad "$n entries left in in/, work/ or state/staging/"
	n=$(cat "$scratch/many"/*/out/reports/run-*.tsv | grep -c '^input	')
	[ "$n" = $((20 * ninputs + 2)) ] || bad "$n inputs in the reports"
	check_clean "$scratch/many/s07" || bad "s07 not clean"
	# The status of a run is the worst of its spools.
	worst1=0 worst2=0
	grep -q 'to suspense' "$scratch/many.out1" && worst1=1
	grep -q 'to suspense' "$scratch/many.out2" && worst2=1
	[ "$rc1" = "$worst1" ] || bad "first run: exit $rc1, want $worst1"
	[ "$rc2" = "$worst2" ] || bad "second run: exit $rc2, want $worst2"
	[ $((rc1 > rc2 ? rc1 : rc2)) = 1 ] || bad "exit $rc1 and $rc2, want 1 for one of them"
	# Whole lines only, in the order of the arguments.
	for k in 1 2; do
		n=$(grep -cv "^reskontra run: $scratch/many/s[0-9][0-9]: [0-9]* processed, .*; report out/reports/run-$today-001.tsv\$" \
		    "$scratch/many.out$k")
		[ "$n" = 0 ] || bad "run $k: other lines on stdout: $(cat "$scratch/many.out$k")"
		sed "s|^reskontra run: $scratch/many/\(s[0-9]*\): .*|\1|" \
		    "$scratch/many.out$k" | sort -c ||
		    bad "run $k: spools out of order: $(cat "$scratch/many.out$k")"
		n=$(grep -v -e "^reskontra: $scratch/many/s[0-9][0-9]: another run holds the lock (state/lock); nothing done\$" \
		    -e "^reskontra: $scratch/many/s\(07\|13\): junk:1:1: not a file format" \
		    -e "^reskontra run: $scratch/many/s\(07\|13\): junk: rejected, filed as failed/junk\$" \
		    -e "^reskontra: $scratch/many/s[0-9][0-9]: .*: payment of .*: booked to suspense (" \
		    -e "^reskontra: $scratch/many/s[0-9][0-9]: .*: payment of .*: a failed direct debit: no money moved, nothing applied (feedback code [0-9])\$" \
		    "$scratch/many.err$k" | wc -l)
		[ "$n" = 0 ] || bad "run $k: standard error: $(cat "$scratch/many.err$k")"
	done
}

# Without -c every spool has its own configuration, SPOOL/reskontra.conf,
# its paths relative to it; a spool without one is a configuration error
# (2) of that spool only, a missing spool an error (3) of its own, and the
# run's status is the worst.  With -c a bad configuration stops the run
# before any spool is touched.
t_many_config() {
	a=$(newspool config-a)
	b=$(newspool config-b)
	printf 'junk\n' >"$a/in/x"
	printf 'junk\n' >"$b/in/x"
	printf '[company]\nname = A Oy\nbusiness_id = 0737546-2\n' >"$a/reskontra.conf"
	timeout 60 "$RESKONTRA" run --today "$today" --settle 0 -j 2 \
	    "$a" "$b" >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 2 ] || bad "exit $rc, want 2"
	[ -f "$a/failed/x" ] || bad "the spool with a configuration was not run"
	[ -f "$b/in/x" ] || bad "the spool without one was touched"
	grep -qxF "reskontra run: $b: no -c CONF and no reskontra.conf in the spool" \
	    "$scratch/stderr" || bad "no message for $b: $(cat "$scratch/stderr")"
	grep -qxF "reskontra run: $a: 0 processed, 0 duplicate, 1 rejected, 0 refused, 0 finished from an earlier run, 0 waiting; report out/reports/run-$today-001.tsv" \
	    "$scratch/stdout" || bad "summary: $(cat "$scratch/stdout")"
	# A relative path in the spool's configuration is the spool's.
	printf '[company]\nname = B Oy\nbusiness_id = 0737546-2\n[customers]\nfile = customers.tsv\n' \
	    >"$b/reskontra.conf"
	timeout 60 "$RESKONTRA" run --today "$today" --settle 0 "$b" "$a" \
	    >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 2 ] || bad "customers.tsv missing: exit $rc, want 2"
	grep -q "^reskontra: $b/customers.tsv: " "$scratch/stderr" ||
	    bad "customers.tsv not looked for in the spool: $(cat "$scratch/stderr")"
	# With -c: a missing spool is an error (3) of its own.
	printf 'junk\n' >"$a/in/z"
	timeout 60 "$RESKONTRA" run -c "$conf" --today "$today" --settle 0 \
	    "$scratch/no such spool" "$a" >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 3 ] || bad "missing spool: exit $rc, want 3"
	[ -f "$a/failed/z" ] || bad "the spool after a missing one was not run"
	grep -q "^reskontra run: $scratch/no such spool: stopped" "$scratch/stderr" ||
	    bad "no line for the missing spool: $(cat "$scratch/stderr")"
	# One spool: without -c its own configuration, the output as ever.
	printf '[company]\nname = B Oy\nbusiness_id = 0737546-2\n' >"$b/reskontra.conf"
	timeout 60 "$RESKONTRA" run --today "$today" --settle 0 "$b" \
	    >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 1 ] || bad "one spool: exit $rc, want 1"
	grep -qxF "reskontra run: 0 processed, 0 duplicate, 1 rejected, 0 refused, 0 finished from an earlier run, 0 waiting; report out/reports/run-$today-001.tsv" \
	    "$scratch/stdout" || bad "one spool: $(cat "$scratch/stdout")"
	# A bad -c: status 2, no spool touched.
	printf 'junk\n' >"$a/in/y"
	printf '[nonsense]\n' >"$scratch/bad.conf"
	timeout 60 "$RESKONTRA" run -c "$scratch/bad.conf" --settle 0 "$a" "$b" \
	    >"$scratch/stdout" 2>"$scratch/stderr"
	rc=$?
	[ "$rc" = 2 ] || bad "bad -c: exit $rc, want 2"
	[ -f "$a/in/y" ] || bad "bad -c: a spool was run"
	# read once, before any spool: each of its errors said once
	[ "$(grep -c 'unknown section \[nonsense\]' "$scratch/stderr")" = 1 ] &&
	    [ -z "$(sort "$scratch/stderr" | uniq -d)" ] ||
	    bad "bad -c: its errors not said once: $(cat "$scratch/stderr")"
}


# ---- SI and RI messages (formats/si.md) ----
#
# The SI files of the si-change golden cases dropped into in/: their
# CHANGE files appear in out/si/, byte for byte the golden ones, once;
# a second run and a copy under another name write nothing more; every
# output is schema-valid.  An RI file gives one ri notice file.  A
# configuration without [service] iban, or a file with nothing to change
# (a DELETE), sends an SI file to failed/.
si_dir=$top/tests/data/si
si_golden=$top/tests/golden
drop_si() {
	cp "$si_dir/handmade-si-add-two-banks.xml" "$si_dir/handmade-si-latin9-rf-bare.xml" \
	    "$si_dir/handmade-si-add-customer-number.xml" "$1/in/"
	cp "$si_dir/handmade-ri-add.xml" "$1/in/x-ri.xml"
}

run_si() {
	saved_conf=$conf saved_today=$today
	conf=$si_dir/si.conf today=2026-03-15
	run "$@"
	conf=$saved_conf today=$saved_today
}

t_si() {
	sp=$(newspool si)
	drop_si "$sp"
	run_si "$sp"
	# the RI names nothing in an empty ledger: set aside, exit 1
	[ "$rc" = 1 ] || bad "exit $rc, want 1: $(cat "$scratch/stderr")"
	check_clean "$sp" || return
	for c in si-change-two-banks si-change-already-08 si-change-latin9-rf; do
		for f in "$si_golden/$c"/out/*; do
			cmp -s "$f" "$sp/out/si/$(basename "$f")" ||
			    bad "out/si/$(basename "$f") is not the golden file"
		done
	done
	n=$(find "$sp/out/si" -type f | wc -l)
	[ "$n" = 4 ] || bad "$n files in out/si, want 4: $(ls "$sp/out/si")"
	"$RESKONTRA" check --schema "$sp"/out/si/* >/dev/null 2>&1 ||
	    bad "not schema-valid: $("$RESKONTRA" check --schema "$sp"/out/si/* 2>&1)"
	[ "$(count_of "$sp" si-changed)" = "4 0.00" ] ||
	    bad "si-changed: $(count_of "$sp" si-changed), want 4"
	grep -q '^ri-unmatched	start	77000017	01	' "$sp/out/notices/x-ri.xml.ri.tsv" ||
	    bad "ri notice: $(cat "$sp/out/notices/x-ri.xml.ri.tsv")"
	fingerprint "$sp" >"$scratch/fp.want"
	run_si "$sp"
	[ "$rc" = 0 ] || bad "second run: exit $rc"
	fingerprint "$sp" >"$scratch/fp.got"
	cmp -s "$scratch/fp.want" "$scratch/fp.got" || bad "second run changed the spool"
	cp "$si_dir/handmade-si-add-two-banks.xml" "$sp/in/again.xml"
	run_si "$sp"
	[ "$rc" = 0 ] || bad "repeat: exit $rc: $(cat "$scratch/stderr")"
	n=$(find "$sp/out/si" -type f | wc -l)
	[ "$n" = 4 ] || bad "$n files in out/si after a repeat, want 4"
	check_clean "$sp"
	# no [service] iban: the SI file is refused, nothing in out/si
	sp=$(newspool si-noiban)
	cp "$si_dir/handmade-si-add-two-banks.xml" "$sp/in/"
	saved_conf=$conf
	conf=$si_dir/no-iban.conf
	run "$sp"
	conf=$saved_conf
	[ "$rc" = 1 ] || bad "no iban: exit $rc, want 1"
	[ -f "$sp/failed/handmade-si-add-two-banks.xml.error" ] &&
	    grep -q 'iban is required' "$sp/failed/handmade-si-add-two-banks.xml.error" ||
	    bad "no iban: not in failed/ with the reason: $(ls -R "$sp")"
	[ -z "$(ls -A "$sp/out/si" 2>/dev/null)" ] || bad "no iban: out/si written"
	# a file of a DELETE only: nothing to change, refused
	sp=$(newspool si-delete)
	cp "$si_dir/handmade-si-delete.xml" "$sp/in/"
	run_si "$sp"
	[ "$rc" = 1 ] || bad "delete only: exit $rc, want 1"
	grep -q 'no SI message could be changed (1 rejected).*DELETE' \
	    "$sp/failed/handmade-si-delete.xml.error" 2>/dev/null ||
	    bad "delete only: not in failed/ with the reason: $(ls -R "$sp")"
	[ -z "$(ls -A "$sp/out/si" 2>/dev/null)" ] || bad "delete only: out/si written"
	check_clean "$sp"
}

# The crash loop over the SI inputs: each CHANGE file appears once
# whatever step the run dies at.
t_si_crash() {
	saved_conf=$conf saved_today=$today
	conf=$si_dir/si.conf today=2026-03-15
	crash_loop drop_si
	conf=$saved_conf today=$saved_today
}

# SIGKILLs at random moments over the SI inputs.
t_si_sigkill() {
	saved_conf=$conf saved_today=$today
	conf=$si_dir/si.conf today=2026-03-15
	kill_loop drop_si
	conf=$saved_conf today=$saved_today
}


tests="layout root linked_root other_fs stray claim long_names refuse names control_names ignored leftover_probe truncated_gzip collision duplicate lock settle cron_output reconcile exit_codes unwritable crash_every_step crash_said sigkill amili fifo_out set_aside number_kept_once voucher_numbers warning_lines own_decision read_ahead amili_crash factoring factoring_two factoring_held factoring_held_unconfigured factoring_crash factoring_kill many_spools many_config fault_walk fault_first fault_named fault_factoring fault_factoring_two si si_crash si_sigkill"
[ $# -gt 0 ] && tests="$*"
for t in $tests; do
	current=$t
	nbad=0 skipping=0
	if [ "$(command -v "t_$t")" = "t_$t" ]; then
		"t_$t"
	else
		bad "no such case"
	fi
	if [ "$nbad" -gt 0 ]; then
		fail=$((fail + 1))
		failed="$failed $t"
	elif [ "$skipping" = 1 ]; then
		skip=$((skip + 1))
	else
		pass=$((pass + 1))
	fi
done
if [ "$skip" -gt 0 ]; then
	echo "spool: $pass passed, $fail failed, $skip skipped"
else
	echo "spool: $pass passed, $fail failed"
fi
[ -z "$failed" ] || echo "failed:$failed"
[ "$fail" = 0 ]
