
func.func @result_shape(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op result #0 must have shape [2, 4], but got [2, 5]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}
