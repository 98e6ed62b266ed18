#!/usr/bin/env bash
# Compiles a spec's generated .cu with nvcc for sm_80 and sm_90 (compile
# only: no GPU needed) and fails on any register spill in its kernels.
# usage: check_nvcc.sh <nfc> <nvcc> <runtime include dir> <spec.json> <work dir> [--fuse]
set -euo pipefail
nfc=$1 nvcc=$2 include=$3 spec=$4 work=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
"$nfc" build "$spec" "$@" --target=cuda --emit=cuda > "$work/model.cu"
start=$(date +%s.%N)
"$nvcc" -std=c++17 -O3 -c -I"$include" \
  -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
  -Xptxas -v "$work/model.cu" -o "$work/model.o" 2> "$work/ptxas.log"
end=$(date +%s.%N)
echo "nvcc seconds: $(echo "$end - $start" | bc)"
/usr/bin/python3 "$here/ptxas_report.py" "$work/ptxas.log" "$work/registers.txt"
