"""Per-kernel table of an Nsight Compute report, for bench/gpu_step.sh.

usage: ncu_summary.py RAW.csv [--top N] [--title TEXT]

RAW.csv is `ncu --import REPORT.ncu-rep --csv --page raw`: a header row of
column names (ID, Kernel Name, then one column per metric), a row of units,
then one row per profiled launch. Launches are grouped by kernel (the name
without its template arguments and parameters) and printed with their
count, mean duration, and the achieved throughputs Nsight's "Speed Of
Light" section reports as percentages of the GPU's peak: SM (compute),
memory (the busiest of L1, L2 and DRAM) and DRAM; plus achieved occupancy,
registers per thread and shared memory per block where the report has them.
"""
import argparse
import csv
import re
import sys

COLUMNS = [  # (metric, heading, format)
    ("sm__throughput.avg.pct_of_peak_sustained_elapsed", "SM %", "{:6.1f}"),
    ("gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed", "mem %", "{:6.1f}"),
    ("dram__throughput.avg.pct_of_peak_sustained_elapsed", "DRAM %", "{:6.1f}"),
    ("sm__warps_active.avg.pct_of_peak_sustained_active", "occ %", "{:6.1f}"),
    ("launch__registers_per_thread", "regs", "{:5.0f}"),
    ("launch__shared_mem_per_block_dynamic", "dyn smem", "{:8.0f}"),
]
DURATION = "gpu__time_duration.sum"
TO_US = {"nsecond": 1e-3, "ns": 1e-3, "usecond": 1.0, "us": 1.0, "msecond": 1e3, "ms": 1e3,
         "second": 1e6, "s": 1e6}


def short_name(name):
    """'void nfrt::cuda::fooKernel<16, bf16>(float const*, ...)' -> 'fooKernel'."""
    name = re.sub(r"^void\s+", "", name.strip())
    depth, out = 0, []
    for ch in name:  # drop the template arguments, nested or not
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(ch)
    name = "".join(out).split("(")[0].strip()
    return name.split("::")[-1] or name


def number(text):
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("csv")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--title", default="")
    o = p.parse_args()
    try:
        with open(o.csv, newline="") as f:
            rows = [r for r in csv.reader(f) if r]
    except OSError as e:
        sys.exit(f"ncu_summary.py: error: {o.csv}: {e.strerror}")
    # ncu may print ==PROF== lines before the table: the header starts with "ID".
    start = next((i for i, r in enumerate(rows) if r[0] == "ID"), None)
    if start is None or len(rows) < start + 2:
        sys.exit(f"ncu_summary.py: error: {o.csv}: no ncu raw table (a row starting with \"ID\")")
    header, units, data = rows[start], rows[start + 1], rows[start + 2:]
    col = {name: i for i, name in enumerate(header)}
    name_col = col.get("Kernel Name", col.get("Function Name"))
    if name_col is None or DURATION not in col:
        sys.exit(f"ncu_summary.py: error: {o.csv}: no 'Kernel Name' or '{DURATION}' column")
    scale = TO_US.get(units[col[DURATION]].strip(), None)
    if scale is None:
        sys.exit(f"ncu_summary.py: error: {o.csv}: unknown duration unit '{units[col[DURATION]]}'")
    present = [(m, h, f) for m, h, f in COLUMNS if m in col]
    groups = {}
    for r in data:
        if len(r) < len(header) or number(r[col[DURATION]]) is None:
            continue
        g = groups.setdefault(short_name(r[name_col]), {"n": 0, "us": 0.0, "sums": {}, "counts": {}})
        g["n"] += 1
        g["us"] += number(r[col[DURATION]]) * scale
        for m, _, _ in present:
            v = number(r[col[m]])
            if v is not None:
                g["sums"][m] = g["sums"].get(m, 0.0) + v
                g["counts"][m] = g["counts"].get(m, 0) + 1
    if not groups:
        sys.exit(f"ncu_summary.py: error: {o.csv}: no profiled launches")
    total = sum(g["us"] for g in groups.values())
    launches = sum(g["n"] for g in groups.values())
    if o.title:
        print(o.title)
    print(f"{launches} launches of {len(groups)} kernels, {total / 1e3:.3f} ms in all "
          f"(ncu: serialized launches, clocks as found)")
    print(f"  {'mean us':>9} {'n':>4} {'share':>6} " + " ".join(f"{h:>{max(6, len(h))}}" for _, h, _ in present)
          + "  kernel")
    for name, g in sorted(groups.items(), key=lambda kv: -kv[1]["us"])[:o.top]:
        cells = []
        for m, h, fmt in present:
            w = max(6, len(h))
            if g["counts"].get(m):
                cells.append(f"{fmt.format(g['sums'][m] / g['counts'][m]):>{w}}")
            else:
                cells.append(f"{'-':>{w}}")
        print(f"  {g['us'] / g['n']:9.1f} {g['n']:4d} {100 * g['us'] / total:5.1f}% " + " ".join(cells)
              + f"  {name}")


if __name__ == "__main__":
    main()
