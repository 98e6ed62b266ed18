#!/usr/bin/env bash
# Builds a spec for the CPU target (StepCheck) and for the CUDA target,
# compiles the generated .cu with the host compiler against the SIMT
# harness (CudaStepCheck), runs both on the same seeded inputs and compares
# the loss, every gradient and the parameters after one optimizer step.
# The CUDA build is fp32 mode, or with --bf16 bf16 mode (activations
# saved for the backward in bf16, GEMMs on bf16 inputs with fp32
# accumulation), judged at 1e-2, tensors under 1e-3 of the whole
# gradient against 1e-3 of the whole. With --ranks R the CUDA build trains data-parallel on R emulated ranks
# (threads, NCCL on the host), each on its share of the batch, and is
# compared with the single-process CPU step on the whole batch; with
# --bucket-mb X its all-reduce starts in buckets of X MB during the backward.
# With --bf16-policy TOL (bf16 mode) the step is also judged against
# PyTorch rounding where bf16 mode says it rounds (test/torch/bf16_policy.py,
# check_step.py --bf16) at TOL; the fp32 comparison is then only printed.
# SIMT_CXXFLAGS adds flags to the SIMT build only: with -fsanitize=thread
# and libnfrt_simt_racecheck.a for <libnfrt_simt.a>, the step runs under
# the harness's race check (docs/cuda.md).
# usage: check_simt_step.sh <nfc> <runtime include dir> <libnfrt_simt.a>
#                           <spec.json> <work dir> [--fuse] [--bf16]
#                           [--bf16-policy TOL] [--ranks R]
#                           [--bucket-mb X]
#                           [step args...]
set -euo pipefail
nfc=$1 include=$2 simt=$3 spec=$4 work=$5
shift 5
mkdir -p "$work/cpu" "$work/cuda"
build_flags=()
cuda_flags=(--precision=fp32) rank_flags=()
if [ "${1:-}" = "--fuse" ]; then build_flags+=(--fuse); shift; fi
if [ "${1:-}" = "--bf16" ]; then
  cuda_flags=(--precision=bf16) rank_flags+=(--rtol 1e-2 --floor 1e-3); shift
fi
policy=""
if [ "${1:-}" = "--bf16-policy" ]; then
  # After --bf16 the fp32 comparison still judges at 1e-2.
  cuda_flags=(--precision=bf16) policy=$2
  [ ${#rank_flags[@]} -gt 0 ] || rank_flags=(--rtol 1 --floor 1e-3)
  shift 2
fi
if [ "${1:-}" = "--ranks" ]; then
  cuda_flags+=(--ranks "$2") rank_flags+=(--ranks "$2"); shift 2
fi
if [ "${1:-}" = "--bucket-mb" ]; then
  cuda_flags+=(--allreduce-bucket-mb "$2"); shift 2
fi
tools="$include/../tools"
"$nfc" build "$spec" "${build_flags[@]}" --emit=cpp > "$work/model.cpp"
"$nfc" build "$spec" "${build_flags[@]}" "${cuda_flags[@]}" --target=cuda --emit=cuda > "$work/model.cu"
${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/model.cpp" \
  "$tools/StepCheck.cpp" -lopenblas -o "$work/cpu-step"
${CXX:-c++} -std=c++17 -O2 ${SIMT_CXXFLAGS:-} -I"$include" -x c++ "$work/model.cu" -x none \
  "$tools/CudaStepCheck.cpp" "$simt" -lopenblas -lpthread -o "$work/simt-step"
OMP_NUM_THREADS=2 "$work/cpu-step" --out "$work/cpu" --opt "$@" > "$work/cpu.log"
"$work/simt-step" --out "$work/cuda" --opt --expect "$work/cpu" "${rank_flags[@]}" "$@"
if [ -n "$policy" ]; then
  # The CUDA target's IR: the reference rounds where its fused ops do.
  "$nfc" build "$spec" "${build_flags[@]}" "${cuda_flags[@]}" --target=cuda \
    --emit=mlir > "$work/lowered.mlir"
  /usr/bin/python3 "$(dirname "$0")/../torch/check_step.py" "$work/lowered.mlir" \
    "$work/cpu" --result "$work/cuda/result.f32" --bf16 --tol "$policy" |
    grep -E '^loss|^worst|FAIL' | sed 's/^/bf16 policy: /'
fi
