#!/usr/bin/env bash
# Prepares, on a machine with NormFuse built (nfc, the runtime, nvcc), all
# that bench/gpu_step.sh needs on a GPU machine that has nvcc, PyTorch and
# Nsight but not LLVM/MLIR (so no nfc there):
#
#   DIR/MANIFEST              what to run there (specs per phase), how it was made
#   DIR/lib/                  libnfrt_main.a, libnfrt.a (to relink a training binary there)
#   DIR/<spec>/spec.json      the spec with every default (nfc spec)
#   DIR/<spec>/shape.json     its model, batch and optimizer for bench/torch_gpt_cuda.py,
#                             with nfc's parameter count
#   DIR/<spec>/model-{fp32,bf16}.cu   nfc build --target=cuda --precision=... --emit=cuda
#   DIR/<spec>/{check,bench}-<precision>.xz   CudaStepCheck / CudaStepBench linked with
#                             it, nvcc for sm_$ARCH (+ compute_$ARCH PTX), xz-compressed
#   DIR/<spec>/cpu/{result,after}.f32 the CPU step's outputs CudaStepCheck --expect reads
#                             (StepCheck.cpp on the same seeded parameters and tokens) or,
#                             where these would be large (d512-l8: 400 MB),
#   DIR/<spec>/cpu-step.xz    StepCheck linked statically with the CPU build (OpenBLAS,
#                             OpenMP), which makes them there in seconds
#   DIR/<spec>/train/         the CUDA training binary (nfc build --target=cuda
#                             --precision=fp32 --cuda-arch=$ARCH; .xz), its .cu and run_config.cpp
#   DIR/<spec>/cpu-metrics.jsonl  the CPU training binary's $TRAIN steps on the bundled text
#
# The correctness specs are gpt-tiny and bench/specs/d512-l8.json; the timing
# specs gpt-tiny and bench/specs/gpt2-124m.json (its CPU step is too slow here).
# Rebuilds nfc and the runtime first (under the shared build lock; NO_BUILD=1
# skips that). Then, on the GPU machine, from the repository root:
# bench/gpu_step.sh [DIR].
#
# usage: bench/gpu_prepare.sh [DIR]        (default bench/gpu-prepared, git-ignored)
#        ARCH=90 TRAIN=20 JOBS=2 NO_BUILD=1 (compute capability, training steps,
#                                            parallel nvcc jobs, skip the rebuild)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
me=bench/gpu_prepare.sh
die() { echo "$me: error: $*" >&2; exit 1; }
[ $# -le 1 ] || die "takes one argument, the directory to write (default bench/gpu-prepared); got $#"
dir=${1:-$root/bench/gpu-prepared}
case "$dir" in
  *.json) die "'$dir' is a spec; the argument is the directory to write (the specs are fixed: see the script's header)" ;;
esac
nfc=${NFC:-$root/build/bin/nfc}
nvcc=${NVCC:-/usr/local/cuda/bin/nvcc}
arch=${ARCH:-90}
train_steps=${TRAIN:-20}
jobs=${JOBS:-2}
include=$root/runtime/include
tools=$root/runtime/tools
[[ $arch =~ ^[0-9]+$ ]] || die "ARCH=$arch is not a compute capability such as 90"
[[ $train_steps =~ ^[0-9]+$ && $train_steps -ge 2 ]] || die "TRAIN=$train_steps: expected a number of steps, 2 or more"
[ -x "$nvcc" ] || die "no nvcc at $nvcc (NVCC=path/to/nvcc)"
command -v xz > /dev/null || die "xz is not installed (apt-get install xz-utils)"
python=/usr/bin/python3
[ -x "$python" ] || python=python3

# The output directory: a new one, or one this script wrote before (replaced
# whole); never a directory of something else.
if [ -e "$dir" ]; then
  [ -d "$dir" ] || die "'$dir' exists and is not a directory"
  if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/MANIFEST" ] && [ ! -f "$dir/.gpu_prepare" ]; then
    die "'$dir' holds files but no MANIFEST: not a directory this script wrote; refusing to replace it"
  fi
fi
mkdir -p "$dir" 2> /dev/null || die "cannot create '$dir'"
dir=$(cd "$dir" && pwd)
case "$root/" in "$dir"/*) die "'$dir' contains the repository; name a directory of its own" ;; esac
find "$dir" -mindepth 1 -delete
# Marks the directory as this script's while it is written (MANIFEST, which
# gpu_step.sh requires, comes last).
echo "bench/gpu_prepare.sh's output (incomplete until MANIFEST exists)" > "$dir/.gpu_prepare"

start=$(date +%s)
if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "== building nfc and the runtime (build/, under /tmp/nf-build.lock)"
  flock /tmp/nf-build.lock cmake --build "$root/build" --target nfc nfrt nfrt_main > "$dir/build.log" 2>&1 ||
    die "building nfc and the runtime failed (the end of $dir/build.log: $(tail -1 "$dir/build.log")); NO_BUILD=1 uses build/ as it is"
  rm -f "$dir/build.log"
fi
[ -x "$nfc" ] || die "no nfc at $nfc (configure and build build/ first: scripts/install-deps.sh)"
for lib in libnfrt_main.a libnfrt.a; do
  [ -f "$root/build/runtime/$lib" ] || die "no build/runtime/$lib (cmake --build build --target nfrt nfrt_main)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Phases, read by gpu_step.sh.
check_specs=(examples/gpt-tiny.json bench/specs/d512-l8.json)
time_specs=(examples/gpt-tiny.json bench/specs/gpt2-124m.json)
# Binaries per spec: check-<precision> for the correctness specs, bench-<p>
# for these (spec name:precision).
benches=(gpt-tiny:fp32 gpt-tiny:bf16 gpt2-124m:bf16)
# The CPU outputs are carried when result.f32 + after.f32 stay under this.
carry_max_mb=${CPU_REF_MAX_MB:-16}
nvcc_flags=(-std=c++17 -O3 -lineinfo -gencode "arch=compute_$arch,code=sm_$arch"
            -gencode "arch=compute_$arch,code=compute_$arch" -I"$include")
nvcc_libs=(-lcublas -lnccl -Xlinker -rpath -Xlinker "$(dirname "$(dirname "$nvcc")")/lib64")

# nvcc jobs run $jobs at a time in the background; each writes its log, and
# a failure is reported (with the log's end) when the jobs are collected.
pids=() names=()
nvcc_job() { # output, sources...
  local out=$1; shift
  if [ ${#pids[@]} -ge "$jobs" ]; then collect_one; fi
  ( "$nvcc" "${nvcc_flags[@]}" "$@" "${nvcc_libs[@]}" -o "$out" > "$out.log" 2>&1 &&
    xz -T1 -6 -f "$out" && rm -f "$out.log" ) &
  pids+=($!) names+=("$out")
}
collect_one() {
  local pid=${pids[0]} name=${names[0]}
  pids=("${pids[@]:1}") names=("${names[@]:1}")
  wait "$pid" || die "nvcc failed for ${name#"$dir"/}: $(grep -m1 -i error "$name.log" || tail -1 "$name.log") (log: $name.log)"
}
collect_all() { while [ ${#pids[@]} -gt 0 ]; do collect_one; done; }

spec_name() { basename "$1" .json; }
declare -A spec_path=()
for s in "${check_specs[@]}" "${time_specs[@]}"; do
  [ -f "$root/$s" ] || die "no spec $s"
  spec_path[$(spec_name "$s")]=$root/$s
done

echo "== sources, shapes and nvcc binaries (sm_$arch) into ${dir#"$root"/}"
for name in "${!spec_path[@]}"; do
  spec=${spec_path[$name]}
  d=$dir/$name
  mkdir -p "$d"
  "$nfc" spec "$spec" > "$d/spec.json"
  count=$("$nfc" check "$spec" | sed -n 's/.*ok: model .*, \([0-9]*\) parameters in .*/\1/p')
  [ -n "$count" ] || die "nfc check $spec did not give a parameter count"
  "$python" - "$d/spec.json" "$count" > "$d/shape.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
shape = dict(spec["model"])
shape["batch_size"] = spec["run"]["batch_size"]
shape["optimizer"] = spec["optimizer"]
shape["trained_params"] = int(sys.argv[2])
json.dump(shape, sys.stdout, indent=1)
print()
PY
  for p in fp32 bf16; do
    "$nfc" build "$spec" --target=cuda --precision=$p --emit=cuda > "$d/model-$p.cu"
  done
done
for s in "${check_specs[@]}"; do
  name=$(spec_name "$s")
  for p in fp32 bf16; do
    nvcc_job "$dir/$name/check-$p" "$dir/$name/model-$p.cu" -x cu "$tools/CudaStepCheck.cpp"
  done
done
for b in "${benches[@]}"; do
  name=${b%%:*} p=${b#*:}
  nvcc_job "$dir/$name/bench-$p" "$dir/$name/model-$p.cu" -x cu "$tools/CudaStepBench.cpp"
done

echo "== CPU references and training binaries"
mkdir -p "$dir/lib"
cp "$root/build/runtime/libnfrt_main.a" "$root/build/runtime/libnfrt.a" "$dir/lib/"
for s in "${check_specs[@]}"; do
  name=$(spec_name "$s")
  spec=${spec_path[$name]}
  d=$dir/$name
  model=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["model"]["name"])' "$d/spec.json")
  # The CPU step on StepCheck's seeded parameters and tokens (gpu_step.sh's
  # --expect): its outputs, or a static binary that makes them there.
  "$nfc" build "$spec" --emit=cpp > "$work/$name.cpp"
  params=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["trained_params"])' "$d/shape.json")
  if [ $((params * 16 / 1048576)) -lt "$carry_max_mb" ]; then
    ${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/$name.cpp" "$tools/StepCheck.cpp" \
      -lopenblas -o "$work/$name-cpu-step"
    mkdir -p "$work/$name-cpu" "$d/cpu"
    "$work/$name-cpu-step" --out "$work/$name-cpu" --opt > "$work/$name-cpu.log" ||
      die "the CPU step of $name failed: $(tail -1 "$work/$name-cpu.log")"
    cp "$work/$name-cpu/result.f32" "$work/$name-cpu/after.f32" "$d/cpu/"
  else
    # -static: the GPU machine's libraries (glibc, OpenBLAS) do not matter;
    # OpenBLAS picks its kernels for the CPU at run time.
    ${CXX:-c++} -std=c++17 -O2 -fopenmp -I"$include" "$work/$name.cpp" "$tools/StepCheck.cpp" \
      -static -lopenblas -lgfortran -lquadmath -s -o "$d/cpu-step" 2> "$work/$name-link.log" ||
      die "linking the static CPU step of $name failed: $(grep -m1 -i error "$work/$name-link.log")"
    xz -T1 -6 -f "$d/cpu-step"
  fi
  # The training binaries: CUDA (fp32, as the CPU) and CPU; the CPU one runs
  # $train_steps steps here, the CUDA one there, on the same text and flags.
  "$nfc" build "$spec" --target=cuda --precision=fp32 --cuda-arch="$arch" -o "$d/train" > /dev/null ||
    die "nfc build $s --target=cuda failed: $(tail -1 "$d/train/compile.log" 2> /dev/null)"
  rm -f "$d/train"/*.fingerprint "$d/train/compile.log"
  xz -T1 -6 -f "$d/train/$model"
  "$nfc" build "$spec" -o "$work/$name-cpu-bin" > /dev/null
  run_args=(--steps "$train_steps" --log-every 1 --eval-every 0 --fresh)
  "$work/$name-cpu-bin/$model" "${run_args[@]}" --data "$root/examples/data/austen.txt" \
    --out "$work/$name-cpu-run" > /dev/null 2> "$work/$name-cpu-run.log" ||
    die "the CPU training binary of $name failed: $(tail -1 "$work/$name-cpu-run.log")"
  cp "$work/$name-cpu-run/metrics.jsonl" "$d/cpu-metrics.jsonl"
  echo "${run_args[*]} --data examples/data/austen.txt" > "$d/train/args"
done
collect_all

commit=$(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain 2> /dev/null | grep -cv '^??' || true)
{
  echo "# bench/gpu_prepare.sh's output, read by bench/gpu_step.sh"
  echo "made: $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n)"
  echo "commit: $commit ($dirty tracked files modified)"
  echo "nvcc: $("$nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')"
  echo "glibc: $(ldd --version | head -1 | awk '{print $NF}')"
  echo "arch: $arch"
  echo "check: $(for s in "${check_specs[@]}"; do printf '%s ' "$(spec_name "$s")"; done)"
  echo "bench: ${benches[*]}"
  echo "profile: gpt2-124m:bf16"
  echo "sanitize: gpt-tiny:bf16"
  echo "torch: $(for s in "${time_specs[@]}"; do printf '%s ' "$(spec_name "$s")"; done)"
  echo "torch_compile: gpt2-124m"
  echo "ncu: gpt2-124m:bf16"
  echo "train_steps: $train_steps"
} > "$dir/MANIFEST"
size=$(du -sb "$dir" | cut -f1)
echo "$me: prepared ${dir#"$root"/} in $(($(date +%s) - start)) s: $(find "$dir" -type f | wc -l) files, $((size / 1048576)).$((size % 1048576 * 10 / 1048576)) MiB"
echo "next, on the GPU machine from the repository root (with ${dir#"$root"/} carried): bench/gpu_step.sh${1:+ ${dir#"$root"/}}"
