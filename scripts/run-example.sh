#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build nfc,
# then compile gpt-tiny's training binary and train it on the bundled
# English text (examples/data/austen.txt), with a progress bar, evaluation
# every 50 steps and metrics in out/gpt-tiny/metrics.jsonl. About a minute
# on 2 cores. Run it again to resume; add --fresh to start over.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" nfc nf-opt
cd "$root"
"$root/build/bin/nfc" train examples/gpt-tiny.json "$@"
