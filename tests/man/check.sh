#!/bin/sh
# The man pages against the program (man/): for every command in the
# command table (`reskontra help`),
#
#   - man/reskontra-CMD.1 exists and has NAME, SYNOPSIS, DESCRIPTION,
#     OPTIONS, EXIT STATUS, FILES and EXAMPLES sections (every page in
#     man/ has the sections its kind needs: commands all of them,
#     file formats NAME, DESCRIPTION, FILES, EXAMPLES);
#   - the options in its OPTIONS section (each `.It Fl ...` line) are the
#     options its --help lists, no more and no fewer;
#   - each of them is accepted: `reskontra CMD OPTION` never says
#     "unrecognized option" or "invalid option";
#   - every long option in the command's source (its getopt_long table,
#     src/cmd/cmd_CMD.c) is in its page;
#   - reskontra-records(5) names every record kind of src/base/recschema.h
#     and its column tables are the schema's columns.
#
# -h and --help are every command's and are documented in reskontra(1).
#
# Usage: RESKONTRA=path/to/reskontra sh tests/man/check.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${RESKONTRA:=$top/reskontra}"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/reskontra-man.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT INT TERM
fail=0 pass=0

bad() {
	echo "FAIL $*"
	fail=$((fail + 1))
}

# sections PAGE: the names of its .Sh sections, one a line
sections() {
	sed -n 's/^\.Sh  *//p' "$1" | tr -d '"'
}

# page_options PAGE: the options of its OPTIONS section, one a line,
# sorted: on each ".It" line, every word after "Fl" (and after a comma
# that follows one) with its dash.
page_options() {
	awk '
	/^\.Sh / { inopt = ($0 ~ /^\.Sh +OPTIONS/); next }
	inopt && /^\.It / {
		fl = 0
		for (i = 2; i <= NF; i++) {
			w = $i
			if (w == "Fl") { fl = 1; continue }
			if (w == "," || w == "|") continue
			if (w ~ /^[A-Z][a-z]$/) { fl = 0; continue }
			if (fl) print "-" w
		}
	}' "$1" | grep -v -x -e -h -e --help | sort -u
}

# usage_options CMD: the options its --help lists in its option lines
# (lines that start with blanks and a dash), one a line, sorted.
usage_options() {
	"$RESKONTRA" "$1" --help 2>/dev/null | grep '^ *-' |
	    sed 's/^ *//; s/  .*//' | tr ',' '\n' | sed 's/^ *//; s/[ =].*//' |
	    grep -v -x -e -h -e --help | grep . | sort -u
}

# source_long_options FILE: the long names of its getopt_long tables
source_long_options() {
	sed -n 's/^[[:space:]]*{ *"\([a-z][a-z0-9-]*\)", *\(no\|required\|optional\)_argument.*/--\1/p' "$1" |
	    sort -u
}

# real_page PAGE: PAGE, or the page it sources when it is only a
# ".so man1/OTHER.1" line (a second name of a page)
real_page() {
	if [ "$(sed -n '1s/^\.so  *//p' "$1")" != "" ]; then
		echo "$top/man/$(basename "$(sed -n '1s/^\.so  *//p' "$1")")"
	else
		echo "$1"
	fi
}

check_sections() {
	page=$(real_page "$1")
	shift
	for s in "$@"; do
		sections "$page" | grep -qx "$s" ||
		    bad "$(basename "$page"): no $s section"
	done
}

cmds=$("$RESKONTRA" help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ -n "$cmds" ] || { echo "man: no commands from 'reskontra help'"; exit 1; }

for page in "$top"/man/*.1; do
	check_sections "$page" NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" \
	    FILES EXAMPLES
done
for page in "$top"/man/*.5; do
	check_sections "$page" NAME DESCRIPTION FILES EXAMPLES
done

for cmd in $cmds; do
	page=$top/man/reskontra-$cmd.1
	if [ ! -f "$page" ]; then
		bad "$cmd: no man/reskontra-$cmd.1"
		continue
	fi
	page=$(real_page "$page")
	page_options "$page" >"$scratch/page"
	usage_options "$cmd" >"$scratch/usage"
	if ! cmp -s "$scratch/page" "$scratch/usage"; then
		bad "$cmd: OPTIONS of reskontra-$cmd.1 (<) and --help (>) differ:" \
		    "$(diff "$scratch/page" "$scratch/usage" | grep '^[<>]' | tr '\n' ' ')"
	fi
	while read -r opt; do
		(cd "$scratch" && timeout 10 "$RESKONTRA" "$cmd" "$opt" \
		    </dev/null >/dev/null 2>"$scratch/err")
		if grep -q 'unrecognized option\|invalid option' "$scratch/err"; then
			bad "$cmd $opt: documented, not accepted: $(cat "$scratch/err")"
		fi
	done <"$scratch/page"
	src=$top/src/cmd/cmd_$cmd.c
	# read and check are one file
	[ "$cmd" = check ] && src=$top/src/cmd/cmd_read.c
	if [ -f "$src" ]; then
		case $cmd in
		read|check)
			{ page_options "$top/man/reskontra-read.1"
			  page_options "$top/man/reskontra-check.1"; } |
			    sort -u >"$scratch/known" ;;
		*) cp "$scratch/page" "$scratch/known" ;;
		esac
		for opt in $(source_long_options "$src"); do
			grep -qx -- "$opt" "$scratch/known" ||
			    bad "$cmd: $opt is in $(basename "$src"), not in its page"
		done
	fi
	pass=$((pass + 1))
done
# reskontra-records(5): every record kind of src/base/recschema.h is
# named, and a kind the page gives a column table for has exactly the
# schema's columns, in order.
awk '/^#define REC_COLUMNS_/ { k = tolower($2); sub(/^rec_columns_/, "", k)
	sub(/\(.*/, "", k) }
	/X\(COL_/ { match($0, /"[a-z_0-9]*"/); print k, substr($0, RSTART + 1, RLENGTH - 2) }' \
    "$top/src/base/recschema.h" >"$scratch/schema"
awk '/^\.It Cm [a-z]+$/ { k = $3; next } /^\.It [0-9]+ Ta / && k != "" { print k, $4 }' \
    "$top/man/reskontra-records.5" >"$scratch/records"
for k in $(cut -d' ' -f1 "$scratch/schema" | uniq); do
	grep -q "^\.It Cm $k\$" "$top/man/reskontra-records.5" ||
	    bad "reskontra-records.5: record kind $k not described"
	grep -q "^$k " "$scratch/records" || continue
	grep "^$k " "$scratch/schema" >"$scratch/want"
	grep "^$k " "$scratch/records" >"$scratch/got"
	cmp -s "$scratch/want" "$scratch/got" ||
	    bad "reskontra-records.5: $k columns differ from recschema.h:" \
	    "$(diff "$scratch/want" "$scratch/got" | grep '^[<>]' | tr '\n' ' ')"
done

echo "man: $pass commands checked, $fail failures"
[ "$fail" = 0 ]
