
func.func @results_count(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op has 2 weights but 1 results; each weight gives one result}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w, %w) : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

