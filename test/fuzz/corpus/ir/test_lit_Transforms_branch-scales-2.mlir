
// A consumer that is not a linear map keeps the shared vector.
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w1 : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @mixed(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<8x8xf32>
  %y1 = nf.linear %s, %w1 : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %w2 = nf.get_param @w2 : tensor<8x8xf32>
  %y2 = nf.linear %s, %w2 : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %r = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y1, %y2, %r : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

