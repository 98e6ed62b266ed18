"""Prints the sorted metric names a run's metrics.jsonl carries on its step
records (the training lines, not the validation ones), one per line.

usage: metric_names.py metrics.jsonl

Two targets' binaries trained from the same spec must print the same list
(test/lit/Cuda/diagnostics-parity.test).
"""
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: metric_names.py metrics.jsonl")
    names = set()
    with open(sys.argv[1]) as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{sys.argv[1]}:{n}: error: not JSON: {e}")
            if "loss" in r:
                names.update(r)
    if not names:
        sys.exit(f"{sys.argv[1]}: error: no step records")
    for name in sorted(names):
        print(name)


if __name__ == "__main__":
    main()
