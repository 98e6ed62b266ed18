// RUN: nf-opt %s -split-input-file -nf-md-reparam -verify-diagnostics | FileCheck %s
// RUN: nf-opt %s -split-input-file -nf-md-reparam=per=channel -verify-diagnostics | FileCheck %s --check-prefix=CHAN
// Idempotent: running twice equals running once (no scale-group vectors left).
// RUN: nf-opt %s -split-input-file -nf-md-reparam -nf-md-reparam -verify-diagnostics | FileCheck %s
// RUN: not nf-opt %s -split-input-file -nf-md-reparam=per=row 2>&1 | FileCheck %s --check-prefix=BAD

// gamma = g * v / rms(v): v starts at gamma's init (derived from gamma), g at
// rms(gamma0) = 1 for ones, so gamma is unchanged at the rewrite.
// CHECK-LABEL: module
// CHECK-NOT: nf.param @g :
// CHECK: nf.param @g.direction : tensor<8xf32> init <ones> group <direction> derived_from("g")
// CHECK-NEXT: nf.param @g.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude>
// CHECK-LABEL: func.func @scaled
// CHECK: %[[V:.*]] = nf.get_param @g.direction : tensor<8xf32>
// CHECK: %[[U:.*]] = nf.rmsnorm %[[V]] eps(0.000000e+00) : tensor<8xf32>
// CHECK: %[[M:.*]] = nf.get_param @g.magnitude : tensor<f32>
// CHECK: %[[G:.*]] = nf.mul %[[U]], %[[M]] : tensor<8xf32>, tensor<f32>
// CHECK: nf.scale %{{.*}}, %[[G]]
// per=channel: the magnitude is a vector.
// CHAN-LABEL: module
// CHAN: nf.param @g.magnitude : tensor<8xf32> init <constant(1.000000e+00)> group <magnitude>
// CHAN: nf.mul %{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>
// BAD: for the --per option: Cannot find option named 'row'!
nf.param @g : tensor<8xf32> init <ones> group <scale> role <input>
func.func @scaled(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  return %s : tensor<2x8xf32>
}

// -----

// A constant init c gives rms |c|; non-scale parameters are left alone.
// CHECK-LABEL: module
// CHECK: nf.param @g.direction : tensor<4xf32> init <constant(-2.000000e+00)> group <direction> derived_from("g")
// CHECK: nf.param @g.magnitude : tensor<f32> init <constant(2.000000e+00)> group <magnitude>
// CHECK: nf.param @b : tensor<4xf32> init <zeros> group <bias>{{$}}
// CHAN-LABEL: module
nf.param @g : tensor<4xf32> init <constant(-2.0)> group <scale>
nf.param @b : tensor<4xf32> init <zeros> group <bias>
func.func @constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %g = nf.get_param @g : tensor<4xf32>
  %b = nf.get_param @b : tensor<4xf32>
  %s = nf.scale %x, %g : tensor<4xf32>, tensor<4xf32>
  %y = nf.bias_add %s, %b : tensor<4xf32>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A random init has no known rms: refused.
// expected-error @+1 {{cannot reparameterize @g: its init must be ones or constant(c != 0), so that rms(gamma0) is known}}
nf.param @g : tensor<4xf32> init <normal(0.1)> group <scale>

// -----

// expected-error @+1 {{cannot reparameterize @g: a zero vector has no direction}}
nf.param @g : tensor<4xf32> init <constant(0.0)> group <scale>
