#!/usr/bin/env bash
# The store's blob bookkeeping (bench/store_blobs.cpp), linked against the
# libraries of a build: 200,000 blobs marked scanned in batches of 1,000,
# then 400,000 lookups (half of them hits), as an incremental run asks.
#
#   bench/store.sh [build dir] [blobs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(realpath "${1:-$here/../build}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
g++ -std=c++20 -O2 -I"$here/../src" "$here/store_blobs.cpp" \
  "$build/src/libleakstop_store.a" "$build/src/libleakstop_core.a" -lsqlite3 -lfmt -lmbedcrypto -lz -o "$work/store_blobs"
/usr/bin/time -f "user %U s, system %S s, peak %M KiB" "$work/store_blobs" "$work/store" "${2:-200000}"
