
// Round trip: shared scale, eps, three weights.
func.func @round_trip(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %w1: tensor<4x8xf32>, %w2: tensor<6x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>) {
  %y:2 = nf.fused_norm_linear <layernorm> %x eps(1.0e-5) scale(%g) bias(%b) weights(%w1, %w2) : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<6x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>)
  return %y#0, %y#1 : tensor<2x4xf32>, tensor<2x6xf32>
}

