"""Reads nvcc's `-Xptxas -v` output and reports registers and spills per
generated kernel and architecture; exits 1 on any spill (or when nothing
was compiled), naming the kernels that spill.

usage: ptxas_report.py <ptxas log> [<table out>]
"""
import re
import subprocess
import sys


def demangle(names):
    try:
        out = subprocess.run(["c++filt"], input="\n".join(names), text=True,
                             capture_output=True, check=True).stdout
        return out.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return names


def main():
    log = open(sys.argv[1]).read().splitlines()
    entries = []  # [mangled, arch, registers, spill stores, spill loads]
    current = None
    for line in log:
        m = re.search(r"Compiling entry function '(\S+)' for '(sm_\d+)'", line)
        if m:
            current = [m.group(1), m.group(2), None, 0, 0]
            entries.append(current)
            continue
        m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
        if m and current:
            current[3], current[4] = int(m.group(1)), int(m.group(2))
            continue
        m = re.search(r"Used (\d+) registers", line)
        if m and current:
            current[2] = int(m.group(1))
    if not entries:
        print("error: no kernel in the ptxas log")
        return 1
    names = demangle([e[0] for e in entries])
    rows = sorted(zip(names, entries), key=lambda r: (r[1][1], r[0]))
    table = ["arch   regs  spill-st  spill-ld  kernel"]
    for name, (_, arch, regs, st, ld) in rows:
        name = re.sub(r"^(void )?nfrt::cuda::", "", name)
        name = re.sub(r"\(.*\)$", "", name)  # the parameter list
        table.append(f"{arch}  {regs:4d}  {st:8d}  {ld:8d}  {name}")
    if len(sys.argv) > 2:
        open(sys.argv[2], "w").write("\n".join(table) + "\n")
    spills = [(n, e[1]) for n, e in rows if e[3] or e[4]]
    for n, arch in spills:
        print(f"error: {n} spills registers on {arch}")
    print(f"{len(entries)} kernels compiled, {len(spills)} spill, "
          f"max {max(e[2] or 0 for e in entries)} registers")
    return 1 if spills else 0


if __name__ == "__main__":
    sys.exit(main())
