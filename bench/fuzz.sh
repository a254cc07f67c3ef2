#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz) for MINUTES each, one after
# another, on a work corpus kept between runs (the seeds copied in), and prints
# a summary: target, executions, coverage, crashes (libFuzzer stops a
# target at its first). Crash inputs are left in the work directory; add
# each, once fixed, to the seeds and a test.
#
#   bench/fuzz.sh MINUTES [TARGET...]
#   FUZZ_BUILD=build-sanitize FUZZ_JOBS=2 bench/fuzz.sh 10 pack delta
#
# The targets come from the sanitizer build (./install.sh --test --sanitize,
# or cmake with -DLEAKSTOP_SANITIZE=ON -DLEAKSTOP_FUZZ=ON and clang).
# FUZZ_JOBS runs that many targets at once (default 1); each runs niced.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
minutes="${1:?usage: bench/fuzz.sh MINUTES [TARGET...]}"
shift
build="$(realpath "${FUZZ_BUILD:-$root/build-sanitize}")"
work="$build/fuzz-work"
jobs="${FUZZ_JOBS:-1}"
stamp="$(date +%Y%m%d-%H%M%S)"  # this run's crashes go to <target>/crashes/$stamp
if [ $# -gt 0 ]; then
  targets=("$@")
else
  # Repository input first: it is what a hostile repository controls.
  targets=(pack pack_entry delta tree commit repo_config suppress gitleaks ruleset decoder scanner)
fi
for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
    echo "fuzz.sh: $build/tests/fuzz/fuzz_$t is not built (cmake --build $build --target fuzz_$t)" >&2
    exit 2
  fi
done

run() {
  local t=$1 dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/crashes/$stamp"
  cp "$root/tests/fuzz/corpus/$t"/* "$dir/corpus/"  # the seeds, as they are now
  (cd "$dir" && nice -n 19 "$build/tests/fuzz/fuzz_$t" -max_total_time=$((minutes * 60)) -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/crashes/$stamp/" \
     "$dir/corpus" > "$dir/log" 2>&1) || true
}

running=0
for t in "${targets[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

printf '%-12s %12s %8s %8s %8s\n' target runs cov ft crashes
status=0
for t in "${targets[@]}"; do
  log="$work/$t/log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  crashes=$(find "$work/$t/crashes/$stamp" -type f | wc -l)
  printf '%-12s %12s %8s %8s %8s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$crashes"
  [ "$crashes" -eq 0 ] || status=1
done
echo "logs and crash inputs: $work/<target>/{log,crashes/$stamp}"
exit $status
