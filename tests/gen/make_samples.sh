#!/bin/sh
# Regenerates the sample spool in samples/ (see tests/gen/README).
# usage: sh tests/gen/make_samples.sh [GEN_SCENARIO]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gen=${1:-$top/build/gen_scenario}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$gen" --seed 2026 --invoices 60 --days 10 --accounts 2 --start 2026-01-05 \
    --out "$tmp/s"
rm -rf "$top/samples/spool/in"
mkdir -p "$top/samples/spool"
cp -R "$tmp/s/in" "$top/samples/spool/in"
cp "$tmp/s/truth.tsv" "$tmp/s/customers.tsv" "$tmp/s/reskontra.conf" \
    "$top/samples/"
