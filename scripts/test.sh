#!/usr/bin/env bash
# Every test: install what is missing, build, run the GoogleTest unit tests
# and the lit suite. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" check-nf
