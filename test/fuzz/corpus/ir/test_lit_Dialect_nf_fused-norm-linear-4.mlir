
func.func @negative_eps(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op attribute 'eps' must be in [0, inf), but got -1}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(-1.0) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

