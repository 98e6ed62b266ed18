#!/usr/bin/env bash
# Like check_compiled_step.sh for a module instead of a spec (one op under
# test, test/torch/gen_op_modules.py): compile its train step, run it once
# with perturbed parameters, check loss and gradients against PyTorch.
# usage: check_compiled_module.sh <nfc> <runtime include dir> <module.mlir> <work dir>
set -euo pipefail
nfc=$1 include=$2 module=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
"$nfc" build "$module" --emit=mlir > "$work/lowered.mlir"
"$nfc" build "$module" --emit=cpp > "$work/model.cpp"
${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/model.cpp" \
  "$include/../tools/StepCheck.cpp" -lopenblas -o "$work/step"
OMP_NUM_THREADS=2 "$work/step" --out "$work" --random > /dev/null
/usr/bin/python3 "$here/check_step.py" "$work/lowered.mlir" "$work"
