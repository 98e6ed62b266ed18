#!/usr/bin/env bash
# Every test, as CI runs it: install what is missing, then
#   1. build/ (g++): the GoogleTest unit tests and the lit suite;
#   2. build-san/ (clang-19, ASan + UBSan): the same tests again, the
#      training binaries they compile sanitized too (scripts/test-sanitized.sh);
#   3. the fuzz targets: every saved finding, then 30 s each from the saved
#      corpora (scripts/fuzz.sh ci).
# Exits non-zero on any failure. `--quick` runs stage 1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh" --test
stage() { printf '\n=== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
stage "unit and lit tests (build/)"
"$root/scripts/build.sh" check-nf
[ "${1:-}" = "--quick" ] && exit 0
stage "unit and lit tests under ASan + UBSan (build-san/)"
"$root/scripts/test-sanitized.sh"
stage "fuzz targets: saved findings, then 30 s each"
"$root/scripts/fuzz.sh" ci 30
stage "all tests passed"
