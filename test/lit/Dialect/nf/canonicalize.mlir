// RUN: nf-opt %s -canonicalize -cse | FileCheck %s

// nf compute ops are pure: duplicates fold into one (CSE), unused ones go
// away, and nf.assign_state (a write) stays.
// CHECK-LABEL: func.func @pure
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x4xf32>)
// CHECK: %[[G:.*]] = nf.get_param @g
// CHECK-NOT: nf.get_param @g
// CHECK: %[[N:.*]] = nf.rmsnorm %[[X]]
// CHECK-NOT: nf.rmsnorm
// CHECK-NOT: nf.gelu
// CHECK: %[[S:.*]] = nf.scale %[[N]], %[[G]]
// CHECK: %[[R:.*]] = nf.get_param @r
// CHECK: nf.assign_state @r, %[[R]]
// CHECK: return %[[S]], %[[S]]
nf.param @g : tensor<4xf32> init <ones> group <scale>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @pure(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %g1 = nf.get_param @g : tensor<4xf32>
  %g2 = nf.get_param @g : tensor<4xf32>
  %n1 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %n2 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %dead = nf.gelu %n1 : tensor<2x4xf32>
  %s1 = nf.scale %n1, %g1 : tensor<2x4xf32>, tensor<4xf32>
  %s2 = nf.scale %n2, %g2 : tensor<2x4xf32>, tensor<4xf32>
  %r = nf.get_param @r : tensor<f32>
  nf.assign_state @r, %r : tensor<f32>
  return %s1, %s2 : tensor<2x4xf32>, tensor<2x4xf32>
}
