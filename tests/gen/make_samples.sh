#!/bin/sh
# Regenerates the sample spool in samples/services/plain/ (see tests/gen/README).
# usage: sh tests/gen/make_samples.sh [GEN_SCENARIO]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gen=${1:-$top/build/gen_scenario}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
"$gen" --seed 2026 --invoices 60 --days 10 --accounts 2 --start 2026-01-05 \
    --out "$tmp/s"
plain=$top/samples/services/plain
rm -rf "$plain/spool/in"
mkdir -p "$plain/spool"
cp -R "$tmp/s/in" "$plain/spool/in"
cp "$tmp/s/truth.tsv" "$tmp/s/customers.tsv" "$tmp/s/reskontra.conf" \
    "$plain/"
