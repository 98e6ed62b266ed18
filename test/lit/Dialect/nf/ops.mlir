// RUN: nf-opt %s | FileCheck %s
// Stable round trip: print, parse, print gives the same text, and the
// generic form parses back to the same ops.
// RUN: nf-opt %s | nf-opt | FileCheck %s
// RUN: nf-opt %s -mlir-print-op-generic | nf-opt | FileCheck %s

// CHECK-LABEL: module
// CHECK: nf.param @m : tensor<8x4xf32> init <normal(2.000000e-02)> group <matrix> weight_decay(1.000000e-01) optimizer <muon>
// CHECK: nf.param @e : tensor<16x4xf32> init <normal(1.000000e+00)> group <embedding> optimizer <adamw>
// CHECK: nf.param @h : tensor<16x4xf32> init <zeros> group <head>
// CHECK: nf.param @gi : tensor<4xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01)
// CHECK: nf.param @go : tensor<4xf32> init <ones> group <scale> role <output> weight_decay(0.000000e+00)
// CHECK: nf.param @b : tensor<4xf32> init <zeros> group <bias>
// CHECK: nf.param @a : tensor<f32> init <constant(5.000000e-01)> group <scalar>
// CHECK: nf.param @s : tensor<f32> init <constant(-2.500000e-01)> group <scalar>
// CHECK: nf.param @r : tensor<f32> init <constant(1.000000e+00)> group <state>
// CHECK: nf.param @d : tensor<4xf32> init <ones> group <direction> derived_from("gi")
// CHECK: nf.param @g : tensor<f32> init <constant(1.000000e+00)> group <magnitude>
// CHECK: nf.param @bf : tensor<4x4xbf16> init <normal(2.000000e-02)> group <matrix>
nf.param @m : tensor<8x4xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <muon>
nf.param @e : tensor<16x4xf32> init <normal(1.0)> group <embedding> optimizer <adamw>
nf.param @h : tensor<16x4xf32> init <zeros> group <head>
nf.param @gi : tensor<4xf32> init <ones> group <scale> role <input> weight_decay(0.1)
nf.param @go : tensor<4xf32> init <ones> group <scale> role <output> weight_decay(0.0)
nf.param @b : tensor<4xf32> init <zeros> group <bias>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @s : tensor<f32> init <constant(-0.25)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
nf.param @d : tensor<4xf32> init <ones> group <direction> derived_from("gi")
nf.param @g : tensor<f32> init <constant(1.0)> group <magnitude>
nf.param @bf : tensor<4x4xbf16> init <normal(0.02)> group <matrix>

// CHECK-LABEL: func.func @params
// CHECK: %[[M:.*]] = nf.get_param @m : tensor<8x4xf32>
// CHECK: %[[R:.*]] = nf.get_param @r : tensor<f32>
// CHECK: nf.assign_state @r, %[[R]] : tensor<f32>
func.func @params() -> tensor<8x4xf32> {
  %m = nf.get_param @m : tensor<8x4xf32>
  %r = nf.get_param @r : tensor<f32>
  nf.assign_state @r, %r : tensor<f32>
  return %m : tensor<8x4xf32>
}

// CHECK-LABEL: func.func @norms
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>, %[[A:[^:]*]]: tensor<f32>, %[[S:[^:]*]]: tensor<f32>, %[[R:[^:]*]]: tensor<f32>)
// CHECK: nf.rmsnorm %[[X]] eps(9.9999999999999995E-7) : tensor<2x3x4xf32>
// CHECK: nf.layernorm %[[X]] eps(1.000000e-05) : tensor<2x3x4xf32>
// CHECK: nf.dyt %[[X]], %[[A]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: nf.derf %[[X]], %[[A]], %[[S]] : tensor<2x3x4xf32>, tensor<f32>
// CHECK: %{{.*}}, %{{.*}} = nf.derf_ema %[[X]], %[[A]], %[[S]], %[[R]] momentum(0.98999999999999999) blend(5.000000e-01) : tensor<2x3x4xf32>, tensor<f32>
func.func @norms(%x: tensor<2x3x4xf32>, %a: tensor<f32>, %s: tensor<f32>, %r: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x3x4xf32>
  %1 = nf.layernorm %x eps(1.0e-5) : tensor<2x3x4xf32>
  %2 = nf.dyt %x, %a : tensor<2x3x4xf32>, tensor<f32>
  %3 = nf.derf %x, %a, %s : tensor<2x3x4xf32>, tensor<f32>
  %4, %5 = nf.derf_ema %x, %a, %s, %r momentum(0.99) blend(0.5) : tensor<2x3x4xf32>, tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @layers
// CHECK: nf.scale %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: nf.bias_add %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: nf.linear %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<8x4xf32> -> tensor<2x3x8xf32>
// CHECK: nf.embedding %{{.*}}, %{{.*}} : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
// CHECK: nf.split_heads %{{.*}} : tensor<2x3x8xf32> -> tensor<2x3x2x4xf32>
// CHECK: nf.attention %{{.*}}, %{{.*}}, %{{.*}} rope(1.000000e+04) : tensor<2x3x2x4xf32>
// CHECK: nf.attention %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x2x4xf32>
// CHECK: nf.merge_heads %{{.*}} : tensor<2x3x2x4xf32> -> tensor<2x3x8xf32>
func.func @layers(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %w: tensor<8x4xf32>, %t: tensor<2x3xi32>, %e: tensor<16x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x8xf32>, tensor<2x3x4xf32>) {
  %0 = nf.scale %x, %g : tensor<2x3x4xf32>, tensor<4xf32>
  %1 = nf.bias_add %0, %g : tensor<2x3x4xf32>, tensor<4xf32>
  %2 = nf.linear %1, %w : tensor<2x3x4xf32>, tensor<8x4xf32> -> tensor<2x3x8xf32>
  %3 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  %4 = nf.split_heads %2 : tensor<2x3x8xf32> -> tensor<2x3x2x4xf32>
  %5 = nf.attention %4, %4, %4 rope(1.0e4) : tensor<2x3x2x4xf32>
  %6 = nf.attention %5, %4, %4 : tensor<2x3x2x4xf32>
  %7 = nf.merge_heads %6 : tensor<2x3x2x4xf32> -> tensor<2x3x8xf32>
  return %1, %7, %3 : tensor<2x3x4xf32>, tensor<2x3x8xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @elementwise
// CHECK: nf.gelu %{{.*}} : tensor<2x3x4xf32>
// CHECK: nf.silu %{{.*}} : tensor<2x3x4xf32>
// CHECK: nf.add %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x3x4xf32>
// CHECK: nf.add %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<3x4xf32>
// CHECK: nf.mul %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<f32>
// CHECK: nf.mul %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<4xf32>
// CHECK: nf.cross_entropy %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x3xi32> -> tensor<f32>
func.func @elementwise(%x: tensor<2x3x4xf32>, %p: tensor<3x4xf32>, %s: tensor<f32>, %v: tensor<4xf32>, %t: tensor<2x3xi32>) -> tensor<f32> {
  %0 = nf.gelu %x : tensor<2x3x4xf32>
  %1 = nf.silu %0 : tensor<2x3x4xf32>
  %2 = nf.add %1, %x : tensor<2x3x4xf32>, tensor<2x3x4xf32>
  %3 = nf.add %2, %p : tensor<2x3x4xf32>, tensor<3x4xf32>
  %4 = nf.mul %3, %s : tensor<2x3x4xf32>, tensor<f32>
  %5 = nf.mul %4, %v : tensor<2x3x4xf32>, tensor<4xf32>
  %6 = nf.cross_entropy %5, %t : tensor<2x3x4xf32>, tensor<2x3xi32> -> tensor<f32>
  return %6 : tensor<f32>
}
