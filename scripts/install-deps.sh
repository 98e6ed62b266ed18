#!/usr/bin/env bash
# Installs the Debian 12 packages NormFuse needs that are not installed yet.
# Usage: scripts/install-deps.sh   (as root, or with sudo available)
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache git
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools
  libzstd-dev            # LLVM 19's CMake package needs it; llvm-19-dev omits it
  libflatbuffers-dev flatbuffers-compiler
  libgtest-dev
  libopenblas-dev        # GEMMs of the generated CPU code
  libopenmpi-dev openmpi-bin   # data-parallel CPU training (nfc build --ranks)
  python3-torch python3-numpy  # the numerics oracle (run by /usr/bin/python3)
  # The sanitized build and the fuzz targets (scripts/test-sanitized.sh,
  # scripts/fuzz.sh): clang with its sanitizer and libFuzzer runtimes, and
  # LLVM's OpenMP for the training binaries that clang compiles.
  clang-19 libclang-rt-19-dev libomp-19-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing missing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
