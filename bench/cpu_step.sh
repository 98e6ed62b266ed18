#!/usr/bin/env bash
# Times one full training step (forward, backward, optimizer) of the code
# nfc generates for the CPU target against the same model in PyTorch eager
# (its best of 1 and 2 threads), measured in the same run on this machine,
# and puts the step against the GEMM-bound limit (model FLOPs per token at
# the sgemm rate measured by the same binary).
# usage: bench/cpu_step.sh [spec.json ...]   (default: gpt-tiny and d512-l8)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nfc="$root/build/bin/nfc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
specs=("$@")
[ ${#specs[@]} -eq 0 ] && specs=("$root/examples/gpt-tiny.json" "$root/bench/specs/d512-l8.json")
steps=${STEPS:-10}
cores=$(nproc)
printf "%-10s %12s %12s %10s %12s %12s %10s %10s\n" model "ours tok/s" "torch tok/s" speedup "GEMM-bound" "of limit" "ours MB" "torch MB"
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .json)
  "$nfc" build "$spec" --emit=cpp > "$work/$name.cpp"
  "$nfc" import "$spec" > "$work/$name.mlir"
  ${CXX:-c++} -std=c++17 -O3 -march=native -fopenmp -fno-math-errno -I"$root/runtime/include" \
    "$work/$name.cpp" "$root/runtime/tools/StepBench.cpp" -lopenblas -o "$work/$name"
  # Passive OpenMP waiting: idle threads that spin steal the sibling vCPU.
  ours=$(OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$cores "$work/$name" "$steps" 2)
  best=""
  for t in 1 $cores; do
    r=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$root/bench/torch_step.py" "$work/$name.mlir" "$steps" 2 "$t")
    best=$(/usr/bin/python3 -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]) if sys.argv[2] else None; print(json.dumps(a if b is None or a['tokens_per_s']>b['tokens_per_s'] else b))" "$r" "$best")
  done
  /usr/bin/python3 - "$ours" "$best" <<'PY'
import json, sys
o, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
# 6 FLOPs per parameter per token (forward 2, backward 4): the GEMM work.
flops_per_token = 6 * o["trained_params"]
limit = o["sgemm_gflops"] * 1e9 / flops_per_token
print(f"{o['model']:<10} {o['tokens_per_s']:12.0f} {t['tokens_per_s']:12.0f} "
      f"{o['tokens_per_s'] / t['tokens_per_s']:9.2f}x {limit:12.0f} "
      f"{o['tokens_per_s'] / limit:11.0%} {o['peak_rss_mb']:10.0f} {t['peak_rss_mb']:10.0f}")
print(json.dumps({"ours": o, "torch": t}), file=sys.stderr)
PY
done
