#!/usr/bin/env bash
# The CUDA target on a real GPU: for each spec and precision (fp32, then
# the default bf16 mode), builds the generated .cu with nvcc (for this
# GPU's architecture), checks one step against the CPU target
# (runtime/tools/CudaStepCheck.cpp: loss, gradients and parameters after
# the step within 1e-5 in fp32, 1e-2 in bf16 mode), then times it (runtime/tools/
# CudaStepBench.cpp): device-to-device copy GB/s, full steps (tokens/s,
# model FLOP utilisation) and, with NFRT_PROFILE=1, every kernel. Then the
# training binary end to end (nfc build --target=cuda for this GPU): TRAIN
# steps on the bundled text against the CPU binary's (compare_metrics.py,
# 1e-4), and its tokens/s from the metrics.
# Without a GPU it says so and exits 0.
#
#   bench/gpu_step.sh                      # gpt-tiny and bench/specs/d512-l8.json
#   STEPS=50 PEAK_TFLOPS=67 bench/gpu_step.sh my.json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v nvidia-smi > /dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then
  echo "bench/gpu_step.sh: no NVIDIA GPU here (nvidia-smi lists none); nothing to time"
  exit 0
fi
nfc=${NFC:-$root/build/bin/nfc}
nvcc=${NVCC:-/usr/local/cuda/bin/nvcc}
include=$root/runtime/include
tools=$root/runtime/tools
steps=${STEPS:-20}
# fp32 mode runs SGEMM (no TF32): judge it against the fp32 peak, bf16
# mode against the dense bf16 tensor-core peak. H100 SXM: 67 and 989
# TFLOP/s; pass PEAK_TFLOPS / PEAK_BF16_TFLOPS for another GPU.
peak_fp32=${PEAK_TFLOPS:-67}
peak_bf16=${PEAK_BF16_TFLOPS:-989}
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=("$root/examples/gpt-tiny.json" "$root/bench/specs/d512-l8.json")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
nvidia-smi -L
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .json)
  dir="$work/$name"
  mkdir -p "$dir/cpu" "$dir/cuda"
  echo "== $name"
  "$nfc" build "$spec" --emit=cpp > "$dir/model.cpp"
  ${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$dir/model.cpp" \
    "$tools/StepCheck.cpp" -lopenblas -o "$dir/cpu-step"
  OMP_NUM_THREADS=$(nproc) "$dir/cpu-step" --out "$dir/cpu" --opt > /dev/null
  flags=(-std=c++17 -O3 -arch=native -I"$include")
  for precision in fp32 bf16; do
    echo "-- $name, $precision mode"
    tol=() peak=$peak_fp32
    [ "$precision" = bf16 ] && tol=(--rtol 1e-2 --floor 1e-3) peak=$peak_bf16
    "$nfc" build "$spec" --target=cuda --precision=$precision --emit=cuda > "$dir/model-$precision.cu"
    "$nvcc" "${flags[@]}" "$dir/model-$precision.cu" -x cu "$tools/CudaStepCheck.cpp" \
      -lcublas -lnccl -o "$dir/check-$precision"
    "$dir/check-$precision" --out "$dir/cuda" --opt --expect "$dir/cpu" "${tol[@]}" |
      grep -E 'loss:|worst|PASS|FAIL'
    "$nvcc" "${flags[@]}" "$dir/model-$precision.cu" -x cu "$tools/CudaStepBench.cpp" \
      -lcublas -lnccl -o "$dir/bench-$precision"
    "$dir/bench-$precision" --steps "$steps" --peak-tflops "$peak"
    NFRT_PROFILE=1 "$dir/bench-$precision" --steps 3 --peak-tflops "$peak" |
      sed -n '/^kernels/,$p' | head -30
  done
  # The training binary: the same steps as the CPU binary on the bundled
  # text, then its throughput as the training loop sees it (batches in,
  # loss out, the non-finite check, the optimizer step).
  train_steps=${TRAIN:-30}
  arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '. ')
  "$nfc" build "$spec" -o "$dir/cpu-bin" > /dev/null
  "$nfc" build "$spec" --target=cuda --precision=fp32 --cuda-arch="$arch" -o "$dir/cuda-bin" > /dev/null
  model=$(ls "$dir/cuda-bin"/*.cu | head -1 | xargs basename | sed 's/\.cu$//')
  run_args=(--steps "$train_steps" --log-every 1 --eval-every 0 --fresh
            --data "$root/examples/data/austen.txt")
  "$dir/cpu-bin/$model" "${run_args[@]}" --out "$dir/cpu-run" 2> /dev/null || true
  "$dir/cuda-bin/$model" "${run_args[@]}" --out "$dir/cuda-run" \
    2> "$dir/cuda-run.log" || { cat "$dir/cuda-run.log"; exit 1; }
  if [ -f "$dir/cpu-run/metrics.jsonl" ]; then
    /usr/bin/python3 "$root/test/cuda/compare_metrics.py" "$dir/cpu-run/metrics.jsonl" \
      "$dir/cuda-run/metrics.jsonl" --rtol 1e-4 --fields loss | tail -1
  fi
  /usr/bin/python3 -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1]) if '\"tokens_per_s\"' in l]; t=sorted(x['tokens_per_s'] for x in r[len(r)//2:]); print('training binary: %.0f tokens/s (median of the last %d steps)' % (t[len(t)//2], len(t)))" "$dir/cuda-run/metrics.jsonl"
done
