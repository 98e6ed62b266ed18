// Idempotent: running twice equals running once.

// W (g * x) = (W diag g) x: the scale moves onto the weight.
// NOROLE: error: 'nf.param' op scale vector @g has no norm role: run nf-classify-norms before nf-fold-scales
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @pre_norm(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %w = nf.get_param @w : tensor<16x8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

