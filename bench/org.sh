#!/usr/bin/env bash
# `leakstop org scan` on a generated organisation (bench/make_org.py: REPOS
# repositories of COMMITS commits each, every third with a made-up secret,
# served by file:// URLs): the first run on an empty store, a run with
# nothing new, and a run after one new commit in one repository. Wall time,
# CPU time (user + system) and peak RSS from GNU time, medians of RUNS
# rounds (each round a fresh store), then the ratio of the no-change run's
# CPU to the first run's (target: under 5%), and what the store weighs.
#
#   bench/org.sh [build dir] [repos] [commits per repository] [runs] [threads] [KiB per file]
#
# Each commit rewrites one of three text files per repository; the last
# argument (default 4) sets their size, so a larger one makes the first run
# dominated by reading and matching rather than by per-repository costs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$(realpath "${1:-$here/../build}")"
repos="${2:-50}"
commits="${3:-8}"
runs="${4:-3}"
threads="${5:-2}"
file_kb="${6:-4}"
bin="$build/src/leakstop"
[ -x "$bin" ] || bin="$build/leakstop"
[ -x "$bin" ] || { echo "bench/org.sh: no leakstop binary under $build" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/org.sh: needs GNU time (/usr/bin/time; Debian package time, ./install.sh --test)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"

echo "generating $repos repositories x $commits commits..."
python3 "$here/make_org.py" "$work/org" "$repos" "$commits" --file-kb "$file_kb"
cd "$work/org"
# The compiled rules cached before anything is timed: a store's runs are
# not what pays for a cold rule cache.
mkdir -p "$work/empty" && "$bin" scan "$work/empty" >/dev/null 2>&1 || true

# One timed run: "wall user sys peak_kib" appended to $work/<label>.
timed() {
  local label="$1" store="$2" rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" org scan --repos repos.txt --store "$store" \
    --threads "$threads" 2>"$work/$label.log" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "bench/org.sh: $label: exit $rc" >&2
    cat "$work/$label.log" >&2
    exit 1
  fi
  tail -n 1 "$work/time" >> "$work/$label"
}

for round in $(seq "$runs"); do
  store="$work/store-$round"
  timed first "$store"
  timed nochange "$store"
  echo "round $round $(date +%s%N)" > "up/r01/round.txt"
  git -C up/r01 add round.txt
  git -C up/r01 -c user.name=bench -c user.email=bench@example.org -c commit.gpgsign=false commit -q -m "round $round"
  timed onecommit "$store"
done

# Median of column $2 (1 wall, 2 user, 3 sys, 4 peak; 5 user+sys) of file $1.
median() {
  awk -v c="$2" '{ v = (c == 5) ? $2 + $3 : $c; print v }' "$work/$1" | sort -g |
    awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m }'
}

store="$work/store-$runs"
report="$("$bin" org report --format json --store "$store" 2>/dev/null)"
blobs=$(jq '.runs[0].blobs_scanned' <<<"$report")
findings=$(jq '.findings | length' <<<"$report")
locations=$(jq '[.findings[].locations | length] | add // 0' <<<"$report")
pack_kib=$(find "$store/mirrors" -name '*.pack' -print0 | du -ck --files0-from=- | tail -n 1 | cut -f1)
mirrors_kib=$(du -sk "$store/mirrors" | cut -f1)
db_kib=$(du -ck "$store"/leakstop.db* | tail -n 1 | cut -f1)
upstream_kib=$(du -sk up | cut -f1)

printf '\n%d repositories, %d commits, %s blobs, %s findings (%s locations); %d threads, medians of %d rounds\n' \
  "$repos" "$((repos * commits))" "$blobs" "$findings" "$locations" "$threads" "$runs"
printf '%-12s %9s %9s %10s\n' run "wall s" "CPU s" "peak MiB"
for label in first nochange onecommit; do
  printf '%-12s %9s %9s %10.1f\n' "$label" "$(median $label 1)" "$(median $label 5)" \
    "$(awk -v k="$(median $label 4)" 'BEGIN { print k / 1024 }')"
done
first_cpu=$(median first 5)
nochange_cpu=$(median nochange 5)
awk -v a="$nochange_cpu" -v b="$first_cpu" -v r="$repos" 'BEGIN {
  printf "no-change CPU / first-run CPU: %.1f%% (target: under 5%%)\n", 100 * a / b
  printf "per repository: first run %.1f ms CPU, no-change run %.1f ms CPU\n", 1000 * b / r, 1000 * a / r }'
printf 'store: mirrors %d KiB (packs %d KiB; upstream work trees + .git %d KiB), leakstop.db %d KiB\n' \
  "$mirrors_kib" "$pack_kib" "$upstream_kib" "$db_kib"
mb_read=$(awk -v b="$blobs" -v k="$file_kb" 'BEGIN { printf "%.1f", b * k / 1024 }')
awk -v m="$mb_read" -v c="$first_cpu" 'BEGIN { printf "first run: about %s MB of blobs, %.1f MB per CPU second overall\n", m, m / c }'
awk -v d="$db_kib" -v b="$blobs" -v f="$locations" 'BEGIN {
  printf "leakstop.db per scanned blob: %.0f bytes (with %d finding locations)\n", 1024 * d / b, f }'
