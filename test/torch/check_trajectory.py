"""Checks a compiled training trajectory against PyTorch, step by step.

usage: check_trajectory.py <lowered.mlir> <step-check output dir>

From the same initial parameters and the same batches, PyTorch (float64)
runs the @forward graph with autograd, then @optimizer_step with torch's
own AdamW (torch.optim._functional.adamw) and the Muon reference. Each
step's loss must agree within 1e-4 relative, and the parameters after the
last step within 1e-3 relative (fp32 against float64 through every step).
"""
import json
import sys

import numpy as np
import torch

import nf_torch

TOL_LOSS = 1e-4
TOL_PARAMS = 1e-3


def main():
    ir_path, out = sys.argv[1], sys.argv[2]
    ir = open(ir_path).read()
    table = json.load(open(f"{out}/table.json"))
    traj = json.load(open(f"{out}/trajectory.json"))
    flat = np.fromfile(f"{out}/params.f32", dtype=np.float32)
    final = np.fromfile(f"{out}/trajectory_params.f32", dtype=np.float32)
    toks = np.fromfile(f"{out}/trajectory_tokens.i32", dtype=np.int32)
    b, t = table["batch"], table["seq"]
    values = {}
    for p in table["params"]:
        n = int(np.prod(p["shape"])) if p["shape"] else 1
        values[p["name"]] = torch.from_numpy(
            flat[p["offset"]:p["offset"] + n].astype(np.float64)).reshape(p["shape"])
    trained = [p["name"] for p in table["params"] if p["grad"] >= 0]
    ok = True
    for step, want in enumerate(traj["loss"]):
        chunk = toks[step * 2 * b * t:(step + 1) * 2 * b * t]
        tokens = torch.from_numpy(chunk[:b * t].reshape(b, t).copy())
        targets = torch.from_numpy(chunk[b * t:].reshape(b, t).copy())
        params = {k: v.clone().requires_grad_(k in trained) for k, v in values.items()}
        nf_torch.set_params(params)
        loss, states = nf_torch.run_forward(ir, params, tokens, targets)
        loss.backward()
        values.update(states)
        grads = [params[k].grad for k in trained]
        norm, lr = nf_torch.run_optimizer_step(ir, values, grads)
        rel = abs(want - loss.item()) / abs(loss.item())
        flag = "" if rel < TOL_LOSS else "  <-- FAIL"
        print(f"step {step + 1}: compiled {want:.7f} torch {loss.item():.7f} "
              f"rel {rel:.1e} | grad_norm {traj['grad_norm'][step]:.6f} "
              f"vs {float(norm):.6f} | lr {traj['lr'][step]:.3e}{flag}")
        ok &= rel < TOL_LOSS
    worst = 0.0
    for p in table["params"]:
        n = int(np.prod(p["shape"])) if p["shape"] else 1
        got = torch.from_numpy(final[p["offset"]:p["offset"] + n].astype(np.float64))
        ref = values[p["name"]].reshape(-1)
        err = (got - ref).norm().item() / max(ref.norm().item(), 1e-12)
        worst = max(worst, err)
        if err >= TOL_PARAMS:
            print(f"parameter {p['name']}: rel {err:.2e}  <-- FAIL")
            ok = False
    print(f"parameters after {len(traj['loss'])} steps: worst relative error {worst:.2e}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
