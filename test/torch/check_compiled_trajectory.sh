#!/usr/bin/env bash
# Builds a spec's train step for the CPU target, runs N full steps on
# batches of the bundled text and checks every step's loss (and the final
# parameters and optimizer state) against PyTorch from the same start.
# usage: check_compiled_trajectory.sh <nfc> <runtime include dir> <spec.json> <work dir> <steps>
set -euo pipefail
nfc=$1 include=$2 spec=$3 work=$4 steps=$5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
"$nfc" build "$spec" --emit=mlir > "$work/lowered.mlir"
"$nfc" build "$spec" --emit=cpp > "$work/model.cpp"
${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/model.cpp" \
  "$include/../tools/StepCheck.cpp" -lopenblas -o "$work/step"
OMP_NUM_THREADS=2 "$work/step" --out "$work" --trajectory "$steps" \
  --data "$here/../../examples/data/austen.txt" > /dev/null
/usr/bin/python3 "$here/check_trajectory.py" "$work/lowered.mlir" "$work"
