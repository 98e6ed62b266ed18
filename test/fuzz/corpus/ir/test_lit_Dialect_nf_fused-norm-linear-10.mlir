
func.func @weight_in_dim(%x: tensor<2x8xf32>, %w: tensor<4x6xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op weight #0 must have shape [out, 8], but got [4, 6]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x6xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

