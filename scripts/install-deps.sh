#!/usr/bin/env bash
# Installs the Debian 12 packages NormFuse needs that are not installed yet.
#
#   scripts/install-deps.sh          what building and training need
#                                    (scripts/run-example.sh runs this)
#   scripts/install-deps.sh --test   that, and the test tools
#                                    (scripts/test.sh runs this)
#
# It never removes a package the machine has: apt's simulation runs first,
# and when the install would remove anything the script names the packages
# and stops. NF_ALLOW_REMOVALS=1 accepts the removals (CI, whose machines
# are thrown away, sets it). Runs as root, or with sudo.
set -euo pipefail

# Building nfc and the runtime, and training: the compiler toolchain, LLVM
# and MLIR 19 (llvm-19-dev brings FileCheck and lit), FlatBuffers, OpenBLAS
# for the CPU target's GEMMs (OpenMP comes with g++).
main=(
  g++ cmake ninja-build ccache git
  llvm-19-dev libmlir-19-dev mlir-19-tools
  libzstd-dev zlib1g-dev # LLVM 19's CMake package needs them; llvm-19-dev omits them
  libflatbuffers-dev flatbuffers-compiler
  libopenblas-dev
)
# The tests: GoogleTest; PyTorch as the numerics oracle (run by
# /usr/bin/python3); OpenMPI for the data-parallel tests (nfc build
# --ranks); clang with its sanitizer and libFuzzer runtimes and LLVM's
# OpenMP for the sanitized build and the fuzz targets.
test=(
  libgtest-dev
  python3-torch python3-numpy
  libopenmpi-dev openmpi-bin
  clang-19 libclang-rt-19-dev libomp-19-dev
)

packages=("${main[@]}")
case "${1:-}" in
--test) packages+=("${test[@]}") ;;
"") ;;
*)
  echo "usage: scripts/install-deps.sh [--test]" >&2
  exit 2
  ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing missing Debian packages: ${missing[*]}"
$sudo apt-get update -q
# apt's simulation says what the install would do; "Remv" lines are
# packages it would take away (libomp-19-dev replaces LLVM 14's libomp-dev).
removed=$($sudo apt-get install -s -q --no-install-recommends "${missing[@]}" |
  awk '/^Remv /{print $2}' | tr '\n' ' ')
if [ -n "$removed" ] && [ "${NF_ALLOW_REMOVALS:-0}" != 1 ]; then
  echo "install-deps: error: installing ${missing[*]} would remove" \
    "packages this machine has: ${removed}(apt-get install -s says so);" \
    "nothing was changed. Set NF_ALLOW_REMOVALS=1 to accept that." >&2
  exit 1
fi
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
