#!/usr/bin/env bash
# The reference interpreter against the PyTorch reference model of a spec
# (test/torch/reference_model.py, float64) on the same parameters and tokens.
# usage: check_reference.sh <nfc> <spec.json> <work dir> <case>...
# Each case is a name and the nfc eval options to use, as one word:
# "random:--params=random --seed=3". For each it prints
# "<model> <case>: interpreter <loss> torch <loss> relative difference <d>"
# and fails unless every difference is below 1e-6.
set -euo pipefail
nfc=$1 spec=$2 work=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
"$nfc" spec "$spec" > "$work/spec.json"
dirs=()
for case in "$@"; do
  name=${case%%:*} options=${case#*:}
  mkdir -p "$work/$name"
  # shellcheck disable=SC2086 # the options are words on purpose
  "$nfc" eval "$spec" $options --save-params="$work/$name/params.nfp" \
    --save-tokens="$work/$name/tokens.i32" \
    --save-loss="$work/$name/loss.txt" > /dev/null
  dirs+=("$work/$name")
done
# One thread: lit runs two of these at once on two cores.
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 ${TORCH_PYTHON:-/usr/bin/python3} \
  "$here/reference_model.py" "$work/spec.json" --check "${dirs[@]}"
