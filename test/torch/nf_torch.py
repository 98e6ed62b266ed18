"""Executes the @forward function of nf IR text with PyTorch (float64).

An oracle independent of the C++ code: it reads the printed IR (the same
text nf-opt round-trips), runs each nf op with torch, and lets autograd
give the gradients. Used to check the compiled CPU step (test/torch/
check_step.py) and the reference interpreter.
"""
import math
import re

import torch

import bf16_policy

_RESULT = re.compile(r"^\s*(%[\w.]+(?::\d+)?(?:\s*,\s*%[\w.]+)*)\s*=\s*(.*)$")
_VALUE = re.compile(r"%[\w.]+(?:#\d+)?")
_TENSOR = re.compile(r"tensor<([0-9x]*)x?(f32|f64|i32|bf16|f16)>|tensor<(f32|f64|i32)>")


def _shape(text):
    m = re.match(r"tensor<((?:\d+x)*)(?:f32|f64|i32|bf16|f16)>", text.strip())
    if not m:
        raise ValueError(f"not a tensor type: {text}")
    dims = [d for d in m.group(1).split("x") if d]
    return [int(d) for d in dims]


def _attr(body, name):
    m = re.search(name + r"\(([^)]*)\)", body)
    return float(m.group(1)) if m else None


def extract_function(ir_text, name):
    """The lines of func.func @name's body."""
    lines = ir_text.splitlines()
    start = next(i for i, l in enumerate(lines)
                 if re.match(r"\s*func\.func @" + re.escape(name) + r"\(", l))
    body = []
    for l in lines[start + 1:]:
        if re.match(r"^\s*}\s*$", l):
            break
        body.append(l)
    return lines[start], body


def rope(x, theta):
    """Rotates channel pairs (2i, 2i+1) of [B, T, H, D] by t*theta^(-2i/D)."""
    _, t, _, d = x.shape
    i = torch.arange(d // 2, dtype=torch.float64)
    freq = theta ** (-2.0 * i / d)
    ang = torch.arange(t, dtype=torch.float64)[:, None] * freq[None, :]
    c = torch.cos(ang)[None, :, None, :].to(x.dtype)
    s = torch.sin(ang)[None, :, None, :].to(x.dtype)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x0 * c - x1 * s
    out[..., 1::2] = x0 * s + x1 * c
    return out


def attention(q, k, v, theta):
    if theta is not None:
        q, k = rope(q, theta), rope(k, theta)
    b, t, h, d = q.shape
    qh, kh, vh = (z.permute(0, 2, 1, 3) for z in (q, k, v))
    s = qh @ kh.transpose(-1, -2) / math.sqrt(d)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
    s = s.masked_fill(mask, float("-inf"))
    return (torch.softmax(s, -1) @ vh).permute(0, 2, 1, 3)


def normalize(kind, x, scalars, eps):
    if kind == "rmsnorm":
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    if kind == "layernorm":
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) * torch.rsqrt(var + eps)
    if kind == "dyt":
        return torch.tanh(scalars[0] * x)
    if kind == "derf":
        return torch.erf(scalars[0] * x + scalars[1])
    raise ValueError(kind)


def run_forward(ir_text, params, tokens, targets, fn="forward",
                dtype=torch.float64, bf16=False):
    """Returns (loss, state updates) of @fn; `params` maps names to tensors
    (leaves with requires_grad for the trained ones). bf16=True rounds where
    the CUDA target's bf16 mode does (bf16_policy.py)."""
    global _BF16
    _BF16 = bf16
    header, body = extract_function(ir_text, fn)
    args = re.findall(r"(%arg\d+)", header)
    env = {args[0]: tokens, args[1]: targets}
    states = {}
    # bf16 mode reads the CUDA target's IR: a norm fused with its scale
    # (nf.norm_scale, nf.add_rmsnorm scale(g)) scales the normalized rows
    # unrounded and rounds only its result.
    fp32 = bf16_policy.added_values(body) if bf16 else set()
    # bf16 mode: the train step's dlogits, rounded where the fused loss
    # kernel writes them over the logits.
    grad_bf16 = bf16_policy.bf16_logits_grads(body) if bf16 else set()

    def get(name):
        return env[name]

    for line in body:
        line = line.strip()
        if not line:
            continue
        if line.startswith("return"):
            return get(_VALUE.findall(line)[0]), states
        if line.startswith("nf.assign_state"):
            sym = re.search(r"@([\w.]+)", line).group(1)
            states[sym] = get(_VALUE.findall(line)[0]).detach()
            continue
        m = _RESULT.match(line)
        if not m:
            raise ValueError(f"cannot parse: {line}")
        lhs, rhs = m.group(1), m.group(2)
        op = rhs.split()[0]
        before_types = rhs.split(" : ")[0]
        types = rhs.split(" : ", 1)[1] if " : " in rhs else ""
        operand_names = _VALUE.findall(before_types)
        operands = [get(v) for v in operand_names]
        if (op == "nf.cross_entropy" and operand_names[0] in grad_bf16 and
                operand_names[0] not in fp32 and bf16_policy.is_stored(
                    "nf.linear", operands[0], *tokens.shape)):
            operands[0] = bf16_policy.logits_grad(operands[0])
        if ":" in lhs and "," not in lhs:
            base, count = lhs.split(":")
            names = [f"{base}#{i}" for i in range(int(count))]
        else:
            names = [n.strip() for n in lhs.split(",")]
        outs = _execute(op, rhs, operands, types, dtype)
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        if bf16:
            if bf16_policy.residual(op, operands, operand_names, fp32,
                                    *tokens.shape):
                fp32.add(names[0])
            outs = [bf16_policy.stored(o)
                    if bf16_policy.is_stored(op, o, *tokens.shape) and
                    n not in fp32 else o
                    for n, o in zip(names, outs)]
        for n, o in zip(names, outs):
            env[n] = o
        if len(names) == 1 and len(outs) == 1:
            env[names[0]] = outs[0]
        else:
            for n, o in zip(names, outs):
                env[n] = o
    raise ValueError("no return")


def _execute(op, rhs, x, types, dtype=torch.float64):
    if op == "nf.get_param":
        return _PARAMS[re.search(r"@([\w.]+)", rhs).group(1)]
    if op == "nf.embedding":
        return x[1][x[0].long()]
    if op in ("nf.rmsnorm", "nf.layernorm"):
        return normalize(op[3:], x[0], [], _attr(rhs, "eps"))
    if op == "nf.norm_scale":
        kind = re.search(r"<(\w+)>", rhs).group(1)
        return normalize(kind, x[0], [], _attr(rhs, "eps")) * x[1]
    if op == "nf.add_rmsnorm":
        # sum, and its RMSNorm (times the scale vector when there is one)
        total = x[0] + x[1]
        y = normalize("rmsnorm", total, [], _attr(rhs, "eps"))
        return [total, y * x[2] if len(x) > 2 else y]
    if op == "nf.dyt":
        return torch.tanh(x[1] * x[0])
    if op == "nf.derf":
        return torch.erf(x[1] * x[0] + x[2])
    if op == "nf.derf_ema":
        xin, a, s, r = x
        m, blend = _attr(rhs, "momentum"), _attr(rhs, "blend")
        rms = xin.detach().pow(2).mean(-1).sqrt().mean()
        r_new = m * r + (1 - m) * rms
        c = blend * r_new + (1 - blend)
        return [torch.erf(a * xin / c + s), r_new]
    if op == "nf.scale":
        return x[0] * x[1]
    if op in ("nf.bias_add", "nf.add"):
        return x[0] + x[1]
    if op == "nf.mul":
        return x[0] * x[1]
    if op == "nf.linear":
        if _BF16:
            return bf16_policy.linear(x[0], x[1])
        return x[0] @ x[1].transpose(0, 1)
    if op in ("nf.split_heads", "nf.merge_heads"):
        return x[0].reshape(_shape(types.split("->")[1]))
    if op == "nf.attention":
        theta = _attr(rhs, "rope")
        if _BF16 and bf16_policy.flash_eligible(x[0].shape[-1]):
            return bf16_policy.attention(
                x[0], x[1], x[2],
                lambda z: rope(z, theta) if theta is not None else z)
        return attention(x[0], x[1], x[2], theta)
    if op == "nf.gelu":
        return torch.nn.functional.gelu(x[0])
    if op == "nf.silu":
        return torch.nn.functional.silu(x[0])
    if op == "nf.cross_entropy":
        logits, tgt = x
        return torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1).long())
    if op == "nf.fill":
        return torch.full(_shape(types), float(rhs.split()[1]), dtype=dtype)
    if op == "nf.fused_norm_linear":
        kind = re.search(r"<(\w+)>", rhs).group(1)
        return _fused(kind, rhs, x)
    raise ValueError(f"nf_torch: no rule for {op}")


def _group(rhs, word):
    m = re.search(word + r"\(([^)]*)\)", rhs)
    return len(_VALUE.findall(m.group(1))) if m else 0


def _fused(kind, rhs, x):
    nscal = len(_VALUE.findall(re.search(r"\[([^\]]*)\]", rhs).group(1))) \
        if "[" in rhs.split(" : ")[0] else 0
    ng, nb, nw = _group(rhs, "scale"), _group(rhs, "bias"), _group(rhs, "weights")
    xin, rest = x[0], x[1:]
    scal, rest = rest[:nscal], rest[nscal:]
    gammas, rest = rest[:ng], rest[ng:]
    biases, weights = rest[:nb], rest[nb:nb + nw]
    y = normalize(kind, xin, scal, _attr(rhs, "eps"))
    outs = []
    for i, w in enumerate(weights):
        z = y
        if gammas:
            z = z * gammas[0 if ng == 1 else i]
        if biases:
            z = z + biases[0 if nb == 1 else i]
        outs.append(bf16_policy.linear(z, w) if _BF16 else z @ w.transpose(0, 1))
    return outs


_PARAMS = {}
_BF16 = False


def set_params(params):
    _PARAMS.clear()
    _PARAMS.update(params)


# --- The optimizer step --------------------------------------------------
# @optimizer_step executed with PyTorch: nf.adamw is torch's own AdamW
# (torch.optim._functional.adamw, the code torch.optim.AdamW runs); Muon
# follows Keller Jordan's muon.py (docs/math.md#muon) with Newton-Schulz in the
# working precision.


def newton_schulz(g, steps, a, b, c):
    x = g
    tall = g.shape[0] > g.shape[1]
    if tall:
        x = x.T
    x = x / (x.norm() + 1e-7)
    for _ in range(steps):
        A = x @ x.T
        B = b * A + c * A @ A
        x = a * x + B @ x
    return x.T if tall else x


def lr_factor(step, kind, warmup, total, decay, min_ratio):
    if step <= warmup:
        return step / warmup
    if kind == "constant":
        return 1.0
    if kind == "warmup_cosine":
        p = min(1.0, (step - warmup) / max(1, total - warmup))
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * p))
    start = total - decay
    if step <= start:
        return 1.0
    p = min(1.0, (step - start) / decay)
    return 1 - (1 - min_ratio) * p


def _adamw(p, g, m, v, lr, step, betas, wd, eps):
    """torch's AdamW on copies; returns the new (p, m, v). torch's adamw
    counts the step itself: it is handed t - 1."""
    import torch.optim._functional as F
    p, g, m, v = (t.clone() for t in (p, g, m, v))
    F.adamw([p], [g], [m], [v], [], [torch.tensor(float(step) - 1)],
            amsgrad=False, beta1=betas[0], beta2=betas[1], lr=float(lr),
            weight_decay=wd, eps=eps, maximize=False)
    return p, m, v


def _adamw_multi(operands, env, values):
    """nf.adamw_multi [@p..] grads(%g..) m [@m..] v [@v..] [grad_scale(%c)]
    lr(%lr) step(%t) betas(b1, b2) eps(e) wd [wd..]: nf.adamw of each
    parameter, stored back in place."""
    def symbols(list_text):
        return re.findall(r"@([\w.]+)", list_text)
    params = symbols(re.match(r"nf\.adamw_multi \[([^\]]*)\]", operands).group(1))
    grads = _VALUE.findall(re.search(r"grads\(([^)]*)\)", operands).group(1))
    ms = symbols(re.search(r" m \[([^\]]*)\]", operands).group(1))
    vs = symbols(re.search(r" v \[([^\]]*)\]", operands).group(1))
    wds = [float(w) for w in re.search(r"wd \[([^\]]*)\]", operands).group(1).split(",")]
    scale = re.search(r"grad_scale\((%[\w.]+(?:#\d+)?)\)", operands)
    lr = env[re.search(r"lr\((%[\w.]+(?:#\d+)?)\)", operands).group(1)]
    step = env[re.search(r"step\((%[\w.]+(?:#\d+)?)\)", operands).group(1)]
    betas = [float(t) for t in re.search(r"betas\(([^)]*)\)", operands).group(1).split(",")]
    eps = _attr(operands, "eps")
    if not (len(params) == len(grads) == len(ms) == len(vs) == len(wds)):
        raise ValueError(f"nf_torch: malformed nf.adamw_multi: {operands}")
    for p, g, m, v, wd in zip(params, grads, ms, vs, wds):
        grad = env[g] * env[scale.group(1)] if scale else env[g]
        values[p], values[m], values[v] = _adamw(
            values[p], grad, values[m], values[v], lr, step, betas, wd, eps)


def run_optimizer_step(ir_text, values, grads, dtype=torch.float64):
    """Executes @optimizer_step; `values` maps every parameter and state
    name to its tensor and is updated in place; `grads` are the arguments
    in order. Returns (grad_norm, lr)."""
    header, body = extract_function(ir_text, "optimizer_step")
    args = re.findall(r"(%arg\d+)", header)
    env = dict(zip(args, grads))
    for line in body:
        line = line.strip()
        if not line:
            continue
        if line.startswith("return"):
            vals = _VALUE.findall(line)
            return env[vals[0]], env[vals[1]]
        if line.startswith(("nf.assign_state", "nf.update_param")):
            sym = re.search(r"@([\w.]+)", line).group(1)
            values[sym] = env[_VALUE.findall(line)[0]].detach().clone()
            continue
        if line.startswith("nf.adamw_multi"):
            _adamw_multi(line.split(" : ")[0], env, values)
            continue
        m = _RESULT.match(line)
        lhs, rhs = m.group(1), m.group(2)
        names = [n.strip() for n in lhs.split(",")]
        op = rhs.split()[0]
        operands = rhs.split(" : ")[0]
        # grad_scale(%c) of nf.adamw and nf.momentum: the gradient is g * c
        # (the clip coefficient), as clip_grad_norm_ leaves it.
        scale = re.search(r"grad_scale\((%[\w.]+(?:#\d+)?)\)", operands)
        if scale:
            operands = operands.replace(scale.group(0), "")
        x = [env[v] for v in _VALUE.findall(operands)]
        if scale:
            g_at = 0 if op == "nf.momentum" else 1
            x[g_at] = x[g_at] * env[scale.group(1)]
        if op == "nf.get_param":
            out = [values[re.search(r"@([\w.]+)", rhs).group(1)]]
        elif op == "nf.fill":
            out = [torch.tensor(float(rhs.split()[1]), dtype=dtype)]
        elif op == "nf.add":
            out = [x[0] + x[1]]
        elif op == "nf.mul":
            out = [x[0] * x[1]]
        elif op == "nf.lr_factor":
            kind = re.search(r"<(\w+)>", rhs).group(1)
            f = lr_factor(float(x[0]), kind, int(_attr(rhs, "warmup")),
                          int(_attr(rhs, "total")), int(_attr(rhs, "decay")),
                          _attr(rhs, "min"))
            out = [torch.tensor(f, dtype=dtype)]
        elif op == "nf.global_norm":
            out = [torch.sqrt(sum((g.double() ** 2).sum() for g in x)).to(dtype)]
        elif op == "nf.clip_coef":
            out = [torch.clamp(_attr(rhs, "max") / (x[0] + 1e-6), max=1.0)]
        elif op == "nf.adamw":
            betas = [float(t) for t in re.search(r"betas\(([^)]*)\)", rhs).group(1).split(",")]
            out = list(_adamw(*x[:4], x[4], x[5], betas, _attr(rhs, "wd"),
                              _attr(rhs, "eps")))
        elif op == "nf.momentum":
            g, buf = x
            beta = _attr(rhs, "beta")
            nb = torch.lerp(buf, g, 1 - beta)
            nesterov = "nesterov(true)" in rhs
            out = [nb, torch.lerp(g, nb, beta) if nesterov else nb]
        elif op == "nf.newton_schulz":
            a, b, c = [float(t) for t in re.search(r"coeffs\(([^)]*)\)", rhs).group(1).split(",")]
            out = [newton_schulz(x[0], int(_attr(rhs, "steps")), a, b, c)]
        elif op == "nf.muon_apply":
            p, o, lr = x
            out = [p * (1 - lr * _attr(rhs, "wd")) - lr * _attr(rhs, "factor") * o]
        else:
            raise ValueError(f"nf_torch: no optimizer rule for {op}")
        for n, o in zip(names, out):
            env[n] = o
    raise ValueError("no return")
