#!/usr/bin/env bash
# The unit tests and the lit suite again, built with clang-19 under
# AddressSanitizer + UndefinedBehaviorSanitizer (build-san/), and the
# training binaries the lit tests compile are sanitized too. Any report
# fails the run. Usage: scripts/test-sanitized.sh [lit filter regex]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/sanitizer-env.sh"
"$root/scripts/build-sanitized.sh" nf-unit-tests nfrt-unit-tests nfrt-simt-tests nfrt-kernel-tests \
  nf-opt nfc NFPassDocGen nfrt_simt nfrt_main nfrt_main_mpi
for t in nf-unit-tests nfrt-unit-tests nfrt-simt-tests nfrt-kernel-tests; do
  "$root/build-san/test/unit/$t" --gtest_brief=1
done
lit_args=(-sv --time-tests)
[ $# -gt 0 ] && lit_args+=(--filter "$1")
/usr/lib/llvm-19/build/utils/lit/lit.py "${lit_args[@]}" "$root/build-san/test/lit"
