// RUN: nf-opt %s -split-input-file -nf-fuse-loss | FileCheck %s
// Idempotent, and the result round-trips through the printer and parser.
// RUN: nf-opt %s -split-input-file -nf-fuse-loss -nf-fuse-loss | nf-opt -split-input-file | FileCheck %s
// nf-unfuse gives back the loss, the seed and the gradient.
// RUN: nf-opt %s -split-input-file -nf-fuse-loss -nf-unfuse | FileCheck %s --check-prefix=UNFUSE

// The train step's shape: the loss, its constant seed, the gradient.
// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[Z:[^:]*]]: tensor<2x3x5xf32>, %[[T:[^:]*]]: tensor<2x3xi32>)
// CHECK-NEXT: %[[L:.*]], %[[DZ:.*]] = nf.fused_cross_entropy %[[Z]], %[[T]] seed(1.000000e+00) : tensor<2x3x5xf32>, tensor<2x3xi32>, tensor<f32>
// CHECK-NEXT: return %[[L]], %[[DZ]]
// UNFUSE-LABEL: func.func @train
// UNFUSE: %[[L:.*]] = nf.cross_entropy %[[Z:[^,]*]], %[[T:[^ ]*]] :
// UNFUSE-NEXT: %[[S:.*]] = nf.fill 1.000000e+00 : tensor<f32>
// UNFUSE-NEXT: %[[DZ:.*]] = nf.cross_entropy_grad %[[Z]], %[[T]], %[[S]]
// UNFUSE-NEXT: return %[[L]], %[[DZ]]
func.func @train(%z: tensor<2x3x5xf32>, %t: tensor<2x3xi32>) -> (tensor<f32>, tensor<2x3x5xf32>) {
  %l = nf.cross_entropy %z, %t : tensor<2x3x5xf32>, tensor<2x3xi32> -> tensor<f32>
  %s = nf.fill 1.0 : tensor<f32>
  %dz = nf.cross_entropy_grad %z, %t, %s : tensor<2x3x5xf32>, tensor<2x3xi32>, tensor<f32>
  return %l, %dz : tensor<f32>, tensor<2x3x5xf32>
}

// -----

// A seed other than 1 (a scaled loss) is carried as it is.
// CHECK-LABEL: func.func @scaled
// CHECK: nf.fused_cross_entropy %{{.*}}, %{{.*}} seed(2.500000e-01)
func.func @scaled(%z: tensor<3x5xf32>, %t: tensor<3xi32>) -> (tensor<f32>, tensor<3x5xf32>) {
  %l = nf.cross_entropy %z, %t : tensor<3x5xf32>, tensor<3xi32> -> tensor<f32>
  %s = nf.fill 0.25 : tensor<f32>
  %dz = nf.cross_entropy_grad %z, %t, %s : tensor<3x5xf32>, tensor<3xi32>, tensor<f32>
  return %l, %dz : tensor<f32>, tensor<3x5xf32>
}

// -----

// Not fused: a cotangent that is no constant, other targets, and an op
// between the loss and its gradient (a reader of the logits).
// CHECK-LABEL: func.func @unfused
// CHECK-NOT: fused_cross_entropy
// CHECK: return
func.func @unfused(%z: tensor<3x5xf32>, %t: tensor<3xi32>, %u: tensor<3xi32>, %g: tensor<f32>) -> (tensor<f32>, tensor<3x5xf32>, tensor<f32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %l = nf.cross_entropy %z, %t : tensor<3x5xf32>, tensor<3xi32> -> tensor<f32>
  %dz = nf.cross_entropy_grad %z, %t, %g : tensor<3x5xf32>, tensor<3xi32>, tensor<f32>
  %l2 = nf.cross_entropy %z, %u : tensor<3x5xf32>, tensor<3xi32> -> tensor<f32>
  %s = nf.fill 1.0 : tensor<f32>
  %dz2 = nf.cross_entropy_grad %z, %t, %s : tensor<3x5xf32>, tensor<3xi32>, tensor<f32>
  %m = nf.mul %z, %z : tensor<3x5xf32>, tensor<3x5xf32>
  %dz3 = nf.cross_entropy_grad %z, %u, %s : tensor<3x5xf32>, tensor<3xi32>, tensor<f32>
  return %l, %dz, %l2, %dz2, %dz3 : tensor<f32>, tensor<3x5xf32>, tensor<f32>, tensor<3x5xf32>, tensor<3x5xf32>
}
