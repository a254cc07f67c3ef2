#!/usr/bin/env bash
# Pre-commit latency: `leakstop staged` against `git diff --cached --quiet` on
# the same staged change, in a repository of 5,000+ real text files taken
# from this machine. Prints medians and their ratio (target: <= 4, warm cache).
#
#   bench/precommit.sh [path/to/leakstop] [runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
leakstop="${1:-$here/../build/leakstop}"
runs="${2:-51}"
leakstop="$(realpath "$leakstop")"
work="$(mktemp -d)"
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export LEAKSTOP_CACHE_DIR="$work/cache" GIT_CONFIG_NOSYSTEM=1 HOME="$work"
git config --global user.name bench; git config --global user.email bench@leakstop.invalid

repo="$work/repo"
mkdir -p "$repo"
# Real text: headers and documentation, no binaries, at most 256 KiB each.
find /usr/include /usr/share/doc -type f -size -256k \( -name '*.h' -o -name '*.hpp' -o -name '*.txt' -o -name '*.md' -o -name 'README*' -o -name 'copyright' \) 2>/dev/null \
  | head -n 6000 > "$work/files" || true
n=0
while IFS= read -r f; do
  dest="$repo/src/$(printf '%04d' $((n / 200)))/$(basename "$f").$n"
  mkdir -p "$(dirname "$dest")"
  cp "$f" "$dest" 2>/dev/null && n=$((n + 1))
done < "$work/files"
cd "$repo"
git init -q -b main .
git add -A
git commit -q -m "import $n files"
echo "repository: $n files, $(du -sh --exclude=.git . | cut -f1)"

# A 10-file change: append lines to 8 files, add 2 new ones.
git ls-files | awk 'NR % 500 == 1' | head -n 8 | while IFS= read -r f; do printf '\n// tweak %s\nint tweak_value = 42;\n' "$RANDOM" >> "$f"; done
printf 'new file one\n' > added-one.txt
printf 'new file two\n' > added-two.txt
git add -A
echo "staged: $(git diff --cached --name-only | wc -l) files"

"$leakstop" staged >/dev/null  # warm the compiled-rules cache

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
time_ms() {
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))
}
# Interleaved, so that load from elsewhere on the machine hits both alike.
: > "$work/git.times"; : > "$work/ls.times"
for _ in $(seq "$runs"); do
  time_ms git diff --cached --quiet >> "$work/git.times"
  time_ms "$leakstop" staged >> "$work/ls.times"
done
median < "$work/git.times" > "$work/git"
median < "$work/ls.times" > "$work/ls"
git_us=$(cat "$work/git"); ls_us=$(cat "$work/ls")
printf 'git diff --cached --quiet  median %8.2f ms\n' "$(echo "$git_us / 1000" | bc -l)"
printf 'leakstop staged            median %8.2f ms\n' "$(echo "$ls_us / 1000" | bc -l)"
printf 'ratio                      %8.2f (target <= 4)\n' "$(echo "$ls_us / $git_us" | bc -l)"
