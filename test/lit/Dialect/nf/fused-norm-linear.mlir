// RUN: nf-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: nf-opt %s -split-input-file -verify-diagnostics | nf-opt -split-input-file | FileCheck %s

// Round trip: shared scale, eps, three weights.
// CHECK-LABEL: func.func @round_trip
// CHECK: nf.fused_norm_linear <layernorm> %{{.*}} eps(1.000000e-05) scale(%{{.*}}) bias(%{{.*}}) weights(%{{.*}}, %{{.*}}) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<6x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>)
func.func @round_trip(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %w1: tensor<4x8xf32>, %w2: tensor<6x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>) {
  %y:2 = nf.fused_norm_linear <layernorm> %x eps(1.0e-5) scale(%g) bias(%b) weights(%w1, %w2) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<6x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>)
  return %y#0, %y#1 : tensor<2x4xf32>, tensor<2x6xf32>
}

// -----

func.func @rms_with_alpha(%x: tensor<2x8xf32>, %a: tensor<f32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op rmsnorm takes 0 scalar operand(s) (alpha, shift), but got 1}}
  %y = nf.fused_norm_linear <rmsnorm> %x[%a] eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<f32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @rms_without_eps(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op rmsnorm needs eps attribute}}
  %y = nf.fused_norm_linear <rmsnorm> %x weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @dyt_with_eps(%x: tensor<2x8xf32>, %a: tensor<f32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op dyt takes no eps attribute}}
  %y = nf.fused_norm_linear <dyt> %x[%a] eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<f32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @negative_eps(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op attribute 'eps' must be in [0, inf), but got -1}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(-1.0) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @alpha_f64(%x: tensor<2x8xf32>, %a: tensor<f64>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <dyt> %x[%a] weights(%w) : (tensor<2x8xf32>, tensor<f64>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @two_gammas_three_weights(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %w: tensor<4x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // expected-error @+1 {{'nf.fused_norm_linear' op has 2 gammas; expected 0, 1 (shared) or 3 (one per weight)}}
  %y:3 = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) scale(%g, %g) weights(%w, %w, %w) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return %y#0, %y#1, %y#2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

func.func @bias_shape(%x: tensor<2x8xf32>, %b: tensor<4xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op biases must have shape [8] (the input's last dimension), but got [4]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) bias(%b) weights(%w) : (tensor<2x8xf32>, tensor<4xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @no_weights(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'nf.fused_norm_linear' op needs at least one weight}}
  nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights() : (tensor<2x8xf32>) -> ()
  return
}

// -----

func.func @results_count(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op has 2 weights but 1 results; each weight gives one result}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w, %w) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @weight_in_dim(%x: tensor<2x8xf32>, %w: tensor<4x6xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op weight #0 must have shape [out, 8], but got [4, 6]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x6xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @result_shape(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op result #0 must have shape [2, 4], but got [2, 5]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}
