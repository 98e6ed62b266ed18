#!/usr/bin/env bash
# Configures (once) and builds the given targets in build-san/: clang-19 with
# AddressSanitizer + UndefinedBehaviorSanitizer on every target and on the
# training binaries `nfc build` compiles, plus libFuzzer coverage so that the
# fuzz targets (test/fuzz) live in the same build. -O1: the usual sanitizer
# trade-off of compile time against speed (generated binaries keep -O3).
# Usage: scripts/build-sanitized.sh <target>...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-san"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DNF_SANITIZE=address,undefined -DNF_FUZZ=ON \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py
fi
cmake --build "$build" --target "$@"
