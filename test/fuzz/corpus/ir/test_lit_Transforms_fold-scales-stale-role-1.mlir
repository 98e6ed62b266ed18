
nf.param @g : tensor<8xf32> init <ones> group <scale> role <output>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @stale_output(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
