// RUN: nf-opt %s -split-input-file -nf-fuse-norm-scale -verify-diagnostics | FileCheck %s
// Idempotent: a second run finds nothing left to fuse.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-scale -nf-fuse-norm-scale | FileCheck %s
// The rewritten IR round-trips through the printer and parser.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-scale | nf-opt -split-input-file | FileCheck %s
// The CUDA target's options: no LayerNorm, rows of at most max-row values.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-scale='layernorm=false max-row=2' | FileCheck %s --check-prefix=LIMITED
// nf-unfuse gives back the separate ops.
// RUN: nf-opt %s -split-input-file -nf-fuse-norm-scale -nf-unfuse | FileCheck %s --check-prefix=UNFUSE
// A negative row limit is an error naming the option; a bad value is refused
// when the pipeline is parsed.
// RUN: not nf-opt %s -split-input-file -nf-fuse-norm-scale='max-row=-1' 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: error: nf-fuse-norm-scale: max-row must be 0 (no limit) or more, got -1
// RUN: not nf-opt %s -split-input-file -nf-fuse-norm-scale='layernorm=maybe' 2>&1 | FileCheck %s --check-prefix=BADBOOL
// BADBOOL: for the --layernorm option: 'maybe' is invalid value for boolean argument

// A train step: the scale's gradient and the norm's gradient become one op,
// which leaves the forward scale the norm's only reader, so it fuses too.
// CHECK-LABEL: func.func @train
// CHECK-SAME: (%[[X:[^:]*]]: tensor<3x4xf32>, %[[DY:[^:]*]]: tensor<3x4xf32>)
// CHECK: %[[G:.*]] = nf.get_param @g
// CHECK-NEXT: %[[Y:.*]] = nf.norm_scale <rmsnorm> %[[X]], %[[G]] eps(9.9999999999999995E-7) : tensor<3x4xf32>, tensor<4xf32>
// CHECK-NEXT: %[[DX:.*]], %[[DG:.*]] = nf.norm_scale_grad <rmsnorm> %[[X]], %[[G]], %[[DY]] eps(9.9999999999999995E-7) : tensor<3x4xf32>, tensor<4xf32>
// CHECK-NEXT: return %[[Y]], %[[DX]], %[[DG]]
// LIMITED-LABEL: func.func @train
// LIMITED: nf.rmsnorm
// LIMITED: nf.scale
// LIMITED: nf.scale_grad
// LIMITED: nf.rmsnorm_grad
// UNFUSE-LABEL: func.func @train
// UNFUSE-SAME: (%[[X:[^:]*]]: tensor<3x4xf32>, %[[DY:[^:]*]]: tensor<3x4xf32>)
// UNFUSE: %[[G:.*]] = nf.get_param @g
// UNFUSE: %[[N:.*]] = nf.rmsnorm %[[X]]
// UNFUSE: %[[Y:.*]] = nf.scale %[[N]], %[[G]]
// UNFUSE: %[[N2:.*]] = nf.rmsnorm %[[X]]
// UNFUSE: %[[DN:.*]], %[[DG:.*]] = nf.scale_grad %[[N2]], %[[G]], %[[DY]]
// UNFUSE: %[[DX:.*]] = nf.rmsnorm_grad %[[X]], %[[DN]]
// UNFUSE: return %[[Y]], %[[DX]], %[[DG]]
// UNFUSE-NOT: norm_scale
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @train(%x: tensor<3x4xf32>, %dy: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) {
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %y = nf.scale %n, %g : tensor<3x4xf32>, tensor<4xf32>
  %dn, %dg = nf.scale_grad %n, %g, %dy : tensor<3x4xf32>, tensor<4xf32>
  %dx = nf.rmsnorm_grad %x, %dn eps(1.0e-6) : tensor<3x4xf32>
  return %y, %dx, %dg : tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>
}

// -----

// LayerNorm fuses the same way (the CPU target's kernels take both kinds).
// CHECK-LABEL: func.func @layernorm
// CHECK: nf.norm_scale <layernorm>
// CHECK: nf.norm_scale_grad <layernorm>
// CHECK-NOT: nf.layernorm
// LIMITED-LABEL: func.func @layernorm
// LIMITED: nf.layernorm
// LIMITED: nf.scale
// LIMITED: nf.layernorm_grad
// LIMITED-NOT: norm_scale
// UNFUSE-LABEL: func.func @layernorm
// UNFUSE: nf.layernorm
// UNFUSE: nf.scale
// UNFUSE: nf.layernorm
// UNFUSE: nf.scale_grad
// UNFUSE: nf.layernorm_grad
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @layernorm(%x: tensor<3x4xf32>, %dy: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) {
  %n = nf.layernorm %x eps(1.0e-5) : tensor<3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %y = nf.scale %n, %g : tensor<3x4xf32>, tensor<4xf32>
  %dn, %dg = nf.scale_grad %n, %g, %dy : tensor<3x4xf32>, tensor<4xf32>
  %dx = nf.layernorm_grad %x, %dn eps(1.0e-5) : tensor<3x4xf32>
  return %y, %dx, %dg : tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>
}

// -----

// After nf-fuse-residual-norm: the scale joins nf.add_rmsnorm (its gamma,
// read after the sum, moves up), and the backward keeps the residual
// stream's gradient as its addend.
// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[A:[^:]*]]: tensor<3x4xf32>, %[[B:[^:]*]]: tensor<3x4xf32>, %[[DY:[^:]*]]: tensor<3x4xf32>, %[[R:[^:]*]]: tensor<3x4xf32>)
// CHECK: %[[G:.*]] = nf.get_param @g
// CHECK-NEXT: %[[S:.*]], %[[Y:.*]] = nf.add_rmsnorm %[[A]], %[[B]] scale(%[[G]] : tensor<4xf32>) eps(9.9999999999999995E-7) : tensor<3x4xf32>
// CHECK-NEXT: %[[M:.*]] = nf.mul %[[S]], %[[S]]
// CHECK-NEXT: %[[DX:.*]], %[[DG:.*]] = nf.norm_scale_grad <rmsnorm> %[[S]], %[[G]], %[[DY]] plus %[[R]] : tensor<3x4xf32> eps(9.9999999999999995E-7) : tensor<3x4xf32>, tensor<4xf32>
// CHECK-NEXT: return %[[M]], %[[Y]], %[[DX]], %[[DG]]
// UNFUSE-LABEL: func.func @residual
// UNFUSE: %[[S:.*]], %[[N:.*]] = nf.add_rmsnorm %{{.*}}, %{{.*}} eps
// UNFUSE: nf.scale %[[N]]
// UNFUSE: nf.scale_grad
// UNFUSE: nf.add_rmsnorm_grad %[[S]], %{{.*}} plus
// UNFUSE-NOT: norm_scale
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @residual(%a: tensor<3x4xf32>, %b: tensor<3x4xf32>, %dy: tensor<3x4xf32>, %r: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>) {
  %s, %n = nf.add_rmsnorm %a, %b eps(1.0e-6) : tensor<3x4xf32>
  %m = nf.mul %s, %s : tensor<3x4xf32>, tensor<3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %y = nf.scale %n, %g : tensor<3x4xf32>, tensor<4xf32>
  %dn, %dg = nf.scale_grad %n, %g, %dy : tensor<3x4xf32>, tensor<4xf32>
  %dx = nf.add_rmsnorm_grad %s, %dn plus %r eps(1.0e-6) : tensor<3x4xf32>
  return %m, %y, %dx, %dg : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>
}

// -----

// Not fused: branch scales sharing one norm (its rows are read twice), a
// normalized tensor that is returned, a backward whose dgamma is read before
// the norm gradient, and a norm gradient with a different eps.
// CHECK-LABEL: func.func @unfused
// CHECK-NOT: norm_scale
// CHECK: return
nf.param @g : tensor<4xf32> init <ones> group <scale>
nf.param @h : tensor<4xf32> init <ones> group <scale>
func.func @unfused(%x: tensor<3x4xf32>, %dy: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %h = nf.get_param @h : tensor<4xf32>
  %y0 = nf.scale %n, %g : tensor<3x4xf32>, tensor<4xf32>
  %y1 = nf.scale %n, %h : tensor<3x4xf32>, tensor<4xf32>
  %m = nf.layernorm %x eps(1.0e-5) : tensor<3x4xf32>
  %z = nf.scale %m, %g : tensor<3x4xf32>, tensor<4xf32>
  %dm, %dg = nf.scale_grad %m, %g, %dy : tensor<3x4xf32>, tensor<4xf32>
  %early = nf.mul %x, %dg : tensor<3x4xf32>, tensor<4xf32>
  %dx = nf.layernorm_grad %x, %dm eps(1.0e-5) : tensor<3x4xf32>
  %dn, %dh = nf.scale_grad %n, %h, %dy : tensor<3x4xf32>, tensor<4xf32>
  %dx2 = nf.rmsnorm_grad %x, %dn eps(1.0e-5) : tensor<3x4xf32>
  return %y0, %y1, %z, %dx, %dg, %early, %dx2 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// The forward alone (an eval function): the scale is the norm's only reader.
// CHECK-LABEL: func.func @forward
// CHECK: nf.norm_scale <rmsnorm>
// CHECK-NOT: nf.rmsnorm
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @forward(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x3x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %y = nf.scale %n, %g : tensor<2x3x4xf32>, tensor<4xf32>
  return %y : tensor<2x3x4xf32>
}
