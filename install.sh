#!/usr/bin/env bash
# leakstop set-up for a fresh Debian 12 machine.
#
#   ./install.sh [--prefix DIR]   install packages, build Release (build-release/), install
#                                 into DIR (/usr/local; sudo if not writable), run a demo
#   ./install.sh --test           install packages and test tools, build (build/), run ctest
#   ./install.sh --test --sanitize  the same suite with ASan and UBSan (clang, build-sanitize/),
#                                 which also builds and briefly runs the fuzz targets
#
# What it downloads: missing Debian packages, with apt-get (through sudo when
# not root); with --test also pre-commit, python3 modules, npm, chromium (and clang for
# --sanitize) from Debian, then Microsoft's SARIF Multitool (pinned) from the
# npm registry with npm, into build/tools, not globally. Nothing is
# downloaded while building or while the tests run.
set -euo pipefail
cd "$(dirname "$0")"

prefix=/usr/local
mode=install
sanitize=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --test) mode=test; shift ;;
    --sanitize) sanitize=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

jobs="$(nproc 2>/dev/null || echo 2)"

packages=(build-essential cmake pkg-config git
  libgit2-dev libre2-dev libfmt-dev libtomlplusplus-dev libcli11-dev
  nlohmann-json3-dev libsqlite3-dev libmbedtls-dev zlib1g-dev libcurl4-openssl-dev catch2)
# Hyperscan is x86-only; vectorscan is its API-compatible twin elsewhere.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  packages+=(libhyperscan-dev)
else
  packages+=(libvectorscan-dev)
fi
if [ "$mode" = test ]; then
  # The pre-commit framework, JSON Schema and YAML for the report and
  # integration tests, and npm for Microsoft's SARIF Multitool; GNU time and
  # jq for bench/org.sh (jq also in integrations/github/org-scan.yml's test).
  packages+=(pre-commit python3 python3-jsonschema python3-yaml time jq)  # python3 3.11 (tomllib): scripts/provider_table.py
  # Headless Chromium renders the HTML organisation report (tests/test_org_html.cpp).
  packages+=(chromium)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  # clang for the sanitizer build and libFuzzer's runtime for the fuzz targets.
  [ "$sanitize" = 1 ] && packages+=(clang-14 libclang-rt-14-dev libfuzzer-14-dev)
fi
if [ "$sanitize" = 1 ] && [ "$mode" != test ]; then
  echo "install.sh: --sanitize goes with --test" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$mode" = test ]; then
  # SARIF Multitool, into the build tree (not globally). npm does not run
  # the package's install script (a chmod), so do that here.
  sarif_version=5.7.0
  multitool=build/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
  if [ ! -f "$multitool" ] || ! grep -q "\"version\": \"$sarif_version\"" "$(dirname "$multitool")/package.json"; then
    mkdir -p build/tools
    npm install --prefix build/tools --no-audit --no-fund --no-save --loglevel=error \
      "@microsoft/sarif-multitool@$sarif_version" "@microsoft/sarif-multitool-linux@$sarif_version"
  fi
  chmod u+x "$multitool"
  if [ "$sanitize" = 1 ]; then
    # Sanitizer reports exit with codes no leakstop run uses (1 means
    # findings), so a memory error can never pass for a refusal.
    export ASAN_OPTIONS="exitcode=86:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="exitcode=87:print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="exitcode=88:suppressions=$PWD/tests/lsan.supp"
    CC=clang-14 CXX=clang++-14 cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLEAKSTOP_BUILD_TESTS=ON -DLEAKSTOP_SANITIZE=ON -DLEAKSTOP_FUZZ=ON -DLEAKSTOP_TOOLS_DIR="$PWD/build/tools"
    cmake --build build-sanitize -j"$jobs"
    cd build-sanitize
  else
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLEAKSTOP_BUILD_TESTS=ON -DLEAKSTOP_WERROR=ON
    cmake --build build -j"$jobs"
    cd build
  fi
  exec ctest --output-on-failure -j"$jobs"
fi

# Release links Debian's static archives (a faster hook start); should
# that fail on this system, link everything shared instead.
if ! { cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DLEAKSTOP_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" \
         && cmake --build build-release -j"$jobs"; }; then
  echo "install.sh: the static link failed; building with shared libraries (-DLEAKSTOP_STATIC=OFF)" >&2
  cmake -S . -B build-release -DLEAKSTOP_STATIC=OFF
  cmake --build build-release -j"$jobs"
fi
if [ -w "$prefix" ] || { [ ! -e "$prefix" ] && [ -w "$(dirname "$prefix")" ]; }; then
  cmake --install build-release
else
  sudo cmake --install build-release
fi
leakstop="$prefix/bin/leakstop"
echo
echo "Installed $leakstop ($("$leakstop" --version))."
echo
echo "Demo: a throw-away repository where a staged Stripe live key is refused."
demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
(
  cd "$demo"
  git init -q -b main .
  git config user.name "leakstop demo"
  git config user.email "demo@leakstop.invalid"
  git config commit.gpgsign false
  "$leakstop" install >/dev/null
  # Assembled at run time so this script itself holds no key.
  printf 'STRIPE_SECRET_KEY=%s%s\n' "sk_live_" "51wmo9u2gu2dKBuYXsM8h8PfPr8MNMEh" > payments.env.sh
  git add payments.env.sh
  echo "\$ git commit -m 'add payments config'"
  if git commit -q -m "add payments config"; then
    echo "install.sh: the demo commit was NOT refused: something is wrong" >&2
    exit 1
  fi
)
echo
echo "leakstop is ready. In any repository: leakstop install"
