"""Compares two training runs' metrics.jsonl, step by step.

usage: compare_metrics.py A B [--rtol X] [--fields loss,val_loss,grad_norm]
                              [--steps N]

Every step that logs a field in A must log it in B (and the same steps);
each pair is printed with its relative difference, and the script fails
when one is above --rtol (default 1e-5) or when fewer than --steps steps
(default 1) were compared.
"""
import argparse
import json
import sys


def load(path):
    rows = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: error: not JSON: {e}")
            for key, value in r.items():
                if key != "step":
                    rows[(r["step"], key)] = value
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--rtol", type=float, default=1e-5)
    p.add_argument("--fields", default="loss,val_loss,grad_norm")
    p.add_argument("--steps", type=int, default=1)
    o = p.parse_args()
    a, b = load(o.a), load(o.b)
    fields = o.fields.split(",")
    worst, compared, bad = 0.0, set(), []
    for (step, key), x in sorted(a.items()):
        if key not in fields:
            continue
        if (step, key) not in b:
            bad.append(f"step {step}: {key} missing in {o.b}")
            continue
        y = b[(step, key)]
        rel = abs(x - y) / max(abs(x), 1e-30)
        worst = max(worst, rel)
        compared.add(step)
        print(f"step {step} {key}: {x:.9g} {y:.9g} rel {rel:.2e}")
        if rel > o.rtol:
            bad.append(f"step {step}: {key} differs by {rel:.2e} > {o.rtol:.0e}")
    extra = sorted(k for k in b if k[1] in fields and k not in a)
    if extra:
        bad.append(f"{o.b} logs {extra[0]} that {o.a} does not")
    if len(compared) < o.steps:
        bad.append(f"only {len(compared)} steps compared, expected {o.steps}")
    print(f"compared {len(compared)} steps, worst relative difference "
          f"{worst:.2e} (rtol {o.rtol:.0e})")
    for line in bad:
        print("FAIL:", line)
    sys.exit(1 if bad else 0)


main()
