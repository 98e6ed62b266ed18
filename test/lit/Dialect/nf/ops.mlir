// RUN: nf-opt %s | FileCheck %s
// Stable round trip: the printed custom form parses back to the same text,
// and so does the generic form.
// RUN: nf-opt %s | nf-opt | FileCheck %s
// RUN: nf-opt %s -mlir-print-op-generic | nf-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// nf.param: every init kind, every group, both roles, weight decay, both
// optimizers, derived_from. Floats print in MLIR's canonical %e form.
//===----------------------------------------------------------------------===//

// CHECK: nf.param @wq : tensor<8x4xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>{{$}}
nf.param @wq : tensor<8x4xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <muon>
// A dotted name is a valid bare symbol and prints unquoted.
// CHECK: nf.param @layers.0.attn.wv : tensor<8x4xf32> init <normal(2.000000e-02)> group <matrix>{{$}}
nf.param @"layers.0.attn.wv" : tensor<8x4xf32> init <normal(2.0e-02)> group <matrix>
// CHECK: nf.param @wbf : tensor<8x4xbf16> init <normal(2.000000e-02)> group <matrix>{{$}}
nf.param @wbf : tensor<8x4xbf16> init <normal(0.02)> group <matrix>
// CHECK: nf.param @wte : tensor<16x4xf32> init <normal(1.000000e+00)> group <embedding> optimizer <adamw>{{$}}
nf.param @wte : tensor<16x4xf32> init <normal(1.0)> group <embedding> optimizer <adamw>
// CHECK: nf.param @lm_head : tensor<16x4xf32> init <zeros> group <head> weight_decay(0.000000e+00){{$}}
nf.param @lm_head : tensor<16x4xf32> init <zeros> group <head> weight_decay(0.0)
// CHECK: nf.param @ln_in : tensor<4xf32> init <ones> group <scale> role <input>{{$}}
nf.param @ln_in : tensor<4xf32> init <ones> group <scale> role <input>
// CHECK: nf.param @ln_out : tensor<4xf32> init <ones> group <scale> role <output> weight_decay(5.000000e-01) optimizer <adamw>{{$}}
nf.param @ln_out : tensor<4xf32> init <ones> group <scale> role <output> weight_decay(0.5) optimizer <adamw>
// The generic attribute syntax #nf.init<...> is accepted as well.
// CHECK: nf.param @beta : tensor<4xf32> init <zeros> group <bias>{{$}}
nf.param @beta : tensor<4xf32> init #nf.init<zeros> group <bias>
// CHECK: nf.param @alpha : tensor<f32> init <constant(5.000000e-01)> group <scalar>{{$}}
nf.param @alpha : tensor<f32> init <constant(0.5)> group <scalar>
// CHECK: nf.param @shift : tensor<f32> init <constant(-2.500000e-01)> group <scalar>{{$}}
nf.param @shift : tensor<f32> init <constant(-0.25)> group <scalar>
// CHECK: nf.param @zero : tensor<f32> init <constant(0.000000e+00)> group <scalar>{{$}}
nf.param @zero : tensor<f32> init <constant(0.0)> group <scalar>
// State tensors have any rank.
// CHECK: nf.param @running : tensor<f32> init <constant(1.000000e+00)> group <state>{{$}}
nf.param @running : tensor<f32> init <constant(1.0)> group <state>
// CHECK: nf.param @moment : tensor<2x8x4xf32> init <zeros> group <state>{{$}}
nf.param @moment : tensor<2x8x4xf32> init <zeros> group <state>
// CHECK: nf.param @dir : tensor<4xf32> init <ones> group <direction> derived_from("ln_in"){{$}}
nf.param @dir : tensor<4xf32> init <ones> group <direction> derived_from("ln_in")
// A magnitude is 0-D (per vector) or 1-D (per channel).
// CHECK: nf.param @mag : tensor<f32> init <constant(2.000000e+00)> group <magnitude> derived_from("ln_in"){{$}}
nf.param @mag : tensor<f32> init <constant(2.0)> group <magnitude> derived_from("ln_in")
// CHECK: nf.param @mag1 : tensor<4xf32> init <ones> group <magnitude>{{$}}
nf.param @mag1 : tensor<4xf32> init <ones> group <magnitude>
// Attributes outside the custom syntax go to attr-dict.
// CHECK: nf.param @tagged : tensor<4xf32> init <ones> group <scale> {note = "x"}{{$}}
nf.param @tagged : tensor<4xf32> init <ones> group <scale> {note = "x"}

//===----------------------------------------------------------------------===//
// nf.get_param, nf.assign_state
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @params
// CHECK-SAME: (%[[NEW:[^:]*]]: tensor<f32>)
// CHECK: %[[W:.*]] = nf.get_param @wq : tensor<8x4xf32>
// CHECK: %[[V:.*]] = nf.get_param @layers.0.attn.wv : tensor<8x4xf32>
// CHECK: %[[R:.*]] = nf.get_param @running : tensor<f32>
// CHECK: nf.assign_state @running, %[[NEW]] : tensor<f32>
// CHECK: return %[[W]], %[[V]], %[[R]] : tensor<8x4xf32>, tensor<8x4xf32>, tensor<f32>
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

// CHECK-LABEL: func.func @norms
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[A:[^:]*]]: tensor<f32>, %[[S:[^:]*]]: tensor<f32>, %[[R:[^:]*]]: tensor<f32>, %[[H:[^:]*]]: tensor<2x4xbf16>)
// CHECK: %[[RMS:.*]] = nf.rmsnorm %[[X]] eps(1.000000e-05) : tensor<2x3x4xf32>
// 1e-6 has no short exact decimal form, so it prints with full precision.
// CHECK: %[[RMS6:.*]] = nf.rmsnorm %[[X]] eps(9.9999999999999995E-7) : tensor<2x3x4xf32>
// CHECK: %[[RMSBF:.*]] = nf.rmsnorm %[[H]] eps(0.000000e+00) : tensor<2x4xbf16>
// CHECK: %[[LN:.*]] = nf.layernorm %[[X]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: %[[DYT:.*]] = nf.dyt %[[X]], %[[A]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[DERF:.*]] = nf.derf %[[X]], %[[A]], %[[S]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[EMA:.*]], %[[NR:.*]] = nf.derf_ema %[[X]], %[[A]], %[[S]], %[[R]] momentum(9.000000e-01) blend(5.000000e-01) : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[EMA1:.*]], %[[NR1:.*]] = nf.derf_ema %[[X]], %[[A]], %[[S]], %[[R]] momentum(0.000000e+00) blend(1.000000e+00) : tensor<2x3x4xf32>, tensor<f32>
// CHECK: return %[[RMS]], %[[RMS6]], %[[RMSBF]], %[[LN]], %[[DYT]], %[[DERF]], %[[EMA]], %[[NR]], %[[EMA1]], %[[NR1]] :
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

// The fused residual forms that nf-fuse-residual-norm makes.
// CHECK-LABEL: func.func @residual_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[B:[^:]*]]: tensor<2x3x4xf32>)
// CHECK: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm %[[X]], %[[B]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: %[[D:.*]] = nf.add_rmsnorm_grad %[[S]], %[[N]] plus %[[B]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: return %[[S]], %[[N]], %[[D]] :
func.func @residual_norm(%x: tensor<2x3x4xf32>, %b: tensor<2x3x4xf32>)
    -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %s, %n = nf.add_rmsnorm %x, %b eps(1.0e-5) : tensor<2x3x4xf32>
  %d = nf.add_rmsnorm_grad %s, %n plus %b eps(1.0e-5) : tensor<2x3x4xf32>
  return %s, %n, %d : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// nf-fuse-grad-accumulate's linear_grad with an addend.
// CHECK-LABEL: func.func @linear_grad_plus
// CHECK: nf.linear_grad %{{.*}}, %{{.*}}, %{{.*}} plus %{{.*}} : tensor<2x4xf32> : tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>
func.func @linear_grad_plus(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %dy: tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<3x4xf32>) {
  %0:2 = nf.linear_grad %x, %w, %dy plus %x : tensor<2x4xf32> : tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>
  return %0#0, %0#1 : tensor<2x4xf32>, tensor<3x4xf32>
}

// Pointwise maps accept a 0-D input.
// CHECK-LABEL: func.func @pointwise_scalar
// CHECK-SAME: (%[[X:[^:]*]]: tensor<f32>, %[[A:[^:]*]]: tensor<f32>)
// CHECK: %[[Y:.*]] = nf.dyt %[[X]], %[[A]] : tensor<f32>, tensor<f32>
// CHECK: %[[Z:.*]] = nf.derf %[[Y]], %[[A]], %[[A]] : tensor<f32>, tensor<f32>
// CHECK: return %[[Z]] : tensor<f32>
func.func @pointwise_scalar(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  %0 = nf.dyt %x, %a : tensor<f32>, tensor<f32>
  %1 = nf.derf %0, %a, %a : tensor<f32>, tensor<f32>
  return %1 : tensor<f32>
}

//===----------------------------------------------------------------------===//
// Scale vector and bias
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @scale_bias
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[V:[^:]*]]: tensor<4xf32>, %[[X1:[^:]*]]: tensor<4xf16>, %[[V1:[^:]*]]: tensor<4xf16>)
// CHECK: %[[S:.*]] = nf.scale %[[X]], %[[V]] : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: %[[B:.*]] = nf.bias_add %[[S]], %[[V]] : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: %[[S1:.*]] = nf.scale %[[X1]], %[[V1]] : tensor<4xf16>, tensor<4xf16>
// CHECK: %[[B1:.*]] = nf.bias_add %[[S1]], %[[V1]] : tensor<4xf16>, tensor<4xf16>
// CHECK: return %[[B]], %[[B1]] : tensor<2x3x4xf32>, tensor<4xf16>
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

// CHECK-LABEL: func.func @linear_embedding
// CHECK-SAME: (%[[T:[^:]*]]: tensor<2x3xi32>, %[[H:[^:]*]]: tensor<4xbf16>)
// CHECK: %[[E:.*]] = nf.get_param @wte : tensor<16x4xf32>
// CHECK: %[[X:.*]] = nf.embedding %[[T]], %[[E]] : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
// CHECK: %[[W:.*]] = nf.get_param @wq : tensor<8x4xf32>
// CHECK: %[[Y:.*]] = nf.linear %[[X]], %[[W]] : tensor<2x3x4xf32>, tensor<8x4xf32> -> tensor<2x3x8xf32>
// CHECK: %[[WB:.*]] = nf.get_param @wbf : tensor<8x4xbf16>
// CHECK: %[[Z:.*]] = nf.linear %[[H]], %[[WB]] : tensor<4xbf16>, tensor<8x4xbf16> -> tensor<8xbf16>
// CHECK: return %[[Y]], %[[Z]] : tensor<2x3x8xf32>, tensor<8xbf16>
func.func @linear_embedding(%t: tensor<2x3xi32>, %h: tensor<4xbf16>) -> (tensor<2x3x8xf32>, tensor<8xbf16>) {
  %e = nf.get_param @wte : tensor<16x4xf32>
  %x = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  %w = nf.get_param @wq : tensor<8x4xf32>
  %y = nf.linear %x, %w : tensor<2x3x4xf32>, tensor<8x4xf32> -> tensor<2x3x8xf32>
  %wb = nf.get_param @wbf : tensor<8x4xbf16>
  %z = nf.linear %h, %wb : tensor<4xbf16>, tensor<8x4xbf16> -> tensor<8xbf16>
  return %y, %z : tensor<2x3x8xf32>, tensor<8xbf16>
}

// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x8xf32>)
// CHECK: %[[Q:.*]] = nf.split_heads %[[X]] : tensor<2x3x8xf32> -> tensor<2x3x2x4xf32>
// CHECK: %[[ROPE:.*]] = nf.attention %[[Q]], %[[Q]], %[[Q]] rope(1.000000e+04) : tensor<2x3x2x4xf32>
// CHECK: %[[PLAIN:.*]] = nf.attention %[[ROPE]], %[[Q]], %[[Q]] : tensor<2x3x2x4xf32>
// Odd head dimensions are fine without RoPE.
// CHECK: %[[ODD:.*]] = nf.split_heads %[[X]] : tensor<2x3x8xf32> -> tensor<2x3x8x1xf32>
// CHECK: %[[ODDA:.*]] = nf.attention %[[ODD]], %[[ODD]], %[[ODD]] : tensor<2x3x8x1xf32>
// CHECK: %[[Y:.*]] = nf.merge_heads %[[PLAIN]] : tensor<2x3x2x4xf32> -> tensor<2x3x8xf32>
// CHECK: %[[Y1:.*]] = nf.merge_heads %[[ODDA]] : tensor<2x3x8x1xf32> -> tensor<2x3x8xf32>
// CHECK: return %[[Y]], %[[Y1]] : tensor<2x3x8xf32>, tensor<2x3x8xf32>
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

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[P:[^:]*]]: tensor<3x4xf32>, %[[V:[^:]*]]: tensor<4xf32>, %[[S:[^:]*]]: tensor<f32>)
// CHECK: %[[G:.*]] = nf.gelu %[[X]] : tensor<2x3x4xf32>
// CHECK: %[[SI:.*]] = nf.silu %[[G]] : tensor<2x3x4xf32>
// CHECK: %[[A0:.*]] = nf.add %[[SI]], %[[X]] : tensor<2x3x4xf32>, tensor<2x3x4xf32>
// CHECK: %[[A1:.*]] = nf.add %[[A0]], %[[P]] : tensor<2x3x4xf32>, tensor<3x4xf32>
// CHECK: %[[A2:.*]] = nf.add %[[A1]], %[[V]] : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: %[[A3:.*]] = nf.add %[[A2]], %[[S]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[M0:.*]] = nf.mul %[[A3]], %[[X]] : tensor<2x3x4xf32>, tensor<2x3x4xf32>
// CHECK: %[[M1:.*]] = nf.mul %[[M0]], %[[P]] : tensor<2x3x4xf32>, tensor<3x4xf32>
// CHECK: %[[M2:.*]] = nf.mul %[[M1]], %[[V]] : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: %[[M3:.*]] = nf.mul %[[M2]], %[[S]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[SS:.*]] = nf.mul %[[S]], %[[S]] : tensor<f32>, tensor<f32>
// CHECK: %[[GS:.*]] = nf.gelu %[[SS]] : tensor<f32>
// CHECK: return %[[M3]], %[[GS]] : tensor<2x3x4xf32>, tensor<f32>
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

// CHECK-LABEL: func.func @loss
// CHECK-SAME: (%[[L:[^:]*]]: tensor<2x3x16xf32>, %[[T:[^:]*]]: tensor<2x3xi32>, %[[L1:[^:]*]]: tensor<16xbf16>, %[[T1:[^:]*]]: tensor<i32>)
// CHECK: %[[CE:.*]] = nf.cross_entropy %[[L]], %[[T]] : tensor<2x3x16xf32>, tensor<2x3xi32> -> tensor<f32>
// CHECK: %[[CE1:.*]] = nf.cross_entropy %[[L1]], %[[T1]] : tensor<16xbf16>, tensor<i32> -> tensor<bf16>
// CHECK: return %[[CE]], %[[CE1]] : tensor<f32>, tensor<bf16>
func.func @loss(%l: tensor<2x3x16xf32>, %t: tensor<2x3xi32>, %l1: tensor<16xbf16>, %t1: tensor<i32>) -> (tensor<f32>, tensor<bf16>) {
  %0 = nf.cross_entropy %l, %t : tensor<2x3x16xf32>, tensor<2x3xi32> -> tensor<f32>
  %1 = nf.cross_entropy %l1, %t1 : tensor<16xbf16>, tensor<i32> -> tensor<bf16>
  return %0, %1 : tensor<f32>, tensor<bf16>
}

//===----------------------------------------------------------------------===//
// Gradient ops (emitted by nf-autodiff)
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @grads
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[DY:[^:]*]]: tensor<2x3x4xf32>, %[[A:[^:]*]]: tensor<f32>, %[[G:[^:]*]]: tensor<4xf32>, %[[W:[^:]*]]: tensor<8x4xf32>, %[[DO:[^:]*]]: tensor<2x3x8xf32>, %[[T:[^:]*]]: tensor<2x3xi32>, %[[Q:[^:]*]]: tensor<2x3x2x4xf32>)
// CHECK: %[[ONE:.*]] = nf.fill 1.000000e+00 : tensor<f32>
// CHECK: %[[RED:.*]] = nf.reduce_to %[[DY]] : tensor<2x3x4xf32> -> tensor<4xf32>
// CHECK: %[[RED0:.*]] = nf.reduce_to %[[DY]] : tensor<2x3x4xf32> -> tensor<f32>
// CHECK: %[[RG:.*]] = nf.rmsnorm_grad %[[X]], %[[DY]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: %[[LG:.*]] = nf.layernorm_grad %[[X]], %[[DY]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: %[[DX0:.*]], %[[DA0:.*]] = nf.dyt_grad %[[X]], %[[A]], %[[DY]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[DX1:.*]], %[[DA1:.*]], %[[DS1:.*]] = nf.derf_grad %[[X]], %[[A]], %[[A]], %[[DY]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[DX2:.*]], %[[DA2:.*]], %[[DS2:.*]] = nf.derf_ema_grad %[[X]], %[[A]], %[[A]], %[[A]], %[[DY]] blend(5.000000e-01) : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %[[DX3:.*]], %[[DG3:.*]] = nf.scale_grad %[[X]], %[[G]], %[[DY]] : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: %[[DX4:.*]], %[[DW4:.*]] = nf.linear_grad %[[X]], %[[W]], %[[DO]] : tensor<2x3x4xf32>, tensor<8x4xf32>, tensor<2x3x8xf32>
// CHECK: %[[DE:.*]] = nf.embedding_grad %[[T]], %[[DY]] : tensor<2x3xi32>, tensor<2x3x4xf32> -> tensor<16x4xf32>
// CHECK: %[[DQ:.*]], %[[DK:.*]], %[[DV:.*]] = nf.attention_grad %[[Q]], %[[Q]], %[[Q]], %[[Q]] rope(1.000000e+04) : tensor<2x3x2x4xf32>
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = nf.attention_grad %[[Q]], %[[Q]], %[[Q]], %[[DQ]] output(%[[Q]]) : tensor<2x3x2x4xf32>
// CHECK: %[[GG:.*]] = nf.gelu_grad %[[X]], %[[DY]] : tensor<2x3x4xf32>
// CHECK: %[[SG:.*]] = nf.silu_grad %[[X]], %[[GG]] : tensor<2x3x4xf32>
// CHECK: %[[CG:.*]] = nf.cross_entropy_grad %[[X]], %[[T]], %[[ONE]] : tensor<2x3x4xf32>, tensor<2x3xi32>, tensor<f32>
// CHECK: return %[[RED]], %[[RED0]], %[[RG]], %[[LG]], %[[DX0]], %[[DA0]], %[[DS2]], %[[DG3]], %[[DW4]], %[[DE]], %[[DV]], %[[SG]], %[[CG]] :
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
  %11:3 = nf.attention_grad %q, %q, %q, %10#0 output(%q) : tensor<2x3x2x4xf32>
  %12 = nf.gelu_grad %x, %dy : tensor<2x3x4xf32>
  %13 = nf.silu_grad %x, %12 : tensor<2x3x4xf32>
  %14 = nf.cross_entropy_grad %x, %t, %one : tensor<2x3x4xf32>, tensor<2x3xi32>, tensor<f32>
  return %0, %1, %2, %3, %4#0, %4#1, %6#2, %7#1, %8#1, %9, %10#2, %13, %14 : tensor<4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<8x4xf32>, tensor<16x4xf32>, tensor<2x3x2x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

//===----------------------------------------------------------------------===//
// Optimizer ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @optimizer
// CHECK-SAME: (%[[STEP:[^:]*]]: tensor<f32>, %[[GW:[^:]*]]: tensor<8x4xf32>, %[[GS:[^:]*]]: tensor<4xf32>, %[[M:[^:]*]]: tensor<4xf32>, %[[V:[^:]*]]: tensor<4xf32>, %[[BUF:[^:]*]]: tensor<8x4xf32>)
// CHECK: %[[F:.*]] = nf.lr_factor %[[STEP]] <warmup_cosine> warmup(10) total(100) decay(0) min(1.000000e-01)
// CHECK: %[[F1:.*]] = nf.lr_factor %[[STEP]] <wsd> warmup(10) total(100) decay(20) min(0.000000e+00)
// CHECK: %[[F2:.*]] = nf.lr_factor %[[STEP]] <constant> warmup(0) total(1) decay(0) min(1.000000e+00)
// CHECK: %[[N:.*]] = nf.global_norm %[[GW]], %[[GS]] : tensor<8x4xf32>, tensor<4xf32>
// CHECK: %[[C:.*]] = nf.clip_coef %[[N]] max(1.000000e+00)
// CHECK: %[[P:.*]] = nf.get_param @ln_out : tensor<4xf32>
// CHECK: %[[NP:.*]], %[[NM:.*]], %[[NV:.*]] = nf.adamw %[[P]], %[[GS]], %[[M]], %[[V]] lr(%[[F]]) step(%[[STEP]]) betas(9.000000e-01, 5.000000e-01) eps(1.000000e-08) wd(0.000000e+00) : tensor<4xf32>
// CHECK: nf.update_param @ln_out, %[[NP]] : tensor<4xf32>
// CHECK: %[[W:.*]] = nf.get_param @wq : tensor<8x4xf32>
// CHECK: %[[NW:.*]], %[[NB:.*]] = nf.muon %[[W]], %[[GW]], %[[BUF]] lr(%[[F1]]) momentum(9.000000e-01) nesterov(true) ns_steps(5) scale <keller> wd(1.000000e-01) : tensor<8x4xf32>
// CHECK: %{{.*}}, %{{.*}} = nf.muon %[[W]], %[[GW]], %[[BUF]] lr(%[[F2]]) momentum(0.000000e+00) nesterov(false) ns_steps(1) scale <match_adamw> wd(0.000000e+00) : tensor<8x4xf32>
// CHECK: %[[MB:.*]], %[[U:.*]] = nf.momentum %[[GW]], %[[BUF]] beta(9.000000e-01) nesterov(true) : tensor<8x4xf32>
// The clip coefficient as the optimizer ops' grad_scale.
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = nf.adamw %[[P]], %[[GS]], %[[M]], %[[V]] grad_scale(%[[C]]) lr(%[[F]]) step(%[[STEP]]) betas(9.000000e-01, 5.000000e-01) eps(1.000000e-08) wd(0.000000e+00) : tensor<4xf32>
// CHECK: %{{.*}}, %{{.*}} = nf.muon %[[W]], %[[GW]], %[[BUF]] grad_scale(%[[C]]) lr(%[[F1]]) momentum(9.000000e-01) nesterov(true) ns_steps(5) scale <keller> wd(1.000000e-01) : tensor<8x4xf32>
// CHECK: %{{.*}}, %{{.*}} = nf.momentum %[[GW]], %[[BUF]] grad_scale(%[[C]]) beta(9.000000e-01) nesterov(true) : tensor<8x4xf32>
// CHECK: %[[O:.*]] = nf.newton_schulz %[[U]] steps(5) coeffs(3.444500e+00, -4.775000e+00, 2.031500e+00) : tensor<8x4xf32>
// CHECK: %[[NW2:.*]] = nf.muon_apply %[[W]], %[[O]] lr(%[[C]]) factor(1.000000e+00) wd(1.000000e-01) : tensor<8x4xf32>
// CHECK: nf.update_param @wq, %[[NW2]] : tensor<8x4xf32>
// CHECK: return %[[NM]], %[[NV]], %[[NB]], %[[MB]]
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
  %sp:3 = nf.adamw %p, %gs, %m, %v grad_scale(%c) lr(%f) step(%step) betas(0.9, 0.5) eps(1.0e-8) wd(0.0) : tensor<4xf32>
  %sw:2 = nf.muon %w, %gw, %buf grad_scale(%c) lr(%f1) momentum(0.9) nesterov(true) ns_steps(5) scale <keller> wd(0.1) : tensor<8x4xf32>
  %sm:2 = nf.momentum %gw, %buf grad_scale(%c) beta(0.9) nesterov(true) : tensor<8x4xf32>
  %o = nf.newton_schulz %mb#1 steps(5) coeffs(3.4445, -4.775, 2.0315) : tensor<8x4xf32>
  %nw2 = nf.muon_apply %w, %o lr(%c) factor(1.0) wd(0.1) : tensor<8x4xf32>
  nf.update_param @wq, %nw2 : tensor<8x4xf32>
  return %np#1, %np#2, %nw#1, %mb#0 : tensor<4xf32>, tensor<4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
}
