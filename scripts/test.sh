#!/usr/bin/env bash
# Every test, as CI runs it: install what is missing, then
#   1. build/ (g++): the GoogleTest unit tests and the lit suite;
#   2. build-san/ (clang-19, ASan + UBSan): the same tests again, the
#      training binaries they compile sanitized too (scripts/test-sanitized.sh);
#   3. the fuzz targets: every saved finding, then 20 s each from the saved
#      corpora (scripts/fuzz.sh ci).
# Exits non-zero on any failure. `--quick` runs stage 1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --test
stage() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
# lit starts the slowest tests first when it knows their times; a fresh
# build directory gets the saved ones (test/lit/times), so that a long
# test does not start last on one of the two workers.
seed_lit_times() { # build dir, saved times
  local dst="$root/$1/test/lit/.lit_test_times.txt"
  if [ ! -f "$dst" ]; then
    mkdir -p "$(dirname "$dst")"
    cp "$root/test/lit/times/$2.txt" "$dst"
  fi
}
stage "unit and lit tests (build/)"
seed_lit_times build release
"$root/scripts/build.sh" check-nf
[ "${1:-}" = "--quick" ] && exit 0
stage "unit and lit tests under ASan + UBSan (build-san/)"
seed_lit_times build-san sanitized
"$root/scripts/test-sanitized.sh"
stage "fuzz targets: saved findings, then 20 s each"
"$root/scripts/fuzz.sh" ci 20
stage "all tests passed"
