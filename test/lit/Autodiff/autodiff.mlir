// RUN: nf-opt %s -split-input-file -nf-autodiff -verify-diagnostics | FileCheck %s
// Idempotent: @train_step is rebuilt, not duplicated.
// RUN: nf-opt %s -split-input-file -nf-autodiff -nf-autodiff -verify-diagnostics | FileCheck %s
// The result round-trips.
// RUN: nf-opt %s -split-input-file -nf-autodiff -verify-diagnostics | nf-opt -split-input-file | FileCheck %s

// A one-layer model touching every VJP family that gpt-tiny uses: the
// gradient of every parameter, in declaration order; the loss first. The
// forward function stays, before the train step.
// CHECK-LABEL: func.func @forward
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[T:[^:]*]]: tensor<1x4xi32>, %[[Y:[^:]*]]: tensor<1x4xi32>)
// CHECK-SAME: -> (tensor<f32> {nf.name = "loss"}, tensor<8x4xf32> {nf.grad_of = "emb"}, tensor<4xf32> {nf.grad_of = "g"}, tensor<4x4xf32> {nf.grad_of = "w"}, tensor<4xf32> {nf.grad_of = "unused"})
// CHECK: %[[E:.*]] = nf.get_param @emb
// CHECK: %[[X:.*]] = nf.embedding %[[T]], %[[E]]
// CHECK: %[[N:.*]] = nf.rmsnorm %[[X]]
// CHECK: %[[S:.*]] = nf.scale %[[N]], %[[G:.*]] :
// CHECK: %[[H:.*]] = nf.linear %[[S]], %[[W:.*]] :
// CHECK: %[[R:.*]] = nf.add %[[X]], %[[H]]
// CHECK: %[[L:.*]] = nf.linear %[[R]], %[[E2:.*]] :
// CHECK: %[[LOSS:.*]] = nf.cross_entropy %[[L]], %[[Y]]
// CHECK: %[[ONE:.*]] = nf.fill 1.000000e+00 : tensor<f32>
// CHECK: %[[DL:.*]] = nf.cross_entropy_grad %[[L]], %[[Y]], %[[ONE]]
// CHECK: %[[DR:.*]], %[[DE2:.*]] = nf.linear_grad %[[R]], %[[E2]], %[[DL]]
// The residual add sends the same cotangent both ways.
// CHECK: %[[DS:.*]], %[[DW:.*]] = nf.linear_grad %[[S]], %[[W]], %[[DR]]
// CHECK: %[[DN:.*]], %[[DG:.*]] = nf.scale_grad %[[N]], %[[G]], %[[DS]]
// CHECK: %[[DX1:.*]] = nf.rmsnorm_grad %[[X]], %[[DN]] eps({{.*}})
// CHECK: %[[DX:.*]] = nf.add %[[DR]], %[[DX1]]
// CHECK: %[[DE1:.*]] = nf.embedding_grad %[[T]], %[[DX]] : tensor<1x4xi32>, tensor<1x4x4xf32> -> tensor<8x4xf32>
// The tied table gets both reads' gradients.
// CHECK: %[[DE:.*]] = nf.add %[[DE2]], %[[DE1]]
// CHECK: %[[ZERO:.*]] = nf.fill 0.000000e+00 : tensor<4xf32>
// CHECK: return %[[LOSS]], %[[DE]], %[[DG]], %[[DW]], %[[ZERO]]
nf.param @emb : tensor<8x4xf32> init <normal(0.02)> group <embedding>
nf.param @g : tensor<4xf32> init <ones> group <scale>
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix>
nf.param @unused : tensor<4xf32> init <zeros> group <bias>
func.func @forward(%t: tensor<1x4xi32>, %y: tensor<1x4xi32>) -> tensor<f32> {
  %e = nf.get_param @emb : tensor<8x4xf32>
  %x = nf.embedding %t, %e : tensor<1x4xi32>, tensor<8x4xf32> -> tensor<1x4x4xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<1x4x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %s = nf.scale %n, %g : tensor<1x4x4xf32>, tensor<4xf32>
  %w = nf.get_param @w : tensor<4x4xf32>
  %h = nf.linear %s, %w : tensor<1x4x4xf32>, tensor<4x4xf32> -> tensor<1x4x4xf32>
  %r = nf.add %x, %h : tensor<1x4x4xf32>, tensor<1x4x4xf32>
  %e2 = nf.get_param @emb : tensor<8x4xf32>
  %l = nf.linear %r, %e2 : tensor<1x4x4xf32>, tensor<8x4xf32> -> tensor<1x4x8xf32>
  %loss = nf.cross_entropy %l, %y : tensor<1x4x8xf32>, tensor<1x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// Broadcast operands get their cotangent summed back (nf.reduce_to); a
// scalar multiplier gets dy * lhs reduced to a scalar; the Derf-EMA running
// RMS is state: no gradient, and nf.assign_state is kept.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {nf.grad_of = "pos"}, tensor<f32> {nf.grad_of = "s"}, tensor<f32> {nf.grad_of = "a"}, tensor<f32> {nf.grad_of = "sh"})
// CHECK-NOT: nf.grad_of = "r"
// CHECK: nf.assign_state @r
// CHECK: nf.derf_ema_grad %{{.*}}, %{{.*}}, %{{.*}}, %[[RNEW:.*]], %{{.*}} blend(1.000000e+00)
// CHECK: nf.reduce_to %{{.*}} : tensor<2x4x8xf32> -> tensor<f32>
// CHECK: nf.reduce_to %{{.*}} : tensor<2x4x8xf32> -> tensor<4x8xf32>
nf.param @pos : tensor<4x8xf32> init <normal(0.02)> group <embedding>
nf.param @s : tensor<f32> init <constant(2.0)> group <scalar>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @sh : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @forward(%x: tensor<2x4x8xf32>, %y: tensor<2x4xi32>) -> tensor<f32> {
  %p = nf.get_param @pos : tensor<4x8xf32>
  %xp = nf.add %x, %p : tensor<2x4x8xf32>, tensor<4x8xf32>
  %s = nf.get_param @s : tensor<f32>
  %xs = nf.mul %xp, %s : tensor<2x4x8xf32>, tensor<f32>
  %a = nf.get_param @a : tensor<f32>
  %sh = nf.get_param @sh : tensor<f32>
  %r = nf.get_param @r : tensor<f32>
  %z, %r2 = nf.derf_ema %xs, %a, %sh, %r momentum(0.99) blend(1.0) : tensor<2x4x8xf32>, tensor<f32>
  nf.assign_state @r, %r2 : tensor<f32>
  %loss = nf.cross_entropy %z, %y : tensor<2x4x8xf32>, tensor<2x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// expected-error @+1 {{nf-autodiff: no function @forward to differentiate}}
module {
  func.func @other() {
    return
  }
}

// -----

module {
  // expected-error @+1 {{'func.func' op nf-autodiff differentiates a single-block function returning one 0-D loss}}
  func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// nf.add_rmsnorm (nf-fuse-residual-norm's forward op, in a module that is
// differentiated again): the sum's own cotangent and the norm's backward
// join in nf.add_rmsnorm_grad, and both operands of the add receive it.
// CHECK-LABEL: func.func @train_step
// CHECK: %[[X:.*]] = nf.embedding
// CHECK: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm %[[X]], %[[X]] eps
// CHECK: %[[R:.*]] = nf.add %[[S]], %[[N]]
// CHECK: %[[DR:.*]], %{{.*}} = nf.linear_grad %[[R]],
// CHECK: %[[DS:.*]] = nf.add_rmsnorm_grad %[[S]], %[[DR]] plus %[[DR]] eps
// CHECK: %[[DX:.*]] = nf.add %[[DS]], %[[DS]]
// CHECK: nf.embedding_grad %{{.*}}, %[[DX]]
nf.param @emb : tensor<8x4xf32> init <normal(0.02)> group <embedding>
func.func @forward(%t: tensor<1x4xi32>, %y: tensor<1x4xi32>) -> tensor<f32> {
  %e = nf.get_param @emb : tensor<8x4xf32>
  %x = nf.embedding %t, %e : tensor<1x4xi32>, tensor<8x4xf32> -> tensor<1x4x4xf32>
  %s, %n = nf.add_rmsnorm %x, %x eps(1.0e-6) : tensor<1x4x4xf32>
  %r = nf.add %s, %n : tensor<1x4x4xf32>, tensor<1x4x4xf32>
  %l = nf.linear %r, %e : tensor<1x4x4xf32>, tensor<8x4xf32> -> tensor<1x4x8xf32>
  %loss = nf.cross_entropy %l, %y : tensor<1x4x8xf32>, tensor<1x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// Only the normalized rows reach the loss: the plain RMSNorm backward.
// CHECK-LABEL: func.func @train_step
// CHECK: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm
// CHECK: %[[DN:.*]], %{{.*}} = nf.linear_grad %[[N]],
// CHECK: %[[DS:.*]] = nf.rmsnorm_grad %[[S]], %[[DN]] eps
// CHECK-NOT: add_rmsnorm_grad
// CHECK: nf.add %[[DS]], %[[DS]]
nf.param @emb : tensor<8x4xf32> init <normal(0.02)> group <embedding>
func.func @forward(%t: tensor<1x4xi32>, %y: tensor<1x4xi32>) -> tensor<f32> {
  %e = nf.get_param @emb : tensor<8x4xf32>
  %x = nf.embedding %t, %e : tensor<1x4xi32>, tensor<8x4xf32> -> tensor<1x4x4xf32>
  %s, %n = nf.add_rmsnorm %x, %x eps(1.0e-6) : tensor<1x4x4xf32>
  %l = nf.linear %n, %e : tensor<1x4x4xf32>, tensor<8x4xf32> -> tensor<1x4x8xf32>
  %loss = nf.cross_entropy %l, %y : tensor<1x4x8xf32>, tensor<1x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}
