#!/bin/sh
# Replay the seed corpora through the fuzz targets built for `make check`.
#
#   sh tests/fuzz/replay.sh BINDIR [TARGET...]
#
# BINDIR holds the targets linked with replay.c (the Makefile builds
# them as BUILD/fuzz/fuzz_*; under SANITIZE=1 with the sanitizers).
# Each target runs once over the seeds that seeds.sh gives it, the same
# that run.sh starts libFuzzer with.  A target is failed when it is
# missing, exits non-zero or is killed (a FUZZ_ASSERT abort, a sanitizer
# report); its output is shown.  Prints "fuzz-replay: N passed, N failed"
# and exits 1 if any target failed or none was run.
set -u
[ $# -ge 1 ] || { echo "usage: sh tests/fuzz/replay.sh BINDIR [TARGET...]" >&2; exit 2; }
bindir=$(cd "$1" && pwd) || exit 2
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-replay.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||')
fi
pass=0 fail=0 failed=
for t in $targets; do
	seeds=$scratch/seeds/$t
	if [ ! -x "$bindir/$t" ]; then
		echo "FAIL $t: $bindir/$t not built"
	elif ! sh tests/fuzz/seeds.sh "$t" "$seeds"; then
		echo "FAIL $t: cannot gather its seeds"
	elif [ -z "$(ls -A "$seeds")" ]; then
		echo "FAIL $t: no seeds"
	elif (cd "$scratch" && "$bindir/$t" "$seeds") >"$scratch/$t.log" 2>&1; then
		echo "ok $t: $(tail -n 1 "$scratch/$t.log" | sed 's/^replay: //')"
		pass=$((pass + 1))
		continue
	else
		echo "FAIL $t (exit $?), the last input named is the one:"
		grep -v '^Running: ' "$scratch/$t.log" | tail -n 20
		grep '^Running: ' "$scratch/$t.log" | tail -n 1
	fi
	fail=$((fail + 1))
	failed="$failed $t"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "fuzz-replay: $pass passed, $fail failed"
[ $((pass + fail)) -gt 0 ] || { echo "fuzz-replay: no target was run"; exit 1; }
[ "$fail" = 0 ]
