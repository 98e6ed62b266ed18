
func.func @two_gammas_three_weights(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %w: tensor<4x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // expected-error @+1 {{'nf.fused_norm_linear' op has 2 gammas; expected 0, 1 (shared) or 3 (one per weight)}}
  %y:3 = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) scale(%g, %g) weights(%w, %w, %w) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  return %y#0, %y#1, %y#2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

