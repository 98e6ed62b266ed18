// RUN: nf-opt %s -split-input-file -nf-fuse-norm-linear | FileCheck %s
// Idempotent: running twice equals running once.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-linear -nf-fuse-norm-linear | FileCheck %s
// nf-unfuse undoes it: fuse then unfuse gives back the unfused graph.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-linear -nf-unfuse | FileCheck %s --check-prefix=UNFUSE

// QKV: one shared gamma, three weights -> one op with three results.
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8xf32>)
// CHECK-DAG: %[[G:.*]] = nf.get_param @g
// CHECK-DAG: %[[WQ:.*]] = nf.get_param @wq
// CHECK-DAG: %[[WK:.*]] = nf.get_param @wk
// CHECK-DAG: %[[WV:.*]] = nf.get_param @wv
// CHECK: %[[F:.*]]:3 = nf.fused_norm_linear <rmsnorm> %[[X]] eps(9.9999999999999995E-7) scale(%[[G]]) weights(%[[WQ]], %[[WK]], %[[WV]])
// CHECK-NOT: nf.rmsnorm
// CHECK-NOT: nf.linear
// CHECK: return %[[F]]#0, %[[F]]#1, %[[F]]#2
// UNFUSE-LABEL: func.func @qkv
// UNFUSE: %[[N:.*]] = nf.rmsnorm
// UNFUSE: %[[S:.*]] = nf.scale %[[N]]
// UNFUSE-NOT: nf.scale
// UNFUSE-COUNT-3: nf.linear %[[S]]
// UNFUSE-NOT: nf.fused_norm_linear
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @wq : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wk : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wv : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @qkv(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %wq = nf.get_param @wq : tensor<8x8xf32>
  %q = nf.linear %s, %wq : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wk = nf.get_param @wk : tensor<8x8xf32>
  %k = nf.linear %s, %wk : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wv = nf.get_param @wv : tensor<8x8xf32>
  %v = nf.linear %s, %wv : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k, %v : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Branch-specific scales and a bias per branch (after nf-branch-scales),
// DyT with its alpha.
// CHECK-LABEL: func.func @dyt_branches
// CHECK: %{{.*}}:2 = nf.fused_norm_linear <dyt> %{{.*}}[%{{.*}}] scale(%[[G1:.*]], %[[G2:.*]]) bias(%[[B1:.*]], %[[B2:.*]]) weights(
// CHECK-SAME: (tensor<2x8xf32>, tensor<f32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<16x8xf32>, tensor<16x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>)
// UNFUSE-LABEL: func.func @dyt_branches
// UNFUSE: %[[N:.*]] = nf.dyt
// UNFUSE: %[[S1:.*]] = nf.scale %[[N]]
// UNFUSE: %[[B1:.*]] = nf.bias_add %[[S1]]
// UNFUSE: nf.linear %[[B1]]
// UNFUSE: %[[S2:.*]] = nf.scale %[[N]]
// UNFUSE: %[[B2:.*]] = nf.bias_add %[[S2]]
// UNFUSE: nf.linear %[[B2]]
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @g1 : tensor<8xf32> init <ones> group <scale>
nf.param @g2 : tensor<8xf32> init <ones> group <scale>
nf.param @b1 : tensor<8xf32> init <zeros> group <bias>
nf.param @b2 : tensor<8xf32> init <zeros> group <bias>
nf.param @w1 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @dyt_branches(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %a = nf.get_param @a : tensor<f32>
  %n = nf.dyt %x, %a : tensor<2x8xf32>, tensor<f32>
  %g1 = nf.get_param @g1 : tensor<8xf32>
  %s1 = nf.scale %n, %g1 : tensor<2x8xf32>, tensor<8xf32>
  %b1 = nf.get_param @b1 : tensor<8xf32>
  %t1 = nf.bias_add %s1, %b1 : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<16x8xf32>
  %y1 = nf.linear %t1, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %g2 = nf.get_param @g2 : tensor<8xf32>
  %s2 = nf.scale %n, %g2 : tensor<2x8xf32>, tensor<8xf32>
  %b2 = nf.get_param @b2 : tensor<8xf32>
  %t2 = nf.bias_add %s2, %b2 : tensor<2x8xf32>, tensor<8xf32>
  %w2 = nf.get_param @w2 : tensor<16x8xf32>
  %y2 = nf.linear %t2, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// Derf with alpha and shift, no scale vector (dropped), one weight.
// CHECK-LABEL: func.func @derf_unscaled
// CHECK: nf.fused_norm_linear <derf> %{{.*}}[%{{.*}}, %{{.*}}] weights(%{{.*}}) : (tensor<2x8xf32>, tensor<f32>, tensor<f32>, tensor<16x8xf32>) -> tensor<2x16xf32>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @s : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @w : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @derf_unscaled(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %a = nf.get_param @a : tensor<f32>
  %s = nf.get_param @s : tensor<f32>
  %n = nf.derf %x, %a, %s : tensor<2x8xf32>, tensor<f32>
  %w = nf.get_param @w : tensor<16x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// Unchanged: the normalized value also reaches the residual stream
// (Post-Norm), so it must exist on its own.
// CHECK-LABEL: func.func @post_norm
// CHECK-NOT: nf.fused_norm_linear
// CHECK: nf.layernorm
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @post_norm(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %z = nf.add %n, %y : tensor<2x8xf32>, tensor<2x8xf32>
  return %z : tensor<2x8xf32>
}

// -----

// Unchanged: derf_ema carries running state and is never fused.
// CHECK-LABEL: func.func @derf_ema
// CHECK-NOT: nf.fused_norm_linear
// CHECK: nf.derf_ema
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @s : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @derf_ema(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = nf.get_param @a : tensor<f32>
  %s = nf.get_param @s : tensor<f32>
  %r = nf.get_param @r : tensor<f32>
  %n, %r2 = nf.derf_ema %x, %a, %s, %r momentum(0.99) blend(1.0) : tensor<2x8xf32>, tensor<f32>
  nf.assign_state @r, %r2 : tensor<f32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
