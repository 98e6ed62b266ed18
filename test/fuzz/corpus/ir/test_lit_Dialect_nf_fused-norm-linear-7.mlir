
func.func @bias_shape(%x: tensor<2x8xf32>, %b: tensor<4xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op biases must have shape [8] (the input's last dimension), but got [4]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) bias(%b) weights(%w) : (tensor<2x8xf32>, tensor<4xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

