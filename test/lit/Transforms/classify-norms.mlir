// RUN: nf-opt %s -split-input-file -nf-classify-norms -verify-diagnostics | FileCheck %s
// Idempotent: running twice equals running once.
// RUN: nf-opt %s -split-input-file -nf-classify-norms -verify-diagnostics | nf-opt -split-input-file -nf-classify-norms > %t.twice
// RUN: nf-opt %s -split-input-file -nf-classify-norms -verify-diagnostics > %t.once
// RUN: diff %t.once %t.twice

// Pre-Norm: the norm's output feeds only the Q/K/V linear maps -> input.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale> role <input>
// CHECK: nf.param @w : tensor<8x8xf32> init <normal(2.000000e-02)> group <matrix>{{$}}
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @pre_norm(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %q = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %k = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// A bias add between the scale and the linear map still folds -> input.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale> role <input>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @through_bias(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %b = nf.get_param @b : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.linear %sb, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Peri-Norm branch output: the scaled value reaches the residual add -> output.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale> role <output>
nf.param @g : tensor<8xf32> init <ones> group <scale>
func.func @branch_output(%x: tensor<2x8xf32>, %f: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %f eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// One consumer that is not a linear map is enough: Post-Norm's output feeds
// both the next linear map and the residual stream -> output.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale> role <output>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @post_norm(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = nf.get_param @a : tensor<f32>
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %n = nf.dyt %x, %a : tensor<2x8xf32>, tensor<f32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %z = nf.add %s, %y : tensor<2x8xf32>, tensor<2x8xf32>
  return %z : tensor<2x8xf32>
}

// -----

// QK-norm: the scaled per-head queries feed attention -> output. A role
// written before is recomputed, not trusted.
// CHECK-LABEL: module
// CHECK: nf.param @gq : tensor<4xf32> init <ones> group <scale> role <output>
nf.param @gq : tensor<4xf32> init <ones> group <scale> role <input>
func.func @qk_norm(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %g = nf.get_param @gq : tensor<4xf32>
  %n = nf.rmsnorm %q eps(1.0e-6) : tensor<1x2x2x4xf32>
  %s = nf.scale %n, %g : tensor<1x2x2x4xf32>, tensor<4xf32>
  %o = nf.attention %s, %s, %q rope(1.0e4) : tensor<1x2x2x4xf32>
  return %o : tensor<1x2x2x4xf32>
}

// -----

// gamma read by something other than nf.scale cannot be folded -> output,
// even though its nf.scale use alone would fold.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale> role <output>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @gamma_reused(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %m = nf.mul %x, %g : tensor<2x8xf32>, tensor<8xf32>
  return %y, %m : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Unchanged: no scale parameters at all.
// CHECK-LABEL: module
// CHECK: nf.param @w : tensor<8x8xf32> init <normal(2.000000e-02)> group <matrix>{{$}}
// CHECK-NOT: role
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @no_scales(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %x, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// A scale vector nothing reads: warned about, and given the conservative role.
// CHECK-LABEL: module
// CHECK: nf.param @unused : tensor<8xf32> init <ones> group <scale> role <output>
// expected-warning @+1 {{scale vector @unused is never read; classified as output}}
nf.param @unused : tensor<8xf32> init <ones> group <scale>
