"""Prints the better of two benchmark records (JSON objects with
tokens_per_s); the second may be empty. A record's sgemm_gflops, where
present, becomes the higher of the two, so the GEMM-bound limit computed
from the kept record is the strictest one measured."""
import json
import sys

a = json.loads(sys.argv[1])
b = json.loads(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
best = a if b is None or a["tokens_per_s"] > b["tokens_per_s"] else b
if b is not None and "sgemm_gflops" in a and "sgemm_gflops" in b:
    best = dict(best, sgemm_gflops=max(a["sgemm_gflops"], b["sgemm_gflops"]))
print(json.dumps(best))
