"""PyTorch's time for the train step of a NormFuse spec's model, on a GPU.

The yardstick for bench/gpu_step.sh: a GPT of the spec's architecture,
written the way a PyTorch user would (token embedding, per layer a
pre-norm causal attention through scaled_dot_product_attention with RoPE
when the spec uses it and a pre-norm GELU (or SwiGLU) MLP, the final norm,
the LM head tied to the embedding when the spec ties it, cross-entropy),
fp32 master weights under bf16 autocast, gradient clipping, fused AdamW.
Full steps (forward, backward, clip, optimizer) on one fixed batch of
random tokens, timed after warm-up with CUDA events: ms/step, tokens/s,
model TFLOP/s and MFU counted two ways, 6N (6 FLOPs per trained parameter
per token, CudaStepBench's count) and 6N + 12 L T d (PaLM's, with the
attention's QK^T and PV over the full T x T, bench/cpu_step.sh's count).

usage:
  torch_gpt_cuda.py --shape DIR/gpt2-124m/shape.json            # eager, CUDA
  torch_gpt_cuda.py --shape A.json --shape B.json --compile     # torch.compile
  torch_gpt_cuda.py --device cpu --tiny                          # a test on the CPU

The shape file is what bench/gpu_prepare.sh writes for each spec (the
model section of `nfc spec`, the batch size, the optimizer and nfc's
parameter count). --tiny keeps the architecture and shrinks every size
(for testing the script on a CPU in seconds). --compile wraps the model in
torch.compile (PyTorch 2 and later; the first step's compile time is
reported separately and not timed). --json-out FILE writes one JSON object
per shape (a list).
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# What the script does when no shape file is given: gpt-tiny's model.
DEFAULT_SHAPE = {
    "name": "gpt-tiny", "vocab_size": 256, "d_model": 128, "n_layers": 4,
    "n_heads": 4, "d_ff": 512, "seq_len": 128, "batch_size": 16,
    "architecture": "pre_norm", "mlp": "gelu", "position": "rope",
    "rope_theta": 10000.0, "tie_embeddings": True, "init_std": 0.02,
    "attention_norm": {"kind": "rmsnorm", "eps": 1e-6, "bias": False},
    "ffn_norm": {"kind": "rmsnorm", "eps": 1e-6, "bias": False},
    "final_norm": {"kind": "rmsnorm", "eps": 1e-6, "bias": False},
    "optimizer": {"lr": 3e-3, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8,
                  "weight_decay": 0.1, "grad_clip": 1.0},
}


def fail(message):
    sys.exit(f"torch_gpt_cuda.py: error: {message}")


def load_shape(path):
    try:
        with open(path) as f:
            shape = json.load(f)
    except OSError as e:
        fail(f"{path}: cannot read: {e.strerror} (bench/gpu_prepare.sh writes DIR/<spec>/shape.json)")
    except json.JSONDecodeError as e:
        fail(f"{path}: not JSON: {e}")
    for key in ("vocab_size", "d_model", "n_layers", "n_heads", "seq_len", "batch_size"):
        if key not in shape:
            fail(f"{path}: no '{key}' (bench/gpu_prepare.sh writes DIR/<spec>/shape.json)")
    return shape


def check_supported(shape):
    """The architectures this GPT reproduces; anything else is refused."""
    if shape.get("architecture", "pre_norm") != "pre_norm":
        fail(f"{shape['name']}: architecture '{shape['architecture']}': only pre_norm is written here")
    if shape.get("mlp", "gelu") not in ("gelu", "swiglu"):
        fail(f"{shape['name']}: mlp '{shape['mlp']}' is not gelu or swiglu")
    if shape.get("position", "rope") not in ("rope", "learned", "none"):
        fail(f"{shape['name']}: position '{shape['position']}' is not rope, learned or none")
    if shape.get("qk_norm"):
        fail(f"{shape['name']}: qk_norm is not written here")
    if shape.get("embedding_scale"):
        fail(f"{shape['name']}: embedding_scale is not written here")
    for which in ("attention_norm", "ffn_norm", "final_norm"):
        kind = shape.get(which, {}).get("kind", "rmsnorm")
        if kind not in ("rmsnorm", "layernorm"):
            fail(f"{shape['name']}: {which} '{kind}' is not rmsnorm or layernorm")
    if shape["d_model"] % shape["n_heads"]:
        fail(f"{shape['name']}: d_model {shape['d_model']} is not divisible by n_heads {shape['n_heads']}")


def tiny(shape):
    """The same architecture at sizes a CPU steps through in well under a second."""
    s = dict(shape)
    s.update(name=shape.get("name", "model") + "-tiny", vocab_size=min(shape["vocab_size"], 512),
             d_model=64, n_layers=2, n_heads=2, seq_len=32, batch_size=2)
    s["d_ff"] = 256 if s.get("mlp", "gelu") == "gelu" else 176
    s.pop("trained_params", None)
    return s


class Norm(nn.Module):
    def __init__(self, d, spec):
        super().__init__()
        self.kind = spec.get("kind", "rmsnorm")
        self.eps = spec.get("eps", 1e-6)
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d)) if spec.get("bias") else None

    def forward(self, x):
        if self.kind == "layernorm":
            return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)
        if hasattr(F, "rms_norm"):  # PyTorch 2.4 and later
            y = F.rms_norm(x, (x.shape[-1],), self.weight, self.eps)
        else:
            xf = x.float()
            y = (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype) * self.weight
        return y + self.bias if self.bias is not None else y


def rope_tables(seq_len, head_dim, theta, device):
    inv = 1.0 / theta ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim)
    angles = torch.outer(torch.arange(seq_len, device=device, dtype=torch.float32), inv)
    return angles.cos(), angles.sin()  # [T, hd/2]


def apply_rope(x, cos, sin):
    """x: [B, H, T, hd]; rotates the pairs (i, i + hd/2) (the half-split layout)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    c, s = cos.to(x.dtype), sin.to(x.dtype)
    return torch.cat((x1 * c - x2 * s, x1 * s + x2 * c), dim=-1)


def causal_attention(q, k, v):
    if hasattr(F, "scaled_dot_product_attention"):  # PyTorch 2.0 and later
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    t = q.shape[-2]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    mask = torch.ones(t, t, dtype=torch.bool, device=q.device).triu(1)
    return scores.masked_fill(mask, float("-inf")).softmax(-1).to(v.dtype) @ v


class Block(nn.Module):
    def __init__(self, s):
        super().__init__()
        d, self.h = s["d_model"], s["n_heads"]
        self.attn_norm = Norm(d, s.get("attention_norm", {}))
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d, bias=False) for _ in range(4))
        self.ffn_norm = Norm(d, s.get("ffn_norm", {}))
        ff = s.get("d_ff") or 4 * d
        self.swiglu = s.get("mlp", "gelu") == "swiglu"
        self.w_up = nn.Linear(d, ff, bias=False)
        self.w_gate = nn.Linear(d, ff, bias=False) if self.swiglu else None
        self.w_down = nn.Linear(ff, d, bias=False)

    def forward(self, x, rope):
        b, t, d = x.shape
        y = self.attn_norm(x)
        q, k, v = (w(y).view(b, t, self.h, d // self.h).transpose(1, 2) for w in (self.wq, self.wk, self.wv))
        if rope is not None:
            q, k = apply_rope(q, *rope), apply_rope(k, *rope)
        x = x + self.wo(causal_attention(q, k, v).transpose(1, 2).reshape(b, t, d))
        y = self.ffn_norm(x)
        hidden = F.silu(self.w_gate(y)) * self.w_up(y) if self.swiglu else F.gelu(self.w_up(y))
        return x + self.w_down(hidden)


class GPT(nn.Module):
    def __init__(self, s):
        super().__init__()
        d, v, t = s["d_model"], s["vocab_size"], s["seq_len"]
        self.embed = nn.Embedding(v, d)
        self.pos = nn.Parameter(torch.zeros(t, d)) if s.get("position") == "learned" else None
        self.blocks = nn.ModuleList(Block(s) for _ in range(s["n_layers"]))
        self.final_norm = Norm(d, s.get("final_norm", {}))
        self.lm_head = None if s.get("tie_embeddings", True) else nn.Linear(d, v, bias=False)
        self.rope = s.get("position", "rope") == "rope"
        self.theta = s.get("rope_theta", 10000.0)
        self.hd = d // s["n_heads"]
        std = s.get("init_std", 0.02)
        for name, p in self.named_parameters():
            if p.dim() == 2:  # the spec's init: normal(std), wo and w_down std / sqrt(2 L)
                out = name.endswith("wo.weight") or name.endswith("w_down.weight")
                nn.init.normal_(p, 0.0, std / math.sqrt(2 * s["n_layers"]) if out else std)

    def forward(self, tokens, targets):
        x = self.embed(tokens)
        if self.pos is not None:
            x = x + self.pos
        rope = rope_tables(tokens.shape[1], self.hd, self.theta, tokens.device) if self.rope else None
        for block in self.blocks:
            x = block(x, rope)
        x = self.final_norm(x)
        logits = x @ self.embed.weight.t() if self.lm_head is None else self.lm_head(x)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), targets.reshape(-1))


def make_optimizer(model, opt, device):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": opt.get("weight_decay", 0.1)},
              {"params": rest, "weight_decay": 0.0}]
    kwargs = dict(lr=opt.get("lr", 3e-4), betas=(opt.get("beta1", 0.9), opt.get("beta2", 0.95)),
                  eps=opt.get("eps", 1e-8))
    if device.type == "cuda":
        try:
            return torch.optim.AdamW(groups, fused=True, **kwargs), "fused"
        except (TypeError, RuntimeError):
            pass
    return torch.optim.AdamW(groups, **kwargs), "default"


class Timer:
    """CUDA events on a GPU, the wall clock on the CPU."""

    def __init__(self, device):
        self.cuda = device.type == "cuda"

    def __enter__(self):
        if self.cuda:
            self.a, self.b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            self.a.record()
        else:
            self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if self.cuda:
            self.b.record()
            self.b.synchronize()
            self.ms = self.a.elapsed_time(self.b)
        else:
            self.ms = 1e3 * (time.perf_counter() - self.t0)


def run(shape, o, device):
    check_supported(shape)
    torch.manual_seed(1)
    model = GPT(shape).to(device)
    params = sum(p.numel() for p in model.parameters())
    opt_spec = shape.get("optimizer", {})
    optimizer, adamw = make_optimizer(model, opt_spec, device)
    clip = opt_spec.get("grad_clip", 1.0) or 0.0
    b, t, v = shape["batch_size"], shape["seq_len"], shape["vocab_size"]
    tokens = torch.randint(v, (b, t), device=device)
    targets = torch.randint(v, (b, t), device=device)
    forward = model
    compiled = False
    if o.compile:
        if not hasattr(torch, "compile"):
            fail(f"--compile needs PyTorch 2 or later; this is {torch.__version__}")
        forward = torch.compile(model)
        compiled = True
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=not o.no_autocast)

    def step():
        with autocast:
            loss = forward(tokens, targets)
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss

    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with Timer(device) as first:  # the compile, when there is one
        loss0 = float(step())
    with Timer(device):
        for _ in range(max(o.warmup - 1, 0)):
            step()
    with Timer(device) as timed:
        for _ in range(o.steps):
            loss = step()
    ms = timed.ms / o.steps
    n_tokens = b * t
    tok_s = n_tokens / (ms * 1e-3)
    dense = 6.0 * params
    palm = dense + 12.0 * shape["n_layers"] * t * shape["d_model"]
    r = {
        "model": shape.get("name", "model"), "mode": "compile" if compiled else "eager",
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "torch": torch.__version__, "batch": b, "seq_len": t, "params": params,
        "nfc_params": shape.get("trained_params"), "adamw": adamw, "autocast_bf16": not o.no_autocast,
        "sdpa": hasattr(F, "scaled_dot_product_attention"), "first_step_s": first.ms / 1e3,
        "loss_first": loss0, "loss_last": float(loss), "ms_per_step": ms, "tokens_per_s": tok_s,
        "tflops_6n": dense * tok_s / 1e12, "tflops_palm": palm * tok_s / 1e12,
        "peak_mem_mb": torch.cuda.max_memory_allocated(device) / 2**20 if device.type == "cuda" else None,
    }
    if o.peak_tflops > 0:
        r["peak_tflops"] = o.peak_tflops
        r["mfu_6n"] = r["tflops_6n"] / o.peak_tflops
        r["mfu_palm"] = r["tflops_palm"] / o.peak_tflops
    return r


def describe(r):
    line = (f"torch {r['mode']:<7} {r['model']}: {r['ms_per_step']:.3f} ms/step, {r['tokens_per_s']:.0f} tokens/s, "
            f"{r['tflops_6n']:.2f} TFLOP/s (6N), {r['tflops_palm']:.2f} (6N + 12LTd)")
    if "mfu_6n" in r:
        line += f", MFU {100 * r['mfu_6n']:.1f}% / {100 * r['mfu_palm']:.1f}% of {r['peak_tflops']:.0f}"
    line += f"; first step {r['first_step_s']:.1f} s; loss {r['loss_first']:.4f} -> {r['loss_last']:.4f}"
    line += f"; {r['params']} parameters"
    if r.get("nfc_params") and r["nfc_params"] != r["params"]:
        line += f" (nfc counts {r['nfc_params']}: NOT the same model)"
    if r.get("peak_mem_mb"):
        line += f"; peak {r['peak_mem_mb']:.0f} MB"
    return line


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shape", action="append", default=[], help="DIR/<spec>/shape.json (repeatable)")
    p.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    p.add_argument("--tiny", action="store_true", help="the same architecture at tiny sizes (tests)")
    p.add_argument("--compile", action="store_true", help="torch.compile the model (PyTorch 2+)")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first, the compile's included")
    p.add_argument("--peak-tflops", type=float, default=None,
                   help="for MFU (default 989, the dense bf16 datasheet rate, on a GPU; none on the CPU)")
    p.add_argument("--no-autocast", action="store_true", help="fp32 throughout")
    p.add_argument("--json-out", help="write the results here, a JSON list")
    o = p.parse_args()
    if o.steps < 1 or o.warmup < 1:
        fail("--steps and --warmup must be at least 1")
    if o.device == "cuda" and not torch.cuda.is_available():
        fail("--device cuda: PyTorch sees no CUDA GPU here (--device cpu --tiny tests the script)")
    device = torch.device(o.device)
    if o.peak_tflops is None:
        o.peak_tflops = 989.0 if device.type == "cuda" else 0.0
    shapes = [load_shape(path) for path in o.shape] or [dict(DEFAULT_SHAPE)]
    if o.tiny:
        shapes = [tiny(s) for s in shapes]
    results = []
    for s in shapes:
        r = run(s, o, device)
        results.append(r)
        print(describe(r), flush=True)
        if o.json_out:  # after every shape: a later one may be stopped by a time limit
            with open(o.json_out, "w") as f:
                json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
