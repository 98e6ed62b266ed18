
// With a bias: W (g * x + b) = (W diag g) x + W b, for every linear map.
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @w1 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @with_bias(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %b = nf.get_param @b : tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<16x8xf32>
  %w2 = nf.get_param @w2 : tensor<16x8xf32>
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
  %y1 = nf.linear %sb, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %y2 = nf.linear %sb, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

