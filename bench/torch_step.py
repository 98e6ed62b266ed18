"""The same train step in PyTorch eager: the spec's @forward graph executed
op by op by test/torch/nf_torch.py in float32, autograd backward, and
torch.optim.AdamW (or the Muon reference for --muon later). Prints one JSON
object like runtime/tools/StepBench.cpp.

usage: torch_step.py <forward.mlir> <steps> <warmup> <threads>
"""
import json
import os
import re
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "test", "torch"))
import nf_torch  # noqa: E402


def main():
    path, steps, warmup, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    ir = open(path).read()
    params = {}
    for m in re.finditer(r"nf\.param @([\w.]+) : tensor<((?:\d+x)*)f32> init <(\w+)(?:\(([^)]*)\))?> group <(\w+)>", ir):
        name, dims, kind, value, group = m.groups()
        shape = [int(d) for d in dims.split("x") if d]
        if kind == "normal":
            t = torch.randn(shape) * float(value)
        elif kind == "ones":
            t = torch.ones(shape)
        elif kind == "zeros":
            t = torch.zeros(shape)
        else:
            t = torch.full(shape, float(value))
        t.requires_grad_(group != "state")
        params[name] = t
    nf_torch.set_params(params)
    header, _ = nf_torch.extract_function(ir, "forward")
    b, t = [int(x) for x in re.search(r"tensor<(\d+)x(\d+)xi32>", header).groups()]
    vocab = params["embed.tokens"].shape[0]
    tokens = torch.randint(0, vocab, (b, t), dtype=torch.int32)
    targets = torch.randint(0, vocab, (b, t), dtype=torch.int32)
    trained = [p for p in params.values() if p.requires_grad]
    opt = torch.optim.AdamW(trained, lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)

    def step():
        opt.zero_grad(set_to_none=True)
        loss, _ = nf_torch.run_forward(ir, params, tokens, targets, dtype=torch.float32)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    dt = (time.perf_counter() - t0) / steps
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"model": "pytorch-eager", "tokens_per_step": b * t,
                      "ms_per_step": round(dt * 1e3, 3),
                      "tokens_per_s": round(b * t / dt, 1),
                      "peak_rss_mb": round(rss, 1), "threads": threads,
                      "loss": round(loss.item(), 6)}))


if __name__ == "__main__":
    main()
