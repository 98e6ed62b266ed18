// Stable round trip: the printed custom form parses back to the same text,
// and so does the generic form.

//===----------------------------------------------------------------------===//
// nf.param: every init kind, every group, both roles, weight decay, both
// optimizers, derived_from. Floats print in MLIR's canonical %e form.
//===----------------------------------------------------------------------===//

nf.param @wq : tensor<8x4xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <muon>
// A dotted name is a valid bare symbol and prints unquoted.
nf.param @"layers.0.attn.wv" : tensor<8x4xf32> init <normal(2.0e-02)> group <matrix>
nf.param @wbf : tensor<8x4xbf16> init <normal(0.02)> group <matrix>
nf.param @wte : tensor<16x4xf32> init <normal(1.0)> group <embedding> optimizer <adamw>
nf.param @lm_head : tensor<16x4xf32> init <zeros> group <head> weight_decay(0.0)
nf.param @ln_in : tensor<4xf32> init <ones> group <scale> role <input>
nf.param @ln_out : tensor<4xf32> init <ones> group <scale> role <output> weight_decay(0.5) optimizer <adamw>
// The generic attribute syntax #nf.init<...> is accepted as well.
nf.param @beta : tensor<4xf32> init #nf.init<zeros> group <bias>
nf.param @alpha : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @shift : tensor<f32> init <constant(-0.25)> group <scalar>
nf.param @zero : tensor<f32> init <constant(0.0)> group <scalar>
// State tensors have any rank.
nf.param @running : tensor<f32> init <constant(1.0)> group <state>
nf.param @moment : tensor<2x8x4xf32> init <zeros> group <state>
nf.param @dir : tensor<4xf32> init <ones> group <direction> derived_from("ln_in")
// A magnitude is 0-D (per vector) or 1-D (per channel).
nf.param @mag : tensor<f32> init <constant(2.0)> group <magnitude> derived_from("ln_in")
nf.param @mag1 : tensor<4xf32> init <ones> group <magnitude>
// Attributes outside the custom syntax go to attr-dict.
nf.param @tagged : tensor<4xf32> init <ones> group <scale> {note = "x"}

//===----------------------------------------------------------------------===//
// nf.get_param, nf.assign_state
//===----------------------------------------------------------------------===//

func.func @params(%new: tensor<f32>) -> (tensor<8x4xf32>, tensor<8x4xf32>, tensor<f32>) {
  %w = nf.get_param @wq : tensor<8x4xf32>
  %v = nf.get_param @"layers.0.attn.wv" : tensor<8x4xf32>
  %r = nf.get_param @running : tensor<f32>
  nf.assign_state @running, %new : tensor<f32>
  return %w, %v, %r : tensor<8x4xf32>, tensor<8x4xf32>, tensor<f32>
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

// 1e-6 has no short exact decimal form, so it prints with full precision.
func.func @norms(%x: tensor<2x3x4xf32>, %a: tensor<f32>, %s: tensor<f32>, %r: tensor<f32>, %h: tensor<2x4xbf16>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x4xbf16>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = nf.rmsnorm %x eps(1.0e-5) : tensor<2x3x4xf32>
  %1 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x3x4xf32>
  %2 = nf.rmsnorm %h eps(0.0) : tensor<2x4xbf16>
  %3 = nf.layernorm %x eps(1.0e-5) : tensor<2x3x4xf32>
  %4 = nf.dyt %x, %a : tensor<2x3x4xf32>, tensor<f32>
  %5 = nf.derf %x, %a, %s : tensor<2x3x4xf32>, tensor<f32>
  %6, %7 = nf.derf_ema %x, %a, %s, %r momentum(0.9) blend(0.5) : tensor<2x3x4xf32>, tensor<f32>
  %8:2 = nf.derf_ema %x, %a, %s, %r momentum(0.0) blend(1.0) : tensor<2x3x4xf32>, tensor<f32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8#0, %8#1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x4xbf16>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<f32>
}

// Pointwise maps accept a 0-D input.
func.func @pointwise_scalar(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  %0 = nf.dyt %x, %a : tensor<f32>, tensor<f32>
  %1 = nf.derf %0, %a, %a : tensor<f32>, tensor<f32>
  return %1 : tensor<f32>
}

//===----------------------------------------------------------------------===//
// Scale vector and bias
//===----------------------------------------------------------------------===//

func.func @scale_bias(%x: tensor<2x3x4xf32>, %v: tensor<4xf32>, %x1: tensor<4xf16>, %v1: tensor<4xf16>) -> (tensor<2x3x4xf32>, tensor<4xf16>) {
  %0 = nf.scale %x, %v : tensor<2x3x4xf32>, tensor<4xf32>
  %1 = nf.bias_add %0, %v : tensor<2x3x4xf32>, tensor<4xf32>
  %2 = nf.scale %x1, %v1 : tensor<4xf16>, tensor<4xf16>
  %3 = nf.bias_add %2, %v1 : tensor<4xf16>, tensor<4xf16>
  return %1, %3 : tensor<2x3x4xf32>, tensor<4xf16>
}

//===----------------------------------------------------------------------===//
// Linear maps, embedding, heads, attention
//===----------------------------------------------------------------------===//

func.func @linear_embedding(%t: tensor<2x3xi32>, %h: tensor<4xbf16>) -> (tensor<2x3x8xf32>, tensor<8xbf16>) {
  %e = nf.get_param @wte : tensor<16x4xf32>
  %x = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  %w = nf.get_param @wq : tensor<8x4xf32>
  %y = nf.linear %x, %w : tensor<2x3x4xf32>, tensor<8x4xf32> -> tensor<2x3x8xf32>
  %wb = nf.get_param @wbf : tensor<8x4xbf16>
  %z = nf.linear %h, %wb : tensor<4xbf16>, tensor<8x4xbf16> -> tensor<8xbf16>
  return %y, %z : tensor<2x3x8xf32>, tensor<8xbf16>
}

// Odd head dimensions are fine without RoPE.
func.func @attention(%x: tensor<2x3x8xf32>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  %q = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x2x4xf32>
  %a = nf.attention %q, %q, %q rope(1.0e4) : tensor<2x3x2x4xf32>
  %b = nf.attention %a, %q, %q : tensor<2x3x2x4xf32>
  %o = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x8x1xf32>
  %c = nf.attention %o, %o, %o : tensor<2x3x8x1xf32>
  %y = nf.merge_heads %b : tensor<2x3x2x4xf32> -> tensor<2x3x8xf32>
  %y1 = nf.merge_heads %c : tensor<2x3x8x1xf32> -> tensor<2x3x8xf32>
  return %y, %y1 : tensor<2x3x8xf32>, tensor<2x3x8xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise: same shape, suffix broadcast, 0-D scalar
//===----------------------------------------------------------------------===//

func.func @elementwise(%x: tensor<2x3x4xf32>, %p: tensor<3x4xf32>, %v: tensor<4xf32>, %s: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<f32>) {
  %0 = nf.gelu %x : tensor<2x3x4xf32>
  %1 = nf.silu %0 : tensor<2x3x4xf32>
  %2 = nf.add %1, %x : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %3 = nf.add %2, %p : tensor<2x3x4xf32>, tensor<3x4xf32>
  %4 = nf.add %3, %v : tensor<2x3x4xf32>, tensor<4xf32>
  %5 = nf.add %4, %s : tensor<2x3x4xf32>, tensor<f32>
  %6 = nf.mul %5, %x : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %7 = nf.mul %6, %p : tensor<2x3x4xf32>, tensor<3x4xf32>
  %8 = nf.mul %7, %v : tensor<2x3x4xf32>, tensor<4xf32>
  %9 = nf.mul %8, %s : tensor<2x3x4xf32>, tensor<f32>
  %10 = nf.mul %s, %s : tensor<f32>, tensor<f32>
  %11 = nf.gelu %10 : tensor<f32>
  return %9, %11 : tensor<2x3x4xf32>, tensor<f32>
}

//===----------------------------------------------------------------------===//
// Loss
//===----------------------------------------------------------------------===//

func.func @loss(%l: tensor<2x3x16xf32>, %t: tensor<2x3xi32>, %l1: tensor<16xbf16>, %t1: tensor<i32>) -> (tensor<f32>, tensor<bf16>) {
  %0 = nf.cross_entropy %l, %t : tensor<2x3x16xf32>, tensor<2x3xi32> -> tensor<f32>
  %1 = nf.cross_entropy %l1, %t1 : tensor<16xbf16>, tensor<i32> -> tensor<bf16>
  return %0, %1 : tensor<f32>, tensor<bf16>
}

//===----------------------------------------------------------------------===//
// Gradient ops (emitted by nf-autodiff)
//===----------------------------------------------------------------------===//

func.func @grads(%x: tensor<2x3x4xf32>, %dy: tensor<2x3x4xf32>, %a: tensor<f32>, %g: tensor<4xf32>, %w: tensor<8x4xf32>, %do: tensor<2x3x8xf32>, %t: tensor<2x3xi32>, %q: tensor<2x3x2x4xf32>)
    -> (tensor<4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<8x4xf32>, tensor<16x4xf32>, tensor<2x3x2x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %one = nf.fill 1.0 : tensor<f32>
  %0 = nf.reduce_to %dy : tensor<2x3x4xf32> -> tensor<4xf32>
  %1 = nf.reduce_to %dy : tensor<2x3x4xf32> -> tensor<f32>
  %2 = nf.rmsnorm_grad %x, %dy eps(1.0e-5) : tensor<2x3x4xf32>
  %3 = nf.layernorm_grad %x, %dy eps(1.0e-5) : tensor<2x3x4xf32>
  %4:2 = nf.dyt_grad %x, %a, %dy : tensor<2x3x4xf32>, tensor<f32>
  %5:3 = nf.derf_grad %x, %a, %a, %dy : tensor<2x3x4xf32>, tensor<f32>
  %6:3 = nf.derf_ema_grad %x, %a, %a, %a, %dy blend(0.5) : tensor<2x3x4xf32>, tensor<f32>
  %7:2 = nf.scale_grad %x, %g, %dy : tensor<2x3x4xf32>, tensor<4xf32>
  %8:2 = nf.linear_grad %x, %w, %do : tensor<2x3x4xf32>, tensor<8x4xf32>, tensor<2x3x8xf32>
  %9 = nf.embedding_grad %t, %dy : tensor<2x3xi32>, tensor<2x3x4xf32> -> tensor<16x4xf32>
  %10:3 = nf.attention_grad %q, %q, %q, %q rope(1.0e4) : tensor<2x3x2x4xf32>
  %11:3 = nf.attention_grad %q, %q, %q, %10#0 : tensor<2x3x2x4xf32>
  %12 = nf.gelu_grad %x, %dy : tensor<2x3x4xf32>
  %13 = nf.silu_grad %x, %12 : tensor<2x3x4xf32>
  %14 = nf.cross_entropy_grad %x, %t, %one : tensor<2x3x4xf32>, tensor<2x3xi32>, tensor<f32>
  return %0, %1, %2, %3, %4#0, %4#1, %6#2, %7#1, %8#1, %9, %10#2, %13, %14 : tensor<4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<8x4xf32>, tensor<16x4xf32>, tensor<2x3x2x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

//===----------------------------------------------------------------------===//
// Optimizer ops
//===----------------------------------------------------------------------===//

func.func @optimizer(%step: tensor<f32>, %gw: tensor<8x4xf32>, %gs: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %buf: tensor<8x4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>) {
  %f = nf.lr_factor %step <warmup_cosine> warmup(10) total(100) decay(0) min(0.1)
  %f1 = nf.lr_factor %step <wsd> warmup(10) total(100) decay(20) min(0.0)
  %f2 = nf.lr_factor %step <constant> warmup(0) total(1) decay(0) min(1.0)
  %n = nf.global_norm %gw, %gs : tensor<8x4xf32>, tensor<4xf32>
  %c = nf.clip_coef %n max(1.0)
  %p = nf.get_param @ln_out : tensor<4xf32>
  %np:3 = nf.adamw %p, %gs, %m, %v lr(%f) step(%step) betas(0.9, 0.5) eps(1.0e-8) wd(0.0) : tensor<4xf32>
  nf.update_param @ln_out, %np#0 : tensor<4xf32>
  %w = nf.get_param @wq : tensor<8x4xf32>
  %nw:2 = nf.muon %w, %gw, %buf lr(%f1) momentum(0.9) nesterov(true) ns_steps(5) scale <keller> wd(0.1) : tensor<8x4xf32>
  %nw1:2 = nf.muon %w, %gw, %buf lr(%f2) momentum(0.0) nesterov(false) ns_steps(1) scale <match_adamw> wd(0.0) : tensor<8x4xf32>
  %mb:2 = nf.momentum %gw, %buf beta(0.9) nesterov(true) : tensor<8x4xf32>
  %o = nf.newton_schulz %mb#1 steps(5) coeffs(3.4445, -4.775, 2.0315) : tensor<8x4xf32>
  %nw2 = nf.muon_apply %w, %o lr(%c) factor(1.0) wd(0.1) : tensor<8x4xf32>
  nf.update_param @wq, %nw2 : tensor<8x4xf32>
  return %np#1, %np#2, %nw#1, %mb#0 : tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
}
