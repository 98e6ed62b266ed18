
func.func @rms_without_eps(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op rmsnorm needs eps attribute}}
  %y = nf.fused_norm_linear <rmsnorm> %x weights(%w) : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

