
//===----------------------------------------------------------------------===//
// nf.fused_norm_linear (the messages fused-norm-linear.mlir does not cover)
//===----------------------------------------------------------------------===//

// The fused normalization reduces over a last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>, %w: tensor<4x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #0 (input) must have rank >= 1, but got []}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

