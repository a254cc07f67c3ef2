#!/usr/bin/env bash
# The cost of breadth: single-thread scan throughput (MB/s) of the full rule
# set next to the foundation rule set (rules/{stripe,clari,dotenv,aws,github,
# slack,google,private-keys,jwt,generic}.toml) over the same clean corpus:
# the text files of /usr/include and /usr/share (all of them by default).
# Both with decoding (the default) and without it. Prints medians and
# ratios (target: full >= 0.5 x foundation).
#
#   bench/rules.sh [path/to/leakstop] [runs] [corpus MB]
#
# With BENCH_PER_FILE=1 it also times each rule file alone, slowest first:
# where to look when the full set falls below target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leakstop="$(realpath "${1:-$here/../build/leakstop}")"
runs="${2:-5}"
corpus_mb="${3:-1000}"
rules="$here/../rules"
work="$(mktemp -d)"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export LEAKSTOP_CACHE_DIR="$work/cache"

# The corpus: every text file (no NUL in the first 8000 bytes, as git
# decides) of at most 10 MB, in sorted path order, until corpus_mb MB.
python3 - "$work/corpus" "$corpus_mb" <<'PY'
import os, shutil, sys
dest, limit = sys.argv[1], int(sys.argv[2]) * 1000000
os.makedirs(dest)
paths = []
for root in ("/usr/include", "/usr/share"):
    for d, _, names in os.walk(root):
        paths += [os.path.join(d, n) for n in names]
total = n = 0
for p in sorted(paths):
    try:
        if os.path.islink(p) or not os.path.isfile(p) or not 0 < os.path.getsize(p) <= 10 * 1024 * 1024:
            continue
        with open(p, "rb") as f:
            if b"\0" in f.read(8000):
                continue
        shutil.copyfile(p, os.path.join(dest, "%d.%s" % (n, os.path.basename(p))))
    except OSError:
        continue
    total += os.path.getsize(p)
    n += 1
    if total >= limit:
        break
PY
read -r n total < <(python3 - "$work/corpus" <<'PY'
import os, sys
names = os.listdir(sys.argv[1])
print(len(names), sum(os.path.getsize(os.path.join(sys.argv[1], n)) for n in names))
PY
)
mb=$(echo "$total / 1000000" | bc -l)
printf 'corpus: %d text files, %.1f MB from /usr/include and /usr/share\n' "$n" "$mb"

mkdir -p "$work/foundation"
for name in stripe clari dotenv aws github slack google private-keys jwt generic; do
  cp "$rules/$name.toml" "$work/foundation/"
done
echo "rules: foundation $(ls "$work/foundation" | wc -l) files, full $(ls "$rules"/*.toml | wc -l) files"

# One CPU: leakstop scans on one thread; pinning keeps the other core's
# background (libgit2 start-up) from counting. Throughput is from CPU time
# (user + system), which other load on a shared machine disturbs far less
# than wall time; the median wall time is printed beside it.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# "cpu_ms wall_ms": medians over the runs of `leakstop scan <args> corpus`,
# after a warm-up run that also fills the compiled-rules cache.
time_scan() {
  "${pin[@]}" "$leakstop" scan "$@" "$work/corpus" >/dev/null 2>&1 || true
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%U %S %e' -o "$work/time" "${pin[@]}" "$leakstop" scan "$@" "$work/corpus" >/dev/null 2>&1 || true
    # The last line: time(1) puts "Command exited with non-zero status" first.
    tail -n 1 "$work/time" | awk '{printf "%d %d\n", ($1 + $2) * 1000, $3 * 1000}'
  done > "$work/times"
  echo "$(cut -d' ' -f1 "$work/times" | median) $(cut -d' ' -f2 "$work/times" | median)"
}
mbps() { echo "$mb / ($1 / 1000)" | bc -l; }

read -r small small_wall < <(time_scan --rules "$work/foundation")
read -r full full_wall < <(time_scan --rules "$rules")
read -r small_plain small_plain_wall < <(time_scan --rules "$work/foundation" --no-decode)
read -r full_plain full_plain_wall < <(time_scan --rules "$rules" --no-decode)
n_small=$("$leakstop" rules list --rules "$work/foundation" | tail -1)
n_full=$("$leakstop" rules list --rules "$rules" | tail -1)

row() { printf '%-26s %7.0f ms %8.1f MB/s   (wall %.0f ms)\n' "$1" "$2" "$(mbps "$2")" "$3"; }
printf '%-26s %10s %13s\n' "median of $runs, one core" "CPU time" "throughput"
row "foundation ($n_small)" "$small" "$small_wall"
row "full ($n_full)" "$full" "$full_wall"
row "foundation, --no-decode" "$small_plain" "$small_plain_wall"
row "full, --no-decode" "$full_plain" "$full_plain_wall"
printf 'full / foundation speed          %5.2f (target >= 0.5)\n' "$(echo "$small / $full" | bc -l)"
printf 'full / foundation, no decoding   %5.2f\n' "$(echo "$small_plain / $full_plain" | bc -l)"
printf 'decoding costs the full set      %5.1f%%\n' "$(echo "($full - $full_plain) * 100 / $full_plain" | bc -l)"

if [ -n "${BENCH_PER_FILE:-}" ]; then
  echo "each rule file alone (CPU ms, slowest first):"
  for file in "$rules"/*.toml; do
    mkdir -p "$work/one"
    rm -f "$work/one"/*.toml
    cp "$file" "$work/one/"
    printf '%6d %s\n' "$(time_scan --rules "$work/one" | cut -d' ' -f1)" "$(basename "$file")"
  done | sort -rn | head -n 15
fi
