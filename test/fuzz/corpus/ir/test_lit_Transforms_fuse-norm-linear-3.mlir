
// Unchanged: the normalized value also reaches the residual stream
// (Post-Norm), so it must exist on its own.
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @post_norm(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %z = nf.add %n, %y : tensor<2x8xf32>, tensor<2x8xf32>
  return %z : tensor<2x8xf32>
}

