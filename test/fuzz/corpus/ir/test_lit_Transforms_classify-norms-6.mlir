
// Unchanged: no scale parameters at all.
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @no_scales(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %x, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

