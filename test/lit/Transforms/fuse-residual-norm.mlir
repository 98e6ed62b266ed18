// RUN: nf-opt %s -split-input-file -nf-fuse-residual-norm -verify-diagnostics | FileCheck %s
// Idempotent: a second run finds nothing left to fuse.
// RUN: nf-opt %s -split-input-file -nf-fuse-residual-norm -nf-fuse-residual-norm -verify-diagnostics | FileCheck %s
// Rows longer than max-row stay unfused.
// RUN: nf-opt %s -split-input-file -nf-fuse-residual-norm='max-row=2' -verify-diagnostics | FileCheck %s --check-prefix=SHORT
// A row limit below 1 is an error naming the option.
// RUN: not nf-opt %s -split-input-file -nf-fuse-residual-norm='max-row=0' 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: nf-fuse-residual-norm: max-row must be at least 1, got 0
// The rewritten IR round-trips.
// RUN: nf-opt %s -split-input-file -nf-fuse-residual-norm -verify-diagnostics | nf-opt -split-input-file | FileCheck %s

// Forward: the residual add and the next norm become one op with both
// results; the sum stays the residual stream (read by the next add), and
// the normalized rows feed the scale.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[B:[^:]*]]: tensor<2x3x4xf32>, %[[C:[^:]*]]: tensor<2x3x4xf32>)
// CHECK: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm %[[X]], %[[B]] eps(9.9999999999999995E-7) : tensor<2x3x4xf32>
// CHECK-NOT: nf.rmsnorm
// CHECK: %[[Y:.*]] = nf.scale %[[N]], %{{.*}}
// CHECK: %[[R:.*]] = nf.add %[[S]], %[[C]]
// CHECK: return %[[R]], %[[Y]]
// SHORT-LABEL: func.func @forward
// SHORT: nf.add %
// SHORT: nf.rmsnorm
// SHORT-NOT: nf.add_rmsnorm
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @forward(%x: tensor<2x3x4xf32>, %b: tensor<2x3x4xf32>, %c: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %s = nf.add %x, %b : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %n = nf.rmsnorm %s eps(1.0e-6) : tensor<2x3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %y = nf.scale %n, %g : tensor<2x3x4xf32>, tensor<4xf32>
  %r = nf.add %s, %c : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %r, %y : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// A reader of the sum placed between the add and the norm still comes
// after the fused op, which takes the add's place.
// CHECK-LABEL: func.func @reader_between
// CHECK: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm
// CHECK: %[[M:.*]] = nf.mul %[[S]], %[[S]]
// CHECK: return %[[M]], %[[N]]
func.func @reader_between(%x: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %s = nf.add %x, %b : tensor<3x4xf32>, tensor<3x4xf32>
  %m = nf.mul %s, %s : tensor<3x4xf32>, tensor<3x4xf32>
  %n = nf.rmsnorm %s eps(1.0e-6) : tensor<3x4xf32>
  return %m, %n : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// Not fused: a broadcast add (a position table over the batch), an add no
// norm reads, a norm of something that is not an add, and a layernorm.
// CHECK-LABEL: func.func @unfused
// CHECK-NOT: add_rmsnorm
// CHECK: nf.add %{{.*}} : tensor<2x3x4xf32>, tensor<3x4xf32>
// CHECK: nf.rmsnorm
// CHECK: nf.add
// CHECK: nf.rmsnorm
// CHECK: nf.add
// CHECK: nf.layernorm
// CHECK-NOT: add_rmsnorm
func.func @unfused(%x: tensor<2x3x4xf32>, %pos: tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %a = nf.add %x, %pos : tensor<2x3x4xf32>, tensor<3x4xf32>
  %n = nf.rmsnorm %a eps(1.0e-6) : tensor<2x3x4xf32>
  %b = nf.add %x, %x : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %m = nf.rmsnorm %x eps(1.0e-6) : tensor<2x3x4xf32>
  %c = nf.add %b, %m : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %l = nf.layernorm %c eps(1.0e-5) : tensor<2x3x4xf32>
  return %n, %b, %c, %l : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// Backward: the residual stream's gradient joins the norm's input gradient
// in one op, whichever side of the add the norm gradient is on.
// CHECK-LABEL: func.func @backward
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x4xf32>, %[[DY:[^:]*]]: tensor<3x4xf32>, %[[R:[^:]*]]: tensor<3x4xf32>)
// CHECK: %[[A:.*]] = nf.add_rmsnorm_grad %[[X]], %[[DY]] plus %[[R]] eps(9.9999999999999995E-7) : tensor<3x4xf32>
// CHECK: %[[B:.*]] = nf.add_rmsnorm_grad %[[X]], %[[A]] plus %[[R]] eps(9.9999999999999995E-7) : tensor<3x4xf32>
// CHECK-NOT: nf.rmsnorm_grad
// CHECK-NOT: nf.add
// CHECK: return %[[A]], %[[B]]
// SHORT-LABEL: func.func @backward
// SHORT-COUNT-2: nf.rmsnorm_grad
// SHORT-NOT: add_rmsnorm_grad
func.func @backward(%x: tensor<3x4xf32>, %dy: tensor<3x4xf32>, %r: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %g = nf.rmsnorm_grad %x, %dy eps(1.0e-6) : tensor<3x4xf32>
  %a = nf.add %r, %g : tensor<3x4xf32>, tensor<3x4xf32>
  %h = nf.rmsnorm_grad %x, %a eps(1.0e-6) : tensor<3x4xf32>
  %b = nf.add %h, %r : tensor<3x4xf32>, tensor<3x4xf32>
  return %a, %b : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// Not fused: a norm gradient read twice (it must be stored on its own),
// and a norm gradient added to itself.
// CHECK-LABEL: func.func @backward_unfused
// CHECK-NOT: add_rmsnorm_grad
// CHECK-COUNT-2: nf.rmsnorm_grad
// CHECK-NOT: add_rmsnorm_grad
func.func @backward_unfused(%x: tensor<3x4xf32>, %dy: tensor<3x4xf32>, %r: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %g = nf.rmsnorm_grad %x, %dy eps(1.0e-6) : tensor<3x4xf32>
  %a = nf.add %r, %g : tensor<3x4xf32>, tensor<3x4xf32>
  %h = nf.rmsnorm_grad %x, %r eps(1.0e-6) : tensor<3x4xf32>
  %b = nf.add %h, %h : tensor<3x4xf32>, tensor<3x4xf32>
  return %g, %a, %b : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

