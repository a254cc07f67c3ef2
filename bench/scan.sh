#!/usr/bin/env bash
# Every core: `leakstop scan DIR` on 1 thread and on 2 (and on every core,
# when there are more than 2), interleaved run by run so that load from
# elsewhere on the machine hits each alike. Prints median wall time, median
# CPU time (user + system) and MB/s for each, and the speed-up of 2 threads
# over 1 (target: >= 1.7 on a 2-core machine), next to what the CPU times
# allow: on a machine busy with other work, wall time shows the share of
# the cores the scan was given, not what the threads can do.
#
#   bench/scan.sh [path/to/leakstop] [runs] [DIR]
# DIR defaults to /usr/include. The outputs of every thread count are also
# compared: they must be byte-identical.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leakstop="$(realpath "${1:-$here/../build/leakstop}")"
runs="${2:-7}"
dir="$(realpath "${3:-/usr/include}")"
work="$(mktemp -d)"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export LEAKSTOP_CACHE_DIR="$work/cache"

cores=$(nproc)
counts="1 2"
[ "$cores" -gt 2 ] && counts="$counts $cores"
"$leakstop" scan "$dir" --threads 1 > "$work/out.ref" 2> /dev/null || true  # compiles the rules; warms the page cache
mb=$(du -sm --apparent-size "$dir" | cut -f1)
echo "scan $dir: $mb MB, $(find "$dir" -type f | wc -l) files, $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One timed run: "wall_us cpu_us" (CPU from /usr/bin/time's user and system).
one() {
  local s e cpu
  s=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$leakstop" scan "$dir" --threads "$1" > "$work/out.$1" 2> /dev/null || true
  e=$(date +%s%N)
  cpu=$(awk '{printf "%d", ($1 + $2) * 1000000}' "$work/cpu")
  echo "$(( (e - s) / 1000 )) $cpu"
}
for t in $counts; do : > "$work/wall.$t"; : > "$work/cpu.$t"; done
for _ in $(seq "$runs"); do
  for t in $counts; do
    read -r wall cpu < <(one "$t")
    echo "$wall" >> "$work/wall.$t"; echo "$cpu" >> "$work/cpu.$t"
    cmp -s "$work/out.$t" "$work/out.ref" || { echo "scan --threads $t: output differs from --threads 1" >&2; exit 1; }
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
spread() { sort -n | awk '{a[NR]=$1} END {printf "%.2f-%.2f s", a[1] / 1e6, a[NR] / 1e6}'; }
for t in $counts; do
  w=$(median < "$work/wall.$t"); c=$(median < "$work/cpu.$t")
  printf 'threads %-3s wall median %6.3f s (%s)  cpu median %6.3f s  %7.1f MB/s\n' "$t" \
    "$(echo "$w / 1000000" | bc -l)" "$(spread < "$work/wall.$t")" "$(echo "$c / 1000000" | bc -l)" \
    "$(echo "$mb * 1000000 / $w" | bc -l)"
  eval "wall_$t=$w cpu_$t=$c"
done
printf 'speed-up, 2 threads over 1: %.2fx wall (target >= 1.7)\n' "$(echo "$wall_1 / $wall_2" | bc -l)"
# With a core each, 2 threads would take max(the serial part, half the CPU):
# what the CPU times allow when the machine is idle.
printf 'CPU on 2 threads / CPU on 1: %.2f (1.00: no work added by threading)\n' "$(echo "$cpu_2 / $cpu_1" | bc -l)"
echo "outputs: byte-identical for --threads $counts"
