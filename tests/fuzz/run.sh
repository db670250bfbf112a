#!/bin/sh
# Build the libFuzzer targets and run each for a while.
#
#   sh tests/fuzz/run.sh [SECONDS [TARGET...]]
#
# SECONDS per target (default 60); TARGET names like fuzz_finvoice
# (default: every tests/fuzz/fuzz_*.c).  Needs clang with libFuzzer
# (Debian: apt-get install clang libclang-rt-14-dev).  Everything is
# built under build-fuzz/: objects, targets, the growing corpora
# (build-fuzz/corpus/TARGET, seeded by seeds.sh from tests/fuzz/seeds/TARGET
# and the sample files in tests/data) and crash reproducers
# (build-fuzz/artifacts/).  Exit status 1 if any target failed.
# Not part of `make check`: fuzzing is open-ended and needs clang (make
# check only replays the seeds, see replay.sh).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
secs=${1:-60}
[ $# -gt 0 ] && shift
: "${CLANG:=clang}"
: "${FUZZ_JOBS:=$(nproc 2>/dev/null || echo 2)}"
B=build-fuzz
PKGS="libxml-2.0 zlib sqlite3 nettle"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter
	-Isrc -Itests/fuzz -DVERSION=\"fuzz\" -DDATADIR=\"/nonexistent\"
	$(pkg-config --cflags $PKGS) -g -O1 -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all"
LIBS=$(pkg-config --libs $PKGS)

command -v "$CLANG" >/dev/null || {
	echo "run.sh: $CLANG not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
}
mkdir -p "$B/obj" "$B/artifacts" || exit 2

# Library objects: every module but the command layer.
objs=
for src in src/*/*.c; do
	case $src in src/cmd/*) continue ;; esac
	o=$B/obj/$(echo "$src" | sed 's|^src/||; s|/|_|; s|\.c$|.o|')
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || \
	    [ -n "$(find src -name '*.h' -newer "$o" | head -1)" ]; then
		echo "CC $src"
		# shellcheck disable=SC2086
		$CLANG $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$src" || exit 2
	fi
done

# The XML schemas built into the program (src/read/schemas.h).
o=$B/obj/gen_schemas.o
if [ ! -f "$o" ] || [ -n "$(find formats/schemas src/read/embed/embed.c -newer "$o" | head -1)" ]; then
	echo "GEN schemas"
	$CLANG -o "$B/embed" src/read/embed/embed.c &&
	    "$B/embed" formats/schemas/*.xsd >"$B/schemas.c" || exit 2
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$B/schemas.c" || exit 2
fi
objs="$objs $o"

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/||; s|\.c$||')
fi

status=0
for t in $targets; do
	echo "LD $t"
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -fsanitize=fuzzer -o "$B/$t" "tests/fuzz/$t.c" $objs \
	    $LIBS || exit 2
	corpus=$B/corpus/$t
	sh tests/fuzz/seeds.sh "$t" "$corpus" || exit 2
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict=-dict=tests/fuzz/$t.dict
	echo "RUN $t for ${secs}s"
	# shellcheck disable=SC2086
	"$B/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
	    -print_final_stats=1 -artifact_prefix="$B/artifacts/$t-" \
	    $dict ${FUZZ_ARGS:-} "$corpus" >"$B/$t.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$B/$t.log"
	if [ $rc -ne 0 ]; then
		echo "FAIL $t (exit $rc): see $B/$t.log and $B/artifacts/"
		grep -E 'ERROR|SUMMARY|fuzz check failed' "$B/$t.log" | head -5
		status=1
	else
		echo "ok $t"
	fi
done
exit $status
