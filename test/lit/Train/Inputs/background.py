#!/usr/bin/env python3
# Starts a training binary in the background, waits until its metrics file
# has a record (the run holds its directory's lock and is mid-run), then
# sends signals to it and/or runs a second command, and reports how the
# binary ended: "exit N" or "killed by SIGNAME" on stdout. The binary's
# stderr passes through.
#
#   background.py --metrics FILE [--signal INT --signal INT ...] [--gap S]
#                 [--rank R --binary PATH] [--then "shell command"]
#                 -- command args...
#
# With --rank, the signals go to the process running PATH as rank R
# instead of the command (mpirun, a launcher script): the process whose
# environment has OMPI_COMM_WORLD_RANK=R (or --rank-var's name instead).
#
# Signals sent back to back would merge into one pending signal: --gap
# waits between them (default 0.2 s).
import argparse
import os
import signal
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--metrics", required=True)
parser.add_argument("--signal", action="append", default=[])
parser.add_argument("--gap", type=float, default=0.2)
parser.add_argument("--then", default=None)
parser.add_argument("--rank", default=None)
parser.add_argument("--binary", default=None)
parser.add_argument("--rank-var", default="OMPI_COMM_WORLD_RANK")
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command

def default_signals():
    # lit's workers ignore SIGINT, and an ignored signal stays ignored in
    # children (the binary respects that, as for nohup): give the binary a
    # terminal's defaults.
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


proc = subprocess.Popen(command, preexec_fn=default_signals)
print("started pid %d" % proc.pid)
sys.stdout.flush()
deadline = time.time() + 120
while True:
    try:
        with open(args.metrics) as f:
            if '"step":' in f.read():
                break
    except FileNotFoundError:
        pass
    if proc.poll() is not None:
        print("finished before its first record: exit %d" % proc.returncode)
        sys.exit(1)
    if time.time() > deadline:
        proc.kill()
        print("no record after 120 s")
        sys.exit(1)
    time.sleep(0.005)

if args.then:
    second = subprocess.run(args.then, shell=True, stderr=subprocess.STDOUT,
                            stdout=subprocess.PIPE, text=True)
    sys.stdout.write(second.stdout)
    print("second command: exit %d" % second.returncode)
    sys.stdout.flush()
    if not args.signal:
        args.signal = ["TERM"]
target = proc.pid
if args.rank is not None:
    want = ("%s=%s" % (args.rank_var, args.rank)).encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            exe = os.readlink("/proc/%s/exe" % pid)
            with open("/proc/%s/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if exe == os.path.realpath(args.binary) and want in env:
            found.append(int(pid))
    if len(found) != 1:
        print("rank %s of %s: found %s" % (args.rank, args.binary, found))
        proc.kill()
        sys.exit(1)
    target = found[0]
for i, name in enumerate(args.signal):
    if i > 0:
        time.sleep(args.gap)
    os.kill(target, getattr(signal, "SIG" + name))
rc = proc.wait()
if rc < 0:
    print("killed by %s" % signal.Signals(-rc).name)
else:
    print("exit %d" % rc)
