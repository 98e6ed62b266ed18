// RUN: nf-opt %s -split-input-file -nf-fuse-grad-accumulate | FileCheck %s
// Idempotent: a second run finds nothing left to fuse.
// RUN: nf-opt %s -split-input-file -nf-fuse-grad-accumulate -nf-fuse-grad-accumulate | FileCheck %s
// The rewritten IR round-trips.
// RUN: nf-opt %s -split-input-file -nf-fuse-grad-accumulate | nf-opt -split-input-file | FileCheck %s

// Q, K and V read x: autodiff sums their input gradients with two adds;
// each becomes the addend of the GEMM that computes the next term, and
// the weight gradients are unchanged.
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[WQ:[^:]*]]: tensor<5x4xf32>, %[[WK:[^:]*]]: tensor<5x4xf32>, %[[WV:[^:]*]]: tensor<5x4xf32>, %[[DQ:[^:]*]]: tensor<2x3x5xf32>, %[[DK:[^:]*]]: tensor<2x3x5xf32>, %[[DV:[^:]*]]: tensor<2x3x5xf32>)
// CHECK: %[[V:.*]], %[[GV:.*]] = nf.linear_grad %[[X]], %[[WV]], %[[DV]] : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
// CHECK: %[[K:.*]], %[[GK:.*]] = nf.linear_grad %[[X]], %[[WK]], %[[DK]] plus %[[V]] : tensor<2x3x4xf32> : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
// CHECK: %[[Q:.*]], %[[GQ:.*]] = nf.linear_grad %[[X]], %[[WQ]], %[[DQ]] plus %[[K]] : tensor<2x3x4xf32> : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
// CHECK-NOT: nf.add
// CHECK: return %[[Q]], %[[GQ]], %[[GK]], %[[GV]]
func.func @qkv(%x: tensor<2x3x4xf32>, %wq: tensor<5x4xf32>, %wk: tensor<5x4xf32>, %wv: tensor<5x4xf32>, %dq: tensor<2x3x5xf32>, %dk: tensor<2x3x5xf32>, %dv: tensor<2x3x5xf32>)
    -> (tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %v:2 = nf.linear_grad %x, %wv, %dv : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
  %k:2 = nf.linear_grad %x, %wk, %dk : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
  %s = nf.add %v#0, %k#0 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %q:2 = nf.linear_grad %x, %wq, %dq : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<2x3x5xf32>
  %t = nf.add %q#0, %s : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %t, %q#1, %k#1, %v#1 : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}

// -----

// Not fused: an input gradient read twice (it must be stored on its own),
// an addend computed after the linear_grad (it could not be its operand),
// a broadcast add, and a gradient added to itself.
// CHECK-LABEL: func.func @unfused
// CHECK-NOT: plus
// CHECK-COUNT-4: nf.add
// CHECK-NOT: plus
func.func @unfused(%x: tensor<3x4xf32>, %w: tensor<5x4xf32>, %dy: tensor<3x5xf32>, %b: tensor<4xf32>)
    -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %a:2 = nf.linear_grad %x, %w, %dy : tensor<3x4xf32>, tensor<5x4xf32>, tensor<3x5xf32>
  %r0 = nf.add %x, %a#0 : tensor<3x4xf32>, tensor<3x4xf32>
  %c:2 = nf.linear_grad %x, %w, %dy : tensor<3x4xf32>, tensor<5x4xf32>, tensor<3x5xf32>
  %late = nf.mul %x, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %r1 = nf.add %late, %c#0 : tensor<3x4xf32>, tensor<3x4xf32>
  %d:2 = nf.linear_grad %x, %w, %dy : tensor<3x4xf32>, tensor<5x4xf32>, tensor<3x5xf32>
  %r2 = nf.add %d#0, %b : tensor<3x4xf32>, tensor<4xf32>
  %e:2 = nf.linear_grad %x, %w, %dy : tensor<3x4xf32>, tensor<5x4xf32>, tensor<3x5xf32>
  %r3 = nf.add %e#0, %e#0 : tensor<3x4xf32>, tensor<3x4xf32>
  return %a#0, %r0, %r1, %r2, %r3 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}
