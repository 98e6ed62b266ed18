"""The reference interpreter against PyTorch (float64), same weights.

usage: check_interpreter.py <module.mlir> <params.nfp> <tokens> <loss file>

Reads the parameters nfc eval used (NFPARAM1 format, f64) and its tokens,
runs the module's @forward with PyTorch (test/torch/nf_torch.py) and
compares the loss with the interpreter's: relative difference < 1e-6.
"""
import sys

import numpy as np
import torch

import nf_torch
from reference_model import read_params  # the NFPARAM1 reader


def main():
    ir_path, params_path, tokens_path, loss_path = sys.argv[1:5]
    ir = open(ir_path).read()
    params = read_params(params_path)
    header, _ = nf_torch.extract_function(ir, "forward")
    import re
    b, t = [int(x) for x in re.search(r"tensor<(\d+)x(\d+)xi32>", header).groups()]
    ids = np.fromfile(tokens_path, dtype="<i4")
    tokens = torch.from_numpy(ids[:b * t].reshape(b, t).copy())
    targets = torch.from_numpy(ids[b * t:].reshape(b, t).copy())
    nf_torch.set_params(params)
    loss, _ = nf_torch.run_forward(ir, params, tokens, targets)
    want = float(open(loss_path).read())
    rel = abs(loss.item() - want) / abs(want)
    print(f"interpreter {want:.17g} torch {loss.item():.17g} relative difference {rel:.2e}")
    sys.exit(0 if rel < 1e-6 else 1)


if __name__ == "__main__":
    main()
