#!/usr/bin/env bash
# Before/after: times the default (fused) CPU train step of each spec as
# built by two NormFuse trees (this one and BASE, e.g. a `git worktree` of
# an older commit with its own build/bin/nfc), alternating the two binaries
# round by round so that load on the machine hits both alike. Prints each
# round's ms per step, and the mean of the paired after/before ratios with
# a 95% t interval (rounds are the pairs).
# usage: bench/cpu_step_ab.sh BASE [spec.json ...]
#        (default: gpt-tiny and d512-l8; STEPS=5 timed steps, ROUNDS=7)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(cd "${1:?usage: bench/cpu_step_ab.sh BASE [spec.json ...]}" && pwd)
shift
[ -x "$base/build/bin/nfc" ] || { echo "cpu_step_ab: error: $base/build/bin/nfc is not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
specs=("$@")
[ ${#specs[@]} -eq 0 ] && specs=("$root/examples/gpt-tiny.json" "$root/bench/specs/d512-l8.json")
steps=${STEPS:-5}
cores=$(nproc)
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $cores cores; base $base, after $root"
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .json)
  for side in before after; do
    tree=$root
    [ "$side" = before ] && tree=$base
    "$tree/build/bin/nfc" build "$spec" --emit=cpp > "$work/$name-$side.cpp"
    ${CXX:-c++} -std=c++17 -O3 -march=native -fopenmp -fno-math-errno -I"$tree/runtime/include" \
      "$work/$name-$side.cpp" "$tree/runtime/tools/StepBench.cpp" -lopenblas -o "$work/$name-$side"
  done
  : > "$work/$name.rounds"
  for round in $(seq "${ROUNDS:-7}"); do
    line=""
    for side in before after; do
      r=$(OMP_WAIT_POLICY=passive OMP_NUM_THREADS=$cores "$work/$name-$side" "$steps" 2)
      line+="$r"$'\t'
    done
    printf "%s\n" "$line" >> "$work/$name.rounds"
  done
  /usr/bin/python3 - "$name" "$work/$name.rounds" <<'PY'
import json, math, statistics, sys
name, path = sys.argv[1], sys.argv[2]


def t_quantile(p, df):
    """The p quantile (p > 0.5) of Student's t: bisection on its CDF, the
    density integrated by Simpson's rule (no SciPy on Debian's list)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    pdf = lambda x: c * (1 + x * x / df) ** (-(df + 1) / 2)
    def cdf(x, k=2000):
        h = x / k
        s = pdf(0) + pdf(x) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, k))
        return 0.5 + s * h / 3
    lo, hi = 0.0, 100.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


pairs = []
for line in open(path):
    b, a = (json.loads(x) for x in line.strip().split("\t"))
    pairs.append((b["ms_per_step"], a["ms_per_step"], b["loss"] == a["loss"]))
for i, (b, a, same) in enumerate(pairs, 1):
    print(f"{name} round {i}: before {b:.1f} ms, after {a:.1f} ms, ratio {a / b:.3f}"
          f"{'' if same else ' (losses differ)'}")
r = [a / b for b, a, _ in pairs]
m, n = statistics.mean(r), len(r)
half = t_quantile(0.975, n - 1) * statistics.stdev(r) / math.sqrt(n)
print(f"{name}: after/before step time {m:.3f} (95% t interval {m - half:.3f} .. {m + half:.3f}, "
      f"{n} paired rounds); best before {min(b for b, _, _ in pairs):.1f} ms, "
      f"best after {min(a for _, a, _ in pairs):.1f} ms; same loss: {all(s for *_, s in pairs)}")
PY
done
