#!/bin/sh
# run_fuzz.sh BINARY SEEDS WORK SECONDS: runs a fuzz target for SECONDS on a
# copy of the seeds in SEEDS, keeping new inputs and any crash in WORK.
set -eu
binary=$1 seeds=$2 work=$3 seconds=$4
rm -rf "$work"
mkdir -p "$work/corpus"
cp "$seeds"/* "$work/corpus/"
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus"
