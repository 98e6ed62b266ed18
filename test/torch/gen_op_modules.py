"""Writes one small nf module per op family into <dir>: random token
embeddings -> the op under test -> a linear head -> cross-entropy, so that
check_compiled_module.sh can compare the compiled op's forward and backward
(through the gradients of every parameter feeding it) with PyTorch."""
import os
import sys

B, T, D, V, H = 2, 8, 16, 32, 2
X = f"tensor<{B}x{T}x{D}xf32>"
HEADS = f"tensor<{B}x{T}x{H}x{D // H}xf32>"
# Attention also runs at a length that spans several of the CPU kernel's
# causal row blocks (64 rows) and ends in a partial one.
T_LONG = 150
X_LONG = f"tensor<{B}x{T_LONG}x{D}xf32>"
HEADS_LONG = f"tensor<{B}x{T_LONG}x{H}x{D // H}xf32>"

PARAMS = {
    "table": f"nf.param @table : tensor<{V}x{D}xf32> init <normal(1.0)> group <embedding>",
    "head": f"nf.param @head : tensor<{V}x{D}xf32> init <normal(0.3)> group <head>",
    "alpha": "nf.param @alpha : tensor<f32> init <constant(0.7)> group <scalar>",
    "shift": "nf.param @shift : tensor<f32> init <constant(0.2)> group <scalar>",
    "running": "nf.param @running : tensor<f32> init <constant(1.5)> group <state>",
    "gamma": f"nf.param @gamma : tensor<{D}xf32> init <ones> group <scale>",
    "beta": f"nf.param @beta : tensor<{D}xf32> init <zeros> group <bias>",
    "w": f"nf.param @w : tensor<{D}x{D}xf32> init <normal(0.3)> group <matrix>",
    "w2": f"nf.param @w2 : tensor<{D}x{D}xf32> init <normal(0.3)> group <matrix>",
    "pos": f"nf.param @pos : tensor<{T}x{D}xf32> init <normal(0.5)> group <embedding>",
}

OPS = {
    "rmsnorm": (["table"], f"%y = nf.rmsnorm %x eps(1.0e-5) : {X}"),
    "layernorm": (["table"], f"%y = nf.layernorm %x eps(1.0e-5) : {X}"),
    "dyt": (["table", "alpha"], f"%a = nf.get_param @alpha : tensor<f32>\n    %y = nf.dyt %x, %a : {X}, tensor<f32>"),
    "derf": (["table", "alpha", "shift"], f"%a = nf.get_param @alpha : tensor<f32>\n    %s = nf.get_param @shift : tensor<f32>\n    %y = nf.derf %x, %a, %s : {X}, tensor<f32>"),
    "derf_ema": (["table", "alpha", "shift", "running"], f"%a = nf.get_param @alpha : tensor<f32>\n    %s = nf.get_param @shift : tensor<f32>\n    %r = nf.get_param @running : tensor<f32>\n    %y, %r2 = nf.derf_ema %x, %a, %s, %r momentum(0.9) blend(0.7) : {X}, tensor<f32>\n    nf.assign_state @running, %r2 : tensor<f32>"),
    "scale": (["table", "gamma"], f"%g = nf.get_param @gamma : tensor<{D}xf32>\n    %y = nf.scale %x, %g : {X}, tensor<{D}xf32>"),
    # A norm followed by its scale vector: the CPU target's fused
    # normScaleForward/normScaleBackward (cached row statistics).
    "rmsnorm_scale": (["table", "gamma"], f"%n = nf.rmsnorm %x eps(1.0e-5) : {X}\n    %g = nf.get_param @gamma : tensor<{D}xf32>\n    %y = nf.scale %n, %g : {X}, tensor<{D}xf32>"),
    "layernorm_scale": (["table", "gamma"], f"%n = nf.layernorm %x eps(1.0e-5) : {X}\n    %g = nf.get_param @gamma : tensor<{D}xf32>\n    %y = nf.scale %n, %g : {X}, tensor<{D}xf32>"),
    "bias_add": (["table", "beta"], f"%b = nf.get_param @beta : tensor<{D}xf32>\n    %y = nf.bias_add %x, %b : {X}, tensor<{D}xf32>"),
    "linear": (["table", "w"], f"%w = nf.get_param @w : tensor<{D}x{D}xf32>\n    %y = nf.linear %x, %w : {X}, tensor<{D}x{D}xf32> -> {X}"),
    "gelu": (["table"], f"%y = nf.gelu %x : {X}"),
    "silu": (["table"], f"%y = nf.silu %x : {X}"),
    "add_broadcast": (["table", "pos"], f"%p = nf.get_param @pos : tensor<{T}x{D}xf32>\n    %y = nf.add %x, %p : {X}, tensor<{T}x{D}xf32>"),
    "mul_broadcast": (["table", "gamma"], f"%g = nf.get_param @gamma : tensor<{D}xf32>\n    %y = nf.mul %x, %g : {X}, tensor<{D}xf32>"),
    "mul_scalar": (["table", "alpha"], f"%a = nf.get_param @alpha : tensor<f32>\n    %y = nf.mul %x, %a : {X}, tensor<f32>"),
    "attention": (["table", "w"], f"%w = nf.get_param @w : tensor<{D}x{D}xf32>\n    %k = nf.linear %x, %w : {X}, tensor<{D}x{D}xf32> -> {X}\n    %qh = nf.split_heads %x : {X} -> {HEADS}\n    %kh = nf.split_heads %k : {X} -> {HEADS}\n    %o = nf.attention %qh, %kh, %kh : {HEADS}\n    %y = nf.merge_heads %o : {HEADS} -> {X}"),
    "attention_rope": (["table", "w"], f"%w = nf.get_param @w : tensor<{D}x{D}xf32>\n    %k = nf.linear %x, %w : {X}, tensor<{D}x{D}xf32> -> {X}\n    %qh = nf.split_heads %x : {X} -> {HEADS}\n    %kh = nf.split_heads %k : {X} -> {HEADS}\n    %o = nf.attention %qh, %kh, %kh rope(1.0e4) : {HEADS}\n    %y = nf.merge_heads %o : {HEADS} -> {X}"),
    "fused_norm_linear": (["table", "gamma", "beta", "w", "w2"], f"%g = nf.get_param @gamma : tensor<{D}xf32>\n    %b = nf.get_param @beta : tensor<{D}xf32>\n    %w = nf.get_param @w : tensor<{D}x{D}xf32>\n    %w2 = nf.get_param @w2 : tensor<{D}x{D}xf32>\n    %f:2 = nf.fused_norm_linear <layernorm> %x eps(1.0e-5) scale(%g) bias(%b) weights(%w, %w2) : ({X}, tensor<{D}xf32>, tensor<{D}xf32>, tensor<{D}x{D}xf32>, tensor<{D}x{D}xf32>) -> ({X}, {X})\n    %y = nf.add %f#0, %f#1 : {X}, {X}"),
}

LONG_OPS = {
    name + "_long": (params, body.replace(X, X_LONG).replace(HEADS, HEADS_LONG))
    for name, (params, body) in OPS.items() if name.startswith("attention")
}


def module(name, params, body, t=T):
    ps = "\n  ".join(PARAMS[p] for p in params + ["head"])
    X = f"tensor<{B}x{t}x{D}xf32>"
    return f"""// One op under test: {name}.
module attributes {{nf.model = "{name}"}} {{
  {ps}
  func.func @forward(%tokens: tensor<{B}x{t}xi32>, %targets: tensor<{B}x{t}xi32>) -> tensor<f32> {{
    %table = nf.get_param @table : tensor<{V}x{D}xf32>
    %x = nf.embedding %tokens, %table : tensor<{B}x{t}xi32>, tensor<{V}x{D}xf32> -> {X}
    {body}
    %head = nf.get_param @head : tensor<{V}x{D}xf32>
    %logits = nf.linear %y, %head : {X}, tensor<{V}x{D}xf32> -> tensor<{B}x{t}x{V}xf32>
    %loss = nf.cross_entropy %logits, %targets : tensor<{B}x{t}x{V}xf32>, tensor<{B}x{t}xi32> -> tensor<f32>
    return %loss : tensor<f32>
  }}
}}
"""


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (params, body) in OPS.items():
        open(os.path.join(out, name + ".mlir"), "w").write(module(name, params, body))
    for name, (params, body) in LONG_OPS.items():
        open(os.path.join(out, name + ".mlir"), "w").write(module(name, params, body, T_LONG))
    print(" ".join(list(OPS) + list(LONG_OPS)))
