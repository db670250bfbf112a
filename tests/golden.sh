#!/bin/sh
# Golden-file tests: one directory per case under tests/golden/.
#
#   cmd         shell commands; `reskontra` runs the binary under test,
#               $DATA is tests/data, $OUT an empty scratch directory
#   stdin       optional, fed to cmd
#   stdout      expected standard output   (absent = must be empty)
#   stderr      expected standard error    (absent = must be empty)
#   status      expected exit status       (absent = 0)
#   statuses    expected exit statuses of every `reskontra` that cmd ran,
#               one a line, sorted with sort -n (absent = every one
#               exited with the expected status above)
#   out/        optional: expected files in $OUT after the run
#
# `statuses` is what catches a failing reskontra in a pipeline
# (`reskontra read F | grep ...`, `reskontra read | reskontra route`),
# whose exit status the shell throws away: the `reskontra` function
# appends each run's status to a file.  The runs of a pipeline end in no
# fixed order, hence the sorting.  Commands that call the binary as
# "$RESKONTRA" are not counted.
#
# The case runs with its own directory as the working directory.
# GOLDEN_UPDATE=1 rewrites the expected files (check the diff by hand!).
# Usage: sh tests/golden.sh [CASE...]; a CASE that does not exist fails,
# and so does a run of no case at all.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${RESKONTRA:=$top/reskontra}"
export RESKONTRA
DATA=$top/tests/data
export DATA
# The XML schemas built into the binary, as an uninstalled build uses
# them; a case that wants a schema directory sets RESKONTRA_SCHEMAS.
unset RESKONTRA_SCHEMAS
scratch=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-golden.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

pass=0 fail=0 failed=
cd "$top/tests/golden" || exit 1
if [ $# -gt 0 ]; then cases="$*"; else cases=$(ls); fi
for c in $cases; do
	c=${c%/}
	if [ ! -f "$c/cmd" ]; then
		[ $# -gt 0 ] || continue
		echo "--- $c: no such case"
		fail=$((fail + 1))
		failed="$failed $c"
		continue
	fi
	work=$scratch/$c
	mkdir -p "$work/OUT"
	OUT=$work/OUT
	export OUT
	GOLDEN_STATUSES=$work/statuses.log
	: >"$GOLDEN_STATUSES"
	stdin=/dev/null
	[ -f "$c/stdin" ] && stdin=$c/stdin
	(
		cd "$c" || exit 99
		# sh has no local variables: the function's own $1 holds
		# the status
		reskontra() {
			"$RESKONTRA" "$@"
			set -- $?
			echo "$1" >>"$GOLDEN_STATUSES"
			return "$1"
		}
		. ./cmd
	) <"$stdin" >"$work/stdout" 2>"$work/stderr"
	echo $? >"$work/status"
	sort -n "$GOLDEN_STATUSES" >"$work/statuses"
	ok=1
	for f in stdout stderr status statuses; do
		want=$c/$f
		if [ ! -f "$want" ]; then
			case $f in
			status) echo 0 >"$work/want.$f" ;;
			statuses)
				s=$(cat "$c/status" 2>/dev/null || echo 0)
				sed "s/.*/$s/" "$work/statuses" >"$work/want.$f"
				;;
			*) : >"$work/want.$f" ;;
			esac
			want=$work/want.$f
		fi
		if ! cmp -s "$want" "$work/$f"; then
			if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
				cp "$work/$f" "$c/$f"
				[ -s "$c/$f" ] || rm -f "$c/$f"
				[ "$f" = status ] && [ "$(cat "$c/$f" 2>/dev/null)" = 0 ] && rm -f "$c/$f"
				# statuses only where they are not all the status
				if [ "$f" = statuses ] && [ -f "$c/$f" ] &&
				    [ -z "$(grep -v -x "$(cat "$c/status" 2>/dev/null || echo 0)" "$c/$f")" ]; then
					rm -f "$c/$f"
				fi
			else
				ok=0
				echo "--- $c: $f differs"
				diff -u "$want" "$work/$f" | head -40
			fi
		fi
	done
	if [ -d "$c/out" ] || [ -n "$(ls -A "$OUT")" ]; then
		if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
			rm -rf "$c/out"
			[ -n "$(ls -A "$OUT")" ] && cp -R "$OUT" "$c/out"
		elif ! diff -ruN "$c/out" "$OUT" >"$work/out.diff" 2>&1; then
			ok=0
			echo "--- $c: output files differ"
			head -40 "$work/out.diff"
		fi
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $c"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "golden: $pass passed, $fail failed"
if [ $((pass + fail)) = 0 ]; then
	echo "golden: no case was run"
	exit 1
fi
[ $fail = 0 ]
