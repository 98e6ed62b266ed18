#!/usr/bin/env bash
# The CUDA target on a real GPU, in one budgeted run (default 510 s of wall
# time, every phase under `timeout`, so that a hang costs its phase only),
# from what bench/gpu_prepare.sh made where NormFuse is built (this machine
# needs nvcc, python3 with PyTorch, and for (c) and (f) compute-sanitizer
# and ncu; not nfc):
#
#   (a) the GPU, its clocks; the carried binaries are tried and any that
#       does not start here (other system libraries) is rebuilt from the
#       carried .cu with this machine's nvcc, in parallel
#   (b) correctness: CudaStepCheck against the CPU step (loss, every
#       gradient, every parameter after the optimizer step; 1e-5 in fp32,
#       1e-2 in bf16 mode) for gpt-tiny and d512-l8, and the fp32 training
#       binary's steps against the CPU binary's (compare_metrics.py, 1e-4)
#   (c) compute-sanitizer memcheck, racecheck, synccheck on one gpt-tiny
#       bf16 step (CudaStepCheck)
#   (d) tokens/s: CudaStepBench (CUDA graphs) for gpt-tiny (fp32, bf16) and
#       GPT-2 124M (bf16), MFU by 6N and by 6N + 12 L T d; then GPT-2's
#       per-kernel table (NFRT_PROFILE=1)
#   (e) PyTorch at the same shapes (bench/torch_gpt_cuda.py: SDPA, bf16
#       autocast, fused AdamW), eager
#   (f) Nsight Compute (--clock-control none) on a GPT-2 bf16 step: the
#       flash-attention kernels with the SpeedOfLight, Occupancy, launch,
#       compute and memory sections, and the step's first NCU_LAUNCHES
#       launches with the throughput metrics (bench/ncu_summary.py)
#   (e') torch.compile of GPT-2 (capped at 240 s), with what is left
#
# Prints a summary table last. With OUT set, writes there: summary.txt,
# logs.txt (every phase's output), profile.txt (the per-kernel table),
# ncu.txt (the Nsight tables), ncu-flash.ncu-rep, ncu-step.ncu-rep,
# torch.json. Without a GPU it says so and exits 0.
#
#   bench/gpu_prepare.sh                   # here, where nfc is built
#   bench/gpu_step.sh [DIR]                # there, from the repository root
#   BUDGET_S=510 STEPS=20 STEPS_LARGE=10 NCU_LAUNCHES=300 PHASES=abcdef
#   PEAK_TFLOPS=67 PEAK_BF16_TFLOPS=989 (the H100/H200 SXM datasheet rates)
#   FORCE_REBUILD=1 (rebuild every binary here from the carried sources)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
me=bench/gpu_step.sh
die() { echo "$me: error: $*" >&2; exit 2; }
[ $# -le 1 ] || die "takes one argument, the directory bench/gpu_prepare.sh wrote (default bench/gpu-prepared); got $#"
arg=${1:-}
dir=${arg:-bench/gpu-prepared}
case "$dir" in
  *.json) die "'$dir' is a spec: this script takes the directory bench/gpu_prepare.sh wrote (nfc does not run on the GPU machine)" ;;
esac
not_prepared() {
  if [ ! -e "$dir" ]; then
    echo "no directory '$dir'"
  elif [ ! -f "$dir/MANIFEST" ]; then
    echo "'$dir' is not a prepared directory (no MANIFEST)"
  fi
}
how="bench/gpu_prepare.sh${arg:+ DIR} writes it where NormFuse is built; then carry it to this machine"
# A directory named on the command line is checked even without a GPU.
[ -z "$arg" ] || [ -z "$(not_prepared)" ] || die "$(not_prepared): $how"
if ! command -v nvidia-smi > /dev/null 2>&1 || ! nvidia-smi -L 2> /dev/null | grep -q '^GPU'; then
  echo "$me: no NVIDIA GPU here (nvidia-smi lists none); nothing to time"
  exit 0
fi
[ -z "$(not_prepared)" ] || die "$(not_prepared): $how"
dir=$(cd "$dir" && pwd)

budget=${BUDGET_S:-510}
t_start=$(date +%s)
deadline=$((t_start + budget))
reserve=10 # for the summary
phases=${PHASES:-abcdef}
steps=${STEPS:-20}
steps_large=${STEPS_LARGE:-10}
peak_fp32=${PEAK_TFLOPS:-67}
peak_bf16=${PEAK_BF16_TFLOPS:-989}
python=${PYTHON:-python3}
work=$(mktemp -d /tmp/nf-gpu.XXXXXX)
logs=$work/logs
mkdir -p "$logs"
manifest() { sed -n "s/^$1: *//p" "$dir/MANIFEST" | head -1; }
want() { [[ $phases == *"$1"* ]]; }
elapsed() { echo $(($(date +%s) - t_start)); }
say() { echo "[$(printf '%3d' "$(elapsed)") s] $*"; }

# The summary: one row per result (section, item, status, detail).
rows=$work/rows.tsv
: > "$rows"
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$rows"; say "$1: $2: $3 $4"; }

# limited LOG CAP cmd...: cmd under timeout min(CAP, what the budget has
# left), its output in LOG. 124: stopped at the limit; 125: not started.
limited() {
  local log=$1 cap=$2 left t rc
  shift 2
  left=$((deadline - $(date +%s) - reserve))
  t=$((cap < left ? cap : left))
  if [ "$t" -lt 5 ]; then
    echo "(not run: the time budget is spent)" > "$log"
    return 125
  fi
  echo "\$ $* (limit ${t} s)" > "$log"
  timeout -k 5 "$t" "$@" >> "$log" 2>&1
  rc=$?
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && { echo "(stopped at its time limit, $t s)" >> "$log"; rc=124; }
  return $rc
}
status_of() { # rc -> word
  case $1 in 0) echo ok ;; 124) echo TIMEOUT ;; 125) echo SKIPPED ;; *) echo "FAIL($1)" ;; esac
}
secs() { # start time -> "N s"
  echo "$(($(date +%s) - $1)) s"
}

# --- the toolchain: nvcc, the CUDA libraries, the tools -----------------------
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
cuda_home=$(dirname "$(dirname "$(readlink -f "$nvcc" 2> /dev/null || echo "$nvcc")")")
sites=$("$python" -c 'import site; print("\n".join(site.getsitepackages()))' 2> /dev/null)
lib_candidates=("$cuda_home/lib64" "$cuda_home/lib" "$cuda_home/targets/x86_64-linux/lib"
                /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/lib/x86_64-linux-gnu)
inc_candidates=("$cuda_home/include" /usr/local/cuda/include /usr/include)
while read -r sp; do
  [ -n "$sp" ] || continue
  for d in "$sp"/nvidia/*/lib "$sp"/torch/lib; do [ -d "$d" ] && lib_candidates+=("$d"); done
  for d in "$sp"/nvidia/*/include; do [ -d "$d" ] && inc_candidates+=("$d"); done
done <<< "$sites"
find_lib() { # soname -> the first candidate holding it (else an unversioned .so)
  local d base=${1%%.so*}
  for d in "${lib_candidates[@]}"; do [ -e "$d/$1" ] && { echo "$d/$1"; return; }; done
  for d in "${lib_candidates[@]}"; do [ -e "$d/$base.so" ] && { echo "$d/$base.so"; return; }; done
}
libpath=""
for so in libcublas.so.13 libcublasLt.so.13 libnccl.so.2; do
  f=$(find_lib "$so")
  [ -n "$f" ] && [[ ":$libpath:" != *":$(dirname "$f"):"* ]] && libpath=${libpath:+$libpath:}$(dirname "$f")
done
export LD_LIBRARY_PATH=$libpath${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
find_tool() { # name -> path
  command -v "$1" 2> /dev/null && return
  local f
  for f in "$cuda_home/bin/$1" /usr/local/cuda/bin/"$1" /opt/nvidia/nsight-compute/*/"$1" \
           "$cuda_home"/compute-sanitizer/"$1"; do
    [ -x "$f" ] && { echo "$f"; return; }
  done
}
ncu=$(find_tool ncu)
sanitizer=$(find_tool compute-sanitizer)

# --- (a) the GPU ---------------------------------------------------------------
say "$me: ${dir#"$root"/} (prepared $(manifest made), commit $(manifest commit)); work in $work; budget $budget s"
gpu=$(nvidia-smi -L | head -1)
clocks=$(nvidia-smi --query-gpu=name,compute_cap,driver_version,clocks.sm,clocks.max.sm,clocks.mem,memory.total,power.limit,temperature.gpu --format=csv,noheader 2>&1 | head -1)
{ nvidia-smi -L; nvidia-smi; nvidia-smi -q -d CLOCK; } > "$logs/a-gpu.log" 2>&1
row gpu "${gpu%% (UUID*}" ok "name, cc, driver, SM MHz now/max, mem MHz, memory, power limit, temp: $clocks"
row tools "nvcc, ncu, compute-sanitizer" ok "${nvcc} ($("$nvcc" --version 2> /dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p')); ${ncu:-no ncu}; ${sanitizer:-no compute-sanitizer}; LD_LIBRARY_PATH=$libpath"

# --- the binaries: unpack, try, rebuild the ones that do not start ------------
unpack() { # file.xz -> file (executable)
  if command -v xz > /dev/null; then
    xz -dc "$1" > "$2"
  else
    "$python" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi && chmod +x "$2"
}
starts() { # binary: does the loader start it? (it then refuses the flag: exit 2)
  local out rc
  out=$(timeout 30 "$1" --nf-probe-flag 2>&1)
  rc=$?
  [ $rc -ne 126 ] && [ $rc -ne 127 ] && [ $rc -ne 124 ] &&
    ! grep -qE 'error while loading shared libraries|GLIBC_|GLIBCXX_|CXXABI_' <<< "$out"
}
nccl_inc=""
for d in "${inc_candidates[@]}"; do [ -f "$d/nccl.h" ] && { nccl_inc=$d; break; }; done
arch=$(manifest arch)
cuda_flags=(-std=c++17 -O3 -lineinfo -gencode "arch=compute_$arch,code=sm_$arch"
            -gencode "arch=compute_$arch,code=compute_$arch" -I"$root/runtime/include"
            ${nccl_inc:+-I"$nccl_inc"})
# cuBLAS and NCCL to link against, as -L/-l through links in one folder (a
# pip layout has no unversioned .so; nvcc's -x cu would take a .so path for
# a source file).
mkdir -p "$work/lib"
for so in libcublas.so.13 libnccl.so.2; do
  f=$(find_lib "$so")
  [ -n "$f" ] && ln -sf "$f" "$work/lib/${so%%.so*}.so"
done
cuda_libs=(-L"$work/lib" -lcublas -lnccl)
rebuild=() # "output|sources..." of the binaries that did not start
t0=$(date +%s)
for d in "$dir"/*/; do
  name=$(basename "$d")
  [ -f "$d/spec.json" ] || continue
  mkdir -p "$work/$name/train"
  for f in "$d"/check-*.xz "$d"/bench-*.xz; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .xz)
    unpack "$f" "$work/$name/$b"
    if [ "${FORCE_REBUILD:-0}" = 1 ] || ! starts "$work/$name/$b"; then
      tool=$([[ $b == check-* ]] && echo CudaStepCheck || echo CudaStepBench)
      rebuild+=("$work/$name/$b|$d/model-${b#*-}.cu -x cu $root/runtime/tools/$tool.cpp")
    fi
  done
  for f in "$d"/train/*.xz; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .xz)
    unpack "$f" "$work/$name/train/$b"
    if [ "${FORCE_REBUILD:-0}" = 1 ] || ! starts "$work/$name/train/$b"; then
      rebuild+=("$work/$name/train/$b|$d/train/$b.cu $d/train/run_config.cpp $dir/lib/libnfrt_main.a $dir/lib/libnfrt.a")
    fi
  done
done
if [ ${#rebuild[@]} -eq 0 ]; then
  row setup "carried binaries" ok "all start here ($(secs "$t0"))"
else
  say "setup: rebuilding ${#rebuild[@]} binaries with $nvcc (${FORCE_REBUILD:+FORCE_REBUILD; }the carried ones that do not start here)"
  pids=()
  for r in "${rebuild[@]}"; do
    out=${r%%|*}
    read -r -a srcs <<< "${r#*|}"
    rm -f "$out"
    limited "$logs/rebuild-$(basename "$(dirname "$out")")-$(basename "$out").log" 300 \
      "$nvcc" "${cuda_flags[@]}" "${srcs[@]}" "${cuda_libs[@]}" -o "$out" &
    pids+=($!)
  done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  row setup "rebuilt ${#rebuild[@]} binaries" "$([ $failed -eq 0 ] && echo ok || echo "FAIL($failed)")" \
    "$(secs "$t0"); logs: rebuild-*"
fi

# --- (b) correctness -----------------------------------------------------------
check_line() { # log -> "loss rel x, grad y, params z, update u, replay"
  sed -n -e 's/^loss: .* rel \(.*\)/loss \1/p' -e 's/^worst gradient relative error \(.*\)/grad \1/p' \
    -e 's/^worst parameter-after-step relative error \(.*\)/params \1/p' \
    -e 's/^worst update relative error \(.*\)/update \1/p' \
    -e 's/^graph replay: \(.*\)/replay: \1/p' "$1" | paste -sd, - | sed 's/,/, /g'
}
if want b; then
  for name in $(manifest check); do
    d=$dir/$name w=$work/$name
    ref=""
    if [ -f "$d/cpu/result.f32" ]; then
      ref=$d/cpu
    elif [ -f "$d/cpu-step.xz" ]; then
      t0=$(date +%s)
      unpack "$d/cpu-step.xz" "$w/cpu-step" && mkdir -p "$w/cpu"
      OMP_NUM_THREADS=$(nproc) limited "$logs/b-$name-cpu.log" 120 "$w/cpu-step" --out "$w/cpu" --opt
      rc=$?
      row check "$name CPU reference" "$(status_of $rc)" "StepCheck (static, carried) on $(nproc) cores here, $(secs "$t0")"
      [ $rc -eq 0 ] && ref=$w/cpu
    fi
    for p in fp32 bf16; do
      tol=() tolname=1e-5
      [ $p = bf16 ] && tol=(--rtol 1e-2 --floor 1e-3) tolname=1e-2
      if [ -z "$ref" ] || [ ! -x "$w/check-$p" ]; then
        row check "$name $p" SKIPPED "no CPU reference or no binary"
        continue
      fi
      t0=$(date +%s)
      mkdir -p "$w/cuda-$p"
      limited "$logs/b-$name-check-$p.log" 90 "$w/check-$p" --out "$w/cuda-$p" --opt --expect "$ref" "${tol[@]}"
      rc=$?
      st=$(status_of $rc)
      grep -q '^PASS' "$logs/b-$name-check-$p.log" && st=PASS
      grep -q '^FAIL' "$logs/b-$name-check-$p.log" && st=FAIL
      detail=$(check_line "$logs/b-$name-check-$p.log")
      row check "$name $p (rtol $tolname)" "$st" "${detail:-$(tail -1 "$logs/b-$name-check-$p.log")}; $(secs "$t0")"
    done
    # The training binary (fp32) against the CPU binary's metrics.
    bin=$(find "$w/train" -maxdepth 1 -type f -perm -u+x 2> /dev/null | head -1)
    if [ -z "$bin" ] || [ ! -f "$d/cpu-metrics.jsonl" ]; then
      row train "$name fp32" SKIPPED "no training binary or CPU metrics"
      continue
    fi
    read -r -a args < "$d/train/args"
    t0=$(date +%s)
    limited "$logs/b-$name-train.log" 120 "$bin" "${args[@]}" --out "$w/cuda-run"
    rc=$?
    if [ $rc -ne 0 ] || [ ! -f "$w/cuda-run/metrics.jsonl" ]; then
      row train "$name fp32, $(manifest train_steps) steps" "$(status_of $rc)" "$(tail -1 "$logs/b-$name-train.log")"
      continue
    fi
    "$python" test/cuda/compare_metrics.py "$d/cpu-metrics.jsonl" "$w/cuda-run/metrics.jsonl" \
      --rtol 1e-4 --fields loss --steps "$(manifest train_steps)" > "$logs/b-$name-compare.log" 2>&1
    rc=$?
    tps=$("$python" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1]) if "\"tokens_per_s\"" in l]
t = sorted(x["tokens_per_s"] for x in r[len(r) // 2:])
print("%.0f tokens/s (median of the last %d steps)" % (t[len(t) // 2], len(t)) if t else "no tokens_per_s")' \
      "$w/cuda-run/metrics.jsonl" 2>&1)
    row train "$name fp32, $(manifest train_steps) steps vs CPU" "$([ $rc -eq 0 ] && echo PASS || echo FAIL)" \
      "$(grep -m1 '^compared' "$logs/b-$name-compare.log"); $tps; $(secs "$t0")"
  done
fi

# --- (c) compute-sanitizer -----------------------------------------------------
if want c; then
  for target in $(manifest sanitize); do
    name=${target%%:*} p=${target#*:}
    bin=$work/$name/check-$p
    if [ -z "$sanitizer" ] || [ ! -x "$bin" ]; then
      row sanitize "$name $p" SKIPPED "${sanitizer:+no binary}${sanitizer:-no compute-sanitizer}"
      continue
    fi
    for tool in memcheck racecheck synccheck; do
      cap=90
      [ $tool = synccheck ] && cap=60
      t0=$(date +%s)
      mkdir -p "$work/san-$tool"
      limited "$logs/c-$tool.log" $cap "$sanitizer" --tool $tool --error-exitcode 99 --print-limit 20 \
        "$bin" --out "$work/san-$tool" --opt
      rc=$?
      summary=$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY|SYNCCHECK SUMMARY' "$logs/c-$tool.log" | tail -1 | sed 's/^=* *//')
      row sanitize "$tool, $name $p step" "$(status_of $rc)" "${summary:-no summary line}; $(secs "$t0")"
    done
  done
fi

# --- (d) tokens/s --------------------------------------------------------------
flops_per_token() { # shape.json -> "6N 6N+12LTd"
  "$python" -c 'import json, sys
s = json.load(open(sys.argv[1]))
n = s["trained_params"]
print(6 * n, 6 * n + 12 * s["n_layers"] * s["seq_len"] * s["d_model"])' "$1"
}
ours=$work/ours.tsv # name:precision, tokens/s
: > "$ours"
if want d; then
  for b in $(manifest bench); do
    name=${b%%:*} p=${b#*:}
    bin=$work/$name/bench-$p
    peak=$peak_fp32
    [ "$p" = bf16 ] && peak=$peak_bf16
    n=$steps
    [ "$name" = gpt2-124m ] && n=$steps_large
    if [ ! -x "$bin" ]; then row bench "$name $p" SKIPPED "no binary"; continue; fi
    t0=$(date +%s)
    limited "$logs/d-$name-$p.log" 120 "$bin" --steps "$n" --peak-tflops "$peak"
    rc=$?
    line=$(grep -m1 '^step:' "$logs/d-$name-$p.log")
    if [ $rc -ne 0 ] || [ -z "$line" ]; then
      row bench "$name $p" "$(status_of $rc)" "$(tail -1 "$logs/d-$name-$p.log")"
      continue
    fi
    ms=$(sed -n 's/^step: \([0-9.]*\) ms.*/\1/p' <<< "$line")
    tps=$(sed -n 's/^step: [0-9.]* ms, \([0-9]*\) tokens.*/\1/p' <<< "$line")
    printf '%s\t%s\n' "$b" "$tps" >> "$ours"
    read -r f6 fpalm < <(flops_per_token "$dir/$name/shape.json")
    copy=$(sed -n 's/^copy: \([0-9.]*\) GB.*/\1/p' "$logs/d-$name-$p.log")
    row bench "$name $p ($n steps)" ok "$(awk -v ms="$ms" -v t="$tps" -v a="$f6" -v b="$fpalm" -v pk="$peak" -v c="$copy" \
      'BEGIN { printf "%.3f ms/step, %d tokens/s, MFU %.1f%% (6N) / %.1f%% (6N+12LTd) of %g TFLOP/s; d2d copy %s GB/s", ms, t, 100*a*t/1e12/pk, 100*b*t/1e12/pk, pk, c }'); $(secs "$t0")"
  done
  for b in $(manifest profile); do
    name=${b%%:*} p=${b#*:}
    bin=$work/$name/bench-$p
    [ -x "$bin" ] || continue
    t0=$(date +%s)
    NFRT_PROFILE=1 limited "$logs/d-$name-$p-profile.log" 90 "$bin" --steps 3 --warmup 1 --peak-tflops "$peak_bf16"
    rc=$?
    top=$(sed -n '/^kernels/,$p' "$logs/d-$name-$p-profile.log" | awk 'NR > 2 && NR <= 7 {
      k = $0; sub(/^ *[^ ]+ +[^ ]+ +[^ ]+ +/, "", k); gsub(/<[^>]*>|[()]/, "", k)
      printf "%s%s %s", (NR > 3 ? ", " : ""), k, $3 }')
    flash=$(sed -n '/^kernels/,$p' "$logs/d-$name-$p-profile.log" | awk '/flashAttention/ { us += $1; sh += $3 } END { printf "%.0f us/step, %.1f%%", us, sh }')
    if [ $rc -eq 0 ]; then
      row profile "$name $p, NFRT_PROFILE=1 (no graphs)" ok "top: $top; flash attention: $flash; $(secs "$t0")"
    else
      row profile "$name $p, NFRT_PROFILE=1 (no graphs)" "$(status_of $rc)" "$(tail -1 "$logs/d-$name-$p-profile.log")"
    fi
    cp "$logs/d-$name-$p-profile.log" "$work/profile.txt"
  done
fi

# --- (e) PyTorch eager -----------------------------------------------------------
torch_rows() { # json mode
  [ -f "$1" ] || return
  "$python" - "$1" <<'PY' | while IFS=$'\t' read -r model line; do row torch "$model $2" ok "$line"; done
import json, sys
for r in json.load(open(sys.argv[1])):
    mfu = f", MFU {100 * r['mfu_6n']:.1f}% (6N) / {100 * r['mfu_palm']:.1f}% (6N+12LTd)" if "mfu_6n" in r else ""
    print(f"{r['model']}\t{r['ms_per_step']:.3f} ms/step, {r['tokens_per_s']:.0f} tokens/s{mfu}; "
          f"first step {r['first_step_s']:.1f} s; {r['params']} params"
          + (" (NOT nfc's count)" if r.get("nfc_params") not in (None, r["params"]) else "")
          + f"; peak {r['peak_mem_mb']:.0f} MB; torch {r['torch']}, AdamW {r['adamw']}")
PY
}
shapes=()
for name in $(manifest torch); do shapes+=(--shape "$dir/$name/shape.json"); done
if want e && [ ${#shapes[@]} -gt 0 ]; then
  t0=$(date +%s)
  limited "$logs/e-torch-eager.log" 150 "$python" bench/torch_gpt_cuda.py "${shapes[@]}" \
    --steps "$steps_large" --warmup 3 --peak-tflops "$peak_bf16" --json-out "$work/torch-eager.json"
  rc=$?
  [ $rc -eq 0 ] || row torch "eager" "$(status_of $rc)" "$(tail -1 "$logs/e-torch-eager.log")"
  torch_rows "$work/torch-eager.json" eager
fi

# --- (f) Nsight Compute ----------------------------------------------------------
if want f; then
  for b in $(manifest ncu); do
    name=${b%%:*} p=${b#*:}
    bin=$work/$name/bench-$p
    if [ -z "$ncu" ] || [ ! -x "$bin" ]; then row ncu "$name $p" SKIPPED "${ncu:+no binary}${ncu:-no ncu}"; continue; fi
    layers=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["n_layers"])' "$dir/$name/shape.json")
    # The flash kernels of the last layer's forward and the backward of the
    # last two layers (forward launches all come first): 5 launches.
    t0=$(date +%s)
    NFRT_CUDA_GRAPHS=0 limited "$logs/f-ncu-flash.log" 90 "$ncu" --clock-control none --cache-control none \
      -k regex:flashAttention --launch-skip $((layers - 1)) --launch-count 5 \
      --section SpeedOfLight --section Occupancy --section LaunchStats --section ComputeWorkloadAnalysis \
      --section MemoryWorkloadAnalysis -f -o "$work/ncu-flash" "$bin" --steps 1 --warmup 0 --copy-mib 1
    rc=$?
    if [ -f "$work/ncu-flash.ncu-rep" ]; then
      "$ncu" -i "$work/ncu-flash.ncu-rep" --csv --page raw > "$work/ncu-flash.csv" 2>> "$logs/f-ncu-flash.log"
      "$ncu" -i "$work/ncu-flash.ncu-rep" --page details >> "$logs/f-ncu-flash.log" 2>&1
      "$python" bench/ncu_summary.py "$work/ncu-flash.csv" --title "flash attention, $name $p (ncu)" > "$work/ncu-flash.txt" 2>&1
    fi
    row ncu "$name $p flashAttention*" "$(status_of $rc)" "$(sed -n 4,6p "$work/ncu-flash.txt" 2> /dev/null | awk '{ printf "%s%s %s us, SM %s%%, mem %s%%", (NR > 1 ? "; " : ""), $NF, $1, $4, $5 }'); $(secs "$t0")"
    t0=$(date +%s)
    NFRT_CUDA_GRAPHS=0 limited "$logs/f-ncu-step.log" 120 "$ncu" --clock-control none --cache-control none \
      --launch-count "${NCU_LAUNCHES:-300}" \
      --metrics gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed,gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed \
      -f -o "$work/ncu-step" "$bin" --steps 1 --warmup 0 --copy-mib 1
    rc=$?
    if [ -f "$work/ncu-step.ncu-rep" ]; then
      "$ncu" -i "$work/ncu-step.ncu-rep" --csv --page raw > "$work/ncu-step.csv" 2>> "$logs/f-ncu-step.log"
      "$python" bench/ncu_summary.py "$work/ncu-step.csv" --top 40 \
        --title "the first ${NCU_LAUNCHES:-300} launches of a $name $p step (ncu)" > "$work/ncu-step.txt" 2>&1
    fi
    row ncu "$name $p, first ${NCU_LAUNCHES:-300} launches" "$(status_of $rc)" "$(sed -n 2p "$work/ncu-step.txt" 2> /dev/null); $(secs "$t0")"
  done
fi

# --- (e') torch.compile, with what is left -----------------------------------
if want e; then
  shapes=()
  for name in $(manifest torch_compile); do shapes+=(--shape "$dir/$name/shape.json"); done
  if [ ${#shapes[@]} -gt 0 ]; then
    t0=$(date +%s)
    TORCHINDUCTOR_COMPILE_THREADS=$(nproc) limited "$logs/e-torch-compile.log" 240 "$python" bench/torch_gpt_cuda.py \
      "${shapes[@]}" --compile --steps "$steps_large" --warmup 3 --peak-tflops "$peak_bf16" \
      --json-out "$work/torch-compile.json"
    rc=$?
    [ $rc -eq 0 ] || row torch "torch.compile" "$(status_of $rc)" "$(tail -1 "$logs/e-torch-compile.log"); $(secs "$t0")"
    torch_rows "$work/torch-compile.json" compile
  fi
fi

# --- ours against PyTorch, and the summary -------------------------------------
"$python" - "$work" "$ours" <<'PY' >> "$rows"
import json, os, sys
work = sys.argv[1]
ours = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if "\t" in line)
for mode in ("eager", "compile"):
    path = os.path.join(work, f"torch-{mode}.json")
    if not os.path.exists(path):
        continue
    for r in json.load(open(path)):
        mine = ours.get(r["model"] + ":bf16")
        if mine:
            print(f"versus\t{r['model']} bf16 / torch {mode}\tratio\t{float(mine) / r['tokens_per_s']:.2f}x "
                  f"(ours {mine} tokens/s, PyTorch {r['tokens_per_s']:.0f})")
PY
{
  echo "bench/gpu_step.sh: $gpu; ${dir#"$root"/} prepared $(manifest made), commit $(manifest commit); $(elapsed) s of $budget"
  awk -F'\t' '{ printf "%-9s %-44s %-8s %s\n", $1, $2, $3, $4 }' "$rows"
} > "$work/summary.txt"
for f in "$logs"/*.log; do
  echo "===== $(basename "$f")"
  head -c 200000 "$f"
done > "$work/logs.txt"
{ cat "$work/ncu-flash.txt" 2> /dev/null; echo; cat "$work/ncu-step.txt" 2> /dev/null; } > "$work/ncu.txt"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  cp "$work/summary.txt" "$work/logs.txt" "$work/ncu.txt" "$OUT/"
  for f in profile.txt ncu-flash.ncu-rep ncu-step.ncu-rep; do
    [ -f "$work/$f" ] && [ "$(stat -c %s "$work/$f")" -lt 15000000 ] && cp "$work/$f" "$OUT/"
  done
  "$python" -c 'import json, os, sys
r = []
for f in sys.argv[1:]:
    if os.path.exists(f):
        r += json.load(open(f))
print(json.dumps(r, indent=1))' "$work/torch-eager.json" "$work/torch-compile.json" > "$OUT/torch.json" 2> /dev/null
fi
echo
head -60 "$work/ncu.txt" 2> /dev/null
echo
sed -n '/^kernels/,$p' "$work/profile.txt" 2> /dev/null | head -25
echo
cat "$work/summary.txt"
grep -qP '\t(FAIL|TIMEOUT)' "$rows" && exit 1
exit 0
