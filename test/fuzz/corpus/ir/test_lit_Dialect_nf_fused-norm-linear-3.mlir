
func.func @dyt_with_eps(%x: tensor<2x8xf32>, %a: tensor<f32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op dyt takes no eps attribute}}
  %y = nf.fused_norm_linear <dyt> %x[%a] eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<f32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

