# Recomputes summary.csv's statistics from the runs' metrics.jsonl: for each
# cell, the best learning rate's final validation losses over seeds, their
# mean and sample std, and the gap to the baseline cell.
import csv, glob, json, math, os, sys

out = sys.argv[1]
steps = int(sys.argv[2])
# Every table: as many fields in each row as in its header.
for name in ("summary.csv", "lr.csv", "interaction.csv"):
    table = list(csv.reader(open(os.path.join(out, name))))
    assert all(len(r) == len(table[0]) for r in table), (name, table)
# summary.md: within each Markdown table, as many cells in every line.
widths = []
for line in open(os.path.join(out, "summary.md")).read().split("\n") + [""]:
    if line.startswith("|"):
        widths.append(line.replace("\\|", "").count("|"))
    elif widths:
        assert len(set(widths)) == 1, widths
        widths = []
rows = list(csv.DictReader(open(os.path.join(out, "summary.csv"))))
means = {}
for r in rows:
    cell = r["norm"] + "_" + r["optimizer"]
    finals = []
    for path in sorted(glob.glob(os.path.join(out, "runs", cell + "_lr" + r["best_lr"], "seed-*", "metrics.jsonl"))):
        last = {}
        for line in open(path):
            rec = json.loads(line)
            if "val_loss" in rec:
                last[rec["step"]] = rec["val_loss"]
        finals.append(last[steps])
    n = len(finals)
    mean = sum(finals) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in finals) / (n - 1))
    assert n == int(r["n"]), (cell, n, r["n"])
    assert abs(mean - float(r["val_loss_mean"])) < 1e-5, (cell, mean, r)
    assert abs(std - float(r["val_loss_std"])) < 1e-5, (cell, std, r)
    means[cell] = (mean, std / math.sqrt(n))
for r in rows:
    cell = r["norm"] + "_" + r["optimizer"]
    base = means[r["baseline"]]
    gap = means[cell][0] - base[0]
    spread = math.sqrt(means[cell][1] ** 2 + base[1] ** 2) if cell != r["baseline"] else 0
    assert abs(gap - float(r["gap"])) < 1e-5, (cell, gap, r)
    assert abs(spread - float(r["gap_spread"])) < 1e-5, (cell, spread, r)
print("summary.csv agrees with the metrics of", len(rows), "cells")
