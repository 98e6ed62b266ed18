
// A norm with a bias: gamma and beta are both split per branch.
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @w_gate : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w_up : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @gate_up(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %b = nf.get_param @b : tensor<8xf32>
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w_gate : tensor<16x8xf32>
  %y1 = nf.linear %sb, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %w2 = nf.get_param @w_up : tensor<16x8xf32>
  %y2 = nf.linear %sb, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

