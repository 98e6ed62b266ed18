#!/usr/bin/env bash
# Starts a data-parallel training binary as N processes on this machine the
# way a launcher without MPI does (torchrun style): RANK, WORLD_SIZE and
# LOCAL_RANK set, the NCCL id passed through a fresh file. Waits for all;
# rank 0's stderr goes to stderr, rank r's to <work>/rank<r>.log; exits
# non-zero when any rank fails.
# usage: launch_ranks.sh <N> <work dir> <binary> [binary args...]
set -euo pipefail
n=$1 work=$2
shift 2
mkdir -p "$work"
id="$work/nccl-id"
rm -f "$id"
pids=()
for ((r = 1; r < n; r++)); do
  RANK=$r WORLD_SIZE=$n LOCAL_RANK=$r "$@" --nccl-id-file "$id" \
    2> "$work/rank$r.log" &
  pids+=($!)
done
rc=0
RANK=0 WORLD_SIZE=$n LOCAL_RANK=0 "$@" --nccl-id-file "$id" || rc=$?
for ((r = 1; r < n; r++)); do
  wait "${pids[r - 1]}" || { echo "rank $r failed:" >&2; cat "$work/rank$r.log" >&2; rc=1; }
done
exit $rc
