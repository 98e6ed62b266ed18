
// A matrix is 2-D.
nf.param @w : tensor<4xf32> init <normal(0.02)> group <matrix>

