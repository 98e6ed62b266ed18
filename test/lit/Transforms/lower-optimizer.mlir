// RUN: nf-opt %s -nf-lower-optimizer | FileCheck %s
// Idempotent.
// RUN: nf-opt %s -nf-lower-optimizer -nf-lower-optimizer | FileCheck %s

// Muon is really orthogonalized: after lowering, Newton-Schulz with the
// quintic coefficients runs on the momentum update (a "Muon" that ran SGD
// would have no nf.newton_schulz here).
// CHECK-LABEL: func.func @tall
// CHECK-SAME: (%[[P:[^:]*]]: tensor<8x4xf32>, %[[G:[^:]*]]: tensor<8x4xf32>, %[[B:[^:]*]]: tensor<8x4xf32>, %[[LR:[^:]*]]: tensor<f32>)
// CHECK: %[[NB:.*]], %[[U:.*]] = nf.momentum %[[G]], %[[B]] beta({{.*}}) nesterov(true)
// CHECK: %[[O:.*]] = nf.newton_schulz %[[U]] steps(5) coeffs(3.444500e+00, -4.775000e+00, 2.031500e+00)
// Keller's scale for an 8x4 (rows > cols) matrix: sqrt(8 / 4).
// CHECK: %[[NP:.*]] = nf.muon_apply %[[P]], %[[O]] lr(%[[LR]]) factor(1.4142135623730951) wd(1.000000e-01)
// CHECK: return %[[NP]], %[[NB]]
// CHECK-NOT: nf.muon %
func.func @tall(%p: tensor<8x4xf32>, %g: tensor<8x4xf32>, %b: tensor<8x4xf32>, %lr: tensor<f32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %np, %nb = nf.muon %p, %g, %b lr(%lr) momentum(0.95) nesterov(true) ns_steps(5) scale <keller> wd(0.1) : tensor<8x4xf32>
  return %np, %nb : tensor<8x4xf32>, tensor<8x4xf32>
}

// Moonshot's match_adamw: 0.2 sqrt(max(4, 16)) = 0.8; wide matrices get
// Keller factor 1.
// CHECK-LABEL: func.func @wide
// CHECK: nf.newton_schulz %{{.*}} steps(3)
// CHECK: nf.muon_apply %{{.*}} factor(8.000000e-01)
func.func @wide(%p: tensor<4x16xf32>, %g: tensor<4x16xf32>, %b: tensor<4x16xf32>, %lr: tensor<f32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %np, %nb = nf.muon %p, %g, %b lr(%lr) momentum(0.9) nesterov(false) ns_steps(3) scale <match_adamw> wd(0.0) : tensor<4x16xf32>
  return %np, %nb : tensor<4x16xf32>, tensor<4x16xf32>
}

// The clip coefficient (grad_scale) goes to the momentum, the op that reads
// the gradient.
// CHECK-LABEL: func.func @clipped
// CHECK-SAME: (%[[P:[^:]*]]: tensor<8x4xf32>, %[[G:[^:]*]]: tensor<8x4xf32>, %[[B:[^:]*]]: tensor<8x4xf32>, %[[LR:[^:]*]]: tensor<f32>, %[[C:[^:]*]]: tensor<f32>)
// CHECK: nf.momentum %[[G]], %[[B]] grad_scale(%[[C]]) beta({{.*}}) nesterov(true)
// CHECK: nf.newton_schulz
// CHECK: nf.muon_apply %[[P]], %{{.*}} lr(%[[LR]])
func.func @clipped(%p: tensor<8x4xf32>, %g: tensor<8x4xf32>, %b: tensor<8x4xf32>, %lr: tensor<f32>, %c: tensor<f32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %np, %nb = nf.muon %p, %g, %b grad_scale(%c) lr(%lr) momentum(0.95) nesterov(true) ns_steps(5) scale <keller> wd(0.1) : tensor<8x4xf32>
  return %np, %nb : tensor<8x4xf32>, tensor<8x4xf32>
}
