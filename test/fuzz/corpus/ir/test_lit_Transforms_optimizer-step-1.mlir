
// The plan must be on every trained parameter.
nf.param @w : tensor<8x4xf32> init <normal(0.02)> group <matrix>

