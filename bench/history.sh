#!/usr/bin/env bash
# History scan throughput: `leakstop history` with 1 and 2 threads against
# `git cat-file --batch-all-objects --batch --unordered` (git reading every
# object once, in pack order, on one thread), measured in the same run,
# interleaved, on a repository built from real text on this machine: files
# from /usr/include and /usr/share/doc, a few thousand commits that edit,
# add, rename and delete them, side branches merged back, secrets planted.
# Prints medians, ratios, leakstop's peak memory, and checks that every
# planted secret is found with the commit that introduced it.
#
#   bench/history.sh [path/to/leakstop] [runs]
#   BENCH_COMMITS=3000 BENCH_KEEP=1 bench/history.sh
#
# Targets: 1 thread <= 1.75x git cat-file; 2 threads <= 1x.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leakstop="$(realpath "${1:-$here/../build/leakstop}")"
runs="${2:-7}"
commits="${BENCH_COMMITS:-3000}"
work="$(mktemp -d)"
[ -n "${BENCH_KEEP:-}" ] && echo "work directory: $work" || trap 'rm -rf "$work"' EXIT
export LEAKSTOP_CACHE_DIR="$work/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$work"

# --- The repository ----------------------------------------------------------
start=$(date +%s)
find /usr/include /usr/share/doc -type f -size -256k \( -name '*.h' -o -name '*.hpp' -o -name '*.txt' -o -name '*.md' \
  -o -name 'README*' -o -name 'copyright' \) 2>/dev/null | LC_ALL=C sort > "$work/files"
repo="$work/repo"
git init -q -b main "$repo"
python3 "$here/make_history_repo.py" "$work/files" "$commits" "$work/planted" | git -C "$repo" fast-import --quiet
git -C "$repo" repack -a -d -f -q  # deltas as `git gc` makes them
cd "$repo"
blob_bytes=$(git cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1 == "blob" { s += $2; n++ } END { print s }')
blob_count=$(git cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c '^blob$')
printf 'repository: %s commits, %s blobs, %.1f MB of blob content (uncompressed), pack %s; built in %d s\n' \
  "$(git rev-list --all --count)" "$blob_count" "$(echo "$blob_bytes / 1000000" | bc -l)" \
  "$(du -sh .git/objects/pack | cut -f1)" $(($(date +%s) - start))
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machines skew the 2-thread figure)"

# --- Correctness: every planted secret, its commit and whether HEAD has it ----
"$leakstop" history --format json --show-secrets > "$work/found.json" 2>"$work/summary.txt" || [ $? -eq 1 ]
python3 - "$work/planted" "$work/found.json" <<'EOF'
import json, sys
planted = [line.split() for line in open(sys.argv[1])]
found = {f["secret"]: f for f in json.load(open(sys.argv[2]))}
bad = []
for secret, number, path, alive in planted:
    f = found.get(secret)
    if not f:
        bad.append(f"{secret[:12]}… missing")
    elif f["summary"] != f"change {number}" or f["still_at_head"] != (alive == "head") \
            or path not in [l["path"] for l in f["locations"]]:
        bad.append(f"{secret[:12]}… wrong: {f['summary']}, still_at_head={f['still_at_head']}, {f['path']}")
moved = sum(1 for f in found.values() if len(f.get("locations", [])) > 1)
print(f"planted secrets: {len(planted) - len(bad)} of {len(planted)} found with their commit and still_at_head "
      f"({moved} renamed: found at both paths); {len(found)} findings in all")
for b in bad:
    print("  " + b)
sys.exit(1 if bad else 0)
EOF
sed -n 1p "$work/summary.txt"

# --- Timing: interleaved runs, medians ---------------------------------------
git cat-file --batch-all-objects --batch --unordered > /dev/null  # warm the page cache
"$leakstop" history --threads 1 > /dev/null 2>&1 || true
# Wall time in microseconds, and peak RSS in KiB, of one run of "$@".
measure() {
  local s e
  s=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2>&1 || true
  e=$(date +%s%N)
  echo "$(( (e - s) / 1000 )) $(tail -n 1 "$work/rss")"
}
: > "$work/git"; : > "$work/ls1"; : > "$work/ls2"
for _ in $(seq "$runs"); do
  measure git cat-file --batch-all-objects --batch --unordered >> "$work/git"
  measure "$leakstop" history --threads 1 >> "$work/ls1"
  measure "$leakstop" history --threads 2 >> "$work/ls2"
done
median() { cut -d' ' -f1 "$1" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
peak() { cut -d' ' -f2 "$1" | sort -n | tail -1; }
git_us=$(median "$work/git"); ls1_us=$(median "$work/ls1"); ls2_us=$(median "$work/ls2")
printf 'git cat-file --batch-all-objects --unordered  median %7.0f ms\n' "$(echo "$git_us / 1000" | bc -l)"
printf 'leakstop history --threads 1                  median %7.0f ms   ratio %.2f (target <= 1.75)\n' \
  "$(echo "$ls1_us / 1000" | bc -l)" "$(echo "$ls1_us / $git_us" | bc -l)"
printf 'leakstop history --threads 2                  median %7.0f ms   ratio %.2f (target <= 1.00)\n' \
  "$(echo "$ls2_us / 1000" | bc -l)" "$(echo "$ls2_us / $git_us" | bc -l)"
printf 'leakstop throughput: %.0f MB/s (1 thread), %.0f MB/s (2 threads) of blob content\n' \
  "$(echo "$blob_bytes / $ls1_us" | bc -l)" "$(echo "$blob_bytes / $ls2_us" | bc -l)"
printf 'peak resident memory: leakstop %.0f MB (1 thread), %.0f MB (2 threads); git cat-file %.0f MB\n' \
  "$(echo "$(peak "$work/ls1") / 1024" | bc -l)" "$(echo "$(peak "$work/ls2") / 1024" | bc -l)" \
  "$(echo "$(peak "$work/git") / 1024" | bc -l)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
