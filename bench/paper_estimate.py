#!/usr/bin/env python3
"""Paper estimate of a generated CUDA step: bytes, FLOPs and time per kernel.

Reads the translation unit `nfc build SPEC --target=cuda --emit=cuda` prints
and models every launch of `train_step_launches` and `optimizer_step_launches`
(or the functions named with --function) from the template arguments the
emitter writes (shapes, and the storage types bf16 / float of each operand):

  bytes    what the kernel must move to and from DRAM: every input read
           once, every output written once, as the kernel headers under
           runtime/include/nfrt/cuda/ do it (padding, copies, passes).
           Re-reads that a kernel issues but that hit L2 (flash attention's
           K/V tiles, a row re-read by the same warp) are listed apart.
  FLOPs    tensor-core FLOPs of GEMMs and flash attention; CUDA-core FLOPs of
           the other kernels are counted too but never set their time.
  peak     max(bytes / BW, FLOPs / peak of the unit) (the H200 numbers below).
  real     the same at the efficiencies below, never under FLOOR_S per
           launch, and, for the multi-tensor launches that give one tensor
           at most 128 blocks, the rate those blocks can sustain (Little's
           law: bytes in flight / DRAM latency).

No GPU needed: standard library only. An unknown launch is listed as
unknown (and --check fails on it): add its model below, per kernel name.

    build/bin/nfc build bench/specs/gpt2-124m.json --target=cuda --emit=cuda > /tmp/g.cu
    /usr/bin/python3 bench/paper_estimate.py /tmp/g.cu [--markdown] [--check]
"""

import argparse
import math
import re
import sys

# --- The machine (H200 SXM) and the efficiencies assumed --------------------

BW = 4.8e12          # HBM3e bytes/s
PEAK = {
    "tc": 790e12,    # dense bf16 tensor-core FLOP/s (docs/cuda.md's figure)
    "fp32": 67e12,   # fp32 CUDA-core FLOP/s (SGEMM in fp32 mode, exact attention)
    "fp64": 34e12,   # fp64 CUDA-core FLOP/s (RoPE's angles are doubles)
    "none": float("inf"),
}
# Fraction of the roof a kernel class reaches in the "real" column.
EFF_BW = {"stream": 0.80, "gemm": 0.80, "flash": 0.80, "tiny": 0.80,
          "memcpy": 0.80, "sgemm": 0.80, "exact-attn": 0.80}
EFF_FLOPS = {
    "gemm": 0.65,        # cuBLAS bf16 GEMMs at N = 16k rows, K, OUT 768-3072
    "sgemm": 0.70,       # cuBLAS SGEMM (fp32 mode)
    "flash": 0.30,       # mma.sync without ldmatrix/cp.async (docs/cuda.md)
    "exact-attn": 0.30,  # a warp per row, fp32 CUDA cores
    "stream": 0.50, "tiny": 0.50, "memcpy": 0.50,
}
FLOOR_S = 2e-6       # a kernel node of a CUDA graph: launch + drain
LATENCY_S = 0.8e-6   # DRAM round trip under load (Little's law cap)

# PyTorch at the GPT-2 124M shape on an H200 (issue 15's measurements).
TORCH = [("PyTorch eager", 230e3), ("torch.compile", 479e3)]
TORCH_SHAPE = ("16384", "768")  # B T tokens and d of that shape

CLASS_NAMES = {"gemm": "GEMMs", "sgemm": "GEMMs", "flash": "flash attention",
               "exact-attn": "attention", "stream": "memory-bound kernels",
               "memcpy": "copies", "tiny": "tiny launches", "unknown": "unknown"}

SIZES = {"bf16": 2, "__nv_bfloat16": 2, "half": 2, "float": 4,
         "double": 8, "int32_t": 4, "uint32_t": 4}


# --- Parsing helpers ---------------------------------------------------------

def split_top(s, sep=","):
    """Split s at `sep` outside (), [], {}, <>."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    tail = "".join(cur).strip()
    if tail or out:
        out.append(tail)
    return out


def call_parts(text):
    """'name<targs>(args)' -> (name, [targs], [args]); None if no call."""
    m = re.match(r"\s*([A-Za-z_]\w*)\s*", text)
    if not m:
        return None
    name, i = m.group(1), m.end()
    targs = []
    if i < len(text) and text[i] == "<":
        depth, j = 0, i
        while j < len(text):
            depth += {"<": 1, ">": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        targs = split_top(text[i + 1:j])
        i = j + 1
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text) or text[i] != "(":
        return None
    depth, j = 0, i
    while j < len(text):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            break
        j += 1
    return name, targs, split_top(text[i + 1:j])


def ival(s):
    """A template argument or argument as an integer (simple arithmetic)."""
    s = re.sub(r"\b(int64_t|int32_t|size_t|unsigned)\s*\(", "(", s.strip())
    s = re.sub(r"(?<=\d)[uUlL]+\b", "", s)
    if not re.fullmatch(r"[\d\s+\-*/()]+", s):
        raise ValueError("not an integer: " + s)
    return int(eval(s.replace("/", "//")))  # digits and operators only


def tsize(targs, i, default="float"):
    t = targs[i] if i < len(targs) else default
    t = t.replace("const", "").replace("*", "").strip()
    if t not in SIZES:
        raise ValueError("unknown storage type " + t)
    return SIZES[t]


def tbool(targs, i, default):
    if i >= len(targs):
        return default
    return targs[i].strip() == "true"


def gb(x):
    return x / 1e9


# --- The work of one launch --------------------------------------------------

class Work:
    """One device launch (a kernel, a cuBLAS GEMM, a copy)."""

    def __init__(self, label, kernel, read=0.0, write=0.0, flops=0.0,
                 unit="none", cls="stream", reread=0.0, cap_s=0.0, note=""):
        self.label, self.kernel = label, kernel
        self.read, self.write, self.flops = float(read), float(write), float(flops)
        self.unit, self.cls, self.reread = unit, cls, float(reread)
        self.cap_s, self.note = cap_s, note

    @property
    def bytes(self):
        return self.read + self.write

    def peak_s(self):
        if self.cls == "unknown":
            return 0.0
        return max(self.bytes / BW, self.flops / PEAK[self.unit])

    def real_s(self):
        if self.cls == "unknown":
            return 0.0
        t = max(self.bytes / (BW * EFF_BW[self.cls]),
                self.flops / (PEAK[self.unit] * EFF_FLOPS[self.cls]),
                self.cap_s)
        return max(t, FLOOR_S)


class Launch:
    """A parsed launch statement: what the model functions see."""

    def __init__(self, ctx, name, targs, args, text, grid=None, block=None):
        self.ctx, self.name, self.targs, self.args = ctx, name, targs, args
        self.text, self.grid, self.block = text, grid, block
        self.grid_x = None

    def label(self):
        return self.name + ("<" + ", ".join(self.targs) + ">" if self.targs else "")

    def i(self, k):
        return ival(self.targs[k])

    def t(self, k, default="float"):
        return tsize(self.targs, k, default)

    def arg_is_null(self, k):
        return k < len(self.args) and self.args[k].strip() in ("nullptr", "0", "NULL")

    def arg_type(self, k):
        """Element size of pointer argument k (declarations of the function)."""
        return self.ctx.expr_size(self.args[k]) if k < len(self.args) else 4


KERNELS = {}    # NF_LAUNCH((name<...>), ...): name -> model(Launch) -> [Work]
LAUNCHERS = {}  # name<...>(args) host launchers: name -> model(Launch) -> [Work]


def kernel(*names):
    def reg(f):
        for n in names:
            KERNELS[n] = f
        return f
    return reg


def launcher(*names):
    def reg(f):
        for n in names:
            LAUNCHERS[n] = f
        return f
    return reg


def W(L, **kw):
    """A Work named after the launch as written."""
    return Work(L.label(), L.name, **kw)


# --- Pointwise, broadcast and reductions (ElementwiseKernels, Reduce) -------

@kernel("fill")
def _fill(L):
    return [W(L, write=L.i(0) * L.t(1), cls="tiny" if L.i(0) < 4096 else "stream")]


@kernel("addBroadcast", "mulBroadcast")
def _broadcast(L):
    n, m = L.i(0), L.i(1)
    s = n * m
    return [W(L, read=s * L.t(2) + m * L.t(3), write=s * L.t(4), flops=s,
              cls="tiny" if s < 4096 else "stream")]


@kernel("scaleBias")
def _scale_bias(L):
    n, d = L.i(0), L.i(1)
    params = sum(d * 4 for k in (1, 2) if not L.arg_is_null(k))
    return [W(L, read=n * d * 4 + params, write=n * d * 4, flops=2 * n * d)]


@kernel("geluForward", "siluForward", "dytForward", "derfForward")
def _pointwise_fwd(L):
    s = L.i(0)
    return [W(L, read=s * L.t(1), write=s * L.t(2), flops=10 * s, unit="fp32")]


@kernel("geluBackward", "siluBackward")
def _pointwise_bwd(L):
    s = L.i(0)
    return [W(L, read=s * (L.t(1) + L.t(2)), write=s * L.t(3), flops=20 * s, unit="fp32")]


@kernel("dytBackward", "derfBackward")
def _norm_pointwise_bwd(L):
    s = L.i(0)
    parts = (L.grid or 1024) * 4 * (2 if L.name == "derfBackward" else 1)
    return [W(L, read=s * (L.t(1) + L.t(2)), write=s * L.t(3) + parts,
              flops=20 * s, unit="fp32")]


@kernel("saturationCount")
def _saturation(L):
    s = L.i(0)
    return [W(L, read=s * L.t(1), write=(L.grid or 1024) * 4, flops=5 * s, unit="fp32")]


@kernel("scaleBlindRows")
def _scale_blind_rows(L):
    # <N, D, ERF, X>: reads the rows once (erf or tanh per element), writes
    # two doubles a row.
    n, d = L.i(0), L.i(1)
    return [W(L, read=n * d * L.t(3), write=16 * n, flops=8 * n * d, unit="fp32")]


@kernel("scaleBlindSlope")
def _scale_blind_slope(L):
    return [W(L, read=16 * L.i(0), write=4, cls="tiny")]


@kernel("sumPartials", "sqrtOfPartials")
def _sum_partials(L):
    return [W(L, read=L.i(0) * 4, write=4, cls="tiny")]


@kernel("columnPartials")
def _column_partials(L):
    n, m, rpb = L.i(0), L.i(1), L.i(2)
    two = not L.arg_is_null(1)
    read = n * m * (L.t(3) + (L.t(4) if two else 0))
    return [W(L, read=read, write=math.ceil(n / rpb) * m * 4, flops=2 * n * m)]


@kernel("columnFinalize")
def _column_finalize(L):
    m, p = L.i(0), L.i(1)
    return [W(L, read=m * p * 4, write=m * 4, cls="tiny")]


@kernel("lrFactor", "clipCoef", "emaInvScale")
def _scalar(L):
    return [W(L, read=8, write=4, cls="tiny")]


# --- Norms (NormKernels, NormScaleKernels) -----------------------------------

@kernel("rmsnormScaleForward")
def _rmsnorm_scale_fwd(L):
    n, d = L.i(0), L.i(1)
    xhat = 0 if L.arg_is_null(2) else n * d * L.t(3)
    rstd = 0 if L.arg_is_null(4) else 4 * n
    return [W(L, read=n * d * L.t(2) + d * 4, write=n * d * L.t(4) + xhat + rstd,
              flops=4 * n * d, unit="fp32")]


@kernel("addRmsnormScaleForward")
def _add_rmsnorm_scale_fwd(L):
    # a, b in; the sum out (S), the scaled rows (Y) and, where asked, the
    # normalized rows (XH) and rstd out; gamma (null: no scale vector).
    n, d = L.i(0), L.i(1)
    gamma = 0 if L.arg_is_null(3) else d * 4
    xhat = 0 if L.arg_is_null(4) else n * d * L.t(5)
    rstd = 0 if L.arg_is_null(6) else 4 * n
    return [W(L, read=n * d * (L.t(2) + L.t(3)) + gamma,
              write=n * d * (L.t(4) + L.t(6)) + xhat + rstd,
              flops=5 * n * d, unit="fp32")]


@kernel("rmsnormScaleBackward")
def _rmsnorm_scale_bwd(L):
    # x, dy, rstd, gamma in (+ the addend of nf.add_rmsnorm_grad); dx and
    # the dgamma partials out.
    n, d, rpb = L.i(0), L.i(1), L.i(2)
    addend = 0 if L.arg_is_null(4) else n * d * L.t(6)
    return [W(L, read=n * d * (L.t(3) + L.t(4)) + 4 * n + d * 4 + addend,
              write=n * d * L.t(5) + math.ceil(n / rpb) * d * 4,
              flops=(9 if addend else 8) * n * d, unit="fp32")]


@kernel("rmsnormForward", "layernormForward")
def _norm_fwd(L):
    n, d = L.i(0), L.i(1)
    stats = 0 if L.arg_is_null(2) else (4 if L.name == "rmsnormForward" else 8) * n
    return [W(L, read=n * d * L.t(2), write=n * d * L.t(3) + stats,
              flops=4 * n * d, unit="fp32")]


@kernel("rmsnormBackward", "layernormBackward")
def _norm_bwd(L):
    n, d = L.i(0), L.i(1)
    rms = L.name == "rmsnormBackward"
    stats = 0 if L.arg_is_null(2) else (4 if rms else 8) * n
    # rmsnormBackward's addend (nf.add_rmsnorm_grad) is argument 3.
    addend = n * d * L.t(5) if rms and not L.arg_is_null(3) else 0
    return [W(L, read=n * d * (L.t(2) + L.t(3)) + stats + addend,
              write=n * d * L.t(4), flops=8 * n * d, unit="fp32")]


@kernel("rowRms")
def _row_rms(L):
    n, d = L.i(0), L.i(1)
    return [W(L, read=n * d * L.t(2), write=4 * n, flops=2 * n * d, unit="fp32")]


@kernel("emaUpdate")
def _ema_update(L):
    return [W(L, read=L.i(0) * 4 + 4, write=8, cls="tiny")]


# --- Embedding (EmbeddingKernels) and loss (LossKernels) ---------------------

@kernel("embeddingForward")
def _embedding_fwd(L):
    n, d = L.i(0), L.i(1)
    return [W(L, read=4 * n + n * d * 4, write=n * d * L.t(2),
              note="table rows gathered once per token (repeats hit L2)")]


def _loss_online(L, k_l, k_online):
    if k_online < len(L.targs):
        return tbool(L.targs, k_online, False)
    return L.t(k_l) != 4


@kernel("crossEntropyFused")
def _ce_fused(L):
    n, v = L.i(0), L.i(1)
    # PITCH (template argument 5, default V): the train step's bf16 logits
    # in rows of the head GEMM's padded pitch; the pad columns of dlogits
    # are written as zeros, the logits' never read.
    pitch = L.i(5) if len(L.targs) > 5 else v
    row = n * v * L.t(2)
    passes = 2 if _loss_online(L, 2, 4) else 3
    return [W(L, read=passes * row + 4 * n, write=n * pitch * L.t(3) + 4 * n,
              flops=5 * n * v, unit="fp32",
              note="2 reads of the logits (online softmax, then the gradient)"
              if passes == 2 else "3 reads of the logits (max, sum, gradient)")]


@kernel("crossEntropyForward")
def _ce_fwd(L):
    n, v = L.i(0), L.i(1)
    passes = 1 if _loss_online(L, 2, 3) else 2
    stats = 0 if L.arg_is_null(3) else 8 * n
    return [W(L, read=passes * n * v * L.t(2) + 4 * n, write=4 * n + stats,
              flops=3 * n * v, unit="fp32")]


@kernel("crossEntropyBackward")
def _ce_bwd(L):
    n, v = L.i(0), L.i(1)
    passes = 1 if not L.arg_is_null(2) else (2 if _loss_online(L, 2, 4) else 3)
    return [W(L, read=passes * n * v * L.t(2) + 8 * n, write=n * v * L.t(3),
              flops=3 * n * v, unit="fp32")]


# --- Attention: RoPE and the exact fp32 kernels (AttentionKernels) ----------

ROPE_FP64_FLOPS_PER_PAIR = 100  # pow + cos + sin in double: a rough count


@kernel("rope")
def _rope(L):
    """The rotation before its angle table: angles in double per pair."""
    b, t, h, hd = (L.i(k) for k in range(4))
    s = b * t * h * hd
    inplace = len(L.args) > 1 and L.args[0].strip() == L.args[1].strip()
    return [W(L, read=s * L.t(4), write=s * L.t(5), unit="fp64",
              flops=s // 2 * ROPE_FP64_FLOPS_PER_PAIR,
              note="angles in double per pair, every launch" + (" (in place)" if inplace else ""))]


@launcher("launchRopeTable")
def _rope_table(L):
    """(cos, sin) for T x HD/2 pairs, both directions, in double once per
    function (RopeTable.h: 2 x T x HD floats)."""
    t, hd = L.i(0), L.i(1)
    pairs = 2 * t * (hd // 2)
    return [Work("ropeTable<%d, %d> (launchRopeTable)" % (t, hd), "ropeTable",
                 write=2 * t * hd * 4, flops=pairs * ROPE_FP64_FLOPS_PER_PAIR,
                 unit="fp64", note="angles in double, once per function")]


@launcher("launchRope")
def _launch_rope(L):
    """A pair's (cos, sin) from the table (T x HD/2 x 8 bytes a direction,
    read by every block: L2), 6 FLOPs a pair."""
    b, t, h, hd = (L.i(k) for k in range(4))
    s = b * t * h * hd
    inverse = len(L.args) > 4 and L.args[4].strip() == "true"
    inplace = len(L.args) > 2 and L.args[1].strip() == L.args[2].strip()
    return [Work("rope<%s> (launchRope%s)" % (", ".join(L.targs),
                                               ", inverse" if inverse else ""),
                 "rope", read=s * L.t(4) + t * hd * 4, write=s * L.t(5),
                 flops=3 * s, unit="fp32",
                 note="angles from the table" + (" (in place)" if inplace else ""))]


def _causal_pairs(b, t, h):
    return b * h * t * (t + 1) // 2


@kernel("attentionForward")
def _attn_fwd(L):
    b, t, h, hd = (L.i(k) for k in range(4))
    s = b * t * h * hd
    pairs = _causal_pairs(b, t, h)
    return [W(L, read=s * (2 * L.t(4) + L.t(5)), write=s * L.t(6), flops=4 * hd * pairs,
              unit="fp32", cls="exact-attn", reread=pairs * hd * (L.t(4) + L.t(5)),
              note="warp per query row; keys/values re-read per row")]


@kernel("attentionBackwardQuery")
def _attn_bwd_q(L):
    b, t, h, hd = (L.i(k) for k in range(4))
    s = b * t * h * hd
    pairs = _causal_pairs(b, t, h)
    return [W(L, read=s * (2 * L.t(4) + L.t(5) + L.t(6)), write=s * L.t(7) + 12 * b * h * t,
              flops=6 * hd * pairs, unit="fp32", cls="exact-attn",
              reread=pairs * hd * (2 * L.t(4) + L.t(5)))]


@kernel("attentionBackwardKey")
def _attn_bwd_k(L):
    b, t, h, hd = (L.i(k) for k in range(4))
    s = b * t * h * hd
    pairs = _causal_pairs(b, t, h)
    return [W(L, read=s * (2 * L.t(4) + L.t(5) + L.t(6)) + 12 * b * h * t,
              write=s * (L.t(7) + L.t(8)), flops=8 * hd * pairs, unit="fp32",
              cls="exact-attn", reread=pairs * hd * (L.t(4) + L.t(6)))]


# --- Flash attention (FlashAttentionKernels.cuh) -----------------------------

def flash_tiles(t, hd):
    """FlashTiles<HD> and the causal loops of the three kernels, per head:
    (pairs computed by the forward/query kernel, K/V rows the forward and
    query kernel stage, pairs of the key kernel, Q/dO rows it stages)."""
    rows = 64
    keys = 32 if hd > 64 else 64
    queries = 16 if hd > 64 else 64
    fwd_pairs = fwd_rows = 0
    for q0 in range(0, t, rows):
        key_end = min(q0 + rows, t)
        n = math.ceil(key_end / keys)
        fwd_pairs += n * rows * keys
        fwd_rows += sum(min(keys, t - k0) for k0 in range(0, key_end, keys))
    key_pairs = key_rows = 0
    for j0 in range(0, t, rows):
        n = math.ceil((t - j0) / queries)
        key_pairs += n * rows * queries
        key_rows += t - j0
    return fwd_pairs, fwd_rows, key_pairs, key_rows


def _flash_forward(label, b, t, h, hd, sq, sv, so, stats):
    fwd_pairs, fwd_rows, _, _ = flash_tiles(t, hd)
    heads = b * h
    row = hd  # values per row of one head
    read = heads * t * row * (2 * sq + sv)                 # q, k, v once
    reread = heads * (fwd_rows - t) * row * (sq + sv)      # K/V per query tile
    write = heads * t * row * so + (8 * heads * t if stats else 0)
    useful = _causal_pairs(b, t, h)
    return Work(label, "flashAttentionForwardKernel", read=read, write=write,
                flops=2 * 2 * hd * fwd_pairs * heads, unit="tc", cls="flash",
                reread=reread,
                note="%.0f%% of the T x T tile pairs (causal, diagonal tiles whole; "
                     "%.1f%% of them masked)" % (100.0 * fwd_pairs / (t * t),
                                                  100.0 * (1 - useful / (fwd_pairs * heads))))


@launcher("flashAttentionForward")
def _flash_fwd(L):
    b, t, h, hd = (L.i(k) for k in range(4))
    stats = len(L.args) > 5 and not L.arg_is_null(5)
    lab = "flashAttentionForwardKernel<%s>" % ", ".join(L.targs)
    return [_flash_forward(lab, b, t, h, hd, L.t(4), L.t(5), L.t(6), stats)]


@launcher("flashAttentionBackward")
def _flash_bwd(L):
    b, t, h, hd = (L.i(k) for k in range(4))
    sq, sv, sdo, so, sdq, sdk, sdv = (L.t(k) for k in range(4, 11))
    out = []
    if L.arg_is_null(5) or L.arg_is_null(6):  # RECOMPUTE: the forward into scratch
        out.append(_flash_forward("flashAttentionForwardKernel<%s> (recompute)"
                                  % ", ".join(L.targs[:6] + ["float"]),
                                  b, t, h, hd, sq, sv, 4, True))
        so = 4
    fwd_pairs, fwd_rows, key_pairs, key_rows = flash_tiles(t, hd)
    heads, row = b * h, hd
    tail = ", ".join(L.targs)
    # Query kernel: D from dO and O, q and dO staged (dO's second read hits
    # L2), K/V per key tile, dQ out, (m, 1/l) in, (m, 1/l, D) out.
    out.append(Work("flashAttentionBackwardQueryKernel<%s>" % tail,
                    "flashAttentionBackwardQueryKernel",
                    read=heads * t * (row * (2 * sq + sv + sdo + so) + 8),
                    write=heads * t * (row * sdq + 12),
                    reread=heads * ((fwd_rows - t) * row * (sq + sv) + t * row * sdo),
                    flops=3 * 2 * hd * fwd_pairs * heads, unit="tc", cls="flash"))
    # Key kernel: K/V of its 64 keys once, Q, dO and the row stats per query
    # tile, dK and dV out.
    out.append(Work("flashAttentionBackwardKeyKernel<%s>" % tail,
                    "flashAttentionBackwardKeyKernel",
                    read=heads * t * (row * (2 * sq + sv + sdo) + 12),
                    write=heads * t * row * (sdk + sdv),
                    reread=heads * (key_rows - t) * (row * (sq + sdo) + 12),
                    flops=4 * 2 * hd * key_pairs * heads, unit="tc", cls="flash"))
    return out


# --- GEMMs (LinearKernels.cuh, LinearScratch.h) ------------------------------

def linear_pitch(out):
    return out if out % 8 == 0 else (out + 63) // 64 * 64


def _gemm(label, m, n, k, read, write, bf16=True, note=""):
    return Work(label, "cublasGemmEx" if bf16 else "cublasSgemm", read=read, write=write,
                flops=2 * m * n * k, unit="tc" if bf16 else "fp32",
                cls="gemm" if bf16 else "sgemm", note=note)


def _to_bf16(label, s):
    return Work("toBf16<%d> (%s)" % (s, label), "toBf16", read=4 * s, write=2 * s)


def _operand_copies(lab, n, i, o, p, sx, sw):
    """The bf16 copies a linear launcher makes of an fp32 x and an fp32 W
    (with W's zero pad rows when OUT is padded to p)."""
    out = []
    if sx == 4:
        out.append(_to_bf16(lab, n * i))
    if sw == 4:
        out.append(_to_bf16(lab, o * i))
        if p > o:
            out.append(Work("cudaMemsetAsync (W pad rows, %s)" % lab, "cudaMemsetAsync",
                            write=(p - o) * i * 2))
    return out


@launcher("linearForwardBf16")
def _linear_fwd_bf16(L):
    n, i, o = L.i(0), L.i(1), L.i(2)
    sx, sy = L.t(3), L.t(4)
    sw = L.arg_type(3)
    p = linear_pitch(o)
    # PITCHED (template argument 5): y stored at the pitch, written there
    # by the GEMM (the train step's bf16 logits): no compactRows.
    pitched = tbool(L.targs, 5, False)
    lab = L.label()
    out = _operand_copies(lab, n, i, o, p, sx, sw)
    out.append(_gemm("cublasGemmEx y = x W^T: %s" % lab, p, n, i,
                     read=n * i * 2 + p * i * 2, write=n * p * sy,
                     note="OUT %d padded to %d" % (o, p) if p > o else ""))
    if p > o and not pitched:
        out.append(Work("compactRows<%d, %d, %d> (%s)" % (n, o, p, lab), "compactRows",
                        read=n * o * sy, write=n * o * sy,
                        note="the padded GEMM output copied to its [N, OUT] place"))
    return out


@launcher("linearBackwardBf16")
def _linear_bwd_bf16(L):
    n, i, o = L.i(0), L.i(1), L.i(2)
    sx, sdy, sdx = L.t(3), L.t(4), L.t(5)
    sw = L.arg_type(3)
    p = linear_pitch(o)
    # PITCHED (template argument 6): dy is bf16 at the pitch with zero pad
    # columns (the train step's dlogits), read as it is: no toBf16Padded.
    pitched = tbool(L.targs, 6, False)
    # ACC (template argument 7): dx += dy W (beta = 1) reads dx too.
    acc = tbool(L.targs, 7, False)
    lab = L.label()
    out = _operand_copies(lab, n, i, o, p, sx, sw)
    if p == o:
        if sdy == 4:
            out.append(_to_bf16(lab, n * o))
    elif not pitched:
        out.append(Work("toBf16Padded<%d, %d, %d> (%s)" % (n, o, p, lab), "toBf16Padded",
                        read=n * o * sdy, write=n * p * 2,
                        note="dy copied into a padded bf16 buffer"))
    out.append(_gemm("cublasGemmEx dx %s dy W: %s" % ("+=" if acc else "=", lab), i, n, p,
                     read=p * i * 2 + n * p * 2 + (n * i * sdx if acc else 0),
                     write=n * i * sdx))
    out.append(_gemm("cublasGemmEx dW = dy^T x: %s" % lab, i, o, n,
                     read=n * i * 2 + n * o * 2, write=o * i * 4,
                     note=_few_tiles(o, i)))
    return out


def _few_tiles(rows, cols):
    """dW's output is small while its K (the N rows) is long: with fewer
    128 x 128 output tiles than the H200's 132 SMs cuBLAS needs split-K."""
    tiles = math.ceil(rows / 128) * math.ceil(cols / 128)
    if tiles >= 132:
        return ""
    return "output %dx%d is %d tiles of 128x128 for 132 SMs (split-K needed)" % (rows, cols, tiles)


@launcher("linearForward")
def _linear_fwd(L):
    n, i, o = L.i(0), L.i(1), L.i(2)
    return [_gemm("cublasSgemm y = x W^T: " + L.label(), o, n, i,
                  read=4 * (n * i + o * i), write=4 * n * o, bf16=False)]


@launcher("linearBackward")
def _linear_bwd(L):
    n, i, o = L.i(0), L.i(1), L.i(2)
    acc = tbool(L.targs, 3, False)  # dx += dy W (beta = 1)
    return [_gemm("cublasSgemm dx %s dy W: %s" % ("+=" if acc else "=", L.label()), i, n, o,
                  read=4 * (o * i + n * o + (n * i if acc else 0)), write=4 * n * i,
                  bf16=False),
            _gemm("cublasSgemm dW = dy^T x: " + L.label(), i, o, n,
                  read=4 * (n * i + n * o), write=4 * o * i, bf16=False)]


@launcher("weightsToBf16")
def _weights_to_bf16(L):
    copies = L.ctx.take_array("WeightCopy")
    if copies is None:
        return None
    out = []
    for at in range(0, len(copies), 64):  # kWeightCopyBatch
        batch = copies[at:at + 64]
        read = sum(r * c * 4 for r, c in batch)
        write = sum(linear_pitch(r) * c * 2 for r, c in batch)
        largest = max(r * c for r, c in batch)
        # The grid is sized for the batch's largest tensor (strideBlocks).
        blocks = max(1, min(1024, math.ceil(max(linear_pitch(r) * c for r, c in batch) / 256)))
        # One tensor gets `blocks` blocks of 256 threads, one 4-byte load each
        # in flight per grid-stride step.
        cap = largest * 4 / (blocks * 256 * 4 / LATENCY_S)
        out.append(Work("weightsToBf16Batch (%d tensors, %.1fM values)"
                        % (len(batch), sum(r * c for r, c in batch) / 1e6),
                        "weightsToBf16Batch", read=read, write=write, cap_s=cap,
                        note=_cap_note(cap, read + write, largest, blocks)))
    return out


def _cap_note(cap, nbytes, largest, blocks):
    """Why a multi-tensor launch's real time exceeds its bandwidth time."""
    if cap <= nbytes / (BW * EFF_BW["stream"]):
        return ""
    return ("real: its largest tensor (%.1fM values) has %d blocks of 256 threads, "
            "one grid-stride step (one DRAM round trip, %.1f us) at a time: %.2f ms"
            % (largest / 1e6, blocks, LATENCY_S * 1e6, cap * 1e3))


# --- Optimizer (OptimizerKernels.cuh) -----------------------------------------

@launcher("launchAdamWMulti")
def _adamw_multi(L):
    tensors = L.ctx.take_array("AdamWTensor")
    if tensors is None:
        return None
    out = []
    for at in range(0, len(tensors), 48):  # kAdamWBatch
        sizes = [t[0] for t in tensors[at:at + 48]]
        total = sum(sizes)
        # Each tensor has its own grid-stride grid (adamWBlocks, side by
        # side): the slowest is the one with the most steps per thread; 4
        # loads of 4 bytes in flight per thread.
        blocks = {n: max(1, min(1024, math.ceil(n / 256))) for n in sizes}
        largest = max(sizes, key=lambda n: n / blocks[n])
        cap = largest * 16 / (blocks[largest] * 256 * 16 / LATENCY_S)
        out.append(Work("adamwMulti (%d tensors, %.1fM values)" % (len(sizes), total / 1e6),
                        "adamwMulti", read=16 * total, write=12 * total, flops=15 * total,
                        unit="fp32", cap_s=cap,
                        note=_cap_note(cap, 28 * total, largest, blocks[largest])))
    return out


@kernel("adamw")
def _adamw(L):
    s = L.i(0)
    return [W(L, read=16 * s, write=12 * s, flops=15 * s, unit="fp32")]


@kernel("momentum")
def _momentum(L):
    s = L.i(0)
    return [W(L, read=8 * s, write=8 * s, flops=5 * s, unit="fp32")]


@kernel("muonApply")
def _muon_apply(L):
    s = L.i(0)
    return [W(L, read=8 * s, write=4 * s, flops=4 * s, unit="fp32")]


@kernel("sumSquaresPartials")
def _sum_squares(L):
    s = L.i(0)
    return [W(L, read=4 * s, write=4 * min(1024, math.ceil(s / 256)), flops=2 * s, unit="fp32")]


@kernel("scaleCopy")
def _scale_copy(L):
    s = L.i(0)
    return [W(L, read=4 * s, write=4 * s, flops=s, unit="fp32")]


@kernel("nsNormalize", "nsOutput")
def _ns_layout(L):
    s = L.i(0) * L.i(1)
    return [W(L, read=4 * s, write=4 * s, flops=s, unit="fp32")]


@kernel("toBf16")
def _to_bf16_kernel(L):
    s = L.i(0)
    return [W(L, read=4 * s, write=2 * s)]


@launcher("launchGlobalNorm")
def _global_norm(L):
    tensors = L.ctx.take_array("SumSquaresTensor")
    if tensors is None:
        return None
    out, partials = [], 0
    for at in range(0, len(tensors), 128):  # kGlobalNormBatch
        batch = [t[0] for t in tensors[at:at + 128]]
        blocks = sum(min(1024, max(1, math.ceil(n / 256))) for n in batch)
        partials += blocks
        out.append(Work("sumSquaresMulti (%d tensors, %.1fM values)"
                        % (len(batch), sum(batch) / 1e6), "sumSquaresMulti",
                        read=4 * sum(batch), write=4 * blocks, flops=2 * sum(batch),
                        unit="fp32"))
    out.append(Work("sqrtOfPartialsN (%d partials)" % partials, "sqrtOfPartialsN",
                    read=4 * partials, write=4, cls="tiny"))
    return out


@launcher("newtonSchulz")
def _newton_schulz(L):
    rows, cols = L.i(0), L.i(1)
    bf16 = tbool(L.targs, 2, False)
    steps = ival(L.args[5])
    r, c = min(rows, cols), max(rows, cols)
    lab = L.label()
    sb = 2 if bf16 else 4
    out = [Work("sumSquaresPartials<%d> (%s)" % (r * c, lab), "sumSquaresPartials",
                read=4 * r * c, write=4 * min(1024, math.ceil(r * c / 256))),
           Work("sumPartials (%s)" % lab, "sumPartials", read=4096, write=4, cls="tiny"),
           Work("nsNormalize<%d, %d>" % (rows, cols), "nsNormalize", read=4 * r * c, write=4 * r * c)]
    for _ in range(steps):
        if bf16:
            out.append(_to_bf16(lab + " X", r * c))
        out.append(_gemm("%s A = X X^T: %s" % ("cublasGemmEx" if bf16 else "cublasSgemm", lab),
                         r, r, c, read=r * c * sb, write=4 * r * r, bf16=bf16))
        out.append(Work("scaleCopy<%d> (%s)" % (r * r, lab), "scaleCopy", read=4 * r * r, write=4 * r * r))
        if bf16:
            out.append(_to_bf16(lab + " A", r * r))
        out.append(_gemm("%s B += c A A: %s" % ("cublasGemmEx" if bf16 else "cublasSgemm", lab),
                         r, r, r, read=r * r * sb + 4 * r * r, write=4 * r * r, bf16=bf16))
        out.append(Work("scaleCopy<%d> (%s)" % (r * c, lab), "scaleCopy", read=4 * r * c, write=4 * r * c))
        if bf16:
            out.append(_to_bf16(lab + " B", r * r))
        out.append(_gemm("%s X' += X B: %s" % ("cublasGemmEx" if bf16 else "cublasSgemm", lab),
                         c, r, r, read=r * c * sb + r * r * sb + 4 * r * c, write=4 * r * c, bf16=bf16))
    out.append(Work("nsOutput<%d, %d>" % (rows, cols), "nsOutput", read=4 * r * c, write=4 * r * c))
    return out


# --- Embedding backward (EmbeddingKernels.cuh launchEmbeddingBackward) --------

def expected_distinct(n, v):
    """Distinct ids among n uniform random tokens of v (bench: random ids)."""
    return v * (1 - (1 - 1 / v) ** n)


@launcher("launchEmbeddingBackward")
def _embedding_bwd(L):
    n, v, d = L.i(0), L.i(1), L.i(2)
    sdy = L.t(3)
    acc = tbool(L.targs, 4, False)
    k = 4 if (v + 1) * n < 2 ** 32 else 8
    tile = 64
    while tile < n and tile < 2048:
        tile *= 2
    lab = L.label()
    out = [Work("embeddingSortTiles<%d, %d> (%s)" % (n, v, lab), "embeddingSortTiles",
                read=4 * n, write=k * n, cls="tiny" if n < 4096 else "stream")]
    run = tile
    while run < n:
        out.append(Work("embeddingMergeRuns<%d> (%s)" % (n, lab), "embeddingMergeRuns",
                        read=k * n, write=k * n,
                        reread=k * n * math.log2(2 * run), note="binary searches hit L2"))
        run *= 2
    out.append(Work("embeddingRowStarts<%d, %d> (%s)" % (n, v, lab), "embeddingRowStarts",
                    read=k * n, write=4 * (v + 1),
                    reread=k * (v + 1) * math.log2(max(2, n)), note="binary searches hit L2"))
    distinct = L.ctx.distinct if L.ctx.distinct is not None else expected_distinct(n, v)
    table = 2 * distinct * d * 4 if acc else v * d * 4
    out.append(Work("embeddingBackwardRows<%d, %d, %d> (%s)" % (n, v, d, lab),
                    "embeddingBackwardRows", read=n * d * sdy + k * n + 4 * (v + 1),
                    write=0, flops=n * d, unit="fp32",
                    note=("%s %.0f rows touched (dtable +=: read and written)"
                          % ("given:" if L.ctx.distinct is not None else
                             "uniform random ids:", distinct)) if acc else
                         "every row written"))
    out[-1].read += table / 2 if acc else 0
    out[-1].write += table / 2 if acc else table
    return out


# --- The translation unit ---------------------------------------------------

class Function:
    """One *_launches function: its variables' storage types and arrays."""

    def __init__(self, name, distinct):
        self.name, self.distinct = name, distinct
        self.types = {}
        self.arrays = {}
        self.works = []      # [(Work, statement)]
        self.unknown = []    # statements not modelled

    def expr_size(self, expr):
        m = re.search(r"reinterpret_cast<\s*(?:const\s+)?(\w+)\s*\*", expr)
        if m:
            return SIZES.get(m.group(1), 4)
        m = re.match(r"\s*\(?\s*([A-Za-z_]\w*)", expr)
        if m and m.group(1) in self.types:
            return SIZES.get(self.types[m.group(1)], 4)
        return 4  # P, G, scratch, cache: float

    def take_array(self, kind):
        return self.arrays.pop(kind, None)


ARRAY_KINDS = {
    # kind: (declaration regex, entry -> tuple of numbers)
    "WeightCopy": (r"WeightCopy\s+\w+\[\]\s*=", lambda f: (ival(f[2]), ival(f[3]))),
    "SumSquaresTensor": (r"SumSquaresTensor\s+\w+\[\]\s*=", lambda f: (ival(f[1]),)),
    "AdamWTensor": (r"AdamWTensor\s+\w+\[\]\s*=", lambda f: (ival(f[4]),)),
}

DECL = re.compile(r"^(?:const\s+)?([A-Za-z_][\w:]*)\s*\*\s*(\w+)\s*=")
IGNORED = re.compile(r"^(?:cudaStream_t|cublasHandle_t)\s+\w+\s*=|^(?:\{|\}|\}\}|\};|\}\};)$")


def statements(body):
    """The function body as statements (lines joined until parens close)."""
    cur, depth = [], 0
    for raw in body.splitlines():
        line = raw.split("//", 1)[0].strip() if not raw.strip().startswith("//") else ""
        if not line:
            continue
        cur.append(line)
        depth += line.count("(") - line.count(")")
        if depth <= 0:
            yield " ".join(cur)
            cur, depth = [], 0
    if cur:
        yield " ".join(cur)


def parse_function(name, body, distinct):
    fn = Function(name, distinct)
    collecting, entries = None, []
    in_diagnostics = False
    for st in statements(body):
        if collecting:
            if re.match(r"^\}+;?$", st):
                fn.arrays[collecting] = entries
                collecting = None
                continue
            m = re.match(r"^\{(.*)\},?$", st)
            if m:
                entries.append(ARRAY_KINDS[collecting][1](split_top(m.group(1))))
                continue
            fn.unknown.append(st)
            continue
        kind = next((k for k, (rx, _) in ARRAY_KINDS.items() if re.search(rx, st)), None)
        if kind:
            collecting, entries = kind, []
            continue
        m = DECL.match(st)
        if m:
            fn.types[m.group(2)] = m.group(1)
            continue
        # The DyT/Derf diagnostics run only on logged steps (their graph):
        # modelled, so --check still knows every launch, but not counted
        # in the typical step.
        if st == "if (diagnostics) {":
            in_diagnostics = True
            continue
        if st == "}" and in_diagnostics:
            in_diagnostics = False
            continue
        if IGNORED.match(st):
            continue
        works = model_statement(fn, st)
        if works is None:
            fn.unknown.append(st)
            fn.works.append((Work("UNKNOWN: " + st[:70], "unknown", cls="unknown"), st))
        elif not in_diagnostics:
            fn.works.extend((w, st) for w in works)
    return fn


# --- The generated code's launchers (runtime/include/nfrt/cuda/*.cuh) -------
#
# Each launcher owns its grid (LaunchShapes.h); the model of a launcher is
# the models of the kernels it launches, with the grids LaunchShapes.h
# gives them.

def stride_blocks(n, threads=256):
    return max(1, min(1024, -(-n // threads)))


def _kernel_of(L, name, targs, args, grid=None):
    """The model of kernel `name` launched by launcher L."""
    K = Launch(L.ctx, name, targs, args, L.text, grid)
    return KERNELS[name](K)


def _sum_partials(L, p, count=1):
    return [w for _ in range(count)
            for w in _kernel_of(L, "sumPartials", [str(p)], [])]


def _direct(name, stride=None):
    """A launcher of one kernel whose arguments it forwards in order;
    `stride(L)`: the element count of a grid-stride kernel."""
    def model(L):
        grid = stride_blocks(stride(L)) if stride else None
        return _kernel_of(L, name, L.targs, L.args[1:], grid)
    return model


_first = lambda L: L.i(0)
_rows_cols = lambda L: L.i(0) * L.i(1)
for _name, _stride in [
        ("fill", _first), ("addBroadcast", _rows_cols), ("mulBroadcast", _rows_cols),
        ("scaleBias", _rows_cols), ("geluForward", _first), ("geluBackward", _first),
        ("siluForward", _first), ("siluBackward", _first), ("dytForward", _first),
        ("derfForward", _first), ("embeddingForward", _rows_cols),
        ("adamw", _first), ("momentum", _first), ("muonApply", _first),
        ("rmsnormForward", None), ("rmsnormBackward", None),
        ("layernormForward", None), ("layernormBackward", None),
        ("rowRms", None), ("emaUpdate", None), ("emaInvScale", None),
        ("rmsnormScaleForward", None), ("addRmsnormScaleForward", None),
        ("crossEntropyBackward", None), ("attentionForward", None),
        ("clipCoef", None), ("lrFactor", None)]:
    LAUNCHERS["launch" + _name[0].upper() + _name[1:]] = _direct(_name, _stride)
LAUNCHERS["launchAdamW"] = _direct("adamw", _first)


@launcher("launchDytBackward")
def _launch_dyt_bwd(L):
    # (x, alpha, dy, dx, dalpha, scratch): the kernel, then one sum.
    s, a = L.i(0), L.args[1:]
    p = stride_blocks(s)
    return (_kernel_of(L, "dytBackward", L.targs, [a[0], a[1], a[2], a[3], a[5]], p)
            + _sum_partials(L, p))


@launcher("launchDerfBackward")
def _launch_derf_bwd(L):
    # (x, alpha, shift, inv, dy, dx, dalpha, dshift, scratch): two sums.
    s, a = L.i(0), L.args[1:]
    p = stride_blocks(s)
    return (_kernel_of(L, "derfBackward", L.targs, a[0:6] + [a[8]], p)
            + _sum_partials(L, p, 2))


@launcher("launchSaturationFraction")
def _launch_saturation(L):
    s, a = L.i(0), L.args[1:]
    p = stride_blocks(s)
    return (_kernel_of(L, "saturationCount", L.targs, a[0:5] + [a[6]], p)
            + _sum_partials(L, p))


@launcher("launchScaleBlindness")
def _launch_scale_blind(L):
    a = L.args[1:]
    return (_kernel_of(L, "scaleBlindRows", L.targs, a[0:4] + [a[5]])
            + _kernel_of(L, "scaleBlindSlope", [L.targs[0]], [a[5], a[4]]))


@launcher("launchColumnSum")
def _launch_column_sum(L):
    # LaunchShapes.h columnSumRowsPerBlock / columnSumBlocks.
    n, m = L.i(0), L.i(1)
    rpb = max(64, -(-n // 128))
    p = -(-n // rpb)
    a = L.args[1:]
    return (_kernel_of(L, "columnPartials", [str(n), str(m), str(rpb)] + L.targs[2:],
                       [a[0], a[1], a[3]])
            + _kernel_of(L, "columnFinalize", [str(m), str(p)], [a[3], a[2]]))


@launcher("launchRmsnormScaleBackward")
def _launch_rmsnorm_scale_bwd(L):
    # LaunchShapes.h normScaleBackwardRowsPerBlock / Blocks.
    n, d = L.i(0), L.i(1)
    rpb = -(-n // min(-(-n // 8), 512))
    p = -(-n // rpb)
    a = L.args[1:]
    return (_kernel_of(L, "rmsnormScaleBackward",
                       [str(n), str(d), str(rpb)] + L.targs[2:], a[0:6] + [a[7]])
            + _kernel_of(L, "columnFinalize", [str(d), str(p)], [a[7], a[6]]))


@launcher("launchCrossEntropyForward")
def _launch_ce_fwd(L):
    # (logits, targets, stats, loss, scratch): the rows, then their mean.
    a = L.args[1:]
    return (_kernel_of(L, "crossEntropyForward", L.targs, [a[0], a[1], a[4], a[2]])
            + _sum_partials(L, L.i(0)))


@launcher("launchCrossEntropyFused")
def _launch_ce_fused(L):
    # (logits, targets, dlogits, dloss, loss, scratch).
    a = L.args[1:]
    return (_kernel_of(L, "crossEntropyFused", L.targs, [a[0], a[1], a[5], a[2], a[3]])
            + _sum_partials(L, L.i(0)))


@launcher("launchAttentionBackward")
def _launch_attn_bwd(L):
    # <B, T, H, HD, QK, V, DO, DQ, DK, DV>(q, k, v, dout, dq, dk, dv, scratch).
    t, a = L.targs, L.args[1:]
    dims, types = t[:4], t[4:]
    pad = types + ["float"] * (6 - len(types))
    return (_kernel_of(L, "attentionBackwardQuery", dims + pad[:4] if types else dims,
                       [a[0], a[1], a[2], a[3], a[4], a[7]])
            + _kernel_of(L, "attentionBackwardKey",
                         dims + pad[:3] + pad[4:6] if types else dims,
                         [a[0], a[1], a[2], a[3], a[7], a[5], a[6]]))


def dim3_total(expr):
    m = re.match(r"\s*dim3\((.*)\)\s*$", expr)
    inner = split_top(m.group(1)) if m else [expr]
    try:
        vals = [ival(x) for x in inner]
    except ValueError:
        return None, None
    total = 1
    for x in vals:
        total *= x
    return total, vals[0]


def model_statement(fn, st):
    st = st.rstrip(";").strip()
    try:
        if st.startswith("NF_LAUNCH"):
            inner = call_parts(st)[2]
            kexpr = inner[0].strip()
            while kexpr.startswith("(") and kexpr.endswith(")"):
                kexpr = kexpr[1:-1].strip()
            parts = call_parts(kexpr + "()")
            if parts is None or parts[0] not in KERNELS:
                return None
            grid, grid_x = dim3_total(inner[1])
            block, _ = dim3_total(inner[2])
            L = Launch(fn, parts[0], parts[1], inner[5:], st, grid, block)
            L.grid_x = grid_x
            return KERNELS[parts[0]](L)
        if st.startswith("NF_CUDA_CHECK"):
            call = call_parts(call_parts(st)[2][0])
            if call and call[0] == "cudaMemcpyAsync":
                n = ival(call[2][2])
                return [Work("cudaMemcpyAsync (%d bytes)" % n, "cudaMemcpyAsync",
                             read=n, write=n, cls="memcpy" if n >= 65536 else "tiny")]
            if call and call[0] == "cudaMemsetAsync":
                n = ival(call[2][2])
                return [Work("cudaMemsetAsync (%d bytes)" % n, "cudaMemsetAsync", write=n,
                             cls="memcpy" if n >= 65536 else "tiny")]
            return None
        parts = call_parts(st)
        if parts is None or parts[0] not in LAUNCHERS:
            return None
        L = Launch(fn, parts[0], parts[1], parts[2], st)
        return LAUNCHERS[parts[0]](L)
    except (ValueError, IndexError, TypeError, AttributeError) as e:
        sys.stderr.write("paper_estimate: cannot model '%s': %s\n" % (st[:100], e))
        return None


def functions(source):
    """name -> body of every `void *_launches(...) {` ... `}` at column 0."""
    out = {}
    for m in re.finditer(r"^void (\w+_launches)\([^)]*\)\s*\{\n(.*?)^\}", source, re.S | re.M):
        out[m.group(1)] = m.group(2)
    return out


# --- Reporting ---------------------------------------------------------------

def fmt_bytes(b):
    if b == 0:
        return "0"
    if b >= 1e9:
        return "%.2f GB" % (b / 1e9)
    if b >= 1e6:
        return "%.1f MB" % (b / 1e6)
    if b >= 1e3:
        return "%.1f kB" % (b / 1e3)
    return "%d B" % b


def fmt_flops(f):
    if f == 0:
        return "0"
    if f >= 1e12:
        return "%.2f T" % (f / 1e12)
    if f >= 1e9:
        return "%.1f G" % (f / 1e9)
    if f >= 1e6:
        return "%.1f M" % (f / 1e6)
    return "%.0f" % f


def fmt_ms(s):
    return "%.3f" % (s * 1e3)


class Row:
    def __init__(self, label, kernel):
        self.label, self.kernel = label, kernel
        self.n = 0
        self.read = self.write = self.flops = self.reread = 0.0
        self.peak = self.real = 0.0
        self.unit = self.cls = ""
        self.notes = set()

    def add(self, w):
        self.n += 1
        self.read += w.read
        self.write += w.write
        self.flops += w.flops
        self.reread += w.reread
        self.peak += w.peak_s()
        self.real += w.real_s()
        self.unit, self.cls = w.unit, w.cls
        if w.note:
            self.notes.add(w.note)


def group(works, by):
    rows = {}
    for w, _ in works:
        key = w.kernel if by == "kernel" and w.cls != "unknown" else w.label
        if key not in rows:
            rows[key] = Row(key, w.kernel)
        rows[key].add(w)
    return list(rows.values())


def bound(r):
    if r.cls == "unknown":
        return "?"
    t_bw = (r.read + r.write) / BW
    t_fl = r.flops / PEAK[r.unit] if r.unit != "none" else 0
    return "FLOPs" if t_fl > t_bw else "bytes"


def table(fn, by, sort, markdown, out):
    rows = group(fn.works, by)
    rows.sort(key=lambda r: (r.cls != "unknown", r.peak if sort == "peak" else r.real,
                             r.real), reverse=True)
    tot = Row("total", "")
    for w, _ in fn.works:
        tot.add(w)
    head = ["kernel", "launches", "bytes", "FLOPs", "bound", "peak ms", "real ms", "% real"]
    lines = []
    for r in rows:
        lines.append([r.label, str(r.n), fmt_bytes(r.read + r.write) if r.cls != "unknown" else "?",
                      fmt_flops(r.flops) if r.cls != "unknown" else "?", bound(r),
                      fmt_ms(r.peak) if r.cls != "unknown" else "?",
                      fmt_ms(r.real) if r.cls != "unknown" else "?",
                      "%.1f" % (100 * r.real / tot.real) if tot.real and r.cls != "unknown" else "?"])
    lines.append(["total", str(tot.n), fmt_bytes(tot.read + tot.write), fmt_flops(tot.flops),
                  "", fmt_ms(tot.peak), fmt_ms(tot.real), "100.0"])
    if markdown:
        out.write("| " + " | ".join(head) + " |\n")
        out.write("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|\n")
        for ln in lines:
            if ln[0] == "total":
                cells = [("**%s**" % c) if c else c for c in ln]
            else:
                cells = ["`%s`" % ln[0]] + ln[1:]
            out.write("| " + " | ".join(cells) + " |\n")
    else:
        width = [max(len(h), *(len(ln[i]) for ln in lines)) for i, h in enumerate(head)]
        width[0] = min(width[0], 100)
        fmt = "  ".join("%-" + str(width[0]) + "s" if i == 0 else "%" + str(width[i]) + "s"
                        for i in range(len(head)))
        out.write(fmt % tuple(head) + "\n")
        for ln in lines:
            out.write(fmt % tuple([ln[0][:100]] + ln[1:]) + "\n")
    return rows, tot


def notes(rows, out, markdown):
    items = []
    for r in rows:
        extra = []
        if r.reread:
            extra.append("plus %s of re-reads assumed to hit L2" % fmt_bytes(r.reread))
        extra.extend(sorted(r.notes))
        if extra:
            items.append((r.label, "; ".join(extra)))
    for label, text in items:
        out.write(("- `%s`: %s\n" if markdown else "  %s: %s\n") % (label, text))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cu", help="the generated .cu (nfc build --target=cuda --emit=cuda)")
    ap.add_argument("--function", action="append",
                    help="a *_launches function to report (default: train_step_launches "
                         "and optimizer_step_launches)")
    ap.add_argument("--group", choices=["instance", "kernel"], default="instance",
                    help="rows per kernel instance (template arguments) or per kernel name")
    ap.add_argument("--sort", choices=["peak", "real"], default="peak")
    ap.add_argument("--tokens", type=int,
                    help="tokens per step (default: N of the train step's embeddingForward)")
    ap.add_argument("--distinct-tokens", type=float,
                    help="distinct ids per batch for the tied embedding backward "
                         "(default: expected for uniform random ids, as gpu_step.sh's bench)")
    ap.add_argument("--markdown", action="store_true", help="markdown tables")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if any launch of any *_launches function is unknown")
    a = ap.parse_args(argv)

    with open(a.cu) as f:
        source = f.read()
    bodies = functions(source)
    if not bodies:
        sys.stderr.write("paper_estimate: no *_launches function in %s\n" % a.cu)
        return 2
    parsed = {name: parse_function(name, body, a.distinct_tokens) for name, body in bodies.items()}
    unknown = [(name, st) for name, fn in parsed.items() for st in fn.unknown]

    if a.check:
        for name, st in unknown:
            print("unknown launch in %s: %s" % (name, st))
        count = sum(len(fn.works) for fn in parsed.values())
        print("paper_estimate --check: %d launches in %d functions, %d unknown"
              % (count, len(parsed), len(unknown)))
        return 1 if unknown else 0

    names = a.function or [n for n in ("train_step_launches", "optimizer_step_launches")
                           if n in parsed]
    tokens = a.tokens
    if tokens is None:
        m = re.search(r"[Ee]mbeddingForward<(\d+),", bodies.get("train_step_launches", ""))
        tokens = int(m.group(1)) if m else None
    model = re.search(r'for model "([^"]+)"', source)
    out = sys.stdout
    out.write("Paper estimate of %s (%s): H200, %.1f TB/s, %.0f TFLOP/s bf16 tensor cores\n"
              % (model.group(1) if model else a.cu, a.cu, BW / 1e12, PEAK["tc"] / 1e12))
    out.write("real: %.0f%% of bandwidth, GEMMs %.0f%% and flash attention %.0f%% of peak, "
              ">= %.0f us a launch\n\n" % (100 * EFF_BW["stream"], 100 * EFF_FLOPS["gemm"],
                                           100 * EFF_FLOPS["flash"], FLOOR_S * 1e6))
    step_peak = step_real = 0.0
    for name in names:
        if name not in parsed:
            sys.stderr.write("paper_estimate: no function %s\n" % name)
            return 2
        fn = parsed[name]
        out.write(("### `%s`\n\n" if a.markdown else "== %s ==\n") % name)
        rows, tot = table(fn, a.group, a.sort, a.markdown, out)
        out.write("\n")
        notes(rows, out, a.markdown)
        if fn.unknown:
            out.write("%d UNKNOWN launch(es) in %s, not in the totals: add their model\n"
                      % (len(fn.unknown), name))
        out.write("\n")
        classes = {}
        for w, _ in fn.works:
            c = CLASS_NAMES.get(w.cls, w.cls)
            pk, rl = classes.get(c, (0.0, 0.0))
            classes[c] = (pk + w.peak_s(), rl + w.real_s())
        out.write("by class (peak / real ms): " + "; ".join(
            "%s %.2f / %.2f (%.0f%% of real)" % (c, pk * 1e3, rl * 1e3, 100 * rl / tot.real)
            for c, (pk, rl) in sorted(classes.items(), key=lambda kv: -kv[1][1])
            if tot.real) + "\n\n")
        step_peak += tot.peak
        step_real += tot.real
    if tokens:
        out.write("Step (%s): %s tokens; peak %.2f ms = %.0fk tokens/s; real %.2f ms = %.0fk tokens/s\n"
                  % (" + ".join(names), tokens, step_peak * 1e3, tokens / step_peak / 1e3,
                     step_real * 1e3, tokens / step_real / 1e3))
        shape = re.search(r"[Ee]mbeddingForward<(\d+), (\d+)", bodies.get("train_step_launches", ""))
        full = "train_step_launches" in names
        if not full:
            out.write("  (PyTorch's numbers are whole training steps: not compared)\n")
            shape = None
        elif not shape or (shape.group(1), shape.group(2)) != TORCH_SHAPE:
            out.write("  (PyTorch's numbers are for GPT-2 124M, %s tokens of d %s: not compared)\n"
                      % TORCH_SHAPE)
        for what, rate in (TORCH if shape and (shape.group(1), shape.group(2)) == TORCH_SHAPE else []):
            out.write("  %s (measured, H200): %.0fk tokens/s = %.1f ms/step; "
                      "the estimate is %.2fx (peak) / %.2fx (real) of it\n"
                      % (what, rate / 1e3, tokens / rate * 1e3,
                         tokens / step_peak / rate, tokens / step_real / rate))
    if unknown:
        out.write("WARNING: %d unknown launch(es); run --check\n" % len(unknown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
