#!/usr/bin/env bash
# The cold compile: `leakstop scan --no-cache` of an empty directory, so
# nothing but loading the full shipped rule set (parse every rule file,
# check every regex in RE2, compile the Hyperscan databases). Runs on
# every core, then pinned to one (taskset -c 0), interleaved; prints the
# medians of wall and CPU (user + sys) time, the ratio of the wall time to
# the 2 s target, and the speed-up of every core over one.
#
#   bench/cold_compile.sh [path/to/leakstop] [runs]
#
# The binary is copied to a scratch directory first, so that an installed
# binary's precompiled rules (share/leakstop/cache beside it) are not used.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leakstop="$(realpath "${1:-$here/../build/leakstop}")"
runs="${2:-5}"
rules="$(realpath "$here/../rules")"
target_s=2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/empty"
cp "$leakstop" "$work/bin/leakstop"

# One run: appends "wall cpu" in seconds to $1.
run() {
  local out="$1"
  shift
  /usr/bin/time -o "$work/time" -f '%e %U %S' "$@" "$work/bin/leakstop" scan --no-cache --rules "$rules" \
    "$work/empty" > /dev/null
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time" >> "$out"
}

median() { # column $1 of file $2
  sort -n -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

: > "$work/all"
: > "$work/one"
run "$work/all"  # warms the page cache: not counted
: > "$work/all"
for ((i = 0; i < runs; ++i)); do
  run "$work/all"
  run "$work/one" taskset -c 0
done

rule_count=$(cat "$rules"/*.toml | grep -c '^\[\[rule\]\]')
file_count=$(ls "$rules"/*.toml | wc -l)
cores=$(nproc)
all_wall=$(median 1 "$work/all")
all_cpu=$(median 2 "$work/all")
one_wall=$(median 1 "$work/one")
one_cpu=$(median 2 "$work/one")
printf 'cold compile of %d rules (%d files), medians of %d runs\n' "$rule_count" "$file_count" "$runs"
printf '%-22s %6.2f s wall %6.2f s CPU   %.2fx the %d s target\n' "every core ($cores)" "$all_wall" "$all_cpu" \
  "$(echo "$all_wall / $target_s" | bc -l)" "$target_s"
printf '%-22s %6.2f s wall %6.2f s CPU   every core is %.2fx faster\n' "one core (taskset)" "$one_wall" "$one_cpu" \
  "$(echo "$one_wall / $all_wall" | bc -l)"
