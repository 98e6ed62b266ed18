#!/usr/bin/env bash
# libFuzzer targets of test/fuzz, built in build-san/ (clang-19, ASan+UBSan).
#
#   scripts/fuzz.sh ci [seconds]   what CI runs: every saved finding once
#                                  (test/fuzz/regressions), then each target for
#                                  `seconds` (default 60) from its saved corpus;
#                                  two targets at a time; any finding fails it.
#   scripts/fuzz.sh run TARGET [libFuzzer flags...]
#                                  a campaign: new inputs go to
#                                  build-san/fuzz/TARGET/corpus, findings to
#                                  build-san/fuzz/TARGET/ (e.g. -runs=1000000
#                                  or -max_total_time=1800).
#   scripts/fuzz.sh merge TARGET   adds to the saved corpus test/fuzz/corpus/TARGET
#                                  the campaign's inputs that reach coverage it
#                                  does not (libFuzzer -merge=1).
#
# Targets: spec, ir, checkpoint, shard. docs/fuzzing.md says more.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/sanitizer-env.sh"
targets=(spec ir checkpoint shard)
fuzzdir="$root/test/fuzz"
out="$root/build-san/fuzz"

mkdir -p "$out"
"$root/scripts/build-sanitized.sh" nf-fuzz > "$out/build.log" 2>&1 || {
  tail -40 "$out/build.log" >&2
  echo "fuzz: building the fuzz targets failed (log: $out/build.log)" >&2
  exit 1
}
bin() { echo "$root/build-san/test/fuzz/nf-fuzz-$1"; }
flags() { # the flags every run of target $1 shares
  echo "-dict=$fuzzdir/dict/$1.dict -timeout=30 -rss_limit_mb=4096 -print_final_stats=1"
}

replay() { # every saved finding of target $1, once
  local dir="$fuzzdir/regressions/$1"
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] || return 0
  "$(bin "$1")" $(flags "$1") "$dir"/* > "$out/$1/replay.log" 2>&1 || {
    echo "fuzz: $1: a saved finding fails again (log: $out/$1/replay.log)" >&2
    tail -30 "$out/$1/replay.log" >&2
    return 1
  }
}

campaign() { # target $1 for $2 seconds from its saved corpus
  local t=$1 secs=$2 new="$out/$1/ci-corpus"
  rm -rf "$new" && mkdir -p "$new"
  if "$(bin "$t")" $(flags "$t") -max_total_time="$secs" \
      -artifact_prefix="$out/$t/" "$new" "$fuzzdir/corpus/$t" \
      > "$out/$t/ci.log" 2>&1; then
    echo "fuzz: $t: $(grep -E '^stat::number_of_executed_units' "$out/$t/ci.log" |
      awk '{print $2}') inputs in ${secs} s, $(grep -oE 'cov: [0-9]+' "$out/$t/ci.log" |
      tail -1), no findings"
  else
    echo "fuzz: $t: FINDING (log: $out/$t/ci.log; input saved under $out/$t/)" >&2
    grep -E 'ERROR|runtime error|invariant|Test unit written' "$out/$t/ci.log" | head -5 >&2
    return 1
  fi
}

case "${1:-}" in
ci)
  secs=${2:-60}
  for t in "${targets[@]}"; do mkdir -p "$out/$t"; done
  status=0
  for t in "${targets[@]}"; do replay "$t" || status=1; done
  # Two at a time: CI has two cores.
  campaign spec "$secs" & a=$!
  campaign ir "$secs" & b=$!
  wait $a || status=1
  wait $b || status=1
  campaign checkpoint "$secs" & a=$!
  campaign shard "$secs" & b=$!
  wait $a || status=1
  wait $b || status=1
  exit $status
  ;;
run)
  t=${2:?usage: scripts/fuzz.sh run TARGET [libFuzzer flags...]}
  shift 2
  [[ " ${targets[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t' (${targets[*]})" >&2; exit 2; }
  mkdir -p "$out/$t/corpus"
  exec "$(bin "$t")" $(flags "$t") -artifact_prefix="$out/$t/" "$@" \
    "$out/$t/corpus" "$fuzzdir/corpus/$t"
  ;;
merge)
  t=${2:?usage: scripts/fuzz.sh merge TARGET}
  [ -d "$out/$t/corpus" ] || { echo "fuzz: no campaign corpus in $out/$t/corpus" >&2; exit 1; }
  before=$(ls "$fuzzdir/corpus/$t" | wc -l)
  "$(bin "$t")" -merge=1 "$fuzzdir/corpus/$t" "$out/$t/corpus" > "$out/$t/merge.log" 2>&1
  echo "fuzz: $t: saved corpus $before -> $(ls "$fuzzdir/corpus/$t" | wc -l) inputs"
  ;;
*)
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
