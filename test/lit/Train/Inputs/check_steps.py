#!/usr/bin/env python3
# Checks metrics.jsonl files the way a plot reads them: every line a JSON
# object, the training records' steps strictly increasing (each step once)
# and the same for the validation records. Prints, per file, the steps of
# each kind, for FileCheck.
import json
import sys

ok = True
for path in sys.argv[1:]:
    loss, val = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except ValueError as e:
                print("%s:%d: not JSON (%s): %r" % (path, n, e, line[:60]))
                ok = False
                continue
            (val if "val_loss" in r else loss).append(r["step"])
    for kind, steps in (("loss", loss), ("val_loss", val)):
        if any(b <= a for a, b in zip(steps, steps[1:])):
            print("%s: %s steps repeat or go back: %s" % (path, kind, steps))
            ok = False
    print("loss at steps %s; val_loss at steps %s" %
          (" ".join(map(str, loss)), " ".join(map(str, val))))
sys.exit(0 if ok else 1)
