"""Checks one compiled CPU train step against PyTorch autograd (float64).

usage: check_step.py <lowered.mlir> <step-check output dir>
                     [--result result.f32] [--bf16 [--tol X]]

The loss and every parameter's gradient from the generated C++ (fp32) are
compared with torch.autograd on the same @forward graph and the same
parameters and tokens. Prints one line per tensor and exits 1 when a
relative error ||g - g_ref|| / max(||g_ref||, 1e-4 ||all gradients||)
exceeds the tolerance.

--result takes the loss and gradients from another run on the same inputs
(a CUDA step: runtime/tools/CudaStepCheck.cpp draws what StepCheck draws).
--bf16 judges a CUDA bf16-mode step against PyTorch rounding where bf16
mode rounds (bf16_policy.py), at --tol (default 2e-3), tensors under 1e-3
of the whole gradient against 1e-3 of the whole: it checks that the
rounding happens where docs/cuda.md says, and nowhere else.
"""
import json
import sys

import numpy as np
import torch

import nf_torch

TOL_LOSS = 1e-5
TOL_GRAD = 1e-5  # fp32 end-to-end through every layer vs float64


def main():
    args = sys.argv[1:]
    ir_path, out = args[0], args[1]
    result_path, bf16, tol, floor_fraction = f"{out}/result.f32", False, TOL_GRAD, 1e-4
    tol_loss = TOL_LOSS
    i = 2
    while i < len(args):
        if args[i] == "--result":
            result_path, i = args[i + 1], i + 2
        elif args[i] == "--bf16":
            bf16, tol, tol_loss, floor_fraction, i = True, 2e-3, 2e-3, 1e-3, i + 1
        elif args[i] == "--tol":
            tol = tol_loss = float(args[i + 1])
            i += 2
        else:
            sys.exit(f"check_step.py: error: unknown argument '{args[i]}'")
    ir = open(ir_path).read()
    table = json.load(open(f"{out}/table.json"))
    flat = np.fromfile(f"{out}/params.f32", dtype=np.float32)
    result = np.fromfile(result_path, dtype=np.float32)
    toks = np.fromfile(f"{out}/tokens.i32", dtype=np.int32)
    b, t = table["batch"], table["seq"]
    tokens = torch.from_numpy(toks[: b * t].reshape(b, t).copy())
    targets = torch.from_numpy(toks[b * t:].reshape(b, t).copy())

    params = {}
    for p in table["params"]:
        n = int(np.prod(p["shape"])) if p["shape"] else 1
        v = torch.from_numpy(flat[p["offset"]:p["offset"] + n].astype(np.float64))
        v = v.reshape(p["shape"]).clone()
        v.requires_grad_(p["grad"] >= 0)
        params[p["name"]] = v
    nf_torch.set_params(params)
    loss, _ = nf_torch.run_forward(ir, params, tokens, targets, bf16=bf16)
    loss.backward()

    ok = True
    ref_loss = loss.item()
    rel = abs(result[0] - ref_loss) / abs(ref_loss)
    print(f"loss: compiled {result[0]:.9g} torch {ref_loss:.12g} rel {rel:.2e}")
    ok &= rel < tol_loss
    # A tensor whose gradient is 1e4 times smaller than the whole gradient
    # (a Derf shift at init: ~1e-7) is judged against 1e-4 of the whole:
    # fp32 sums of such near-cancelling terms carry no 1e-5 relative digits.
    total = torch.sqrt(sum(params[p["name"]].grad.pow(2).sum()
                           for p in table["params"] if p["grad"] >= 0)).item()
    floor = floor_fraction * total
    worst = 0.0
    for p in table["params"]:
        if p["grad"] < 0:
            continue
        ref = params[p["name"]].grad
        n = ref.numel()
        got = torch.from_numpy(result[1 + p["grad"]:1 + p["grad"] + n]
                               .astype(np.float64)).reshape(ref.shape)
        denom = ref.norm().item()
        err = (got - ref).norm().item() / max(denom, floor, 1e-30)
        worst = max(worst, err)
        flag = "" if err < tol else "  <-- FAIL"
        print(f"grad {p['name']}: |ref| {denom:.3e} rel {err:.2e}{flag}")
        ok &= err < tol
    print(f"worst gradient relative error {worst:.2e} (tolerance {tol:g})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
