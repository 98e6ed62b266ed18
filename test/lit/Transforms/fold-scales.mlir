// RUN: nf-opt %s -split-input-file -nf-classify-norms -nf-fold-scales -verify-diagnostics | FileCheck %s
// Idempotent: running twice equals running once.
// RUN: nf-opt %s -split-input-file -nf-classify-norms -nf-fold-scales -nf-fold-scales -verify-diagnostics | FileCheck %s
// RUN: not nf-opt %s -split-input-file -nf-classify-norms -nf-fold-scales=strict=true 2>&1 | FileCheck %s --check-prefix=STRICT
// RUN: not nf-opt %s -split-input-file -nf-fold-scales 2>&1 | FileCheck %s --check-prefix=NOROLE

// W (g * x) = (W diag g) x: the scale moves onto the weight.
// CHECK-LABEL: func.func @pre_norm
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8xf32>)
// CHECK: %[[G:.*]] = nf.get_param @g
// CHECK: %[[N:.*]] = nf.rmsnorm %[[X]]
// CHECK: %[[W:.*]] = nf.get_param @w
// CHECK: %[[WG:.*]] = nf.scale %[[W]], %[[G]] : tensor<16x8xf32>, tensor<8xf32>
// CHECK: %[[Y:.*]] = nf.linear %[[N]], %[[WG]]
// CHECK: return %[[Y]]
// NOROLE: error: 'nf.param' op scale vector @g has no norm role: run nf-classify-norms before nf-fold-scales
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @pre_norm(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %w = nf.get_param @w : tensor<16x8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// With a bias: W (g * x + b) = (W diag g) x + W b, for every linear map.
// CHECK-LABEL: func.func @with_bias
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x8xf32>)
// CHECK: %[[N:.*]] = nf.layernorm %[[X]]
// CHECK: %[[WG1:.*]] = nf.scale %[[W1:.*]], %[[G:.*]] : tensor<16x8xf32>
// CHECK: %[[Y1:.*]] = nf.linear %[[N]], %[[WG1]]
// CHECK: %[[WB1:.*]] = nf.linear %[[B:.*]], %[[W1]] : tensor<8xf32>, tensor<16x8xf32> -> tensor<16xf32>
// CHECK: %[[Z1:.*]] = nf.bias_add %[[Y1]], %[[WB1]]
// CHECK: %[[WG2:.*]] = nf.scale %[[W2:.*]], %[[G]]
// CHECK: %[[Y2:.*]] = nf.linear %[[N]], %[[WG2]]
// CHECK: %[[WB2:.*]] = nf.linear %[[B]], %[[W2]]
// CHECK: %[[Z2:.*]] = nf.bias_add %[[Y2]], %[[WB2]]
// CHECK: return %[[Z1]], %[[Z2]]
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @w1 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @with_bias(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %b = nf.get_param @b : tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<16x8xf32>
  %w2 = nf.get_param @w2 : tensor<16x8xf32>
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
  %y1 = nf.linear %sb, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %y2 = nf.linear %sb, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// An Output-Norm vector is refused: folding would change what the residual
// add sees. By default a warning, and the vector stays.
// CHECK-LABEL: func.func @branch_output
// CHECK: %[[S:.*]] = nf.scale
// CHECK: nf.add %{{.*}}, %[[S]]
// STRICT: error: 'nf.scale' op cannot fold Output-Norm scale vector @g into the weights: its output reaches 'nf.add', which is not a linear map, so folding would change the function
nf.param @g : tensor<8xf32> init <ones> group <scale>
func.func @branch_output(%x: tensor<2x8xf32>, %f: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %f eps(1.0e-6) : tensor<2x8xf32>
  // expected-warning @+1 {{cannot fold Output-Norm scale vector @g into the weights: its output reaches 'nf.add', which is not a linear map, so folding would change the function}}
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
