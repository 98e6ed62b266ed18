"""The model of a NormFuse spec, written directly in PyTorch (float64).

usage: reference_model.py <spec.json> <params.nfp> <tokens> [--expect-loss X]
       reference_model.py <spec.json> --check <dir>...

  spec.json    the resolved spec, as `nfc spec` prints it (strict JSON)
  params.nfp   parameters in the NFPARAM1 format (nfc eval --save-params)
  tokens       raw little-endian int32: B*T tokens then B*T targets
               (nfc eval --save-tokens); B follows from the file's size

Prints `loss: <%.17g>`, the mean cross-entropy of the model on the tokens.
With --expect-loss (the reference interpreter's loss) it prints both and
their relative difference, and exits 1 unless it is below 1e-6. --check
does that for each directory holding params.nfp, tokens.i32 and loss.txt
(nfc eval --save-loss), in one process (importing torch takes a second).

This is a second, independent reading of the model: it never sees nf IR.
It follows lib/Spec/Importer.cpp's parameter names and architecture and
the formulas of docs/math.md, but computes them the PyTorch way
(F.layer_norm, RoPE as complex rotation, batched matmul attention,
F.cross_entropy), so a mistake in the importer or in the interpreter shows
up as a difference.
Every tensor of the parameter file must be used, and every parameter the
model reads must be in the file.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

DTYPE = torch.float64


def read_params(path):
    """NFPARAM1 (lib/Interpreter, ParamFile.h): magic, u32 count, then per
    tensor u32 name length, name, u32 rank, i64 dims, f64 values."""
    data = open(path, "rb").read()
    if data[:8] != b"NFPARAM1":
        sys.exit(f"{path}: not a parameter file")
    (count,) = struct.unpack_from("<I", data, 8)
    at, params = 12, {}
    for _ in range(count):
        (n,) = struct.unpack_from("<I", data, at)
        name = data[at + 4:at + 4 + n].decode()
        at += 4 + n
        (rank,) = struct.unpack_from("<I", data, at)
        shape = list(struct.unpack_from(f"<{rank}q", data, at + 4))
        at += 4 + 8 * rank
        numel = int(np.prod(shape)) if shape else 1
        values = np.frombuffer(data, dtype="<f8", count=numel, offset=at)
        params[name] = torch.from_numpy(values.copy()).reshape(shape)
        at += 8 * numel
    if at != len(data):
        sys.exit(f"{path}: {len(data) - at} bytes after the last tensor")
    return params


def read_tokens(path, seq_len):
    ids = np.fromfile(path, dtype="<i4")
    n = len(ids) // 2
    if len(ids) % 2 or n % seq_len:
        sys.exit(f"{path}: {len(ids)} ids are not 2 x B x {seq_len}")
    batch = n // seq_len
    tokens = torch.from_numpy(ids[:n].astype(np.int64)).reshape(batch, seq_len)
    targets = torch.from_numpy(ids[n:].astype(np.int64)).reshape(batch, seq_len)
    return tokens, targets


class Params:
    """The parameter file by name; remembers which tensors the model read."""

    def __init__(self, tensors):
        self.tensors = tensors
        self.used = set()

    def __call__(self, name, shape):
        if name not in self.tensors:
            sys.exit(f"the parameter file has no '{name}' (the importer "
                     f"and the reference model disagree on names)")
        t = self.tensors[name]
        if list(t.shape) != list(shape):
            sys.exit(f"'{name}' has shape {list(t.shape)}, the model "
                     f"expects {list(shape)}")
        self.used.add(name)
        return t

    def unused(self):
        return sorted(set(self.tensors) - self.used)


def normalization(x, cfg, prefix, p):
    """The parameter-free part of a norm layer (docs/math.md#normalizations),
    over the last dimension."""
    kind = cfg["kind"]
    if kind == "rmsnorm":
        # torch 1.13 has no F.rms_norm: eps inside the sqrt
        # (docs/math.md#rmsnorm).
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + cfg["eps"])
    if kind == "layernorm":
        # PyTorch's own LayerNorm without its affine part
        # (docs/math.md#layernorm).
        return F.layer_norm(x, (x.shape[-1],), eps=cfg["eps"])
    alpha = p(prefix + ".alpha", [])
    if kind == "dyt":
        return torch.tanh(alpha * x)
    shift = p(prefix + ".shift", [])
    if kind == "derf":
        return torch.erf(alpha * x + shift)
    if kind == "derf_ema":
        # r' = m r + (1 - m) mean over rows of rms(row), no eps and no
        # gradient through r; y = erf(alpha x / (blend r' + 1 - blend) + s).
        running = p(prefix + ".running_rms", [])
        m, blend = cfg["ema_momentum"], cfg["ema_blend"]
        batch_rms = x.detach().pow(2).mean(-1).sqrt().mean()
        running = m * running + (1 - m) * batch_rms
        return torch.erf(alpha * x / (blend * running + (1 - blend)) + shift)
    sys.exit(f"unknown norm kind {kind}")


def norm(x, cfg, prefix, p):
    """A norm layer: normalization, then its scale vector, then its bias."""
    d = x.shape[-1]
    y = normalization(x, cfg, prefix, p) * p(prefix + ".scale", [d])
    if cfg["bias"]:
        y = y + p(prefix + ".bias", [d])
    return y


def rope(x, theta):
    """Rotary embeddings on [B, T, H, hd] as Meta's LLaMA code writes them:
    channel pairs (2i, 2i+1) are complex numbers rotated by
    exp(1j * t * theta^(-2i/hd))."""
    b, t, h, hd = x.shape
    freqs = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=DTYPE) / hd)
    angles = torch.outer(torch.arange(t, dtype=DTYPE), freqs)
    rotation = torch.polar(torch.ones_like(angles), angles)[None, :, None, :]
    pairs = torch.view_as_complex(x.reshape(b, t, h, hd // 2, 2).contiguous())
    return torch.view_as_real(pairs * rotation).reshape(b, t, h, hd)


def attention(x, prefix, model, p):
    b, t, d = x.shape
    heads = model["n_heads"]
    hd = d // heads

    def project(name):
        return F.linear(x, p(f"{prefix}.{name}", [d, d])).view(b, t, heads, hd)

    q, k, v = project("wq"), project("wk"), project("wv")
    if model["qk_norm"] is not None:
        q = norm(q, model["qk_norm"], prefix + ".q_norm", p)
        k = norm(k, model["qk_norm"], prefix + ".k_norm", p)
    if model["position"] == "rope":
        q, k = rope(q, model["rope_theta"]), rope(k, model["rope_theta"])
    q, k, v = (z.transpose(1, 2) for z in (q, k, v))  # [B, H, T, hd]
    scores = q @ k.transpose(-2, -1) / math.sqrt(hd)
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    scores = scores.masked_fill(~causal, float("-inf"))
    o = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
    return F.linear(o, p(prefix + ".wo", [d, d]))


def feed_forward(x, prefix, model, p):
    d, dff = model["d_model"], model["d_ff"]
    if model["mlp"] == "swiglu":
        h = F.silu(F.linear(x, p(prefix + ".w_gate", [dff, d])))
        h = h * F.linear(x, p(prefix + ".w_up", [dff, d]))
    else:
        # Exact (erf) GELU, F.gelu's default.
        h = F.gelu(F.linear(x, p(prefix + ".w_up", [dff, d])))
    return F.linear(h, p(prefix + ".w_down", [d, dff]))


def forward_loss(spec, p, tokens, targets):
    model = spec["model"]
    vocab, d, seq = model["vocab_size"], model["d_model"], model["seq_len"]
    table = p("embed.tokens", [vocab, d])
    x = F.embedding(tokens, table)
    if model["position"] == "learned":
        x = x + p("embed.positions", [seq, d])
    # The learnable embedding scale multiplies after the positions are
    # added (DyT's LLaMA setup, Derf's nanoGPT patch).
    if model["embedding_scale"]:
        x = x * p("embed.scale", [])
    arch = model["architecture"]
    for i in range(model["n_layers"]):
        layer = f"layers.{i}"
        attn_cfg, ffn_cfg = model["attention_norm"], model["ffn_norm"]
        if arch == "pre_norm":
            x = x + attention(norm(x, attn_cfg, layer + ".attn_norm", p),
                              layer + ".attn", model, p)
            x = x + feed_forward(norm(x, ffn_cfg, layer + ".ffn_norm", p),
                                 layer + ".ffn", model, p)
        elif arch == "post_norm":
            x = norm(x + attention(x, layer + ".attn", model, p), attn_cfg,
                     layer + ".attn_norm", p)
            x = norm(x + feed_forward(x, layer + ".ffn", model, p), ffn_cfg,
                     layer + ".ffn_norm", p)
        elif arch == "peri_norm":
            a = attention(norm(x, attn_cfg, layer + ".attn_norm", p),
                          layer + ".attn", model, p)
            x = x + norm(a, attn_cfg, layer + ".attn_out_norm", p)
            f = feed_forward(norm(x, ffn_cfg, layer + ".ffn_norm", p),
                             layer + ".ffn", model, p)
            x = x + norm(f, ffn_cfg, layer + ".ffn_out_norm", p)
        else:
            sys.exit(f"unknown architecture {arch}")
    if arch != "post_norm":
        x = norm(x, model["final_norm"], "final_norm", p)
    head = table if model["tie_embeddings"] else p("lm_head.weight",
                                                   [vocab, d])
    logits = F.linear(x, head)
    return F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))


def reference_loss(spec, params_path, tokens_path):
    p = Params(read_params(params_path))
    tokens, targets = read_tokens(tokens_path, spec["model"]["seq_len"])
    with torch.no_grad():
        loss = forward_loss(spec, p, tokens, targets).item()
    if p.unused():
        sys.exit(f"{params_path}: the model never read "
                 f"{', '.join(p.unused())}")
    return loss


def compare(label, want, loss):
    """Prints both losses; True when they agree to 1e-6 relative."""
    rel = abs(loss - want) / abs(want)
    print(f"{label}: interpreter {want:.17g} torch {loss:.17g} "
          f"relative difference {rel:.2e}")
    return rel < 1e-6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec")
    parser.add_argument("params", nargs="?")
    parser.add_argument("tokens", nargs="?")
    parser.add_argument("--expect-loss", type=float)
    parser.add_argument("--check", nargs="+", metavar="DIR", default=[])
    args = parser.parse_args()
    if bool(args.check) == bool(args.params and args.tokens):
        parser.error("give either <params> <tokens> or --check <dir>...")
    torch.set_num_threads(1)
    with open(args.spec) as f:
        spec = json.load(f)
    name = spec["model"]["name"]
    if not args.check:
        loss = reference_loss(spec, args.params, args.tokens)
        if args.expect_loss is None:
            print(f"loss: {loss:.17g}")
        elif not compare(name, args.expect_loss, loss):
            sys.exit(1)
        return
    ok = True
    for d in args.check:
        with open(os.path.join(d, "loss.txt")) as f:
            want = float(f.read())
        loss = reference_loss(spec, os.path.join(d, "params.nfp"),
                              os.path.join(d, "tokens.i32"))
        ok &= compare(f"{name} {os.path.basename(d)}", want, loss)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
