#!/usr/bin/env bash
# Times one full training step (forward, backward, optimizer) of the code
# nfc generates for the CPU target against the same model in PyTorch eager
# (its best of 1 and all threads), measured in the same run on this
# machine, and puts the step against the GEMM-bound limit (model FLOPs per
# token at the sgemm rate measured by the same binary). A second table
# compares our kernel variants: one kernel per op (--fuse-kernels=false),
# the default fused kernels, and the default plus the nf-fuse-norm-linear
# graph rewrite (--fuse).
# usage: bench/cpu_step.sh [spec.json ...]   (default: gpt-tiny and d512-l8)
#        STEPS=10 ROUNDS=3 (timed steps per run, alternating rounds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nfc="$root/build/bin/nfc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
specs=("$@")
[ ${#specs[@]} -eq 0 ] && specs=("$root/examples/gpt-tiny.json" "$root/bench/specs/d512-l8.json")
steps=${STEPS:-10}
cores=$(nproc)
variants=(unfused fused fused+fnl)
declare -A variantFlags=([unfused]="--fuse-kernels=false" [fused]="" [fused+fnl]="--fuse")
main="" kernels=""
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .json)
  for v in "${variants[@]}"; do
    # shellcheck disable=SC2086
    "$nfc" build "$spec" --emit=cpp ${variantFlags[$v]} > "$work/$name-$v.cpp"
    ${CXX:-c++} -std=c++17 -O3 -march=native -fopenmp -fno-math-errno -I"$root/runtime/include" \
      "$work/$name-$v.cpp" "$root/runtime/tools/StepBench.cpp" -lopenblas -o "$work/$name-$v"
  done
  "$nfc" import "$spec" > "$work/$name.mlir"
  shape=$("$nfc" spec "$spec" | /usr/bin/python3 -c "import json,sys; m=json.load(sys.stdin)['model']; print(m['n_layers'], m['d_model'], m['seq_len'])")
  # Rounds alternate our variants and PyTorch (1 and all threads) and each
  # keeps its best round, so a burst of other load on the machine hurts
  # neither side more than the other. The kept round's limit uses the
  # sgemm rate that same run measured.
  declare -A ours=()
  torch=""
  for round in $(seq "${ROUNDS:-3}"); do
    for v in "${variants[@]}"; do
      # Passive OpenMP waiting: idle threads that spin steal the sibling vCPU.
      r=$(OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$cores "$work/$name-$v" "$steps" 2)
      ours[$v]=$(/usr/bin/python3 "$root/bench/best_of.py" "$r" "${ours[$v]:-}")
    done
    for t in 1 $cores; do
      r=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$root/bench/torch_step.py" "$work/$name.mlir" "$steps" 2 "$t")
      torch=$(/usr/bin/python3 "$root/bench/best_of.py" "$r" "$torch")
    done
  done
  main+=$(/usr/bin/python3 - "${ours[fused]}" "$torch" $shape <<'PY'
import json, sys
o, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
layers, d, seq = (int(a) for a in sys.argv[3:6])
dense = 6 * o["trained_params"]
flops_per_token = dense + 12 * layers * seq * d
limit = o["sgemm_gflops"] * 1e9 / flops_per_token
dense_limit = o["sgemm_gflops"] * 1e9 / dense
print(f"{o['model']:<10} {o['tokens_per_s']:12.0f} {t['tokens_per_s']:12.0f} "
      f"{o['tokens_per_s'] / t['tokens_per_s']:9.2f}x {limit:12.0f} "
      f"{o['tokens_per_s'] / limit:11.0%} {o['tokens_per_s'] / dense_limit:9.0%} "
      f"{o['sgemm_gflops']:8.0f} {o['peak_rss_mb']:10.0f} {t['peak_rss_mb']:10.0f}")
print(json.dumps({"ours": o, "torch": t}), file=sys.stderr)
PY
)$'\n'
  kernels+=$(/usr/bin/python3 - "${ours[unfused]}" "${ours[fused]}" "${ours[fused+fnl]}" <<'PY'
import json, sys
u, f, n = (json.loads(a) for a in sys.argv[1:4])
print(f"{u['model']:<10} {u['ms_per_step']:14.1f} {f['ms_per_step']:14.1f} {n['ms_per_step']:14.1f} "
      f"{u['ms_per_step'] / f['ms_per_step']:9.2f}x {u['arena_mb']:10.0f} {f['arena_mb']:10.0f}")
PY
)$'\n'
done
printf "%-10s %12s %12s %10s %12s %12s %9s %8s %10s %10s\n" model "ours tok/s" "torch tok/s" speedup "GEMM-bound" "of limit" "6N only" "GFLOP/s" "ours MB" "torch MB"
printf "%s" "$main"
echo
printf "%-10s %14s %14s %14s %10s %10s %10s\n" model "unfused ms" "fused ms" "+fnl ms" "gain" "unf. arena" "arena MB"
printf "%s" "$kernels"
