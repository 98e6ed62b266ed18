#!/usr/bin/env bash
# Runs a CUDA training binary for 12 steps. Without a GPU it must stop at
# once with the one-line error (printed after "no GPU: "); with one, its
# metrics are compared with the CPU run's (compare_metrics.py).
# usage: run-or-no-gpu.sh <binary> <cpu metrics.jsonl> <out dir> <rtol>
set -uo pipefail
binary=$1 cpu=$2 out=$3 rtol=$4
here=$(cd "$(dirname "$0")" && pwd)
"$binary" --steps 12 --out "$out" --fresh 2> "$out.log"
rc=$?
if grep -q "finds none" "$out.log"; then
  [ $rc -ne 0 ] && [ "$(wc -l < "$out.log")" -eq 1 ] || {
    echo "expected one error line and a non-zero exit (rc $rc):"
    cat "$out.log"
    exit 1
  }
  echo "no GPU: $(cat "$out.log")"
  exit 0
fi
[ $rc -eq 0 ] || { cat "$out.log"; exit 1; }
exec /usr/bin/python3 "$here/../../../cuda/compare_metrics.py" "$cpu" \
  "$out/metrics.jsonl" --rtol "$rtol" --steps 12
