"""The CUDA target's bf16 mode, emulated in PyTorch (float64 arithmetic).

bf16 mode rounds in exactly two kinds of places (docs/cuda.md, Precision;
lib/Codegen/CudaEmitter.cpp bf16Activations):
  - a stored activation: the [B, T, ...] results of linear maps,
    normalizations and their scales, nonlinearities, gated products and
    attention are stored in bf16 (and read back from there, also by the
    backward); the residual stream (embedding and nf.add results, whatever
    is added, and these scaled or biased by parameters), every gradient and
    the parameters are not;
  - the train step's cross-entropy gradient dlogits, when the fused kernel
    writes it in bf16 over the bf16 logits of the head (CudaEmitter.cpp
    logitsGradsInPlace: logits of a linear map, read by the cross-entropy
    alone): rounded once where it is computed (logits_grad below). The
    head's backward rounds its dy to bf16 anyway, so this is the same
    rounding, made by the loss kernel instead of the GEMM's input copy;
    likewise any other gradient read only as GEMMs' dy (onlyGemmGradInput:
    GELU's and SiLU's input gradients, attention's dq, dk, dv) is stored in
    bf16 as its kernel writes it, the rounding _LinearBf16.backward makes
    here, so nothing below changes for it;
  - a GEMM's inputs: the linear maps multiply bf16(x) and bf16(W) (forward)
    and bf16(dy) with bf16(W) and bf16(x) (backward), accumulating in fp32;
    flash attention (head dims 16..128 in steps of 16) multiplies bf16 q, k
    (after RoPE), v and dO, and rounds P and dS to bf16 where they enter a
    product (attention() below).
Everything else is exact here (float64). The CUDA bf16 step computes in
fp32 between the roundings, so the two differ by fp32 arithmetic and by
the rare element that fp32 and float64 round to neighbouring bf16 values:
far less than the rounding itself, which is what comparing them checks
(test/torch/check_step.py --bf16).
"""
import re

import torch


def round_bf16(x):
    """x rounded to bf16 (nearest even, through fp32 as the kernels round)
    and widened back."""
    return x.to(torch.float32).to(torch.bfloat16).to(x.dtype)


class _Stored(torch.autograd.Function):
    """A value stored in bf16: rounded once; its gradient passes unrounded
    (gradients are fp32)."""

    @staticmethod
    def forward(ctx, x):
        return round_bf16(x)

    @staticmethod
    def backward(ctx, g):
        return g


class _GradBf16(torch.autograd.Function):
    """The identity, whose gradient is rounded to bf16: the logits in front
    of the cross-entropy when its dlogits are written in bf16."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, g):
        return round_bf16(g)


class _LinearBf16(torch.autograd.Function):
    """y = bf16(x) bf16(W)^T; dx = bf16(dy) bf16(W); dW = bf16(dy)^T bf16(x)."""

    @staticmethod
    def forward(ctx, x, w):
        xb, wb = round_bf16(x), round_bf16(w)
        ctx.save_for_backward(xb, wb)
        return xb @ wb.transpose(0, 1)

    @staticmethod
    def backward(ctx, g):
        xb, wb = ctx.saved_tensors
        gb = round_bf16(g)
        dx = gb @ wb
        dw = gb.reshape(-1, gb.shape[-1]).transpose(0, 1) @ xb.reshape(
            -1, xb.shape[-1])
        return dx, dw


class _FlashAttention(torch.autograd.Function):
    """Causal attention of [B, T, H, HD] (q, k already rotated) as
    runtime/include/nfrt/cuda/FlashAttentionKernels.cuh rounds it:
      O  = bf16(exp(S - m)) bf16(v) / l,  S = bf16(q) bf16(k)^T / sqrt(HD);
      dP = bf16(dO) bf16(v)^T, D = sum_c dO bf16(O) (the forward's stored
      output), dS = P (dP - D) / sqrt(HD);
      dq = bf16(dS) bf16(k), dk = bf16(dS)^T bf16(q), dv = bf16(P)^T bf16(dO).
    The kernel's forward rounds exp(S - m) at the running max of its key
    tiles, not the final one: a rounding of the same size elsewhere."""

    @staticmethod
    def forward(ctx, q, k, v):
        qb, kb, vb = (round_bf16(z).permute(0, 2, 1, 3) for z in (q, k, v))
        t, d = qb.shape[2], qb.shape[3]
        s = qb @ kb.transpose(-1, -2) / d ** 0.5
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        s = s.masked_fill(mask, float("-inf"))
        e = torch.exp(s - s.amax(-1, keepdim=True))
        l = e.sum(-1, keepdim=True)
        out = (round_bf16(e) @ vb) / l
        ctx.save_for_backward(qb, kb, vb, e / l, round_bf16(out))
        return out.permute(0, 2, 1, 3)

    @staticmethod
    def backward(ctx, g):
        qb, kb, vb, p, ob = ctx.saved_tensors
        g = g.permute(0, 2, 1, 3)
        gb = round_bf16(g)
        dp = gb @ vb.transpose(-1, -2)
        dsum = (g * ob).sum(-1, keepdim=True)
        ds = round_bf16(p * (dp - dsum) / qb.shape[3] ** 0.5)
        dq = ds @ kb
        dk = ds.transpose(-1, -2) @ qb
        dv = round_bf16(p).transpose(-1, -2) @ gb
        return tuple(z.permute(0, 2, 1, 3) for z in (dq, dk, dv))


def flash_eligible(head_dim):
    """Whether the CUDA emitter runs flash attention (CudaEmitter.cpp)."""
    return head_dim % 16 == 0 and head_dim <= 128


def attention(q, k, v, rotate):
    """bf16 mode's attention; `rotate` applies RoPE (exact, differentiable:
    the kernels rotate in fp32 and un-rotate dq, dk)."""
    return _FlashAttention.apply(rotate(q), rotate(k), v)


def stored(x):
    return _Stored.apply(x)


def linear(x, w):
    return _LinearBf16.apply(x, w)


def logits_grad(x):
    return _GradBf16.apply(x)


def bf16_logits_grads(body):
    """The logits whose cross-entropy gradient bf16 mode writes in bf16 in
    place (CudaEmitter.cpp logitsGradsInPlace): results of a linear map
    (nf.linear, or nf.fused_norm_linear with one weight: the train step's
    backward is nf.linear_grad either way) that an nf.cross_entropy reads
    and nothing else does (the caller checks that they are stored in
    bf16)."""
    defs, uses, logits = {}, {}, set()
    for line in body:
        line = line.strip()
        m = _LINE.match(line)
        if m:
            defs[m.group(1)] = m.group(2)
            if m.group(2) == "nf.cross_entropy":
                logits.add(_NAME.findall(m.group(3))[0])
        # The operands: after the results (if any), before the types.
        rhs = re.sub(r"^%[\w.:#]+(?:, *%[\w.:#]+)* = ", "", line)
        for v in _NAME.findall(rhs.split(" : ")[0]):
            uses[v] = uses.get(v, 0) + 1
    heads = ("nf.linear", "nf.fused_norm_linear")
    return {v for v in logits if defs.get(v) in heads and uses[v] == 1}


# The ops whose [B, T, ...] results bf16 mode stores in bf16.
STORED_OPS = {
    "nf.linear", "nf.fused_norm_linear", "nf.rmsnorm", "nf.layernorm",
    "nf.dyt", "nf.derf", "nf.derf_ema", "nf.scale", "nf.bias_add", "nf.gelu",
    "nf.silu", "nf.mul", "nf.attention", "nf.norm_scale", "nf.add_rmsnorm",
}


_LINE = re.compile(r"^(%[\w.]+)(?:, %[\w.]+)* = (nf\.\w+) ([^:]*)")
_NAME = re.compile(r"%[\w.]+")


def added_values(body):
    """The names of the values some nf.add (or nf.add_rmsnorm) adds, and of
    the values reshape chains (nf.split_heads, nf.merge_heads) make them
    from: fp32."""
    source, added = {}, set()
    for line in body:
        m = _LINE.match(line.strip())
        if not m:
            continue
        if m.group(2) in ("nf.split_heads", "nf.merge_heads"):
            source[m.group(1)] = _NAME.findall(m.group(3))[0]
        if m.group(2) in ("nf.add", "nf.add_rmsnorm"):
            for v in _NAME.findall(m.group(3)):
                while v in source:
                    added.add(v)
                    v = source[v]
                added.add(v)
    return added


def batch_shaped(value, batch, seq):
    return value.dim() >= 3 and value.shape[0] == batch and value.shape[1] == seq


def residual(op, operands, operand_names, fp32, batch, seq):
    """Whether op's result is on the residual stream (CudaEmitter.cpp
    bf16Activations): an embedding or a sum, or the residual scaled or
    biased by a parameter."""
    if op in ("nf.embedding", "nf.add", "nf.add_rmsnorm"):
        return True  # nf.add_rmsnorm: its sum (the first result)
    return (op in ("nf.scale", "nf.mul", "nf.bias_add") and
            operand_names[0] in fp32 and
            not batch_shaped(operands[1], batch, seq))


def is_stored(op, value, batch, seq):
    return op in STORED_OPS and batch_shaped(value, batch, seq)
