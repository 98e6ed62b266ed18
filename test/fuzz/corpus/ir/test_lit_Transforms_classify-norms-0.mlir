// Idempotent: running twice equals running once.

// Pre-Norm: the norm's output feeds only the Q/K/V linear maps -> input.
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @pre_norm(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %q = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %k = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k : tensor<2x8xf32>, tensor<2x8xf32>
}

