#!/usr/bin/env bash
# Builds a spec's train step for the CPU target, runs it once on seeded
# inputs and checks the loss and every gradient against PyTorch autograd.
# usage: check_compiled_step.sh <nfc> <runtime include dir> <spec.json> <work dir> [--fuse] [--random]
set -euo pipefail
nfc=$1 include=$2 spec=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
build_flags=()
if [ "${1:-}" = "--fuse" ]; then build_flags+=(--fuse); shift; fi
"$nfc" build "$spec" "${build_flags[@]}" --emit=mlir > "$work/lowered.mlir"
"$nfc" build "$spec" "${build_flags[@]}" --emit=cpp > "$work/model.cpp"
${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/model.cpp" \
  "$include/../tools/StepCheck.cpp" -lopenblas -o "$work/step"
OMP_NUM_THREADS=2 "$work/step" --out "$work" "$@"
/usr/bin/python3 "$here/check_step.py" "$work/lowered.mlir" "$work"
