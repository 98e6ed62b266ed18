#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build nfc,
# check gpt-tiny's spec and print its nf IR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" nfc nf-opt
"$root/build/bin/nfc" check "$root/examples/gpt-tiny.json"
"$root/build/bin/nfc" import "$root/examples/gpt-tiny.json"
